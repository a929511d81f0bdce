from django.urls import path

from portal.stats import drilldown, views

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
    # The records behind one figure of a dashboard.
    path(
        "regions/<str:key>/records/<str:figure>/",
        drilldown.figure_records_page,
        {"scope": "region"},
        name="region_records",
    ),
    path(
        "parks/<int:key>/records/<str:figure>/",
        drilldown.figure_records_page,
        {"scope": "park"},
        name="park_records",
    ),
    path(
        "clusters/<int:key>/records/<str:figure>/",
        drilldown.figure_records_page,
        {"scope": "cluster"},
        name="cluster_records",
    ),
]
