"""Reconciliation: every dashboard figure equals the same figure computed straight from the
raw records, for every scope and period.

A property test: hypothesis draws a world (firms in several regions and parks, verified or
not; listings of every kind and several industry divisions, submitted, approved, rejected or
sent back with random waits, some with reviewed edits; matches; inquiries, some accepted;
confirmed, proposed and disputed deals with values and quantities), builds it through the
services, moves its timestamps into random moments of the last two years (the services cannot
write past timestamps: they are shifted for the test, see tests/dashboards/helpers.py), runs
:func:`portal.stats.rollup.rollups_refresh`, and then compares what the dashboards read from
the roll-ups (:func:`figures.totals` and :func:`figures.series` over ``in_period``, and the
tables: by kind, by division, the parks, the top clusters) with an independent computation
over the raw rows written here, for the province, two prefectures, a county, two parks and
two clusters, over random month and quarter periods, with and without a kind filter. The
drill-down pages' records (:func:`portal.stats.sources.figure_records`) must add up to the
same figures in every one of those checks.

The independent computation reads the raw tables with plain ORM queries and does the rest in
Python: local-time months from the zone database, ceiling hours from whole microseconds, the
nearest-rank percentile from the sorted waits.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, timedelta
from decimal import Decimal

import pytest
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from clusters.models import Cluster, Park, Region
from enterprises.models import Enterprise
from portal.stats import figures
from portal.stats.figures import Period
from portal.stats.rollup import rollups_refresh
from portal.stats.sources import DRILL_DOWN, figure_records
from sharing import services
from sharing.choices import ListingStatus
from sharing.matching.engine import match_listing
from sharing.models import Deal, Inquiry, Listing, Match, ModerationDecision
from tests.dashboards.helpers import (
    CLUSTER_JIANGXIA,
    CLUSTER_WUHAN,
    CLUSTER_XIANGYANG,
    add_months,
    edit_moderated,
    firm_create,
    listing_fields,
    local_moment,
    local_month,
    moderate,
    this_month,
)

KINDS = ("capacity", "technology", "order", "talent")
# (region, park): inside 武汉市 (a park of the prefecture, a county's own park, a firm of a
# county in the prefecture's park, a firm of the prefecture in the county's park, no park),
# inside 襄阳市, and 宜昌市 (only in the province's figures).
PLACES = (
    ("420100", "武汉东湖高新区"),
    ("420111", "武汉东湖高新区"),
    ("420115", "江夏经济开发区"),
    ("420100", "江夏经济开发区"),
    ("420115", None),
    ("420600", "襄阳高新区"),
    ("420683", "枣阳市化工园区"),
    ("420606", None),
    ("420500", None),
)
CLUSTERS = (CLUSTER_JIANGXIA, CLUSTER_WUHAN, CLUSTER_XIANGYANG)
# Listing industries in four divisions (34, 36, 38, 65), one of them a division-level code.
INDUSTRIES = ("3421", "34", "3670", "3841", "6513")
DEAL_UNITS = ("machine_hours_month", "pieces", "")

# The scopes every example is checked in: (kind, key).
SCOPES = (
    ("region", "420000"),
    ("region", "420100"),
    ("region", "420600"),
    ("region", "420115"),
    ("park", "武汉东湖高新区"),
    ("park", "江夏经济开发区"),
    ("cluster", CLUSTER_JIANGXIA),
    ("cluster", CLUSTER_XIANGYANG),
)

COUNTS = (
    "enterprises_registered",
    "enterprises_verified",
    "listings_posted",
    "listings_approved",
    "listings_rejected",
    "listings_matched",
    "inquiries_sent",
    "inquiries_accepted",
    "deals_confirmed",
)


# --- The world hypothesis draws -------------------------------------------------------------

# A moment in the last two years: a month back from this one, a day, a second of the day and
# a microsecond. Often the first hours of the 1st: local time is then in the new month while
# UTC is still in the old one, which is where a month taken in the wrong zone shows.
moments = st.tuples(
    st.integers(min_value=1, max_value=24),
    st.one_of(st.just(1), st.integers(min_value=1, max_value=31)),
    st.one_of(
        st.integers(min_value=0, max_value=8 * 3600 - 1),
        st.integers(min_value=0, max_value=86399),
    ),
    st.sampled_from((0, 0, 1, 999_999)),
)
# A wait before a decision: under an hour, whole hours exactly, or anything up to 300 hours.
waits = st.one_of(
    st.integers(min_value=0, max_value=3600).map(lambda s: timedelta(seconds=s)),
    st.integers(min_value=0, max_value=300).map(lambda h: timedelta(hours=h)),
    st.tuples(st.integers(0, 300 * 3600), st.integers(0, 999_999)).map(
        lambda t: timedelta(seconds=t[0], microseconds=t[1])
    ),
)

firms = st.fixed_dictionaries(
    {
        "place": st.sampled_from(PLACES),
        "clusters": st.lists(st.sampled_from(CLUSTERS), max_size=2, unique=True),
        "verified": st.sampled_from((True, True, True, False)),
        "registered": moments,
        "verified_at": moments,
    }
)
listing_specs = st.fixed_dictionaries(
    {
        "owner": st.integers(min_value=0, max_value=99),
        # Indexes into the world's few kinds and industries, so that offers and requests
        # meet often enough for the matching engine to pair them.
        "kind": st.integers(min_value=0, max_value=9),
        "direction": st.sampled_from(("offer", "request")),
        "industry": st.integers(min_value=0, max_value=9),
        "submitted": st.sampled_from((True, True, True, False)),
        # First-hand decisions: none or more sent-back ones, then approval or not.
        "sent_back": st.lists(st.sampled_from(("reject", "request_changes")), max_size=2),
        "approve": st.sampled_from((True, True, False)),
        # A published listing may get a published counterpart from another firm (the other
        # direction, same kind and industry), for the matching engine to pair.
        "counterpart": st.booleans(),
        "edit": st.sampled_from((None, "approve", "reject", "request_changes")),
        "first_submitted": moments,
        # Each decision at a moment of its own, after its wait.
        "decided": st.lists(moments, min_size=4, max_size=4),
        "waits": st.lists(waits, min_size=4, max_size=4),
    }
)
deal_specs = st.fixed_dictionaries(
    {
        "value": st.integers(min_value=0, max_value=50_000_000_00).map(lambda c: Decimal(c) / 100),
        "quantity": st.one_of(st.none(), st.integers(0, 1_000_000).map(lambda c: Decimal(c) / 100)),
        "unit": st.sampled_from(DEAL_UNITS),
        "outcome": st.sampled_from(("confirmed", "confirmed", "proposed", "disputed")),
        "confirmed": moments,
    }
)
inquiry_specs = st.fixed_dictionaries(
    {
        "listing": st.integers(min_value=0, max_value=99),
        "asker": st.integers(min_value=0, max_value=99),
        "outcome": st.sampled_from(("accepted", "accepted", "pending", "declined", "withdrawn")),
        "sent": moments,
        "answered": moments,
        "deals": st.lists(deal_specs, min_size=1, max_size=2),
    }
)
worlds = st.fixed_dictionaries(
    {
        "firms": st.lists(firms, min_size=2, max_size=6),
        "kinds": st.lists(st.sampled_from(KINDS), min_size=1, max_size=2, unique=True),
        "industries": st.lists(st.sampled_from(INDUSTRIES), min_size=1, max_size=2, unique=True),
        "listings": st.lists(listing_specs, min_size=2, max_size=12),
        "match_times": st.lists(moments, min_size=1, max_size=8),
        "inquiries": st.lists(inquiry_specs, min_size=2, max_size=8),
    }
)


def _months_back(n: int) -> date:
    return add_months(this_month(), -n)


def _moment(spec):
    back, day, second, microsecond = spec
    return local_moment(_months_back(back), day=day, second=second, microsecond=microsecond)


periods = st.tuples(
    st.integers(min_value=0, max_value=26),
    st.integers(min_value=0, max_value=26),
    st.sampled_from(("month", "quarter")),
    st.sampled_from((None, *KINDS)),
).map(
    lambda t: (
        Period(_months_back(max(t[0], t[1])), _months_back(min(t[0], t[1])), t[2]),
        t[3],
    )
)


# --- Building the world through the services ------------------------------------------------


def build(world: dict, supervisor) -> None:
    """Create the world through the services, then shift its timestamps (for the test)."""
    made = []
    for spec in world["firms"]:
        region_code, park_name = spec["place"]
        firm, admin = firm_create(
            supervisor=supervisor,
            region_code=region_code,
            park_name=park_name,
            clusters=spec["clusters"],
            verified=spec["verified"],
        )
        made.append((firm, admin))
        registered, verified_at = sorted(
            [_moment(spec["registered"]), _moment(spec["verified_at"])]
        )
        Enterprise.objects.filter(pk=firm.pk).update(
            created_at=registered, verified_at=verified_at if spec["verified"] else None
        )
    verified = [
        (f, a) for (f, a), spec in zip(made, world["firms"], strict=True) if spec["verified"]
    ]
    if not verified:
        return

    listings: list[tuple[Listing, object]] = []
    for spec in world["listings"]:
        _firm, owner = verified[spec["owner"] % len(verified)]
        kind = world["kinds"][spec["kind"] % len(world["kinds"])]
        industry = world["industries"][spec["industry"] % len(world["industries"])]
        listing = services.listing_create(
            actor=owner,
            submit=spec["submitted"],
            **listing_fields(kind, spec["direction"], industry),
        )
        if spec["submitted"]:
            actions = spec["sent_back"] + (["approve"] if spec["approve"] else [])
            listing = moderate(listing=listing, supervisor=supervisor, owner=owner, actions=actions)
            if listing.status == ListingStatus.PUBLISHED and spec["edit"]:
                listing = edit_moderated(
                    listing=listing, supervisor=supervisor, owner=owner, action=spec["edit"]
                )
            _shift_moderation(listing, spec)
        listings.append((listing, owner))
        if spec["counterpart"] and listing.status == ListingStatus.PUBLISHED and len(verified) > 1:
            _other, other_owner = verified[(spec["owner"] + 1) % len(verified)]
            direction = "request" if spec["direction"] == "offer" else "offer"
            counterpart = services.listing_create(
                actor=other_owner, submit=True, **listing_fields(kind, direction, industry)
            )
            counterpart = moderate(
                listing=counterpart, supervisor=supervisor, owner=other_owner, actions=["approve"]
            )
            _shift_moderation(counterpart, {**spec, "decided": spec["decided"][::-1]})
            listings.append((counterpart, other_owner))

    published = [pair for pair in listings if pair[0].status == ListingStatus.PUBLISHED]
    for listing, _owner in published:
        match_listing(listing.pk)
    times = world["match_times"]
    for i, pk in enumerate(Match.objects.order_by("pk").values_list("pk", flat=True)):
        Match.objects.filter(pk=pk).update(created_at=_moment(times[i % len(times)]))

    for spec in world["inquiries"]:
        if not published:
            break
        listing, owner = published[spec["listing"] % len(published)]
        askers = [(f, a) for f, a in verified if f.pk != listing.enterprise_id]
        if not askers:
            continue
        asker_firm, asker = askers[spec["asker"] % len(askers)]
        if Inquiry.objects.filter(
            listing=listing, from_enterprise=asker_firm, status__in=["pending", "accepted"]
        ).exists():
            continue  # one open inquiry per firm and listing
        inquiry = services.inquiry_create(actor=asker, listing=listing, message="请联系我们。")
        if spec["outcome"] in ("accepted", "declined"):
            accept = spec["outcome"] == "accepted"
            inquiry = services.inquiry_decide(actor=owner, inquiry=inquiry, accept=accept)
        elif spec["outcome"] == "withdrawn":
            inquiry = services.inquiry_withdraw(actor=asker, inquiry=inquiry)
        sent, answered = sorted([_moment(spec["sent"]), _moment(spec["answered"])])
        Inquiry.objects.filter(pk=inquiry.pk).update(
            created_at=sent, decided_at=answered if inquiry.decided_at else None
        )
        if spec["outcome"] != "accepted":
            continue
        for deal_spec in spec["deals"]:
            deal = services.deal_record(
                actor=asker,
                inquiry=inquiry,
                description="成交",
                value_yuan=deal_spec["value"],
                quantity=deal_spec["quantity"],
                unit=deal_spec["unit"],
                start_date=timezone.localdate(),
            )
            if deal_spec["outcome"] == "confirmed":
                services.deal_confirm(actor=owner, deal=deal)
                Deal.objects.filter(pk=deal.pk).update(
                    confirmed_at=max(answered, _moment(deal_spec["confirmed"]))
                )
            elif deal_spec["outcome"] == "disputed":
                services.deal_dispute(actor=owner, deal=deal, note="金额不符")


def _shift_moderation(listing: Listing, spec: dict) -> None:
    """The first submission at a moment; each decision at a moment of its own, submitted its
    wait before (timestamps shifted for the test)."""
    Listing.objects.filter(pk=listing.pk).update(
        first_submitted_at=_moment(spec["first_submitted"])
    )
    decisions = ModerationDecision.objects.filter(listing=listing).order_by("pk")
    for i, pk in enumerate(decisions.values_list("pk", flat=True)):
        decided = _moment(spec["decided"][i])
        ModerationDecision.objects.filter(pk=pk).update(
            submitted_at=decided - spec["waits"][i], decided_at=decided
        )


# --- The same figures, straight from the raw records ----------------------------------------


@dataclass
class Raw:
    """The raw rows, read once per world with plain ORM queries."""

    firms: list[dict]
    firm_clusters: dict[int, set[int]]
    cluster_regions: dict[int, str]
    listings: dict[int, dict]
    decisions: list[dict]
    first_match: dict[int, object]
    inquiries: list[dict]
    deals: list[dict]

    @classmethod
    def read(cls) -> Raw:
        firm_clusters: dict[int, set[int]] = defaultdict(set)
        for firm_id, cluster_id in Enterprise.clusters.through.objects.values_list(
            "enterprise_id", "cluster_id"
        ):
            firm_clusters[firm_id].add(cluster_id)
        first_match: dict[int, object] = {}
        for offer_id, request_id, created in Match.objects.values_list(
            "offer_id", "request_id", "created_at"
        ):
            for listing_id in (offer_id, request_id):
                if listing_id not in first_match or created < first_match[listing_id]:
                    first_match[listing_id] = created
        return cls(
            firms=list(
                Enterprise.objects.values(
                    "pk", "region__code", "park_id", "created_at", "verified_at"
                )
            ),
            firm_clusters=firm_clusters,
            cluster_regions=dict(Cluster.objects.values_list("pk", "region__code")),
            listings={
                row["pk"]: row
                for row in Listing.objects.values(
                    "pk",
                    "enterprise_id",
                    "region__code",
                    "park_id",
                    "kind",
                    "division",
                    "first_submitted_at",
                )
            },
            decisions=list(
                ModerationDecision.objects.values(
                    "listing_id", "decision", "was_edit", "submitted_at", "decided_at"
                )
            ),
            first_match=first_match,
            inquiries=list(
                Inquiry.objects.values("listing_id", "status", "created_at", "decided_at")
            ),
            deals=list(
                Deal.objects.values(
                    "inquiry__listing_id",
                    "status",
                    "confirmed_at",
                    "value_yuan",
                    "quantity",
                    "unit",
                )
            ),
        )


@dataclass(frozen=True)
class Scope:
    kind: str  # region, park or cluster
    region_code: str = ""
    region_level: str = ""
    park_id: int | None = None
    cluster_id: int | None = None

    def rows(self):
        """What the dashboard of this scope reads (portal/stats/views.py)."""
        if self.kind == "region":
            return figures.area_rows(region=Region.objects.get(code=self.region_code))
        if self.kind == "park":
            return figures.area_rows(park=Park.objects.get(pk=self.park_id))
        return figures.cluster_rows(Cluster.objects.get(pk=self.cluster_id))

    def place(self) -> dict:
        """The scope as :func:`portal.stats.sources.records` takes it."""
        if self.kind == "region":
            return {"region": Region.objects.get(code=self.region_code)}
        if self.kind == "park":
            return {"park": Park.objects.get(pk=self.park_id)}
        return {"cluster": Cluster.objects.get(pk=self.cluster_id)}

    def holds(self, raw: Raw, firm_id: int, region_code: str, park_id: int | None) -> bool:
        if self.kind == "region":
            return self.contains(region_code)
        if self.kind == "park":
            return park_id == self.park_id
        return self.cluster_id in raw.firm_clusters.get(firm_id, ())

    def contains(self, region_code: str) -> bool:
        # GB/T 2260: a province's divisions share its first two digits, a prefecture's its
        # first four; a county is only itself.
        digits = {"province": 2, "prefecture": 4}.get(self.region_level, 6)
        return region_code[:digits] == self.region_code[:digits]


def _scope(kind: str, key: str) -> Scope:
    if kind == "region":
        region = Region.objects.get(code=key)
        return Scope("region", region_code=region.code, region_level=region.level)
    if kind == "park":
        return Scope("park", park_id=Park.objects.get(name=key).pk)
    return Scope("cluster", cluster_id=Cluster.objects.get(name=key).pk)


def ceil_hours(wait: timedelta) -> int:
    microseconds = (wait.days * 86400 + wait.seconds) * 1_000_000 + wait.microseconds
    return max(0, -(-microseconds // 3_600_000_000))


def nearest_rank(values: list[int], percent: int) -> int | None:
    """The smallest value with at least ``percent`` % of the values at or below it."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, -(-percent * len(ordered) // 100))
    return ordered[rank - 1]


