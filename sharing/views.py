from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from clusters import access
from clusters.errors import Conflict
from clusters.web import add_service_errors, paginate, query_without_page, sentences
from enterprises.models import Enterprise
from sharing import page_cache, selectors, services
from sharing.attributes import attribute_form
from sharing.choices import ListingKind, ListingStatus
from sharing.filters import ListingFilter
from sharing.forms import AttachmentForm, ComplaintForm, KindForm, ListingForm, ModerationForm
from sharing.models import Complaint, Listing
from sharing.moderation import TRANSITIONS, listing_transition
from sharing.pagination import paginate_ranked

# The actions an owner or a supervisor may take now, in the order buttons show them.
ACTION_ORDER = (
    "submit",
    "approve",
    "request_changes",
    "reject",
    "renew",
    "close",
    "withdraw",
    "take_down",
)


def allowed_actions(user, listing: Listing) -> list[str]:
    actions = []
    for name in ACTION_ORDER:
        rule = TRANSITIONS[name]
        in_state = listing.status in rule.sources or (
            name in ("approve", "request_changes", "reject")
            and listing.status == ListingStatus.PUBLISHED
            and listing.pending_changes
        )
        if in_state and access.can(user, name, listing):
            actions.append(name)
    return actions


@page_cache.anonymous_page
def listing_list(request):
    visible = selectors.listing_cards_visible_to(request.user)
    filterset = ListingFilter(request.GET or None, queryset=visible)
    if filterset.is_bound and not filterset.is_valid():
        page = paginate(request, Listing.objects.none())
    else:
        # Ranked ids first, then the page's rows with their relations; a capped count.
        page = paginate_ranked(
            request,
            filterset.qs,
            fetch=lambda ids: selectors.listing_page_rows(request.user, ids, clusters=False),
        )
    context = {"filter": filterset, "page": page, "query": query_without_page(request)}
    template = "sharing/_results.html" if request.htmx else "sharing/list.html"
    return render(request, template, context)


def listing_detail(request, pk: int):
    listing = access.get_for(request.user, selectors.listings_visible_to(request.user), pk=pk)
    return render(
        request,
        "sharing/detail.html",
        {
            "listing": listing,
            "actions": allowed_actions(request.user, listing),
            # Only where the edit can be saved (the service refuses it in other statuses).
            "can_edit": listing.status in (*services.DIRECT_EDIT_STATUSES, ListingStatus.PUBLISHED)
            and access.can(request.user, "edit", listing),
            "is_owner": access.can(request.user, "view_owner", listing),
            "can_complain": access.can(request.user, "complain", listing),
            "can_inquire": access.can(request.user, "inquire", listing),
            "complaint_form": ComplaintForm(),
            "moderation_form": ModerationForm(),
            "attachment_form": AttachmentForm(),
            "decisions": listing.decisions.select_related("moderator")[:10]
            if access.can(request.user, "view_owner", listing)
            else [],
        },
    )


def _listing_form_context(request, *, kind, direction, listing=None):
    initial = None
    attr_initial = None
    if listing is not None:
        source = dict(listing.pending_changes or {})
        initial = {
            "title": listing.title,
            "description": listing.description,
            "industry": listing.industry.code,
            "quantity": listing.quantity,
            "unit": listing.unit,
            "price_mode": listing.price_mode,
            "price_min": listing.price_min,
            "price_max": listing.price_max,
            "available_from": listing.available_from,
            "available_until": listing.available_until,
            "region": listing.region_id,
            "park": listing.park_id,
            "visibility": listing.visibility,
            "expires_on": listing.expires_on,
        }
        for key, value in source.items():
            name = key.removesuffix("_id")
            if name in initial:
                initial[name] = value
        if "industry_id" in source:
            from clusters.models import IndustryCode

            initial["industry"] = IndustryCode.objects.get(pk=source["industry_id"]).code
        attr_initial = source.get("attributes", listing.attributes)
    data = request.POST if request.method == "POST" else None
    form = ListingForm(data, kind=kind, initial=initial)
    attrs = attribute_form(kind, direction, data, prefix="attr", initial=attr_initial)
    return form, attrs


