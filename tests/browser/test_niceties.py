"""In a real browser, the small things that make the portal pleasant to use (issue 9):

- an empty list says what to do next and links to it;
- a form's errors stand under their fields, in the user's language, tied to the field for
  screen readers (aria-invalid, aria-describedby);
- a destructive action asks first (data-confirm, static/js/portal.js), and does nothing when
  the answer is no;
- the pages of a filtered list keep the filters;
- the language chosen once follows the user to another browser;
- the favicon is served (also at /favicon.ico);
- a dashboard prints without the navigation, the filters and the buttons, and its charts
  follow the width of the window;
- a search or filter shows a spinner while it loads, and says how many results came back;
- the full re-match shows its progress, updating by itself.
"""

from __future__ import annotations

import re
from contextlib import contextmanager

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from clusters.services import reference_data_load
from sharing import jobs
from sharing.choices import ListingStatus
from sharing.models import BackgroundJob, Listing
from tests.browser import journey as journeys
from tests.browser.journey import VARIANTS, Person, t
from tests.cast import PEOPLE, REGION_A, build_cast, build_market, load_cast, more_verified_firms
from tests.dashboards.helpers import monthly_story
from tests.sharing.helpers import Listings, capacity_fields

pytestmark = pytest.mark.browser
journey = journeys.journey  # the fixture (tests/browser/journey.py)

PASSWORD = "Hubei-cluster-2026!"
ZH_DESKTOP, ZH_PHONE, EN_DESKTOP, EN_PHONE = VARIANTS
CJK = re.compile(r"[\u4e00-\u9fff]")


def passwords() -> None:
    User = get_user_model()
    for email, _name in PEOPLE.values():
        user = User.objects.get(email=email)
        user.set_password(PASSWORD)
        user.save(update_fields=["password"])


