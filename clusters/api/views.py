from drf_spectacular.utils import extend_schema
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from clusters import selectors
from clusters.api.serializers import (
    ClusterSerializer,
    IndustryCodeSerializer,
    IndustryCodeTreeSerializer,
    ParkSerializer,
    RegionSerializer,
)
from clusters.filters import ClusterFilter, IndustryCodeFilterSet, ParkFilter, RegionFilter


class ReferenceViewSet(viewsets.ReadOnlyModelViewSet):
    """Public reference data: readable by anyone, written only through the admin."""

    permission_classes = [AllowAny]


class RegionViewSet(ReferenceViewSet):
    """Hubei's administrative divisions (GB/T 2260), looked up by code."""

    serializer_class = RegionSerializer
    filterset_class = RegionFilter
    lookup_field = "code"

    def get_queryset(self):
        return selectors.regions()


class IndustryCodeViewSet(ReferenceViewSet):
    """GB/T 4754-2017 industry codes; ``q`` searches by code prefix or name."""

    serializer_class = IndustryCodeSerializer
    filterset_class = IndustryCodeFilterSet
    lookup_field = "code"

    def get_queryset(self):
        return selectors.industry_codes()

    @extend_schema(responses=IndustryCodeTreeSerializer(many=True))
    @action(detail=False, pagination_class=None, filterset_class=None)
    def tree(self, request):
        """The whole tree (20 sections down to 1,381 classes), nested, in one response."""
        nodes = list(selectors.industry_codes().only("code", "name", "level", "parent__code"))
        children: dict[str, list] = {}
        roots = []
        for node in nodes:
            if node.parent_id is None:
                roots.append(node)
            else:
                children.setdefault(node.parent.code, []).append(node)
        data = IndustryCodeTreeSerializer(roots, many=True, context={"children": children}).data
        return Response(data)


class ClusterViewSet(ReferenceViewSet):
    """Industrial clusters (产业集群); ``region`` includes every division below it."""

    serializer_class = ClusterSerializer
    filterset_class = ClusterFilter

    def get_queryset(self):
        return selectors.clusters()


class ParkViewSet(ReferenceViewSet):
    """Development zones and industrial parks (开发区/工业园区)."""

    serializer_class = ParkSerializer
    filterset_class = ParkFilter

    def get_queryset(self):
        return selectors.parks()