@login_required
def listing_create(request):
    p = access.principal(request.user)
    if not p.enterprise_id:
        messages.info(request, _("请先登记或加入企业。"))
        return redirect("enterprises:onboarding")
    # Until the park verifies it, the enterprise can prepare drafts but submit nothing: both
    # steps say so before the form is filled in, not after.
    enterprise = access.get_for(request.user, Enterprise, pk=p.enterprise_id)
    kind_form = KindForm(request.GET or None)
    if not kind_form.is_valid():
        return render(
            request,
            "sharing/choose_kind.html",
            {"kind_form": kind_form, "enterprise": enterprise},
        )
    kind, direction = kind_form.cleaned_data["kind"], kind_form.cleaned_data["direction"]
    form, attrs = _listing_form_context(request, kind=kind, direction=direction)
    if request.method == "POST" and form.is_valid() and attrs.is_valid():
        try:
            listing = services.listing_create(
                actor=request.user,
                kind=kind,
                direction=direction,
                attributes=attrs.cleaned_data,
                submit="submit" in request.POST,
                **form.service_fields(),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        except PermissionDenied:
            raise Http404 from None
        else:
            messages.success(
                request,
                _("已提交审核。") if listing.status == ListingStatus.PENDING else _("草稿已保存。"),
            )
            return redirect("sharing:detail", pk=listing.pk)
    return render(
        request,
        "sharing/form.html",
        {
            "form": form,
            "attrs": attrs,
            "kind": ListingKind(kind),
            "direction": direction,
            "creating": True,
            "enterprise": enterprise,
        },
    )


@login_required
def listing_edit(request, pk: int):
    listing = access.get_for(
        request.user, Listing.objects.select_related("enterprise"), "edit", pk=pk
    )
    form, attrs = _listing_form_context(
        request, kind=listing.kind, direction=listing.direction, listing=listing
    )
    if request.method == "POST" and form.is_valid() and attrs.is_valid():
        try:
            listing = services.listing_update(
                actor=request.user,
                listing=listing,
                attributes=attrs.cleaned_data,
                submit="submit" in request.POST,
                **form.service_fields(),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            if listing.status == ListingStatus.PUBLISHED and listing.pending_changes:
                messages.success(request, _("修改已提交审核；审核通过前仍显示原内容。"))
            elif listing.status == ListingStatus.PENDING:
                messages.success(request, _("已提交审核。"))
            else:
                messages.success(request, _("已保存。"))
            return redirect("sharing:detail", pk=listing.pk)
    return render(
        request,
        "sharing/form.html",
        {
            "form": form,
            "attrs": attrs,
            "kind": ListingKind(listing.kind),
            "direction": listing.direction,
            "listing": listing,
            "enterprise": listing.enterprise,
        },
    )


@login_required
@require_POST
def listing_action(request, pk: int, action: str):
    if action not in TRANSITIONS or action == "expire":
        raise Http404
    listing = access.get_for(request.user, Listing.objects.select_related("enterprise"), pk=pk)
    form = ModerationForm(request.POST)
    form.is_valid()
    try:
        listing = listing_transition(
            actor=request.user,
            listing=listing,
            action=action,
            reason=form.cleaned_data.get("reason", ""),
            note=form.cleaned_data.get("note", ""),
            expected_status=request.POST.get("expected_status") or None,
        )
    except Conflict as exc:
        messages.warning(request, str(exc.message))
    except ValidationError as exc:
        messages.error(request, sentences(exc.messages))
    else:
        if action == "renew":
            messages.success(
                request, _("已续期，有效期至 %(date)s。") % {"date": listing.expires_on.isoformat()}
            )
        else:
            messages.success(request, _("操作成功。"))
    if request.POST.get("next") == "queue":
        return redirect(queue_url(request.POST))
    return redirect("sharing:detail", pk=pk)


@login_required
@require_POST
def attachment_upload(request, pk: int):
    listing = access.get_for(request.user, Listing, "edit", pk=pk)
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.attachment_add(
                actor=request.user, listing=listing, upload=form.cleaned_data["file"]
            )
        except ValidationError as exc:
            messages.error(request, sentences(exc.messages))
        else:
            messages.success(request, _("附件已上传。"))
    else:
        messages.error(request, sentences(e for errs in form.errors.values() for e in errs))
    return redirect("sharing:detail", pk=pk)


def attachment_download(request, pk: int, attachment_pk: int):
    listing = access.get_for(request.user, Listing, pk=pk)
    attachment = listing.attachments.filter(pk=attachment_pk).first()
    if attachment is None:
        raise Http404
    response = FileResponse(
        attachment.file.open("rb"),
        content_type=attachment.content_type,
        as_attachment=attachment.content_type == "application/pdf",
        filename=attachment.original_name,
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_POST
def attachment_delete(request, pk: int, attachment_pk: int):
    listing = access.get_for(request.user, Listing, "edit", pk=pk)
    attachment = listing.attachments.filter(pk=attachment_pk).first()
    if attachment is None:
        raise Http404
    services.attachment_remove(actor=request.user, attachment=attachment)
    messages.success(request, _("附件已删除。"))
    return redirect("sharing:detail", pk=pk)


@login_required
@require_POST
def complain(request, pk: int):
    listing = access.get_for(request.user, Listing, pk=pk)
    form = ComplaintForm(request.POST)
    if form.is_valid():
        try:
            services.complaint_create(actor=request.user, listing=listing, **form.cleaned_data)
        except ValidationError as exc:
            messages.error(request, sentences(exc.messages))
        else:
            messages.success(request, _("举报已提交，监管人员将尽快处理。"))
    else:
        messages.error(request, sentences(e for errs in form.errors.values() for e in errs))
    return redirect("sharing:detail", pk=pk)


@login_required
def my_listings(request):
    p = access.principal(request.user)
    if not p.enterprise_id:
        return redirect("enterprises:onboarding")
    listings = selectors.listings_of_my_enterprise(request.user)
    status = request.GET.get("status")
    if status in ListingStatus.values:
        listings = listings.filter(status=status)
    page = paginate(request, listings)
    for listing in page:
        listing.allowed = allowed_actions(request.user, listing)
    return render(
        request,
        "sharing/mine.html",
        {
            "page": page,
            "query": query_without_page(request),
            "status": status,
            "statuses": ListingStatus.choices,
        },
    )


def queue_url(data) -> str:
    """The moderation queue at the scope and page a form was sent from (its ``scope`` and
    ``page`` fields), so a decision returns the supervisor to where they were."""
    params = {}
    if data.get("scope") == "all":
        params["scope"] = "all"
    page = data.get("page", "")
    if page.isdigit() and int(page) > 1:
        params["page"] = page
    url = reverse("sharing:moderation")
    return f"{url}?{urlencode(params)}" if params else url


@login_required
def moderation_queue(request):
    if not access.principal(request.user).is_supervisor:
        raise Http404
    everything = request.GET.get("scope") == "all"
    # A page at a time, oldest first: a platform supervisor's "all parks" can hold thousands.
    page = paginate(request, selectors.moderation_queue(request.user, everything=everything))
    queue = list(page.object_list)
    for listing in queue:
        listing.moderation_actions = [
            name
            for name in allowed_actions(request.user, listing)
            if name in ("approve", "request_changes", "reject")
        ]
    return render(
        request,
        "sharing/moderation.html",
        {
            "queue": queue,
            "page": page,
            "query": query_without_page(request),
            # Oldest first, a page at a time: a province may hold hundreds at once.
            "complaints": paginate(
                request,
                selectors.open_complaints(request.user, everything=everything),
                param="complaints_page",
            ),
            "complaints_query": query_without_page(request, "complaints_page"),
            "figures": selectors.supervisor_figures(request.user),
            "form": ModerationForm(),
            "moderation_form": ModerationForm(),
            "everything": everything,
            "is_platform": access.principal(request.user).platform_supervisor,
        },
    )


@login_required
@require_POST
def moderation_bulk(request):
    if not access.principal(request.user).is_supervisor:
        raise Http404
    action = request.POST.get("action")
    if action not in ("approve", "reject"):
        raise Http404
    form = ModerationForm(request.POST)
    form.is_valid()
    ids = [int(i) for i in request.POST.getlist("listing") if i.isdigit()]
    if not ids:
        messages.warning(request, _("请先勾选要处理的信息。"))
        return redirect(queue_url(request.POST))
    results = services.listings_decide_bulk(
        actor=request.user,
        ids=ids,
        action=action,
        reason=form.cleaned_data.get("reason", ""),
        note=form.cleaned_data.get("note", ""),
    )
    done = sum(1 for r in results if r["ok"])
    failed = len(results) - done
    messages.success(request, _("已处理 %(done)d 条。") % {"done": done})
    if failed:
        messages.warning(
            request, _("%(failed)d 条未处理（状态已变化或缺少理由）。") % {"failed": failed}
        )
    return redirect(queue_url(request.POST))


@login_required
@require_POST
def complaint_decide(request, pk: int):
    complaint = access.get_for(request.user, Complaint, "dismiss", pk=pk)
    form = ModerationForm(request.POST)
    form.is_valid()
    try:
        if request.POST.get("decision") == "uphold":
            services.complaint_uphold(
                actor=request.user,
                complaint=complaint,
                reason=form.cleaned_data.get("reason", ""),
                note=form.cleaned_data.get("note", ""),
                suspend_enterprise=request.POST.get("suspend") == "1",
            )
            messages.success(request, _("举报成立，信息已下架。"))
        else:
            services.complaint_dismiss(
                actor=request.user,
                complaint=complaint,
                resolution=form.cleaned_data.get("note", ""),
            )
            messages.success(request, _("举报已驳回。"))
    except Conflict as exc:
        messages.warning(request, str(exc.message))
    except ValidationError as exc:
        messages.error(request, sentences(exc.messages))
    return redirect("sharing:moderation")