@pytest.fixture
def cast_ids(transactional_db, settings):
    """The cast (no listings yet), committed for the live server, everyone with a password."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    reference_data_load()
    ids = build_cast()
    passwords()
    return ids


@pytest.fixture
def cast(cast_ids):
    return load_cast(cast_ids)


@pytest.fixture
def market(cast_ids, settings, tmp_path):
    """The cast with its market: listings, inquiries, deals, complaints, saved searches."""
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return load_cast(cast_ids, build_market(load_cast(cast_ids)))


def logged_in(journey, who: str) -> Person:
    person = journey.person(who)
    person.log_in(PEOPLE[who][0], PASSWORD)
    return person


@contextmanager
def answering(person: Person, *, accept: bool):
    """Answer the confirmation dialogs that open meanwhile; yields the questions asked."""
    asked: list[str] = []

    def answer(dialog) -> None:
        asked.append(dialog.message)
        dialog.accept() if accept else dialog.dismiss()

    person.page.on("dialog", answer)
    try:
        yield asked
    finally:
        person.page.remove_listener("dialog", answer)


# --- Empty lists ------------------------------------------------------------------------------


@pytest.mark.parametrize("variant", [ZH_DESKTOP, EN_PHONE])
def test_empty_lists_say_what_to_do_next_with_a_link(journey, cast, variant):
    pages = {
        "member_a": [
            "/my/listings/",
            "/inquiries/",
            "/my/searches/",
            "/listings/?q=不存在的关键词",
            "/enterprises/?q=不存在的企业",
            "/parks/?q=不存在的园区",
        ],
        "newcomer": ["/my/notifications/"],
        "park_admin_b": ["/supervision/listings/"],
    }
    for who, paths in pages.items():
        person = logged_in(journey, who)
        for path in paths:
            person.goto(path)
            empty = person.page.locator("[data-empty-state]")
            expect(empty.first).to_be_visible()
            for box in empty.all():
                text = box.inner_text()
                assert box.locator("a[href]").count() >= 1, f"{path}: {text!r} links nowhere"
                # In the reader's language (Chinese: the catalogue's words; English: no Chinese).
                assert bool(CJK.search(text)) == (variant.language == "zh-hans"), text
            person.shoot(re.sub(r"\W+", "-", path.split("?")[0]).strip("-"))
            # The next step's link leads to a page that works.
            link = empty.first.locator("a[href]").first
            href = link.get_attribute("href")
            with person.page.expect_navigation():
                link.click()
            assert person.page.url.split("?")[0].endswith(href.split("?")[0]), (
                href,
                person.page.url,
            )
            expect(person.page.locator("h1")).to_have_count(1)
    journey.assert_no_problems()


# --- Form errors ------------------------------------------------------------------------------


def assert_field_error(person: Person, field_id: str, message: str) -> None:
    """The field says it is wrong, and points at its message, which stands right under it."""
    field = person.page.locator(f"#{field_id}")
    expect(field).to_have_attribute("aria-invalid", "true")
    described = (field.get_attribute("aria-describedby") or "").split()
    assert f"{field_id}_error" in described, (field_id, described)
    error = person.page.locator(f"#{field_id}_error")
    expect(error).to_be_visible()
    expect(error).to_have_text(message)
    # Under its own field: below it, and above the next field of the form.
    f_box, e_box = field.bounding_box(), error.bounding_box()
    assert f_box["y"] + f_box["height"] <= e_box["y"] + 1
    assert e_box["y"] - (f_box["y"] + f_box["height"]) < 120


@pytest.mark.parametrize("variant", [ZH_DESKTOP, EN_PHONE])
def test_form_errors_stand_under_their_fields_in_the_users_language(journey, cast, variant):
    person = logged_in(journey, "member_a")
    person.goto("/listings/new/?kind=capacity&direction=offer")
    person.page.fill("#id_industry", "9999")
    with person.page.expect_navigation():
        person.page.get_by_role("button", name=person.t("提交审核")).click()
    required = person.t("This field is required.")
    assert_field_error(person, "id_title", required)
    assert_field_error(person, "id_description", required)
    assert_field_error(
        person, "id_industry", person.t("行业代码 %(code)s 不存在。") % {"code": "9999"}
    )
    assert_field_error(
        person, "id_attr-machine_type", person.t("设备或生产线请填写设备型号或名称。")
    )
    # A field without an error is not marked.
    expect(person.page.locator("#id_quantity")).not_to_have_attribute("aria-invalid", "true")
    if variant.language == "en":
        errors = person.page.locator(".invalid-feedback").all_inner_texts()
        assert errors and not any(CJK.search(e) for e in errors), errors
    person.shoot("listing-errors")
    # Nothing was saved.
    assert not Listing.objects.exists()
    journey.assert_no_problems()


# --- Destructive actions ----------------------------------------------------------------------

DESTRUCTIVE = (
    "撤回",
    "删除",
    "拒绝",
    "下架",
    "暂停",
    "退出企业",
    "移除",
    "婉拒",
    "撤销",
    "批量拒绝",
    "成立并下架",
    "标记为已完成",
)


@pytest.mark.parametrize("variant", [ZH_DESKTOP, EN_DESKTOP])
def test_destructive_actions_ask_first_and_do_nothing_on_no(journey, market, variant):
    cast = market
    words = {t(variant.language, word) for word in DESTRUCTIVE}
    pages = {
        "member_a": [
            "/my/listings/",
            f"/listings/{cast.a.listing.pk}/",
            f"/inquiries/{cast.a.inquiry.pk}/",
            f"/inquiries/{cast.b.inquiry.pk}/",
            "/my/searches/",
        ],
        "admin_a": [
            f"/enterprises/{cast.a.firm.pk}/members/",
            f"/enterprises/{cast.a.firm.pk}/edit/",
        ],
        "park_admin_a": [
            "/supervision/listings/",
            f"/enterprises/{cast.a.pending.pk}/",
            f"/enterprises/{cast.a.firm.pk}/",
        ],
    }
    unguarded, seen = [], set()
    for who, paths in pages.items():
        person = logged_in(journey, who)
        for path in paths:
            person.goto(path)
            for control in person.page.locator("main button, main a.btn").all():
                text = control.inner_text().strip()
                if text in words:
                    seen.add(text)
                    question = control.get_attribute("data-confirm") or ""
                    if not question.strip():
                        unguarded.append(f"{who} {path}: {text!r}")
                    elif variant.language == "en" and CJK.search(question):
                        unguarded.append(f"{who} {path}: {text!r} asks in Chinese: {question}")
    assert not unguarded, "\n".join(unguarded)
    # Every kind of destructive button was met (the pages above really have them).
    assert len(seen) >= 8, seen

    # No: nothing happens. Yes: the listing is withdrawn.
    person = journey.people["member_a"]
    listing = cast.a.listing
    person.goto(f"/listings/{listing.pk}/")
    withdraw = person.page.locator("main").get_by_role("button", name=person.t("撤回"), exact=True)
    with answering(person, accept=False) as asked:
        withdraw.click()
        person.page.wait_for_timeout(300)
    assert asked == [person.t("确定执行此操作吗？")]
    listing.refresh_from_db()
    assert listing.status == ListingStatus.PUBLISHED
    with answering(person, accept=True) as asked, person.page.expect_navigation():
        withdraw.click()
    assert len(asked) == 1
    listing.refresh_from_db()
    assert listing.status == ListingStatus.WITHDRAWN
    journey.assert_no_problems()


# --- Pagination -------------------------------------------------------------------------------


@pytest.mark.parametrize("variant", [EN_DESKTOP])
def test_the_pages_of_a_filtered_list_keep_the_filters(journey, cast, variant):
    listings = Listings(cast)
    for i in range(21):
        listings.published("A", **capacity_fields(title=f"数控机床闲置产能{i:02d}"))
    listings.published("A", **capacity_fields(title="注塑机闲置产能"))  # not found by 数控
    more_verified_firms(cast, 21)

    def next_page(person: Person) -> None:
        nav = person.page.get_by_role("navigation", name=person.t("分页"))
        with person.page.expect_navigation():
            nav.get_by_role("link", name=person.t("下一页")).click()

    visitor = journey.person("visitor")
    visitor.goto("/listings/?q=数控&kind=capacity")
    expect(visitor.page.locator(".listing-card")).to_have_count(20)
    next_page(visitor)
    query = visitor.page.url.split("?", 1)[1]
    assert "page=2" in query and "kind=capacity" in query and "q=%E6%95%B0%E6%8E%A7" in query
    expect(visitor.page.locator(".listing-card")).to_have_count(1)
    expect(visitor.page.locator("#id_q")).to_have_value("数控")
    visitor.shoot("listings-page-2")

    visitor.goto("/enterprises/?status=verified&park=" + str(cast.a.park.pk))
    next_page(visitor)
    assert "status=verified" in visitor.page.url and f"park={cast.a.park.pk}" in visitor.page.url
    expect(visitor.page.locator("#id_status")).to_have_value("verified")

    member = logged_in(journey, "member_a")
    member.goto("/my/listings/?status=published")
    next_page(member)
    assert "status=published" in member.page.url and "page=2" in member.page.url
    expect(member.page.locator("tbody tr")).to_have_count(2)
    journey.assert_no_problems()


# --- Language ---------------------------------------------------------------------------------


def test_the_chosen_language_follows_the_user_to_another_browser(
    cast, browser, live_server, page, page_problems
):
    base = live_server.url
    member = cast.member_a
    # First browser: log in (Chinese by default) and choose English in the header.
    page.goto(base + "/accounts/login/")
    expect(page.locator("html")).to_have_attribute("lang", "zh-CN")
    page.fill("#id_username", member.email)
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    with page.expect_navigation():
        page.select_option("#language-select", "en")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    member.refresh_from_db()
    assert member.language == "en"

    # Another browser, no cookie, a Chinese system: the log-in page is Chinese, and once the
    # member has logged in the portal speaks English again.
    other = browser.new_context(locale="zh-CN", extra_http_headers={"Accept-Language": "zh-CN"})
    try:
        second = other.new_page()
        second.goto(base + "/accounts/login/")
        expect(second.locator("html")).to_have_attribute("lang", "zh-CN")
        second.fill("#id_username", member.email)
        second.fill("#id_password", PASSWORD)
        with second.expect_navigation():
            second.locator("main form button[type=submit]").click()
        expect(second.locator("html")).to_have_attribute("lang", "en")
        second.goto(base + "/my/listings/")
        expect(second.locator("html")).to_have_attribute("lang", "en")
        expect(second.locator("h1")).to_have_text(t("en", "我的供需信息"))
    finally:
        other.close()
    assert not page_problems, page_problems


# --- Favicon ----------------------------------------------------------------------------------


def test_the_favicon_is_served(transactional_db, live_server, page, page_problems):
    page.goto(live_server.url + "/")
    href = page.locator("link[rel=icon]").get_attribute("href")
    icon = page.request.get(live_server.url + href)
    assert icon.status == 200
    assert icon.headers["content-type"].startswith("image/svg+xml")
    assert b"<svg" in icon.body()
    # Browsers and bookmarks that ask for /favicon.ico get the same icon, not a 404.
    legacy = page.request.get(live_server.url + "/favicon.ico")
    assert legacy.status == 200 and legacy.url.endswith(href)
    assert not page_problems, page_problems


# --- Dashboards in print ----------------------------------------------------------------------


@pytest.mark.parametrize("variant", [ZH_DESKTOP])
def test_a_dashboard_prints_without_navigation_and_its_charts_follow_the_width(
    journey, cast, variant
):
    monthly_story(cast, 2)
    officer = logged_in(journey, "officer_a")
    officer.goto(f"/dashboards/regions/{REGION_A}/")
    page = officer.page
    page.wait_for_selector("[data-chart][data-rendered]")
    expect(page.locator("nav.portal-navbar")).to_be_visible()
    expect(page.locator("form[method=get]")).to_be_visible()

    page.emulate_media(media="print")
    for hidden in ("nav.portal-navbar", "footer.portal-footer", "form[method=get]", ".breadcrumb"):
        expect(page.locator(hidden).first).to_be_hidden()
    for button in page.locator("main .btn").all():
        expect(button).to_be_hidden()
    expect(page.locator("h1")).to_be_visible()
    expect(page.locator("[data-chart]").first).to_be_visible()
    expect(page.locator("main table").first).to_be_visible()
    assert page.evaluate("getComputedStyle(document.body).backgroundColor") == "rgb(255, 255, 255)"
    pdf = page.pdf(format="A4")
    assert pdf[:4] == b"%PDF" and len(pdf) > 5_000

    page.emulate_media(media="screen")
    expect(page.locator("nav.portal-navbar")).to_be_visible()

    # The charts follow the window: a phone's width, then the desktop's again.
    def chart_widths() -> list[list[int]]:
        return page.evaluate(
            """() => [...document.querySelectorAll("[data-chart]")].map(
                 el => [el.clientWidth, el.querySelector("canvas").clientWidth])"""
        )

    wide = chart_widths()
    page.set_viewport_size({"width": 375, "height": 812})
    page.wait_for_function(
        """() => [...document.querySelectorAll("[data-chart]")].every(
             el => el.querySelector("canvas").clientWidth === el.clientWidth
               && el.clientWidth < 375)"""
    )
    narrow = chart_widths()
    assert all(box == canvas and canvas < 375 for box, canvas in narrow), narrow
    officer.assert_fits("dashboard at 375 px")
    page.set_viewport_size({"width": 1280, "height": 900})
    page.wait_for_function(
        """() => [...document.querySelectorAll("[data-chart]")].every(
             el => el.querySelector("canvas").clientWidth === el.clientWidth
               && el.clientWidth > 375)"""
    )
    assert chart_widths() == wide
    journey.assert_no_problems()


# --- Loading indicators -----------------------------------------------------------------------


@pytest.mark.parametrize("variant", [ZH_DESKTOP, EN_PHONE])
def test_search_and_filters_show_a_spinner_while_they_load(journey, cast, variant):
    Listings(cast).published("A", **capacity_fields())
    visitor = journey.person("visitor")
    page = visitor.page
    visitor.goto("/listings/")
    spinner = page.locator("#search-spinner")
    expect(spinner).to_be_hidden()

    held = []
    page.route(re.compile(r"/listings/\?"), lambda route: held.append(route))
    page.select_option("#id_kind", "capacity")  # the search runs on a change, with htmx
    expect(spinner).to_be_visible()
    expect(page.locator("#listing-results")).to_have_attribute("aria-busy", "true")
    assert held, "the search request was not sent"
    for route in held:
        route.continue_()
    page.unroute(re.compile(r"/listings/\?"))
    expect(spinner).to_be_hidden()
    expect(page).to_have_url(re.compile(r"kind=capacity"))
    found = visitor.t("找到 %(counter)s 条信息") % {"counter": 1}
    expect(page.locator("#live-region")).to_have_text(found)
    expect(page.locator("#listing-results")).not_to_have_attribute("aria-busy", "true")

    # A filter form that loads a whole page shows its spinner from the moment it is sent
    # until the next page replaces it.
    visitor.goto("/parks/")
    form = page.locator("main form[data-loading]")
    expect(form.locator(".htmx-indicator")).to_be_hidden()
    page.select_option("#id_level", index=1)
    with page.expect_navigation():
        shown = form.evaluate(
            """form => {
              form.requestSubmit(form.querySelector("button[type=submit]"));
              const spinner = form.querySelector(".htmx-indicator");
              return [getComputedStyle(spinner).display, form.getAttribute("aria-busy")];
            }"""
        )
    assert shown[0] != "none" and shown[1] == "true", shown
    expect(page).to_have_url(re.compile(r"/parks/\?level="))
    expect(page.locator("main form[data-loading] .htmx-indicator")).to_be_hidden()
    journey.assert_no_problems()


# --- Progress of long jobs --------------------------------------------------------------------


@pytest.mark.parametrize("variant", [ZH_DESKTOP, EN_PHONE])
def test_the_full_rematch_shows_its_progress(journey, cast, variant, eager_tasks, monkeypatch):
    listings = Listings(cast)
    for i in range(3):
        listings.published("A", **capacity_fields(title=f"数控机床闲置产能{i}"))
    # The worker is busy elsewhere: the job waits in the queue until the test runs it below.
    monkeypatch.setattr("sharing.tasks.rematch_all_task.delay", lambda *args, **kwargs: None)

    supervisor = logged_in(journey, "supervisor")
    supervisor.goto("/supervision/rematch/")
    page = supervisor.page
    with answering(supervisor, accept=True) as asked, page.expect_navigation():
        page.get_by_role("button", name=supervisor.t("开始")).click()
    assert asked == [supervisor.t("确定开始全量重新匹配吗？")]
    bar = page.get_by_role("progressbar", name=supervisor.t("重新匹配进度"))
    expect(bar).to_have_attribute("aria-valuenow", "0")
    expect(page.locator("#job-progress")).to_have_attribute("hx-trigger", "every 2s")
    supervisor.shoot("queued")

    # The worker runs the job; the page, polling by itself, shows it finished.
    job = BackgroundJob.objects.get(kind="rematch")
    jobs.rematch_run(job.pk)
    expect(bar).to_have_attribute("aria-valuenow", "100", timeout=10_000)
    expect(bar).to_contain_text("100%")
    expect(page.locator("#job-progress")).not_to_have_attribute("hx-trigger", "every 2s")
    job.refresh_from_db()
    expect(page.locator("#live-region")).to_contain_text(f"#{job.pk}")
    assert job.total == 3
    supervisor.shoot("done")
    journey.assert_no_problems()
