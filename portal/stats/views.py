"""Government dashboards: what the sharing achieves, per region, park and cluster.

Every dashboard asks the access policy (``view_dashboard``): officers see their region and
what lies inside it, park administrators their parks, platform supervisors everything;
anyone else gets a 404. Figures come from the roll-ups, never from the raw tables.
"""

from __future__ import annotations

import csv
import io
from datetime import date

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.http import content_disposition_header, url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext
from django.views.decorators.http import require_POST

from clusters import access
from clusters.models import Cluster, IndustryCode, Park, Region
from portal.stats import figures
from portal.stats.figures import DEFINITIONS, Period
from sharing.choices import ListingKind


class PeriodForm(forms.Form):
    start = forms.CharField(
        label=gettext_lazy("起始月份"),
        required=False,
        max_length=7,
        widget=forms.TextInput(attrs={"type": "month"}),
    )
    end = forms.CharField(
        label=gettext_lazy("截止月份"),
        required=False,
        max_length=7,
        widget=forms.TextInput(attrs={"type": "month"}),
    )
    granularity = forms.ChoiceField(
        label=gettext_lazy("周期"),
        required=False,
        choices=[("month", gettext_lazy("按月")), ("quarter", gettext_lazy("按季度"))],
    )
    kind = forms.ChoiceField(
        label=gettext_lazy("类别"),
        required=False,
        choices=[("", gettext_lazy("全部类别")), *ListingKind.choices],
    )

    @staticmethod
    def _month(value: str, field: str) -> date | None:
        if not value:
            return None
        try:
            year, month = (int(x) for x in value.split("-"))
            return date(year, month, 1)
        except ValueError:
            raise forms.ValidationError({field: _("请按 YYYY-MM 格式填写月份。")}) from None

    def clean(self):
        data = super().clean()
        today = timezone.localdate().replace(day=1)
        end = self._month(data.get("end", ""), "end") or today
        start = self._month(data.get("start", ""), "start") or date(
            end.year - 1 + (end.month == 12), end.month % 12 + 1, 1
        )
        if start > end:
            raise forms.ValidationError({"end": _("截止月份不能早于起始月份。")})
        if (end.year - start.year) * 12 + end.month - start.month > 120:
            raise forms.ValidationError({"start": _("时间范围最长 10 年。")})
        data["period"] = Period(start, end, data.get("granularity") or "month")
        return data


def _require(user, obj) -> None:
    if not user.is_authenticated or not access.can(user, "view_dashboard", obj):
        raise Http404


def _context(
    request, *, title: str, rows, scope_params: dict, region=None, park=None, cluster=None
):
    form = PeriodForm(request.GET)
    if not form.is_valid():
        return {"form": form, "title": title, "invalid": True}, None
    period = form.cleaned_data["period"]
    kind = form.cleaned_data.get("kind") or None
    qs = figures.in_period(rows, period, kind)
    totals = figures.totals(qs)
    division_names = dict(IndustryCode.objects.filter(level="division").values_list("code", "name"))
    divisions = figures.breakdown(qs, "division") if cluster is None else []
    for row in divisions:
        row["name"] = f"{row['division']} {division_names.get(row['division'], '')}"
    kinds = figures.breakdown(figures.in_period(rows, period), "kind")
    for row in kinds:
        row["name"] = str(ListingKind(row["kind"]).label)
    context = {
        "form": form,
        "title": title,
        "period": period,
        "kind": kind,
        "kind_label": ListingKind(kind).label if kind else "",
        "totals": totals,
        "funnel": [
            (name, DEFINITIONS[name][0], totals[name], DEFINITIONS[name][1])
            for name in (
                "enterprises_registered",
                "enterprises_verified",
                "listings_posted",
                "listings_approved",
                "listings_rejected",
                "listings_matched",
                "inquiries_sent",
                "inquiries_accepted",
                "deals_confirmed",
                "deal_value",
                "capacity_deals",
                "capacity_value",
                "moderation_median_hours",
                "moderation_p90_hours",
            )
        ],
        "series": figures.series(qs, period),
        "divisions": divisions,
        "kinds": kinds,
        "parks": figures.parks_table(qs) if park is None and cluster is None else [],
        "clusters": (
            figures.top_clusters(period, region=region, kind=kind) if region is not None else []
        ),
        "run": figures.last_run(),
        "region": region,
        "park": park,
        "cluster": cluster,
        "scope_params": scope_params,
        "query": request.GET.urlencode(),
    }
    context.update(chart_data(context))
    return context, qs


def _num(value) -> float | int:
    return float(value) if hasattr(value, "as_tuple") else (value or 0)


