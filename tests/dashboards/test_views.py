"""The dashboards as pages, exports and API: who may open which, what each one shows, and
that all three say the same.

The cast (tests/cast.py): officer_a governs 武汉市 (420100), officer_b 襄阳市 (420600);
park_admin_a runs 武汉东湖高新区, park_admin_b 襄阳高新区. The story (tests/dashboards/
helpers.py, ``monthly_story``) gives 武汉市, park A and firm A's cluster an approved offer,
an accepted inquiry and a confirmed deal in each of this month and the one before; 襄阳市 and
park B have firm B's registration and verification.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from datetime import datetime
from decimal import Decimal
from unittest import mock
from urllib.parse import quote

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from clusters.models import Cluster, Park, Region
from enterprises.choices import VerificationStatus
from enterprises.models import Enterprise
from portal.stats import figures
from portal.stats.figures import DEFINITIONS
from portal.stats.models import AreaFigures, RollupRun
from portal.stats.sources import DRILL_DOWN
from portal.tasks import refresh_rollups_task
from sharing.models import Listing
from tests.cast import NAME_A, NAME_B, load_cast
from tests.dashboards.helpers import (
    CLUSTER_JIANGXIA,
    CLUSTER_WUHAN,
    CLUSTER_XIANGYANG,
    add_months,
    local_moment,
    monthly_story,
    this_month,
)

FORMATS = ("csv", "xlsx")
SHEETS = ["汇总", "趋势", "按类别", "按行业", "园区", "产业集群"]
META_LABELS = ["范围", "期间", "周期", "类别", "数据计算时间", "导出时间"]


@pytest.fixture(scope="module")
def story(cast_ids, django_db_blocker) -> Iterator[None]:
    """Two months of the story on top of the cast, rolled up; undone after the module."""
    with django_db_blocker.unblock(), transaction.atomic():
        monthly_story(load_cast(cast_ids), 2)
        yield
        transaction.set_rollback(True)


@pytest.fixture
def eager_tasks() -> Iterator[None]:
    """Tasks run in the test's process when sent, with or without a broker (REDIS_URL)."""
    from portal.celery import app

    before = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = before


# --- URLs -----------------------------------------------------------------------------------


def region_url(code: str, fmt: str | None = None) -> str:
    if fmt == "records":
        return reverse("dashboards:region_records", args=[code, "deals_confirmed"])
    if fmt:
        return reverse("dashboards:region_export", args=[code, fmt])
    return reverse("dashboards:region", args=[code])


def park_url(name: str, fmt: str | None = None) -> str:
    pk = Park.objects.get(name=name).pk
    if fmt == "records":
        return reverse("dashboards:park_records", args=[pk, "deals_confirmed"])
    if fmt:
        return reverse("dashboards:park_export", args=[pk, fmt])
    return reverse("dashboards:park", args=[pk])


def cluster_url(name: str, fmt: str | None = None) -> str:
    pk = Cluster.objects.get(name=name).pk
    if fmt == "records":
        return reverse("dashboards:cluster_records", args=[pk, "deals_confirmed"])
    if fmt:
        return reverse("dashboards:cluster_export", args=[pk, fmt])
    return reverse("dashboards:cluster", args=[pk])


def with_exports(make, key: str) -> list[str]:
    """The page, its CSV and XLSX exports and the records behind its deals figure."""
    return [make(key), *(make(key, fmt) for fmt in (*FORMATS, "records"))]


# Side A's dashboards (inside 武汉市), side B's (inside 襄阳市).
A_REGIONS = ("420100", "420111", "420115")
A_PARKS = ("武汉东湖高新区", "江夏经济开发区")
A_CLUSTERS = (CLUSTER_JIANGXIA, CLUSTER_WUHAN)
B_REGIONS = ("420600", "420606")
B_PARKS = ("襄阳高新区",)
B_CLUSTERS = (CLUSTER_XIANGYANG,)


