"""In a real browser, every main page for each person who uses it, in Chinese and English, on a
desktop (1280 px) and on a phone (375 px): axe-core finds no serious or critical problem,
every form field has a label, nothing scrolls sideways (a wide table scrolls in its own box),
the header's menus open inside the window, and each page has its own <title> that names what
its heading says.

One test per variant (``VARIANTS``); in it each person visits all of their pages in one browser
context, and every problem is collected first, so one run reports all of them at once.
"""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from clusters.models import Cluster
from clusters.services import reference_data_load
from tests.browser import journey as journeys
from tests.browser.journey import VARIANTS
from tests.cast import PEOPLE, REGION_A, build_cast, build_market, load_cast
from tests.dashboards.helpers import CLUSTER_WUHAN, monthly_story

pytestmark = pytest.mark.browser
journey = journeys.journey  # the fixture (tests/browser/journey.py)

PASSWORD = "Hubei-cluster-2026!"

# Every form field a person can reach, with no name a screen reader can read out.
UNLABELLED_FIELDS = """() => {
  const fields = document.querySelectorAll(
    "input:not([type=hidden]):not([type=submit]):not([type=button]), select, textarea");
  const missing = [];
  for (const f of fields) {
    const labelled = (f.id && document.querySelector(`label[for="${CSS.escape(f.id)}"]`))
      || f.closest("label") || (f.getAttribute("aria-label") || "").trim()
      || f.getAttribute("aria-labelledby") || (f.getAttribute("title") || "").trim();
    if (!labelled) missing.push(f.outerHTML.slice(0, 120));
  }
  return missing;
}"""


