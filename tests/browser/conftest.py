"""Browser tests: Debian's Chromium driven through Playwright against pytest-django's live server.

Chromium comes from the system (``apt-get install chromium``), never from Playwright's own
download. Without it the browser tests skip locally and fail under CI (tests/policy.py).
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.conf import settings

from tests.policy import missing

CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SCREENSHOTS = Path(settings.BASE_DIR) / "test-artifacts" / "screenshots"
LOCAL_HOSTS = {"localhost", "127.0.0.1", "::1", "[::1]"}


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        missing(f"needs Chromium at {CHROMIUM} (apt-get install chromium fonts-wqy-microhei)")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop in the test thread while it is started, and
    # Django refuses ORM calls from a thread with a running loop unless told it is deliberate.
    # The loop never runs Django code beside the tests, so that is safe here. It is set only
    # while the browser lives (other transactional tests may run then, and their database
    # teardown needs it too).
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
            )
            yield browser
            browser.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


class PageProblems:
    """What went wrong while the page was used: outside requests, errors, failed loads."""

    def __init__(self) -> None:
        self.outside_requests: list[str] = []
        self.console_errors: list[str] = []
        self.page_errors: list[str] = []
        self.failed_responses: list[str] = []

    def __bool__(self) -> bool:
        return any(vars(self).values())

    def __repr__(self) -> str:
        return repr({name: value for name, value in vars(self).items() if value})


@pytest.fixture
def page_problems() -> PageProblems:
    return PageProblems()


@pytest.fixture
def page(browser, page_problems) -> Iterator:
    """A page in a fresh browser context (no cookies), with an English-speaking browser.

    Requests to any host but the live server's are blocked and recorded, as are console
    errors, uncaught script errors and responses of 400 and above.
    """
    context = browser.new_context(
        locale="en-US",
        viewport={"width": 1280, "height": 900},
        extra_http_headers={"Accept-Language": "en-US,en;q=0.9"},
    )

    def guard(route):
        if urlsplit(route.request.url).hostname in LOCAL_HOSTS:
            route.continue_()
        else:
            page_problems.outside_requests.append(route.request.url)
            route.abort()

    context.route(re.compile(r"^https?://"), guard)
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.on(
        "console",
        lambda msg: msg.type == "error" and page_problems.console_errors.append(msg.text),
    )
    page.on("pageerror", lambda error: page_problems.page_errors.append(str(error)))
    page.on(
        "response",
        lambda response: (
            response.status >= 400
            and page_problems.failed_responses.append(f"{response.status} {response.url}")
        ),
    )
    yield page
    context.close()


@pytest.fixture
def screenshot(page, request) -> Callable[[str], Path]:
    """Save a full-page screenshot to test-artifacts/screenshots/<test>-<name>.png."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    test_name = re.sub(r"[^\w.-]+", "_", request.node.name)

    def take(name: str) -> Path:
        path = SCREENSHOTS / f"{test_name}-{name}.png"
        page.screenshot(path=str(path), full_page=True)
        assert path.stat().st_size > 0
        return path

    return take


@pytest.fixture
def eager_tasks() -> Iterator[None]:
    """Celery tasks run at once, in the process that enqueues them: the live server runs in
    this process, so what a page leaves for after its commit (matching a listing just
    approved, the notifications) is done before the next step of the test."""
    from portal.celery import app

    before = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = before
