"""portal.accounts.views: the account pages, end to end through the test client."""

import json
import re

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import override_settings

from portal.accounts import services
from tests.accounts.conftest import PASSWORD
from tests.helpers import assert_portal_page, set_language

User = get_user_model()

SIGNUP = "/accounts/signup/"
LOGIN = "/accounts/login/"
LOCKED = "登录失败次数过多"


def signup_data(**overrides) -> dict:
    data = {
        "name": "李娜",
        "email": "li.na@example.com",
        "phone": "13800138000",
        "password": PASSWORD,
        "password_confirm": PASSWORD,
        "consent": "on",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def log_in(client, email, password=PASSWORD, **extra):
    return client.post(LOGIN, {"username": email, "password": password}, **extra)


def logged_in_user_id(client):
    return client.session.get("_auth_user_id")


# --- Sign-up -------------------------------------------------------------------------------


def test_signup_logs_in_and_continues_to_the_enterprise_step(client, db):
    response = client.post(SIGNUP, signup_data())

    assert response.status_code == 302
    assert response["Location"] == "/enterprises/start/"
    user = User.objects.get()
    assert user.email == "li.na@example.com" and user.privacy_consent_at
    assert logged_in_user_id(client) == str(user.pk)


def test_signup_falls_back_to_home_without_the_enterprise_step(client, db, monkeypatch):
    from portal.accounts import views

    monkeypatch.setattr(views, "NEXT_STEP_AFTER_SIGNUP", "enterprises:no_such_page")

    response = client.post(SIGNUP, signup_data())

    assert response["Location"] == "/"


def test_signup_remembers_the_language_in_use(client, db):
    set_language(client, "en")

    client.post(SIGNUP, signup_data())

    assert User.objects.get().language == "en"


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"consent": None}, "consent", "请阅读并同意隐私声明后再注册。"),
        ({"password_confirm": PASSWORD + "x"}, "password_confirm", "两次输入的密码不一致。"),
        ({"password": "12345678", "password_confirm": "12345678"}, "password", None),
        ({"email": "not-an-address"}, "email", None),
        ({"name": ""}, "name", None),
    ],
    ids=["missing-consent", "password-mismatch", "weak-password", "bad-email", "no-name"],
)
def test_signup_refusal_names_the_field_and_saves_nothing(client, db, overrides, field, message):
    response = client.post(SIGNUP, signup_data(**overrides))

    assert response.status_code == 200
    errors = response.context["form"].errors
    assert field in errors
    if message:
        assert errors[field] == [message]
    assert not User.objects.exists()
    assert logged_in_user_id(client) is None
    assert 'aria-invalid="true"' in response.content.decode()


def test_signup_with_a_registered_email_in_another_case_is_refused(client, make_user):
    make_user("li.na@example.com")

    response = client.post(SIGNUP, signup_data(email="LI.NA@Example.com"))

    assert response.status_code == 200
    assert response.context["form"].errors["email"] == ["该邮箱已注册"]
    assert User.objects.count() == 1


def test_signup_page_links_the_privacy_notice(client, db):
    html = client.get(SIGNUP).content.decode()

    assert 'href="/accounts/privacy/"' in html
    assert 'name="consent"' in html


def test_privacy_notice_states_what_why_and_how_long(client, db):
    html = client.get("/accounts/privacy/").content.decode()

    for fact in (
        "姓名",
        "电子邮箱",
        "手机号码",
        "联系人",
        "认证",
        "匹配",
        "接受对接意向后",
        "30 日",
        "180 日",
        "用户编号",
        services.PRIVACY_NOTICE_VERSION,
    ):
        assert fact in html, fact


# --- Log-in and lockout --------------------------------------------------------------------


def test_login_by_email_in_any_case(client, make_user):
    user = make_user("wang.fang@example.com")

    response = log_in(client, "Wang.Fang@Example.com")

    assert response.status_code == 302 and response["Location"] == "/"
    assert logged_in_user_id(client) == str(user.pk)


def test_wrong_password_is_refused_without_saying_which_part(client, make_user):
    make_user("wang.fang@example.com")

    response = log_in(client, "wang.fang@example.com", "wrong")

    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == ["邮箱或密码不正确。"]


def test_account_is_locked_after_five_failures_even_for_the_right_password(
    client, make_user, clock
):
    make_user("wang.fang@example.com")
    for _ in range(4):
        assert LOCKED not in log_in(client, "wang.fang@example.com", "wrong").content.decode()

    fifth = log_in(client, "wang.fang@example.com", "wrong")
    right = log_in(client, "wang.fang@example.com")

    assert "登录失败次数过多，请于 15 分钟后再试。" in fifth.content.decode()
    assert right.status_code == 200
    assert "登录失败次数过多，请于 15 分钟后再试。" in right.content.decode()
    assert logged_in_user_id(client) is None


