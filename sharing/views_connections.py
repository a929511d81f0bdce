"""Pages for what connects enterprises: matches, inquiries, messages, deals, saved searches
and notifications."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from clusters import access
from clusters.errors import Conflict
from clusters.web import add_service_errors, paginate, query_without_page, sentences
from enterprises.models import Enterprise
from sharing import notifications, services
from sharing.choices import InquiryStatus, MatchState
from sharing.forms_connections import DealForm, InquiryForm, MessageForm, SavedSearchForm
from sharing.models import Deal, Inquiry, Listing, Match, Notification, SavedSearch


def _errors(exc: ValidationError) -> str:
    return sentences(exc.messages)


@login_required
def listing_matches(request, pk: int):
    """The matches of one of my listings, best first, each with why it was proposed."""
    listing = access.get_for(request.user, Listing, "edit", pk=pk)
    mine = "offer" if listing.direction == "offer" else "request"
    other = "request" if mine == "offer" else "offer"
    matches = (
        access.scope(request.user, Match)
        .filter(**{mine: listing})
        .exclude(**{f"{mine}_state": MatchState.DISMISSED})
        .select_related(f"{other}__industry", f"{other}__region", f"{other}__park")
        .order_by("-score", "-pk")
    )
    page = paginate(request, matches)
    new_ids = [m.pk for m in page if getattr(m, f"{mine}_state") == MatchState.NEW]
    if new_ids:
        Match.objects.filter(pk__in=new_ids).update(**{f"{mine}_state": MatchState.SEEN})
    rows = [(m, getattr(m, other), getattr(m, f"{mine}_state")) for m in page]
    return render(
        request,
        "sharing/matches.html",
        {
            "listing": listing,
            "page": page,
            "query": query_without_page(request),
            "rows": rows,
            "mine": mine,
            "recommendations_off": not request.user.recommendations_enabled,
        },
    )


@login_required
@require_POST
def match_dismiss(request, pk: int):
    match = access.get_for(request.user, Match.objects.select_related("offer", "request"), pk=pk)
    services.match_set_state(actor=request.user, match=match, state=MatchState.DISMISSED)
    mine = (
        match.offer
        if access.principal(request.user).is_member_of(match.offer.enterprise_id)
        else match.request
    )
    return redirect("sharing:matches", pk=mine.pk)


@login_required
def inquiry_create(request, pk: int):
    listing = access.get_for(request.user, Listing.objects.select_related("enterprise"), pk=pk)
    if not access.can(request.user, "inquire", listing):
        if access.principal(request.user).is_member_of(listing.enterprise_id):
            messages.error(request, _("不能对本企业发布的信息发送对接意向。"))
            return redirect("sharing:detail", pk=listing.pk)
        raise PermissionDenied(_("只有其他企业的成员可以对已发布的信息发送对接意向。"))
    match = None
    if request.GET.get("match") or request.POST.get("match"):
        match = (
            access.scope(request.user, Match)
            .filter(pk=request.GET.get("match") or request.POST.get("match"))
            .first()
        )
    form = InquiryForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            inquiry = services.inquiry_create(
                actor=request.user, listing=listing, match=match, **form.cleaned_data
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("对接意向已发送；对方接受后双方可见企业名称和联系方式。"))
            return redirect("sharing:inquiry", pk=inquiry.pk)
    return render(
        request, "sharing/inquiry_form.html", {"listing": listing, "form": form, "match": match}
    )


@login_required
def inquiry_list(request):
    p = access.principal(request.user)
    qs = access.scope(request.user, Inquiry).select_related("listing", "from_enterprise")
    if p.enterprise_id:
        received = qs.filter(listing__enterprise_id=p.enterprise_id)
        sent = qs.filter(from_enterprise_id=p.enterprise_id)
    else:
        received, sent = qs.none(), qs.none()
    return render(
        request,
        "sharing/inquiries.html",
        {
            "received": received.order_by("-created_at")[:100],
            "sent": sent.order_by("-created_at")[:100],
        },
    )


@login_required
def inquiry_detail(request, pk: int):
    inquiry = access.get_for(
        request.user,
        Inquiry.objects.select_related("listing", "listing__enterprise", "from_enterprise"),
        pk=pk,
    )
    p = access.principal(request.user)
    is_poster = p.is_member_of(inquiry.listing.enterprise_id)
    accepted = inquiry.status == InquiryStatus.ACCEPTED
    counterpart = None
    if accepted and (is_poster or p.is_member_of(inquiry.from_enterprise_id)):
        other_id = inquiry.from_enterprise_id if is_poster else inquiry.listing.enterprise_id
        counterpart = Enterprise.objects.prefetch_related("contacts").get(pk=other_id)
        if not access.can(request.user, "view_contacts", counterpart):
            counterpart = None
    deals = access.scope(request.user, Deal).filter(inquiry=inquiry).select_related("recorded_by")
    for deal in deals:
        deal.can_confirm = access.can(request.user, "confirm", deal)
    return render(
        request,
        "sharing/inquiry.html",
        {
            "inquiry": inquiry,
            "is_poster": is_poster,
            "show_asker": access.can(request.user, "view_asker", inquiry),
            "counterpart": counterpart,
            # The thread is the two sides' conversation: only they read it, as in the API.
            "thread": inquiry.messages.select_related("author", "enterprise")
            if access.can(request.user, "message", inquiry)
            else [],
            "can_message": access.can(request.user, "message", inquiry),
            "can_decide": access.can(request.user, "decide", inquiry)
            and inquiry.status == InquiryStatus.PENDING,
            "can_withdraw": access.can(request.user, "withdraw", inquiry)
            and inquiry.status == InquiryStatus.PENDING,
            "message_form": MessageForm(),
            "deal_form": DealForm(poster=is_poster),
            "deals": deals,
        },
    )


@login_required
@require_POST
def inquiry_action(request, pk: int, action: str):
    inquiry = access.get_for(request.user, Inquiry.objects.select_related("listing"), pk=pk)
    try:
        if action == "accept":
            services.inquiry_decide(actor=request.user, inquiry=inquiry, accept=True)
            messages.success(request, _("已接受，双方现在可以看到对方的企业名称和联系人。"))
        elif action == "decline":
            services.inquiry_decide(actor=request.user, inquiry=inquiry, accept=False)
            messages.info(request, _("已婉拒。"))
        elif action == "withdraw":
            services.inquiry_withdraw(actor=request.user, inquiry=inquiry)
            messages.info(request, _("已撤回。"))
        elif action == "message":
            form = MessageForm(request.POST)
            if form.is_valid():
                services.inquiry_message_create(
                    actor=request.user, inquiry=inquiry, **form.cleaned_data
                )
            else:
                messages.error(request, _("请填写消息内容。"))
        elif action == "deal":
            poster = access.principal(request.user).is_member_of(inquiry.listing.enterprise_id)
            form = DealForm(request.POST, poster=poster)
            if form.is_valid():
                services.deal_record(actor=request.user, inquiry=inquiry, **form.cleaned_data)
                messages.success(request, _("成交已登记，等待对方确认。"))
            else:
                for field, errors in form.errors.items():
                    label = form.fields[field].label if field in form.fields else ""
                    messages.error(request, f"{label}：{'；'.join(errors)}")
        else:
            raise Http404
    except ValidationError as exc:
        messages.error(request, _errors(exc))
    except Conflict as exc:
        messages.warning(request, str(exc.message))
    return redirect("sharing:inquiry", pk=pk)


@login_required
@require_POST
def deal_action(request, pk: int, action: str):
    deal = access.get_for(request.user, Deal.objects.select_related("inquiry__listing"), pk=pk)
    try:
        if action == "confirm":
            services.deal_confirm(
                actor=request.user,
                deal=deal,
                close_listing=request.POST.get("close_listing") == "1",
            )
            messages.success(request, _("成交已确认。"))
        elif action == "dispute":
            services.deal_dispute(actor=request.user, deal=deal, note=request.POST.get("note", ""))
            messages.info(request, _("已提出异议。"))
        else:
            raise Http404
    except Conflict as exc:
        messages.warning(request, str(exc.message))
    return redirect("sharing:inquiry", pk=deal.inquiry_id)


@login_required
def saved_searches(request):
    form = SavedSearchForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        params = {k: v for k, v in request.POST.items() if k.startswith("p_")}
        try:
            services.saved_search_create(
                actor=request.user,
                name=form.cleaned_data["name"],
                frequency=form.cleaned_data["frequency"],
                params={k[2:]: v for k, v in params.items()},
            )
        except ValidationError as exc:
            messages.error(request, _errors(exc))
        else:
            messages.success(request, _("搜索已保存。"))
        return redirect("sharing:saved_searches")
    return render(
        request,
        "sharing/saved_searches.html",
        {
            "searches": access.scope(request.user, SavedSearch),
            "form": form,
        },
    )


@login_required
@require_POST
def saved_search_delete(request, pk: int):
    saved = access.get_for(request.user, SavedSearch, pk=pk)
    services.saved_search_delete(actor=request.user, saved=saved)
    messages.success(request, _("已删除。"))
    return redirect("sharing:saved_searches")


@login_required
def notification_list(request):
    qs = access.scope(request.user, Notification)
    page = paginate(request, qs)
    return render(
        request,
        "sharing/notifications.html",
        {"page": page, "query": query_without_page(request)},
    )


@login_required
@require_POST
def notifications_read(request):
    ids = [int(i) for i in request.POST.getlist("id") if i.isdigit()] or None
    notifications.mark_read(actor=request.user, ids=ids)
    if request.htmx:
        return HttpResponse(status=204, headers={"HX-Refresh": "true"})
    return redirect("sharing:notifications")


def notification_badge(request):
    """The unread count for the header, refreshed by htmx."""
    count = notifications.unread_count(request.user)
    return render(request, "sharing/_badge.html", {"unread": count})


@login_required
def preferences(request):
    if request.method == "POST":
        services.preferences_update(
            actor=request.user,
            recommendations_enabled=request.POST.get("recommendations_enabled") == "1",
            digest_opt_in=request.POST.get("digest_opt_in") == "1",
        )
        messages.success(request, _("偏好已保存。"))
        return redirect("sharing:preferences")
    return render(request, "sharing/preferences.html")


@login_required
def rematch(request):
    """Start a full re-match (platform supervisors) and watch its progress."""
    from sharing import jobs
    from sharing.models import BackgroundJob
    from sharing.tasks import rematch_all_task

    if not access.principal(request.user).platform_supervisor:
        raise Http404
    if request.method == "POST":
        job = jobs.rematch_start(actor=request.user)
        if job.status == "queued":
            rematch_all_task.delay(job.pk)
        return redirect("sharing:rematch")
    job = BackgroundJob.objects.filter(kind="rematch").first()
    template = "sharing/_job.html" if request.htmx else "sharing/rematch.html"
    return render(request, template, {"job": job})
