from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from clusters import access
from clusters.errors import Conflict
from clusters.web import add_service_errors, paginate, query_without_page, sentences
from enterprises import selectors, services
from enterprises.choices import VerificationStatus
from enterprises.filters import EnterpriseFilter
from enterprises.forms import (
    CertificationForm,
    ContactFormSet,
    EnterpriseForm,
    InvitationForm,
    JoinRequestForm,
    JoinSearchForm,
    ReasonForm,
)
from enterprises.models import Enterprise, Invitation, JoinRequest, Membership


def enterprise_list(request):
    filterset = EnterpriseFilter(
        request.GET or None, queryset=selectors.enterprises_visible_to(request.user)
    )
    page = paginate(request, filterset.qs.order_by("name", "pk"))
    return render(
        request,
        "enterprises/list.html",
        {
            "filter": filterset,
            "page": page,
            "query": query_without_page(request),
        },
    )


def enterprise_detail(request, pk: int):
    enterprise = access.get_for(request.user, selectors.enterprises_visible_to(request.user), pk=pk)
    allowed = {
        a
        for a in (
            "view_contacts",
            "change",
            "manage_members",
            "verify",
            "reject",
            "suspend",
            "reinstate",
            "resubmit",
            "request_join",
        )
        if access.can(request.user, a, enterprise)
    }
    transitions = [
        a
        for a in ("verify", "reject", "suspend", "reinstate", "resubmit")
        if a in allowed and enterprise.status in services.TRANSITIONS[a][0]
    ]
    return render(
        request,
        "enterprises/detail.html",
        {
            "enterprise": enterprise,
            "allowed": allowed,
            "is_member": access.principal(request.user).is_member_of(enterprise.pk),
            "transitions": transitions,
            "contacts": enterprise.contacts.all() if "view_contacts" in allowed else None,
            "reason_form": ReasonForm(),
            "waiting": selectors.waiting_time(enterprise),
        },
    )


@login_required
def onboarding(request):
    """After sign-up: create an enterprise, or ask to join one."""
    p = access.principal(request.user)
    if p.enterprise_id:
        return redirect("enterprises:detail", pk=p.enterprise_id)
    return render(
        request,
        "enterprises/onboarding.html",
        {
            "my_requests": access.scope(request.user, JoinRequest).select_related("enterprise"),
        },
    )


@login_required
def enterprise_create(request):
    if access.principal(request.user).enterprise_id:
        messages.info(request, _("您已是一家企业的成员。"))
        return redirect("enterprises:onboarding")
    form = EnterpriseForm(request.POST or None)
    contacts = ContactFormSet(request.POST or None, prefix="contacts")
    if request.method == "POST" and form.is_valid() and contacts.is_valid():
        contact_rows = [c for c in contacts.cleaned_data if c and not c.get("DELETE")]
        for row in contact_rows:
            row.pop("DELETE", None)
        if not contact_rows:
            form.add_error(None, _("请至少填写一位联系人。"))
        else:
            data = dict(form.cleaned_data)
            clusters = data.pop("clusters")
            try:
                enterprise = services.enterprise_create(
                    actor=request.user, clusters=clusters, contacts=contact_rows, **data
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("企业已提交，等待园区管理员审核认证。"))
                return redirect("enterprises:detail", pk=enterprise.pk)
    return render(
        request, "enterprises/form.html", {"form": form, "contacts": contacts, "creating": True}
    )


@login_required
def enterprise_edit(request, pk: int):
    enterprise = access.get_for(request.user, Enterprise, "change", pk=pk)
    form = EnterpriseForm(request.POST or None, initial=EnterpriseForm.initial_for(enterprise))
    contacts = ContactFormSet(
        request.POST or None,
        prefix="contacts",
        initial=list(enterprise.contacts.values("name", "position", "phone", "email")),
    )
    if request.method == "POST" and form.is_valid() and contacts.is_valid():
        data = dict(form.cleaned_data)
        clusters = data.pop("clusters")
        contact_rows = [
            {k: v for k, v in c.items() if k != "DELETE"}
            for c in contacts.cleaned_data
            if c and not c.get("DELETE")
        ]
        try:
            with transaction.atomic():
                enterprise = services.enterprise_update(
                    actor=request.user, enterprise=enterprise, clusters=clusters, **data
                )
                services.contacts_replace(
                    actor=request.user, enterprise=enterprise, contacts=contact_rows
                )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("企业资料已保存。"))
            return redirect("enterprises:detail", pk=enterprise.pk)
    return render(
        request,
        "enterprises/form.html",
        {
            "form": form,
            "contacts": contacts,
            "enterprise": enterprise,
            "certification_form": CertificationForm(),
        },
    )