def expected(
    raw: Raw,
    scope: Scope,
    period: Period,
    kind: str | None,
    *,
    park_id: int | None = None,
    division: str | None = None,
) -> dict:
    """Every figure of the dashboard, from the raw rows, for the months ``period`` covers;
    within ``scope`` and, for a row of a table, also in ``park_id`` or ``division``."""
    result: dict = dict.fromkeys(COUNTS, 0)
    result.update(
        deal_value=Decimal(0),
        capacity_deals=0,
        capacity_value=Decimal(0),
        deal_quantity=defaultdict(Decimal),
        capacity_quantity=defaultdict(Decimal),
    )
    per_month: dict[date, dict] = defaultdict(lambda: defaultdict(Decimal))

    def count(name: str, moment, amount=1) -> bool:
        month = local_month(moment)
        if month is None or not (period.start <= month <= period.end):
            return False
        result[name] += amount
        per_month[month][name] += amount
        return True

    def in_scope(firm_id: int, region_code: str, park: int | None) -> bool:
        if park_id is not None and park != park_id:
            return False
        return scope.holds(raw, firm_id, region_code, park)

    def listing_in_scope(listing_id: int) -> dict | None:
        listing = raw.listings[listing_id]
        if kind and listing["kind"] != kind:
            return None
        if division and listing["division"] != division:
            return None
        if not in_scope(listing["enterprise_id"], listing["region__code"], listing["park_id"]):
            return None
        return listing

    # Enterprises have no kind and no industry division of a listing: a kind filter, or a
    # row of the division table, leaves them out.
    if kind is None and division is None:
        for firm in raw.firms:
            if in_scope(firm["pk"], firm["region__code"], firm["park_id"]):
                count("enterprises_registered", firm["created_at"])
                count("enterprises_verified", firm["verified_at"])
    for listing_id in raw.listings:
        if listing_in_scope(listing_id):
            count("listings_posted", raw.listings[listing_id]["first_submitted_at"])
            count("listings_matched", raw.first_match.get(listing_id))
    hours = []
    for d in raw.decisions:
        if not listing_in_scope(d["listing_id"]):
            continue
        month = local_month(d["decided_at"])
        if period.start <= month <= period.end:
            hours.append(ceil_hours(d["decided_at"] - d["submitted_at"]))
        if not d["was_edit"] and d["decision"] == "approve":
            count("listings_approved", d["decided_at"])
        if not d["was_edit"] and d["decision"] == "reject":
            count("listings_rejected", d["decided_at"])
    for inquiry in raw.inquiries:
        if listing_in_scope(inquiry["listing_id"]):
            count("inquiries_sent", inquiry["created_at"])
            if inquiry["status"] == "accepted":
                count("inquiries_accepted", inquiry["decided_at"])
    for deal in raw.deals:
        listing = listing_in_scope(deal["inquiry__listing_id"])
        if listing is None or deal["status"] != "confirmed":
            continue
        if not count("deals_confirmed", deal["confirmed_at"]):
            continue
        count("deal_value", deal["confirmed_at"], deal["value_yuan"])
        unit = deal["unit"] or "-"  # a quantity without a unit is listed under "-"
        if deal["quantity"] is not None:
            result["deal_quantity"][unit] += deal["quantity"]
        if listing["kind"] == "capacity":
            result["capacity_deals"] += 1
            result["capacity_value"] += deal["value_yuan"]
            if deal["quantity"] is not None:
                result["capacity_quantity"][unit] += deal["quantity"]
    result["moderation_median_hours"] = nearest_rank(hours, 50)
    result["moderation_p90_hours"] = nearest_rank(hours, 90)
    result["decisions"] = len(hours)
    result["per_month"] = per_month
    return result


