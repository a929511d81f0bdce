from django.urls import path

from portal.stats import views

app_name = "dashboards"

urlpatterns = [
    path("", views.dashboard_index, name="index"),
    path("refresh/", views.refresh, name="refresh"),
    path("regions/<str:code>/", views.region_dashboard, name="region"),
    path(
        "regions/<str:code>/export.<str:export_format>",
        views.region_dashboard,
        name="region_export",
    ),
    path("parks/<int:pk>/", views.park_dashboard, name="park"),
    path("parks/<int:pk>/export.<str:export_format>", views.park_dashboard, name="park_export"),
    path("clusters/<int:pk>/", views.cluster_dashboard, name="cluster"),
    path(
        "clusters/<int:pk>/export.<str:export_format>",
        views.cluster_dashboard,
        name="cluster_export",
    ),
]
