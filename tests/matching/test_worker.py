"""Matching with a real Celery worker, against the real PostgreSQL and Redis.

The worker is a subprocess (``celery -A portal worker``) on the test database, so the tests
commit their data (``transaction=True``) and build the reference data and the cast in each
test. What is checked is what the issue promises: a publication is matched by the worker; a
worker killed with SIGKILL in the middle of a batch loses nothing once a new worker and the
sweeper have run, and nothing is matched twice; a Redis that goes away makes neither the
publication fail nor hang, and once it is back the sweeper gets the listing matched.

The broker is a redis-server the tests start for themselves on a free port (so one of them
can stop it, and nothing else on the machine flushes its queue); the shared REDIS_URL only
says that Redis is part of the deployment. Without PostgreSQL, Redis or redis-server these
tests skip locally and fail under CI (tests/policy.py). Every subprocess is stopped by its
fixture, and every wait is bounded.
"""

from __future__ import annotations

import contextlib
import logging
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.test import Client

from clusters.services import reference_data_load
from portal.celery import app
from sharing import tasks
from sharing.choices import ListingStatus as S
from sharing.matching.engine import outstanding_listing_ids
from sharing.matching.scoring import ALGORITHM_VERSION
from sharing.models import Listing, ListingMatchState, Match, Notification
from tests.cast import Cast, build_cast, load_cast
from tests.matching.helpers import request_fields
from tests.policy import missing
from tests.sharing.helpers import Listings, capacity_fields, days_from_today

pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]

BASE_DIR = Path(settings.BASE_DIR)
CELERY = Path(sys.executable).with_name("celery")
LOGS = BASE_DIR / "test-artifacts" / "celery"
WAIT = 30.0  # seconds: the longest a test waits for the worker to do one thing
# For the worker to get through a whole batch of two hundred listings (some twice, as the
# sweeper re-sends what is still queued) on a busy machine.
BATCH_WAIT = 120.0


def wait_until(condition: Callable[[], object], *, timeout: float = WAIT, what: str) -> object:
    """Poll ``condition`` until it is true; fail after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            pytest.fail(f"not within {timeout:.0f} s: {what}", pytrace=False)
        time.sleep(0.05)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# --- the real parts -----------------------------------------------------------------------


@pytest.fixture
def real_parts(requires_postgres, redis_url) -> None:
    """The deployment's real parts are configured and answer (DATABASE_URL is PostgreSQL,
    REDIS_URL a Redis), and the celery command is installed."""
    if not CELERY.exists():
        missing(f"needs the celery command at {CELERY}")


@pytest.fixture
def test_database_url(real_parts) -> str:
    """DATABASE_URL, pointed at the test database pytest-django created."""
    url = urlsplit(os.environ["DATABASE_URL"])
    return url._replace(path="/" + settings.DATABASES["default"]["NAME"]).geturl()


@pytest.fixture
def through_the_broker() -> Iterator[None]:
    """Tasks go to the broker, as in production with REDIS_URL set."""
    before = app.conf.task_always_eager
    app.conf.task_always_eager = False
    yield
    app.conf.task_always_eager = before


def use_broker(url: str) -> None:
    """Send this process's tasks to ``url`` from now on (drops the pooled producers)."""
    app.conf.broker_url = url
    app.amqp._producer_pool = None
    app._pool = None


@pytest.fixture
def world(real_parts, through_the_broker) -> Cast:
    """Reference data and the cast, committed, so the worker sees them."""
    reference_data_load()
    return load_cast(build_cast())


class Worker:
    """One ``celery worker`` process group (the main process and its pool child)."""

    def __init__(self, env: dict, name: str) -> None:
        LOGS.mkdir(parents=True, exist_ok=True)
        self.log_path = LOGS / f"{name}.log"
        name = f"{name[:40]}-{uuid.uuid4().hex[:6]}"  # the node name: unique on the host
        self.log = self.log_path.open("wb")
        self.process = subprocess.Popen(
            [
                str(CELERY),
                "-A",
                "portal",
                "worker",
                "-l",
                "info",
                "--concurrency",
                "1",
                "-Q",
                "portal",
                "--without-heartbeat",
                "--without-mingle",
                "--without-gossip",
                "-n",
                f"{name}@%h",
            ],
            cwd=BASE_DIR,
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group, so a kill reaches the child too
        )

    def output(self) -> str:
        return self.log_path.read_text(errors="replace")

    def wait_ready(self) -> None:
        def ready():
            if self.process.poll() is not None:
                pytest.fail(f"the worker exited early:\n{self.output()}", pytrace=False)
            return " ready." in self.output()

        wait_until(ready, what=f"the worker starts ({self.log_path})")

    @property
    def alive(self) -> bool:
        return self.process.poll() is None

    def kill(self) -> None:
        """SIGKILL to the whole group: no warm shutdown, no acknowledgement, nothing."""
        if self.alive:
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self) -> None:
        """Warm shutdown (the task at hand is finished), then SIGKILL if it lingers."""
        if self.alive:
            self.process.send_signal(signal.SIGTERM)
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.process.wait(timeout=15)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)  # a pool child left behind, if any
        self.process.wait(timeout=10)
        self.log.close()


