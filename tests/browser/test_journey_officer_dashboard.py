"""Journey: a government officer of 武汉市 logs in with two factors, finds the deal her
prefecture's firms closed on the dashboard, drills into the park and exports it.

Firm A (武汉东湖高新区) offered idle CNC capacity, firm B (襄阳) asked for it through an
inquiry, A accepted and the two confirmed a deal of ¥72,000: a deal counts where the listing
it closes is, so in 武汉市 and its park. The roll-ups are refreshed, as the 15-minute job
would. The officer gives her password, then the six-digit code of her authenticator (the
dashboards are closed until she does), opens her prefecture's dashboard from the menu, sees
the deal in the figures and the charts really drawn, follows the parks table to the park's
dashboard, filters it to idle capacity and downloads its XLSX, which carries the scope, the
filters and the figures.

Every step is screenshotted and must fit the window, in Chinese and English, on a desktop
and on a phone (tests/browser/journey.py).
"""

from __future__ import annotations

import re
from decimal import Decimal
from io import BytesIO

import pytest
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from clusters.services import reference_data_load
from portal.stats.rollup import rollups_refresh
from sharing import services
from tests.browser.journey import VARIANTS, Person, journey  # noqa: F401 (the fixture)
from tests.cast import PARK_A, REGION_A, build_cast, load_cast
from tests.matching.helpers import request_fields
from tests.sharing.helpers import Listings, capacity_fields

pytestmark = [pytest.mark.browser, pytest.mark.two_factor]

PASSWORD = "Hubei-cluster-2026!"
REGION_NAME = "武汉市"

# How many pixels of a chart's canvas are painted: ECharts draws on a transparent canvas.
PAINTED_PIXELS = """canvas => {
  const data = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height).data;
  let painted = 0;
  for (let i = 3; i < data.length; i += 4) { if (data[i] !== 0) painted++; }
  return painted;
}"""


@pytest.fixture
def world(transactional_db, settings, eager_tasks):
    """The cast, committed (the live server reads it from another thread); a confirmed deal on
    firm A's offer, reached through the services; the roll-ups refreshed; the officer of
    武汉市 with a password and a confirmed authenticator."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    reference_data_load()
    cast = load_cast(build_cast())
    listings = Listings(cast)
    offer = listings.published("A", **capacity_fields())
    listings.published("B", **request_fields())  # matched with the offer (eager tasks)
    inquiry = services.inquiry_create(
        actor=cast.member_b, listing=offer, message="我们每月需要约 300 机时的数控加工。"
    )
    inquiry = services.inquiry_decide(actor=cast.member_a, inquiry=inquiry, accept=True)
    deal = services.deal_record(
        actor=cast.member_b,
        inquiry=inquiry,
        description="三个月数控加工，每月 300 机时",
        value_yuan=Decimal("72000"),
        quantity=Decimal("900"),
        unit="机时",
        start_date=timezone.localdate(),
    )
    services.deal_confirm(actor=cast.member_a, deal=deal)
    run = rollups_refresh()
    officer = cast.officer_a
    officer.set_password(PASSWORD)
    officer.save(update_fields=["password"])
    device = TOTPDevice.objects.create(user=officer, name="authenticator", confirmed=True)
    return officer, device, run


def current_code(device: TOTPDevice) -> str:
    """What the officer's authenticator app shows now."""
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def field(label: str) -> re.Pattern:
    """A form field's label, whole; a required field's label ends with an asterisk."""
    return re.compile(rf"^\s*{re.escape(label)}(\s*\*)?\s*$")


def figure(person: Person, label: str):
    """The number on the dashboard's card labelled ``label``."""
    return person.page.locator(".stat-card", has_text=label).locator(".display-6")


def assert_charts_drawn(person: Person) -> None:
    """Every chart of the page is drawn by dashboard.js: a canvas of some size, inside the
    chart's box, with pixels painted on it."""
    page = person.page
    charts = page.locator("[data-chart]")
    expect(charts.first).to_have_attribute("data-rendered", "true")
    count = charts.count()
    kinds = {charts.nth(i).get_attribute("data-chart") for i in range(count)}
    assert {"funnel", "trend", "bar"} <= kinds, kinds
    expect(page.locator('[data-chart][data-rendered="true"]')).to_have_count(count)
    for i in range(count):
        chart = charts.nth(i)
        canvas = chart.locator("canvas").first
        expect(canvas).to_be_visible()
        box, frame = canvas.bounding_box(), chart.bounding_box()
        assert box["width"] > 100 and box["height"] > 100, chart.get_attribute("data-chart")
        assert (
            box["x"] >= frame["x"] - 1
            and box["x"] + box["width"] <= frame["x"] + frame["width"] + 1
        )
        assert canvas.evaluate(PAINTED_PIXELS) > 500, chart.get_attribute("data-chart")