def expected_series(exp: dict, period: Period, names) -> list[dict]:
    """One row per month, or per calendar quarter (named by its first month), zero-filled."""
    buckets: dict[date, dict] = {}
    month = period.start
    while month <= period.end:
        key = month
        if period.granularity == "quarter":
            key = date(month.year, (month.month - 1) // 3 * 3 + 1, 1)
        bucket = buckets.setdefault(key, dict.fromkeys(names, 0))
        for name in names:
            bucket[name] += exp["per_month"].get(month, {}).get(name, 0)
        month = add_months(month, 1)
    return [{"period": key, **values} for key, values in sorted(buckets.items())]


def assert_same_figures(actual: dict, exp: dict, where: str) -> None:
    for name in (*COUNTS, "capacity_deals", "decisions"):
        assert actual[name] == exp[name], f"{where}: {name}"
    for name in ("deal_value", "capacity_value"):
        assert Decimal(actual[name]).quantize(Decimal("0.01")) == exp[name], f"{where}: {name}"
    for name in ("moderation_median_hours", "moderation_p90_hours"):
        assert actual[name] == exp[name], f"{where}: {name}"
    for name in ("deal_quantity", "capacity_quantity"):
        wanted = {unit: float(q) for unit, q in exp[name].items()}
        assert actual[name].keys() == wanted.keys(), f"{where}: {name}"
        for unit, quantity in wanted.items():
            assert actual[name][unit] == pytest.approx(quantity), f"{where}: {name}[{unit}]"


SERIES_NAMES = (*COUNTS, "deal_value")
TABLE_NAMES = ("listings_posted", "listings_approved", "deals_confirmed", "deal_value")
PARK_NAMES = (*TABLE_NAMES, "inquiries_sent", "enterprises_verified")


def _values(row: dict, names) -> tuple:
    return tuple(
        Decimal(row[n]).quantize(Decimal("0.01")) if n == "deal_value" else row[n] for n in names
    )


def _nonzero(rows: dict, names) -> dict:
    """The rows of a table with something in them, keyed, as tuples of ``names``."""
    table = {key: _values(row, names) for key, row in rows.items()}
    return {key: values for key, values in table.items() if any(values)}


def assert_same_tables(raw: Raw, scope: Scope, rows, period: Period, kind, where: str) -> None:
    """The breakdowns by kind and by division, the parks and the top clusters."""
    qs = figures.in_period(rows, period, kind)
    # By kind: every kind of the period, whatever the filter (as the page shows it).
    actual = {r["kind"]: r for r in figures.breakdown(figures.in_period(rows, period), "kind")}
    wanted = {k: expected(raw, scope, period, k) for k in KINDS}
    assert _nonzero(actual, TABLE_NAMES) == _nonzero(wanted, TABLE_NAMES), f"{where}: by kind"
    if scope.kind == "cluster":
        return
    actual = {r["division"]: r for r in figures.breakdown(qs, "division")}
    divisions = {listing["division"] for listing in raw.listings.values()}
    wanted = {d: expected(raw, scope, period, kind, division=d) for d in divisions}
    assert _nonzero(actual, TABLE_NAMES) == _nonzero(wanted, TABLE_NAMES), f"{where}: divisions"
    actual = {r["park"]: r for r in figures.parks_table(qs)}
    parks = {f["park_id"] for f in raw.firms} | {v["park_id"] for v in raw.listings.values()}
    wanted = {p: expected(raw, scope, period, kind, park_id=p) for p in parks - {None}}
    assert _nonzero(actual, PARK_NAMES) == _nonzero(wanted, PARK_NAMES), f"{where}: parks"
    if scope.kind == "region":
        region = Region.objects.get(code=scope.region_code)
        top = figures.top_clusters(period, region=region, kind=kind)
        names = ("deals_confirmed", "deal_value", "listings_approved")
        wanted = {
            pk: expected(raw, Scope("cluster", cluster_id=pk), period, kind)
            for pk, code in raw.cluster_regions.items()
            if scope.contains(code)
        }
        wanted = {pk: v for pk, v in wanted.items() if v["deals_confirmed"] > 0}
        assert {r["cluster"]: _values(r, names) for r in top} == {
            pk: _values(v, names) for pk, v in wanted.items()
        }, f"{where}: top clusters"


def _plain(rows: list[dict]) -> list[dict]:
    return [
        {
            k: (Decimal(v).quantize(Decimal("0.01")) if k == "deal_value" else v)
            for k, v in r.items()
        }
        for r in rows
    ]


# --- The property ---------------------------------------------------------------------------


@settings(
    max_examples=15,
    deadline=None,
    database=None,  # nothing written into the repository; a failure prints its blob
    print_blob=True,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,  # each example rolls its own rows back
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
    ],
)
@given(world=worlds, checks=st.lists(periods, min_size=4, max_size=6))
def test_every_dashboard_figure_equals_the_raw_records(cast, world, checks):
    with transaction.atomic():
        build(world, cast.supervisor)
        rollups_refresh()
        raw = Raw.read()
        for scope_kind, key in SCOPES:
            scope = _scope(scope_kind, key)
            rows = scope.rows()
            for period, kind in checks:
                where = f"{scope_kind} {key} {period} kind={kind}"
                qs = figures.in_period(rows, period, kind)
                exp = expected(raw, scope, period, kind)
                assert_same_figures(figures.totals(qs), exp, where)
                assert _plain(figures.series(qs, period, SERIES_NAMES)) == _plain(
                    expected_series(exp, period, SERIES_NAMES)
                ), where
                # And the four the page draws, by default.
                default = ("listings_posted", "listings_approved", "deals_confirmed", "deal_value")
                assert _plain(figures.series(qs, period)) == _plain(
                    expected_series(exp, period, default)
                ), where
                assert_same_tables(raw, scope, rows, period, kind, where)
                assert_records_add_up(scope, period, kind, figures.totals(qs), where)
        transaction.set_rollback(True)


