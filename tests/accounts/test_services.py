"""portal.accounts.services: sign-up, language preference and account deletion."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.db import transaction
from rest_framework.authtoken.models import Token

from clusters.choices import RoleKind
from clusters.models import RoleGrant
from portal.accounts import services
from tests.accounts.conftest import PASSWORD

User = get_user_model()


def signup(**overrides):
    data = {
        "name": "李娜",
        "email": "li.na@example.com",
        "password": PASSWORD,
        "phone": "13800138000",
        "consent": True,
    }
    return services.user_signup(**{**data, **overrides})


def refusal(**overrides) -> dict:
    with pytest.raises(ValidationError) as caught:
        signup(**overrides)
    assert not User.objects.exists()
    return caught.value.message_dict


# --- Sign-up -------------------------------------------------------------------------------


def test_signup_creates_an_active_user_with_the_consent_recorded(db):
    user = signup(email=" Li.Na@Example.COM ")

    assert user.pk and user.is_active
    assert user.email == "li.na@example.com"
    assert user.name == "李娜" and user.phone == "13800138000"
    assert user.check_password(PASSWORD)
    assert user.privacy_consent_at is not None
    assert user.privacy_notice_version == services.PRIVACY_NOTICE_VERSION


def test_signup_keeps_a_supported_language_only(db):
    assert signup(language="en").language == "en"
    assert signup(email="b@example.com", language="fr").language == ""


def test_signup_without_consent_is_refused(db):
    assert "consent" in refusal(consent=False)


def test_signup_with_a_registered_email_in_another_case_is_refused(db):
    signup()
    with pytest.raises(ValidationError) as caught:
        signup(email="LI.NA@example.com", name="另一个人")

    assert caught.value.message_dict["email"] == ["该邮箱已注册"]
    assert User.objects.count() == 1


def test_signup_with_a_weak_password_is_refused(db):
    assert "password" in refusal(password="12345678")


def test_signup_reports_every_problem_at_once(db):
    errors = refusal(consent=False, password="123", name="  ")

    assert {"consent", "password", "name"} <= set(errors)


# --- Language ------------------------------------------------------------------------------


def test_set_language_stores_a_supported_language(make_user):
    user = make_user()

    services.user_set_language(actor=user, language="en")

    user.refresh_from_db()
    assert user.language == "en"


def test_set_language_refuses_an_unsupported_one(make_user):
    with pytest.raises(ValidationError):
        services.user_set_language(actor=make_user(), language="xx")


# --- Deletion ------------------------------------------------------------------------------


def test_delete_needs_the_password(make_user):
    user = make_user()

    with pytest.raises(ValidationError) as caught:
        services.user_delete(actor=user, password="wrong")

    assert "password" in caught.value.message_dict
    user.refresh_from_db()
    assert user.is_active and user.name == "张伟"


def test_delete_anonymises_the_row(make_user):
    user = make_user("wang.fang@example.com", name="王芳", phone="13900139000", language="en")

    services.user_delete(actor=user, password=PASSWORD)

    user.refresh_from_db()
    assert user.name == services.DELETED_USER_NAME == "已注销用户"
    assert user.email == f"deleted-{user.pk}@invalid"
    assert user.phone == "" and user.language == ""
    assert not user.is_active and not user.has_usable_password()
    assert not User.objects.filter(email="wang.fang@example.com").exists()


def test_deleted_address_can_sign_up_again(make_user):
    user = make_user("wang.fang@example.com")
    services.user_delete(actor=user, password=PASSWORD)

    again = make_user("wang.fang@example.com")

    assert again.pk != user.pk


def test_delete_removes_role_grants_sessions_and_tokens(make_user):
    user = make_user()
    other = make_user()
    RoleGrant.objects.create(user=user, kind=RoleKind.PLATFORM_SUPERVISOR)
    Token.objects.create(user=user)
    Token.objects.create(user=other)
    for owner in (user, user, other):
        session = SessionStore()
        session["_auth_user_id"] = str(owner.pk)
        session.create()

    services.user_delete(actor=user, password=PASSWORD)

    assert not RoleGrant.objects.filter(user=user).exists()
    assert not Token.objects.filter(user=user).exists()
    assert Token.objects.filter(user=other).exists()
    owners = [s.get_decoded().get("_auth_user_id") for s in Session.objects.all()]
    assert owners == [str(other.pk)]


def test_delete_keeps_audit_entries_and_the_chain_verifies(make_user, make_enterprise):
    from enterprises.audit import audit_record, audit_verify
    from enterprises.models import AuditEntry

    user = make_user()
    enterprise = make_enterprise(user)
    with transaction.atomic():
        audit_record(actor=user, action="test.note", obj=enterprise, reason="before deletion")
    entries = list(AuditEntry.objects.filter(actor_id=user.pk).values_list("seq", "hash"))
    assert len(entries) >= 2

    services.user_delete(actor=user, password=PASSWORD)

    assert (
        list(
            AuditEntry.objects.filter(
                actor_id=user.pk, seq__in=[s for s, _h in entries]
            ).values_list("seq", "hash")
        )
        == entries
    )
    assert audit_verify() is None


def test_member_deletion_removes_the_membership_and_keeps_the_enterprise(
    make_user, make_enterprise
):
    from enterprises.models import AuditEntry, Enterprise, Membership

    admin, member = make_user(), make_user()
    enterprise = make_enterprise(admin, members=[member])

    services.user_delete(actor=member, password=PASSWORD)

    assert not Membership.objects.filter(user=member).exists()
    assert Enterprise.objects.filter(pk=enterprise.pk).exists()
    assert Membership.objects.filter(user=admin, enterprise=enterprise).exists()
    leave = AuditEntry.objects.filter(action="membership.leave").last()
    assert leave.actor_id == member.pk and leave.data["user"] == member.pk


def test_last_admin_with_other_members_is_refused(make_user, make_enterprise):
    from enterprises.models import Membership

    admin, member = make_user(), make_user()
    enterprise = make_enterprise(admin, members=[member], name="襄阳精密铸造有限公司")

    with pytest.raises(ValidationError) as caught:
        services.user_delete(actor=admin, password=PASSWORD)

    assert "襄阳精密铸造有限公司" in caught.value.messages[0]
    assert "移交" in caught.value.messages[0]
    admin.refresh_from_db()
    assert admin.is_active and admin.email.endswith("@example.com")
    assert Membership.objects.filter(user=admin, enterprise=enterprise, role="admin").exists()


def test_admin_with_another_admin_may_delete(make_user, make_enterprise):
    from enterprises.services import membership_change_role

    admin, second = make_user(), make_user()
    enterprise = make_enterprise(admin, members=[second])
    membership_change_role(actor=admin, membership=second.membership, role="admin")
    admin.refresh_from_db()

    services.user_delete(actor=admin, password=PASSWORD)

    assert enterprise.memberships.get().user == second


def test_sole_member_admin_may_delete_and_the_enterprise_stays(make_user, make_enterprise):
    from enterprises.models import Enterprise

    admin = make_user()
    enterprise = make_enterprise(admin)

    services.user_delete(actor=admin, password=PASSWORD)

    assert Enterprise.objects.filter(pk=enterprise.pk).exists()
    assert not enterprise.memberships.exists()