def urls_of(regions=(), parks=(), clusters=()) -> list[str]:
    urls = []
    for code in regions:
        urls += with_exports(region_url, code)
    for name in parks:
        urls += with_exports(park_url, name)
    for name in clusters:
        urls += with_exports(cluster_url, name)
    return urls


def statuses(client, urls) -> dict[str, int]:
    return {url: client.get(url).status_code for url in urls}


def assert_all(client, urls, status: int) -> None:
    got = statuses(client, urls)
    assert got == dict.fromkeys(urls, status)


# --- Who may open which dashboard -----------------------------------------------------------


def test_officer_sees_her_prefecture_its_counties_parks_and_clusters(client, cast, story):
    client.force_login(cast.officer_a)
    assert_all(client, urls_of(A_REGIONS, A_PARKS, A_CLUSTERS), 200)


def test_officer_of_one_prefecture_gets_404_for_another_prefecture(client, cast, story):
    client.force_login(cast.officer_a)
    assert_all(client, urls_of(B_REGIONS, B_PARKS, B_CLUSTERS), 404)
    # Nor the province's, which lies above her region.
    assert_all(client, urls_of(["420000"]), 404)


def test_officer_of_one_prefecture_gets_404_from_the_api_for_another(client, cast, story):
    client.force_login(cast.officer_a)
    api = reverse("stats")
    assert client.get(api, {"region": "420600"}).status_code == 404
    assert client.get(api, {"park": Park.objects.get(name="襄阳高新区").pk}).status_code == 404
    assert client.get(api, {"region": "420100"}).status_code == 200


def test_park_admin_sees_her_park_only(client, cast, story):
    client.force_login(cast.park_admin_a)
    assert_all(client, urls_of(parks=["武汉东湖高新区"]), 200)
    assert_all(
        client,
        urls_of(
            regions=["420000", "420100", "420600"],
            parks=["襄阳高新区", "江夏经济开发区", "武汉经济技术开发区"],
            clusters=[CLUSTER_WUHAN, CLUSTER_XIANGYANG],
        ),
        404,
    )


def test_platform_supervisor_sees_every_dashboard(client, cast, story):
    client.force_login(cast.supervisor)
    assert_all(
        client,
        urls_of(
            ("420000", *A_REGIONS, *B_REGIONS),
            (*A_PARKS, *B_PARKS),
            (*A_CLUSTERS, *B_CLUSTERS),
        ),
        200,
    )


@pytest.mark.parametrize("role", ["member_a", "admin_a", "member_b", "newcomer"])
def test_enterprise_members_and_others_get_404(client, cast, story, role):
    client.force_login(cast.user(role))
    urls = urls_of(["420100"], ["武汉东湖高新区"], [CLUSTER_WUHAN])
    assert_all(client, [*urls, reverse("dashboards:index")], 404)
    assert client.get(reverse("stats"), {"region": "420100"}).status_code == 404


def test_anonymous_visitor_is_sent_to_log_in(client, db, story):
    for url in urls_of(["420100"], ["武汉东湖高新区"], [CLUSTER_WUHAN]):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login") + "?next=")
    assert client.get(reverse("stats"), {"region": "420100"}).status_code == 403


def test_index_lists_only_the_officers_dashboards(client, cast, story):
    client.force_login(cast.officer_a)
    html = client.get(reverse("dashboards:index")).content.decode()
    assert region_url("420100") in html
    assert park_url("武汉东湖高新区") in html
    assert region_url("420600") not in html
    assert park_url("襄阳高新区") not in html


# --- What a page shows ----------------------------------------------------------------------


def computed_at() -> str:
    return timezone.localtime(RollupRun.objects.first().computed_at).strftime("%Y-%m-%d %H:%M")


