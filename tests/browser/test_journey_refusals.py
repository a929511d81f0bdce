"""In a real browser, the refusals a user meets, and the way back from each (issue 9).

1. A member posts a listing; the park administrator rejects it from the moderation queue
   (a reason from the list and a note), the member reads why on the listing and in the
   notifications, fixes it and resubmits; the administrator asks for one more change, the
   member makes it; the administrator approves and the public sees the listing.
2. A published listing passes its expiry date: the daily expiry job takes it offline (the
   public gets a 404, warned owners are told), and the owner renews it with one click in
   "my listings"; it is public again at once (an unchanged listing needs no new review).
3. Another firm's member reports a published listing; the park administrator of the poster's
   park upholds the report from the complaints queue (after a confirmation, which a first
   "cancel" really cancels); the listing leaves the search and its page is a 404 for the
   public, and the poster sees it was taken down, with the reason and the note.

Each journey runs in the four variants of tests/browser/journey.py; every step is a numbered
screenshot under test-artifacts/screenshots/journey_<name>/<variant>/.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from clusters.services import reference_data_load
from sharing.choices import EXPIRY_DAYS
from sharing.choices import ListingStatus as S
from sharing.models import Complaint, Listing, ModerationDecision, Notification
from sharing.tasks import expire_listings_task, warn_expiring_task
from tests.browser import journey as journeys
from tests.browser.journey import VARIANTS, Person
from tests.cast import NAME_A, build_cast, load_cast
from tests.sharing.helpers import Listings

pytestmark = pytest.mark.browser
journey = journeys.journey  # the fixture, in this module

PASSWORD = "Hubei-cluster-2026!"
TITLE = "五轴数控机床闲置产能出租"
WORD = "机床"  # two characters of the title: what a visitor searches for
PHONE = "13800001234"


@pytest.fixture
def cast(transactional_db, settings, variant, eager_tasks):
    """The cast of tests/cast.py, committed (the live server reads it from another thread),
    with passwords, each person having chosen the variant's language (as signing up in it
    does: the notifications they get are written in it)."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    reference_data_load()
    cast = load_cast(build_cast())
    for user in cast.people.values():
        user.set_password(PASSWORD)
        user.language = variant.language
        user.save(update_fields=["password", "language"])
    return cast


# --- Steps every journey here takes -----------------------------------------------------------


def nav(person: Person, text: str) -> None:
    """Follow a link of the main navigation (behind the toggler on a phone)."""
    person.open_menu()
    with person.page.expect_navigation():
        person.page.locator("#main-nav").get_by_role("link", name=person.t(text)).click()


def open_notifications(person: Person) -> None:
    """The bell in the header, with its unread count."""
    person.open_menu()
    bell = person.page.locator("#notification-badge")
    expect(bell.locator(".badge")).to_be_visible()  # something unread
    with person.page.expect_navigation():
        bell.click()
    expect(person.page.locator("h1")).to_have_text(person.t("通知"))


@contextmanager
def answering_confirmation(person: Person, *, accept: bool) -> Iterator[list[str]]:
    """Answer the confirmation dialog(s) a click opens; yields the questions asked."""
    asked: list[str] = []

    def answer(dialog) -> None:
        asked.append(dialog.message)
        if accept:
            dialog.accept()
        else:
            dialog.dismiss()

    person.page.on("dialog", answer)
    try:
        yield asked
    finally:
        person.page.remove_listener("dialog", answer)


def expect_not_found(person: Person, path: str) -> None:
    """The page is a 404 in the person's language; the expected 404 is not a problem."""
    response = person.page.goto(person.journey.base + path)
    assert response is not None and response.status == 404
    expect(person.page.locator("h1")).to_have_text(person.t("页面不存在"))
    person.problems.failed_responses.remove(f"404 {response.url}")
    person.problems.console_errors.remove(
        "Failed to load resource: the server responded with a status of 404 (Not Found)"
    )


def expect_message(person: Person, text: str) -> None:
    expect(person.page.locator(".messages")).to_contain_text(text)


def status_badge(person: Person, status: str):
    return person.page.locator(".badge", has_text=person.t(S(status).label))


