"""Every write to enterprises, memberships and their supervision.

Each service takes the acting user, checks the actor's right through the access policy, runs
in its own transaction, writes its audit entry and sends e-mail only after commit.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from clusters import access
from clusters.choices import IndustryLevel, RoleKind
from clusters.errors import Conflict
from clusters.models import RoleGrant
from enterprises.audit import audit_record
from enterprises.choices import JoinRequestStatus, MemberRole, VerificationStatus
from enterprises.credit_code import normalize_credit_code
from enterprises.events import certifications_changed_for
from enterprises.models import (
    Certification,
    ContactPerson,
    Enterprise,
    Invitation,
    JoinRequest,
    Membership,
)
from enterprises.size_class import MissingFiguresError, size_class

INVITATION_VALID_DAYS = 14

# action: (states it may start from, state it leads to, reason required)
TRANSITIONS: dict[str, tuple[tuple[str, ...], str, bool]] = {
    "verify": ((VerificationStatus.PENDING,), VerificationStatus.VERIFIED, False),
    "reject": ((VerificationStatus.PENDING,), VerificationStatus.REJECTED, True),
    "suspend": ((VerificationStatus.VERIFIED,), VerificationStatus.SUSPENDED, True),
    "reinstate": ((VerificationStatus.SUSPENDED,), VerificationStatus.VERIFIED, True),
    # A rejected enterprise, once its admin has corrected the profile, asks again.
    "resubmit": ((VerificationStatus.REJECTED,), VerificationStatus.PENDING, False),
}

PROFILE_FIELDS = (
    "name",
    "credit_code",
    "region",
    "park",
    "industry",
    "employees",
    "revenue_band",
    "assets_band",
    "description",
    "website",
)
# A change to any of these on a verified enterprise needs the supervisor to look again.
IDENTITY_FIELDS = ("name", "credit_code", "region", "park")


def _require(actor, action: str, obj) -> None:
    if not access.can(actor, action, obj):
        raise PermissionDenied


def _check_consistency(enterprise: Enterprise) -> None:
    errors = {}
    if enterprise.park_id and enterprise.region_id:
        park_region = enterprise.park.region
        region = enterprise.region
        inside = region.code.startswith(park_region.code_prefix()) or park_region.code.startswith(
            region.code_prefix()
        )
        if not inside:
            errors["park"] = _("所选园区（%(park)s）不在所选地区（%(region)s）内。") % {
                "park": enterprise.park.name,
                "region": region.name,
            }
    if enterprise.industry_id and enterprise.industry.level == IndustryLevel.SECTION:
        errors["industry"] = _("请选择到大类及以下的行业代码，而不是门类。")
    if errors:
        raise ValidationError(errors)


def _derive_size(enterprise: Enterprise) -> None:
    try:
        enterprise.size_class = size_class(
            industry_code=enterprise.industry.code,
            employees=enterprise.employees,
            revenue_wan=enterprise.revenue_band,
            assets_wan=enterprise.assets_band,
        )
    except MissingFiguresError:
        raise ValidationError(
            {"assets_band": _("该行业按资产总额划型，请填写资产总额。")}
        ) from None
    except ValueError:
        # Divisions such as 59 or 70 span two industries of the size standard.
        raise ValidationError(
            {"industry": _("该行业代码跨越多个划型行业，请选择更具体的行业代码（中类或小类）。")}
        ) from None


def _supervisor_emails(enterprise: Enterprise) -> list[str]:
    grants = RoleGrant.objects.select_related("user").filter(user__is_active=True)
    if enterprise.park_id:
        grants = grants.filter(kind=RoleKind.PARK_ADMIN, park_id=enterprise.park_id)
    else:
        grants = grants.filter(kind=RoleKind.PLATFORM_SUPERVISOR)
    return sorted({g.user.email for g in grants})


def _member_emails(enterprise: Enterprise) -> list[str]:
    return sorted(
        enterprise.memberships.filter(user__is_active=True).values_list("user__email", flat=True)
    )


def _mail_after_commit(subject: str, body: str, recipients: list[str]) -> None:
    if recipients:
        transaction.on_commit(
            lambda: send_mail(
                subject, body, settings.DEFAULT_FROM_EMAIL, recipients, fail_silently=True
            )
        )


@transaction.atomic
def enterprise_create(
    *,
    actor,
    name: str,
    credit_code: str,
    region,
    industry,
    employees: int,
    revenue_band: int,
    park=None,
    assets_band: int | None = None,
    clusters=(),
    description: str = "",
    website: str = "",
    contacts: list[dict] = (),
    certifications: list[dict] = (),
) -> Enterprise:
    """Register an enterprise; its creator becomes its admin; it waits for verification."""
    if not actor.is_authenticated:
        raise PermissionDenied
    if Membership.objects.filter(user=actor).exists():
        raise ValidationError(_("您已是一家企业的成员，不能再创建企业。"))
    enterprise = Enterprise(
        name=name.strip(),
        credit_code=(credit_code or "").strip().upper(),
        region=region,
        park=park,
        industry=industry,
        employees=employees,
        revenue_band=revenue_band,
        assets_band=assets_band,
        description=description,
        website=website,
        created_by=actor,
        status=VerificationStatus.PENDING,
    )
    if enterprise.industry_id:
        _derive_size(enterprise)
    enterprise.full_clean()
    _check_consistency(enterprise)
    try:
        with transaction.atomic():
            enterprise.save()
    except IntegrityError:
        # Another registration with the same code committed between the check and the insert.
        raise ValidationError({"credit_code": _("该统一社会信用代码已登记。")}) from None
    enterprise.clusters.set(clusters)
    _replace_contacts(enterprise, contacts)
    for cert in certifications:
        _add_certification(enterprise, cert)
    Membership.objects.create(user=actor, enterprise=enterprise, role=MemberRole.ADMIN)
    access.forget(actor)
    audit_record(
        actor=actor,
        action="enterprise.create",
        obj=enterprise,
        to_state=enterprise.status,
        data={"credit_code": enterprise.credit_code},
    )
    _mail_after_commit(
        _("待审核：新企业 %(name)s") % {"name": enterprise.name},
        _("企业“%(name)s”已在平台注册，等待您审核认证。") % {"name": enterprise.name},
        _supervisor_emails(enterprise),
    )
    return enterprise


@transaction.atomic
def enterprise_update(*, actor, enterprise: Enterprise, clusters=None, **changes) -> Enterprise:
    """Change the profile. A verified enterprise whose identity changes goes back to review."""
    _require(actor, "change", enterprise)
    unknown = set(changes) - set(PROFILE_FIELDS)
    if unknown:
        raise ValueError(f"not profile fields: {sorted(unknown)}")
    enterprise = Enterprise.objects.select_for_update().get(pk=enterprise.pk)
    before = {f: getattr(enterprise, f) for f in IDENTITY_FIELDS}
    for name, value in changes.items():
        setattr(enterprise, name, normalize_credit_code(value) if name == "credit_code" else value)
    _derive_size(enterprise)
    enterprise.full_clean()
    _check_consistency(enterprise)
    identity_changed = any(getattr(enterprise, f) != v for f, v in before.items())
    from_state = enterprise.status
    if identity_changed and enterprise.status == VerificationStatus.VERIFIED:
        enterprise.status = VerificationStatus.PENDING
        enterprise.status_reason = _("企业名称、信用代码、地区或园区已变更，需重新认证。")
        enterprise.status_changed_at = timezone.now()
    enterprise.save()
    if clusters is not None:
        enterprise.clusters.set(clusters)
    audit_record(
        actor=actor,
        action="enterprise.update",
        obj=enterprise,
        from_state=from_state,
        to_state=enterprise.status,
        data={"fields": sorted(changes) + (["clusters"] if clusters is not None else [])},
    )
    return enterprise


@transaction.atomic
def enterprise_transition(
    *, actor, enterprise: Enterprise, action: str, reason: str = ""
) -> Enterprise:
    """The one place an enterprise's verification status changes.

    Checks the actor's right, updates only if the status is still the expected one (so of two
    supervisors acting at once exactly one wins and the other gets a Conflict), records the
    audit entry in the same transaction and tells the members after commit.
    """
    if action not in TRANSITIONS:
        raise ValueError(f"unknown action {action!r}")
    _require(actor, action, enterprise)
    sources, target, reason_required = TRANSITIONS[action]
    reason = (reason or "").strip()
    if reason_required and not reason:
        raise ValidationError({"reason": _("请填写理由。")})
    current = Enterprise.objects.select_for_update().filter(pk=enterprise.pk).first()
    if current is None:
        raise Conflict(_("该企业已不存在。"))
    if current.status not in sources:
        raise Conflict(
            _("该企业当前状态为“%(state)s”，不能执行此操作。")
            % {"state": current.get_status_display()},
            current_state=current.status,
        )
    now = timezone.now()
    changes = {"status": target, "status_reason": reason, "status_changed_at": now}
    if action == "verify" and current.verified_at is None:
        changes["verified_at"] = now
    updated = Enterprise.objects.filter(pk=current.pk, status=current.status).update(**changes)
    if updated != 1:  # pragma: no cover - the row lock above makes this unreachable on PostgreSQL
        raise Conflict(current_state=current.status)
    audit_record(
        actor=actor,
        action=f"enterprise.{action}",
        obj=current,
        from_state=current.status,
        to_state=target,
        reason=reason,
    )
    current.refresh_from_db()
    if action == "resubmit":
        _mail_after_commit(
            _("待审核：企业 %(name)s 重新提交认证") % {"name": current.name},
            _("企业“%(name)s”已修改资料并重新提交认证，等待您审核。") % {"name": current.name},
            _supervisor_emails(current),
        )
        return current
    sentences = {
        "verify": _("您的企业“%(name)s”已通过认证。"),
        "reject": _("您的企业“%(name)s”未通过认证；修改资料后可重新提交。"),
        "suspend": _("您的企业“%(name)s”已被暂停。"),
        "reinstate": _("您的企业“%(name)s”已恢复。"),
    }
    body = sentences[action] % {"name": current.name}
    if reason:
        body += "\n" + _("理由：%(reason)s") % {"reason": reason}
    _mail_after_commit(
        _("企业认证状态变更：%(name)s") % {"name": current.name}, body, _member_emails(current)
    )
    return current


def _replace_contacts(enterprise: Enterprise, contacts) -> None:
    enterprise.contacts.all().delete()
    for data in contacts:
        contact = ContactPerson(enterprise=enterprise, **data)
        contact.full_clean()
        contact.save()


def _add_certification(enterprise: Enterprise, data: dict) -> Certification:
    cert = Certification(enterprise=enterprise, **data)
    cert.full_clean()
    if cert.kind == "other" and not cert.other_name.strip():
        raise ValidationError({"other_name": _("请填写认证名称。")})
    cert.save()
    return cert


@transaction.atomic
def contacts_replace(*, actor, enterprise: Enterprise, contacts: list[dict]) -> None:
    _require(actor, "change", enterprise)
    _replace_contacts(enterprise, contacts)
    audit_record(
        actor=actor, action="enterprise.contacts", obj=enterprise, data={"count": len(contacts)}
    )


@transaction.atomic
def certification_add(*, actor, enterprise: Enterprise, **data) -> Certification:
    _require(actor, "change", enterprise)
    cert = _add_certification(enterprise, data)
    audit_record(
        actor=actor,
        action="enterprise.certification_add",
        obj=enterprise,
        data={"kind": cert.kind, "number": cert.number},
    )
    certifications_changed_for(enterprise.pk)
    return cert


@transaction.atomic
def certification_remove(*, actor, certification: Certification) -> None:
    enterprise = certification.enterprise
    _require(actor, "change", enterprise)
    audit_record(
        actor=actor,
        action="enterprise.certification_remove",
        obj=enterprise,
        data={"kind": certification.kind, "number": certification.number},
    )
    certification.delete()
    certifications_changed_for(enterprise.pk)


# --- Members ----------------------------------------------------------------------------------


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def invitation_create(
    *, actor, enterprise: Enterprise, email: str, role: str = MemberRole.MEMBER
) -> tuple[Invitation, str]:
    """Invite someone by e-mail. Returns the invitation and the one-time token for the link."""
    _require(actor, "manage_members", enterprise)
    email = email.strip().lower()
    if Membership.objects.filter(enterprise=enterprise, user__email__iexact=email).exists():
        raise ValidationError({"email": _("该邮箱的用户已是本企业成员。")})
    token = secrets.token_urlsafe(32)
    invitation = Invitation(
        enterprise=enterprise,
        email=email,
        role=role,
        token_hash=_token_hash(token),
        invited_by=actor,
        expires_at=timezone.now() + timedelta(days=INVITATION_VALID_DAYS),
    )
    # Constraints are checked by the insert below, which names the field in its message.
    invitation.full_clean(exclude=["token_hash"], validate_constraints=False)
    try:
        with transaction.atomic():
            invitation.save()
    except IntegrityError:
        raise ValidationError({"email": _("已向该邮箱发出邀请，尚未处理。")}) from None
    audit_record(
        actor=actor,
        action="membership.invite",
        obj=enterprise,
        data={"invitation": invitation.pk, "role": role},
    )
    return invitation, token


def invitation_send(*, invitation: Invitation, link: str) -> None:
    """E-mail the invitation link (after commit); the token itself is never stored."""
    _mail_after_commit(
        _("邀请您加入 %(name)s") % {"name": invitation.enterprise.name},
        _(
            "%(inviter)s 邀请您以“%(role)s”身份加入“%(name)s”。请在 %(days)d 天内打开链接接受邀请：\n%(link)s"
        )
        % {
            "inviter": invitation.invited_by,
            "role": invitation.get_role_display(),
            "name": invitation.enterprise.name,
            "days": INVITATION_VALID_DAYS,
            "link": link,
        },
        [invitation.email],
    )


def invitation_for_token(token: str) -> Invitation | None:
    return (
        Invitation.objects.select_related("enterprise")
        .filter(token_hash=_token_hash(token))
        .first()
    )


@transaction.atomic
def invitation_accept(*, actor, token: str) -> Membership:
    invitation = (
        Invitation.objects.select_for_update().filter(token_hash=_token_hash(token)).first()
    )
    if invitation is None or not invitation.is_open:
        raise ValidationError(_("邀请链接无效或已过期。"))
    if invitation.email.lower() != actor.email.lower():
        raise ValidationError(_("此邀请发给了另一个邮箱，请用被邀请的邮箱登录。"))
    if Membership.objects.filter(user=actor).exists():
        raise ValidationError(_("您已是一家企业的成员。"))
    membership = Membership.objects.create(
        user=actor, enterprise=invitation.enterprise, role=invitation.role
    )
    invitation.accepted_at = timezone.now()
    invitation.save(update_fields=["accepted_at"])
    access.forget(actor)
    audit_record(
        actor=actor,
        action="membership.join",
        obj=invitation.enterprise,
        data={"user": actor.pk, "role": membership.role, "via": "invitation"},
    )
    return membership


@transaction.atomic
def invitation_revoke(*, actor, invitation: Invitation) -> None:
    _require(actor, "revoke", invitation)
    updated = Invitation.objects.filter(
        pk=invitation.pk, accepted_at__isnull=True, revoked_at__isnull=True
    ).update(revoked_at=timezone.now())
    if not updated:
        raise Conflict(_("该邀请已被接受或撤销。"))


@transaction.atomic
def join_request_create(*, actor, enterprise: Enterprise, message: str = "") -> JoinRequest:
    _require(actor, "request_join", enterprise)
    if JoinRequest.objects.filter(
        user=actor, enterprise=enterprise, status=JoinRequestStatus.PENDING
    ).exists():
        raise ValidationError(_("您已提交加入申请，请等待企业管理员处理。"))
    request = JoinRequest(user=actor, enterprise=enterprise, message=message.strip())
    request.full_clean()
    request.save()
    _mail_after_commit(
        _("加入申请：%(name)s") % {"name": actor.name},
        _("%(name)s（%(email)s）申请加入贵企业，请登录平台处理。")
        % {"name": actor.name, "email": actor.email},
        sorted(
            enterprise.memberships.filter(role=MemberRole.ADMIN).values_list(
                "user__email", flat=True
            )
        ),
    )
    return request


@transaction.atomic
def join_request_decide(*, actor, join_request: JoinRequest, approve: bool) -> JoinRequest:
    _require(actor, "decide", join_request)
    current = JoinRequest.objects.select_for_update().get(pk=join_request.pk)
    if current.status != JoinRequestStatus.PENDING:
        raise Conflict(_("该申请已处理。"), current_state=current.status)
    if approve and Membership.objects.filter(user_id=current.user_id).exists():
        raise Conflict(_("申请人已加入其他企业。"))
    current.status = JoinRequestStatus.APPROVED if approve else JoinRequestStatus.DECLINED
    current.decided_by = actor
    current.decided_at = timezone.now()
    current.save(update_fields=["status", "decided_by", "decided_at"])
    if approve:
        Membership.objects.create(
            user_id=current.user_id, enterprise_id=current.enterprise_id, role=MemberRole.MEMBER
        )
        audit_record(
            actor=actor,
            action="membership.join",
            obj=current.enterprise,
            data={"user": current.user_id, "role": MemberRole.MEMBER, "via": "request"},
        )
    return current


def _admins_left(enterprise_id: int, without: Membership) -> int:
    return (
        Membership.objects.filter(enterprise_id=enterprise_id, role=MemberRole.ADMIN)
        .exclude(pk=without.pk)
        .count()
    )


@transaction.atomic
def membership_change_role(*, actor, membership: Membership, role: str) -> Membership:
    _require(actor, "change_role", membership)
    if role not in MemberRole.values:
        raise ValidationError({"role": _("无效的角色。")})
    # Lock the enterprise's admins so two demotions at once cannot leave it without an admin.
    list(Membership.objects.select_for_update().filter(enterprise_id=membership.enterprise_id))
    if (
        role != MemberRole.ADMIN
        and membership.role == MemberRole.ADMIN
        and not _admins_left(membership.enterprise_id, membership)
    ):
        raise ValidationError({"role": _("企业至少需要一名管理员。")})
    membership.role = role
    membership.save(update_fields=["role"])
    audit_record(
        actor=actor,
        action="membership.role",
        obj=membership.enterprise,
        data={"user": membership.user_id, "role": role},
    )
    return membership


@transaction.atomic
def membership_remove(*, actor, membership: Membership) -> None:
    """An admin removes a member, or a member leaves. The last admin cannot go."""
    leaving = membership.user_id == getattr(actor, "pk", None)
    _require(actor, "leave" if leaving else "remove", membership)
    list(Membership.objects.select_for_update().filter(enterprise_id=membership.enterprise_id))
    if membership.role == MemberRole.ADMIN and not _admins_left(
        membership.enterprise_id, membership
    ):
        raise ValidationError(_("您是企业唯一的管理员，请先指定另一名管理员。"))
    enterprise = membership.enterprise
    user_id = membership.user_id
    membership.delete()
    access.forget(actor)
    audit_record(
        actor=actor,
        action="membership.leave" if leaving else "membership.remove",
        obj=enterprise,
        data={"user": user_id},
    )