@pytest.mark.parametrize(
    "make",
    [
        lambda: region_url("420100"),
        lambda: park_url("武汉东湖高新区"),
        lambda: cluster_url(CLUSTER_WUHAN),
    ],
    ids=["region", "park", "cluster"],
)
def test_page_says_when_its_data_was_computed_and_defines_every_figure(client, cast, story, make):
    client.force_login(cast.supervisor)
    response = client.get(make())
    html = response.content.decode()
    assert response.status_code == 200
    assert f"数据计算于 {computed_at()}" in html
    for name, (label, definition) in DEFINITIONS.items():
        assert escape(str(label)) in html, name
        assert escape(str(definition)) in html, name
    # Every chart is there to draw, and its numbers are in a table as well.
    for source in ("funnel-data", "series-data", "kinds-data"):
        assert f'data-source="{source}"' in html
        assert f'id="{source}"' in html
    assert html.count("<table") >= 3


def test_page_shows_the_story_figures(client, cast, story):
    client.force_login(cast.officer_a)
    totals = client.get(region_url("420100")).context["totals"]
    # Two months: two approved offers, two accepted inquiries, deals of 10 000 and 20 000 yuan.
    assert totals["listings_approved"] == 2
    assert totals["inquiries_accepted"] == 2
    assert totals["deals_confirmed"] == totals["capacity_deals"] == 2
    assert totals["deal_value"] == totals["capacity_value"] == Decimal("30000")
    assert totals["deal_quantity"] == {"machine_hours_month": 3.0}
    # Waits of 3 and 4 hours: the nearest-rank median is the smaller.
    assert (totals["moderation_median_hours"], totals["moderation_p90_hours"]) == (3, 4)
    # The deals were on idle-capacity offers: none under another kind.
    orders = client.get(region_url("420100"), {"kind": "order"}).context["totals"]
    assert orders["deals_confirmed"] == orders["listings_approved"] == 0
    # And in 襄阳市, where firm B asked from, none of them counts.
    client.force_login(cast.officer_b)
    assert client.get(region_url("420600")).context["totals"]["deals_confirmed"] == 0


def test_top_clusters_follow_the_kind_filter(client, cast, story):
    client.force_login(cast.officer_a)
    top = client.get(region_url("420100")).context["clusters"]
    assert [(r["cluster__name"], r["deals_confirmed"]) for r in top] == [(CLUSTER_WUHAN, 2)]
    assert client.get(region_url("420100"), {"kind": "capacity"}).context["clusters"] == top
    # The story's deals were all on idle capacity: no cluster has an order deal.
    assert client.get(region_url("420100"), {"kind": "order"}).context["clusters"] == []
    meta, sections = read_csv(client.get(region_url("420100", "csv"), {"kind": "order"}))
    assert meta["类别"] == "订单"
    assert sections["产业集群"] == [["产业集群", "审核通过", "确认成交", "成交金额（元）"]]


def test_no_data_computed_yet_says_so(client, cast, story):
    RollupRun.objects.all().delete()
    client.force_login(cast.supervisor)
    html = client.get(region_url("420100")).content.decode()
    assert "统计数据尚未计算。" in html


# --- The records behind a figure -------------------------------------------------------------


def records_url(scope: str, key, figure: str) -> str:
    return reverse(f"dashboards:{scope}_records", args=[key, figure])


def _records_expected(totals: dict, figure: str) -> int:
    """How many records the figure stands for: a value's deals, a waiting time's decisions."""
    return {
        "deal_value": totals["deals_confirmed"],
        "capacity_value": totals["capacity_deals"],
        "moderation_median_hours": totals["decisions"],
        "moderation_p90_hours": totals["decisions"],
    }.get(figure, totals.get(figure))