# --- 1. Rejected, changes requested, approved -------------------------------------------------


@pytest.mark.parametrize("variant", VARIANTS)
def test_journey_rejected_listing(journey, cast, variant):
    t_reason = {
        "contact_in_text": "正文中留有联系方式",
        "incomplete": "信息不完整或不清楚",
    }
    reject_note = "请删除正文中的电话号码：对方的对接意向被接受后，联系方式会自动公开。"
    changes_note = "请注明可加工的最大工件尺寸。"

    # The member of firm A posts an idle-capacity offer, with a phone number in the text.
    member = journey.person("member")
    member.log_in(cast.member_a.email, PASSWORD)
    nav(member, "我的信息")
    with member.page.expect_navigation():
        member.page.locator("main").get_by_role("link", name=member.t("发布信息")).click()
    member.page.get_by_label(member.t("闲置产能与设备"), exact=True).check()
    member.page.get_by_label(member.t("供给"), exact=True).check()
    member.shoot("choose-kind")
    with member.page.expect_navigation():
        member.page.get_by_role("button", name=member.t("下一步")).click()
    member.page.fill("#id_title", TITLE)
    member.page.fill(
        "#id_description",
        f"五台立式加工中心，每月可提供约 400 机时。联系电话 {PHONE}。",
    )
    member.page.fill("#id_industry", "3421")
    member.page.fill("#id_quantity", "400")
    member.page.select_option("#id_unit", "machine_hours_month")
    member.page.select_option("#id_price_mode", "negotiable")
    member.page.select_option("#id_visibility", "public")
    member.page.select_option("#id_attr-facility", "equipment")
    member.page.fill("#id_attr-machine_type", "DMU 50")
    member.shoot("form-filled")
    with member.page.expect_navigation():
        member.page.get_by_role("button", name=member.t("提交审核")).click()
    expect(member.page).to_have_url(re.compile(r"/listings/\d+/$"))
    expect_message(member, member.t("已提交审核。"))
    expect(status_badge(member, S.PENDING)).to_be_visible()
    member.shoot("submitted")
    listing = Listing.objects.get(title=TITLE)
    assert listing.status == S.PENDING

    # The park administrator rejects it from the queue: a reason from the list and a note,
    # after confirming (a rejection is destructive).
    admin = journey.person("park-admin")
    admin.log_in(cast.park_admin_a.email, PASSWORD)
    nav(admin, "信息审核")
    row = admin.page.locator("tr", has_text=TITLE)
    expect(row).to_have_count(1)
    row.get_by_label(admin.t("理由"), exact=True).select_option("contact_in_text")
    row.get_by_label(admin.t("审核意见"), exact=True).fill(reject_note)
    admin.shoot("queue-reject")
    with answering_confirmation(admin, accept=True) as asked, admin.page.expect_navigation():
        row.get_by_role("button", name=admin.t("拒绝"), exact=True).click()
    assert asked == [admin.t("确定执行此操作吗？")]
    expect_message(admin, admin.t("操作成功。"))
    expect(admin.page.locator("tr", has_text=TITLE)).to_have_count(0)
    admin.shoot("rejected")
    listing.refresh_from_db()
    assert (listing.status, listing.moderation_reason) == (S.REJECTED, "contact_in_text")

    # The member is told, in the notifications, and reads why on the listing.
    member.goto("/")
    open_notifications(member)
    notice = member.page.locator(".list-group-item", has_text=TITLE).first
    expect(notice).to_contain_text(
        member.t("您的供需信息“%(title)s”未通过审核。") % {"title": TITLE}
    )
    expect(notice).to_contain_text(
        member.t("理由：%(reason)s") % {"reason": member.t(t_reason["contact_in_text"])}
    )
    expect(notice).to_contain_text(reject_note)
    member.shoot("notified-of-rejection")
    with member.page.expect_navigation():
        notice.get_by_role(
            "link", name=member.t("供需信息审核结果：%(title)s") % {"title": TITLE}
        ).click()
    expect(member.page).to_have_url(re.compile(rf"/listings/{listing.pk}/$"))
    expect(status_badge(member, S.REJECTED)).to_be_visible()
    verdict = member.page.locator(".alert-warning")
    expect(verdict).to_contain_text(member.t("该信息未通过审核。"))
    expect(verdict).to_contain_text(member.t(t_reason["contact_in_text"]))
    expect(verdict).to_contain_text(reject_note)
    expect(member.page.locator("main")).to_contain_text(member.t("审核记录"))
    member.shoot("reads-rejection")

    # …fixes the text and resubmits.
    with member.page.expect_navigation():
        member.page.locator("main").get_by_role("link", name=member.t("修改"), exact=True).click()
    member.page.fill("#id_description", "五台立式加工中心，每月可提供约 400 机时。")
    member.shoot("fixes-text")
    with member.page.expect_navigation():
        member.page.get_by_role("button", name=member.t("提交审核")).click()
    expect_message(member, member.t("已提交审核。"))
    expect(status_badge(member, S.PENDING)).to_be_visible()
    expect(member.page.locator(".alert-warning")).to_have_count(0)  # the verdict is history
    member.shoot("resubmitted")

    # The administrator asks for one more change (no confirmation: nothing is lost).
    admin.page.reload()
    row = admin.page.locator("tr", has_text=TITLE)
    expect(row).to_have_count(1)
    row.get_by_label(admin.t("理由"), exact=True).select_option("incomplete")
    row.get_by_label(admin.t("审核意见"), exact=True).fill(changes_note)
    with answering_confirmation(admin, accept=True) as asked, admin.page.expect_navigation():
        row.get_by_role("button", name=admin.t("要求修改"), exact=True).click()
    assert asked == []
    expect_message(admin, admin.t("操作成功。"))
    admin.shoot("changes-requested")

    # The member finds it in "my listings", with the reason, and makes the change.
    nav(member, "我的信息")
    mine = member.page.locator("tr", has_text=TITLE)
    expect(mine).to_contain_text(member.t(S.CHANGES_REQUESTED.label))
    expect(mine).to_contain_text(member.t(t_reason["incomplete"]))
    member.shoot("my-listings-changes-requested")
    with member.page.expect_navigation():
        mine.get_by_role("link", name=TITLE).click()
    verdict = member.page.locator(".alert-warning")
    expect(verdict).to_contain_text(member.t("审核人员要求修改该信息。"))
    expect(verdict).to_contain_text(changes_note)
    with member.page.expect_navigation():
        member.page.locator("main").get_by_role("link", name=member.t("修改"), exact=True).click()
    member.page.fill("#id_attr-machine_type", "DMU 50，最大工件 500×400×350 mm")
    with member.page.expect_navigation():
        member.page.get_by_role("button", name=member.t("提交审核")).click()
    expect_message(member, member.t("已提交审核。"))
    member.shoot("resubmitted-again")

    # The administrator approves; the listing is published.
    admin.page.reload()
    row = admin.page.locator("tr", has_text=TITLE)
    with admin.page.expect_navigation():
        row.get_by_role("button", name=admin.t("通过"), exact=True).click()
    expect_message(admin, admin.t("操作成功。"))
    expect(admin.page.locator("tr", has_text=TITLE)).to_have_count(0)
    admin.shoot("approved")
    listing.refresh_from_db()
    assert listing.status == S.PUBLISHED
    assert list(
        ModerationDecision.objects.filter(listing=listing)
        .order_by("decided_at")
        .values_list("decision", "reason")
    ) == [("reject", "contact_in_text"), ("request_changes", "incomplete"), ("approve", "")]

    # The public finds it, without the phone number.
    visitor = journey.person("visitor")
    visitor.search_and_open(WORD, TITLE)
    expect(visitor.page.locator("main")).not_to_contain_text(PHONE)
    expect(visitor.page.locator("main")).not_to_contain_text(NAME_A)
    visitor.shoot("sees-published")

    journey.assert_no_problems()


