"""enterprises.services.enterprise_transition under real concurrency: of two supervisors acting on
one pending enterprise at the same moment, exactly one wins and the other gets a Conflict.

Two threads, two real PostgreSQL connections, committed data (``transaction=True``), so the
row lock is what decides. SQLite serialises writers on the whole file and cannot show this;
the test needs PostgreSQL and, under CI=true, fails rather than skips without it.
"""

from __future__ import annotations

import threading
import time
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection, connections, transaction

from clusters.choices import RoleKind
from clusters.errors import Conflict
from clusters.models import IndustryCode, Park, Region, RoleGrant
from enterprises import services
from enterprises.choices import VerificationStatus
from enterprises.credit_code import make_credit_code
from enterprises.models import AuditEntry, Enterprise

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("requires_postgres"),
]


@pytest.fixture
def world():
    """Just enough of Hubei, a park, its administrator, a platform supervisor, a founder."""
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
    RoleGrant.objects.create(user=park_admin, kind=RoleKind.PARK_ADMIN, park=park)
    RoleGrant.objects.create(user=supervisor, kind=RoleKind.PLATFORM_SUPERVISOR)
    return {
        "region": wuhan,
        "park": park,
        "industry": industry,
        "park_admin": park_admin,
        "supervisor": supervisor,
    }


def pending_enterprise(world, n: int) -> Enterprise:
    founder = get_user_model().objects.create_user(email=f"founder-{n}@example.com", name="陈静")
    return services.enterprise_create(
        actor=founder,
        name=f"武汉光谷新材料科技有限公司{n}",
        credit_code=make_credit_code("9", "1", "420100", f"HBRC{n:04d}"),
        region=world["region"],
        park=world["park"],
        industry=world["industry"],
        employees=45,
        revenue_band=1000,
    )


def in_thread(outcomes: dict, key: str, act) -> threading.Thread:
    """Run ``act`` on its own connection; record "won", the Conflict, or the error."""

    def run():
        try:
            act()
            outcomes[key] = "won"
        except Conflict as exc:
            outcomes[key] = exc
        except Exception as exc:  # reported by the test
            outcomes[key] = exc
        finally:
            connections.close_all()

    thread = threading.Thread(target=run, name=key)
    thread.start()
    return thread


def waiting_for_a_lock() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_locks WHERE NOT granted")
        return cursor.fetchone()[0]


def test_approve_waiting_on_a_reject_in_progress_gets_a_conflict(world):
    enterprise = pending_enterprise(world, 1)
    outcomes: dict = {}
    rejecting, release = threading.Event(), threading.Event()

    def reject_and_hold():
        with transaction.atomic():
            services.enterprise_transition(
                actor=world["supervisor"], enterprise=enterprise, action="reject", reason="材料不全"
            )
            rejecting.set()
            release.wait(10)  # keep the row locked until the approval is queued behind us

    def approve():
        rejecting.wait(10)
        services.enterprise_transition(
            actor=world["park_admin"], enterprise=enterprise, action="verify"
        )

    first = in_thread(outcomes, "reject", reject_and_hold)
    second = in_thread(outcomes, "verify", approve)
    deadline = time.monotonic() + 10
    while not waiting_for_a_lock() and time.monotonic() < deadline:
        time.sleep(0.02)
    assert waiting_for_a_lock(), "the approval never queued behind the rejection's row lock"
    release.set()
    first.join(10)
    second.join(10)

    assert outcomes["reject"] == "won"
    assert isinstance(outcomes["verify"], Conflict), outcomes["verify"]
    assert outcomes["verify"].current_state == VerificationStatus.REJECTED
    assert Enterprise.objects.get(pk=enterprise.pk).status == VerificationStatus.REJECTED
    decisions = AuditEntry.objects.filter(object_id=str(enterprise.pk)).exclude(
        action="enterprise.create"
    )
    assert [e.action for e in decisions] == ["enterprise.reject"]


@pytest.mark.parametrize("round_", range(5))
def test_simultaneous_approve_and_reject_exactly_one_wins(world, round_):
    enterprise = pending_enterprise(world, 10 + round_)
    outcomes: dict = {}
    barrier = threading.Barrier(2)

    def act(actor, action, reason=""):
        def run():
            barrier.wait(10)
            services.enterprise_transition(
                actor=actor, enterprise=enterprise, action=action, reason=reason
            )

        return run

    threads = [
        in_thread(outcomes, "verify", act(world["park_admin"], "verify")),
        in_thread(outcomes, "reject", act(world["supervisor"], "reject", "信用代码与名称不符")),
    ]
    for thread in threads:
        thread.join(10)

    winners = [key for key, outcome in outcomes.items() if outcome == "won"]
    assert len(winners) == 1, outcomes
    loser = next(outcome for outcome in outcomes.values() if outcome != "won")
    assert isinstance(loser, Conflict), loser
    expected = {"verify": VerificationStatus.VERIFIED, "reject": VerificationStatus.REJECTED}
    assert loser.current_state == expected[winners[0]]
    assert Enterprise.objects.get(pk=enterprise.pk).status == expected[winners[0]]
    # One decision in the log, and the chain still holds.
    assert (
        AuditEntry.objects.filter(
            object_id=str(enterprise.pk), action__in=["enterprise.verify", "enterprise.reject"]
        ).count()
        == 1
    )
    out = StringIO()
    call_command("verify_audit_log", stdout=out)
    assert "audit log OK" in out.getvalue()
