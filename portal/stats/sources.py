"""Where each dashboard figure comes from: the raw records, the moment that dates them and the
path to the listing (or enterprise) that places them.

The roll-ups (``rollup.py``) group these records by month and place; the drill-down pages
(``views.py``, :func:`records`) list the same records for one scope and period. One
definition serves both, so a figure and its records cannot drift apart (reconciled in
tests/dashboards/test_reconciliation.py).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import Case, DateTimeField, OuterRef, QuerySet, Subquery, When
from django.utils import timezone

from clusters.models import Cluster, Park, Region
from enterprises.models import Enterprise
from sharing.models import Deal, Inquiry, Listing, Match, ModerationDecision


def _first_match() -> QuerySet:
    """Listings with the moment of their first match (as offer or as request)."""

    def first(side: str) -> Subquery:
        return Subquery(
            Match.objects.filter(**{side: OuterRef("pk")})
            .order_by("created_at")
            .values("created_at")[:1]
        )

    return Listing.objects.annotate(
        first_match=Case(
            When(direction="offer", then=first("offer")),
            default=first("request"),
            output_field=DateTimeField(),
        )
    )


@dataclass(frozen=True)
class Source:
    queryset: Callable[[], QuerySet]
    date_field: str
    # The path to the listing the record is about ("" for a listing itself), or to the
    # enterprise when ``with_listing`` is false.
    prefix: str
    with_listing: bool = True

    @property
    def enterprise_path(self) -> str:
        return f"{self.prefix}enterprise__" if self.with_listing else self.prefix


def _first_hand(decision: str) -> QuerySet:
    return ModerationDecision.objects.filter(was_edit=False, decision=decision)


SOURCES: dict[str, Source] = {
    "enterprises_registered": Source(Enterprise.objects.all, "created_at", "", False),
    "enterprises_verified": Source(Enterprise.objects.all, "verified_at", "", False),
    "listings_posted": Source(Listing.objects.all, "first_submitted_at", ""),
    "listings_approved": Source(lambda: _first_hand("approve"), "decided_at", "listing__"),
    "listings_rejected": Source(lambda: _first_hand("reject"), "decided_at", "listing__"),
    "listings_matched": Source(_first_match, "first_match", ""),
    "inquiries_sent": Source(Inquiry.objects.all, "created_at", "listing__"),
    "inquiries_accepted": Source(
        lambda: Inquiry.objects.filter(status="accepted"), "decided_at", "listing__"
    ),
    "deals_confirmed": Source(
        lambda: Deal.objects.filter(status="confirmed"), "confirmed_at", "inquiry__listing__"
    ),
    # Every moderation decision, edits included: the waiting times' records.
    "decisions": Source(ModerationDecision.objects.all, "decided_at", "listing__"),
}

# The figures of the page whose records are another figure's: the drill-down target of each.
DRILL_DOWN: dict[str, tuple[str, str | None]] = {
    **{name: (name, None) for name in SOURCES if name != "decisions"},
    "deal_value": ("deals_confirmed", None),
    "capacity_deals": ("deals_confirmed", "capacity"),
    "capacity_value": ("deals_confirmed", "capacity"),
    "moderation_median_hours": ("decisions", None),
    "moderation_p90_hours": ("decisions", None),
}


def month_bounds(start: date, end: date) -> tuple[datetime, datetime]:
    """The local moments from the first day of ``start``'s month to the first day after
    ``end``'s month: the roll-ups count a record in the local month it happened."""
    after = date(end.year + (end.month == 12), end.month % 12 + 1, 1)
    zone = timezone.get_current_timezone()
    return (
        timezone.make_aware(datetime(start.year, start.month, 1), zone),
        timezone.make_aware(datetime(after.year, after.month, 1), zone),
    )


def records(
    figure: str,
    start: date,
    end: date,
    *,
    kind: str | None = None,
    region: Region | None = None,
    park: Park | None = None,
    cluster: Cluster | None = None,
) -> QuerySet:
    """The raw records behind ``figure`` for one scope (region, park or cluster), the months
    from ``start`` to ``end`` and optionally one kind of listing; as many as the figure counts.
    """
    source = SOURCES[figure]
    lower, upper = month_bounds(start, end)
    d = source.date_field
    qs = source.queryset().filter(**{f"{d}__gte": lower, f"{d}__lt": upper})
    if kind:
        if not source.with_listing:
            return qs.none()  # enterprises have no kind: the dashboard counts none either
        qs = qs.filter(**{f"{source.prefix}kind": kind})
    if region is not None and region.level != "province":
        qs = qs.filter(region.subtree_q(f"{source.prefix}region"))
    if park is not None:
        qs = qs.filter(**{f"{source.prefix}park": park})
    if cluster is not None:
        qs = qs.filter(**{f"{source.enterprise_path}clusters": cluster}).distinct()
    return qs


def figure_records(
    figure: str, start: date, end: date, *, kind: str | None = None, **scope
) -> QuerySet:
    """The records behind a figure of the page (``DRILL_DOWN``): a deal value's deals, a
    waiting time's decisions; ``scope`` as for :func:`records`."""
    source, only_kind = DRILL_DOWN[figure]
    qs = records(source, start, end, kind=only_kind or kind, **scope)
    if only_kind and kind and kind != only_kind:
        return qs.none()
    return qs
