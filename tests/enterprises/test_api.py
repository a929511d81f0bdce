"""enterprises.api: /api/v1/enterprises/ and friends, scoped by the access policy.

The cast is in tests/cast.py. Every route's status for every role is pinned in
tests/test_permission_matrix.py; this module checks what the answers contain.
"""

from __future__ import annotations

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from rest_framework.authtoken.models import Token

from clusters.models import Cluster, Park
from enterprises.choices import MemberRole, VerificationStatus
from enterprises.credit_code import make_credit_code
from enterprises.models import AuditEntry, ContactPerson, Enterprise, Invitation, Membership
from tests.cast import CODE_A, PARK_A, PARK_B, REGION_A, more_verified_firms

LIST = "/api/v1/enterprises/"
NEW_CODE = make_credit_code("9", "1", REGION_A, "HBCN0001")


def api(user=None, language: str | None = None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    if language:
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


def detail(enterprise) -> str:
    return f"{LIST}{enterprise.pk}/"


def names(response) -> set[str]:
    assert response.status_code == 200, response.content
    return {row["name"] for row in response.json()["results"]}


def new_enterprise(**overrides) -> dict:
    payload = {
        "name": "武汉江城数控科技有限公司",
        "credit_code": NEW_CODE,
        "region": REGION_A,
        "park": Park.objects.get(name=PARK_A).pk,
        "industry": "3421",
        "employees": 120,
        "revenue_band": 3000,
        "description": "数控系统集成。",
        "contacts_input": [{"name": "孙悦", "position": "总经理", "phone": "13800000000"}],
        "certifications": [{"kind": "iso9001", "number": "ISO-NEW", "valid_until": "2029-06-30"}],
    }
    payload.update(overrides)
    return payload


def saved() -> tuple[int, ...]:
    return (
        Enterprise.objects.count(),
        Membership.objects.count(),
        ContactPerson.objects.count(),
        AuditEntry.objects.count(),
    )


# --- Reading ------------------------------------------------------------------------------------


def test_anonymous_lists_only_verified_enterprises(cast):
    assert names(api().get(LIST)) == {cast.a.firm.name, cast.b.firm.name}


def test_park_admin_lists_their_parks_pending_enterprises_too(cast):
    assert names(api(cast.park_admin_a).get(LIST)) == {
        cast.a.firm.name,
        cast.b.firm.name,
        cast.a.pending.name,
    }


def test_officer_lists_pending_enterprises_of_their_prefecture_only(cast):
    assert names(api(cast.officer_b).get(LIST)) == {
        cast.a.firm.name,
        cast.b.firm.name,
        cast.b.pending.name,
    }


def test_supervisor_lists_everything(cast):
    assert names(api(cast.supervisor).get(LIST)) >= {
        cast.a.firm.name,
        cast.b.firm.name,
        cast.a.pending.name,
        cast.b.pending.name,
    }


def test_list_filters_within_the_scope(cast):
    response = api(cast.supervisor).get(LIST, {"status": "pending", "region": REGION_A})

    assert names(response) == {cast.a.pending.name}


def test_invisible_enterprise_is_not_found(cast):
    for client in (api(), api(cast.member_a), api(cast.park_admin_b), api(cast.officer_b)):
        assert client.get(detail(cast.a.pending)).status_code == 404


def test_detail_shows_the_public_profile(cast):
    data = api().get(detail(cast.a.firm)).json()

    assert data["credit_code"] == CODE_A
    assert data["region"] == REGION_A
    assert data["park"] == cast.a.park.pk
    assert data["industry"] == "3421"
    assert data["status"] == VerificationStatus.VERIFIED
    assert [c["number"] for c in data["certifications"]] == ["ISO9001-1"]


@pytest.mark.parametrize(
    ("role", "sees_contacts"),
    [
        ("anonymous", False),
        ("member_a", True),
        ("admin_a", True),
        ("member_b", False),
        ("park_admin_a", True),
        ("park_admin_b", False),
        ("supervisor", True),
        ("officer_a", False),
        ("officer_b", False),
    ],
)
def test_contacts_are_shown_only_to_members_and_supervisors(cast, role, sees_contacts):
    client = api(cast.user(role))

    one = client.get(detail(cast.a.firm)).json()
    listed = next(r for r in client.get(LIST).json()["results"] if r["id"] == cast.a.firm.pk)

    expected = [
        {
            "name": "联系人1",
            "position": "销售经理",
            "phone": "027-87000001",
            "email": "contact-1@example.com",
        }
    ]
    assert one["contacts"] == (expected if sees_contacts else None)
    assert listed["contacts"] == one["contacts"]


# --- Registering --------------------------------------------------------------------------------


def test_registration_returns_201_and_makes_the_creator_admin(cast):
    response = api(cast.newcomer).post(LIST, new_enterprise(), content_type="application/json")

    assert response.status_code == 201, response.content
    data = response.json()
    assert data["status"] == VerificationStatus.PENDING
    assert data["size_class"] == "small"
    assert data["contacts"] == [
        {"name": "孙悦", "position": "总经理", "phone": "13800000000", "email": ""}
    ]
    membership = Membership.objects.get(user=cast.newcomer)
    assert (membership.enterprise_id, membership.role) == (data["id"], MemberRole.ADMIN)


def test_registration_with_clusters(cast):
    cluster = Cluster.objects.filter(region__code__startswith="4201").first()

    response = api(cast.newcomer).post(
        LIST, new_enterprise(clusters=[cluster.pk]), content_type="application/json"
    )

    assert response.status_code == 201, response.content
    assert response.json()["clusters"] == [cluster.pk]


BAD_INPUT = {
    "invalid-credit-code": ({"credit_code": NEW_CODE[:-1] + "0"}, "credit_code", "校验位错误"),
    "short-credit-code": ({"credit_code": "91420100"}, "credit_code", "应为18位"),
    "duplicate-credit-code": ({"credit_code": CODE_A}, "credit_code", "已存在"),
    "unknown-park": ({"park": 999_999}, "park", "999999"),
    "park-outside-region": (None, "park", "不在所选地区"),
    "unknown-industry-code": ({"industry": "9999"}, "industry", "不存在"),
    "section-industry-code": ({"industry": "C"}, "industry", "门类"),
    "unknown-region-code": ({"region": "429999"}, "region", "不存在"),
    "missing-name": ({"name": ""}, "name", "不能为空"),
    "unknown-revenue-band": ({"revenue_band": 7}, "revenue_band", "7"),
}


@pytest.mark.parametrize(("change", "field", "says"), BAD_INPUT.values(), ids=BAD_INPUT)
def test_bad_input_is_400_on_the_field_and_saves_nothing(cast, change, field, says):
    if change is None:
        change = {"park": Park.objects.get(name=PARK_B).pk}
    before = saved()

    response = api(cast.newcomer).post(
        LIST, new_enterprise(**change), content_type="application/json"
    )

    assert response.status_code == 400, response.content
    errors = response.json()
    assert list(errors) == [field]
    assert says in errors[field][0]
    assert saved() == before


@pytest.mark.parametrize(
    ("change", "field", "says"),
    [
        ({"credit_code": NEW_CODE[:-1] + "0"}, "credit_code", "Wrong check character"),
        ({"industry": "C"}, "industry", "not a section"),
        (None, "park", "is not in the selected region"),
    ],
)
def test_bad_input_is_explained_in_the_users_language(cast, change, field, says):
    change = change or {"park": Park.objects.get(name=PARK_B).pk}

    response = api(cast.newcomer, language="en").post(
        LIST, new_enterprise(**change), content_type="application/json"
    )

    assert response.status_code == 400
    assert says in response.json()[field][0]


def test_member_of_an_enterprise_cannot_register_another(cast):
    before = saved()

    response = api(cast.member_a).post(LIST, new_enterprise(), content_type="application/json")

    assert response.status_code == 400
    assert list(response.json()) == ["non_field_errors"]
    assert saved() == before


def test_anonymous_cannot_register(cast):
    response = api().post(LIST, new_enterprise(), content_type="application/json")

    assert response.status_code == 403
    assert not Enterprise.objects.filter(credit_code=NEW_CODE).exists()


# --- Changing the profile -----------------------------------------------------------------------


def test_admin_changes_the_profile_and_an_identity_change_needs_review_again(cast):
    client = api(cast.admin_a)

    kept = client.patch(
        detail(cast.a.firm), {"description": "新增五轴加工中心。"}, content_type="application/json"
    )
    renamed = client.patch(
        detail(cast.a.firm),
        {"name": "武汉华中精密机床股份有限公司"},
        content_type="application/json",
    )

    assert kept.status_code == 200, kept.content
    assert kept.json()["status"] == VerificationStatus.VERIFIED
    assert renamed.status_code == 200
    assert renamed.json()["status"] == VerificationStatus.PENDING


def test_admin_replaces_the_contacts(cast):
    response = api(cast.admin_a).patch(
        detail(cast.a.firm),
        {"contacts_input": [{"name": "新联系人", "phone": "027-1"}]},
        content_type="application/json",
    )

    assert response.status_code == 200
    assert [c["name"] for c in response.json()["contacts"]] == ["新联系人"]


def test_profile_change_to_a_taken_credit_code_is_400(cast):
    response = api(cast.admin_b).patch(
        detail(cast.b.firm), {"credit_code": CODE_A}, content_type="application/json"
    )

    assert response.status_code == 400
    assert list(response.json()) == ["credit_code"]


# --- Verification -------------------------------------------------------------------------------


def test_park_admin_verifies_through_the_api(cast):
    response = api(cast.park_admin_a).post(f"{detail(cast.a.pending)}verify/")

    assert response.status_code == 200, response.content
    assert response.json()["status"] == VerificationStatus.VERIFIED
    assert Enterprise.objects.get(pk=cast.a.pending.pk).status == VerificationStatus.VERIFIED


@pytest.mark.parametrize(
    ("what", "action", "status"),
    [
        ("pending", "reject", VerificationStatus.REJECTED),
        ("firm", "suspend", VerificationStatus.SUSPENDED),
    ],
)
def test_reject_and_suspend_need_a_reason(cast, what, action, status):
    url = f"{detail(getattr(cast.a, what))}{action}/"
    client = api(cast.supervisor)

    without = client.post(url, {}, content_type="application/json")
    with_reason = client.post(url, {"reason": "材料不全"}, content_type="application/json")

    assert without.status_code == 400
    assert without.json() == {"reason": ["请填写理由。"]}
    assert with_reason.status_code == 200
    assert with_reason.json()["status"] == status
    assert with_reason.json()["status_reason"] == "材料不全"


def test_reinstate_after_suspend(cast):
    client = api(cast.park_admin_b)
    client.post(f"{detail(cast.b.firm)}suspend/", {"reason": "经营异常"})

    response = client.post(f"{detail(cast.b.firm)}reinstate/", {"reason": "已整改"})

    assert response.status_code == 200
    assert response.json()["status"] == VerificationStatus.VERIFIED


def test_wrong_state_is_409_with_the_current_state(cast):
    response = api(cast.supervisor).post(f"{detail(cast.a.firm)}verify/")

    assert response.status_code == 409
    assert response.json()["current_state"] == VerificationStatus.VERIFIED
    assert "已认证" in response.json()["detail"]


def test_park_admin_of_other_park_cannot_see_the_pending_enterprise_to_approve_it(cast):
    response = api(cast.park_admin_b).post(f"{detail(cast.a.pending)}verify/")

    assert response.status_code == 404
    assert Enterprise.objects.get(pk=cast.a.pending.pk).status == VerificationStatus.PENDING


def test_officer_sees_the_pending_enterprise_but_may_not_approve_it(cast):
    response = api(cast.officer_a).post(f"{detail(cast.a.pending)}verify/")

    assert response.status_code == 403
    assert Enterprise.objects.get(pk=cast.a.pending.pk).status == VerificationStatus.PENDING


# --- Token authentication -----------------------------------------------------------------------


def test_token_authentication(cast):
    token = Token.objects.create(user=cast.park_admin_a)
    client = Client(HTTP_AUTHORIZATION=f"Token {token.key}")

    listed = names(client.get(LIST))
    verified = client.post(f"{detail(cast.a.pending)}verify/")

    assert cast.a.pending.name in listed
    assert verified.status_code == 200
    assert AuditEntry.objects.order_by("-seq").first().actor == cast.park_admin_a


def test_bad_token_is_refused_with_403(cast):
    # Session authentication comes first in DEFAULT_AUTHENTICATION_CLASSES and sends no
    # WWW-Authenticate challenge, so DRF answers 403 rather than 401.
    client = Client(HTTP_AUTHORIZATION="Token not-a-real-token")

    assert client.get(LIST).status_code == 403
    assert client.post(f"{detail(cast.a.pending)}verify/").status_code == 403


# --- Members, invitations and join requests ------------------------------------------------------


def test_admin_invites_by_email_through_the_api(cast):
    response = api(cast.admin_a).post(
        "/api/v1/invitations/",
        {"email": "new-colleague@example.com"},
        content_type="application/json",
    )

    assert response.status_code == 201, response.content
    assert response.json()["enterprise"] == cast.a.firm.pk
    assert Invitation.objects.filter(email="new-colleague@example.com").exists()


@pytest.mark.parametrize("email", ["member-a@example.com", "invitee-a@example.com"])
def test_inviting_an_email_already_in_use_is_400_on_the_email(cast, email):
    before = Invitation.objects.count()

    response = api(cast.admin_a).post(
        "/api/v1/invitations/", {"email": email}, content_type="application/json"
    )

    assert response.status_code == 400
    assert list(response.json()) == ["email"]
    assert Invitation.objects.count() == before


def test_invitation_accepted_through_the_api(cast):
    invitee = type(cast.newcomer).objects.create_user(email="invitee-a@example.com", name="何静")

    response = api(invitee).post(
        "/api/v1/invitations/accept/", {"token": cast.a.token}, content_type="application/json"
    )

    assert response.status_code == 201
    assert response.json()["enterprise"] == cast.a.firm.pk


def test_join_request_to_an_invisible_enterprise_is_400_as_if_it_did_not_exist(cast):
    response = api(cast.newcomer).post(
        "/api/v1/join-requests/", {"enterprise": cast.a.pending.pk}, content_type="application/json"
    )

    assert response.status_code == 400
    assert list(response.json()) == ["enterprise"]


def test_join_request_approved_through_the_api(cast):
    response = api(cast.admin_a).post(f"/api/v1/join-requests/{cast.a.join_request.pk}/approve/")

    assert response.status_code == 200
    assert response.json()["status"] == "approved"
    assert Membership.objects.get(user=cast.requester_a).enterprise == cast.a.firm


def test_last_admin_cannot_leave_through_the_api(cast):
    admin = Membership.objects.get(user=cast.admin_a)

    response = api(cast.admin_a).delete(f"/api/v1/memberships/{admin.pk}/")

    assert response.status_code == 400
    assert Membership.objects.filter(pk=admin.pk).exists()


def test_last_admin_cannot_be_demoted_through_the_api(cast):
    admin = Membership.objects.get(user=cast.admin_a)

    response = api(cast.admin_a).patch(
        f"/api/v1/memberships/{admin.pk}/", {"role": "member"}, content_type="application/json"
    )

    assert response.status_code == 400
    assert list(response.json()) == ["role"]


# --- Query counts -------------------------------------------------------------------------------


def queries_for(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx)


@pytest.mark.parametrize("role", ["anonymous", "member_a", "park_admin_a"])
def test_enterprise_list_api_query_count_does_not_grow_with_the_page(
    cast, role, django_assert_max_num_queries
):
    client = api(cast.user(role))
    more_verified_firms(cast, 3)
    few = queries_for(client, LIST)
    more_verified_firms(cast, 12, start=3)

    with django_assert_max_num_queries(few):
        response = client.get(LIST)

    assert len(response.json()["results"]) >= 17
    assert few <= 12