def assert_records_add_up(scope: Scope, period: Period, kind, totals: dict, where: str) -> None:
    """The drill-down pages list, for each figure, exactly the records it counts."""
    place = scope.place()
    for figure in DRILL_DOWN:
        qs = figure_records(figure, period.start, period.end, kind=kind, **place)
        at = f"{where}: {figure}"
        if figure in ("deal_value", "capacity_value"):
            total = sum((d.value_yuan or Decimal(0) for d in qs), Decimal(0))
            assert total == totals[figure], at
        elif figure.startswith("moderation_"):
            waits = sorted(ceil_hours(d.decided_at - d.submitted_at) for d in qs)
            assert len(waits) == totals["decisions"], at
            percent = 50 if figure == "moderation_median_hours" else 90
            assert nearest_rank(waits, percent) == totals[figure], at
        else:
            assert qs.count() == totals[figure], at


# --- The pieces of the independent computation, on their own -----------------------------


@pytest.mark.parametrize(
    ("wait", "hours"),
    [
        (timedelta(0), 0),
        (timedelta(microseconds=1), 1),
        (timedelta(minutes=10), 1),
        (timedelta(hours=1), 1),
        (timedelta(hours=1, microseconds=1), 2),
        (timedelta(days=2, hours=3), 51),
    ],
)
def test_waits_are_whole_hours_rounded_up(wait, hours):
    from portal.stats.rollup import wait_hours

    start = local_moment(date(2025, 3, 1))
    assert ceil_hours(wait) == hours
    assert wait_hours(start, start + wait) == hours


