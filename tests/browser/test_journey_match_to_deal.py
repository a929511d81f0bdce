"""Journey: from a match to a confirmed deal, with two firms in their own browsers.

Firm A (武汉) already has a published offer of idle CNC capacity. Firm B (襄阳) posts a
request for CNC machining capacity through the form: the portal matches listings of the same
kind and of opposite directions (sharing/matching/engine.py ``candidates_q``), so it is an
idle-capacity *request* that pairs with A's idle-capacity offer (an order request would never
be matched with it). B's park administrator approves the request from the moderation queue,
and the platform matches the two (Celery runs in the server's process here). Both firms see
the match and why it is recommended; B sends an inquiry, A accepts it, both now see each
other's contacts, they exchange a message, B records the deal, A confirms it and closes the
offer, which then shows as completed.

Every step is screenshotted and must fit the window, in Chinese and English, on a desktop
and on a phone (tests/browser/journey.py).
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from clusters.services import reference_data_load
from sharing.choices import ListingStatus as S
from sharing.models import Deal, Inquiry, InquiryMessage, Listing, Match
from tests.browser.journey import VARIANTS, Person, journey  # noqa: F401 (the fixture)
from tests.cast import NAME_A, NAME_B, build_cast, load_cast
from tests.sharing.helpers import Listings, capacity_fields

pytestmark = pytest.mark.browser

PASSWORD = "Hubei-cluster-2026!"
REQUEST_TITLE = "寻求数控机床加工产能"
PHONE_A, PHONE_B = "027-87000001", "027-87000002"  # the cast's contact persons


@pytest.fixture
def market(transactional_db, settings, eager_tasks):
    """The cast, committed (the live server reads it from another thread), with passwords for
    the three people of the journey, and firm A's published capacity offer."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    reference_data_load()
    cast = load_cast(build_cast())
    for user in (cast.member_a, cast.member_b, cast.park_admin_b):
        user.set_password(PASSWORD)
        user.save(update_fields=["password"])
    offer = Listings(cast).published("A", **capacity_fields())
    return cast, offer


def field(label: str) -> re.Pattern:
    """A form field's label, whole ("Quantity" is not "Minimum order quantity"); a required
    field's label ends with an asterisk."""
    return re.compile(rf"^\s*{re.escape(label)}(\s*\*)?\s*$")


def see_the_match(person: Person, mine: Listing | int, other_title: str, match: Match) -> None:
    """From one's own listing to its match list: the other listing, its score and why."""
    pk = mine if isinstance(mine, int) else mine.pk
    person.goto(f"/listings/{pk}/")
    person.page.get_by_role("link", name=person.t("查看匹配推荐")).click()
    expect(person.page).to_have_url(re.compile(rf"/listings/{pk}/matches/$"))
    card = person.page.locator(".card", has_text=other_title)
    expect(card).to_have_count(1)
    expect(card.locator(".badge").first).to_have_text(f"{round(match.score * 100)}%")
    card.locator("summary", has_text=person.t("为什么推荐")).click()
    why = card.locator("table")
    expect(why).to_be_visible()
    expect(why).to_contain_text(person.t("行业代码相同"))
    # The firms stay anonymous to each other until the poster accepts an inquiry.
    expect(person.page.locator("main")).not_to_contain_text(NAME_A)
    expect(person.page.locator("main")).not_to_contain_text(NAME_B)


