"""Access rules for listings, complaints and moderation records (registered into
:mod:`clusters.access`, the one policy)."""

from django.db.models import Exists, OuterRef, Q, QuerySet

from clusters.access import Principal, Rules, register
from enterprises.models import Enterprise
from sharing.choices import ListingStatus, Visibility
from sharing.models import Complaint, Listing, ModerationDecision

SUPERVISOR_ACTIONS = {"approve", "request_changes", "reject", "take_down"}
OWNER_ACTIONS = {"edit", "submit", "withdraw", "close", "renew"}


def _published_for(p: Principal) -> Q:
    """Published listings this principal may read, by their visibility."""
    published = Q(status=ListingStatus.PUBLISHED)
    if not p.authenticated:
        return published & Q(visibility=Visibility.PUBLIC)
    readable = Q(visibility__in=[Visibility.PUBLIC, Visibility.REGISTERED])
    if p.enterprise_id:
        shares_cluster = Exists(
            Enterprise.clusters.through.objects.filter(
                enterprise_id=p.enterprise_id,
                cluster_id__in=Enterprise.clusters.through.objects.filter(
                    enterprise_id=OuterRef(OuterRef("enterprise_id"))
                ).values("cluster_id"),
            )
        )
        readable |= Q(visibility=Visibility.CLUSTER) & Q(shares_cluster)
    if p.is_supervisor or p.is_officer:
        readable |= Q(visibility=Visibility.CLUSTER)
    return published & readable


@register
class ListingRules(Rules):
    model = Listing

    def scope(self, p: Principal, qs: QuerySet) -> QuerySet:
        visible = _published_for(p)
        if p.enterprise_id:
            visible |= Q(enterprise_id=p.enterprise_id)
        not_draft = ~Q(status=ListingStatus.DRAFT)
        if p.platform_supervisor:
            visible |= not_draft
        elif p.park_ids:
            visible |= not_draft & Q(enterprise__park__in=p.park_ids)
        if p.is_officer:
            visible |= not_draft & p.officer_q("region")
        return qs.filter(visible)

    def can(self, p: Principal, action: str, obj: Listing) -> bool:
        if action in OWNER_ACTIONS:
            return p.is_member_of(obj.enterprise_id)
        if action in SUPERVISOR_ACTIONS:
            return p.supervises_park(obj.enterprise.park_id)
        if action == "complain":
            return (
                p.authenticated
                and obj.status == ListingStatus.PUBLISHED
                and not p.is_member_of(obj.enterprise_id)
            )
        if action == "view_owner":
            return p.is_member_of(obj.enterprise_id) or p.supervises_park(obj.enterprise.park_id)
        return False


@register
class ComplaintRules(Rules):
    """Reporters see their own reports; supervisors those about listings they supervise."""

    model = Complaint

    def scope(self, p: Principal, qs: QuerySet) -> QuerySet:
        if not p.authenticated:
            return qs.none()
        if p.platform_supervisor:
            return qs
        visible = Q(reporter=p.user)
        if p.park_ids:
            visible |= Q(listing__enterprise__park__in=p.park_ids)
        return qs.filter(visible)

    def can(self, p: Principal, action: str, obj: Complaint) -> bool:
        if action == "dismiss":
            return p.supervises_park(obj.listing.enterprise.park_id)
        return False


@register
class ModerationDecisionRules(Rules):
    model = ModerationDecision

    def scope(self, p: Principal, qs: QuerySet) -> QuerySet:
        if p.platform_supervisor:
            return qs
        visible = Q(pk__in=[])
        if p.enterprise_id:
            visible |= Q(listing__enterprise_id=p.enterprise_id)
        if p.park_ids:
            visible |= Q(listing__enterprise__park__in=p.park_ids)
        return qs.filter(visible)

    def can(self, p: Principal, action: str, obj) -> bool:
        return False
