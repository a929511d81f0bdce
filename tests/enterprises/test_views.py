"""enterprises.views: the HTML flows, from registering to verification and membership.

The cast is in tests/cast.py. Every route's status for every role is pinned in
tests/test_permission_matrix.py; this module follows the flows a person takes.
"""

from __future__ import annotations

import html as html_lib
from datetime import timedelta

import pytest
from django.conf import settings
from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from clusters.models import Park, Region
from enterprises import services
from enterprises.choices import JoinRequestStatus, MemberRole, VerificationStatus
from enterprises.credit_code import make_credit_code
from enterprises.models import ContactPerson, Enterprise, Invitation, JoinRequest, Membership
from tests.cast import CODE_A, PARK_A, PARK_B, REGION_A, more_verified_firms

NEW_CODE = make_credit_code("9", "1", REGION_A, "HBCN0001")
QUEUE = "/supervision/enterprises/"


def browser(user=None, language: str | None = None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    if language:
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


def page(response) -> str:
    assert response.status_code == 200, response.status_code
    return html_lib.unescape(response.content.decode())


def registration(**overrides) -> dict:
    """The registration form as a person fills it in: one contact person."""
    data = {
        "name": "武汉江城数控科技有限公司",
        "credit_code": NEW_CODE,
        "region": Region.objects.get(code=REGION_A).pk,
        "park": Park.objects.get(name=PARK_A).pk,
        "industry": "3421",
        "employees": "120",
        "revenue_band": "3000",
        "assets_band": "",
        "description": "数控系统集成。",
        "website": "",
        "contacts-TOTAL_FORMS": "1",
        "contacts-INITIAL_FORMS": "0",
        "contacts-MIN_NUM_FORMS": "0",
        "contacts-MAX_NUM_FORMS": "5",
        "contacts-0-name": "孙悦",
        "contacts-0-position": "总经理",
        "contacts-0-phone": "13800000000",
        "contacts-0-email": "sun@example.com",
    }
    data.update(overrides)
    return data


def saved() -> tuple[int, int, int]:
    return Enterprise.objects.count(), Membership.objects.count(), ContactPerson.objects.count()


# --- Registering --------------------------------------------------------------------------------


def test_newcomer_registers_an_enterprise_with_one_contact(cast):
    client = browser(cast.newcomer)

    response = client.post("/enterprises/new/", registration(), follow=True)

    enterprise = Enterprise.objects.get(credit_code=NEW_CODE)
    assert response.redirect_chain == [(f"/enterprises/{enterprise.pk}/", 302)]
    html = page(response)
    assert "企业已提交，等待园区管理员审核认证。" in html
    assert "待审核" in html
    assert "13800000000" in html  # the admin sees their own contacts
    assert enterprise.status == VerificationStatus.PENDING
    assert Membership.objects.get(user=cast.newcomer).role == MemberRole.ADMIN
    assert [(c.name, c.phone) for c in enterprise.contacts.all()] == [("孙悦", "13800000000")]


def test_registration_form_is_offered_only_to_people_without_an_enterprise(cast):
    assert browser(cast.newcomer).get("/enterprises/new/").status_code == 200
    response = browser(cast.member_a).get("/enterprises/new/")
    assert response.status_code == 302
    assert response["Location"] == "/enterprises/start/"


BAD_FORM = {
    "invalid-credit-code": ({"credit_code": NEW_CODE[:-1] + "0"}, "credit_code", "校验位错误"),
    "duplicate-credit-code": ({"credit_code": CODE_A}, "credit_code", "已存在"),
    "park-outside-region": (None, "park", "不在所选地区"),
    "unknown-park": ({"park": "999999"}, "park", "选择一个有效的选项"),
    "unknown-industry-code": ({"industry": "9999"}, "industry", "行业代码 9999 不存在。"),
    "section-industry-code": ({"industry": "C"}, "industry", "而不是门类"),
}


@pytest.mark.parametrize(("change", "field", "says"), BAD_FORM.values(), ids=BAD_FORM)
def test_bad_registration_is_shown_on_the_field_and_saves_nothing(cast, change, field, says):
    change = change or {"park": Park.objects.get(name=PARK_B).pk}
    before = saved()

    response = browser(cast.newcomer).post("/enterprises/new/", registration(**change))

    html = page(response)
    errors = response.context["form"].errors
    assert list(errors) == [field]
    assert says in errors[field][0]
    assert f'id="id_{field}_error"><div>{errors[field][0]}</div>' in html
    assert saved() == before


@pytest.mark.parametrize(
    ("change", "field", "says"),
    [
        ({"credit_code": NEW_CODE[:-1] + "0"}, "credit_code", "Wrong check character"),
        ({"industry": "9999"}, "industry", "There is no industry code 9999."),
        (None, "park", "is not in the selected region"),
    ],
)
def test_bad_registration_is_explained_in_the_users_language(cast, change, field, says):
    change = change or {"park": Park.objects.get(name=PARK_B).pk}

    response = browser(cast.newcomer, language="en").post(
        "/enterprises/new/", registration(**change)
    )

    assert says in page(response)
    assert says in response.context["form"].errors[field][0]


def test_registration_needs_a_contact_person(cast):
    before = saved()
    data = registration(**{"contacts-0-name": "", "contacts-0-phone": "", "contacts-0-email": ""})
    data.pop("contacts-0-position")

    response = browser(cast.newcomer).post("/enterprises/new/", data)

    assert "请至少填写一位联系人。" in page(response)
    assert saved() == before


# --- The verification queue ---------------------------------------------------------------------


@pytest.fixture
def second_pending(cast) -> Enterprise:
    """A pending firm in park A registered two hours ago; pending A waited three days."""
    enterprise = services.enterprise_create(
        actor=cast.newcomer,
        name="武汉江城数控科技有限公司",
        credit_code=NEW_CODE,
        region=cast.a.region,
        park=cast.a.park,
        industry=cast.a.firm.industry,
        employees=20,
        revenue_band=500,
    )
    now = timezone.now()
    Enterprise.objects.filter(pk=cast.a.pending.pk).update(
        status_changed_at=now - timedelta(days=3)
    )
    Enterprise.objects.filter(pk=enterprise.pk).update(status_changed_at=now - timedelta(hours=2))
    return enterprise


def test_queue_shows_pending_enterprises_oldest_first_with_waiting_time(cast, second_pending):
    html = page(browser(cast.park_admin_a).get(QUEUE))

    assert "2 家企业等待审核" in html
    oldest, newest = html.index(cast.a.pending.name), html.index(second_pending.name)
    assert oldest < newest
    rows = html[oldest:].split("</tr>")
    # timesince keeps number and unit together, and the cell does not wrap on a phone
    assert '<td class="text-nowrap">3\xa0日</td>' in rows[0]
    assert '<td class="text-nowrap">2\xa0小时</td>' in rows[1]
    assert cast.b.pending.name not in html  # another park's


def test_platform_supervisor_queue_holds_every_park(cast, second_pending):
    html = page(browser(cast.supervisor).get(QUEUE))

    assert "3 家企业等待审核" in html
    assert cast.b.pending.name in html


def test_park_admin_approves_from_the_queue(cast):
    response = browser(cast.park_admin_a).post(
        f"/enterprises/{cast.a.pending.pk}/verify/", {"next": "queue"}, follow=True
    )

    assert response.redirect_chain == [(QUEUE, 302)]
    html = page(response)
    assert f"已处理：{cast.a.pending.name}" in html
    assert "0 家企业等待审核" in html
    assert Enterprise.objects.get(pk=cast.a.pending.pk).status == VerificationStatus.VERIFIED
    assert cast.a.pending.name in html.split("最近处理")[1]


def test_rejecting_needs_a_reason(cast):
    client = browser(cast.park_admin_a)
    url = f"/enterprises/{cast.a.pending.pk}/reject/"

    refused = client.post(url, {"reason": ""}, follow=True)
    rejected = client.post(url, {"reason": "营业执照照片不清晰"}, follow=True)

    assert refused.redirect_chain == [(f"/enterprises/{cast.a.pending.pk}/", 302)]
    assert "请填写理由。" in page(refused)
    assert "营业执照照片不清晰" in page(rejected)
    enterprise = Enterprise.objects.get(pk=cast.a.pending.pk)
    assert (enterprise.status, enterprise.status_reason) == (
        VerificationStatus.REJECTED,
        "营业执照照片不清晰",
    )


def test_acting_on_a_decided_enterprise_shows_a_warning(cast):
    response = browser(cast.supervisor).post(f"/enterprises/{cast.a.firm.pk}/verify/", follow=True)

    assert "不能执行此操作" in page(response)


def test_detail_offers_the_supervisor_the_transitions_of_the_current_state(cast):
    html = page(browser(cast.park_admin_a).get(f"/enterprises/{cast.a.pending.pk}/"))

    assert f'formaction="/enterprises/{cast.a.pending.pk}/verify/"' in html
    assert f'formaction="/enterprises/{cast.a.pending.pk}/reject/"' in html
    assert "/suspend/" not in html
    assert "已等待" in html


def test_detail_hides_contacts_from_officers_and_other_firms(cast):
    url = f"/enterprises/{cast.a.firm.pk}/"

    assert "027-87000001" in page(browser(cast.member_a).get(url))
    assert "027-87000001" in page(browser(cast.park_admin_a).get(url))
    for user in (None, cast.member_b, cast.officer_a, cast.park_admin_b):
        html = page(browser(user).get(url))
        assert "027-87000001" not in html
        assert "联系方式仅对本企业成员和监管人员可见" in html


def test_identity_change_in_the_edit_form_sends_the_firm_back_to_review(cast):
    firm = cast.a.firm
    data = registration(
        name="武汉华中精密机床股份有限公司",
        credit_code=firm.credit_code,
        industry="3421",
        employees="180",
        revenue_band="5000",
        **{"contacts-0-name": "联系人1", "contacts-0-phone": "027-87000001"},
    )

    response = browser(cast.admin_a).post(f"/enterprises/{firm.pk}/edit/", data, follow=True)

    assert "企业资料已保存。" in page(response)
    assert Enterprise.objects.get(pk=firm.pk).status == VerificationStatus.PENDING


# --- Members ------------------------------------------------------------------------------------


def members_url(cast) -> str:
    return f"/enterprises/{cast.a.firm.pk}/members/"


def test_members_page_lists_members_invitations_and_join_requests(cast):
    html = page(browser(cast.admin_a).get(members_url(cast)))

    for text in (cast.admin_a.email, cast.member_a.email, "invitee-a@example.com", "马超"):
        assert text in html


def test_admin_invites_by_email_and_revokes(cast, django_capture_on_commit_callbacks):
    client = browser(cast.admin_a)

    with django_capture_on_commit_callbacks(execute=True):
        invited = client.post(members_url(cast), {"email": "new@example.com", "role": "member"})

    html = page(invited)
    assert "邀请已发送到 new@example.com。" in html
    invitation = Invitation.objects.get(email="new@example.com")
    assert [m.to for m in mail.outbox] == [["new@example.com"]]
    link = html.split("<code>")[1].split("</code>")[0]
    assert link.startswith("http://testserver/enterprises/invitations/")
    assert link in mail.outbox[0].body

    revoked = client.post(
        f"/enterprises/{cast.a.firm.pk}/invitations/{invitation.pk}/revoke/", follow=True
    )

    assert "new@example.com" not in page(revoked)
    assert Invitation.objects.get(pk=invitation.pk).revoked_at is not None


def test_invitation_link_lets_the_invited_person_join(cast):
    invitee = type(cast.newcomer).objects.create_user(email="invitee-a@example.com", name="何静")
    client = browser(invitee)
    url = f"/enterprises/invitations/{cast.a.token}/"

    assert cast.a.firm.name in page(client.get(url))
    response = client.post(url, follow=True)

    assert f"您已加入 {cast.a.firm.name}。" in page(response)
    assert Membership.objects.get(user=invitee).enterprise == cast.a.firm


def test_unknown_invitation_link_is_404(cast):
    assert browser().get("/enterprises/invitations/not-a-token/").status_code == 404


def test_inviting_an_address_already_in_use_shows_the_error_on_the_email(cast):
    response = browser(cast.admin_a).post(
        members_url(cast), {"email": cast.member_a.email, "role": "member"}
    )

    page(response)
    assert response.context["invite_form"].errors == {"email": ["该邮箱的用户已是本企业成员。"]}


def test_last_admin_cannot_leave_from_the_members_page(cast):
    admin = Membership.objects.get(user=cast.admin_a)

    response = browser(cast.admin_a).post(
        f"{members_url(cast)}{admin.pk}/", {"op": "remove"}, follow=True
    )

    assert "您是企业唯一的管理员" in page(response)
    assert Membership.objects.filter(pk=admin.pk).exists()


def test_admin_removes_a_member_from_the_members_page(cast):
    response = browser(cast.admin_a).post(
        f"{members_url(cast)}{cast.a.membership.pk}/", {"op": "remove"}, follow=True
    )

    assert "成员已移除。" in page(response)
    assert not Membership.objects.filter(user=cast.member_a).exists()


# --- Joining ------------------------------------------------------------------------------------


def test_join_search_finds_verified_firms_by_name_and_pending_ones_by_exact_code(cast):
    client = browser(cast.newcomer)

    by_name = page(client.get("/enterprises/join/", {"q": "华中精密"}))
    pending_by_name = page(client.get("/enterprises/join/", {"q": "光谷新材料"}))
    pending_by_code = page(client.get("/enterprises/join/", {"q": cast.a.pending.credit_code}))

    assert cast.a.firm.name in by_name
    assert cast.a.pending.name not in pending_by_name
    assert cast.a.pending.name in pending_by_code


def test_newcomer_asks_to_join_and_the_admin_approves(cast):
    newcomer = browser(cast.newcomer)
    found = page(newcomer.get("/enterprises/join/", {"q": "华中精密"}))
    assert f'action="/enterprises/{cast.a.firm.pk}/join/"' in found

    asked = newcomer.post(
        f"/enterprises/{cast.a.firm.pk}/join/", {"message": "我是新来的销售"}, follow=True
    )

    html = page(asked)
    assert "加入申请已提交，等待企业管理员处理。" in html
    assert cast.a.firm.name in html.split("我的加入申请")[1]
    request = JoinRequest.objects.get(user=cast.newcomer)

    admin = browser(cast.admin_a)
    assert "我是新来的销售" in page(admin.get(members_url(cast)))
    admin.post(f"/enterprises/{cast.a.firm.pk}/join-requests/{request.pk}/", {"approve": "1"})

    assert JoinRequest.objects.get(pk=request.pk).status == JoinRequestStatus.APPROVED
    assert Membership.objects.get(user=cast.newcomer).enterprise == cast.a.firm
    # Now a member: the onboarding page sends them to their enterprise.
    assert newcomer.get("/enterprises/start/")["Location"] == f"/enterprises/{cast.a.firm.pk}/"


def test_admin_declines_a_join_request(cast):
    browser(cast.admin_a).post(
        f"/enterprises/{cast.a.firm.pk}/join-requests/{cast.a.join_request.pk}/", {"approve": "0"}
    )

    assert JoinRequest.objects.get(pk=cast.a.join_request.pk).status == JoinRequestStatus.DECLINED
    assert not Membership.objects.filter(user=cast.requester_a).exists()


def test_member_of_another_firm_cannot_ask_to_join(cast):
    response = browser(cast.member_b).post(f"/enterprises/{cast.a.firm.pk}/join/", follow=True)

    assert response.status_code == 200
    assert not JoinRequest.objects.filter(user=cast.member_b).exists()


# --- Query counts -------------------------------------------------------------------------------


def queries_for(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx)


@pytest.mark.parametrize("url", ["/enterprises/", "/api/v1/enterprises/"])
@pytest.mark.parametrize("role", ["anonymous", "member_a", "supervisor"])
def test_list_query_count_does_not_grow_with_the_number_of_enterprises(
    cast, url, role, django_assert_max_num_queries
):
    client = browser(cast.user(role))
    more_verified_firms(cast, 3)
    few = queries_for(client, url)
    more_verified_firms(cast, 12, start=3)

    with django_assert_max_num_queries(few):
        response = client.get(url)

    assert response.status_code == 200
    assert "武汉测试企业14" in response.content.decode()
    assert few <= 12, f"{url} needs {few} queries for a page"
