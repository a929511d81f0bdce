"""The REST API, version 1: each app contributes its routes to one router."""

from django.urls import include, path
from rest_framework.routers import DefaultRouter

from clusters.api.views import ClusterViewSet, IndustryCodeViewSet, ParkViewSet, RegionViewSet

router = DefaultRouter()
router.register("regions", RegionViewSet, basename="region")
router.register("industry-codes", IndustryCodeViewSet, basename="industrycode")
router.register("clusters", ClusterViewSet, basename="cluster")
router.register("parks", ParkViewSet, basename="park")

urlpatterns = [path("", include(router.urls))]
