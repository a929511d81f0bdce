"""Fixtures for the account tests: a fast password hasher, a clock the throttle reads, and
users and enterprises built through the services."""

from __future__ import annotations

import itertools

import pytest

from portal.accounts import services, throttle

PASSWORD = "Hubei-cluster-2026!"


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings):
    # Log-in tests hash many passwords; the real hasher's cost is not what they test.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


class FakeClock:
    def __init__(self, start: float = 1_800_000_000.0):
        self.now = start

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def clock(monkeypatch) -> FakeClock:
    """Time as the log-in throttle sees it; ``clock.advance(s)`` moves it on."""
    fake = FakeClock()
    monkeypatch.setattr(throttle, "clock", fake)
    return fake


_numbers = itertools.count(1)


@pytest.fixture
def make_user(db):
    def make(email: str | None = None, *, name: str = "张伟", phone: str = "", **extra):
        n = next(_numbers)
        return services.user_signup(
            name=name,
            email=email or f"user{n}@example.com",
            password=PASSWORD,
            phone=phone,
            consent=True,
            **extra,
        )

    return make


@pytest.fixture
def make_enterprise(ref):
    """An enterprise created by ``admin`` through the services, with ``members`` invited and
    joined; every step writes its audit entry."""
    from clusters.models import IndustryCode, Region
    from enterprises.credit_code import make_credit_code
    from enterprises.services import enterprise_create, invitation_accept, invitation_create

    def make(admin, *, members=(), name: str | None = None):
        n = next(_numbers)
        enterprise = enterprise_create(
            actor=admin,
            name=name or f"武汉示范机床有限公司{n}",
            credit_code=make_credit_code("9", "1", "420100", f"HB{n:06d}"),
            region=Region.objects.get(code="420100"),
            industry=IndustryCode.objects.get(code="3421"),
            employees=80,
            revenue_band=1000,
        )
        for member in members:
            _invitation, token = invitation_create(
                actor=admin, enterprise=enterprise, email=member.email
            )
            invitation_accept(actor=member, token=token)
        return enterprise

    return make
