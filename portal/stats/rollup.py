"""Recompute the dashboard roll-ups from the raw records.

Each figure is one grouped query (month × place × kind × industry division, and month ×
cluster × kind) over its records as ``sources.py`` defines them. The region pages' coarser
rows (``RegionFigures``) are sums of those area rows, made in the same refresh, so the two
cannot drift apart. The rows are replaced in one transaction, so readers keep seeing the old
figures until the new ones commit (PostgreSQL's MVCC: a refresh never blocks a reader).
"""

from __future__ import annotations

import math
import time
from collections import defaultdict
from decimal import Decimal

from django.db import connection, transaction
from django.db.models import Count, DateField, Sum
from django.db.models.functions import TruncMonth

from clusters.models import Region
from portal.stats.models import AreaFigures, ClusterFigures, RegionFigures, RollupRun
from portal.stats.sources import SOURCES

COUNT_FIELDS = (
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


def _month(field: str) -> TruncMonth:
    return TruncMonth(field, output_field=DateField())


class _Acc:
    """Rows being built, keyed by their dimensions."""

    def __init__(self):
        self.rows: dict[tuple, dict] = defaultdict(
            lambda: {"deal_value": Decimal(0), "deal_quantity": {}, "decision_waits": {}}
        )

    def add(self, key: tuple, name: str, value) -> None:
        row = self.rows[key]
        row[name] = row.get(name, 0) + value

    def add_to_map(self, key: tuple, name: str, item: str, value) -> None:
        bucket = self.rows[key][name]
        bucket[item] = bucket.get(item, 0) + value


def _area_key(month, region, park, kind="", division=""):
    return (month, region, park, kind or "", division or "")


def _collect(
    acc: _Acc,
    qs,
    date_field: str,
    prefix: str,
    name: str,
    *,
    cluster: bool,
    with_listing: bool = True,
    agg=None,
) -> None:
    """Group ``qs`` by month of ``date_field`` and by place (through ``prefix`` to the
    listing or enterprise) and add the counts (or ``agg``) to ``name``."""
    if cluster:
        enterprise = f"{prefix}enterprise__" if with_listing else prefix
        dims = [f"{enterprise}clusters"] + ([f"{prefix}kind"] if with_listing else [])
    else:
        dims = [f"{prefix}region", f"{prefix}park"] + (
            [f"{prefix}kind", f"{prefix}division"] if with_listing else []
        )
    rows = (
        qs.filter(**{f"{date_field}__isnull": False})
        .annotate(m=_month(date_field))
        .values("m", *dims)
        .annotate(n=agg if agg is not None else Count("pk", distinct=True))
    )
    for row in rows:
        if cluster:
            if row[dims[0]] is None:
                continue
            key = (row["m"], row[dims[0]], row[dims[1]] if with_listing else "")
        else:
            key = _area_key(row["m"], row[dims[0]], row[dims[1]], *(row[d] for d in dims[2:]))
        acc.add(key, name, row["n"] or 0)


def _collect_all(cluster: bool) -> _Acc:
    acc = _Acc()
    for name, source in SOURCES.items():
        if name == "decisions":
            continue  # waiting times, as a histogram: _collect_waits
        _collect(
            acc,
            source.queryset(),
            source.date_field,
            source.prefix,
            name,
            cluster=cluster,
            with_listing=source.with_listing,
        )
    confirmed = SOURCES["deals_confirmed"]
    _collect(
        acc,
        confirmed.queryset(),
        confirmed.date_field,
        confirmed.prefix,
        "deal_value",
        cluster=cluster,
        agg=Sum("value_yuan"),
    )
    _collect_quantities(acc, confirmed.queryset(), cluster=cluster)
    _collect_waits(acc, cluster=cluster)
    return acc


def _collect_quantities(acc: _Acc, confirmed, *, cluster: bool) -> None:
    dims = (
        ["inquiry__listing__enterprise__clusters", "inquiry__listing__kind"]
        if cluster
        else [
            "inquiry__listing__region",
            "inquiry__listing__park",
            "inquiry__listing__kind",
            "inquiry__listing__division",
        ]
    )
    rows = (
        confirmed.exclude(quantity=None)
        .annotate(m=_month("confirmed_at"))
        .values("m", "unit", *dims)
        .annotate(q=Sum("quantity"))
    )
    for row in rows:
        if cluster:
            if row[dims[0]] is None:
                continue
            key = (row["m"], row[dims[0]], row[dims[1]])
        else:
            key = _area_key(row["m"], *(row[d] for d in dims))
        acc.add_to_map(key, "deal_quantity", row["unit"] or "-", float(row["q"] or 0))


def wait_hours(submitted_at, decided_at) -> int:
    """A decision's waiting time in whole hours, rounded up (a 10-minute wait is 1 hour)."""
    seconds = (decided_at - submitted_at).total_seconds()
    return max(0, math.ceil(seconds / 3600))


def _collect_waits(acc: _Acc, *, cluster: bool) -> None:
    from django.utils import timezone

    dims = (
        ["listing__enterprise__clusters", "listing__kind"]
        if cluster
        else ["listing__region", "listing__park", "listing__kind", "listing__division"]
    )
    rows = SOURCES["decisions"].queryset().values_list("submitted_at", "decided_at", *dims)
    for submitted, decided, *place in rows.iterator(chunk_size=5000):
        local = timezone.localtime(decided)
        month = local.date().replace(day=1)
        if cluster:
            if place[0] is None:
                continue
            key = (month, place[0], place[1])
        else:
            key = _area_key(month, *place)
        acc.add_to_map(key, "decision_waits", str(wait_hours(submitted, decided)), 1)


def _scopes() -> dict[int, list[int]]:
    """Each region's id → the ids of the regions whose page counts it: itself, the regions
    above it as ``Region.subtree_q`` has them, and the province (whose page counts all)."""
    regions = list(Region.objects.only("pk", "code", "level"))
    prefixes = [(r.pk, r.level == "province", r.code_prefix()) for r in regions]
    return {
        region.pk: [
            pk
            for pk, everything, prefix in prefixes
            if everything or region.code.startswith(prefix)
        ]
        for region in regions
    }


def _region_rows(area: _Acc) -> _Acc:
    """The area rows summed up per region scope, in three grains (see ``RegionFigures``):
    month × scope × kind with everything, and by industry division and by park the counts
    and the deal value."""
    scopes = _scopes()
    acc = _Acc()
    sums = (*COUNT_FIELDS, "deal_value")
    for (month, region, park, kind, division), values in area.rows.items():
        present = [name for name in sums if name in values]
        for scope in scopes.get(region, ()):
            total = (month, scope, kind, RegionFigures.TOTAL, "", None)
            keys = [total]
            if division:
                keys.append((month, scope, kind, RegionFigures.DIVISION, division, None))
            if park is not None:
                keys.append((month, scope, kind, RegionFigures.PARK, "", park))
            for key in keys:
                for name in present:
                    acc.add(key, name, values[name])
            for name in ("deal_quantity", "decision_waits"):
                for item, value in values[name].items():
                    acc.add_to_map(total, name, item, value)
    return acc


def _build(acc: _Acc, model, key_fields: tuple[str, ...]) -> list:
    objs = []
    for key, values in acc.rows.items():
        fields = dict(zip(key_fields, key, strict=True))
        objs.append(model(**fields, **values))
    return objs


def _lock_rollups() -> None:
    """One refresh at a time. Without the lock, a second refresh's DELETE (its snapshot taken
    before the first one committed) misses the first one's new rows, and both sets stay.
    EXCLUSIVE mode still lets readers (ACCESS SHARE) in; SQLite locks the whole database."""
    if connection.vendor == "postgresql":
        tables = ", ".join(
            connection.ops.quote_name(m._meta.db_table)
            for m in (AreaFigures, RegionFigures, ClusterFigures)
        )
        with connection.cursor() as cursor:
            cursor.execute(f"LOCK TABLE {tables} IN EXCLUSIVE MODE")


def rollups_refresh() -> RollupRun:
    """Recompute every roll-up row; returns the run with its timing."""
    started = time.monotonic()
    area_acc = _collect_all(cluster=False)
    area = _build(area_acc, AreaFigures, ("month", "region_id", "park_id", "kind", "division"))
    regions = _build(
        _region_rows(area_acc),
        RegionFigures,
        ("month", "region_id", "kind", "grain", "division", "park_id"),
    )
    del area_acc
    clusters = _build(_collect_all(cluster=True), ClusterFigures, ("month", "cluster_id", "kind"))
    with transaction.atomic():
        _lock_rollups()
        AreaFigures.objects.all().delete()
        RegionFigures.objects.all().delete()
        ClusterFigures.objects.all().delete()
        AreaFigures.objects.bulk_create(area, batch_size=2000)
        RegionFigures.objects.bulk_create(regions, batch_size=2000)
        ClusterFigures.objects.bulk_create(clusters, batch_size=2000)
        run = RollupRun.objects.create(
            seconds=round(time.monotonic() - started, 3),
            rows=len(area) + len(regions) + len(clusters),
        )
    return run
