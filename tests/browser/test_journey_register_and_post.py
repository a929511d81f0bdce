"""A new SME employee's first weeks on the portal, in a real browser, in four variants
(Chinese and English, desktop and phone):

1. The employee signs up (with the privacy consent), registers their enterprise in a park
   with a valid Unified Social Credit Code, and is told it waits for the park's verification:
   they can prepare a listing but not submit it yet.
2. The park administrator of that park, in their own browser, verifies the enterprise from
   the verification queue.
3. The employee posts an idle-capacity offer, attaches a photo (a real PNG: uploads are
   checked by content) and sees it waiting for review.
4. The park administrator approves it from the moderation queue.
5. An anonymous visitor finds it by a two-character word of its title, opens it and sees the
   attachment, but not who posted it.

Every step is screenshotted (tests/browser/journey.py), and each screenshot also checks that
the page does not scroll sideways at 375 px.
"""

from __future__ import annotations

import io
import re
from urllib.parse import quote

import pytest
from django.contrib.auth import get_user_model
from PIL import Image
from playwright.sync_api import expect

from clusters.services import reference_data_load
from enterprises.choices import VerificationStatus
from enterprises.credit_code import make_credit_code
from enterprises.models import Enterprise, Membership
from sharing.choices import ListingStatus
from sharing.models import Listing
from tests.browser.journey import VARIANTS, Person, journey  # noqa: F401 (the fixture)
from tests.cast import PARK_A, PEOPLE, REGION_A, build_cast, load_cast
from tests.sharing.helpers import Listings, order_fields

pytestmark = pytest.mark.browser

PASSWORD = "Hubei-cluster-2026!"
EMPLOYEE = {"name": "钱多多", "email": "qian@example.com", "phone": "13800138000"}
FIRM = "武汉楚天精工机械有限公司"
# A code that passes every check of enterprises/credit_code.py: 9 工商, 1 企业, 武汉市.
CREDIT_CODE = make_credit_code("9", "1", REGION_A, "HBJY0001")
TITLE = "立式加工中心闲置产能对外共享"
WORD = "加工"  # two characters of the title
PHOTO = "workshop.png"
OTHER = "汽车座椅骨架外协订单"  # another firm's published listing, without the word


def photo_png() -> bytes:
    """A small real PNG (the portal checks an upload by its content, not its name)."""
    buffer = io.BytesIO()
    image = Image.new("RGB", (64, 48), "#2a6ebb")
    image.paste((240, 200, 40), (16, 12, 48, 36))
    image.save(buffer, format="PNG")
    return buffer.getvalue()


