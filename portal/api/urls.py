"""The REST API, version 1: each app contributes its routes to one router."""

from django.urls import include, path
from rest_framework.routers import DefaultRouter

from clusters.api.views import ClusterViewSet, IndustryCodeViewSet, ParkViewSet, RegionViewSet
from enterprises.api.views import (
    EnterpriseViewSet,
    InvitationViewSet,
    JoinRequestViewSet,
    MembershipViewSet,
)
from portal.stats.api import StatsView
from sharing.api.connections import (
    DealViewSet,
    InquiryViewSet,
    MatchViewSet,
    NotificationViewSet,
    SavedSearchViewSet,
)
from sharing.api.views import (
    AuditViewSet,
    ComplaintViewSet,
    ListingViewSet,
    MineViewSet,
    ModerationViewSet,
)

# No ".json" suffix routes: the API speaks JSON only, and every route stays in the policy matrix.
router = DefaultRouter()
router.include_format_suffixes = False
router.register("regions", RegionViewSet, basename="region")
router.register("industry-codes", IndustryCodeViewSet, basename="industrycode")
router.register("clusters", ClusterViewSet, basename="cluster")
router.register("parks", ParkViewSet, basename="park")
router.register("enterprises", EnterpriseViewSet, basename="enterprise")
router.register("memberships", MembershipViewSet, basename="membership")
router.register("invitations", InvitationViewSet, basename="invitation")
router.register("join-requests", JoinRequestViewSet, basename="joinrequest")
router.register("listings", ListingViewSet, basename="listing")
router.register("my-listings", MineViewSet, basename="my-listing")
router.register("moderation", ModerationViewSet, basename="moderation")
router.register("complaints", ComplaintViewSet, basename="complaint")
router.register("audit", AuditViewSet, basename="audit")
router.register("matches", MatchViewSet, basename="match")
router.register("inquiries", InquiryViewSet, basename="inquiry")
router.register("deals", DealViewSet, basename="deal")
router.register("saved-searches", SavedSearchViewSet, basename="savedsearch")
router.register("notifications", NotificationViewSet, basename="notification")

urlpatterns = [
    path("stats/", StatsView.as_view(), name="stats"),
    path("", include(router.urls)),
]