def chart_data(context) -> dict:
    """What the ECharts on the page draw; the same numbers are in the tables below them."""
    t = context["totals"]
    steps = (
        "enterprises_verified",
        "listings_posted",
        "listings_approved",
        "listings_matched",
        "inquiries_sent",
        "inquiries_accepted",
        "deals_confirmed",
    )
    names = ("listings_posted", "listings_approved", "deals_confirmed", "deal_value")
    labels = {n: str(DEFINITIONS[n][0]) for n in names}

    def bars(rows):
        return {
            "categories": [r["name"] for r in rows],
            "series": [
                {"name": labels[n], "data": [_num(r[n]) for r in rows]}
                for n in names
                if n != "deal_value"
            ],
        }

    return {
        "funnel_chart": [{"name": str(DEFINITIONS[s][0]), "value": _num(t[s])} for s in steps],
        "series_chart": {
            "categories": [r["period"].strftime("%Y-%m") for r in context["series"]],
            "series": [
                {
                    "name": labels[n],
                    "data": [_num(r[n]) for r in context["series"]],
                    "axis": 1 if n == "deal_value" else 0,
                }
                for n in names
            ],
        },
        "kinds_chart": bars(context["kinds"]),
        "divisions_chart": bars(context["divisions"][:15]),
    }


def _render(request, context, export_format: str | None):
    if export_format is not None and context.get("invalid"):
        errors = "; ".join(f"{k}: {' '.join(v)}" for k, v in context["form"].errors.items())
        return HttpResponse(errors, status=400, content_type="text/plain; charset=utf-8")
    if export_format == "csv":
        return _csv(context)
    if export_format == "xlsx":
        return _xlsx(context)
    if export_format is not None:
        raise Http404
    status = 400 if context.get("invalid") else 200
    return render(request, "portal/dashboard.html", context, status=status)


@login_required
def dashboard_index(request):
    """The dashboards this user may open."""
    p = access.principal(request.user)
    if not (p.platform_supervisor or p.is_officer or p.park_ids):
        raise Http404
    regions = [
        r
        for r in Region.objects.filter(level__in=["province", "prefecture"]).order_by("code")
        if access.can(request.user, "view_dashboard", r)
    ]
    regions += [
        r
        for r in Region.objects.top_level().filter(level="county")
        if access.can(request.user, "view_dashboard", r)
    ]
    for region in p.officer_regions:
        if region not in regions:
            regions.append(region)
    parks = [
        pk
        for pk in Park.objects.select_related("region").order_by("region__code", "name")
        if access.can(request.user, "view_dashboard", pk)
    ]
    clusters = [
        c
        for c in Cluster.objects.select_related("region").order_by("region__code")
        if access.can(request.user, "view_dashboard", c)
    ]
    return render(
        request,
        "portal/dashboard_index.html",
        {
            "regions": regions,
            "parks": parks,
            "clusters": clusters,
            "run": figures.last_run(),
        },
    )


@login_required
def region_dashboard(request, code: str, export_format: str | None = None):
    region = get_object_or_404(Region.objects.select_related("parent"), code=code)
    _require(request.user, region)
    context, _qs = _context(
        request,
        title=region.name,
        rows=figures.area_rows(region=region),
        scope_params={"region": region.code},
        region=region,
    )
    context["children"] = [
        c for c in region.children.order_by("code") if access.can(request.user, "view_dashboard", c)
    ]
    return _render(request, context, export_format)


@login_required
def park_dashboard(request, pk: int, export_format: str | None = None):
    park = get_object_or_404(Park.objects.select_related("region"), pk=pk)
    _require(request.user, park)
    context, _qs = _context(
        request,
        title=park.name,
        rows=figures.area_rows(park=park),
        scope_params={"park": park.pk},
        park=park,
    )
    return _render(request, context, export_format)


@login_required
def cluster_dashboard(request, pk: int, export_format: str | None = None):
    cluster = get_object_or_404(Cluster.objects.select_related("region"), pk=pk)
    _require(request.user, cluster)
    context, _qs = _context(
        request,
        title=cluster.name,
        rows=figures.cluster_rows(cluster),
        scope_params={"cluster": cluster.pk},
        cluster=cluster,
    )
    return _render(request, context, export_format)


@login_required
@require_POST
def refresh(request):
    """Supervisors refresh the roll-ups on demand (in the background)."""
    from portal.tasks import refresh_rollups_task

    if not access.principal(request.user).is_supervisor:
        raise Http404
    refresh_rollups_task.delay()
    messages.success(request, _("已开始重新计算统计数据，稍后刷新页面查看。"))
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = "dashboards:index"  # back to the portal only, never to another site
    return redirect(target)


def public_statistics(request):
    """A few province-wide figures for everyone; no enterprise identities."""
    province = Region.objects.filter(level="province").first()
    rows = figures.area_rows(region=province) if province else figures.area_rows()
    today = timezone.localdate().replace(day=1)
    year = Period(date(today.year - 1 + (today.month == 12), today.month % 12 + 1, 1), today)
    return render(
        request,
        "portal/statistics.html",
        {
            "all_time": figures.totals(rows),
            "last_year": figures.totals(figures.in_period(rows, year)),
            "series": figures.series(figures.in_period(rows, year), year),
            "kinds": [
                dict(r, name=str(ListingKind(r["kind"]).label))
                for r in figures.breakdown(rows, "kind")
            ],
            "definitions": DEFINITIONS,
            "run": figures.last_run(),
        },
    )


