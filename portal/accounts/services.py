"""Every write to a user account: sign-up, language preference, deletion.

Enterprise models are looked up through the app registry rather than imported: ``portal`` sits
above ``enterprises`` and must keep working while that app's models are reorganised.
"""

from __future__ import annotations

from importlib import import_module

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model, password_validation
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from clusters import access

# The version of the privacy notice at /accounts/privacy/. Change it whenever the notice's
# content changes, so each user's consent names the text they agreed to.
PRIVACY_NOTICE_VERSION = "2026-11"

# Stored, not shown through gettext: the row keeps this name whatever the reader's language.
DELETED_USER_NAME = "已注销用户"


def _model(app_label: str, model_name: str):
    """A model of an app above or beside ``portal``, or None while it is not installed."""
    try:
        return apps.get_model(app_label, model_name)
    except LookupError:
        return None


def _language_codes() -> set[str]:
    return {code for code, _name in settings.LANGUAGES}


@transaction.atomic
def user_signup(
    *, name: str, email: str, password: str, phone: str = "", consent: bool, language: str = ""
):
    """Create an account for a person who consented to the privacy notice.

    Raises ``ValidationError`` keyed by ``name``, ``email``, ``phone``, ``password`` or
    ``consent``, with every problem found, and saves nothing then.
    """
    User = get_user_model()
    email = User.objects.normalize_email((email or "").strip()).lower()
    user = User(
        email=email,
        name=(name or "").strip(),
        phone=(phone or "").strip(),
        language=language if language in _language_codes() else "",
    )
    errors: dict[str, list] = {}
    if not consent:
        errors["consent"] = [_("请阅读并同意隐私声明后再注册。")]
    if email and User.objects.filter(email__iexact=email).exists():
        errors["email"] = [_("该邮箱已注册")]
    try:
        password_validation.validate_password(password, user=user)
    except ValidationError as exc:
        errors["password"] = exc.error_list
    user.set_password(password)
    try:
        user.full_clean(exclude=["password", *errors], validate_unique=False)
    except ValidationError as exc:
        for field, field_errors in exc.error_dict.items():
            errors.setdefault(field, []).extend(field_errors)
    if errors:
        raise ValidationError(errors)

    now = timezone.now()
    user.privacy_consent_at = now
    user.privacy_notice_version = PRIVACY_NOTICE_VERSION
    user.date_joined = now
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError:  # another sign-up with the same address won the race
        raise ValidationError({"email": _("该邮箱已注册")}) from None
    return user


@transaction.atomic
def user_set_language(*, actor, language: str):
    """Remember the interface language the user chose; it is restored at each log-in."""
    if language not in _language_codes():
        raise ValidationError({"language": _("不支持的语言。")})
    if actor.language != language:
        actor.language = language
        actor.save(update_fields=["language"])
    return actor


def _membership(user):
    try:
        return user.membership
    except (ObjectDoesNotExist, AttributeError):  # no enterprise yet, or enterprises not installed
        return None


def _refuse_if_last_admin_with_members(membership) -> None:
    Membership = type(membership)
    # Lock the enterprise's members so a concurrent demotion or leave cannot slip between the
    # count and the deletion and leave members without an admin.
    members = list(
        Membership.objects.select_for_update().filter(enterprise_id=membership.enterprise_id)
    )
    others = [m for m in members if m.pk != membership.pk]
    other_admins = [m for m in others if m.role == "admin"]
    if membership.role == "admin" and others and not other_admins:
        raise ValidationError(
            _(
                "您是企业“%(enterprise)s”唯一的管理员，且企业还有其他成员。"
                "请先在成员管理中将管理员角色移交给其他成员，再注销账户。"
            )
            % {"enterprise": membership.enterprise.name},
            code="last_admin",
        )


def _delete_sessions(user) -> None:
    """End the user's sessions everywhere, not only in the browser that asked.

    Sessions are not indexed by user, so this reads every live session; accounts are deleted
    rarely. Even a session this misses (a non-database session engine) no longer
    authenticates: the password hash it was bound to is gone and the account is inactive.
    """
    store = import_module(settings.SESSION_ENGINE).SessionStore
    if not hasattr(store, "get_model_class"):
        return
    Session = store.get_model_class()
    user_id = str(user.pk)
    doomed = [
        session.session_key
        for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator(
            chunk_size=1000
        )
        if session.get_decoded().get("_auth_user_id") == user_id
    ]
    Session.objects.filter(session_key__in=doomed).delete()


@transaction.atomic
def user_delete(*, actor, password: str) -> None:
    """Delete the actor's own account, after they confirmed with their password.

    The row stays, anonymised, because enterprise records and the supervision log refer to
    it by id (the log's hash chain covers ids, not names, so it still verifies). Membership,
    role grants, pending join requests, sessions and API tokens go.
    """
    User = get_user_model()
    if not getattr(actor, "is_authenticated", False) or not actor.is_active:
        raise ValidationError(_("账户已注销或未登录。"))
    user = User.objects.select_for_update().get(pk=actor.pk)
    if not user.check_password(password or ""):
        raise ValidationError({"password": _("密码不正确。")})

    membership = _membership(user)
    if membership is not None:
        _refuse_if_last_admin_with_members(membership)
        from enterprises.audit import audit_record  # present whenever a membership exists

        enterprise = membership.enterprise
        membership.delete()
        audit_record(
            actor=user,
            action="membership.leave",
            obj=enterprise,
            data={"user": user.pk, "via": "account_delete"},
        )

    user.role_grants.all().delete()
    JoinRequest = _model("enterprises", "JoinRequest")
    if JoinRequest is not None:
        JoinRequest.objects.filter(user=user, status="pending").delete()
    Token = _model("authtoken", "Token")
    if Token is not None:
        Token.objects.filter(user=user).delete()
    _delete_sessions(user)

    user_anonymise_fields(user)
    access.forget(actor)


def user_anonymise_fields(user) -> None:
    """Clear what identifies the account and shut it: the one place both the user's own
    deletion and the retention job (portal/ops/retention.py) end in. The row stays, so the
    audit chain and the records that name it keep their keys."""
    user.name = DELETED_USER_NAME
    user.email = f"deleted-{user.pk}@invalid"
    user.phone = ""
    user.language = ""
    user.is_active = False
    user.is_staff = False
    user.is_superuser = False
    user.last_login = None
    user.digest_opt_in = False
    user.set_unusable_password()
    user.save()
    user.groups.clear()
    user.user_permissions.clear()
