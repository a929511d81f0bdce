"""Throttling per user and per client address: the API, sign-up, inquiries and complaints.

Limits come from settings.THROTTLE_RATES (read from the environment); these tests set small
ones. Over a limit the answer is 429 with Retry-After, and nothing is written.
"""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured

from portal.accounts import throttle
from portal.env import env_rate
from portal.models import User
from sharing.models import Complaint, Inquiry

PASSWORD = "Hubei-cluster-2026!"


class Clock:
    def __init__(self):
        self.now = 1_800_000_000.0

    def __call__(self):
        return self.now


@pytest.fixture
def clock(monkeypatch):
    fake = Clock()
    monkeypatch.setattr(throttle, "clock", fake)
    return fake


@pytest.fixture
def rates(settings):
    """Every counter off; each test turns on the one it tests."""
    settings.THROTTLE_RATES = {}
    return settings.THROTTLE_RATES


# --- The API -----------------------------------------------------------------------------------


def test_api_requests_are_limited_per_user(client, cast, rates, clock):
    rates["api_user"] = (3, 60)
    client.force_login(cast.member_a)

    answers = [client.get("/api/v1/clusters/").status_code for _ in range(4)]

    assert answers == [200, 200, 200, 429]


def test_the_api_user_limit_does_not_touch_another_user_at_the_same_address(
    client, cast, rates, clock
):
    rates["api_user"] = (2, 60)
    client.force_login(cast.member_a)
    for _ in range(3):
        client.get("/api/v1/clusters/")
    client.force_login(cast.member_b)

    assert client.get("/api/v1/clusters/").status_code == 200


def test_api_requests_are_limited_per_address_for_everyone(client, cast, rates, clock):
    rates["api_address"] = (3, 60)
    for _ in range(3):
        assert client.get("/api/v1/clusters/", REMOTE_ADDR="198.51.100.1").status_code == 200
    client.force_login(cast.member_a)

    limited = client.get("/api/v1/clusters/", REMOTE_ADDR="198.51.100.1")
    elsewhere = client.get("/api/v1/clusters/", REMOTE_ADDR="198.51.100.2")

    assert limited.status_code == 429
    assert elsewhere.status_code == 200


def test_a_throttled_api_answer_says_when_to_retry(client, cast, rates, clock):
    rates["api_user"] = (1, 60)
    clock.now = 1_800_000_000.0 - 15  # 15 s left in the one-minute window
    client.force_login(cast.member_a)
    client.get("/api/v1/clusters/")

    response = client.get("/api/v1/clusters/")

    assert response.status_code == 429
    assert response["Retry-After"] == "15"
    assert "15" in response.json()["detail"]


def test_the_api_is_open_again_in_the_next_window(client, cast, rates, clock):
    rates["api_user"] = (1, 60)
    client.force_login(cast.member_a)
    client.get("/api/v1/clusters/")
    assert client.get("/api/v1/clusters/").status_code == 429

    clock.now += 60

    assert client.get("/api/v1/clusters/").status_code == 200


# --- Sign-up -----------------------------------------------------------------------------------


def _signup(client, n: int, address: str = "203.0.113.9"):
    return client.post(
        "/accounts/signup/",
        {
            "name": "张三",
            "email": f"throttled-{n}@example.com",
            "password": PASSWORD,
            "password_confirm": PASSWORD,
            "consent": "on",
        },
        REMOTE_ADDR=address,
    )


