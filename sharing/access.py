"""Access rules for listings, complaints and moderation records (registered into
:mod:`clusters.access`, the one policy)."""

from django.db.models import Exists, OuterRef, Q, QuerySet

from clusters.access import Principal, Rules, memo, register
from enterprises import access as enterprise_access
from enterprises.models import Enterprise
from sharing.choices import DealStatus, InquiryStatus, ListingStatus, Visibility
from sharing.models import (
    BackgroundJob,
    Complaint,
    Deal,
    Inquiry,
    Listing,
    Match,
    ModerationDecision,
    Notification,
    SavedSearch,
)

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


def _supervises(p: Principal, listing: Listing) -> bool:
    """Moderates the listing: supervises its enterprise's park, and (as for enterprises) never
    decides on the enterprise they work for."""
    return p.supervises_park(listing.enterprise.park_id) and not p.is_member_of(
        listing.enterprise_id
    )


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
            return _supervises(p, obj)
        if action == "complain":
            return (
                p.authenticated
                and obj.status == ListingStatus.PUBLISHED
                and not p.is_member_of(obj.enterprise_id)
            )
        if action == "view_owner":
            return (
                p.is_member_of(obj.enterprise_id)
                or p.supervises_park(obj.enterprise.park_id)
                or _accepted_inquirer(p, obj)
            )
        if action == "inquire":
            return (
                p.enterprise_id is not None
                and obj.status == ListingStatus.PUBLISHED
                and not p.is_member_of(obj.enterprise_id)
            )
        return False


def _accepted(p: Principal) -> tuple[frozenset[int], frozenset[int]]:
    """(listings whose poster accepted my enterprise's inquiry, enterprises on the other side
    of an accepted inquiry with mine), loaded once per request."""

    def load():
        rows = Inquiry.objects.filter(
            Q(from_enterprise_id=p.enterprise_id) | Q(listing__enterprise_id=p.enterprise_id),
            status=InquiryStatus.ACCEPTED,
        ).values_list("listing_id", "from_enterprise_id", "listing__enterprise_id")
        listings, counterparts = set(), set()
        for listing_id, asker, poster in rows:
            if asker == p.enterprise_id:
                listings.add(listing_id)
                counterparts.add(poster)
            else:
                counterparts.add(asker)
        return frozenset(listings), frozenset(counterparts)

    if p.enterprise_id is None:
        return frozenset(), frozenset()
    return memo(p, "accepted_inquiries", load)


def _accepted_inquirer(p: Principal, listing: Listing) -> bool:
    """The asker whose inquiry the poster accepted learns who the poster is."""
    return listing.pk in _accepted(p)[0]


def _accepted_counterpart(p: Principal, enterprise: Enterprise) -> bool:
    """Both sides of an accepted inquiry see each other's contact people."""
    return enterprise.pk in _accepted(p)[1]


enterprise_access.contact_grants.append(_accepted_counterpart)


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
            return _supervises(p, obj.listing)
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
        if p.is_officer:  # read-only, for the dashboards' drill-down
            visible |= p.officer_q("listing__region")
        return qs.filter(visible)

    def can(self, p: Principal, action: str, obj) -> bool:
        return False


@register
class MatchRules(Rules):
    """Each side sees the matches of its own enterprise's published listings, unless the
    user turned personalised recommendations off."""

    model = Match

    def scope(self, p: Principal, qs: QuerySet) -> QuerySet:
        if not p.enterprise_id or not getattr(p.user, "recommendations_enabled", True):
            return qs.none()
        return qs.filter(
            Q(offer__enterprise_id=p.enterprise_id) | Q(request__enterprise_id=p.enterprise_id),
            offer__status=ListingStatus.PUBLISHED,
            request__status=ListingStatus.PUBLISHED,
        )

    def can(self, p: Principal, action: str, obj: Match) -> bool:
        if action == "set_state":
            return p.is_member_of(obj.offer.enterprise_id) or p.is_member_of(
                obj.request.enterprise_id
            )
        return False


@register
class InquiryRules(Rules):
    """The two sides, and the supervisors of the poster's park (for complaints and the
    dashboards' drill-down)."""

    model = Inquiry

    def scope(self, p: Principal, qs: QuerySet) -> QuerySet:
        if p.platform_supervisor:
            return qs
        visible = Q(pk__in=[])
        if p.enterprise_id:
            visible |= Q(from_enterprise_id=p.enterprise_id) | Q(
                listing__enterprise_id=p.enterprise_id
            )
        if p.park_ids:
            visible |= Q(listing__enterprise__park__in=p.park_ids)
        if p.is_officer:  # read-only, for the dashboards' drill-down
            visible |= p.officer_q("listing__region")
        return qs.filter(visible)

    def can(self, p: Principal, action: str, obj: Inquiry) -> bool:
        poster = p.is_member_of(obj.listing.enterprise_id)
        asker = p.is_member_of(obj.from_enterprise_id)
        if action == "decide":
            return poster
        if action == "withdraw":
            return asker
        if action in {"message", "record_deal"}:
            return (poster or asker) and obj.status == InquiryStatus.ACCEPTED
        if action == "view_asker":
            return poster or asker or p.supervises_park(obj.listing.enterprise.park_id)
        return False


@register
class DealRules(Rules):
    model = Deal

    def scope(self, p: Principal, qs: QuerySet) -> QuerySet:
        if p.platform_supervisor:
            return qs
        visible = Q(pk__in=[])
        if p.enterprise_id:
            visible |= Q(inquiry__from_enterprise_id=p.enterprise_id) | Q(
                inquiry__listing__enterprise_id=p.enterprise_id
            )
        if p.park_ids:
            visible |= Q(inquiry__listing__enterprise__park__in=p.park_ids)
        if p.is_officer:  # read-only, for the dashboards' drill-down
            visible |= p.officer_q("inquiry__listing__region")
        return qs.filter(visible)

    def can(self, p: Principal, action: str, obj: Deal) -> bool:
        if action == "confirm":
            sides = {obj.inquiry.from_enterprise_id, obj.inquiry.listing.enterprise_id}
            return (
                obj.status == DealStatus.PROPOSED
                and p.enterprise_id in sides
                and p.enterprise_id != obj.recorded_by_id
            )
        return False


class _OwnRows(Rules):
    """Rows that belong to one user and to nobody else."""

    def scope(self, p: Principal, qs: QuerySet) -> QuerySet:
        return qs.filter(user=p.user) if p.authenticated else qs.none()

    def can(self, p: Principal, action: str, obj) -> bool:
        return p.authenticated and obj.user_id == p.user.pk


@register
class SavedSearchRules(_OwnRows):
    model = SavedSearch


@register
class NotificationRules(_OwnRows):
    model = Notification


@register
class BackgroundJobRules(Rules):
    model = BackgroundJob

    def scope(self, p: Principal, qs: QuerySet) -> QuerySet:
        return qs if p.platform_supervisor else qs.none()

    def can(self, p: Principal, action: str, obj) -> bool:
        return p.platform_supervisor
