"""enterprises.access through clusters.access: who sees which enterprise, and who may do what.

The cast is in tests/cast.py: firm A (verified) and pending A sit in park A of prefecture
420100, firm B and pending B in park B of 420600.
"""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from clusters import access
from clusters.access import ANONYMOUS, Principal
from clusters.models import Region
from enterprises import services
from enterprises.credit_code import make_credit_code
from enterprises.models import AuditEntry, Enterprise, Invitation, JoinRequest, Membership

FIRMS = ("firm_a", "pending_a", "firm_b", "pending_b")


def firms(cast) -> dict[str, Enterprise]:
    return {
        "firm_a": cast.a.firm,
        "pending_a": cast.a.pending,
        "firm_b": cast.b.firm,
        "pending_b": cast.b.pending,
    }


def visible(cast, user) -> set[str]:
    pks = set(access.scope(user, Enterprise).values_list("pk", flat=True))
    return {key for key, firm in firms(cast).items() if firm.pk in pks}


# --- Which enterprises each member of the cast sees --------------------------------------------

SCOPE = {
    "anonymous": {"firm_a", "firm_b"},
    "newcomer": {"firm_a", "firm_b"},
    "member_a": {"firm_a", "firm_b"},
    "admin_a": {"firm_a", "firm_b"},
    "member_b": {"firm_a", "firm_b"},
    "founder_a": {"firm_a", "firm_b", "pending_a"},
    "park_admin_a": {"firm_a", "firm_b", "pending_a"},
    "park_admin_b": {"firm_a", "firm_b", "pending_b"},
    "supervisor": {"firm_a", "firm_b", "pending_a", "pending_b"},
    "officer_a": {"firm_a", "firm_b", "pending_a"},
    "officer_b": {"firm_a", "firm_b", "pending_b"},
}


@pytest.mark.parametrize(("role", "expected"), SCOPE.items(), ids=SCOPE)
def test_scope_of_enterprises(cast, role, expected):
    user = None if role == "anonymous" else getattr(cast, role)

    assert visible(cast, user) == expected


def test_anonymous_sees_only_verified_enterprises(cast):
    services.enterprise_transition(
        actor=cast.supervisor, enterprise=cast.a.firm, action="suspend", reason="材料过期"
    )

    assert visible(cast, None) == {"firm_b"}


def test_member_sees_their_own_firm_while_it_is_suspended(cast):
    services.enterprise_transition(
        actor=cast.supervisor, enterprise=cast.a.firm, action="suspend", reason="材料过期"
    )

    assert "firm_a" in visible(cast, cast.member_a)
    assert "firm_a" not in visible(cast, cast.member_b)


def test_officer_sees_enterprises_in_counties_below_their_prefecture(cast):
    below = services.enterprise_create(
        actor=cast.newcomer,
        name="江夏智能装备制造有限公司",
        credit_code=make_credit_code("9", "1", "420115", "HBCJ0001"),
        region=Region.objects.get(code="420115"),
        industry=cast.a.firm.industry,
        employees=90,
        revenue_band=3000,
    )

    assert access.scope(cast.officer_a, Enterprise).filter(pk=below.pk).exists()
    assert not access.scope(cast.officer_b, Enterprise).filter(pk=below.pk).exists()
    assert not access.scope(cast.park_admin_a, Enterprise).filter(pk=below.pk).exists()
    # No park: only the platform supervisor supervises it.
    assert access.can(cast.supervisor, "verify", below)
    assert not access.can(cast.park_admin_a, "verify", below)


# --- What each may do --------------------------------------------------------------------------

# action -> firm -> roles allowed (everyone else is refused)
CAN = {
    ("view_contacts", "firm_a"): {"member_a", "admin_a", "park_admin_a", "supervisor"},
    ("view_contacts", "pending_a"): {"founder_a", "park_admin_a", "supervisor"},
    ("change", "firm_a"): {"admin_a"},
    ("manage_members", "firm_a"): {"admin_a"},
    ("change", "pending_a"): {"founder_a"},
    ("verify", "pending_a"): {"park_admin_a", "supervisor"},
    ("reject", "pending_a"): {"park_admin_a", "supervisor"},
    ("verify", "pending_b"): {"park_admin_b", "supervisor"},
    ("suspend", "firm_a"): {"park_admin_a", "supervisor"},
    ("reinstate", "firm_b"): {"park_admin_b", "supervisor"},
    # Anyone signed in who belongs to no enterprise yet.
    ("request_join", "firm_a"): {
        "newcomer",
        "park_admin_a",
        "park_admin_b",
        "supervisor",
        "officer_a",
        "officer_b",
    },
}
EVERYONE = sorted(SCOPE)


@pytest.mark.parametrize(("action", "firm"), CAN, ids=[f"{a}-{f}" for a, f in CAN])
def test_can(cast, action, firm):
    enterprise = firms(cast)[firm]

    allowed = {
        role
        for role in EVERYONE
        if access.can(None if role == "anonymous" else getattr(cast, role), action, enterprise)
    }

    assert allowed == CAN[action, firm]


def test_officers_read_but_never_act(cast):
    for action in ("view_contacts", "change", "manage_members", "verify", "reject", "suspend"):
        assert not access.can(cast.officer_a, action, cast.a.pending), action


