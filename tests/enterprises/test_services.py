"""enterprises.services: registering, verifying and membership, each refused with a clear reason.

The cast is in tests/cast.py. Two supervisors acting on one enterprise at the same moment are
in test_services_races.py (real concurrent connections need committed data).
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import timezone

from clusters import access
from clusters.errors import Conflict
from clusters.models import IndustryCode, Park, Region
from enterprises import services
from enterprises.choices import JoinRequestStatus, MemberRole, SizeClass, VerificationStatus
from enterprises.credit_code import make_credit_code
from enterprises.models import (
    AuditEntry,
    ContactPerson,
    Enterprise,
    Invitation,
    JoinRequest,
    Membership,
)
from tests.cast import CODE_A, PARK_A, PARK_B, REGION_A

NEW_CODE = make_credit_code("9", "1", REGION_A, "HBCN0001")


def register(actor, **overrides) -> Enterprise:
    """A new enterprise in park A, registered by ``actor``."""
    fields = {
        "name": "武汉江城数控科技有限公司",
        "credit_code": NEW_CODE,
        "region": Region.objects.get(code=REGION_A),
        "park": Park.objects.get(name=PARK_A),
        "industry": IndustryCode.objects.get(code="3421"),
        "employees": 120,
        "revenue_band": 3000,
        "contacts": [{"name": "孙悦", "position": "总经理", "phone": "13800000000"}],
        "certifications": [
            {"kind": "iso9001", "number": "ISO-NEW", "valid_until": date(2029, 6, 30)}
        ],
    }
    fields.update(overrides)
    return services.enterprise_create(actor=actor, **fields)


def counts() -> tuple[int, ...]:
    return (
        Enterprise.objects.count(),
        Membership.objects.count(),
        ContactPerson.objects.count(),
        AuditEntry.objects.count(),
    )


def last_audit() -> AuditEntry:
    return AuditEntry.objects.order_by("-seq").first()


# --- Registering an enterprise -----------------------------------------------------------------


def test_creator_becomes_admin_of_a_pending_enterprise(cast):
    enterprise = register(cast.newcomer)

    assert enterprise.status == VerificationStatus.PENDING
    membership = Membership.objects.get(user=cast.newcomer)
    assert membership.enterprise == enterprise
    assert membership.role == MemberRole.ADMIN
    assert access.principal(cast.newcomer).enterprise_admin
    assert [c.name for c in enterprise.contacts.all()] == ["孙悦"]
    assert [c.number for c in enterprise.certifications.all()] == ["ISO-NEW"]


def test_size_class_is_derived_from_the_2011_standard(cast):
    # Industry, 120 people, revenue band 3,000–5,000 万元: 中型 needs ≥300 people, so small.
    assert register(cast.newcomer).size_class == SizeClass.SMALL


def test_registration_writes_an_audit_entry(cast):
    enterprise = register(cast.newcomer)

    entry = last_audit()
    assert entry.action == "enterprise.create"
    assert entry.actor == cast.newcomer
    assert entry.object_id == str(enterprise.pk)
    assert entry.to_state == VerificationStatus.PENDING
    assert entry.data == {"credit_code": NEW_CODE}


def test_park_administrator_is_mailed_after_commit(cast, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        register(cast.newcomer)
        assert mail.outbox == []  # nothing leaves before the transaction commits

    assert len(callbacks) == 1
    assert [m.to for m in mail.outbox] == [[cast.park_admin_a.email]]
    assert "武汉江城数控科技有限公司" in mail.outbox[0].subject


def test_enterprise_in_no_park_is_announced_to_the_platform_supervisor(
    cast, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        register(cast.newcomer, park=None)

    assert [m.to for m in mail.outbox] == [[cast.supervisor.email]]


@pytest.mark.parametrize(
    ("code", "problem"),
    [
        (NEW_CODE[:-1] + ("0" if NEW_CODE[-1] != "0" else "1"), "校验位错误"),
        (NEW_CODE[:-1], "应为18位，当前为17位"),
        ("91420100HBCI00010X", "不使用字母I、O、S、V、Z"),
        ("9142010#HBCN00010X", "无效字符“#”"),
    ],
    ids=["check-character", "length", "forbidden-letter", "invalid-character"],
)
def test_invalid_credit_code_is_refused_saying_what_is_wrong(cast, code, problem):
    before = counts()

    with pytest.raises(ValidationError) as exc:
        register(cast.newcomer, credit_code=code)

    assert list(exc.value.message_dict) == ["credit_code"]
    assert problem in exc.value.message_dict["credit_code"][0]
    assert counts() == before


def test_duplicate_credit_code_is_refused_on_the_field(cast):
    before = counts()

    with pytest.raises(ValidationError) as exc:
        register(cast.newcomer, credit_code=CODE_A.lower())  # stored upper case

    assert list(exc.value.message_dict) == ["credit_code"]
    assert "已存在" in exc.value.message_dict["credit_code"][0]
    assert counts() == before


def test_park_outside_the_region_is_refused_on_the_park(cast):
    before = counts()

    with pytest.raises(ValidationError) as exc:
        register(cast.newcomer, park=Park.objects.get(name=PARK_B))

    assert exc.value.message_dict == {"park": [f"所选园区（{PARK_B}）不在所选地区（武汉市）内。"]}
    assert counts() == before


def test_section_level_industry_is_refused_on_the_industry(cast):
    before = counts()

    with pytest.raises(ValidationError) as exc:
        register(cast.newcomer, industry=IndustryCode.objects.get(code="C"))

    assert list(exc.value.message_dict) == ["industry"]
    assert "门类" in exc.value.message_dict["industry"][0]
    assert counts() == before


def test_invalid_contact_saves_nothing(cast):
    before = counts()

    with pytest.raises(ValidationError) as exc:
        register(cast.newcomer, contacts=[{"name": "孙悦", "phone": "1", "email": "not-an-email"}])

    assert "email" in exc.value.message_dict
    assert counts() == before


def test_member_of_an_enterprise_cannot_register_another(cast):
    before = counts()

    with pytest.raises(ValidationError):
        register(cast.member_a)

    assert counts() == before


def test_anonymous_cannot_register(cast):
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(PermissionDenied):
        register(AnonymousUser())


# --- Verification ------------------------------------------------------------------------------

ALLOWED = [
    # (actor, what, action, reason, resulting status)
    ("park_admin_a", "pending", "verify", "", VerificationStatus.VERIFIED),
    ("supervisor", "pending", "verify", "", VerificationStatus.VERIFIED),
    ("park_admin_a", "pending", "reject", "营业执照照片不清晰", VerificationStatus.REJECTED),
    ("supervisor", "pending", "reject", "信用代码与名称不符", VerificationStatus.REJECTED),
    ("park_admin_a", "firm", "suspend", "资质证书已过期", VerificationStatus.SUSPENDED),
    ("supervisor", "firm", "suspend", "经营异常名录", VerificationStatus.SUSPENDED),
]


@pytest.mark.parametrize(("actor", "what", "action", "reason", "status"), ALLOWED)
def test_supervisor_of_the_park_takes_the_transition(cast, actor, what, action, reason, status):
    enterprise = getattr(cast.a, what)
    from_state = enterprise.status

    result = services.enterprise_transition(
        actor=getattr(cast, actor), enterprise=enterprise, action=action, reason=reason
    )

    assert result.status == status
    assert Enterprise.objects.get(pk=enterprise.pk).status == status
    assert result.status_reason == reason
    entry = last_audit()
    assert (entry.action, entry.from_state, entry.to_state, entry.reason) == (
        f"enterprise.{action}",
        from_state,
        status,
        reason,
    )
    assert entry.actor == getattr(cast, actor)


@pytest.mark.parametrize("actor", ["park_admin_a", "supervisor"])
def test_suspended_enterprise_is_reinstated_with_a_reason(cast, actor):
    services.enterprise_transition(
        actor=cast.supervisor, enterprise=cast.a.firm, action="suspend", reason="经营异常"
    )

    result = services.enterprise_transition(
        actor=getattr(cast, actor), enterprise=cast.a.firm, action="reinstate", reason="已整改"
    )

    assert result.status == VerificationStatus.VERIFIED
    assert last_audit().reason == "已整改"


def test_members_are_told_after_commit(cast, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.enterprise_transition(
            actor=cast.park_admin_a, enterprise=cast.a.firm, action="suspend", reason="资质过期"
        )

    assert len(mail.outbox) == 1
    assert sorted(mail.outbox[0].to) == sorted([cast.admin_a.email, cast.member_a.email])
    assert "资质过期" in mail.outbox[0].body


def test_park_admin_of_other_park_cannot_approve(cast):
    before = AuditEntry.objects.count()

    with pytest.raises(PermissionDenied):
        services.enterprise_transition(
            actor=cast.park_admin_b, enterprise=cast.a.pending, action="verify"
        )

    assert Enterprise.objects.get(pk=cast.a.pending.pk).status == VerificationStatus.PENDING
    assert AuditEntry.objects.count() == before


@pytest.mark.parametrize(
    "actor", ["member_a", "admin_a", "founder_a", "officer_a", "officer_b", "newcomer"]
)
@pytest.mark.parametrize("action", ["verify", "reject"])
def test_no_one_but_a_supervisor_decides_verification(cast, actor, action):
    with pytest.raises(PermissionDenied):
        services.enterprise_transition(
            actor=getattr(cast, actor), enterprise=cast.a.pending, action=action, reason="x"
        )

    assert Enterprise.objects.get(pk=cast.a.pending.pk).status == VerificationStatus.PENDING


@pytest.mark.parametrize("actor", ["member_a", "admin_a", "officer_a", "park_admin_b"])
def test_no_one_but_a_supervisor_suspends(cast, actor):
    with pytest.raises(PermissionDenied):
        services.enterprise_transition(
            actor=getattr(cast, actor), enterprise=cast.a.firm, action="suspend", reason="x"
        )


@pytest.mark.parametrize(
    ("what", "action"), [("pending", "reject"), ("firm", "suspend"), ("firm", "reinstate")]
)
@pytest.mark.parametrize("reason", ["", "   "])
def test_reason_is_required(cast, what, action, reason):
    enterprise = getattr(cast.a, what)
    if action == "reinstate":
        services.enterprise_transition(
            actor=cast.supervisor, enterprise=enterprise, action="suspend", reason="经营异常"
        )
    status, before = Enterprise.objects.get(pk=enterprise.pk).status, AuditEntry.objects.count()

    with pytest.raises(ValidationError) as exc:
        services.enterprise_transition(
            actor=cast.supervisor, enterprise=enterprise, action=action, reason=reason
        )

    assert exc.value.message_dict == {"reason": ["请填写理由。"]}
    assert Enterprise.objects.get(pk=enterprise.pk).status == status
    assert AuditEntry.objects.count() == before


@pytest.mark.parametrize(
    ("what", "action", "current"),
    [
        ("firm", "verify", VerificationStatus.VERIFIED),
        ("firm", "reject", VerificationStatus.VERIFIED),
        ("firm", "reinstate", VerificationStatus.VERIFIED),
        ("pending", "suspend", VerificationStatus.PENDING),
    ],
)
def test_wrong_state_is_a_conflict_naming_the_current_state(cast, what, action, current):
    with pytest.raises(Conflict) as exc:
        services.enterprise_transition(
            actor=cast.supervisor, enterprise=getattr(cast.a, what), action=action, reason="x"
        )

    assert exc.value.current_state == current


def test_second_supervisor_acting_on_a_stale_page_gets_a_conflict(cast):
    stale = Enterprise.objects.get(pk=cast.a.pending.pk)
    services.enterprise_transition(actor=cast.park_admin_a, enterprise=stale, action="verify")

    with pytest.raises(Conflict) as exc:
        services.enterprise_transition(
            actor=cast.supervisor, enterprise=stale, action="reject", reason="重复"
        )

    assert exc.value.current_state == VerificationStatus.VERIFIED
    assert Enterprise.objects.get(pk=stale.pk).status == VerificationStatus.VERIFIED


def test_rejected_enterprise_cannot_be_verified_later(cast):
    services.enterprise_transition(
        actor=cast.park_admin_a, enterprise=cast.a.pending, action="reject", reason="材料不全"
    )

    with pytest.raises(Conflict) as exc:
        services.enterprise_transition(
            actor=cast.park_admin_a, enterprise=cast.a.pending, action="verify"
        )

    assert exc.value.current_state == VerificationStatus.REJECTED


def test_unknown_transition_is_a_programming_error(cast):
    with pytest.raises(ValueError, match="unknown action"):
        services.enterprise_transition(actor=cast.supervisor, enterprise=cast.a.firm, action="x")


# --- Changing the profile ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "change",
    [{"name": "武汉华中精密机床股份有限公司"}, {"credit_code": NEW_CODE}],
    ids=["name", "credit_code"],
)
def test_identity_change_of_a_verified_enterprise_sends_it_back_to_pending(cast, change):
    result = services.enterprise_update(actor=cast.admin_a, enterprise=cast.a.firm, **change)

    assert result.status == VerificationStatus.PENDING
    assert "重新认证" in result.status_reason
    entry = last_audit()
    assert (entry.action, entry.from_state, entry.to_state) == (
        "enterprise.update",
        VerificationStatus.VERIFIED,
        VerificationStatus.PENDING,
    )
    # Back in the park administrator's queue, out of public view.
    assert not access.scope(None, Enterprise).filter(pk=result.pk).exists()


def test_other_profile_changes_keep_the_enterprise_verified(cast):
    result = services.enterprise_update(
        actor=cast.admin_a, enterprise=cast.a.firm, description="新增五轴加工中心。", employees=400
    )

    assert result.status == VerificationStatus.VERIFIED
    assert result.size_class == SizeClass.MEDIUM  # recomputed: 400 people, 5,000 万元


def test_only_the_admin_changes_the_profile(cast):
    for actor in (cast.member_a, cast.park_admin_a, cast.supervisor, cast.admin_b):
        with pytest.raises(PermissionDenied):
            services.enterprise_update(actor=actor, enterprise=cast.a.firm, description="x")


def test_profile_change_to_a_taken_credit_code_is_refused(cast):
    with pytest.raises(ValidationError) as exc:
        services.enterprise_update(actor=cast.admin_b, enterprise=cast.b.firm, credit_code=CODE_A)

    assert list(exc.value.message_dict) == ["credit_code"]
    assert Enterprise.objects.get(pk=cast.b.firm.pk).status == VerificationStatus.VERIFIED


# --- Members -----------------------------------------------------------------------------------


def test_invitation_is_accepted_by_the_invited_address(cast):
    invitee = type(cast.newcomer).objects.create_user(email="invitee-a@example.com", name="何静")

    membership = services.invitation_accept(actor=invitee, token=cast.a.token)

    assert (membership.enterprise, membership.role) == (cast.a.firm, MemberRole.MEMBER)
    assert Invitation.objects.get(pk=cast.a.invitation.pk).accepted_at is not None
    assert last_audit().action == "membership.join"
    with pytest.raises(ValidationError):  # the link works once
        services.invitation_accept(actor=invitee, token=cast.a.token)


def test_invitation_cannot_be_accepted_from_another_address(cast):
    with pytest.raises(ValidationError, match="另一个邮箱"):
        services.invitation_accept(actor=cast.newcomer, token=cast.a.token)

    assert not Membership.objects.filter(user=cast.newcomer).exists()


def test_admin_invites_with_a_role_and_gets_a_one_time_token(cast):
    invitation, token = services.invitation_create(
        actor=cast.admin_a, enterprise=cast.a.firm, email=" NEWCOMER@example.com ", role="admin"
    )

    assert invitation.email == "newcomer@example.com"
    assert token not in invitation.token_hash  # only the hash is stored
    membership = services.invitation_accept(actor=cast.newcomer, token=token)
    assert membership.role == MemberRole.ADMIN


def test_only_an_admin_invites(cast):
    for actor in (cast.member_a, cast.park_admin_a, cast.admin_b):
        with pytest.raises(PermissionDenied):
            services.invitation_create(
                actor=actor, enterprise=cast.a.firm, email="someone@example.com"
            )


def test_inviting_an_address_already_in_use_is_refused_on_the_email(cast):
    for email in (cast.member_a.email, "INVITEE-A@example.com"):
        before = Invitation.objects.count()

        with pytest.raises(ValidationError) as exc:
            services.invitation_create(actor=cast.admin_a, enterprise=cast.a.firm, email=email)

        assert list(exc.value.message_dict) == ["email"]
        assert Invitation.objects.count() == before


def test_revoked_invitation_cannot_be_accepted(cast):
    invitee = type(cast.newcomer).objects.create_user(email="invitee-a@example.com", name="何静")
    services.invitation_revoke(actor=cast.admin_a, invitation=cast.a.invitation)

    with pytest.raises(ValidationError, match="无效或已过期"):
        services.invitation_accept(actor=invitee, token=cast.a.token)
    with pytest.raises(Conflict):
        services.invitation_revoke(actor=cast.admin_a, invitation=cast.a.invitation)


def test_expired_invitation_cannot_be_accepted(cast):
    invitee = type(cast.newcomer).objects.create_user(email="invitee-a@example.com", name="何静")
    Invitation.objects.filter(pk=cast.a.invitation.pk).update(
        expires_at=timezone.now() - timedelta(minutes=1)
    )

    with pytest.raises(ValidationError):
        services.invitation_accept(actor=invitee, token=cast.a.token)


def test_approved_join_request_makes_a_member(cast):
    result = services.join_request_decide(
        actor=cast.admin_a, join_request=cast.a.join_request, approve=True
    )

    assert result.status == JoinRequestStatus.APPROVED
    membership = Membership.objects.get(user=cast.requester_a)
    assert (membership.enterprise, membership.role) == (cast.a.firm, MemberRole.MEMBER)


def test_declined_join_request_makes_no_member(cast):
    result = services.join_request_decide(
        actor=cast.admin_a, join_request=cast.a.join_request, approve=False
    )

    assert result.status == JoinRequestStatus.DECLINED
    assert not Membership.objects.filter(user=cast.requester_a).exists()


def test_join_request_is_decided_once(cast):
    services.join_request_decide(
        actor=cast.admin_a, join_request=cast.a.join_request, approve=False
    )

    with pytest.raises(Conflict) as exc:
        services.join_request_decide(
            actor=cast.admin_a, join_request=cast.a.join_request, approve=True
        )

    assert exc.value.current_state == JoinRequestStatus.DECLINED


def test_only_the_firms_admin_decides_a_join_request(cast):
    for actor in (cast.member_a, cast.admin_b, cast.park_admin_a, cast.requester_a):
        with pytest.raises(PermissionDenied):
            services.join_request_decide(
                actor=actor, join_request=cast.a.join_request, approve=True
            )


def test_join_requests_are_one_open_at_a_time_and_only_from_people_without_an_enterprise(cast):
    with pytest.raises(ValidationError):
        services.join_request_create(actor=cast.requester_a, enterprise=cast.a.firm)
    with pytest.raises(PermissionDenied):
        services.join_request_create(actor=cast.member_b, enterprise=cast.a.firm)
    assert JoinRequest.objects.filter(user=cast.requester_a).count() == 1


def test_join_request_mails_the_admins_after_commit(cast, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.join_request_create(actor=cast.newcomer, enterprise=cast.a.firm, message="你好")

    assert [m.to for m in mail.outbox] == [[cast.admin_a.email]]


def test_last_admin_cannot_leave(cast):
    admin = Membership.objects.get(user=cast.admin_a)

    with pytest.raises(ValidationError, match="唯一的管理员"):
        services.membership_remove(actor=cast.admin_a, membership=admin)

    assert Membership.objects.filter(pk=admin.pk).exists()


def test_last_admin_cannot_be_demoted(cast):
    admin = Membership.objects.get(user=cast.admin_a)

    with pytest.raises(ValidationError) as exc:
        services.membership_change_role(actor=cast.admin_a, membership=admin, role="member")

    assert list(exc.value.message_dict) == ["role"]
    assert Membership.objects.get(pk=admin.pk).role == MemberRole.ADMIN


def test_admin_can_leave_once_there_is_another_admin(cast):
    services.membership_change_role(actor=cast.admin_a, membership=cast.a.membership, role="admin")

    services.membership_remove(
        actor=cast.admin_a, membership=Membership.objects.get(user=cast.admin_a)
    )

    assert not Membership.objects.filter(user=cast.admin_a).exists()
    assert last_audit().action == "membership.leave"


def test_admin_can_remove_a_member(cast):
    services.membership_remove(actor=cast.admin_a, membership=cast.a.membership)

    assert not Membership.objects.filter(user=cast.member_a).exists()
    entry = last_audit()
    assert (entry.action, entry.data) == ("membership.remove", {"user": cast.member_a.pk})


def test_member_can_leave(cast):
    services.membership_remove(actor=cast.member_a, membership=cast.a.membership)

    assert not Membership.objects.filter(user=cast.member_a).exists()


def test_member_cannot_remove_or_promote_anyone(cast):
    admin = Membership.objects.get(user=cast.admin_a)
    with pytest.raises(PermissionDenied):
        services.membership_remove(actor=cast.member_a, membership=admin)
    with pytest.raises(PermissionDenied):
        services.membership_change_role(
            actor=cast.member_a, membership=cast.a.membership, role="admin"
        )
    with pytest.raises(PermissionDenied):
        services.membership_remove(actor=cast.admin_b, membership=cast.a.membership)


# --- The supervision log -----------------------------------------------------------------------

TABLE = AuditEntry._meta.db_table


def some_supervision(cast) -> None:
    services.enterprise_transition(
        actor=cast.park_admin_a, enterprise=cast.a.pending, action="reject", reason="材料不全"
    )
    services.enterprise_transition(
        actor=cast.supervisor, enterprise=cast.b.firm, action="suspend", reason="经营异常"
    )
    services.membership_remove(actor=cast.admin_a, membership=cast.a.membership)


def verify_log() -> str:
    from io import StringIO

    out = StringIO()
    call_command("verify_audit_log", stdout=out)
    return out.getvalue()


def test_audit_log_verifies_after_supervision(cast):
    some_supervision(cast)

    assert f"audit log OK ({AuditEntry.objects.count()} entries)" in verify_log()


def test_audit_entries_cannot_be_changed_through_the_orm(cast):
    entry = last_audit()
    with pytest.raises(PermissionError):
        AuditEntry.objects.filter(pk=entry.pk).update(reason="x")
    with pytest.raises(PermissionError):
        entry.save()
    with pytest.raises(PermissionError):
        entry.delete()
    with pytest.raises(PermissionError):
        AuditEntry.objects.all().delete()


def test_tampered_reason_is_detected_naming_the_entry(cast):
    some_supervision(cast)
    rejected = AuditEntry.objects.get(action="enterprise.reject", reason="材料不全")
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {TABLE} SET reason = %s WHERE seq = %s", ["材料齐全", rejected.seq])

    with pytest.raises(CommandError) as exc:
        verify_log()

    assert (
        str(exc.value)
        == f"audit log BROKEN at entry #{rejected.seq}: content altered (hash does not match)"
    )


def test_deleted_entry_is_detected(cast):
    some_supervision(cast)
    suspended = AuditEntry.objects.get(action="enterprise.suspend")
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {TABLE} WHERE seq = %s", [suspended.seq])

    with pytest.raises(CommandError, match=rf"entry #{suspended.seq}: missing"):
        verify_log()


def test_swapped_entries_are_detected(cast):
    some_supervision(cast)
    first, second = AuditEntry.objects.order_by("-seq")[1], AuditEntry.objects.order_by("-seq")[0]
    with connection.cursor() as cursor:
        # Three steps: seq is unique.
        cursor.execute(f"UPDATE {TABLE} SET seq = -1 WHERE seq = %s", [first.seq])
        cursor.execute(f"UPDATE {TABLE} SET seq = %s WHERE seq = %s", [first.seq, second.seq])
        cursor.execute(f"UPDATE {TABLE} SET seq = %s WHERE seq = -1", [second.seq])

    with pytest.raises(CommandError, match=rf"entry #{first.seq}: "):
        verify_log()
