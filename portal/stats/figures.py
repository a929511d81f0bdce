"""Reading the dashboards' figures from the roll-ups: totals, trends and breakdowns over a
scope (a region and everything below it, a park, a cluster) and a period.

A region's rows are its own (``RegionFigures``, summed up for it by the refresh) and come in
three grains; the functions below pick the one they need, so callers pass the scope's rows
whatever the roll-up (see :func:`area_rows`)."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db import connection
from django.db.models import Q, QuerySet, Sum
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from clusters.models import Cluster, Park, Region
from portal.stats.models import AreaFigures, ClusterFigures, RegionFigures, RollupRun

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

# Every figure with its written definition; shown in the page and in docs/dashboards.md.
DEFINITIONS: dict[str, tuple] = {
    "enterprises_registered": (
        pgettext_lazy("figure", "登记企业"),
        _("期间内在平台登记的企业数（按企业所在地区和园区统计）。"),
    ),
    "enterprises_verified": (
        pgettext_lazy("figure", "认证企业"),
        _("期间内首次通过园区或平台监管认证的企业数。"),
    ),
    "listings_posted": (
        pgettext_lazy("figure", "发布信息"),
        _("期间内首次提交审核的供需信息条数（按信息所在地区、园区、类别和行业统计，下同）。"),
    ),
    "listings_approved": (
        _("审核通过"),
        _(
            "期间内审核结论为“通过”的信息条数（不含对已发布信息修改的审核）；被拒绝后修改再提交并获通过的，计一次。"
        ),
    ),
    "listings_rejected": (
        _("审核拒绝"),
        _(
            "期间内审核结论为“拒绝”的次数（不含修改审核）；同一信息修改再提交后又被拒绝的，每次都计入。"
        ),
    ),
    "moderation_median_hours": (
        _("审核用时中位数（小时）"),
        _(
            "期间内作出的全部审核结论（含修改审核）从提交到结论的用时，按小时向上取整后的中位数（最近秩法）。"
        ),
    ),
    "moderation_p90_hours": (
        _("审核用时第 90 百分位（小时）"),
        _("同上，第 90 百分位：90% 的审核在此时长内完成。"),
    ),
    "listings_matched": (_("获得匹配"), _("首次获得匹配推荐的时间落在期间内的信息条数。")),
    "inquiries_sent": (
        pgettext_lazy("figure", "对接意向"),
        _("期间内发出的对接意向数（按被询信息统计）。"),
    ),
    "inquiries_accepted": (_("接受的对接意向"), _("期间内被发布方接受的对接意向数。")),
    "deals_confirmed": (
        pgettext_lazy("figure", "确认成交"),
        _("期间内由双方确认的成交笔数；只登记未确认的不计入。"),
    ),
    "deal_value": (_("成交金额（元）"), _("确认成交的金额合计。")),
    "capacity_deals": (
        _("闲置产能盘活（笔）"),
        _("类别为“闲置产能与设备”的信息达成的确认成交笔数。"),
    ),
    "capacity_value": (
        _("闲置产能盘活金额（元）"),
        _("类别为“闲置产能与设备”的确认成交金额合计。"),
    ),
}


@dataclass
class Period:
    start: date  # first month included
    end: date  # last month included
    granularity: str = "month"  # or "quarter"

    def bucket(self, month: date) -> date:
        if self.granularity == "quarter":
            return month.replace(month=3 * ((month.month - 1) // 3) + 1)
        return month


def area_rows(*, region: Region | None = None, park: Park | None = None) -> QuerySet:
    """The rows of a region (everything in it and below it) or of a park; with neither, all
    the area rows. A region alone reads its own coarser roll-up (``RegionFigures``)."""
    if region is not None and park is None:
        return RegionFigures.objects.filter(region=region)
    qs = AreaFigures.objects.all()
    if region is not None and region.level != "province":
        qs = qs.filter(region.subtree_q("region"))
    if park is not None:
        qs = qs.filter(park=park)
    return qs


def _grain(qs: QuerySet, grain: str) -> QuerySet:
    """The rows of one grain of the region roll-up; other roll-ups have only one."""
    return qs.filter(grain=grain) if qs.model is RegionFigures else qs


def cluster_rows(cluster: Cluster) -> QuerySet:
    return ClusterFigures.objects.filter(cluster=cluster)


def in_period(qs: QuerySet, period: Period, kind: str | None = None) -> QuerySet:
    qs = qs.filter(month__gte=period.start, month__lte=period.end)
    return qs.filter(kind=kind) if kind else qs


def percentile_from_hours(histogram: dict[str, int], fraction: float) -> int | None:
    """Nearest-rank percentile of whole-hour waits, from their histogram."""
    total = sum(histogram.values())
    if total == 0:
        return None
    # Nearest rank: the smallest wait with at least fraction × total waits at or below it.
    rank = max(1, math.ceil(fraction * total - 1e-9))
    seen = 0
    for hours in sorted(histogram, key=int):
        seen += histogram[hours]
        if seen >= rank:
            return int(hours)
    return int(max(histogram, key=int))  # pragma: no cover - rank ≤ total always stops above


def _merge(qs: QuerySet) -> tuple[dict, dict, dict]:
    """The rows' wait histograms and deal quantities added up: (waits, quantities, the
    quantities of capacity deals). One query; on PostgreSQL the database adds them up
    (``jsonb_each`` … ``GROUP BY``), elsewhere Python does."""
    if connection.vendor == "postgresql":
        return _merge_in_sql(qs)
    return _merge_in_python(qs)


def _merged_rows(qs: QuerySet) -> QuerySet:
    return qs.order_by().values("kind", "decision_waits", "deal_quantity")


def _merge_in_sql(qs: QuerySet) -> tuple[dict, dict, dict]:
    sql, params = _merged_rows(qs).query.sql_with_params()
    waits: dict[str, int] = {}
    quantities: dict[str, float] = {}
    capacity: dict[str, float] = {}
    # ``sql`` is the ORM's own query, its values passed as parameters.
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT false, false, e.key, sum(e.value::bigint) FROM ({sql}) r "  # noqa: S608
            "CROSS JOIN LATERAL jsonb_each_text(r.decision_waits) e GROUP BY e.key "
            "UNION ALL "
            "SELECT true, r.kind = 'capacity', e.key, sum(e.value::float8) "
            f"FROM ({sql}) r CROSS JOIN LATERAL jsonb_each_text(r.deal_quantity) e "
            "GROUP BY 2, e.key",
            (*params, *params),
        )
        for is_quantity, is_capacity, key, value in cursor.fetchall():
            if not is_quantity:
                waits[key] = int(value)
                continue
            quantities[key] = quantities.get(key, 0) + value
            if is_capacity:
                capacity[key] = value
    return waits, quantities, capacity


def _merge_in_python(qs: QuerySet) -> tuple[dict, dict, dict]:
    waits: dict[str, int] = {}
    quantities: dict[str, float] = {}
    capacity: dict[str, float] = {}
    for row in _merged_rows(qs):
        for k, v in (row["decision_waits"] or {}).items():
            waits[k] = waits.get(k, 0) + v
        for k, v in (row["deal_quantity"] or {}).items():
            quantities[k] = quantities.get(k, 0) + v
            if row["kind"] == "capacity":
                capacity[k] = capacity.get(k, 0) + v
    return waits, quantities, capacity


def totals(qs: QuerySet) -> dict:
    """Every figure for the rows in ``qs`` (already scoped and limited to the period), in
    two queries."""
    qs = _grain(qs, RegionFigures.TOTAL)
    capacity = Q(kind="capacity")
    # Aliases other than the fields' names: an aggregate may not refer to another's alias.
    sums = qs.aggregate(
        **{f"sum_{name}": Sum(name) for name in (*COUNTS, "deal_value")},
        sum_capacity_deals=Sum("deals_confirmed", filter=capacity),
        sum_capacity_value=Sum("deal_value", filter=capacity),
    )
    result = {name: sums[f"sum_{name}"] or 0 for name in (*COUNTS, "capacity_deals")}
    result["deal_value"] = sums["sum_deal_value"] or Decimal(0)
    result["capacity_value"] = sums["sum_capacity_value"] or Decimal(0)
    waits, quantities, capacity_q = _merge(qs)
    result["moderation_median_hours"] = percentile_from_hours(waits, 0.5)
    result["moderation_p90_hours"] = percentile_from_hours(waits, 0.9)
    result["decisions"] = sum(waits.values())
    result["deal_quantity"] = quantities
    result["capacity_quantity"] = capacity_q
    return result


def series(
    qs: QuerySet,
    period: Period,
    names=("listings_posted", "listings_approved", "deals_confirmed", "deal_value"),
) -> list[dict]:
    """One row per month or quarter in the period, zero-filled."""
    qs = _grain(qs, RegionFigures.TOTAL)
    buckets: dict[date, dict] = {}
    month = period.start
    while month <= period.end:
        buckets.setdefault(period.bucket(month), dict.fromkeys(names, 0))
        month = date(month.year + (month.month == 12), month.month % 12 + 1, 1)
    for row in qs.values("month").annotate(**{n: Sum(n) for n in names}):
        target = buckets.setdefault(period.bucket(row["month"]), dict.fromkeys(names, 0))
        for n in names:
            target[n] += row[n] or 0
    return [{"period": key, **values} for key, values in sorted(buckets.items())]


def breakdown(
    qs: QuerySet,
    field: str,
    names=("listings_posted", "listings_approved", "deals_confirmed", "deal_value"),
) -> list[dict]:
    """Sums by ``field`` (``kind`` or ``division``), leaving out the rows without one."""
    grain = RegionFigures.DIVISION if field == "division" else RegionFigures.TOTAL
    rows = (
        _grain(qs, grain)
        .exclude(**{field: ""})
        .values(field)
        .annotate(**{n: Sum(n) for n in names})
        .order_by(field)
    )
    return [dict(row) for row in rows]


def parks_table(qs: QuerySet) -> list[dict]:
    rows = (
        _grain(qs, RegionFigures.PARK)
        .exclude(park=None)
        .values("park", "park__name")
        .annotate(
            listings_posted=Sum("listings_posted"),
            listings_approved=Sum("listings_approved"),
            inquiries_sent=Sum("inquiries_sent"),
            deals_confirmed=Sum("deals_confirmed"),
            deal_value=Sum("deal_value"),
            enterprises_verified=Sum("enterprises_verified"),
        )
        .order_by("-deals_confirmed", "-listings_approved", "park__name")
    )
    return list(rows)


def top_clusters(
    period: Period, *, region: Region | None = None, kind: str | None = None, limit: int = 10
) -> list[dict]:
    qs = in_period(ClusterFigures.objects.all(), period, kind)
    if region is not None and region.level != "province":
        qs = qs.filter(region.subtree_q("cluster__region"))
    rows = (
        qs.values("cluster", "cluster__name")
        .annotate(
            deals_confirmed=Sum("deals_confirmed"),
            deal_value=Sum("deal_value"),
            listings_approved=Sum("listings_approved"),
        )
        .filter(deals_confirmed__gt=0)
        .order_by("-deals_confirmed", "-deal_value")[:limit]
    )
    return list(rows)


def last_run() -> RollupRun | None:
    return RollupRun.objects.first()
