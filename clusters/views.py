from django.shortcuts import get_object_or_404, render

from clusters import selectors
from clusters.filters import ParkFilter


def cluster_detail(request, pk: int):
    cluster = get_object_or_404(selectors.clusters(), pk=pk)
    parks = selectors.parks().filter(clusters=cluster)
    return render(request, "clusters/cluster_detail.html", {"cluster": cluster, "parks": parks})


def park_detail(request, pk: int):
    park = get_object_or_404(selectors.parks(), pk=pk)
    return render(request, "clusters/park_detail.html", {"park": park})


def park_list(request):
    filterset = ParkFilter(request.GET or None, queryset=selectors.parks())
    return render(request, "clusters/park_list.html", {"filter": filterset, "parks": filterset.qs})


def region_detail(request, code: str):
    region = get_object_or_404(selectors.regions(), code=code)
    inside = region.subtree_q("region")
    context = {
        "region": region,
        "children": selectors.children_with_counts(region),
        "clusters": selectors.clusters().filter(inside),
        "parks": selectors.parks().filter(inside),
    }
    return render(request, "clusters/region_detail.html", context)