@pytest.mark.parametrize("variant", VARIANTS)
def test_journey_match_to_deal(journey, market, variant):  # noqa: F811 (the fixture)
    cast, offer = market
    requester = journey.person("requester")  # firm B's member
    admin = journey.person("park-admin")  # 襄阳高新区's administrator
    poster = journey.person("poster")  # firm A's member
    t = requester.t

    # 1. B's member posts a request for idle machining capacity.
    requester.log_in(cast.member_b.email, PASSWORD)
    requester.goto("/listings/new/")
    page = requester.page
    page.get_by_label(field(t("闲置产能与设备"))).check()
    page.get_by_label(field(t("需求"))).check()
    requester.shoot("choose-kind")
    with page.expect_navigation():
        page.get_by_role("button", name=t("下一步")).click()
    expect(page).to_have_url(re.compile(r"/listings/new/\?.*kind=capacity.*direction=request"))
    page.get_by_label(field(t("标题"))).fill(REQUEST_TITLE)
    page.get_by_label(field(t("详细描述"))).fill(
        "需要数控机床加工产能，每月约 300 机时，加工铝合金和钢件。"
    )
    page.get_by_label(field(t("行业代码"))).fill("3421")
    page.get_by_label(field(t("数量"))).fill("300")
    page.get_by_label(field(t("单位"))).select_option("machine_hours_month")
    page.get_by_label(field(t("价格方式"))).select_option("range")
    page.get_by_label(field(t("价格/最低价（元）"))).fill("60")
    page.get_by_label(field(t("最高价（元）"))).fill("150")
    page.get_by_label(field(t("可见范围"))).select_option("public")
    page.get_by_label(field(t("资源类型"))).select_option("equipment")
    page.get_by_label(field(t("设备型号/名称"))).fill("立式加工中心")
    requester.shoot("request-form-filled")
    with page.expect_navigation():
        page.get_by_role("button", name=t("提交审核")).click()
    expect(page).to_have_url(re.compile(r"/listings/\d+/$"))
    expect(page.locator("h1")).to_have_text(REQUEST_TITLE)
    expect(page.locator(".badge", has_text=t("待审核"))).to_be_visible()
    # What was entered reads in the person's words, not as the stored keys and codes.
    details = page.locator("main dl")
    expect(details).to_contain_text(t("资源类型"))
    expect(details).to_contain_text(t("设备"))
    expect(details).not_to_contain_text("facility")
    requester.shoot("request-submitted")
    request = Listing.objects.get(title=REQUEST_TITLE)
    assert (request.enterprise_id, request.kind, request.direction, request.status) == (
        cast.b.firm.pk,
        "capacity",
        "request",
        S.PENDING,
    )
    assert not Match.objects.exists()  # nothing is matched before it is approved

    # 2. The administrator of B's park approves it from the moderation queue.
    admin.log_in(cast.park_admin_b.email, PASSWORD)
    admin.goto("/supervision/listings/")
    row = admin.page.locator("tr", has_text=REQUEST_TITLE)
    expect(row).to_have_count(1)
    expect(row).to_contain_text(NAME_B)
    admin.shoot("moderation-queue")
    with admin.page.expect_navigation():
        row.get_by_role("button", name=admin.t("通过"), exact=True).click()
    expect(admin.page.locator("body")).to_contain_text(admin.t("操作成功。"))
    expect(admin.page.locator("tr", has_text=REQUEST_TITLE)).to_have_count(0)
    admin.shoot("request-approved")
    request.refresh_from_db()
    assert request.status == S.PUBLISHED
    # Approving it matched it, at once, with A's offer.
    match = Match.objects.get(offer=offer, request=request)
    assert match.score > 0

    # 3. Both firms see the match and why it is recommended.
    see_the_match(requester, request, offer.title, match)
    requester.shoot("sees-the-match")
    poster.log_in(cast.member_a.email, PASSWORD)
    see_the_match(poster, offer, REQUEST_TITLE, match)
    poster.shoot("sees-the-match")

    # 4. B sends an inquiry from the match.
    card = page.locator(".card", has_text=offer.title)
    card.get_by_role("link", name=t("发送对接意向")).click()
    expect(page).to_have_url(re.compile(rf"/listings/{offer.pk}/inquire/\?match={match.pk}$"))
    page.get_by_label(field(t("留言"))).fill(
        "我们每月需要约 300 机时的数控加工，想了解贵方的排产。"
    )
    page.get_by_label(field(t("我方能提供"))).fill("可签三个月的长期订单。")
    requester.shoot("inquiry-written")
    page.get_by_role("button", name=t("发送"), exact=True).click()
    inquiry = Inquiry.objects.get()
    expect(page).to_have_url(re.compile(rf"/inquiries/{inquiry.pk}/$"))
    body = page.locator("body")
    expect(body).to_contain_text(t("发布方接受对接意向后，双方可见对方的企业名称和联系人。"))
    expect(body).not_to_contain_text(NAME_A)
    expect(body).not_to_contain_text(PHONE_A)
    requester.shoot("inquiry-sent-poster-anonymous")
    assert (inquiry.match_id, Match.objects.get().request_state) == (match.pk, "contacted")

    # 5. A sees who asks, without their contacts yet, and accepts.
    poster.goto("/inquiries/")
    received = poster.page.get_by_role("link", name=re.escape(offer.title))
    expect(received).to_have_count(1)
    poster.shoot("inquiries")
    received.click()
    expect(poster.page).to_have_url(re.compile(rf"/inquiries/{inquiry.pk}/$"))
    expect(poster.page.locator("body")).to_contain_text(poster.t("意向方：") + NAME_B)
    expect(poster.page.locator("body")).not_to_contain_text(PHONE_B)
    poster.shoot("sees-who-asks")
    poster.page.get_by_role("button", name=poster.t("接受并公开联系方式")).click()
    expect(poster.page.locator("body")).to_contain_text(
        poster.t("已接受，双方现在可以看到对方的企业名称和联系人。")
    )
    contacts = poster.page.locator(".card", has_text=poster.t("对方企业与联系人"))
    expect(contacts).to_contain_text(NAME_B)
    expect(contacts).to_contain_text(PHONE_B)
    expect(contacts).to_contain_text("contact-2@example.com")
    poster.shoot("accepted-sees-contacts")

    # 6. B now sees A's name and contacts, and writes; A answers.
    page.reload()
    contacts = page.locator(".card", has_text=t("对方企业与联系人"))
    expect(contacts).to_contain_text(NAME_A)
    expect(contacts).to_contain_text("联系人1")
    expect(contacts).to_contain_text(PHONE_A)
    expect(contacts).to_contain_text("contact-1@example.com")
    page.get_by_label(field(t("消息"))).fill("何时方便来看设备？")
    page.get_by_role("button", name=t("发送消息")).click()
    expect(page.locator("body")).to_contain_text("何时方便来看设备？")
    requester.shoot("sees-contacts-and-writes")
    poster.page.reload()
    expect(poster.page.locator("body")).to_contain_text("何时方便来看设备？")
    poster.page.get_by_label(field(poster.t("消息"))).fill("周三上午可以，欢迎来厂参观。")
    poster.page.get_by_role("button", name=poster.t("发送消息")).click()
    expect(poster.page.locator("body")).to_contain_text("周三上午可以，欢迎来厂参观。")
    poster.shoot("replies")
    assert InquiryMessage.objects.count() == 2

    # 7. B records the deal; it waits for A's confirmation.
    page.reload()
    expect(page.locator("body")).to_contain_text("周三上午可以，欢迎来厂参观。")
    page.locator("summary", has_text=t("登记成交")).click()
    page.get_by_label(field(t("成交内容"))).fill("三个月数控加工，每月 300 机时")
    page.get_by_label(field(t("数量"))).fill("900")
    page.get_by_label(field(t("单位"))).fill("机时")
    page.get_by_label(field(t("金额（元）"))).fill("72000")
    page.get_by_label(field(t("开始日期"))).fill("2026-12-01")
    page.get_by_label(field(t("结束日期"))).fill("2027-02-28")
    requester.shoot("records-the-deal")
    page.get_by_role("button", name=t("登记，等待对方确认")).click()
    expect(page.locator("body")).to_contain_text(t("成交已登记，等待对方确认。"))
    expect(page.locator("body")).to_contain_text(t("待对方确认"))
    # Not confirmed by the side that recorded it.
    expect(page.get_by_role("button", name=t("确认成交"))).to_have_count(0)
    requester.shoot("waits-for-confirmation")

    # 8. A confirms it and closes the offer.
    poster.page.reload()
    expect(poster.page.locator("body")).to_contain_text(re.compile(r"¥72,?000"))
    poster.page.get_by_label(poster.t("同时关闭该信息（已完成）")).check()
    poster.shoot("confirms")
    poster.page.get_by_role("button", name=poster.t("确认成交")).click()
    expect(poster.page.locator("body")).to_contain_text(poster.t("成交已确认。"))
    expect(poster.page.locator(".badge", has_text=poster.t("已确认"))).to_have_count(1)
    poster.shoot("confirmed")
    poster.goto(f"/listings/{offer.pk}/")
    expect(poster.page.locator(".badge", has_text=poster.t("已完成"))).to_have_count(1)
    expect(poster.page.get_by_role("link", name=poster.t("查看匹配推荐"))).to_have_count(0)
    poster.shoot("offer-closed")

    deal = Deal.objects.get()
    assert (deal.status, deal.recorded_by_id, deal.confirmed_by_id, deal.value_yuan) == (
        "confirmed",
        cast.b.firm.pk,
        cast.member_a.pk,
        72000,
    )
    assert Listing.objects.get(pk=offer.pk).status == S.CLOSED
    journey.assert_no_problems()