@override_settings(LOGIN_FAILURE_LIMIT=3, LOGIN_LOCKOUT_SECONDS=120)
def test_right_password_is_accepted_once_the_lock_expires(client, make_user, clock):
    user = make_user("wang.fang@example.com")
    for _ in range(3):
        log_in(client, "wang.fang@example.com", "wrong")

    clock.advance(61)
    during = log_in(client, "wang.fang@example.com")
    clock.advance(60)
    after = log_in(client, "wang.fang@example.com")

    assert "请于 1 分钟后再试" in during.content.decode()
    assert after.status_code == 302
    assert logged_in_user_id(client) == str(user.pk)


@override_settings(LOGIN_FAILURE_LIMIT=3)
def test_successful_login_clears_the_account_count(client, make_user, clock):
    make_user("wang.fang@example.com")
    for _ in range(2):
        log_in(client, "wang.fang@example.com", "wrong")
    assert log_in(client, "wang.fang@example.com").status_code == 302
    client.post("/accounts/logout/")

    for _ in range(2):
        log_in(client, "wang.fang@example.com", "wrong")

    assert log_in(client, "wang.fang@example.com").status_code == 302


@override_settings(LOGIN_FAILURE_LIMIT=10, LOGIN_ADDRESS_FAILURE_LIMIT=4)
def test_one_address_guessing_many_accounts_is_locked(client, make_user, clock):
    make_user("wang.fang@example.com")
    for n in range(4):
        log_in(client, f"guess{n}@example.com", "wrong", REMOTE_ADDR="203.0.113.9")

    same_address = log_in(client, "wang.fang@example.com", REMOTE_ADDR="203.0.113.9")
    other_address = log_in(client, "wang.fang@example.com", REMOTE_ADDR="198.51.100.20")

    assert same_address.status_code == 200
    assert "来自您所在网络地址的登录失败次数过多" in same_address.content.decode()
    assert other_address.status_code == 302


def test_default_limits(settings):
    assert settings.LOGIN_FAILURE_LIMIT == 5
    assert settings.LOGIN_ADDRESS_FAILURE_LIMIT == 20
    assert settings.LOGIN_FAILURE_WINDOW == 900
    assert settings.LOGIN_LOCKOUT_SECONDS == 900


def test_login_restores_the_users_language(client, make_user):
    make_user("wang.fang@example.com", language="en")

    response = log_in(client, "wang.fang@example.com")

    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"


def test_login_without_a_stored_language_leaves_the_cookie_alone(client, make_user):
    make_user("wang.fang@example.com")

    response = log_in(client, "wang.fang@example.com")

    assert settings.LANGUAGE_COOKIE_NAME not in response.cookies


def test_login_stores_the_browsers_language_on_an_account_without_one(client, make_user):
    user = make_user("wang.fang@example.com")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    log_in(client, "wang.fang@example.com")

    user.refresh_from_db()
    assert user.language == "en"  # notifications and e-mails now come in English


def test_login_keeps_a_stored_language_over_the_browsers(client, make_user):
    user = make_user("wang.fang@example.com", language="zh-hans")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    response = log_in(client, "wang.fang@example.com")

    user.refresh_from_db()
    assert user.language == "zh-hans"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "zh-hans"


def test_pages_for_members_send_visitors_to_login(client, db):
    response = client.get("/accounts/me/")

    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/accounts/me/"


# --- Log-out -------------------------------------------------------------------------------


def test_logout_refuses_get(client, make_user):
    client.force_login(make_user())

    assert client.get("/accounts/logout/").status_code == 405
    assert logged_in_user_id(client) is not None


def test_logout_by_post(client, make_user):
    client.force_login(make_user())

    response = client.post("/accounts/logout/")

    assert response.status_code == 302 and response["Location"] == "/"
    assert logged_in_user_id(client) is None


# --- Language preference -------------------------------------------------------------------


def test_switching_language_when_logged_in_is_remembered(client, make_user):
    user = make_user()
    client.force_login(user)

    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})

    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    user.refresh_from_db()
    assert user.language == "en"


def test_switching_language_anonymously_still_works(client, db):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})

    assert response.status_code == 302
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"


def test_remembered_language_follows_the_user_to_another_browser(client, make_user):
    user = make_user("wang.fang@example.com")
    client.force_login(user)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})

    other_browser = client.__class__()
    response = log_in(other_browser, "wang.fang@example.com")

    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"


