"""In a real browser, with the keyboard only (Tab, Shift+Tab, Enter, Space and the arrow keys;
no clicks): skip to the content, log in, and post a listing; every element that takes the focus
on the way shows a focus ring one can see.
"""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from clusters.services import reference_data_load
from sharing.choices import ListingStatus
from sharing.models import Listing
from tests.browser import journey as journeys
from tests.browser.journey import VARIANTS, Person
from tests.cast import PEOPLE, build_cast

pytestmark = pytest.mark.browser
journey = journeys.journey  # the fixture (tests/browser/journey.py)

PASSWORD = "Hubei-cluster-2026!"
TITLE = "注塑机闲置产能共享"
DESKTOPS = [v for v in VARIANTS if not v.values[0].phone]

# What has the focus, described for a failure message and for the checks below.
FOCUSED = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const style = getComputedStyle(el);
  return {
    tag: el.tagName.toLowerCase(), id: el.id, name: el.getAttribute("name"),
    type: el.getAttribute("type"), value: el.value === undefined ? null : el.value,
    text: (el.innerText || el.value || "").trim().slice(0, 60),
    href: el.getAttribute("href"),
    outlineStyle: style.outlineStyle, outlineWidth: parseFloat(style.outlineWidth) || 0,
    boxShadow: style.boxShadow, visible: el.getClientRects().length > 0,
  };
}"""


def focused(person: Person) -> dict | None:
    return person.page.evaluate(FOCUSED)


def assert_focus_visible(person: Person) -> None:
    """The focused element is on screen and has a ring of at least 2 px around it."""
    f = focused(person)
    assert f is not None, "nothing has the focus"
    assert f["visible"], f
    ring = (f["outlineStyle"] != "none" and f["outlineWidth"] >= 2) or f["boxShadow"] != "none"
    assert ring, f"no visible focus indicator on {f}"


def tab_to(person: Person, matches, *, backwards: bool = False, limit: int = 80) -> dict:
    """Press Tab (or Shift+Tab) until ``matches(focused)``; each stop shows its focus ring."""
    key = "Shift+Tab" if backwards else "Tab"
    seen = []
    for _ in range(limit):
        person.page.keyboard.press(key)
        f = focused(person)
        if f is not None:
            assert_focus_visible(person)
            if matches(f):
                return f
            seen.append(f"{f['tag']}#{f['id']} {f['text'][:20]!r}")
    raise AssertionError(f"{key} never reached the element; passed {seen}")


def by_id(element_id: str):
    return lambda f: f["id"] == element_id


def by_text(text: str):
    return lambda f: f["text"] == text or f["text"].endswith(text)


def choose(person: Person, element_id: str, value: str, key: str = "ArrowDown") -> None:
    """Tab to a <select> and move through its options with the arrow key until ``value``."""
    tab_to(person, by_id(element_id))
    for _ in range(30):
        if person.page.evaluate(f"document.getElementById({element_id!r}).value") == value:
            return
        person.page.keyboard.press(key)
    raise AssertionError(f"{element_id} never took {value!r}")


@pytest.fixture
def member(transactional_db, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    reference_data_load()
    build_cast()
    user = get_user_model().objects.get(email=PEOPLE["member_a"][0])
    user.set_password(PASSWORD)
    user.save(update_fields=["password"])
    return user


@pytest.mark.parametrize("variant", DESKTOPS)
def test_log_in_and_post_a_listing_with_the_keyboard_only(journey, member, variant):
    person = journey.person("member")
    page = person.page
    person.goto("/")

    # The first Tab reaches "skip to content", which shows itself; Enter moves into <main>.
    page.keyboard.press("Tab")
    skip = focused(person)
    assert skip["href"] == "#main" and skip["text"] == person.t("跳到正文"), skip
    assert_focus_visible(person)
    box = page.locator("a.skip-link").bounding_box()
    assert box and box["width"] > 20 and box["height"] > 10 and box["y"] >= 0
    page.keyboard.press("Enter")
    assert focused(person) and focused(person)["id"] == "main"
    # From there Tab goes on inside the content, past the whole navigation.
    after = tab_to(person, lambda f: True)
    assert page.evaluate("document.activeElement.closest('main') !== null"), after

    # Back up to the header's log-in link with Shift+Tab, and follow it with Enter.
    tab_to(person, by_text(person.t("登录")), backwards=True)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/accounts/login/"))

    # The log-in form: the e-mail field has the focus already (autofocus); type, Tab, type.
    assert (focused(person) or {}).get("id") == "id_username", focused(person)
    assert_focus_visible(person)
    page.keyboard.type(member.email)
    page.keyboard.press("Tab")
    assert focused(person)["id"] == "id_password"
    page.keyboard.type(PASSWORD)
    # Shift+Tab goes back to the e-mail as typed, Tab returns to the password.
    page.keyboard.press("Shift+Tab")
    assert focused(person)["value"] == member.email
    page.keyboard.press("Tab")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.locator("#id_password")).to_have_count(0)
    person.shoot("logged-in")

    # To "My listings" through the navigation, then "Post a listing".
    tab_to(person, by_text(person.t("我的信息")))
    with page.expect_navigation():
        page.keyboard.press("Enter")
    tab_to(person, by_text(person.t("发布信息")))
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/listings/new/$"))

    # Step 1: the radio groups. Tab into the kind group, the arrow keys move between kinds
    # (each one chosen as the focus lands on it), Space chooses; then the direction.
    tab_to(person, lambda f: f["name"] == "kind")
    page.keyboard.press("ArrowRight")
    assert focused(person)["value"] == "technology"
    page.keyboard.press("ArrowLeft")
    page.keyboard.press("Space")
    assert focused(person)["value"] == "capacity"
    expect(page.locator("input[name=kind][value=capacity]")).to_be_checked()
    tab_to(person, lambda f: f["name"] == "direction")
    page.keyboard.press("Space")
    expect(page.locator("input[name=direction][value=offer]")).to_be_checked()
    person.shoot("kind-chosen")
    tab_to(person, by_text(person.t("下一步")))
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"kind=capacity"))

    # Step 2: the form, field by field.
    tab_to(person, by_id("id_title"))
    page.keyboard.type(TITLE)
    page.keyboard.press("Tab")
    assert focused(person)["id"] == "id_description"
    page.keyboard.type("三台 280 吨注塑机，每月约 200 机时空闲，可承接 PP、ABS 件。")
    tab_to(person, by_id("id_industry"))
    page.keyboard.type("2929")
    choose(person, "id_price_mode", "negotiable")
    choose(person, "id_visibility", "public")
    choose(person, "id_attr-facility", "equipment")
    tab_to(person, by_id("id_attr-machine_type"))
    page.keyboard.type("海天 MA2800")
    person.shoot("form-filled")

    # Submit for review with Enter on the button.
    tab_to(person, by_text(person.t("提交审核")))
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/listings/\d+/$"))
    expect(page.locator("h1")).to_have_text(TITLE)
    person.shoot("submitted")
    listing = Listing.objects.get(title=TITLE)
    assert listing.status == ListingStatus.PENDING
    assert listing.price_mode == "negotiable"
    assert listing.attributes["machine_type"] == "海天 MA2800"
    journey.assert_no_problems()