@login_required
@require_POST
def certification_add(request, pk: int):
    enterprise = access.get_for(request.user, Enterprise, "change", pk=pk)
    form = CertificationForm(request.POST)
    if form.is_valid():
        try:
            services.certification_add(
                actor=request.user, enterprise=enterprise, **form.cleaned_data
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
    if form.errors:
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            messages.error(request, f"{label}：{sentences(errors)}" if label else sentences(errors))
    else:
        messages.success(request, _("资质认证已添加。"))
    return redirect("enterprises:edit", pk=enterprise.pk)


@login_required
@require_POST
def certification_remove(request, pk: int, cert_pk: int):
    enterprise = access.get_for(request.user, Enterprise, "change", pk=pk)
    cert = enterprise.certifications.filter(pk=cert_pk).first()
    if cert is None:
        raise Http404
    services.certification_remove(actor=request.user, certification=cert)
    messages.success(request, _("资质认证已删除。"))
    return redirect("enterprises:edit", pk=enterprise.pk)


@login_required
@require_POST
def enterprise_transition(request, pk: int, action: str):
    if action not in services.TRANSITIONS:
        raise Http404
    enterprise = access.get_for(request.user, Enterprise, action, pk=pk)
    form = ReasonForm(request.POST)
    form.is_valid()
    try:
        services.enterprise_transition(
            actor=request.user,
            enterprise=enterprise,
            action=action,
            reason=form.cleaned_data.get("reason", ""),
        )
    except ValidationError as exc:
        messages.error(request, sentences(exc.messages))
    except Conflict as exc:
        messages.warning(request, str(exc.message))
    else:
        messages.success(request, _("已处理：%(name)s") % {"name": enterprise.name})
    next_url = request.POST.get("next")
    if next_url == "queue":
        return redirect("enterprises:queue")
    return redirect("enterprises:detail", pk=enterprise.pk)


@login_required
def verification_queue(request):
    p = access.principal(request.user)
    if not p.is_supervisor:
        raise Http404
    queue = selectors.verification_queue(request.user)
    recent = (
        selectors.supervised_enterprises(request.user)
        .exclude(status=VerificationStatus.PENDING)
        .order_by("-status_changed_at")[:20]
    )
    return render(
        request,
        "enterprises/queue.html",
        {
            "queue": queue,
            "recent": recent,
            "reason_form": ReasonForm(),
        },
    )


@login_required
def join(request):
    if access.principal(request.user).enterprise_id:
        return redirect("enterprises:onboarding")
    form = JoinSearchForm(request.GET or None)
    results = Enterprise.objects.none()
    if form.is_valid() and form.cleaned_data["q"].strip():
        q = form.cleaned_data["q"].strip()
        # Verified enterprises by name; a colleague's enterprise still waiting for
        # verification only by its exact credit code.
        results = Enterprise.objects.filter(
            Q(status=VerificationStatus.VERIFIED, name__contains=q)
            | Q(
                status__in=[VerificationStatus.VERIFIED, VerificationStatus.PENDING],
                credit_code=q.upper(),
            )
        ).select_related("region", "park")[:20]
    return render(
        request,
        "enterprises/join.html",
        {
            "form": form,
            "results": results,
            "request_form": JoinRequestForm(),
        },
    )


@login_required
@require_POST
def join_request_create(request, pk: int):
    enterprise = access.scope(request.user, Enterprise).filter(pk=pk).first()
    if enterprise is None:
        # An enterprise still waiting for verification is also found by whoever gives its
        # exact credit code (the join search shows it only then), and by nobody else: a 404
        # does not confirm to a stranger guessing ids that it exists.
        code = request.POST.get("credit_code", "").strip().upper()
        enterprise = (
            Enterprise.objects.filter(
                pk=pk, status=VerificationStatus.PENDING, credit_code=code
            ).first()
            if code
            else None
        )
    if enterprise is None:
        raise Http404
    form = JoinRequestForm(request.POST)
    form.is_valid()
    try:
        services.join_request_create(
            actor=request.user, enterprise=enterprise, message=form.cleaned_data.get("message", "")
        )
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, sentences(getattr(exc, "messages", [_("无法提交申请。")])))
    else:
        messages.success(request, _("加入申请已提交，等待企业管理员处理。"))
    return redirect("enterprises:onboarding")