# --- Passwords -----------------------------------------------------------------------------


def test_password_change(client, make_user):
    client.force_login(make_user("wang.fang@example.com"))
    new = "Another-good-passphrase-7"

    response = client.post(
        "/accounts/password/change/",
        {
            "old_password": PASSWORD,
            "new_password1": new,
            "new_password2": new,
        },
    )

    assert response["Location"] == "/accounts/password/change/done/"
    client.post("/accounts/logout/")
    assert log_in(client, "wang.fang@example.com", new).status_code == 302


def reset_link(message) -> str:
    match = re.search(
        r"https?://testserver(/accounts/password/reset/[^/\s]+/[^/\s]+/)", message.body
    )
    assert match, message.body
    return match.group(1)


def test_password_reset_sends_a_working_link(client, make_user):
    make_user("wang.fang@example.com")

    response = client.post("/accounts/password/reset/", {"email": "Wang.Fang@example.com"})

    assert response["Location"] == "/accounts/password/reset/sent/"
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["wang.fang@example.com"]
    assert "重设" in message.subject
    form_page = client.get(reset_link(message), follow=True)
    assert form_page.context["validlink"]
    new = "Reset-passphrase-2026"
    done = client.post(
        form_page.redirect_chain[-1][0],
        {
            "new_password1": new,
            "new_password2": new,
        },
    )
    assert done["Location"] == "/accounts/password/reset/complete/"
    assert log_in(client, "wang.fang@example.com", new).status_code == 302


def test_password_reset_for_an_unknown_address_sends_nothing_and_says_the_same(client, db):
    response = client.post("/accounts/password/reset/", {"email": "nobody@example.com"})

    assert response["Location"] == "/accounts/password/reset/sent/"
    assert mail.outbox == []


@override_settings(LOGIN_FAILURE_LIMIT=2)
def test_password_reset_lifts_the_lock(client, make_user, clock):
    make_user("wang.fang@example.com")
    for _ in range(2):
        log_in(client, "wang.fang@example.com", "wrong")
    client.post("/accounts/password/reset/", {"email": "wang.fang@example.com"})
    form_page = client.get(reset_link(mail.outbox[0]), follow=True)
    new = "Reset-passphrase-2026"
    client.post(form_page.redirect_chain[-1][0], {"new_password1": new, "new_password2": new})

    assert log_in(client, "wang.fang@example.com", new).status_code == 302


# --- My data, export, deletion -------------------------------------------------------------


def test_my_data_page_shows_the_account(client, make_user):
    user = make_user("wang.fang@example.com", name="王芳", phone="13900139000")
    client.force_login(user)

    html = client.get("/accounts/me/").content.decode()

    for shown in (
        "王芳",
        "wang.fang@example.com",
        "13900139000",
        services.PRIVACY_NOTICE_VERSION,
        'href="/accounts/me/export.json"',
        'href="/accounts/me/delete/"',
    ):
        assert shown in html


def test_my_data_page_shows_enterprise_roles_and_requests(client, make_user, make_enterprise):
    from clusters.choices import RoleKind
    from clusters.models import RoleGrant

    admin = make_user()
    make_enterprise(admin, name="十堰商用车配件有限公司")
    RoleGrant.objects.create(user=admin, kind=RoleKind.PLATFORM_SUPERVISOR)
    client.force_login(admin)

    me_page = client.get("/accounts/me/").content.decode()
    delete_page = client.get("/accounts/me/delete/").content.decode()

    assert "十堰商用车配件有限公司" in me_page and "企业管理员" in me_page
    assert "平台监管员" in me_page
    assert "十堰商用车配件有限公司" in delete_page and "移交" in delete_page


def test_export_contains_my_data_and_nobody_elses(client, make_user, make_enterprise):
    admin = make_user("admin@example.com", name="赵强", phone="13700137000")
    me = make_user("wang.fang@example.com", name="王芳", phone="13900139000")
    make_enterprise(admin, members=[me], name="宜昌化工装备有限公司")
    client.force_login(me)

    response = client.get("/accounts/me/export.json")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response["Content-Disposition"] == f'attachment; filename="personal-data-{me.pk}.json"'
    data = json.loads(response.content)
    assert data["account"]["email"] == "wang.fang@example.com"
    assert data["account"]["name"] == "王芳"
    assert data["account"]["phone"] == "13900139000"
    assert data["privacy_consent"]["consented_at"]
    assert data["privacy_consent"]["notice_version"] == services.PRIVACY_NOTICE_VERSION
    assert data["membership"]["enterprise"] == "宜昌化工装备有限公司"
    assert data["membership"]["role"] == "member"
    assert data["role_grants"] == []
    text = response.content.decode()
    for other in ("admin@example.com", "赵强", "13700137000"):
        assert other not in text


