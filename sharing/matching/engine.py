"""Candidate generation through indexed queries, scoring, and idempotent upserts of matches.

Candidates for a listing come from one indexed lookup (``listing_candidates_idx``): same kind,
the other direction, published, same industry division, not expired, from another
enterprise, with overlapping availability. Nothing ever scans all pairs.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from enterprises.models import Certification
from sharing.choices import Direction, ListingStatus, Visibility
from sharing.matching.scoring import (
    ALGORITHM_VERSION,
    MIN_SCORE,
    Side,
    explanation,
    score,
)
from sharing.models import Listing, Match

# The most candidates scored for one listing; the newest are kept when there are more.
MAX_CANDIDATES = 2000

_FIELDS = (
    "id",
    "enterprise_id",
    "kind",
    "direction",
    "industry__code",
    "quantity",
    "unit",
    "price_min",
    "price_max",
    "available_from",
    "available_until",
    "park_id",
    "park__latitude",
    "park__longitude",
    "region__latitude",
    "region__longitude",
    "search_document",
    "attributes",
    "enterprise__status",
    "visibility",
)


def live_q() -> Q:
    """Published and not past its date (the hourly expiry job may not have caught up yet)."""
    return Q(status=ListingStatus.PUBLISHED) & (
        Q(expires_on__isnull=True) | Q(expires_on__gte=timezone.localdate())
    )


def candidates_q(listing: Listing) -> Q:
    """The hard rules, as the filter candidate generation runs."""
    q = (
        live_q()
        & Q(
            kind=listing.kind,
            direction=Direction.REQUEST
            if listing.direction == Direction.OFFER
            else Direction.OFFER,
            division=listing.division,
        )
        & ~Q(enterprise_id=listing.enterprise_id)
    )
    if listing.available_from is not None:
        q &= Q(available_until__isnull=True) | Q(available_until__gte=listing.available_from)
    if listing.available_until is not None:
        q &= Q(available_from__isnull=True) | Q(available_from__lte=listing.available_until)
    return q


def _sides(rows: list[dict]) -> list[Side]:
    enterprise_ids = {r["enterprise_id"] for r in rows}
    today = timezone.localdate()
    certs: dict[int, set[str]] = {}
    for enterprise_id, kind in Certification.objects.filter(
        enterprise_id__in=enterprise_ids, valid_until__gte=today
    ).values_list("enterprise_id", "kind"):
        certs.setdefault(enterprise_id, set()).add(kind)
    clusters: dict[int, set[int]] = {}
    from enterprises.models import Enterprise

    for enterprise_id, cluster_id in Enterprise.clusters.through.objects.filter(
        enterprise_id__in=enterprise_ids
    ).values_list("enterprise_id", "cluster_id"):
        clusters.setdefault(enterprise_id, set()).add(cluster_id)
    sides = []
    for r in rows:
        lat = r["park__latitude"] if r["park__latitude"] is not None else r["region__latitude"]
        lng = r["park__longitude"] if r["park__longitude"] is not None else r["region__longitude"]
        sides.append(
            Side(
                id=r["id"],
                enterprise_id=r["enterprise_id"],
                kind=r["kind"],
                direction=r["direction"],
                industry_code=r["industry__code"],
                latitude=lat,
                longitude=lng,
                park_id=r["park_id"],
                cluster_ids=frozenset(clusters.get(r["enterprise_id"], ())),
                quantity=r["quantity"],
                unit=r["unit"],
                price_min=r["price_min"],
                price_max=r["price_max"],
                available_from=r["available_from"],
                available_until=r["available_until"],
                words=frozenset(r["search_document"].split()),
                verified=r["enterprise__status"] == "verified",
                certifications=frozenset(certs.get(r["enterprise_id"], ())),
                required_certifications=frozenset(
                    (r["attributes"] or {}).get("required_certifications") or ()
                ),
            )
        )
    return sides


@dataclass
class MatchResult:
    listing_id: int
    candidates: int
    stored: int
    new_pairs: list[int]  # ids of matches created by this run


def match_listing(listing_id: int) -> MatchResult | None:
    """Match one published listing against the other side; safe to run twice.

    Returns None when the listing is gone, no longer published or past its date (a late or
    duplicate message). Reruns update scores in place: the unique (offer, request) pair and each
    side's state (seen, dismissed, contacted) survive.
    """
    listing = Listing.objects.filter(live_q(), pk=listing_id).first()
    if listing is None:
        return None
    rows = list(
        Listing.objects.filter(candidates_q(listing))
        .order_by("-published_at", "-pk")
        .values(*_FIELDS)[:MAX_CANDIDATES]
    )
    own_rows = list(Listing.objects.filter(pk=listing.pk).values(*_FIELDS))
    all_sides = _sides(own_rows + rows)
    me, others = all_sides[0], all_sides[1:]
    now = timezone.now()
    wanted: dict[tuple[int, int], tuple[float, dict]] = {}
    my_visibility = own_rows[0]["visibility"]
    for other, row in zip(others, rows, strict=True):
        if Visibility.CLUSTER in (my_visibility, row["visibility"]) and not (
            me.cluster_ids & other.cluster_ids
        ):
            continue  # one of the two is for its own cluster only, and the firms share none
        offer, request = (me, other) if me.direction == Direction.OFFER else (other, me)
        value, factors = score(offer, request)
        if value >= MIN_SCORE:
            wanted[(offer.id, request.id)] = (value, explanation(factors))

    with transaction.atomic():
        mine = (
            Q(offer_id=listing.pk) if me.direction == Direction.OFFER else Q(request_id=listing.pk)
        )
        existing = {(m.offer_id, m.request_id): m for m in Match.objects.filter(mine)}
        created, updated = [], []
        for (offer_id, request_id), (value, factors) in wanted.items():
            match = existing.pop((offer_id, request_id), None)
            if match is None:
                created.append(
                    Match(
                        offer_id=offer_id,
                        request_id=request_id,
                        score=value,
                        factors=factors,
                        algorithm_version=ALGORITHM_VERSION,
                        created_at=now,
                        updated_at=now,
                    )
                )
            elif (match.score, match.factors, match.algorithm_version) != (
                value,
                factors,
                ALGORITHM_VERSION,
            ):
                match.score, match.factors = value, factors
                match.algorithm_version, match.updated_at = ALGORITHM_VERSION, now
                updated.append(match)
        # A pair that no longer qualifies (dates moved, prices changed) is dropped unless a
        # side has already acted on it.
        stale = [
            m.pk for m in existing.values() if m.offer_state == "new" and m.request_state == "new"
        ]
        if stale:
            Match.objects.filter(pk__in=stale).delete()
        # ignore_conflicts: a concurrent run for the other listing of the same pair may have
        # inserted it a moment ago; the unique constraint keeps one row either way.
        Match.objects.bulk_create(created, ignore_conflicts=True, batch_size=500)
        Match.objects.bulk_update(
            updated, ["score", "factors", "algorithm_version", "updated_at"], batch_size=500
        )
        Listing.objects.filter(pk=listing.pk).update(
            matched_version=ALGORITHM_VERSION, matched_at=now
        )
    new_ids = (
        list(Match.objects.filter(mine, created_at=now).values_list("pk", flat=True))
        if created
        else []
    )
    return MatchResult(listing.pk, len(others), len(wanted), new_ids)


def outstanding_listing_ids(limit: int = 1000) -> list[int]:
    """Published listings never matched, or matched by an older algorithm version."""
    return list(
        Listing.objects.filter(live_q())
        .filter(Q(matched_version__isnull=True) | ~Q(matched_version=ALGORITHM_VERSION))
        .order_by("published_at", "pk")
        .values_list("pk", flat=True)[:limit]
    )