@pytest.fixture
def start_worker(
    test_database_url, own_redis, transactional_db, request
) -> Iterator[Callable[[], Worker]]:
    """Start workers on the test database and the test's own Redis; all are stopped before
    the database is flushed and the Redis is shut down."""
    started: list[Worker] = []

    def start() -> Worker:
        env = {
            **os.environ,
            "DATABASE_URL": test_database_url,
            "REDIS_URL": own_redis.url,
            "DEBUG": "true",
            "CELERY_TASK_ALWAYS_EAGER": "false",
            "PYTHONUNBUFFERED": "1",
        }
        env.pop("CELERY_BROKER_URL", None)
        worker = Worker(env, f"{request.node.name}-{len(started) + 1}")
        started.append(worker)
        worker.wait_ready()
        return worker

    yield start
    for worker in started:
        worker.stop()


class RedisServer:
    """A Redis of the test's own on a free port, without persistence: stopping it loses
    every message in it, as a restart of an unpersisted Redis does."""

    def __init__(self, binary: str) -> None:
        self.binary = binary
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                self.binary,
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--daemonize",
                "no",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        import redis

        client = redis.Redis(port=self.port, socket_connect_timeout=0.5)

        def answers():
            try:
                return client.ping()
            except redis.ConnectionError:
                return False

        wait_until(answers, timeout=10, what=f"redis-server on port {self.port} answers")
        client.close()

    def _client(self):
        import redis

        return redis.Redis(port=self.port, socket_connect_timeout=1, socket_timeout=2)

    def queued(self) -> int:
        """Messages waiting in the portal's queue (a Redis list of that name)."""
        with self._client() as client:
            return client.llen(settings.CELERY_TASK_DEFAULT_QUEUE)

    def in_flight(self) -> int:
        """Messages a worker took but has not acknowledged (kombu's ``unacked`` hash)."""
        with self._client() as client:
            return client.hlen("unacked")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        self.process = None


@pytest.fixture
def own_redis(real_parts) -> Iterator[RedisServer]:
    """The broker of these tests: a redis-server of their own, with this process's tasks
    sent to it (restored afterwards). Not the shared REDIS_URL: a test may stop it, and
    another test run on the machine flushing its cache database must not eat the queue."""
    binary = shutil.which("redis-server")
    if binary is None:
        missing("needs redis-server on the PATH to stop and restart a Redis of its own")
    server = RedisServer(binary)
    server.start()
    before = app.conf.broker_url
    use_broker(server.url)
    yield server
    use_broker(before)
    server.stop()


# --- building the market ------------------------------------------------------------------


def matched(listing_ids) -> int:
    return ListingMatchState.objects.filter(
        listing__in=listing_ids, version=ALGORITHM_VERSION
    ).count()


def pairs() -> set[tuple[int, int]]:
    return set(Match.objects.values_list("offer_id", "request_id"))


def weeks_market(cast: Cast, weeks: int) -> tuple[list[Listing], set[tuple[int, int]]]:
    """In each of ``weeks`` separate weeks, two offers of firm A and two requests of firm B,
    available that week only: each offer fits both requests of its week and nothing else.
    Publishing each one sends its matching task to the broker. Returns the listings and the
    pairs the matching must find."""
    listings = Listings(cast)
    published, expected = [], set()
    for week in range(weeks):
        dates = {
            "available_from": days_from_today(7 * week + 1),
            "available_until": days_from_today(7 * week + 5),
        }
        offers = [
            listings.published(
                "A", **capacity_fields(title=f"数控机床闲置产能 {week}-{n}", **dates)
            )
            for n in range(2)
        ]
        requests = [
            listings.published("B", **request_fields(title=f"寻求数控加工产能 {week}-{n}", **dates))
            for n in range(2)
        ]
        published += offers + requests
        expected |= {(o.pk, r.pk) for o in offers for r in requests}
    return published, expected


# --- the tests ----------------------------------------------------------------------------