def test_every_figure_links_to_as_many_records_as_it_counts(client, cast, story):
    client.force_login(cast.officer_a)
    params = period_params()
    page = client.get(region_url("420100"), params)
    html = page.content.decode()
    totals = page.context["totals"]
    query = page.context["query"]
    for figure in DRILL_DOWN:
        url = records_url("region", "420100", figure)
        assert escape(f"{url}?{query}") in html, figure
        response = client.get(url, params)
        assert response.status_code == 200, figure
        expected = _records_expected(totals, figure)
        assert response.context["total"] == expected, figure
        assert response.context["hidden"] == 0, figure
        assert len(response.context["rows"]) == expected, figure
    assert totals["deals_confirmed"] == 2  # the story's two deals, so the check means something


def test_deal_records_name_the_listings_values_and_times(client, cast, story):
    client.force_login(cast.officer_a)
    response = client.get(records_url("region", "420100", "deals_confirmed"), period_params())
    html = response.content.decode()
    for i, value in ((0, "10000.00"), (1, "20000.00")):
        listing = Listing.objects.get(title=f"数控机床闲置产能{i:02d}")
        assert f'<a href="{listing.get_absolute_url()}">{listing.title}</a>' in html
        assert value in html
    # The asking firm (B, in 襄阳市) is not named to 武汉市's officer.
    assert NAME_B not in html


def test_a_kind_filter_narrows_the_records_as_it_narrows_the_figure(client, cast, story):
    client.force_login(cast.officer_a)
    url = records_url("region", "420100", "deals_confirmed")
    assert client.get(url, {"kind": "capacity"}).context["total"] == 2
    response = client.get(url, {"kind": "order"})
    assert response.context["total"] == 0
    assert "这一期间没有记录" in response.content.decode()
    assert "订单" in response.content.decode()  # the kind by its name, not its code
    # Capacity deals are deals on idle capacity: none when another kind is chosen.
    assert (
        client.get(records_url("region", "420100", "capacity_deals"), {"kind": "order"}).context[
            "total"
        ]
        == 0
    )


def test_records_outside_the_users_view_are_counted_but_not_listed(client, cast, story):
    """Firm B (襄阳市) joins 武汉's cluster and is suspended (so not public): the cluster's
    registrations count both firms, and 武汉市's officer sees the number but only firm A's row."""
    cluster = Cluster.objects.get(name=CLUSTER_WUHAN)
    cast.b.firm.clusters.add(cluster)
    Enterprise.objects.filter(pk=cast.b.firm.pk).update(status=VerificationStatus.SUSPENDED)
    refresh_rollups_task.apply()
    client.force_login(cast.officer_a)
    params = {"start": add_months(this_month(), -11).strftime("%Y-%m")}
    figure = client.get(cluster_url(CLUSTER_WUHAN), params).context["totals"]
    response = client.get(records_url("cluster", cluster.pk, "enterprises_registered"), params)
    assert response.context["total"] == figure["enterprises_registered"] == 2
    assert response.context["hidden"] == 1
    html = response.content.decode()
    assert NAME_A in html and NAME_B not in html
    assert "其中 1 条不在您的查看范围内" in html


def test_unknown_figure_is_404_and_a_bad_period_a_400_naming_the_field(client, cast, story):
    client.force_login(cast.officer_a)
    assert client.get(records_url("region", "420100", "happiness")).status_code == 404
    response = client.get(
        records_url("region", "420100", "deals_confirmed"), {"start": "2026-05", "end": "2026-01"}
    )
    assert response.status_code == 400
    assert "截止月份不能早于起始月份。" in response.content.decode()


RECORDS_PAGE_QUERIES = 11


def test_records_page_query_count_does_not_grow_with_the_records(
    client, cast, story, django_assert_max_num_queries
):
    client.force_login(cast.officer_a)
    params = {"start": add_months(this_month(), -23).strftime("%Y-%m")}
    url = records_url("region", "420100", "deals_confirmed")

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url, params).status_code == 200
        return len(ctx)

    two = count()
    monthly_story(cast, 12, refresh=False)
    assert client.get(url, params).context["total"] >= 12
    assert count() == two
    with django_assert_max_num_queries(RECORDS_PAGE_QUERIES):
        client.get(url, params)