@pytest.mark.parametrize(
    ("values", "median", "p90"),
    [
        ([], None, None),
        ([5], 5, 5),
        ([1, 2], 1, 2),
        ([3, 1, 2], 2, 3),
        (list(range(1, 11)), 5, 9),
        (list(range(1, 12)), 6, 10),
        ([0, 0, 0, 7], 0, 7),
    ],
)
def test_nearest_rank_percentiles_agree_with_the_histogram(values, median, p90):
    histogram: dict[str, int] = {}
    for v in values:
        histogram[str(v)] = histogram.get(str(v), 0) + 1
    assert nearest_rank(values, 50) == median == figures.percentile_from_hours(histogram, 0.5)
    assert nearest_rank(values, 90) == p90 == figures.percentile_from_hours(histogram, 0.9)


def test_a_listing_posted_just_after_local_midnight_counts_in_the_local_month(listings):
    # 00:30 on the 1st in Wuhan is 16:30 on the last day of the month before in UTC.
    month = add_months(this_month(), -3)
    listing = listings.in_status(ListingStatus.PENDING)
    posted = local_moment(month, day=1, second=30 * 60)
    assert posted.astimezone(UTC).date() < month
    # Timestamp shifted for the test.
    Listing.objects.filter(pk=listing.pk).update(first_submitted_at=posted)
    rollups_refresh()
    park = Scope("park", park_id=listing.park_id).rows()
    assert figures.totals(park.filter(month=month))["listings_posted"] == 1
    assert figures.totals(park.filter(month=add_months(month, -1)))["listings_posted"] == 0
