from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from clusters import access
from clusters.models import Cluster, Park, Region
from portal.stats import figures
from portal.stats.views import PeriodForm


class StatsSerializer(serializers.Serializer):
    scope = serializers.DictField()
    period = serializers.DictField()
    computed_at = serializers.DateTimeField(allow_null=True)
    totals = serializers.DictField()
    series = serializers.ListField(child=serializers.DictField())
    by_kind = serializers.ListField(child=serializers.DictField())
    by_division = serializers.ListField(child=serializers.DictField())
    parks = serializers.ListField(child=serializers.DictField())


class StatsView(APIView):
    """The dashboards' figures for one scope (exactly one of ``region``, ``park``,
    ``cluster``) and period, read from the roll-ups. Outside the user's scope: 404."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        parameters=[
            OpenApiParameter("region", str, description="GB/T 2260 code, e.g. 420100"),
            OpenApiParameter("park", int),
            OpenApiParameter("cluster", int),
            OpenApiParameter("start", str, description="YYYY-MM"),
            OpenApiParameter("end", str, description="YYYY-MM"),
            OpenApiParameter("granularity", str, enum=["month", "quarter"]),
            OpenApiParameter("kind", str, enum=["capacity", "technology", "order", "talent"]),
        ],
        responses={200: StatsSerializer, 400: dict, 404: dict},
    )
    def get(self, request):
        params = request.query_params
        chosen = [k for k in ("region", "park", "cluster") if params.get(k)]
        if len(chosen) != 1:
            raise ValidationError({"scope": ["give exactly one of region, park, cluster"]})
        key = chosen[0]
        value = params[key]
        try:
            if key == "region":
                obj = Region.objects.get(code=value)
                rows = figures.area_rows(region=obj)
            elif key == "park":
                obj = Park.objects.select_related("region").get(pk=int(value))
                rows = figures.area_rows(park=obj)
            else:
                obj = Cluster.objects.select_related("region").get(pk=int(value))
                rows = figures.cluster_rows(obj)
        except (ValueError, Region.DoesNotExist, Park.DoesNotExist, Cluster.DoesNotExist):
            raise Http404 from None
        if not access.can(request.user, "view_dashboard", obj):
            raise Http404
        form = PeriodForm(params)
        if not form.is_valid():
            raise ValidationError(form.errors)
        period = form.cleaned_data["period"]
        kind = form.cleaned_data.get("kind") or None
        qs = figures.in_period(rows, period, kind)
        run = figures.last_run()

        def plain(row):
            return {
                k: (
                    float(v)
                    if hasattr(v, "as_tuple")
                    else v.isoformat()
                    if hasattr(v, "isoformat")
                    else v
                )
                for k, v in row.items()
            }

        return Response(
            {
                "scope": {"type": key, "id": value, "name": str(obj)},
                "period": {
                    "start": period.start.isoformat(),
                    "end": period.end.isoformat(),
                    "granularity": period.granularity,
                    "kind": kind,
                },
                "computed_at": run.computed_at if run else None,
                "totals": plain(figures.totals(qs)),
                "series": [plain(r) for r in figures.series(qs, period)],
                "by_kind": [
                    plain(r) for r in figures.breakdown(figures.in_period(rows, period), "kind")
                ],
                "by_division": [plain(r) for r in figures.breakdown(qs, "division")]
                if key != "cluster"
                else [],
                "parks": [plain(r) for r in figures.parks_table(qs)] if key == "region" else [],
            }
        )