# --- Exports --------------------------------------------------------------------------------


def period_params() -> dict:
    return {
        "start": add_months(this_month(), -5).strftime("%Y-%m"),
        "end": this_month().strftime("%Y-%m"),
        "granularity": "quarter",
    }


def read_csv(response) -> tuple[dict[str, str], dict[str, list[list[str]]]]:
    """The ``#`` rows (filters and times) and each ``[section]`` with its rows."""
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    meta: dict[str, str] = {}
    sections: dict[str, list[list[str]]] = {}
    current = None
    for row in csv.reader(io.StringIO(text.lstrip("\ufeff"))):
        if not row:
            continue
        if row[0] == "#":
            meta[row[1]] = row[2]
        elif row[0].startswith("[") and row[0].endswith("]"):
            current = sections.setdefault(row[0][1:-1], [])
        else:
            current.append(row)
    return meta, sections


def _text(value) -> str:
    return "" if value is None else str(value)


def test_csv_export_has_the_scope_period_data_time_and_the_pages_totals(client, cast, story):
    client.force_login(cast.officer_a)
    params = period_params()
    page = client.get(region_url("420100"), params)
    response = client.get(region_url("420100", "csv"), params)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment;" in response["Content-Disposition"]
    # The file's name says the scope and the period, so saved exports tell themselves apart.
    name = (
        f"武汉市-成效看板-{params['start'].replace('-', '')}-{params['end'].replace('-', '')}.csv"
    )
    assert response["Content-Disposition"] == f"attachment; filename*=utf-8''{quote(name)}"
    meta, sections = read_csv(response)
    assert meta["范围"] == "武汉市"
    assert meta["期间"] == f"{params['start']} ~ {params['end']}"
    assert meta["周期"] == "按季度"
    assert meta["类别"] == "全部类别"
    assert meta["数据计算时间"] == computed_at()
    summary = {row[0]: row[1] for row in sections["汇总"][1:]}
    page_totals = {str(label): _text(value) for _name, label, value, _d in page.context["funnel"]}
    assert summary == page_totals
    assert summary["确认成交"] == "2"
    # The trend has one row per quarter of the period, with the page's numbers.
    trend = [row[0] for row in sections["趋势"][1:]]
    assert trend == [r["period"].strftime("%Y-%m") for r in page.context["series"]]


def test_csv_export_names_the_kind_filter(client, cast, story):
    client.force_login(cast.park_admin_a)
    response = client.get(park_url("武汉东湖高新区", "csv"), {"kind": "capacity"})
    meta, sections = read_csv(response)
    assert meta["范围"] == "武汉东湖高新区"
    assert meta["类别"] == "闲置产能与设备"
    summary = {row[0]: row[1] for row in sections["汇总"][1:]}
    assert summary["闲置产能盘活（笔）"] == "2"


def test_xlsx_export_has_sheets_with_the_filters_and_the_data_time(client, cast, story):
    from openpyxl import load_workbook

    client.force_login(cast.officer_a)
    params = {**period_params(), "kind": "capacity"}
    page = client.get(region_url("420100"), params)
    response = client.get(region_url("420100", "xlsx"), params)
    assert response.status_code == 200
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == SHEETS
    for sheet in workbook.worksheets:
        rows = list(sheet.iter_rows(values_only=True))
        meta = {row[0]: row[1] for row in rows[: len(META_LABELS)]}
        assert list(meta) == META_LABELS, sheet.title
        assert meta["范围"] == "武汉市"
        assert meta["期间"] == f"{params['start']} ~ {params['end']}"
        assert meta["周期"] == "按季度"
        assert meta["类别"] == "闲置产能与设备"
        assert meta["数据计算时间"] == computed_at()
    summary = list(workbook["汇总"].iter_rows(values_only=True))[len(META_LABELS) + 2 :]
    values = {label: value for label, value, _definition in summary}
    assert values.keys() == {str(label) for _n, label, _v, _d in page.context["funnel"]}
    for _name, label, value, _d in page.context["funnel"]:
        if value is None:
            assert values[str(label)] in (None, ""), label
        else:
            assert values[str(label)] == pytest.approx(float(value)), label
    assert values["确认成交"] == 2


