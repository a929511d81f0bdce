"""Mixed traffic for `make load`: visitors browse and search, enterprise members post
listings, a supervisor moderates. Run against gunicorn on loopback with the demo data
(scripts/load.sh); not part of the test suite.

    locust -f tests/load/locustfile.py --headless -u 50 -r 10 -t 60s --host http://127.0.0.1:8001
"""

from __future__ import annotations

import random
import re

from locust import HttpUser, between, task

DEMO_PASSWORD = "demo-2026-portal"
DOMAIN = "demo.hubei-portal.cn"
WORDS = ("数控", "加工中心", "注塑", "模具", "检测", "厂房", "焊接", "CNC", "技术", "人才")
KINDS = ("capacity", "technology", "order", "talent")
LISTING_LINK = re.compile(r'href="/listings/(\d+)/"')
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
APPROVE = re.compile(r'action="/listings/(\d+)/approve/"')


def csrf_of(html: str) -> str:
    match = CSRF.search(html)
    return match.group(1) if match else ""


class Visitor(HttpUser):
    """Anonymous: the home page, listings, a listing, clusters and parks, the statistics."""

    weight = 5
    wait_time = between(0.5, 2)

    @task(3)
    def browse(self):
        self.client.get("/")
        page = self.client.get(f"/listings/?kind={random.choice(KINDS)}", name="/listings/?kind")
        ids = LISTING_LINK.findall(page.text)
        if ids:
            self.client.get(f"/listings/{random.choice(ids)}/", name="/listings/[id]/")

    @task(2)
    def search(self):
        word = random.choice(WORDS)
        self.client.get(f"/listings/?q={word}", name="/listings/?q")
        self.client.get(f"/api/v1/listings/?q={word}", name="/api/v1/listings/?q")

    @task(1)
    def reference(self):
        self.client.get("/parks/")
        self.client.get("/statistics/")
        self.client.get("/api/v1/clusters/")


class SignedIn(HttpUser):
    abstract = True
    email = ""

    def _plain_http_cookies(self):
        """Production settings mark the session and CSRF cookies Secure; this run is plain
        HTTP on loopback, where a client would not send them back."""
        for cookie in self.client.cookies:
            cookie.secure = False

    def on_start(self):
        page = self.client.get("/accounts/login/")
        self._plain_http_cookies()
        response = self.client.post(
            "/accounts/login/",
            {
                "username": self.email,
                "password": DEMO_PASSWORD,
                "csrfmiddlewaretoken": csrf_of(page.text),
            },
            headers={"Referer": f"{self.host}/accounts/login/"},
        )
        self._plain_http_cookies()
        if "/accounts/login/" in response.url:
            raise RuntimeError(f"log-in as {self.email} failed")

    def post_form(self, url: str, data: dict, *, name: str):
        page = self.client.get(url, name=name)
        self._plain_http_cookies()
        return self.client.post(
            url,
            {**data, "csrfmiddlewaretoken": csrf_of(page.text)},
            headers={"Referer": f"{self.host}{url}"},
            name=f"{name} POST",
        )


class Member(SignedIn):
    """An enterprise member: searches, reads matches, posts listings for review."""

    weight = 3
    wait_time = between(1, 3)
    email = f"firm-a-member@{DOMAIN}"

    @task(3)
    def search(self):
        self.client.get(f"/listings/?q={random.choice(WORDS)}&sort=newest", name="/listings/?q")
        self.client.get("/my/listings/")
        self.client.get("/my/notifications/")

    @task(1)
    def post_listing(self):
        n = random.randint(1, 10**6)
        self.post_form(
            "/listings/new/?kind=capacity&direction=offer",
            {
                "title": f"压测：闲置加工中心机时 {n}",
                "description": "两台立式加工中心，每月约 200 机时，可承接铝件精加工。",
                "industry": "3421",
                "quantity": "200",
                "unit": "machine_hours_month",
                "price_mode": "negotiable",
                "visibility": "public",
                "attr-facility": "equipment",
                "attr-machine_type": "VMC850",
                "submit": "1",
            },
            name="/listings/new/",
        )


class Moderator(SignedIn):
    """The platform supervisor: works through the moderation queue."""

    weight = 1
    wait_time = between(1, 3)
    email = f"supervisor@{DOMAIN}"

    @task
    def moderate(self):
        queue = self.client.get("/supervision/listings/")
        self._plain_http_cookies()
        pending = APPROVE.findall(queue.text)
        if not pending:
            return
        pk = random.choice(pending)
        self.client.post(
            f"/listings/{pk}/approve/",
            {"csrfmiddlewaretoken": csrf_of(queue.text), "next": "queue"},
            headers={"Referer": f"{self.host}/supervision/listings/"},
            name="/listings/[id]/approve/",
        )
