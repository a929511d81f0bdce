"""Redis goes down: pages still serve (the cache fails open, portal/cache.py), publishing a
listing still succeeds, and once Redis is back the sweeper enqueues the listing's matching,
which a real worker then runs.

The Redis is the test's own (stopped and started again, losing what it held, as an
unpersisted Redis does); the database is the test database, committed, so that the worker
(a ``celery worker`` subprocess) sees it.
"""

from __future__ import annotations

import os
from urllib.parse import urlsplit

import pytest
from django.conf import settings

from clusters.services import reference_data_load
from portal.celery import app
from sharing.choices import ListingStatus
from sharing.matching.scoring import ALGORITHM_VERSION
from sharing.models import Listing, ListingMatchState
from sharing.tasks import sweep_matching_task
from tests.cast import build_cast, load_cast
from tests.faults.conftest import VENV_BIN, Process, portal_env, wait_until
from tests.policy import missing
from tests.sharing.helpers import Listings

pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]


def _use_broker(url: str) -> None:
    """Send this process's tasks to ``url`` from now on (drops the pooled producers)."""
    app.conf.broker_url = url
    app.amqp._producer_pool = None
    app._pool = None


@pytest.fixture
def redis_for_everything(own_redis, settings):
    """This process's cache and broker are the test's own Redis; restored afterwards."""
    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        missing("needs PostgreSQL (DATABASE_URL): the worker reads the test database")
    settings.REDIS_URL = own_redis.url
    settings.CACHES = {
        "default": {
            "BACKEND": "portal.cache.FailOpenRedisCache",
            "LOCATION": own_redis.url,
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
    eager, broker = app.conf.task_always_eager, app.conf.broker_url
    app.conf.task_always_eager = False
    _use_broker(own_redis.url)
    yield own_redis
    app.conf.task_always_eager = eager
    _use_broker(broker)


def _test_database_url() -> str:
    url = urlsplit(os.environ["DATABASE_URL"])
    return url._replace(path="/" + settings.DATABASES["default"]["NAME"]).geturl()


def test_pages_serve_and_publishing_succeeds_while_redis_is_down_and_matching_follows(
    client, redis_for_everything, processes
):
    redis = redis_for_everything
    reference_data_load()
    cast = load_cast(build_cast())
    listing = Listings(cast).in_status(ListingStatus.PENDING, "A")

    redis.stop()

    # Pages, the API and the log-in (whose throttle counts in the cache) still answer.
    assert client.get("/").status_code == 200
    assert client.get("/listings/").status_code == 200
    assert client.get("/api/v1/listings/").status_code == 200
    wrong = client.post("/accounts/login/", {"username": cast.member_a.email, "password": "x"})
    assert wrong.status_code == 200 and "邮箱或密码不正确" in wrong.content.decode()
    # Publishing succeeds; its matching could not be enqueued and is outstanding.
    client.force_login(cast.park_admin_a)
    response = client.post(f"/listings/{listing.pk}/approve/")
    assert response.status_code == 302
    listing.refresh_from_db()
    assert listing.status == ListingStatus.PUBLISHED
    assert not ListingMatchState.objects.filter(listing=listing).exists()

    redis.start()  # empty: whatever was queued before is gone
    worker = Process(
        [
            str(VENV_BIN / "celery"),
            "-A",
            "portal",
            "worker",
            "-l",
            "info",
            "--concurrency",
            "1",
            "-Q",
            settings.CELERY_TASK_DEFAULT_QUEUE,
            "--without-heartbeat",
            "--without-mingle",
            "--without-gossip",
            "-n",
            f"redis-down-{os.getpid()}@%h",
        ],
        portal_env(
            DATABASE_URL=_test_database_url(), REDIS_URL=redis.url, CELERY_TASK_ALWAYS_EAGER="false"
        ),
        "worker-redis-down",
    )
    processes.append(worker)
    wait_until(lambda: " ready." in worker.output() or not worker.alive, what="the worker starts")
    assert worker.alive, worker.output()

    # What beat runs every minute: the sweeper finds the outstanding listing and enqueues it.
    assert sweep_matching_task() >= 1

    def matched():
        return ListingMatchState.objects.filter(listing=listing, version=ALGORITHM_VERSION).exists()

    wait_until(matched, timeout=90, what=f"the worker matches the listing ({worker.log_path})")
    assert Listing.objects.get(pk=listing.pk).status == ListingStatus.PUBLISHED