# --- Invalid periods ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"start": "2025-13"}, "start"),
        ({"start": "last year"}, "start"),
        ({"end": "2025-1-1"}, "end"),
        ({"start": "2025-06", "end": "2025-01"}, "end"),
        ({"start": "2000-01", "end": "2025-01"}, "start"),
        ({"granularity": "week"}, "granularity"),
        ({"kind": "land"}, "kind"),
    ],
)
def test_invalid_period_is_a_400_naming_the_field(client, cast, story, params, field):
    client.force_login(cast.officer_a)
    page = client.get(region_url("420100"), params)
    assert page.status_code == 400
    assert page.context["form"].errors.keys() == {field}
    assert 'class="invalid-feedback d-block"' in page.content.decode()
    for fmt in FORMATS:
        export = client.get(region_url("420100", fmt), params)
        assert export.status_code == 400
        assert export.content.decode().startswith(f"{field}: ")
    api = client.get(reverse("stats"), {"region": "420100", **params})
    assert api.status_code == 400
    assert list(api.json()) == [field]


def test_unknown_export_format_is_404(client, cast, story):
    client.force_login(cast.supervisor)
    assert client.get(region_url("420100", "pdf")).status_code == 404


# --- Refreshing the roll-ups ----------------------------------------------------------------


def test_supervisor_refresh_enqueues_and_recomputes(client, cast, story, eager_tasks):
    listing = Listing.objects.filter(enterprise=cast.a.firm).first()
    month = add_months(this_month(), -6)
    # Timestamp shifted for the test: a listing posted six months ago, not yet rolled up.
    Listing.objects.filter(pk=listing.pk).update(first_submitted_at=local_moment(month))
    runs = RollupRun.objects.count()
    client.force_login(cast.supervisor)
    page = region_url("420100")
    with mock.patch.object(
        refresh_rollups_task, "delay", wraps=refresh_rollups_task.delay
    ) as delay:
        response = client.post(reverse("dashboards:refresh"), {"next": page})
    assert response.status_code == 302
    assert response["Location"] == page
    delay.assert_called_once_with()
    assert RollupRun.objects.count() == runs + 1
    assert AreaFigures.objects.filter(month=month, listings_posted=1).exists()


def test_park_admin_may_refresh_too(client, cast, story, eager_tasks):
    runs = RollupRun.objects.count()
    client.force_login(cast.park_admin_a)
    assert client.post(reverse("dashboards:refresh")).status_code == 302
    assert RollupRun.objects.count() == runs + 1


@pytest.mark.parametrize("role", ["officer_a", "admin_a"])
def test_officer_or_member_cannot_refresh(client, cast, story, eager_tasks, role):
    runs = RollupRun.objects.count()
    client.force_login(cast.user(role))
    with mock.patch.object(refresh_rollups_task, "delay") as delay:
        assert client.post(reverse("dashboards:refresh")).status_code == 404
    delay.assert_not_called()
    assert RollupRun.objects.count() == runs


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/dashboards/"])
def test_refresh_goes_back_only_to_a_page_of_the_portal(client, cast, story, eager_tasks, target):
    client.force_login(cast.supervisor)
    response = client.post(reverse("dashboards:refresh"), {"next": target})
    assert response.status_code == 302
    assert response["Location"] == reverse("dashboards:index")


def test_refresh_is_post_only(client, cast, story):
    client.force_login(cast.supervisor)
    assert client.get(reverse("dashboards:refresh")).status_code == 405


# --- Query counts ---------------------------------------------------------------------------

