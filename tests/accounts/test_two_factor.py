"""Park administrators, platform supervisors and government officers log in with a second
factor (TOTP or a one-time recovery code); enterprise staff do not need one."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.authtoken.models import Token

from clusters.choices import RoleKind
from clusters.models import Park, Region, RoleGrant
from tests.accounts.conftest import PASSWORD

pytestmark = pytest.mark.two_factor

LOGIN = "/accounts/login/"
SETUP = "/accounts/two-factor/setup/"
VERIFY = "/accounts/two-factor/verify/"


def _code(device: TOTPDevice, offset: int = 0) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=offset):06d}"


def _wuhan() -> Region:
    # Its own row if the reference data is not loaded: these tests need a region, not the
    # reference data (in a full run, the module's shared reference data is not always there).
    region, _created = Region.objects.get_or_create(
        code="420100", defaults={"name": "武汉市", "level": "prefecture"}
    )
    return region


@pytest.fixture
def officer(make_user, ref):
    user = make_user("officer@example.com")
    RoleGrant.objects.create(user=user, kind=RoleKind.GOVERNMENT_OFFICER, region=_wuhan())
    return user


@pytest.fixture
def park_admin(make_user, ref):
    user = make_user("parkadmin@example.com")
    # A park of its own: the test needs one park, not any particular reference row.
    park = Park.objects.create(
        name="两步验证测试园区",
        level="provincial",
        type="economic",
        region=_wuhan(),
    )
    RoleGrant.objects.create(user=user, kind=RoleKind.PARK_ADMIN, park=park)
    return user


@pytest.fixture
def supervisor(make_user, ref):
    user = make_user("supervisor@example.com")
    RoleGrant.objects.create(user=user, kind=RoleKind.PLATFORM_SUPERVISOR)
    return user


def _login(client, user):
    return client.post(LOGIN, {"username": user.email, "password": PASSWORD})


def _set_up(client, user) -> tuple[TOTPDevice, list[str]]:
    client.get(SETUP)
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    response = client.post(SETUP, {"token": _code(device), "next": "/"})
    assert response.status_code == 200
    device.refresh_from_db()
    return device, response.context["codes"]


@pytest.mark.parametrize("role", ["officer", "park_admin", "supervisor"])
def test_a_role_holder_without_an_authenticator_is_sent_to_set_one_up(client, role, request):
    user = request.getfixturevalue(role)
    _login(client, user)
    response = client.get("/dashboards/")
    assert response.status_code == 302
    assert response["Location"].startswith(SETUP)
    api = client.get("/api/v1/listings/")
    assert api.status_code == 403
    assert "two-factor" in api.json()["detail"]


def test_a_wrong_code_does_not_confirm_the_authenticator(client, officer):
    _login(client, officer)
    client.get(SETUP)
    device = TOTPDevice.objects.get(user=officer, confirmed=False)
    wrong = f"{(int(_code(device)) + 1) % 1_000_000:06d}"
    response = client.post(SETUP, {"token": wrong})
    assert response.status_code == 200
    assert "验证码不正确" in response.content.decode()
    device.refresh_from_db()
    assert not device.confirmed
    assert client.get("/dashboards/").status_code == 302


def test_setting_up_gives_ten_recovery_codes_and_opens_the_pages(client, officer):
    _login(client, officer)
    device, codes = _set_up(client, officer)
    assert device.confirmed
    assert len(codes) == 10
    assert len(set(codes)) == 10
    assert client.get("/dashboards/").status_code == 200


def test_next_log_in_asks_for_the_code_and_refuses_a_wrong_one(client, officer, settings):
    # Without the back-off after a failure (tested below), the right code is taken at once.
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    _login(client, officer)
    device, _codes = _set_up(client, officer)
    client.post("/accounts/logout/")
    _login(client, officer)
    response = client.get("/dashboards/")
    assert response["Location"].startswith(VERIFY)
    wrong = f"{(int(_code(device)) + 1) % 1_000_000:06d}"
    assert "不正确" in client.post(VERIFY, {"token": wrong}).content.decode()
    assert client.get("/dashboards/").status_code == 302
    # The code used at set-up cannot be replayed: take the next time step's (within tolerance).
    ok = client.post(VERIFY, {"token": _code(device, 1), "next": "/dashboards/"})
    assert ok.status_code == 302
    assert ok["Location"] == "/dashboards/"
    assert client.get("/dashboards/").status_code == 200


def test_a_code_cannot_be_replayed(client, officer):
    _login(client, officer)
    device, _codes = _set_up(client, officer)
    client.post("/accounts/logout/")
    _login(client, officer)
    replay = client.post(VERIFY, {"token": _code(device)})
    assert replay.status_code == 200
    assert client.get("/dashboards/").status_code == 302


def test_a_recovery_code_works_once(client, officer):
    _login(client, officer)
    _device, codes = _set_up(client, officer)
    client.post("/accounts/logout/")
    _login(client, officer)
    assert client.post(VERIFY, {"token": codes[0], "next": "/"}).status_code == 302
    assert client.get("/dashboards/").status_code == 200
    client.post("/accounts/logout/")
    _login(client, officer)
    again = client.post(VERIFY, {"token": codes[0]})
    assert again.status_code == 200
    assert client.get("/dashboards/").status_code == 302


def test_verify_refuses_an_outside_next_address(client, officer):
    _login(client, officer)
    device, _codes = _set_up(client, officer)
    client.post("/accounts/logout/")
    _login(client, officer)
    response = client.post(VERIFY, {"token": _code(device, 1), "next": "https://evil.example/"})
    assert response["Location"] == "/"


def test_enterprise_staff_need_no_second_factor(client, make_user, ref):
    user = make_user("staff@example.com")
    _login(client, user)
    assert client.get("/listings/").status_code == 200
    assert client.get(reverse("enterprises:onboarding")).status_code == 200


def test_an_api_token_cannot_bypass_the_second_factor(client, officer, make_user):
    token = Token.objects.create(user=officer)
    response = client.get("/api/v1/listings/", HTTP_AUTHORIZATION=f"Token {token.key}")
    assert response.status_code in (401, 403)
    staff = make_user("staff2@example.com")
    staff_token = Token.objects.create(user=staff)
    ok = client.get("/api/v1/listings/", HTTP_AUTHORIZATION=f"Token {staff_token.key}")
    assert ok.status_code == 200


def test_after_a_wrong_code_even_the_right_one_waits_for_the_back_off(client, officer):
    _login(client, officer)
    device, _codes = _set_up(client, officer)
    client.post("/accounts/logout/")
    _login(client, officer)
    wrong = f"{(int(_code(device, 1)) + 1) % 1_000_000:06d}"
    client.post(VERIFY, {"token": wrong})
    right_too_soon = client.post(VERIFY, {"token": _code(device, 1)})
    assert right_too_soon.status_code == 200
    assert client.get("/dashboards/").status_code == 302
