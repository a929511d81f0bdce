"""Reading the dashboards' figures from the roll-ups: totals, trends and breakdowns over a
scope (a region and everything below it, a park, a cluster) and a period."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import QuerySet, Sum
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from clusters.models import Cluster, Park, Region
from portal.stats.models import AreaFigures, ClusterFigures, RollupRun

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
    qs = AreaFigures.objects.all()
    if region is not None and region.level != "province":
        qs = qs.filter(region.subtree_q("region"))
    if park is not None:
        qs = qs.filter(park=park)
    return qs


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


def _merge(rows) -> tuple[dict, dict]:
    waits: dict[str, int] = {}
    quantities: dict[str, float] = {}
    for w, q in rows:
        for k, v in (w or {}).items():
            waits[k] = waits.get(k, 0) + v
        for k, v in (q or {}).items():
            quantities[k] = quantities.get(k, 0) + v
    return waits, quantities


def totals(qs: QuerySet) -> dict:
    """Every figure for the rows in ``qs`` (already scoped and limited to the period)."""
    sums = qs.aggregate(**{name: Sum(name) for name in COUNTS}, deal_value=Sum("deal_value"))
    result = {name: sums[name] or 0 for name in COUNTS}
    result["deal_value"] = sums["deal_value"] or Decimal(0)
    capacity = qs.filter(kind="capacity").aggregate(n=Sum("deals_confirmed"), v=Sum("deal_value"))
    result["capacity_deals"] = capacity["n"] or 0
    result["capacity_value"] = capacity["v"] or Decimal(0)
    waits, quantities = _merge(qs.values_list("decision_waits", "deal_quantity"))
    result["moderation_median_hours"] = percentile_from_hours(waits, 0.5)
    result["moderation_p90_hours"] = percentile_from_hours(waits, 0.9)
    result["decisions"] = sum(waits.values())
    capacity_q = _merge(qs.filter(kind="capacity").values_list("decision_waits", "deal_quantity"))[
        1
    ]
    result["deal_quantity"] = quantities
    result["capacity_quantity"] = capacity_q
    return result


def series(
    qs: QuerySet,
    period: Period,
    names=("listings_posted", "listings_approved", "deals_confirmed", "deal_value"),
) -> list[dict]:
    """One row per month or quarter in the period, zero-filled."""
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
    rows = (
        qs.exclude(**{field: ""})
        .values(field)
        .annotate(**{n: Sum(n) for n in names})
        .order_by(field)
    )
    return [dict(row) for row in rows]


def parks_table(qs: QuerySet) -> list[dict]:
    rows = (
        qs.exclude(park=None)
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