@login_required
def members(request, pk: int):
    enterprise = access.get_for(request.user, selectors.enterprises_visible_to(request.user), pk=pk)
    p = access.principal(request.user)
    if not (p.is_member_of(enterprise.pk) or p.supervises_park(enterprise.park_id)):
        raise Http404
    is_admin = access.can(request.user, "manage_members", enterprise)
    invite_form = InvitationForm(request.POST or None) if is_admin else None
    invite_link = None
    if request.method == "POST" and is_admin and invite_form.is_valid():
        try:
            invitation, token = services.invitation_create(
                actor=request.user, enterprise=enterprise, **invite_form.cleaned_data
            )
        except ValidationError as exc:
            add_service_errors(invite_form, exc)
        else:
            invite_link = request.build_absolute_uri(
                reverse("enterprises:invitation", args=[token])
            )
            services.invitation_send(invitation=invitation, link=invite_link)
            messages.success(request, _("邀请已发送到 %(email)s。") % {"email": invitation.email})
            invite_form = InvitationForm()
    return render(
        request,
        "enterprises/members.html",
        {
            "enterprise": enterprise,
            "members": selectors.members_of(request.user, enterprise),
            "is_admin": is_admin,
            "invite_form": invite_form,
            "invite_link": invite_link,
            "invitations": access.scope(request.user, Invitation).filter(
                enterprise=enterprise, accepted_at__isnull=True, revoked_at__isnull=True
            )
            if is_admin
            else [],
            "join_requests": access.scope(request.user, JoinRequest)
            .filter(enterprise=enterprise, status="pending")
            .select_related("user")
            if is_admin
            else [],
        },
    )


@login_required
@require_POST
def member_update(request, pk: int, member_pk: int):
    membership = access.get_for(request.user, Membership, pk=member_pk, enterprise_id=pk)
    op = request.POST.get("op")
    try:
        if op == "remove":
            services.membership_remove(actor=request.user, membership=membership)
            if membership.user_id == request.user.pk:
                messages.success(request, _("您已退出该企业。"))
                return redirect("enterprises:onboarding")
            messages.success(request, _("成员已移除。"))
        elif op in ("admin", "member"):
            services.membership_change_role(actor=request.user, membership=membership, role=op)
            messages.success(request, _("成员角色已更新。"))
        else:
            raise Http404
    except ValidationError as exc:
        messages.error(request, sentences(exc.messages))
    return redirect("enterprises:members", pk=pk)


@login_required
@require_POST
def join_request_decide(request, pk: int, request_pk: int):
    join_request = access.get_for(
        request.user, JoinRequest, "decide", pk=request_pk, enterprise_id=pk
    )
    try:
        services.join_request_decide(
            actor=request.user,
            join_request=join_request,
            approve=request.POST.get("approve") == "1",
        )
    except Conflict as exc:
        messages.warning(request, str(exc.message))
    return redirect("enterprises:members", pk=pk)


@login_required
@require_POST
def invitation_revoke(request, pk: int, invitation_pk: int):
    invitation = access.get_for(
        request.user, Invitation, "revoke", pk=invitation_pk, enterprise_id=pk
    )
    try:
        services.invitation_revoke(actor=request.user, invitation=invitation)
    except Conflict as exc:
        messages.warning(request, str(exc.message))
    return redirect("enterprises:members", pk=pk)


def invitation_accept(request, token: str):
    invitation = services.invitation_for_token(token)
    if invitation is None or not invitation.is_open:
        return render(request, "enterprises/invitation.html", {"invalid": True}, status=404)
    if request.method == "POST" and request.user.is_authenticated:
        try:
            membership = services.invitation_accept(actor=request.user, token=token)
        except ValidationError as exc:
            messages.error(request, sentences(exc.messages))
        else:
            messages.success(
                request, _("您已加入 %(name)s。") % {"name": membership.enterprise.name}
            )
            return redirect("enterprises:detail", pk=membership.enterprise_id)
    return render(request, "enterprises/invitation.html", {"invitation": invitation})
