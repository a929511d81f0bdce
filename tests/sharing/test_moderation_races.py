"""Two supervisors decide one pending listing at the same moment: exactly one wins.

Two threads, each with its own PostgreSQL connection, on committed data (``transaction=True``),
released together by a barrier, so the row lock in ``listing_transition`` is what decides.
SQLite serialises writers on the whole file and cannot show this: the module needs
PostgreSQL, and under CI=true it fails rather than skips without it (tests/policy.py).

The world is built by hand rather than from the reference data and the cast: a transactional
test empties the database after itself, and the cast lives in a rolled-back transaction.
"""

from __future__ import annotations

import threading
from decimal import Decimal
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connections
from django.test import Client

from clusters.choices import RoleKind
from clusters.errors import Conflict
from clusters.models import IndustryCode, Park, Region, RoleGrant
from enterprises import services as enterprise_services
from enterprises.credit_code import make_credit_code
from enterprises.models import AuditEntry
from sharing import services
from sharing.choices import ListingStatus as S
from sharing.models import Listing, ModerationDecision
from sharing.moderation import listing_transition

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("requires_postgres"),
]
OUTCOME = {"approve": S.PUBLISHED, "reject": S.REJECTED}


@pytest.fixture
def world():
    """Wuhan, park 武汉东湖高新区 with its administrator, a platform supervisor, and firm A
    (verified) with a member who posts."""
    User = get_user_model()
    hubei = Region.objects.create(code="420000", name="湖北省", level="province")
    wuhan = Region.objects.create(code="420100", name="武汉市", level="prefecture", parent=hubei)
    park = Park.objects.create(
        name="武汉东湖高新区", level="national", type="high_tech", region=wuhan
    )
    industry = IndustryCode.objects.create(
        code="3421", name="金属切削机床制造", level="class", section="C"
    )
    park_admin = User.objects.create_user(email="park-admin-a@example.com", name="赵敏")
    supervisor = User.objects.create_user(email="supervisor@example.com", name="周平")
    member = User.objects.create_user(email="member-a@example.com", name="李娜")
    RoleGrant.objects.create(user=park_admin, kind=RoleKind.PARK_ADMIN, park=park)
    RoleGrant.objects.create(user=supervisor, kind=RoleKind.PLATFORM_SUPERVISOR)
    firm = enterprise_services.enterprise_create(
        actor=member,
        name="武汉华中精密机床有限公司",
        credit_code=make_credit_code("9", "1", "420100", "HBCA0001"),
        region=wuhan,
        park=park,
        industry=industry,
        employees=180,
        revenue_band=5000,
    )
    enterprise_services.enterprise_transition(actor=park_admin, enterprise=firm, action="verify")
    return {
        "industry": industry,
        "park_admin": park_admin,
        "supervisor": supervisor,
        "member": member,
    }


def pending_listing(world, n: int) -> Listing:
    return services.listing_create(
        actor=world["member"],
        submit=True,
        kind="capacity",
        direction="offer",
        title=f"数控机床闲置产能出租{n}",
        description="五台立式加工中心，每月可提供约 400 机时。",
        industry=world["industry"],
        quantity=Decimal("400"),
        unit="machine_hours_month",
        attributes={"facility": "equipment", "machine_type": "VMC850"},
    )


def in_thread(outcomes: dict, key: str, act) -> threading.Thread:
    """Run ``act`` on the thread's own connection; record its result or its exception."""

    def run():
        try:
            outcomes[key] = act()
        except Exception as exc:  # reported by the test
            outcomes[key] = exc
        finally:
            connections.close_all()

    thread = threading.Thread(target=run, name=key)
    thread.start()
    return thread


def run_together(acts: dict) -> dict:
    outcomes: dict = {}
    threads = [in_thread(outcomes, key, act) for key, act in acts.items()]
    for thread in threads:
        thread.join(20)
    assert not any(t.is_alive() for t in threads), "a decision never finished"
    return outcomes


def assert_chain_holds() -> None:
    out = StringIO()
    call_command("verify_audit_log", stdout=out)
    assert "audit log OK" in out.getvalue()


@pytest.mark.parametrize("round_", range(5))
def test_simultaneous_approve_and_reject_exactly_one_wins(world, round_):
    listing = pending_listing(world, round_)
    barrier = threading.Barrier(2)

    def decide(actor, action, **reason):
        def act():
            barrier.wait(10)
            return listing_transition(actor=actor, listing=listing, action=action, **reason)

        return act

    outcomes = run_together(
        {
            "approve": decide(world["park_admin"], "approve"),
            "reject": decide(world["supervisor"], "reject", reason="misleading", note="夸大产能"),
        }
    )

    winners = [key for key, outcome in outcomes.items() if isinstance(outcome, Listing)]
    assert len(winners) == 1, outcomes
    [loser] = [outcome for outcome in outcomes.values() if not isinstance(outcome, Listing)]
    assert isinstance(loser, Conflict), loser
    assert loser.current_state == OUTCOME[winners[0]]
    assert Listing.objects.get(pk=listing.pk).status == OUTCOME[winners[0]]
    assert ModerationDecision.objects.filter(listing=listing).count() == 1
    assert (
        AuditEntry.objects.filter(
            object_id=str(listing.pk), action__in=["listing.approve", "listing.reject"]
        ).count()
        == 1
    )
    assert_chain_holds()


@pytest.mark.parametrize("round_", range(3))
def test_the_loser_through_the_api_gets_409_with_the_current_state(world, round_):
    listing = pending_listing(world, 10 + round_)
    clients = {"approve": Client(), "reject": Client()}
    clients["approve"].force_login(world["park_admin"])
    clients["reject"].force_login(world["supervisor"])
    barrier = threading.Barrier(2)

    def post(action, body):
        def act():
            barrier.wait(10)
            return clients[action].post(
                f"/api/v1/listings/{listing.pk}/{action}/", body, content_type="application/json"
            )

        return act

    outcomes = run_together(
        {
            "approve": post("approve", {}),
            "reject": post("reject", {"reason": "misleading", "note": "夸大产能"}),
        }
    )

    statuses = {key: response.status_code for key, response in outcomes.items()}
    assert sorted(statuses.values()) == [200, 409], statuses
    [winner] = [key for key, code in statuses.items() if code == 200]
    [loser] = [key for key, code in statuses.items() if code == 409]
    assert outcomes[winner].json()["status"] == OUTCOME[winner]
    assert outcomes[loser].json()["current_state"] == OUTCOME[winner]
    assert outcomes[loser].json()["detail"]
    assert Listing.objects.get(pk=listing.pk).status == OUTCOME[winner]
    assert ModerationDecision.objects.filter(listing=listing).count() == 1
    assert_chain_holds()