def test_sign_ups_are_limited_per_address(client, db, rates, clock, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    rates["signup_address"] = (2, 3600)
    for n in range(2):
        assert _signup(client, n).status_code == 302
        client.logout()

    refused = _signup(client, 2)
    other_address = _signup(client, 3, address="203.0.113.10")

    assert refused.status_code == 429
    assert "操作过于频繁" in refused.content.decode()
    assert int(refused["Retry-After"]) > 0
    assert not User.objects.filter(email="throttled-2@example.com").exists()
    assert other_address.status_code == 302


# --- Inquiries and complaints ------------------------------------------------------------------


def test_inquiries_are_limited_per_user(client, cast, world, rates, clock):
    rates["inquiry_user"] = (1, 3600)
    client.force_login(cast.member_a)
    url = f"/listings/{world.listing_b.pk}/inquire/"

    first = client.post(url, {"message": "想了解设备"})
    second = client.post(url, {"message": "再问一次"})

    assert first.status_code == 302
    assert second.status_code == 429
    assert Inquiry.objects.filter(listing=world.listing_b).count() == 1


def test_the_html_form_and_the_api_share_the_inquiry_counter(client, cast, world, rates, clock):
    rates["inquiry_user"] = (1, 3600)
    client.force_login(cast.member_a)
    client.post(f"/listings/{world.listing_b.pk}/inquire/", {"message": "想了解设备"})
    Inquiry.objects.filter(listing=world.listing_b).update(status="withdrawn")

    response = client.post(
        "/api/v1/inquiries/",
        {"listing": world.listing_b.pk, "message": "再问一次"},
        content_type="application/json",
    )

    assert response.status_code == 429
    assert "Retry-After" in response


def test_inquiries_are_limited_per_address(client, cast, world, rates, clock):
    rates["inquiry_address"] = (1, 3600)
    client.force_login(cast.member_a)
    client.post(
        f"/listings/{world.listing_b.pk}/inquire/", {"message": "想了解"}, REMOTE_ADDR="192.0.2.5"
    )
    client.force_login(cast.admin_a)

    response = client.post(
        f"/listings/{world.listing_b.pk}/inquire/", {"message": "同一地址"}, REMOTE_ADDR="192.0.2.5"
    )

    assert response.status_code == 429


def test_complaints_are_limited_per_user(client, cast, world, rates, clock):
    rates["complaint_user"] = (1, 3600)
    client.force_login(cast.member_a)
    url = f"/listings/{world.listing_b.pk}/report/"

    client.post(url, {"reason": "spam", "text": "广告"})
    second = client.post(url, {"reason": "fraud", "text": "虚假"})
    by_api = client.post(
        "/api/v1/complaints/",
        {"listing": world.listing_b.pk, "reason": "fraud", "text": "虚假"},
        content_type="application/json",
    )

    assert second.status_code == 429
    assert by_api.status_code == 429
    assert Complaint.objects.filter(listing=world.listing_b).count() == 1


def test_complaints_are_limited_per_address(client, cast, world, rates, clock):
    rates["complaint_address"] = (1, 3600)
    client.force_login(cast.member_a)
    client.post(f"/listings/{world.listing_b.pk}/report/", {"reason": "spam", "text": "广告"})
    client.force_login(cast.admin_a)

    response = client.post(
        f"/listings/{world.listing_b.pk}/report/", {"reason": "spam", "text": "广告"}
    )

    assert response.status_code == 429


def test_reading_pages_is_not_counted_as_an_action(client, cast, world, rates, clock):
    rates["inquiry_user"] = (1, 3600)
    client.force_login(cast.member_a)
    for _ in range(3):
        assert client.get(f"/listings/{world.listing_b.pk}/inquire/").status_code == 200

    assert (
        client.post(f"/listings/{world.listing_b.pk}/inquire/", {"message": "想了解"}).status_code
        == 302
    )


# --- Configuration -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("100/min", (100, 60)),
        ("20/hour", (20, 3600)),
        ("5/s", (5, 1)),
        ("1/day", (1, 86400)),
        ("off", None),
        ("", None),
    ],
)
def test_rates_are_read_from_the_environment(monkeypatch, raw, expected):
    monkeypatch.setenv("THROTTLE_X", raw)

    assert env_rate("THROTTLE_X", "1/min") == expected


@pytest.mark.parametrize("raw", ["abc", "10", "10/fortnight", "-1/min", "x/min"])
def test_a_bad_rate_stops_start_up(monkeypatch, raw):
    monkeypatch.setenv("THROTTLE_X", raw)

    with pytest.raises(ImproperlyConfigured, match="THROTTLE_X"):
        env_rate("THROTTLE_X", "1/min")


def test_default_rates_leave_room_for_real_use(settings):
    """The defaults are strict enough to stop a script, loose enough for a busy person."""
    from importlib import reload

    import portal.settings as live

    rates = reload(live).THROTTLE_RATES
    assert rates["api_user"][0] / rates["api_user"][1] >= 5  # requests per second
    assert rates["signup_address"] == (20, 3600)
    assert rates["inquiry_user"] and rates["complaint_user"]