# --- Export ------------------------------------------------------------------------------------


def _export_rows(context) -> list[tuple[str, list[str], list[list]]]:
    """(sheet name, header, rows) for every table of the dashboard."""
    totals = context["totals"]
    summary = [
        [label, totals[name] if totals[name] is not None else "", str(definition)]
        for name, label, _value, definition in context["funnel"]
    ]
    trend = [
        [
            row["period"].strftime("%Y-%m"),
            row["listings_posted"],
            row["listings_approved"],
            row["deals_confirmed"],
            row["deal_value"],
        ]
        for row in context["series"]
    ]
    kinds = [
        [
            r["name"],
            r["listings_posted"],
            r["listings_approved"],
            r["deals_confirmed"],
            r["deal_value"],
        ]
        for r in context["kinds"]
    ]
    divisions = [
        [
            r["name"],
            r["listings_posted"],
            r["listings_approved"],
            r["deals_confirmed"],
            r["deal_value"],
        ]
        for r in context["divisions"]
    ]
    parks = [
        [
            r["park__name"],
            r["enterprises_verified"],
            r["listings_posted"],
            r["listings_approved"],
            r["inquiries_sent"],
            r["deals_confirmed"],
            r["deal_value"],
        ]
        for r in context["parks"]
    ]
    clusters = [
        [r["cluster__name"], r["listings_approved"], r["deals_confirmed"], r["deal_value"]]
        for r in context["clusters"]
    ]
    # The figures' names (context "figure"): "确认成交" alone is the button "Confirm deal".
    posted, confirmed = pgettext("figure", "发布信息"), pgettext("figure", "确认成交")
    common = [posted, _("审核通过"), confirmed, _("成交金额（元）")]
    return [
        (_("汇总"), [_("指标"), _("数值"), _("定义")], summary),
        (_("趋势"), [_("周期"), *common], trend),
        (_("按类别"), [_("类别"), *common], kinds),
        (_("按行业"), [_("行业大类"), *common], divisions),
        (
            _("园区"),
            [
                _("园区"),
                pgettext("figure", "认证企业"),
                posted,
                _("审核通过"),
                pgettext("figure", "对接意向"),
                confirmed,
                _("成交金额（元）"),
            ],
            parks,
        ),
        (
            _("产业集群"),
            [_("产业集群"), _("审核通过"), confirmed, _("成交金额（元）")],
            clusters,
        ),
    ]


def _meta(context) -> list[list[str]]:
    period = context["period"]
    run = context["run"]
    return [
        [_("范围"), context["title"]],
        [_("期间"), f"{period.start:%Y-%m} ~ {period.end:%Y-%m}"],
        [_("周期"), _("按季度") if period.granularity == "quarter" else _("按月")],
        [_("类别"), str(ListingKind(context["kind"]).label) if context["kind"] else _("全部类别")],
        [
            _("数据计算时间"),
            timezone.localtime(run.computed_at).strftime("%Y-%m-%d %H:%M")
            if run
            else _("尚未计算"),
        ],
        [_("导出时间"), timezone.localtime().strftime("%Y-%m-%d %H:%M")],
    ]


def _filename(context, ext: str) -> str:
    """The scope, the period and the kind, so that saved exports tell themselves apart."""
    period = context["period"]
    parts = [context["title"], _("成效看板"), f"{period.start:%Y%m}-{period.end:%Y%m}"]
    if context["kind"]:
        parts.append(str(context["kind_label"]))
    return "-".join(parts) + f".{ext}"


def _attach(response: HttpResponse, context, ext: str) -> HttpResponse:
    # RFC 6266: the Chinese name travels as filename* (UTF-8, percent-encoded).
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=_filename(context, ext)
    )
    return response


def _csv(context) -> HttpResponse:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for row in _meta(context):
        writer.writerow(["#", *row])
    for name, header, rows in _export_rows(context):
        writer.writerow([])
        writer.writerow([f"[{name}]"])
        writer.writerow(header)
        writer.writerows(rows)
    # A byte-order mark so that Excel on Chinese Windows opens the UTF-8 file correctly.
    response = HttpResponse("\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8")
    return _attach(response, context, "csv")


def _cell(value):
    """A value openpyxl can store: numbers as numbers, lazy translations as text."""
    if hasattr(value, "as_tuple"):
        return float(value)
    if isinstance(value, Promise):
        return str(value)
    return value


def _xlsx(context) -> HttpResponse:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    first = True
    for name, header, rows in _export_rows(context):
        sheet = workbook.active if first else workbook.create_sheet()
        first = False
        sheet.title = name[:31]
        for meta in _meta(context):
            sheet.append([_cell(v) for v in meta])
        sheet.append([])
        sheet.append([_cell(v) for v in header])
        for cell in sheet[sheet.max_row]:
            cell.font = Font(bold=True)
        for row in rows:
            sheet.append([_cell(v) for v in row])
        sheet.column_dimensions["A"].width = 28
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(
        buffer.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    return _attach(response, context, "xlsx")