def test_a_published_listing_is_matched_by_the_worker(world, start_worker):
    start_worker()
    listings = Listings(world)
    offer = listings.published("A", **capacity_fields())
    started = time.monotonic()

    request = listings.published("B", **request_fields())

    wait_until(lambda: pairs() == {(offer.pk, request.pk)}, what="the worker matches the pair")
    elapsed = time.monotonic() - started
    wait_until(lambda: matched([offer.pk, request.pk]) == 2, what="both listings marked matched")
    # The worker also told both sides (two members each) of the good new match.
    wait_until(
        lambda: Notification.objects.filter(kind="match").count() == 4,
        what="the match notices",
    )
    assert elapsed < WAIT
    print(f"\npublication → match by the worker: {elapsed:.2f} s")


def test_a_worker_killed_in_the_middle_of_a_batch_loses_nothing(world, start_worker, own_redis):
    published, expected = weeks_market(world, 50)  # 200 listings, 200 pairs
    ids = [listing.pk for listing in published]
    assert matched(ids) == 0
    assert own_redis.queued() == len(ids)  # one matching task each, waiting in Redis

    first = start_worker()
    started = time.monotonic()
    wait_until(
        lambda: matched(ids) >= 10 and own_redis.in_flight() >= 1,
        what="the first worker has matched some listings and holds the next one",
    )
    first.kill()
    done_when_killed = matched(ids)
    killed_after = time.monotonic() - started
    assert not first.alive
    assert done_when_killed < len(ids), "the worker finished before it was killed"
    # What the killed worker held stays unacknowledged: Redis would hand it out again only
    # after the visibility timeout (an hour). Without the sweeper that listing would wait.
    lost = own_redis.in_flight()
    assert lost >= 1
    assert own_redis.queued() + lost + done_when_killed >= len(ids)

    second = start_worker()
    recovery = time.monotonic()
    tasks.sweep_matching_task.delay()  # what beat sends every minute
    wait_until(
        lambda: outstanding_listing_ids() == [],
        timeout=BATCH_WAIT,
        what="every published listing matched",
    )
    recovered_after = time.monotonic() - recovery

    published = Listing.objects.filter(status=S.PUBLISHED)
    versions = ListingMatchState.objects.filter(listing__in=published).values_list(
        "version", flat=True
    )
    assert len(versions) == published.count() and set(versions) == {ALGORITHM_VERSION}
    assert matched(ids) == len(ids)
    assert pairs() == expected
    assert Match.objects.count() == len(expected)  # no pair twice
    assert set(Match.objects.values_list("algorithm_version", flat=True)) == {ALGORITHM_VERSION}
    # Nobody was told of the same match twice (a notice cut off by the kill may be missing).
    notices = Counter(Notification.objects.filter(kind="match").values_list("user", "title", "url"))
    assert notices and max(notices.values()) == 1
    assert second.alive
    print(
        f"\nkilled after {killed_after:.2f} s with {done_when_killed}/{len(ids)} matched "
        f"and {lost} message(s) in its hands; "
        f"new worker and sweeper finished the rest in {recovered_after:.2f} s"
    )


def test_publishing_while_redis_is_down_succeeds_and_the_sweeper_recovers(
    world, own_redis, start_worker, caplog
):
    worker = start_worker()
    listings = Listings(world)
    offer = listings.published("A", **capacity_fields())
    wait_until(lambda: matched([offer.pk]) == 1, what="the worker matches the offer")
    request = listings.in_status(S.PENDING, "B", **request_fields())
    admin = Client()
    admin.force_login(world.park_admin_b)

    own_redis.stop()
    started = time.monotonic()
    with caplog.at_level(logging.WARNING, logger="sharing.moderation"):
        response = admin.post(f"/listings/{request.pk}/approve/")
    took = time.monotonic() - started

    assert response.status_code == 302
    assert took < 3.0, f"the approval took {took:.1f} s with Redis down"
    request.refresh_from_db()
    assert request.status == S.PUBLISHED
    assert "the sweeper will retry" in caplog.text
    assert outstanding_listing_ids() == [request.pk]
    assert not Match.objects.exists()

    own_redis.start()  # empty: whatever it held is gone
    restarted = time.monotonic()
    tasks.sweep_matching_task.delay()
    wait_until(lambda: outstanding_listing_ids() == [], what="the sweeper's work is done")
    recovered_after = time.monotonic() - restarted

    assert pairs() == {(offer.pk, request.pk)}
    assert worker.alive  # it rode out the outage and reconnected by itself
    print(
        f"\napproval with Redis down: {took:.2f} s; "
        f"matched {recovered_after:.2f} s after Redis came back"
    )