# What a region dashboard costs, however many months of roll-ups it reads: session, user,
# region, membership and roles (5); the figures: the totals (sums, then the merged waits and
# quantities), division names, by division, by kind, the trend, the parks and the top
# clusters (8); the last run, the children regions and the unread notifications (3).
REGION_PAGE_QUERIES = 16


def test_dashboard_query_count_does_not_grow_with_the_rollup_rows(
    client, cast, story, django_assert_max_num_queries
):
    client.force_login(cast.officer_a)
    params = {"start": add_months(this_month(), -23).strftime("%Y-%m")}

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(region_url("420100"), params).status_code == 200
        return len(ctx)

    two_months = count()
    rows_two = AreaFigures.objects.count()
    monthly_story(cast, 20)  # eighteen months more (and a second offer in the first two)
    rows_twenty = AreaFigures.objects.count()
    assert rows_twenty >= rows_two + 18
    assert count() == two_months
    with django_assert_max_num_queries(REGION_PAGE_QUERIES):
        client.get(region_url("420100"), params)


# --- The API --------------------------------------------------------------------------------


def _jsonable(value):
    if isinstance(value, Decimal):
        return float(value)
    return value


@pytest.mark.parametrize(
    ("scope", "make"),
    [
        ("region", lambda: ({"region": "420100"}, region_url("420100"))),
        (
            "park",
            lambda: (
                {"park": Park.objects.get(name="武汉东湖高新区").pk},
                park_url("武汉东湖高新区"),
            ),
        ),
        (
            "cluster",
            lambda: (
                {"cluster": Cluster.objects.get(name=CLUSTER_WUHAN).pk},
                cluster_url(CLUSTER_WUHAN),
            ),
        ),
    ],
)
def test_api_returns_the_same_totals_as_the_page(client, cast, story, scope, make):
    client.force_login(cast.supervisor)
    api_params, page_url = make()
    params = {**period_params(), "kind": "capacity"}
    page = client.get(page_url, params)
    response = client.get(reverse("stats"), {**api_params, **params})
    assert response.status_code == 200
    body = response.json()
    assert body["totals"] == {k: _jsonable(v) for k, v in page.context["totals"].items()}
    assert body["totals"]["deals_confirmed"] == 2
    assert [row["period"] for row in body["series"]] == [
        r["period"].isoformat() for r in page.context["series"]
    ]
    assert body["scope"]["type"] == scope
    assert body["period"] == {
        "start": f"{params['start']}-01",
        "end": f"{params['end']}-01",
        "granularity": "quarter",
        "kind": "capacity",
    }
    computed = datetime.fromisoformat(body["computed_at"].replace("Z", "+00:00"))
    assert computed == RollupRun.objects.first().computed_at


def test_api_wants_exactly_one_scope(client, cast, story):
    client.force_login(cast.supervisor)
    api = reverse("stats")
    assert client.get(api).status_code == 400
    both = client.get(api, {"region": "420100", "park": Park.objects.get(name="襄阳高新区").pk})
    assert both.status_code == 400
    assert "scope" in both.json()
    assert client.get(api, {"region": "999999"}).status_code == 404
    assert client.get(api, {"park": "x"}).status_code == 404


# --- Public statistics ----------------------------------------------------------------------


def test_public_statistics_show_figures_but_no_enterprise_names(client, cast, story):
    response = client.get(reverse("statistics"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "数据计算于" in html
    province = figures.area_rows(region=Region.objects.get(code="420000"))
    assert (
        response.context["all_time"]["deals_confirmed"]
        == figures.totals(province)["deals_confirmed"]
    )
    main = html.split('<main id="main"', 1)[1]
    for firm in (cast.a.firm, cast.b.firm, cast.a.pending, cast.b.pending):
        assert firm.name not in html
        assert firm.credit_code not in html
    assert {NAME_A, NAME_B} == {cast.a.firm.name, cast.b.firm.name}
    # No link to any enterprise's page in the content.
    assert "/enterprises/" not in main