# --- 2. Expired, renewed ------------------------------------------------------------------------


@pytest.mark.parametrize("variant", VARIANTS)
def test_journey_expired_listing_renewed(journey, cast, variant):
    listing = Listings(cast).published("A", title=TITLE)
    today = timezone.localdate()

    # Five days before: the daily warning tells the owner.
    Listing.objects.filter(pk=listing.pk).update(expires_on=today + timedelta(days=3))
    assert warn_expiring_task.delay().get() == 1
    # Then the date passes and the daily expiry job takes it offline.
    Listing.objects.filter(pk=listing.pk).update(expires_on=today - timedelta(days=1))
    assert expire_listings_task.delay().get() == 1
    listing.refresh_from_db()
    assert listing.status == S.EXPIRED

    # The public cannot open it any more, nor find it.
    visitor = journey.person("visitor")
    expect_not_found(visitor, f"/listings/{listing.pk}/")
    visitor.shoot("expired-is-not-found")
    visitor.goto(f"/listings/?q={WORD}")
    expect(visitor.page.locator(".listing-card", has_text=TITLE)).to_have_count(0)

    # The owner was warned, then told it expired and where to renew it.
    member = journey.person("member")
    member.log_in(cast.member_a.email, PASSWORD)
    open_notifications(member)
    notices = member.page.locator(".list-group-item")
    expired = member.t("您的供需信息“%(title)s”已到期下线，可在“我的信息”中一键续期。")
    expect(notices.first).to_contain_text(expired % {"title": TITLE})  # the newest first
    warned = notices.filter(has_text=member.t("即将到期：%(title)s") % {"title": TITLE})
    expect(warned).to_have_count(1)
    member.shoot("notified-of-expiry")
    with member.page.expect_navigation():
        notices.first.get_by_role("link").click()
    expect(status_badge(member, S.EXPIRED)).to_be_visible()
    verdict = member.page.locator(".alert-warning")
    expect(verdict).to_contain_text(member.t("该信息已到期下线，其他用户已无法查看。"))
    expect(verdict).to_contain_text(member.t("点击“续期”即可重新公开。"))
    member.shoot("reads-expiry")

    # In "my listings" it shows as expired, with a one-click renewal.
    nav(member, "我的信息")
    row = member.page.locator("tr", has_text=TITLE)
    expect(row).to_contain_text(member.t(S.EXPIRED.label))
    renew = row.get_by_role("button", name=member.t("续期"), exact=True)
    expect(renew).to_be_in_viewport()  # on a phone too, without scrolling the table
    member.shoot("my-listings-expired")
    with answering_confirmation(member, accept=True) as asked, member.page.expect_navigation():
        renew.click()
    assert asked == []  # renewing loses nothing: no question asked
    new_expiry = today + timedelta(days=EXPIRY_DAYS["capacity"][0])
    expect_message(
        member, member.t("已续期，有效期至 %(date)s。") % {"date": new_expiry.isoformat()}
    )
    expect(status_badge(member, S.PUBLISHED)).to_be_visible()
    expect(member.page.locator("main dl")).to_contain_text(new_expiry.isoformat())
    member.shoot("renewed")
    listing.refresh_from_db()
    assert (listing.status, listing.expires_on, listing.expiry_warned_at) == (
        S.PUBLISHED,
        new_expiry,
        None,
    )

    # The public sees it again at once: an unchanged listing goes back without review.
    visitor.search_and_open(WORD, TITLE)
    visitor.shoot("public-again")

    journey.assert_no_problems()


