"""What every user-journey test shares: people in their own browsers, in a language and at a
width, with numbered screenshots of each step, and the checks a page must pass at any step.

A journey runs in four variants (``VARIANTS``): Chinese and English, each on a desktop
(1280 px) and on a phone (375 px). Button and link names come from the portal's own
catalogue (``Person.t``), so the same test reads the Chinese and the English pages.

Screenshots go to ``test-artifacts/screenshots/<journey>/<variant>/NN-<person>-<step>.png``
(git-ignored), so a reviewer can page through one journey in order.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.utils import translation
from playwright.sync_api import Page, expect

from tests.browser.conftest import LOCAL_HOSTS, SCREENSHOTS, PageProblems

ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"


@dataclass(frozen=True)
class Variant:
    language: str  # Django's code: zh-hans or en
    width: int

    @property
    def phone(self) -> bool:
        return self.width < 576

    @property
    def browser_locale(self) -> str:
        return "zh-CN" if self.language == "zh-hans" else "en-US"

    @property
    def slug(self) -> str:
        return f"{'zh' if self.language == 'zh-hans' else 'en'}-{self.width}"


VARIANTS = [
    pytest.param(Variant("zh-hans", 1280), id="zh-desktop"),
    pytest.param(Variant("zh-hans", 375), id="zh-phone"),
    pytest.param(Variant("en", 1280), id="en-desktop"),
    pytest.param(Variant("en", 375), id="en-phone"),
]


def t(language: str, text: str, context: str | None = None) -> str:
    """The portal's own words for ``text`` in ``language`` (the catalogue, not a copy)."""
    with translation.override(language):
        if context:
            return translation.pgettext(context, text)
        return translation.gettext(text)


@dataclass
class Person:
    """One person's browser: its own cookies, language and width, guarded like ``page``."""

    name: str
    page: Page
    journey: Journey
    problems: PageProblems = field(default_factory=PageProblems)

    def t(self, text: str, context: str | None = None) -> str:
        return t(self.journey.variant.language, text, context)

    def goto(self, path: str) -> None:
        self.page.goto(self.journey.base + path)

    def shoot(self, step: str) -> Path:
        """A full-page screenshot, numbered in the journey's order; the page must fit."""
        self.journey.step += 1
        folder = SCREENSHOTS / self.journey.slug / self.journey.variant.slug
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{self.journey.step:02d}-{self.name}-{step}.png"
        self.page.screenshot(path=str(path), full_page=True)
        assert path.stat().st_size > 0
        self.assert_fits(step)
        return path

    def search_and_open(self, word: str, title: str) -> None:
        """Search the public list for ``word``, find exactly one card titled ``title`` and
        open it."""
        self.goto(f"/listings/?q={word}")
        card = self.page.locator(".listing-card", has_text=title)
        expect(card).to_have_count(1)
        with self.page.expect_navigation():
            card.get_by_role("link", name=title).click()
        expect(self.page.locator("h1")).to_have_text(title)

    def assert_fits(self, step: str = "") -> None:
        """Nothing on the page is wider than the window: no sideways scrolling, even at
        375 px (tables scroll inside their own box, which is fine)."""
        overflow = self.page.evaluate(
            "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 1, f"{step}: the page is {overflow}px wider than the window"

    def log_in(self, email: str, password: str) -> None:
        self.goto("/accounts/login/")
        self.page.fill("#id_username", email)
        self.page.fill("#id_password", password)
        with self.page.expect_navigation():
            self.page.locator("main form").get_by_role(
                "button", name=self.t("登录"), exact=True
            ).click()
        expect(self.page.locator("#id_password")).to_have_count(0)

    def open_menu(self) -> None:
        """On a phone the navigation hides behind the toggler; open it when it is there."""
        toggler = self.page.locator(".navbar-toggler")
        if toggler.is_visible() and toggler.get_attribute("aria-expanded") != "true":
            toggler.click()
            # Bootstrap's collapse is open once it has the class "show" and no longer
            # "collapsing": a tap during the transition may miss the link it aims at.
            expect(self.page.locator(".navbar-collapse.show")).to_be_visible()
            expect(self.page.locator(".navbar-collapse.collapsing")).to_have_count(0)

    def axe(self, *, impacts=("serious", "critical")) -> list[dict]:
        """axe-core's violations of the given impacts on the current page."""
        self.page.evaluate(AXE.read_text(encoding="utf-8"))
        result = self.page.evaluate(
            "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
        )
        return [
            {
                "id": v["id"],
                "impact": v["impact"],
                "help": v["help"],
                "nodes": [n["target"] for n in v["nodes"]][:5],
            }
            for v in result
            if v["impact"] in impacts
        ]


@dataclass
class Journey:
    browser: object
    base: str
    variant: Variant
    slug: str
    people: dict[str, Person] = field(default_factory=dict)
    step: int = 0

    def person(self, name: str) -> Person:
        """A new person with a fresh browser context in this journey's language and width."""
        v = self.variant
        context = self.browser.new_context(
            locale=v.browser_locale,
            viewport={"width": v.width, "height": 812 if v.phone else 900},
            is_mobile=v.phone,
            has_touch=v.phone,
            # No transitions (Bootstrap honours the setting): a step never races an animation.
            reduced_motion="reduce",
            extra_http_headers={"Accept-Language": f"{v.browser_locale},en;q=0.5"},
            # axe-core is evaluated into the page; the portal's CSP forbids inline script.
            bypass_csp=True,
        )
        person = Person(name=name, page=context.new_page(), journey=self)
        problems = person.problems

        def guard(route):
            if urlsplit(route.request.url).hostname in LOCAL_HOSTS:
                route.continue_()
            else:
                problems.outside_requests.append(route.request.url)
                route.abort()

        context.route(re.compile(r"^https?://"), guard)
        page = person.page
        page.set_default_timeout(15_000)
        page.on("console", lambda m: m.type == "error" and problems.console_errors.append(m.text))
        page.on("pageerror", lambda error: problems.page_errors.append(str(error)))
        page.on(
            "response",
            lambda r: r.status >= 400 and problems.failed_responses.append(f"{r.status} {r.url}"),
        )
        # The portal's language comes from the cookie the switch sets; a person arrives with
        # their choice made, as someone who picked it once would.
        context.add_cookies(
            [{"name": settings.LANGUAGE_COOKIE_NAME, "value": v.language, "url": self.base + "/"}]
        )
        self.people[name] = person
        return person

    def assert_no_problems(self) -> None:
        for person in self.people.values():
            assert not person.problems, (person.name, person.problems)

    def close(self) -> None:
        for person in self.people.values():
            person.page.context.close()


@pytest.fixture
def journey(browser, live_server, request):
    """A journey in the variant the test is parametrized with (``variant``)."""
    variant: Variant = request.getfixturevalue("variant")
    slug = re.sub(r"^test_", "", request.node.originalname)
    j = Journey(browser=browser, base=live_server.url, variant=variant, slug=slug)
    # A reviewer pages through this run's steps only, not those of an earlier, longer run.
    for old in (SCREENSHOTS / slug / variant.slug).glob("*.png"):
        old.unlink()
    yield j
    j.close()
