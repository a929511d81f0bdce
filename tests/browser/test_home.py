"""In a real browser: the home page in Chinese, the language switch, and on to a park."""

import re

import pytest
from django.conf import settings
from playwright.sync_api import expect

from clusters.services import reference_data_load

pytestmark = pytest.mark.browser


def test_home_switch_to_english_and_open_a_park(
    live_server, transactional_db, page, page_problems, screenshot
):
    reference_data_load()

    # An English-speaking browser with no language cookie still lands on the Chinese portal.
    page.goto(live_server.url + "/")
    expect(page.locator("html")).to_have_attribute("lang", "zh-CN")
    expect(page).to_have_title("湖北产业集群企业信息共享平台")
    expect(page.locator("h1")).to_have_text("湖北产业集群企业信息共享平台")
    expect(page.locator("a.prefecture-card")).to_have_count(17)
    # The page is styled by the portal's own Bootstrap: the navbar is not a plain list.
    navbar = page.locator("nav.navbar")
    assert navbar.evaluate("el => getComputedStyle(el).display") == "flex"
    screenshot("home-zh")

    # Choosing English in the header's select submits the form by itself (static/js/portal.js).
    with page.expect_navigation():
        page.select_option("#language-select", "en")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    assert page.url == live_server.url + "/"
    cookies = {c["name"]: c["value"] for c in page.context.cookies()}
    assert cookies[settings.LANGUAGE_COOKIE_NAME] == "en"
    expect(page.locator("#language-select")).to_have_value("en")
    screenshot("home-en")

    page.locator('nav a.nav-link[href="/parks/"]').click()
    expect(page).to_have_url(live_server.url + "/parks/")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("table tbody tr")).to_have_count(66)
    screenshot("park-list-en")

    page.get_by_role("link", name="襄阳高新区", exact=True).click()
    expect(page).to_have_url(re.compile(re.escape(live_server.url) + r"/parks/\d+/$"))
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("h1")).to_have_text("襄阳高新区")
    expect(page.locator(".breadcrumb")).to_contain_text("襄阳市")
    screenshot("park-detail-en")

    assert not page_problems, page_problems