# --- 3. Reported and taken down -----------------------------------------------------------------


@pytest.mark.parametrize("variant", VARIANTS)
def test_journey_complaint_taken_down(journey, cast, variant):
    listing = Listings(cast).published("A", title=TITLE, visibility="public")
    report = "同一批设备上周已发布过，价格和数量与实际不符。"
    note = "经核实，设备已出售，信息与实际不符。"

    # A member of firm B finds the listing and reports it.
    reporter = journey.person("reporter")
    reporter.log_in(cast.member_b.email, PASSWORD)
    reporter.goto(f"/listings/?q={WORD}")
    with reporter.page.expect_navigation():
        reporter.page.locator(".listing-card", has_text=TITLE).get_by_role(
            "link", name=TITLE
        ).click()
    reporter.page.locator("summary", has_text=reporter.t("举报该信息")).click()
    reporter.page.get_by_label(reporter.t("举报理由")).select_option("fraud")
    reporter.page.get_by_label(reporter.t("说明", "complaint")).fill(report)
    reporter.shoot("reports")
    with reporter.page.expect_navigation():
        reporter.page.get_by_role("button", name=reporter.t("提交举报")).click()
    expect_message(reporter, reporter.t("举报已提交，监管人员将尽快处理。"))
    reporter.shoot("reported")
    complaint = Complaint.objects.get(listing=listing)
    assert (complaint.reporter_id, complaint.status) == (cast.member_b.pk, "open")

    # The park administrator of the poster's park sees it in the complaints queue.
    admin = journey.person("park-admin")
    admin.log_in(cast.park_admin_a.email, PASSWORD)
    nav(admin, "信息审核")
    item = admin.page.locator(".list-group-item", has_text=TITLE)
    expect(item).to_have_count(1)
    expect(item).to_contain_text(admin.t("虚假或欺诈信息"))
    expect(item).to_contain_text(report)
    item.get_by_label(admin.t("下架理由")).select_option("misleading")
    item.get_by_label(admin.t("处理意见")).fill(note)
    admin.shoot("complaints-queue")
    uphold = item.get_by_role("button", name=admin.t("成立并下架"))

    # Taking down asks first; cancelling really cancels.
    with answering_confirmation(admin, accept=False) as asked:
        uphold.click()
    assert asked == [admin.t("确定下架该信息吗？")]
    expect(item).to_have_count(1)
    listing.refresh_from_db()
    assert listing.status == S.PUBLISHED

    with answering_confirmation(admin, accept=True) as asked, admin.page.expect_navigation():
        uphold.click()
    assert asked == [admin.t("确定下架该信息吗？")]
    expect_message(admin, admin.t("举报成立，信息已下架。"))
    expect(admin.page.locator(".list-group-item", has_text=TITLE)).to_have_count(0)
    expect(admin.page.locator("main")).to_contain_text(admin.t("没有待处理的举报。"))
    admin.shoot("taken-down")
    listing.refresh_from_db()
    complaint.refresh_from_db()
    assert (listing.status, listing.moderation_reason, listing.moderation_note) == (
        S.TAKEN_DOWN,
        "misleading",
        note,
    )
    assert (complaint.status, complaint.handled_by_id) == ("upheld", cast.park_admin_a.pk)

    # The public no longer finds it, and its page is a 404.
    visitor = journey.person("visitor")
    visitor.goto(f"/listings/?q={WORD}")
    expect(visitor.page.locator(".listing-card", has_text=TITLE)).to_have_count(0)
    visitor.shoot("search-without-it")
    expect_not_found(visitor, f"/listings/{listing.pk}/")
    visitor.shoot("taken-down-is-not-found")

    # The poster is told, with the reason and the note, and sees it on the listing.
    poster = journey.person("poster")
    poster.log_in(cast.member_a.email, PASSWORD)
    open_notifications(poster)
    notice = poster.page.locator(".list-group-item", has_text=TITLE).first
    expect(notice).to_contain_text(
        poster.t("您的供需信息“%(title)s”已被监管人员下架。") % {"title": TITLE}
    )
    expect(notice).to_contain_text(
        poster.t("理由：%(reason)s") % {"reason": poster.t("虚假或夸大的内容")}
    )
    expect(notice).to_contain_text(note)
    poster.shoot("notified-of-take-down")
    with poster.page.expect_navigation():
        notice.get_by_role("link").click()
    expect(status_badge(poster, S.TAKEN_DOWN)).to_be_visible()
    verdict = poster.page.locator(".alert-warning")
    expect(verdict).to_contain_text(poster.t("该信息已被监管人员下架，其他用户已无法查看。"))
    expect(verdict).to_contain_text(poster.t("虚假或夸大的内容"))
    expect(verdict).to_contain_text(note)
    expect(poster.page.locator("main").get_by_role("link", name=poster.t("修改"))).to_have_count(0)
    poster.shoot("reads-take-down")
    assert Notification.objects.filter(user=cast.member_a, kind="moderation").exists()

    journey.assert_no_problems()