def test_an_unknown_action_is_refused_even_to_the_platform_supervisor(cast):
    assert not access.can(cast.supervisor, "delete", cast.a.firm)


def test_get_for_answers_404_for_what_the_user_may_not_see(cast):
    with pytest.raises(Http404):
        access.get_for(cast.park_admin_b, Enterprise, "verify", pk=cast.a.pending.pk)


def test_get_for_answers_403_for_what_the_user_sees_but_may_not_do(cast):
    with pytest.raises(PermissionDenied):
        access.get_for(cast.officer_a, Enterprise, "verify", pk=cast.a.pending.pk)


def test_get_for_returns_the_object_when_allowed(cast):
    assert access.get_for(cast.park_admin_a, Enterprise, "verify", pk=cast.a.pending.pk) == (
        cast.a.pending
    )


# --- Members, invitations, join requests, the log ----------------------------------------------


def test_memberships_are_seen_by_the_firm_and_its_supervisors_only(cast):
    def seen(user):
        return set(access.scope(user, Membership).values_list("enterprise_id", flat=True))

    assert seen(cast.member_a) == {cast.a.firm.pk}
    assert seen(cast.park_admin_a) == {cast.a.firm.pk, cast.a.pending.pk}
    assert seen(cast.supervisor) >= {cast.a.firm.pk, cast.b.firm.pk, cast.b.pending.pk}
    assert seen(cast.officer_a) == set()
    assert seen(None) == set()


def test_invitations_are_seen_by_the_firms_admins_only(cast):
    seen = access.scope(cast.admin_a, Invitation)

    assert set(seen.values_list("enterprise_id", flat=True)) == {cast.a.firm.pk}
    assert cast.a.invitation in seen
    assert not access.scope(cast.member_a, Invitation).exists()
    assert not access.scope(cast.supervisor, Invitation).exists()


def test_join_requests_are_seen_by_the_requester_and_the_firms_admins(cast):
    assert list(access.scope(cast.admin_a, JoinRequest)) == [cast.a.join_request]
    assert list(access.scope(cast.requester_a, JoinRequest)) == [cast.a.join_request]
    assert not access.scope(cast.member_a, JoinRequest).exists()
    assert not access.scope(cast.park_admin_a, JoinRequest).exists()
    assert access.can(cast.admin_a, "decide", cast.a.join_request)
    assert not access.can(cast.requester_a, "decide", cast.a.join_request)
    assert access.can(cast.requester_a, "withdraw", cast.a.join_request)


def test_audit_log_is_read_by_supervisors_of_the_park_and_changed_by_nobody(cast):
    mine = access.scope(cast.park_admin_a, AuditEntry)
    ids = {int(i) for i in mine.values_list("object_id", flat=True)}

    assert ids == {cast.a.firm.pk, cast.a.pending.pk}
    assert access.scope(cast.supervisor, AuditEntry).count() == AuditEntry.objects.count()
    assert not access.scope(cast.admin_a, AuditEntry).exists()
    assert not access.scope(cast.officer_a, AuditEntry).exists()
    assert not access.can(cast.supervisor, "change", mine.first())


def test_principal_is_forgotten_after_the_membership_changes(cast):
    assert access.principal(cast.newcomer).enterprise_id is None
    services.join_request_decide(
        actor=cast.admin_a,
        join_request=services.join_request_create(actor=cast.newcomer, enterprise=cast.a.firm),
        approve=True,
    )
    assert access.principal(cast.newcomer).enterprise_id is None  # cached on this object

    access.forget(cast.newcomer)

    assert access.principal(cast.newcomer).enterprise_id == cast.a.firm.pk


# --- The principal's own rules, without the database -------------------------------------------


def test_anonymous_principal_supervises_nothing():
    assert access.principal(None) is ANONYMOUS
    assert not ANONYMOUS.is_supervisor
    assert not ANONYMOUS.supervises_park(1)
    assert ANONYMOUS.supervised_q("park") is None
    assert ANONYMOUS.officer_q("region") is None


def test_park_admin_supervises_only_their_parks():
    p = Principal(user=object(), authenticated=True, park_ids=frozenset({3, 5}))

    assert p.is_supervisor
    assert p.supervises_park(3) and p.supervises_park(5)
    assert not p.supervises_park(4)
    assert not p.supervises_park(None)  # an enterprise in no park is the province's


def test_platform_supervisor_supervises_every_park_and_enterprises_without_one():
    p = Principal(user=object(), authenticated=True, platform_supervisor=True)

    assert p.supervises_park(4)
    assert p.supervises_park(None)


def test_officer_covers_their_prefecture_and_the_counties_below_it():
    wuhan = Region(code="420100", level="prefecture")
    p = Principal(user=object(), authenticated=True, officer_regions=(wuhan,))

    assert p.is_officer and not p.is_supervisor
    assert p.covers_region("420100")
    assert p.covers_region("420115")
    assert not p.covers_region("420600")


def test_member_is_admin_only_of_their_own_enterprise():
    p = Principal(user=object(), authenticated=True, enterprise_id=7, enterprise_admin=True)

    assert p.is_admin_of(7)
    assert not p.is_admin_of(8)
    assert not p.is_member_of(None)
