"""The records behind a dashboard figure: the enterprises, listings, decisions, inquiries or
deals that the figure counts, for the same scope, period and kind as the dashboard.

The records come from :func:`portal.stats.sources.figure_records` (the roll-ups' own
definition), so their number is the figure's. They are then narrowed by the access policy:
a record the user may not see is left out and counted in a note, never shown.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from clusters import access
from clusters.models import Cluster, Park, Region
from clusters.web import paginate, query_without_page
from enterprises.models import Enterprise
from portal.stats.figures import DEFINITIONS
from portal.stats.sources import DRILL_DOWN, SOURCES, figure_records
from portal.stats.views import PeriodForm, _require
from sharing.choices import ListingKind
from sharing.models import Deal, Inquiry, Listing, ModerationDecision


@dataclass
class Cell:
    text: object
    url: str = ""
    numeric: bool = False


def _when(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M") if moment else "—"


def _listing_cell(listing: Listing, visible: set[int]) -> Cell:
    url = listing.get_absolute_url() if listing.pk in visible else ""
    return Cell(listing.title, url)


def _enterprise_rows(page, user) -> tuple[list, list]:
    visible = set(
        access.scope(user, Enterprise)
        .filter(pk__in=[e.pk for e in page])
        .values_list("pk", flat=True)
    )
    header = [_("企业名称"), _("地区"), _("园区"), _("状态"), _("登记时间"), _("认证时间")]
    rows = [
        [
            Cell(e.name, e.get_absolute_url() if e.pk in visible else ""),
            Cell(e.region.name),
            Cell(e.park.name if e.park else "—"),
            Cell(e.get_status_display()),
            Cell(_when(e.created_at)),
            Cell(_when(e.verified_at)),
        ]
        for e in page
    ]
    return header, rows


def _visible_listings(user, ids) -> set[int]:
    return set(access.scope(user, Listing).filter(pk__in=ids).values_list("pk", flat=True))


def _listing_rows(page, user) -> tuple[list, list]:
    visible = _visible_listings(user, [x.pk for x in page])
    header = [_("标题"), _("类别"), _("供需方向"), _("地区"), _("状态"), _("首次提交")]
    rows = [
        [
            _listing_cell(x, visible),
            Cell(x.get_kind_display()),
            Cell(x.get_direction_display()),
            Cell(x.region.name),
            Cell(x.get_status_display()),
            Cell(_when(x.first_submitted_at)),
        ]
        for x in page
    ]
    return header, rows


def _decision_rows(page, user) -> tuple[list, list]:
    from portal.stats.rollup import wait_hours

    visible = _visible_listings(user, [d.listing_id for d in page])
    header = [_("信息"), _("结论"), _("理由"), _("修改审核"), _("提交时间"), _("审核时间")]
    header.append(_("用时（小时）"))
    rows = [
        [
            _listing_cell(d.listing, visible),
            Cell(d.get_decision_display()),
            Cell(d.get_reason_display() if d.reason else "—"),
            Cell(_("是") if d.was_edit else _("否")),
            Cell(_when(d.submitted_at)),
            Cell(_when(d.decided_at)),
            Cell(wait_hours(d.submitted_at, d.decided_at), numeric=True),
        ]
        for d in page
    ]
    return header, rows


def _inquiry_rows(page, user) -> tuple[list, list]:
    visible = _visible_listings(user, [i.listing_id for i in page])
    header = [_("信息"), _("类别"), _("状态"), _("发送时间"), _("答复时间")]
    rows = [
        [
            _listing_cell(i.listing, visible),
            Cell(i.listing.get_kind_display()),
            Cell(i.get_status_display()),
            Cell(_when(i.created_at)),
            Cell(_when(i.decided_at)),
        ]
        for i in page
    ]
    return header, rows


def _deal_rows(page, user) -> tuple[list, list]:
    visible = _visible_listings(user, [d.inquiry.listing_id for d in page])
    header = [_("信息"), _("类别"), _("成交内容"), _("数量"), _("金额（元）"), _("确认时间")]
    rows = [
        [
            _listing_cell(d.inquiry.listing, visible),
            Cell(d.inquiry.listing.get_kind_display()),
            Cell(d.description),
            Cell(f"{d.quantity.normalize():f} {d.unit}" if d.quantity is not None else "—"),
            Cell(d.value_yuan, numeric=True),
            Cell(_when(d.confirmed_at)),
        ]
        for d in page
    ]
    return header, rows


# Per model: what to fetch with each row, and how to show it.
_SHOW = {
    Enterprise: (("region", "park"), _enterprise_rows),
    Listing: (("region",), _listing_rows),
    ModerationDecision: (("listing",), _decision_rows),
    Inquiry: (("listing",), _inquiry_rows),
    Deal: (("inquiry__listing",), _deal_rows),
}

SCOPES = {
    "region": (Region, "code", "dashboards:region"),
    "park": (Park, "pk", "dashboards:park"),
    "cluster": (Cluster, "pk", "dashboards:cluster"),
}

NOUNS = {
    Enterprise: pgettext_lazy("records", "企业"),
    Listing: pgettext_lazy("records", "信息"),
    ModerationDecision: pgettext_lazy("records", "审核结论"),
    Inquiry: pgettext_lazy("records", "对接意向"),
    Deal: pgettext_lazy("records", "成交"),
}


@login_required
def figure_records_page(request, scope: str, key: str, figure: str):
    model, field, dashboard = SCOPES[scope]
    place = get_object_or_404(model, **{field: key})
    _require(request.user, place)
    if figure not in DRILL_DOWN:
        raise Http404
    form = PeriodForm(request.GET)
    context = {
        "form": form,
        "place": place,
        "figure": figure,
        "label": DEFINITIONS[figure][0],
        "definition": DEFINITIONS[figure][1],
        "dashboard_url": reverse(dashboard, args=[key]),
        "query": request.GET.urlencode(),
    }
    if not form.is_valid():
        return render(request, "portal/dashboard_records.html", context, status=400)
    period = form.cleaned_data["period"]
    kind = form.cleaned_data.get("kind") or None
    qs = figure_records(figure, period.start, period.end, kind=kind, **{scope: place})
    source = SOURCES[DRILL_DOWN[figure][0]]
    related, show = _SHOW[qs.model]
    total = qs.count()
    visible = access.scope(request.user, qs)
    shown = visible.count()
    page = paginate(
        request, visible.select_related(*related).order_by(f"-{source.date_field}", "-pk")
    )
    header, rows = show(page.object_list, request.user)
    context.update(
        period=period,
        kind=kind,
        kind_label=ListingKind(kind).label if kind else "",
        total=total,
        hidden=total - shown,
        noun=NOUNS[qs.model],
        page_obj=page,
        header=header,
        rows=rows,
        page_query=query_without_page(request),
    )
    return render(request, "portal/dashboard_records.html", context)
