"""In a real browser: two firms find each other through a match, talk, and close a deal.

Firm A (武汉) offers idle CNC capacity and firm B (襄阳) requests it; the park administrators
approve both, and the platform matches them (Celery runs in the server's process here). Then
B's member, in one browser, opens the match list and sends an inquiry; A's member, in another
browser, accepts it; both now see each other's name and contacts, exchange a message; B
records the deal, A confirms it and closes the listing. Each step is screenshotted to
test-artifacts/screenshots/.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from clusters.services import reference_data_load
from portal.celery import app
from sharing.choices import ListingStatus as S
from sharing.models import Deal, Inquiry, InquiryMessage, Listing, Match
from tests.browser.conftest import LOCAL_HOSTS, SCREENSHOTS, PageProblems
from tests.cast import NAME_A, NAME_B, build_cast, load_cast
from tests.matching.helpers import request_fields
from tests.sharing.helpers import Listings, capacity_fields

pytestmark = pytest.mark.browser

PASSWORD = "Hubei-cluster-2026"


@pytest.fixture
def eager_tasks() -> Iterator[None]:
    """The live server runs in this process: its tasks run there, after each commit."""
    before = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = before


@pytest.fixture
def poster_page(browser) -> Iterator[tuple]:
    """A second browser, for the other firm: its own cookies, the same guard as ``page``
    (tests/browser/conftest.py): outside requests blocked, errors recorded."""
    problems = PageProblems()
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})

    def guard(route):
        if urlsplit(route.request.url).hostname in LOCAL_HOSTS:
            route.continue_()
        else:
            problems.outside_requests.append(route.request.url)
            route.abort()

    context.route(re.compile(r"^https?://"), guard)
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.on("console", lambda m: m.type == "error" and problems.console_errors.append(m.text))
    page.on("pageerror", lambda error: problems.page_errors.append(str(error)))
    page.on(
        "response",
        lambda r: r.status >= 400 and problems.failed_responses.append(f"{r.status} {r.url}"),
    )
    yield page, problems
    context.close()


def log_in(page, base_url: str, user) -> None:
    page.goto(f"{base_url}/accounts/login/")
    page.fill("#id_username", user.email)
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="登录", exact=True).click()
    expect(page.locator("#id_password")).to_have_count(0)


def test_two_firms_match_inquire_accept_talk_and_close_a_deal(
    live_server, transactional_db, eager_tasks, page, page_problems, screenshot, poster_page
):
    reference_data_load()
    cast = load_cast(build_cast())
    for user in (cast.member_a, cast.member_b):
        user.set_password(PASSWORD)
        user.save(update_fields=["password"])
    listings = Listings(cast)
    offer = listings.published("A", **capacity_fields())
    request = listings.published("B", **request_fields())
    match = Match.objects.get(offer=offer, request=request)
    base = live_server.url
    poster, poster_problems = poster_page

    def poster_shot(name: str) -> None:
        poster.screenshot(path=str(SCREENSHOTS / f"{test_name}-{name}.png"), full_page=True)

    test_name = "test_two_firms_match_inquire_accept_talk_and_close_a_deal"

    # B's member opens their request and its match list: A's offer, with why it fits.
    log_in(page, base, cast.member_b)
    page.goto(f"{base}/listings/{request.pk}/")
    page.get_by_role("link", name="查看匹配推荐").click()
    expect(page).to_have_url(f"{base}/listings/{request.pk}/matches/")
    card = page.locator(".card", has_text=offer.title)
    expect(card).to_have_count(1)
    expect(card.locator(".badge").first).to_have_text(f"{round(match.score * 100)}%")
    card.locator("summary", has_text="为什么推荐").click()
    expect(card.locator("table")).to_contain_text("行业代码相同")
    expect(page.locator("body")).not_to_contain_text(NAME_A)
    screenshot("01-requester-sees-the-match")

    # …and sends an inquiry from the match.
    card.get_by_role("link", name="发送对接意向").click()
    expect(page).to_have_url(f"{base}/listings/{offer.pk}/inquire/?match={match.pk}")
    page.fill("#id_message", "我们每月需要约 300 机时的数控加工，想了解贵方的排产。")
    page.fill("#id_offer_text", "可签三个月的长期订单。")
    screenshot("02-requester-writes-the-inquiry")
    page.get_by_role("button", name="发送").click()
    inquiry = Inquiry.objects.get()
    expect(page).to_have_url(f"{base}/inquiries/{inquiry.pk}/")
    expect(page.locator("body")).to_contain_text(
        "发布方接受对接意向后，双方可见对方的企业名称和联系人。"
    )
    expect(page.locator("body")).not_to_contain_text(NAME_A)
    expect(page.locator("body")).not_to_contain_text("027-87000001")
    screenshot("03-requester-waits-anonymous")
    assert Match.objects.get().request_state == "contacted"

    # A's member, in another browser, sees who asks and accepts.
    log_in(poster, base, cast.member_a)
    poster.goto(f"{base}/inquiries/")
    poster.get_by_role("link", name=offer.title).first.click()
    expect(poster).to_have_url(f"{base}/inquiries/{inquiry.pk}/")
    expect(poster.locator("body")).to_contain_text(f"意向方：{NAME_B}")
    expect(poster.locator("body")).not_to_contain_text("027-87000002")
    poster_shot("04-poster-sees-who-asks")
    poster.get_by_role("button", name="接受并公开联系方式").click()
    expect(poster.locator("body")).to_contain_text(
        "已接受，双方现在可以看到对方的企业名称和联系人。"
    )
    contacts = poster.locator(".col-lg-5 .card")
    expect(contacts).to_contain_text(NAME_B)
    expect(contacts).to_contain_text("027-87000002")
    expect(contacts).to_contain_text("contact-2@example.com")
    poster_shot("05-poster-accepted-sees-contacts")

    # B now sees A's name and contacts, and writes.
    page.reload()
    contacts = page.locator(".col-lg-5 .card")
    expect(contacts).to_contain_text(NAME_A)
    expect(contacts).to_contain_text("联系人1")
    expect(contacts).to_contain_text("027-87000001")
    expect(contacts).to_contain_text("contact-1@example.com")
    page.fill("#id_body", "何时方便来看设备？")
    page.get_by_role("button", name="发送消息").click()
    expect(page.locator("body")).to_contain_text("何时方便来看设备？")
    screenshot("06-requester-sees-contacts-and-writes")

    # A answers.
    poster.reload()
    expect(poster.locator("body")).to_contain_text("何时方便来看设备？")
    poster.fill("#id_body", "周三上午可以，欢迎来厂参观。")
    poster.get_by_role("button", name="发送消息").click()
    expect(poster.locator("body")).to_contain_text("周三上午可以，欢迎来厂参观。")
    poster_shot("07-poster-replies")
    assert InquiryMessage.objects.count() == 2

    # B records the deal.
    page.reload()
    expect(page.locator("body")).to_contain_text("周三上午可以，欢迎来厂参观。")
    page.locator("summary", has_text="登记成交").click()
    page.fill("#id_description", "三个月数控加工，每月 300 机时")
    page.fill("#id_quantity", "900")
    page.fill("#id_unit", "机时")
    page.fill("#id_value_yuan", "72000")
    page.fill("#id_start_date", "2026-12-01")
    page.fill("#id_end_date", "2027-02-28")
    screenshot("08-requester-records-the-deal")
    page.get_by_role("button", name="登记，等待对方确认").click()
    expect(page.locator("body")).to_contain_text("成交已登记，等待对方确认。")
    expect(page.locator("body")).to_contain_text("待对方确认")
    expect(page.get_by_role("button", name="确认成交")).to_have_count(0)  # not by the recorder
    screenshot("09-requester-waits-for-confirmation")

    # A confirms it and closes the listing.
    poster.reload()
    expect(poster.locator("body")).to_contain_text("¥72000")
    poster.get_by_label("同时关闭该信息（已完成）").check()
    poster.get_by_role("button", name="确认成交").click()
    expect(poster.locator("body")).to_contain_text("成交已确认。")
    expect(poster.locator("body")).to_contain_text("已确认")
    poster_shot("10-poster-confirmed")
    poster.goto(f"{base}/listings/{offer.pk}/")
    expect(poster.locator(".badge", has_text="已完成")).to_have_count(1)
    poster_shot("11-listing-closed")

    deal = Deal.objects.get()
    assert (deal.status, deal.recorded_by_id, deal.confirmed_by_id) == (
        "confirmed",
        cast.b.firm.pk,
        cast.member_a.pk,
    )
    assert Listing.objects.get(pk=offer.pk).status == S.CLOSED
    assert not page_problems, page_problems
    assert not poster_problems, poster_problems
