"""In a real browser: a member of firm A posts an idle-capacity offer, the park administrator
approves it from the moderation queue, and an anonymous visitor finds it by a two-character
word of its title. Three people, three browser contexts (separate cookies), one live server.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from clusters.services import reference_data_load
from sharing.models import Listing
from tests.browser.conftest import LOCAL_HOSTS, SCREENSHOTS, PageProblems
from tests.cast import NAME_A, PEOPLE, build_cast

pytestmark = pytest.mark.browser

PASSWORD = "Hubei-cluster-2026!"
TITLE = "五轴数控机床闲置产能出租"
WORD = "机床"  # two characters of the title


@pytest.fixture
def people(transactional_db, settings):
    """The cast, committed (the live server reads it from another thread), with passwords."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    reference_data_load()
    build_cast()
    User = get_user_model()
    users = {key: User.objects.get(email=PEOPLE[key][0]) for key in ("member_a", "park_admin_a")}
    for user in users.values():
        user.set_password(PASSWORD)
        user.save(update_fields=["password"])
    return users


def new_page(browser, problems: PageProblems):
    """Another person's browser: a fresh context, guarded as tests/browser/conftest.py's
    ``page`` is (no outside requests, no script errors, no failed responses)."""
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
    page.on("console", lambda msg: msg.type == "error" and problems.console_errors.append(msg.text))
    page.on("pageerror", lambda error: problems.page_errors.append(str(error)))
    page.on(
        "response",
        lambda response: (
            response.status >= 400
            and problems.failed_responses.append(f"{response.status} {response.url}")
        ),
    )
    return page


def shoot(page, request, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    test_name = re.sub(r"[^\w.-]+", "_", request.node.name)
    path = SCREENSHOTS / f"{test_name}-{name}.png"
    page.screenshot(path=str(path), full_page=True)
    assert path.stat().st_size > 0


def log_in(page, base: str, email: str) -> None:
    page.goto(base + "/accounts/login/")
    page.fill('input[name="username"]', email)
    page.fill('input[name="password"]', PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="登录").click()
    expect(page.locator("form[action='/accounts/logout/']")).to_have_count(1)


def test_post_approve_and_find_a_listing(
    live_server, people, browser, page, page_problems, screenshot, request
):
    base = live_server.url

    # 1. The member of firm A logs in and posts an idle-capacity offer.
    log_in(page, base, people["member_a"].email)
    page.goto(base + "/listings/new/")
    page.get_by_label("闲置产能与设备").check()
    page.get_by_label("供给").check()
    screenshot("1-choose-kind")
    with page.expect_navigation():
        page.get_by_role("button", name="下一步").click()
    expect(page).to_have_url(re.compile(r"/listings/new/\?.*kind=capacity"))
    page.fill("#id_title", TITLE)
    page.fill(
        "#id_description", "五台立式加工中心，每月可提供约 400 机时，可承接铝合金和钢件精加工。"
    )
    page.fill("#id_industry", "3421")
    page.fill("#id_quantity", "400")
    page.select_option("#id_unit", "machine_hours_month")
    page.select_option("#id_price_mode", "range")
    page.fill("#id_price_min", "80")
    page.fill("#id_price_max", "120")
    page.select_option("#id_visibility", "public")
    page.select_option("#id_attr-facility", "equipment")
    page.fill("#id_attr-machine_type", "DMU 50")
    screenshot("2-form-filled")
    with page.expect_navigation():
        page.get_by_role("button", name="提交审核").click()

    expect(page).to_have_url(re.compile(r"/listings/\d+/$"))
    expect(page.locator("h1")).to_have_text(TITLE)
    expect(page.locator(".badge", has_text="待审核")).to_be_visible()
    screenshot("3-submitted")
    listing = Listing.objects.get(title=TITLE)
    assert listing.status == "pending"

    # 2. The park administrator, in another browser, approves it from the queue.
    admin_problems = PageProblems()
    admin = new_page(browser, admin_problems)
    log_in(admin, base, people["park_admin_a"].email)
    admin.goto(base + "/supervision/listings/")
    row = admin.locator("tr", has_text=TITLE)
    expect(row).to_have_count(1)
    shoot(admin, request, "4-queue")
    with admin.expect_navigation():
        row.get_by_role("button", name="通过").click()
    expect(admin).to_have_url(base + "/supervision/listings/")
    expect(admin.locator("body")).to_contain_text("操作成功")
    expect(admin.locator("tr", has_text=TITLE)).to_have_count(0)
    shoot(admin, request, "5-approved")
    listing.refresh_from_db()
    assert listing.status == "published"

    # 3. An anonymous visitor searches for a two-character word of the title.
    visitor_problems = PageProblems()
    visitor = new_page(browser, visitor_problems)
    visitor.goto(base + "/listings/?q=" + WORD)
    card = visitor.locator(".listing-card", has_text=TITLE)
    expect(card).to_have_count(1)
    shoot(visitor, request, "6-search")
    with visitor.expect_navigation():
        card.get_by_role("link", name=TITLE).click()
    expect(visitor.locator("h1")).to_have_text(TITLE)
    expect(visitor.locator("body")).not_to_contain_text(NAME_A)  # the poster stays anonymous
    shoot(visitor, request, "7-detail")

    assert not page_problems, page_problems
    assert not admin_problems, admin_problems
    assert not visitor_problems, visitor_problems
    admin.context.close()
    visitor.context.close()
