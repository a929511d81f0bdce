from django.urls import path

from clusters import views

app_name = "clusters"

urlpatterns = [
    path("clusters/<int:pk>/", views.cluster_detail, name="cluster_detail"),
    path("parks/", views.park_list, name="park_list"),
    path("parks/<int:pk>/", views.park_detail, name="park_detail"),
    path("regions/<str:code>/", views.region_detail, name="region_detail"),
]