@pytest.fixture
def park_admin(transactional_db, settings, tmp_path):
    """The reference data, the cast and another firm's published listing, committed (the
    live server reads them from its own thread); the administrator of park A gets a password
    to log in with."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = tmp_path / "media"
    reference_data_load()
    Listings(load_cast(build_cast())).published("B", **order_fields(title=OTHER))
    user = get_user_model().objects.get(email=PEOPLE["park_admin_a"][0])
    user.set_password(PASSWORD)
    user.save(update_fields=["password"])
    return user


def go(person: Person, name: str) -> None:
    """Follow a link of the main navigation; on a phone, open the menu first."""
    person.open_menu()
    with person.page.expect_navigation():
        person.page.locator("#main-nav").get_by_role("link", name=name, exact=True).click()


def click(person: Person, name: str, *, role: str = "button", within: str = "main") -> None:
    """Click a button (or link) of the page and wait for the page it leads to."""
    with person.page.expect_navigation():
        person.page.locator(within).get_by_role(role, name=name, exact=True).click()


def field(person: Person, label: str):
    """The form field whose label reads ``label`` (a required field's label ends in *)."""
    return person.page.get_by_label(re.compile(rf"^{re.escape(label)}(\s*\*)?$"))


def choose_capacity_offer(person: Person) -> None:
    person.page.get_by_label(person.t("闲置产能与设备"), exact=True).check()
    person.page.get_by_label(person.t("供给"), exact=True).check()


def expect_message(person: Person, text: str) -> None:
    expect(person.page.locator(".messages")).to_contain_text(text)


@pytest.mark.parametrize("variant", VARIANTS)
def test_register_and_post(journey, park_admin, eager_tasks, mailoutbox, variant):  # noqa: F811
    employee = journey.person("employee")
    t = employee.t
    page = employee.page

    # 1a. The employee arrives on the home page and signs up.
    employee.goto("/")
    employee.open_menu()
    with page.expect_navigation():
        page.locator("#main-nav").get_by_role("link", name=t("注册"), exact=True).click()
    expect(page).to_have_url(re.compile(r"/accounts/signup/$"))
    field(employee, t("姓名")).fill(EMPLOYEE["name"])
    field(employee, t("电子邮箱")).fill(EMPLOYEE["email"])
    field(employee, t("手机号码")).fill(EMPLOYEE["phone"])
    field(employee, t("密码")).fill(PASSWORD)
    field(employee, t("确认密码")).fill(PASSWORD)
    consent = page.locator("#id_consent")
    expect(consent).not_to_be_checked()
    consent.check()
    employee.shoot("sign-up")
    click(employee, t("注册"))
    expect(page).to_have_url(re.compile(r"/enterprises/start/$"))
    expect_message(employee, t("注册成功，欢迎使用平台。下一步：创建或加入您的企业。"))
    employee.shoot("next-step")
    user = get_user_model().objects.get(email=EMPLOYEE["email"])
    assert user.name == EMPLOYEE["name"]
    assert user.privacy_consent_at is not None

    # 1b. …registers the enterprise in park A…
    click(employee, t("登记企业"), role="link")
    expect(page).to_have_url(re.compile(r"/enterprises/new/$"))
    field(employee, t("企业名称")).fill(FIRM)
    field(employee, t("统一社会信用代码")).fill(CREDIT_CODE)
    field(employee, t("所在地区")).select_option(label="武汉市")
    field(employee, t("所在园区")).select_option(label=PARK_A)
    field(employee, t("主营行业代码")).fill("3421")
    field(employee, t("从业人员（人）")).fill("85")
    field(employee, t("上年营业收入（万元）")).select_option(index=2)
    field(employee, t("企业简介")).fill("专业从事精密零部件数控加工。")
    field(employee, t("联系人姓名")).fill(EMPLOYEE["name"])
    field(employee, t("电话")).fill("027-87001234")
    employee.shoot("enterprise-form")
    click(employee, t("提交审核"))
    firm = Enterprise.objects.get(credit_code=CREDIT_CODE)
    expect(page).to_have_url(re.compile(rf"/enterprises/{firm.pk}/$"))
    expect_message(employee, t("企业已提交，等待园区管理员审核认证。"))
    expect(page.locator("h1")).to_have_text(FIRM)
    expect(page.locator("main .badge").first).to_have_text(t("待审核"))
    # The flash message goes with the next page; the page itself keeps explaining the wait.
    expect(page.locator("#pending-notice")).to_contain_text(
        t(
            "企业正在等待园区管理员（或平台监管机构）审核认证，结果将通过电子邮件通知企业成员。"
            "认证通过后即可提交发布供需信息；在此之前可以先保存草稿。"
        )
    )
    employee.shoot("enterprise-pending")
    assert firm.status == VerificationStatus.PENDING
    assert firm.park.name == PARK_A
    assert Membership.objects.get(user=user).enterprise == firm

    # 1c. …and tries to post: the portal says the enterprise must be verified first.
    go(employee, t("供需信息", "plural"))
    click(employee, t("发布信息"), role="link")
    unverified = t(
        "您的企业尚未通过园区认证（当前状态：%(status)s），暂时不能提交发布。"
        "现在可以先填写并保存草稿，认证通过后再提交审核。"
    ) % {"status": t("待审核")}
    expect(page.locator("#unverified-notice")).to_contain_text(unverified)
    choose_capacity_offer(employee)
    employee.shoot("cannot-post-yet")
    click(employee, t("下一步"))
    expect(page.locator("#unverified-notice")).to_contain_text(unverified)
    buttons = page.locator("main form[method=post]")
    expect(buttons.get_by_role("button", name=t("提交审核"), exact=True)).to_have_count(0)
    expect(buttons.get_by_role("button", name=t("保存草稿"), exact=True)).to_be_visible()
    employee.shoot("only-a-draft-until-verified")

    # 2. The park administrator, in another browser, verifies the enterprise from the queue.
    admin = journey.person("park-admin")
    admin.log_in(park_admin.email, PASSWORD)
    go(admin, t("企业认证"))
    expect(admin.page).to_have_url(re.compile(r"/supervision/enterprises/$"))
    row = admin.page.locator("tr", has_text=FIRM)
    expect(row).to_have_count(1)
    expect(row).to_contain_text(CREDIT_CODE)
    expect(row).to_contain_text(PARK_A)
    admin.shoot("verification-queue")
    with admin.page.expect_navigation():
        row.get_by_role("button", name=t("通过认证"), exact=True).click()
    expect_message(admin, t("已处理：%(name)s") % {"name": FIRM})
    expect(admin.page.locator("tr", has_text=FIRM)).to_have_count(0)
    admin.shoot("enterprise-verified")
    firm.refresh_from_db()
    assert firm.status == VerificationStatus.VERIFIED
    # As the enterprise page promised, the members learn the result by e-mail.
    told = [m for m in mailoutbox if EMPLOYEE["email"] in m.to]
    assert len(told) == 1 and FIRM in told[0].subject

    # 3. The employee posts an idle-capacity offer and attaches a photo.
    go(employee, t("我的信息"))
    click(employee, t("发布信息"), role="link")
    expect(page.locator("#unverified-notice")).to_have_count(0)
    choose_capacity_offer(employee)
    employee.shoot("choose-kind")
    click(employee, t("下一步"))
    expect(page).to_have_url(re.compile(r"/listings/new/\?.*kind=capacity"))
    field(employee, t("标题")).fill(TITLE)
    field(employee, t("详细描述")).fill(
        "三台立式加工中心，每月约 300 机时空档，可承接铝合金和钢件的精加工。"
    )
    field(employee, t("行业代码")).fill("3421")
    field(employee, t("数量")).fill("300")
    field(employee, t("单位")).select_option(label=t("机时/月"))
    field(employee, t("价格方式")).select_option(label=t("价格区间"))
    field(employee, t("价格/最低价（元）")).fill("80")
    field(employee, t("最高价（元）")).fill("120")
    field(employee, t("可见范围")).select_option(label=t("公开"))
    field(employee, t("资源类型")).select_option(label=t("设备"))
    field(employee, t("设备型号/名称")).fill("VMC850")
    employee.shoot("listing-form")
    click(employee, t("提交审核"))
    listing = Listing.objects.get(title=TITLE)
    expect(page).to_have_url(re.compile(rf"/listings/{listing.pk}/$"))
    expect_message(employee, t("已提交审核。"))
    expect(page.locator("h1")).to_have_text(TITLE)
    expect(page.locator("main .badge", has_text=t("待审核"))).to_be_visible()
    page.get_by_label(t("附件（图片或 PDF，最大 5 MB）")).set_input_files(
        files=[{"name": PHOTO, "mimeType": "image/png", "buffer": photo_png()}]
    )
    click(employee, t("上传"))
    expect_message(employee, t("附件已上传。"))
    expect(page.locator("main").get_by_role("link", name=PHOTO)).to_be_visible()
    expect(page.locator("main .badge", has_text=t("待审核"))).to_be_visible()
    employee.shoot("listing-pending")
    listing.refresh_from_db()
    assert listing.status == ListingStatus.PENDING
    assert listing.enterprise == firm
    assert listing.attachments.get().content_type == "image/png"

    # 4. The park administrator approves it from the moderation queue.
    go(admin, t("信息审核"))
    expect(admin.page).to_have_url(re.compile(r"/supervision/listings/$"))
    row = admin.page.locator("tr", has_text=TITLE)
    expect(row).to_have_count(1)
    expect(row).to_contain_text(FIRM)
    admin.shoot("moderation-queue")
    with admin.page.expect_navigation():
        row.get_by_role("button", name=t("通过"), exact=True).click()
    expect_message(admin, t("操作成功。"))
    expect(admin.page.locator("tr", has_text=TITLE)).to_have_count(0)
    admin.shoot("listing-approved")
    listing.refresh_from_db()
    assert listing.status == ListingStatus.PUBLISHED

    # 5. An anonymous visitor searches for a two-character word of the title and opens it.
    visitor = journey.person("visitor")
    visitor.goto("/")
    go(visitor, t("供需信息", "plural"))
    expect(visitor.page.locator(".listing-card")).to_have_count(2)  # before the search
    visitor.page.get_by_label(t("关键词")).fill(WORD)
    visitor.page.locator("main form[role=search]").get_by_role(
        "button", name=t("搜索"), exact=True
    ).click()
    expect(visitor.page).to_have_url(re.compile(r"[?&]q=" + re.escape(quote(WORD))))
    card = visitor.page.locator(".listing-card", has_text=TITLE)
    expect(card).to_have_count(1)
    expect(visitor.page.locator(".listing-card", has_text=OTHER)).to_have_count(0)
    visitor.shoot("search-results")
    with visitor.page.expect_navigation():
        card.get_by_role("link", name=TITLE).click()
    expect(visitor.page.locator("h1")).to_have_text(TITLE)
    attachment = visitor.page.locator("main").get_by_role("link", name=PHOTO)
    expect(attachment).to_be_visible()
    details = visitor.page.locator("main dl")
    expect(details).to_contain_text(t("资源类型"))
    expect(details).to_contain_text(t("设备"))
    expect(visitor.page.locator("main")).not_to_contain_text(FIRM)  # the poster stays anonymous
    visitor.shoot("listing-detail")
    response = visitor.page.request.get(journey.base + attachment.get_attribute("href"))
    assert response.ok
    assert response.headers["content-type"] == "image/png"
    assert response.body() == photo_png()

    journey.assert_no_problems()
