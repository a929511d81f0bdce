"""Reads of the reference data, with the prefetching each page and endpoint needs."""

from django.db.models import Count, Prefetch, QuerySet

from clusters.models import Cluster, IndustryCode, Park, Region


def regions() -> QuerySet[Region]:
    return Region.objects.select_related("parent")


def industry_codes() -> QuerySet[IndustryCode]:
    return IndustryCode.objects.select_related("parent")


def clusters() -> QuerySet[Cluster]:
    return Cluster.objects.select_related("region").prefetch_related("industry_codes")


def parks() -> QuerySet[Park]:
    return Park.objects.select_related("region").prefetch_related(
        "industry_codes", Prefetch("clusters", queryset=Cluster.objects.only("id", "name"))
    )


def prefectures_with_counts() -> list[Region]:
    """The 17 top-level units with the clusters and parks anywhere inside each."""
    top = list(Region.objects.top_level())
    cluster_counts = _count_by_prefix(Cluster.objects.values_list("region__code", flat=True))
    park_counts = _count_by_prefix(Park.objects.values_list("region__code", flat=True))
    for region in top:
        region.cluster_count = cluster_counts.get(region.code_prefix(), 0)
        region.park_count = park_counts.get(region.code_prefix(), 0)
    return top


def _count_by_prefix(codes) -> dict[str, int]:
    counts: dict[str, int] = {}
    for code in codes:
        # A top-level unit is either a prefecture (prefix of 4) or a province-administered
        # county-level city (its full code); count under both candidate keys.
        counts[code[:4]] = counts.get(code[:4], 0) + 1
        if code[:4] != code:
            counts[code] = counts.get(code, 0) + 1
    return counts


def children_with_counts(region: Region) -> QuerySet[Region]:
    return region.children.annotate(
        n_clusters=Count("clusters", distinct=True), n_parks=Count("parks", distinct=True)
    )