def assert_the_deal_counts(person: Person) -> None:
    expect(figure(person, person.t("确认成交", "figure"))).to_have_text("1")
    expect(figure(person, person.t("成交金额"))).to_have_text(re.compile(r"^¥72,?000$"))


@pytest.mark.parametrize("variant", VARIANTS)
def test_journey_officer_dashboard(journey, world, variant):  # noqa: F811 (the fixture)
    officer_user, device, run = world
    officer = journey.person("officer")
    page, t = officer.page, officer.t
    computed = timezone.localtime(run.computed_at).strftime("%Y-%m-%d %H:%M")

    # 1. The password alone opens nothing: the dashboards wait for the second factor.
    officer.log_in(officer_user.email, PASSWORD)
    expect(page).to_have_url(re.compile(r"/accounts/two-factor/verify/"))
    officer.goto("/dashboards/")
    expect(page).to_have_url(re.compile(r"/accounts/two-factor/verify/\?next=/dashboards/$"))
    expect(page.locator("h1")).to_have_text(t("两步验证"))
    officer.shoot("asked-for-the-code")

    # 2. The code from her authenticator lets her through, to where she was going.
    page.get_by_label(field(t("验证码"))).fill(current_code(device))
    officer.shoot("code-entered")
    with page.expect_navigation():
        page.get_by_role("button", name=t("验证"), exact=True).click()
    expect(page).to_have_url(journey.base + "/dashboards/")
    expect(page.locator("h1")).to_have_text(t("成效看板"))
    officer.shoot("dashboards")

    # 3. Her prefecture's dashboard: the deal is counted and the charts are drawn.
    page.locator("main").get_by_role("link", name=REGION_NAME, exact=True).click()
    expect(page).to_have_url(re.compile(rf"/dashboards/regions/{REGION_A}/$"))
    expect(page.locator("h1")).to_contain_text(REGION_NAME)
    expect(
        page.get_by_text(t("数据计算于 %(t)s（每 15 分钟更新）") % {"t": computed})
    ).to_be_visible()
    assert_the_deal_counts(officer)
    assert_charts_drawn(officer)
    park_row = page.locator("tr", has_text=PARK_A)
    expect(park_row).to_have_count(1)
    # 园区, 认证企业, 发布, 通过, 对接意向, 成交, 金额: the figures' names, not the buttons'.
    header = park_row.locator("xpath=ancestor::table").locator("thead")
    expect(header).to_contain_text(t("对接意向", "figure"))
    expect(park_row.locator("td").nth(5)).to_have_text("1")
    expect(park_row.locator("td").nth(6)).to_have_text(re.compile(r"^72,?000$"))
    officer.shoot("prefecture")

    # 4. From the parks table to the park's own dashboard.
    park_row.get_by_role("link", name=PARK_A, exact=True).click()
    expect(page).to_have_url(re.compile(r"/dashboards/parks/\d+/$"))
    expect(page.locator("h1")).to_contain_text(PARK_A)
    assert_the_deal_counts(officer)
    assert_charts_drawn(officer)
    officer.shoot("park")

    # 5. Only idle capacity, then the XLSX of what she sees.
    page.get_by_label(t("类别"), exact=True).select_option("capacity")
    with page.expect_navigation():
        page.get_by_role("button", name=t("应用"), exact=True).click()
    expect(page).to_have_url(re.compile(r"[?&]kind=capacity"))
    assert_the_deal_counts(officer)
    period = page.locator("main p", has_text=re.compile(r"\d{4}-\d{2}.+\d{4}-\d{2}"))
    start, end = re.findall(r"\d{4}-\d{2}", period.first.inner_text())[:2]
    officer.shoot("park-capacity-only")

    from openpyxl import load_workbook

    with page.expect_download() as download_info:
        page.get_by_role("link", name="XLSX").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".xlsx")
    with open(download.path(), "rb") as file:
        workbook = load_workbook(BytesIO(file.read()))
    assert workbook.sheetnames[0] == t("汇总")
    summary = workbook[t("汇总")]
    meta = {row[0]: row[1] for row in summary.iter_rows(max_row=6, values_only=True)}
    assert meta[t("范围")] == PARK_A
    assert meta[t("期间")] == f"{start} ~ {end}"
    assert meta[t("类别")] == t("闲置产能与设备")
    assert meta[t("数据计算时间")] == computed
    figures = {row[0]: row[1] for row in summary.iter_rows(min_row=9, values_only=True)}
    assert figures[t("确认成交", "figure")] == 1
    assert figures[t("成交金额（元）")] == 72000
    by_kind = workbook[t("按类别")]
    header, *rows = list(by_kind.iter_rows(min_row=8, values_only=True))
    assert header == (
        t("类别"),
        t("发布信息", "figure"),
        t("审核通过"),
        t("确认成交", "figure"),
        t("成交金额（元）"),
    )
    assert (t("闲置产能与设备"), 1, 1, 1, 72000) in rows  # firm A's offer
    officer.shoot("park-after-download")

    journey.assert_no_problems()