def test_export_lists_role_grants(client, make_user):
    from clusters.choices import RoleKind
    from clusters.models import RoleGrant

    user = make_user()
    RoleGrant.objects.create(user=user, kind=RoleKind.PLATFORM_SUPERVISOR)
    client.force_login(user)

    data = client.get("/accounts/me/export.json").json()

    assert [g["kind"] for g in data["role_grants"]] == ["platform_supervisor"]
    assert data["membership"] is None


def test_delete_with_the_wrong_password_keeps_the_account(client, make_user):
    user = make_user()
    client.force_login(user)

    response = client.post("/accounts/me/delete/", {"password": "wrong"})

    assert response.status_code == 200
    assert response.context["form"].errors["password"] == ["密码不正确。"]
    user.refresh_from_db()
    assert user.is_active


def test_delete_anonymises_and_logs_out(client, make_user):
    user = make_user("wang.fang@example.com", name="王芳")
    client.force_login(user)

    response = client.post("/accounts/me/delete/", {"password": PASSWORD})

    assert response.status_code == 302 and response["Location"] == "/"
    assert logged_in_user_id(client) is None
    user.refresh_from_db()
    assert (user.name, user.email, user.is_active) == (
        "已注销用户",
        f"deleted-{user.pk}@invalid",
        False,
    )
    assert log_in(client, "wang.fang@example.com").status_code == 200


def test_delete_is_refused_for_the_last_admin_with_members(client, make_user, make_enterprise):
    admin, member = make_user(), make_user()
    make_enterprise(admin, members=[member], name="荆州汽车零部件有限公司")
    client.force_login(admin)

    response = client.post("/accounts/me/delete/", {"password": PASSWORD})

    assert response.status_code == 200
    html = response.content.decode()
    assert "荆州汽车零部件有限公司" in html and "移交" in html
    admin.refresh_from_db()
    assert admin.is_active
    assert logged_in_user_id(client) == str(admin.pk)


def test_delete_keeps_the_audit_log(client, make_user, make_enterprise):
    from enterprises.audit import audit_verify
    from enterprises.models import AuditEntry

    admin = make_user()
    make_enterprise(admin)
    before = AuditEntry.objects.filter(actor_id=admin.pk).count()
    client.force_login(admin)

    client.post("/accounts/me/delete/", {"password": PASSWORD})

    assert AuditEntry.objects.filter(actor_id=admin.pk).count() == before + 1  # + the leave
    assert audit_verify() is None


# --- Navigation and both languages ---------------------------------------------------------


def test_navigation_offers_login_and_signup_to_visitors(client, db):
    html = client.get("/accounts/privacy/").content.decode()

    assert 'href="/accounts/login/"' in html and 'href="/accounts/signup/"' in html


def test_navigation_offers_my_data_and_a_logout_form_to_users(client, make_user):
    client.force_login(make_user(name="王芳"))

    html = client.get("/accounts/privacy/").content.decode()

    assert "王芳" in html
    assert 'href="/accounts/me/"' in html and 'href="/accounts/password/change/"' in html
    assert re.search(r'<form method="post" action="/accounts/logout/">', html)
    assert 'href="/accounts/logout/"' not in html


PUBLIC_PAGES = [
    SIGNUP,
    LOGIN,
    "/accounts/privacy/",
    "/accounts/password/reset/",
    "/accounts/password/reset/sent/",
    "/accounts/password/reset/complete/",
    "/accounts/password/reset/MQ/bad-token/",
]
MEMBER_PAGES = [
    "/accounts/me/",
    "/accounts/me/delete/",
    "/accounts/password/change/",
    "/accounts/password/change/done/",
]


@pytest.mark.parametrize("language", ["zh-hans", "en"])
@pytest.mark.parametrize("url", PUBLIC_PAGES)
def test_public_pages_render_in_both_languages(client, db, url, language):
    set_language(client, language)

    assert_portal_page(client.get(url), language)


@pytest.mark.parametrize("language", ["zh-hans", "en"])
@pytest.mark.parametrize("url", MEMBER_PAGES)
def test_member_pages_render_in_both_languages(client, make_user, url, language):
    client.force_login(make_user())
    set_language(client, language)

    assert_portal_page(client.get(url), language)
