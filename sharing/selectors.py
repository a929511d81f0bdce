"""Reads of listings, always starting from the access policy's scope."""

from __future__ import annotations

import math
from datetime import timedelta

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.core.cache import cache
from django.db import connection
from django.db.models import (
    Aggregate,
    Count,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
)
from django.utils import timezone

from clusters import access
from enterprises.models import Certification, Enterprise
from sharing.choices import ComplaintStatus, ListingStatus
from sharing.models import Complaint, Listing, ModerationDecision


def _with_badges(qs: QuerySet[Listing], *, clusters: bool = True) -> QuerySet[Listing]:
    """What a listing card shows: industry, place and the poster's trust badges (without
    the poster's identity, which the templates and serializers keep back); the listing page
    and the API also show the poster's clusters."""
    today = timezone.localdate()
    return qs.select_related("industry", "region", "park", "enterprise").prefetch_related(
        Prefetch(
            "enterprise__certifications",
            queryset=Certification.objects.filter(valid_until__gte=today),
            to_attr="valid_certifications",
        ),
        *(["enterprise__clusters"] if clusters else []),
    )


# What a list page reads of a listing and its relations (``listing_page_rows``): every field
# of the listing but its search words (searched by the database, never shown), and of the
# relations what a card and the API show.
_LISTING_UNREAD = frozenset({"search_document", "title_document", "facet_document"})
_RELATED_READ = (
    "enterprise__status",
    "enterprise__size_class",
    "enterprise__park",
    "industry__code",
    "industry__name",
    "region__code",
    "region__name",
    "park__name",
)


def listing_page_rows(user, ids, *, clusters: bool = True) -> list[Listing]:
    """The listings of one page of a list or search (by id, in any order; those the user may
    not see are left out), with what a card (``sharing/_card.html``) and the API
    (``ListingSearchResultSerializer``) show, including the poster's badges
    (:func:`attach_badges`; with ``clusters``, the poster's clusters too).

    The same rows and badges as :func:`listings_visible_to` gives, faster (20 rows at 1M:
    6.3 → 4.9 ms): the related rows' other columns (an enterprise's name, credit code,
    description ...) and the search words were read and turned into objects for every row,
    and Django's prefetching cost 4 ms a page for two small queries (benchmark, issue 7)."""
    fields = [
        f.name
        for f in Listing._meta.concrete_fields
        if f.name not in _LISTING_UNREAD and not f.is_relation
    ]
    rows = list(
        access.scope(user, Listing)
        .select_related("industry", "region", "park", "enterprise")
        .only(*fields, *_RELATED_READ)
        .filter(pk__in=list(ids))
    )
    attach_badges([row.enterprise for row in rows], clusters=clusters)
    return rows


def attach_badges(enterprises, *, clusters: bool = True) -> None:
    """Set what :func:`sharing.api.serializers.poster_badge` and the cards read on each
    enterprise: ``valid_certifications`` (as ``_with_badges`` prefetches them) and, with
    ``clusters``, ``badge_clusters``, the names of its clusters in their usual order. Two
    queries, whatever the number of enterprises."""
    ids = {e.pk for e in enterprises}
    certifications: dict[int, list[Certification]] = {}
    names: dict[int, list[str]] = {}
    if ids:
        for cert in Certification.objects.filter(
            enterprise_id__in=ids, valid_until__gte=timezone.localdate()
        ):
            certifications.setdefault(cert.enterprise_id, []).append(cert)
        if clusters:
            for enterprise_id, name in (
                Enterprise.clusters.through.objects.filter(enterprise_id__in=ids)
                .order_by("cluster__region__code", "cluster__name")
                .values_list("enterprise_id", "cluster__name")
            ):
                names.setdefault(enterprise_id, []).append(name)
    for enterprise in enterprises:
        enterprise.valid_certifications = certifications.get(enterprise.pk, [])
        if clusters:
            enterprise.badge_clusters = names.get(enterprise.pk, [])


def listings_visible_to(user) -> QuerySet[Listing]:
    return _with_badges(access.scope(user, Listing))


def listing_cards_visible_to(user) -> QuerySet[Listing]:
    """For the HTML list's cards (``sharing/_card.html``), which do not show the clusters."""
    return _with_badges(access.scope(user, Listing), clusters=False)


def listings_of_my_enterprise(user) -> QuerySet[Listing]:
    p = access.principal(user)
    if not p.enterprise_id:
        return Listing.objects.none()
    return (
        Listing.objects.filter(enterprise_id=p.enterprise_id)
        # The enterprise too: the page asks the policy about each row's actions, and the
        # supervisors' actions are decided by the enterprise's park.
        .select_related("enterprise", "industry", "region", "park")
        .annotate(
            open_complaints=Count("complaints", filter=Q(complaints__status=ComplaintStatus.OPEN))
        )
        .order_by("-updated_at", "-pk")
    )


def _supervised(user, *, prefix: str = "", everything: bool = False) -> Q | None:
    """Listings (or rows under ``prefix`` pointing at listings) this supervisor moderates.

    A platform supervisor's own queue is the enterprises that belong to no park;
    ``everything`` widens it to every park."""
    p = access.principal(user)
    park = f"{prefix}enterprise__park"
    if p.platform_supervisor:
        if everything:
            return Q()
        return Q(**{f"{park}__isnull": True}) | Q(**{f"{park}__in": p.park_ids})
    if p.park_ids:
        return Q(**{f"{park}__in": p.park_ids})
    return None