@pytest.fixture
def world(transactional_db, settings, tmp_path):
    """The cast with its market (listings, inquiries, deals, complaints, matches) and two
    months of rolled-up figures, committed for the live server; everyone with a password."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = str(tmp_path / "media")
    reference_data_load()
    ids = build_cast()
    cast = load_cast(ids)
    monthly_story(cast, 2)
    cast = load_cast(ids, build_market(load_cast(ids)))
    User = get_user_model()
    for email, _name in PEOPLE.values():
        user = User.objects.get(email=email)
        user.set_password(PASSWORD)
        user.save(update_fields=["password"])
    return cast


def pages_of(cast) -> dict[str, list[str]]:
    """Who visits which pages (paths), in the order a person would."""
    a, b = cast.a, cast.b
    cluster = Cluster.objects.get(name=CLUSTER_WUHAN)
    new = "/listings/new/"
    return {
        "anonymous": [
            "/",
            "/listings/?q=数控",
            f"/listings/{a.listing.pk}/",
            "/accounts/login/",
            "/accounts/signup/",
            "/enterprises/",
            f"/enterprises/{a.firm.pk}/",
            "/statistics/",
            "/parks/",
            f"/parks/{a.park.pk}/",
            f"/clusters/{cluster.pk}/",
            f"/regions/{REGION_A}/",
            "/accounts/privacy/",
            "/accounts/password/reset/",
        ],
        "member_a": [
            new,
            f"{new}?kind=capacity&direction=offer",
            f"{new}?kind=technology&direction=request",
            f"{new}?kind=order&direction=offer",
            f"{new}?kind=talent&direction=request",
            f"/listings/{a.listing.pk}/",
            f"/listings/{a.listing.pk}/edit/",
            f"/listings/{b.listing.pk}/",
            "/my/listings/",
            f"/listings/{a.listing.pk}/matches/",
            "/inquiries/",
            f"/inquiries/{a.inquiry.pk}/",
            f"/inquiries/{a.accepted.pk}/",
            "/my/notifications/",
            "/my/searches/",
            "/my/preferences/",
            "/accounts/me/",
        ],
        "admin_a": [
            f"/enterprises/{a.firm.pk}/",
            f"/enterprises/{a.firm.pk}/edit/",
            f"/enterprises/{a.firm.pk}/members/",
        ],
        "newcomer": [
            "/enterprises/start/",
            "/enterprises/new/",
            "/enterprises/join/?q=武汉",
        ],
        "park_admin_a": [
            "/supervision/listings/",
            "/supervision/enterprises/",
            f"/enterprises/{a.pending.pk}/",
            f"/dashboards/parks/{a.park.pk}/",
        ],
        "supervisor": [
            "/supervision/listings/",
            "/supervision/rematch/",
        ],
        "officer_a": [
            "/dashboards/",
            f"/dashboards/regions/{REGION_A}/",
            f"/dashboards/parks/{a.park.pk}/",
            f"/dashboards/clusters/{cluster.pk}/",
            f"/dashboards/regions/{REGION_A}/records/deals_confirmed/",
        ],
    }


def header_menu_problems(person, who: str) -> list[str]:
    """The header's menus, opened (on a phone the whole navigation is behind the toggler):
    axe finds nothing wrong with them, and the user menu opens inside the window."""
    person.open_menu()
    # Bootstrap's menu slides open: wait until it has (a click meanwhile can be lost).
    person.page.wait_for_function(
        "() => !document.querySelector('#main-nav.collapsing')"
        " && getComputedStyle(document.querySelector('#main-nav')).display !== 'none'"
    )
    toggle = person.page.locator("nav.portal-navbar .dropdown-toggle")
    toggle.click()
    menu = person.page.locator("nav.portal-navbar .dropdown-menu")
    expect(menu).to_be_visible()
    problems = []
    box, width = menu.bounding_box(), person.journey.variant.width
    if box["x"] < 0 or box["x"] + box["width"] > width + 1:
        problems.append(f"{who}: the user menu opens outside the window: {box}")
    for v in person.axe():
        problems.append(f"{who} header menus: axe {v['impact']} {v['id']} {v['nodes']}")
    person.page.keyboard.press("Escape")
    expect(menu).to_be_hidden()
    return problems


def heading(page) -> str:
    return re.sub(r"\s+", " ", page.locator("h1").first.inner_text()).strip()


@pytest.mark.parametrize("variant", VARIANTS)
def test_main_pages_are_accessible_and_fit(world, journey, variant):
    problems: list[str] = []
    titles: dict[str, str] = {}  # title: the first path that had it
    for who, paths in pages_of(world).items():
        person = journey.person(who)
        if who != "anonymous":
            person.log_in(PEOPLE[who][0], PASSWORD)
            problems += header_menu_problems(person, who)
        for path in paths:
            person.goto(path)
            page = person.page
            expect(page.locator("h1")).to_have_count(1)
            if page.locator("[data-chart]").count():
                page.wait_for_selector("[data-chart][data-rendered]")
            where = f"{who} {path}"
            overflow = page.evaluate(
                "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
            )
            if overflow > 1:
                wide = page.evaluate(WIDEST)
                problems.append(f"{where}: {overflow}px wider than the window: {wide}")
            for v in person.axe():
                problems.append(f"{where}: axe {v['impact']} {v['id']} ({v['help']}) {v['nodes']}")
            loose = page.evaluate(
                "() => [...document.querySelectorAll('main table')]"
                ".filter(t => !t.closest('.table-responsive')).length"
            )
            if loose:
                problems.append(f"{where}: {loose} table(s) not in a .table-responsive box")
            for field in page.evaluate(UNLABELLED_FIELDS):
                problems.append(f"{where}: field without a label: {field}")
            title, h1 = page.title(), heading(page)
            if h1 not in title:
                problems.append(f"{where}: title {title!r} does not name the heading {h1!r}")
            if titles.setdefault(title, path) != path:
                problems.append(f"{where}: the same title {title!r} as {titles[title]}")
        if person.problems:
            problems.append(f"{who}: {person.problems!r}")
        person.page.context.close()
        del journey.people[who]
    assert not problems, "\n".join(problems)


# The elements that stick out of the window on the right, for the failure message.
WIDEST = """() => {
  const limit = document.documentElement.clientWidth;
  const out = [];
  for (const el of document.querySelectorAll("body *")) {
    const r = el.getBoundingClientRect();
    if (r.right > limit + 1 && r.width > 0) {
      let inScroller = false;
      for (let p = el.parentElement; p; p = p.parentElement) {
        const s = getComputedStyle(p).overflowX;
        if (s === "auto" || s === "scroll" || s === "hidden") { inScroller = true; break; }
      }
      if (!inScroller) {
        out.push(el.tagName.toLowerCase() + (el.id ? "#" + el.id : "")
          + (el.className && typeof el.className === "string" ? "." + el.className.trim().split(/\\s+/).join(".") : "")
          + " right=" + Math.round(r.right));
      }
    }
  }
  return out.slice(0, 6);
}"""
