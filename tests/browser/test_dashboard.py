"""In a real browser: the officer of 武汉市 logs in, opens her prefecture's dashboard and sees
the charts really drawn (pixels on the canvas, not just the page), goes on to a park's
dashboard and downloads its XLSX export."""

from __future__ import annotations

import re
from io import BytesIO

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone
from playwright.sync_api import expect

from clusters.models import Park
from clusters.services import reference_data_load
from portal.stats.models import RollupRun
from tests.cast import PARK_A, PEOPLE, REGION_A, build_cast, load_cast
from tests.dashboards.helpers import monthly_story

pytestmark = pytest.mark.browser

PASSWORD = "Hubei-cluster-2026!"
CHART_KINDS = ("funnel", "trend", "bar")

# How many pixels of the chart's canvas are not blank: ECharts draws on a transparent canvas.
PAINTED_PIXELS = """canvas => {
  const ctx = canvas.getContext("2d");
  const data = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
  let painted = 0;
  for (let i = 3; i < data.length; i += 4) { if (data[i] !== 0) painted++; }
  return painted;
}"""
# The length of the canvas as a PNG, against that of a blank canvas of the same size.
PNG_LENGTHS = """canvas => {
  const blank = document.createElement("canvas");
  blank.width = canvas.width; blank.height = canvas.height;
  return [canvas.toDataURL().length, blank.toDataURL().length];
}"""


@pytest.fixture
def officer(transactional_db, settings):
    """The cast and three months of the dashboards' story, committed (the live server reads
    them from another thread) and rolled up; the officer of 武汉市 with a password."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    reference_data_load()
    cast = load_cast(build_cast())
    monthly_story(cast, 3)
    user = get_user_model().objects.get(email=PEOPLE["officer_a"][0])
    user.set_password(PASSWORD)
    user.save(update_fields=["password"])
    return user


def assert_charts_drawn(page) -> None:
    """Every chart of the page is drawn: marked by dashboard.js, with a canvas of some size
    that has pixels painted on it."""
    page.wait_for_selector('[data-chart][data-rendered="true"]')
    charts = page.locator("[data-chart]")
    count = charts.count()
    assert count >= 3
    expect(page.locator('[data-chart][data-rendered="true"]')).to_have_count(count)
    for i in range(count):
        chart = charts.nth(i)
        canvas = chart.locator("canvas").first
        expect(canvas).to_be_visible()
        box = canvas.bounding_box()
        assert box is not None and box["width"] > 100 and box["height"] > 100
        assert canvas.evaluate(PAINTED_PIXELS) > 500, chart.get_attribute("data-chart")
        drawn, blank = canvas.evaluate(PNG_LENGTHS)
        assert drawn > blank + 1000


def test_officer_sees_drawn_charts_and_exports_a_park(
    live_server, officer, page, page_problems, screenshot
):
    # Log in through the form, as a person does.
    page.goto(f"{live_server.url}/accounts/login/?next=/dashboards/regions/{REGION_A}/")
    page.fill('input[name="username"]', officer.email)
    page.fill('input[name="password"]', PASSWORD)
    screenshot("login")
    with page.expect_navigation():
        page.get_by_role("button", name="登录").click()
    expect(page).to_have_url(f"{live_server.url}/dashboards/regions/{REGION_A}/")

    # The prefecture's dashboard, with data: the charts are drawn, not just placed.
    expect(page.locator("h1")).to_contain_text("武汉市")
    run = RollupRun.objects.first()
    computed = timezone.localtime(run.computed_at).strftime("%Y-%m-%d %H:%M")
    expect(page.get_by_text(f"数据计算于 {computed}")).to_be_visible()
    assert_charts_drawn(page)
    kinds = {page.locator("[data-chart]").nth(i).get_attribute("data-chart") for i in range(3)}
    assert kinds <= set(CHART_KINDS)
    screenshot("prefecture")

    # On to a park of the prefecture, from the parks table.
    park = Park.objects.get(name=PARK_A)
    page.get_by_role("link", name=PARK_A, exact=True).first.click()
    expect(page).to_have_url(
        re.compile(re.escape(f"{live_server.url}/dashboards/parks/{park.pk}/"))
    )
    expect(page.locator("h1")).to_contain_text(PARK_A)
    assert_charts_drawn(page)
    screenshot("park")

    # Its XLSX export: the file the browser downloads opens, with the scope and the data time.
    from openpyxl import load_workbook

    with page.expect_download() as download_info:
        page.get_by_role("link", name="XLSX").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".xlsx")
    with open(download.path(), "rb") as file:
        workbook = load_workbook(BytesIO(file.read()))
    summary = workbook["汇总"]
    meta = {row[0]: row[1] for row in summary.iter_rows(max_row=6, values_only=True)}
    assert meta["范围"] == PARK_A
    assert meta["数据计算时间"] == computed
    values = {row[0]: row[1] for row in summary.iter_rows(min_row=9, values_only=True)}
    assert values["确认成交"] == 3
    screenshot("park-after-download")

    assert not page_problems, page_problems