def moderation_queue(user, *, everything: bool = False) -> QuerySet[Listing]:
    """New listings and edits of published ones waiting for review, oldest first."""
    where = _supervised(user, everything=everything)
    if where is None:
        return Listing.objects.none()
    waiting = Q(status=ListingStatus.PENDING) | Q(
        status=ListingStatus.PUBLISHED, pending_changes__isnull=False
    )
    # Exists, not Count: no GROUP BY, so counting the queue reads no complaints.
    complained = Complaint.objects.filter(listing=OuterRef("pk"), status=ComplaintStatus.OPEN)
    return (
        _with_badges(Listing.objects.filter(where & waiting))
        .annotate(open_complaints=Exists(complained))
        .order_by("submitted_at", "pk")
    )


def open_complaints(user, *, everything: bool = False) -> QuerySet[Complaint]:
    where = _supervised(user, prefix="listing__", everything=everything)
    if where is None:
        return Complaint.objects.none()
    return (
        Complaint.objects.filter(where, status=ComplaintStatus.OPEN)
        .select_related("listing", "reporter")
        .order_by("created_at", "pk")
    )


def supervisor_figures(user, *, days: int = 90, everything: bool = True) -> dict:
    """Pending count and the median and 90th percentile of time to decision (hours).

    Both percentiles are nearest-rank: the ceil(fraction × n)-th shortest wait, which is
    what PostgreSQL's ``percentile_disc`` returns. It computes them there, in one query over
    the window's decisions; elsewhere (SQLite) the waits are read and ranked in Python.
    """
    where = _supervised(user, prefix="listing__", everything=everything)
    if where is None:
        return {
            "pending": 0,
            "open_complaints": 0,
            "decided": 0,
            "median_hours": None,
            "p90_hours": None,
            "days": days,
        }
    # The waits of 90 days of decisions (570,000 at a million listings) take a sort of them
    # all; a trailing 90-day figure may be a minute old, so it is kept that long per viewer.
    key = f"sharing:wait-figures:{user.pk}:{int(everything)}:{days}"
    waits = cache.get(key) if settings.SUPERVISOR_FIGURES_SECONDS else None
    if waits is None:
        since = timezone.now() - timedelta(days=days)
        decisions = ModerationDecision.objects.filter(where, decided_at__gte=since)
        waits = wait_percentiles(decisions, (0.5, 0.9))
        if settings.SUPERVISOR_FIGURES_SECONDS:
            cache.set(key, waits, settings.SUPERVISOR_FIGURES_SECONDS)
    decided, median_wait, p90_wait = waits
    return {
        "pending": moderation_queue(user, everything=everything).count(),
        "open_complaints": open_complaints(user, everything=everything).count(),
        "decided": decided,
        "median_hours": _hours(median_wait),
        "p90_hours": _hours(p90_wait),
        "days": days,
    }


def _hours(wait: timedelta | None) -> float | None:
    return None if wait is None else round(wait.total_seconds() / 3600, 1)


class PercentilesDisc(Aggregate):
    """PostgreSQL's ``percentile_disc(ARRAY[fractions]) WITHIN GROUP (ORDER BY expression)``:
    several percentiles from one sort, as a list."""

    function = "PERCENTILE_DISC"
    template = "%(function)s(ARRAY[%(fractions)s]) WITHIN GROUP (ORDER BY %(expressions)s)"
    allow_distinct = False

    def __init__(self, expression, fractions, *, output_field, **extra):
        if not fractions or not all(0 <= f <= 1 for f in fractions):
            raise ValueError("fractions must lie between 0 and 1")
        # Float literals of our own, not user input.
        super().__init__(
            expression,
            fractions=", ".join(repr(float(f)) for f in fractions),
            output_field=ArrayField(output_field),
            **extra,
        )


def wait_percentiles(
    decisions: QuerySet[ModerationDecision], fractions: tuple[float, ...]
) -> tuple:
    """The number of ``decisions`` and the nearest-rank percentiles of their waits
    (``decided_at - submitted_at``, a timedelta each, None without decisions): in SQL on
    PostgreSQL, in Python elsewhere; the two agree (tests/sharing/test_performance.py)."""
    if connection.vendor == "postgresql":
        return wait_percentiles_sql(decisions, fractions)
    return wait_percentiles_python(decisions, fractions)


def wait_percentiles_sql(decisions: QuerySet[ModerationDecision], fractions) -> tuple:
    """One query, whatever the number of decisions (PostgreSQL)."""
    wait = ExpressionWrapper(F("decided_at") - F("submitted_at"), output_field=DurationField())
    figures = decisions.aggregate(
        n=Count("pk"), waits=PercentilesDisc(wait, fractions, output_field=DurationField())
    )
    return (figures["n"], *(figures["waits"] or (None,) * len(fractions)))


def wait_percentiles_python(decisions: QuerySet[ModerationDecision], fractions) -> tuple:
    """The same figures from every decision's two times, read and ranked in Python."""
    waits = sorted(
        decided - submitted
        for submitted, decided in decisions.values_list("submitted_at", "decided_at")
    )
    return (len(waits), *(_percentile(waits, f) if waits else None for f in fractions))


def _percentile(sorted_values: list, fraction: float):
    """Nearest-rank percentile of already sorted values: the ceil(fraction * n)-th value,
    as PostgreSQL's ``percentile_disc``. (PostgreSQL takes the ceiling without rounding;
    for the fractions the portal asks, 0.5 and 0.9, the two agree for every n up to
    3 million, the range checked.)

    Not ``round(x + 0.5)``: Python rounds halves to even, which is one rank too high
    whenever ``fraction * n`` is a whole number (the 10th of 10 values instead of the 9th).
    The inner round() drops float noise such as 0.55 * 100 = 55.00000000000001.
    """
    rank = math.ceil(round(fraction * len(sorted_values), 9))
    index = max(0, min(len(sorted_values) - 1, rank - 1))
    return sorted_values[index]
