"""The region pages' own roll-up (``RegionFigures``) and the merged wait histograms.

The region pages read rows summed up for each region scope by the refresh, instead of every
area row below the region; these tests check that those rows are exactly the area rows summed
up, for every region and grain, that a region page no longer reads the area rows, and that the
histograms merged by PostgreSQL equal those merged in Python (the fallback on SQLite). That
the figures equal the raw records is tests/dashboards/test_reconciliation.py's part.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

import pytest
from django.db import connection
from django.db.models import Sum
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from clusters.models import Cluster, Region
from portal.stats import figures
from portal.stats.models import AreaFigures, RegionFigures
from portal.stats.rollup import COUNT_FIELDS, rollups_refresh
from sharing import services
from tests.dashboards.helpers import (
    CLUSTER_WUHAN,
    firm_create,
    listing_fields,
    moderate,
    monthly_story,
)

SUMS = (*COUNT_FIELDS, "deal_value")


@pytest.fixture
def world(cast):
    """Three months of the story (inside 武汉市 and 襄阳市), and a firm of a county (江夏区)
    in a park of the prefecture with a listing rejected then approved: rows at all three
    levels, in two parks and two industry divisions."""
    monthly_story(cast, 3, refresh=False)
    _firm, admin = firm_create(
        supervisor=cast.supervisor, region_code="420115", park_name="武汉东湖高新区"
    )
    listing = services.listing_create(
        actor=admin, submit=True, **listing_fields("order", "request", "3670")
    )
    moderate(
        listing=listing, supervisor=cast.supervisor, owner=admin, actions=["reject", "approve"]
    )
    rollups_refresh()
    return cast


def _area_sums(region: Region, grain: str) -> dict:
    """The area rows in ``region`` and below it, summed up as the grain groups them."""
    dims = {"total": (), "division": ("division",), "park": ("park",)}[grain]
    qs = AreaFigures.objects.all()
    if region.level != "province":
        qs = qs.filter(region.subtree_q("region"))
    if grain == "division":
        qs = qs.exclude(division="")
    if grain == "park":
        qs = qs.exclude(park=None)
    rows = qs.values("month", "kind", *dims).annotate(**{f"s_{n}": Sum(n) for n in SUMS})
    return {
        (r["month"], r["kind"], *(r[d] for d in dims)): tuple(r[f"s_{n}"] for n in SUMS)
        for r in rows
    }


def _region_sums(region: Region, grain: str) -> dict:
    dims = {"total": (), "division": ("division",), "park": ("park",)}[grain]
    rows = RegionFigures.objects.filter(region=region, grain=grain)
    return {
        (r.month, r.kind, *(getattr(r, d if d != "park" else "park_id") for d in dims)): tuple(
            getattr(r, n) for n in SUMS
        )
        for r in rows
    }


def test_region_rows_are_the_area_rows_summed_up_for_every_region_and_grain(world):
    with_rows = set()
    for region in Region.objects.all():
        for grain in ("total", "division", "park"):
            wanted = _area_sums(region, grain)
            assert _region_sums(region, grain) == wanted, f"{region.code} {grain}"
            if wanted:
                with_rows.add(region.code)
    # The province, both prefectures of the story and the county's firm at least.
    assert {"420000", "420100", "420600", "420115"} <= with_rows
    # The merged histograms and quantities are those of the area rows below.
    for code in ("420000", "420100", "420115"):
        region = Region.objects.get(code=code)
        waits: dict[str, int] = defaultdict(int)
        quantities: dict[str, float] = defaultdict(float)
        for row in AreaFigures.objects.filter(region.subtree_q("region")):
            for hours, n in row.decision_waits.items():
                waits[hours] += n
            for unit, q in row.deal_quantity.items():
                quantities[unit] += q
        merged_waits: dict[str, int] = defaultdict(int)
        merged_quantities: dict[str, float] = defaultdict(float)
        for row in RegionFigures.objects.filter(region=region, grain="total"):
            for hours, n in row.decision_waits.items():
                merged_waits[hours] += n
            for unit, q in row.deal_quantity.items():
                merged_quantities[unit] += q
        assert merged_waits == waits and sum(waits.values()) > 0, code
        assert merged_quantities == pytest.approx(quantities), code
    # Only the totals carry histograms and quantities.
    assert not RegionFigures.objects.exclude(grain="total").exclude(decision_waits={}).exists()


def test_a_region_page_reads_its_own_rows_with_the_same_figures(client, world):
    client.force_login(world.officer_a)
    region = Region.objects.get(code="420100")
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse("dashboards:region", args=[region.code]))
    assert response.status_code == 200
    sql = " ".join(q["sql"] for q in ctx.captured_queries)
    assert "portal_regionfigures" in sql
    assert "portal_areafigures" not in sql
    period = response.context["period"]
    fine = figures.in_period(AreaFigures.objects.filter(region.subtree_q("region")), period)
    assert response.context["totals"] == figures.totals(fine)
    assert response.context["totals"]["deals_confirmed"] == 3
    assert response.context["series"] == figures.series(fine, period)
    assert response.context["divisions"] and response.context["parks"]
    assert [(r["division"], r["listings_posted"]) for r in response.context["divisions"]] == [
        (r["division"], r["listings_posted"]) for r in figures.breakdown(fine, "division")
    ]
    assert response.context["parks"] == figures.parks_table(fine)


@pytest.mark.usefixtures("requires_postgres")
def test_histograms_merged_in_sql_equal_those_merged_in_python(world):
    province = Region.objects.get(code="420000")
    scopes = [
        figures.area_rows(region=province),
        figures.area_rows(park=world.a.park),
        AreaFigures.objects.all(),
        figures.cluster_rows(Cluster.objects.get(name=CLUSTER_WUHAN)),
    ]
    for rows in scopes:
        for kind in (None, "capacity", "order"):
            qs = figures.in_period(rows, figures.Period(*_months(rows)), kind)
            qs = figures._grain(qs, RegionFigures.TOTAL)
            in_sql, in_python = figures._merge_in_sql(qs), figures._merge_in_python(qs)
            assert in_sql[0] == in_python[0]
            for got, wanted in zip(in_sql[1:], in_python[1:], strict=True):
                assert got == pytest.approx(wanted)
            if kind != "order":
                # Waits and quantities of capacity deals in every one of these scopes.
                assert sum(in_sql[0].values()) > 0
                assert in_sql[2] and in_sql[1].keys() >= in_sql[2].keys()
                assert Decimal(str(in_sql[2]["machine_hours_month"])) > 0


def _months(rows) -> tuple:
    months = sorted(rows.values_list("month", flat=True).distinct())
    return months[0], months[-1]
