"""Fixtures shared by the whole suite, and the real-parts policy (see tests/policy.py).

The suite talks to the real PostgreSQL, Redis and Chromium, never to stand-ins. Locally a
test that needs a part which is not there is skipped with the reason; under CI (``CI=true``)
it fails instead, so a green CI run means every test really ran.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.utils import translation

from tests.policy import CI, missing


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    """Under CI a skip is a failure: every test must really run there."""
    report = yield
    if CI and report.skipped and not hasattr(report, "wasxfail"):
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else report.longrepr
        report.outcome = "failed"
        report.longrepr = f"CI=true: skipped tests count as failures ({reason})"
    return report


@pytest.fixture(autouse=True, scope="session")
def _static_root() -> None:
    """WhiteNoise warns about a missing STATIC_ROOT; tests serve static files from the finders."""
    Path(settings.STATIC_ROOT).mkdir(parents=True, exist_ok=True)


@pytest.fixture(autouse=True)
def _clear_cache() -> Iterator[None]:
    """Each test starts with an empty cache (Redis when REDIS_URL is set) and leaves one, and
    without what the process keeps of the data for a while: the form widgets' choices and
    matching's common words (an earlier test's listings made a later test's key words
    "common", so its pair was no candidate)."""
    from clusters.widgets import forget_model_choices
    from sharing.matching.engine import forget_common_words

    cache.clear()
    forget_model_choices()
    forget_common_words()
    yield
    cache.clear()
    forget_model_choices()
    forget_common_words()


@pytest.fixture(autouse=True)
def _default_language() -> None:
    """Each test starts in the portal's default language. A request through the test client
    activates the visitor's language in this thread and leaves it active (as Django's
    LocaleMiddleware does), so a service called after an English request would otherwise
    answer in English."""
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def requires_postgres(db) -> None:
    """The test needs the default database to be PostgreSQL (DATABASE_URL=postgres://...)."""
    if connection.vendor != "postgresql":
        missing(f"needs PostgreSQL (DATABASE_URL), the database is {connection.vendor}")


@pytest.fixture
def redis_url() -> str:
    """The configured Redis URL; the test needs a Redis server that answers there."""
    import redis

    url = settings.REDIS_URL
    if not url:
        missing("needs Redis: REDIS_URL is not set")
    client = redis.Redis.from_url(url, socket_connect_timeout=2, socket_timeout=2)
    try:
        client.ping()
    except (redis.RedisError, OSError) as exc:
        pytest.fail(f"REDIS_URL={url} is set but Redis does not answer: {exc}", pytrace=False)
    finally:
        client.close()
    return url


@pytest.fixture(scope="module")
def reference_data(django_db_setup, django_db_blocker):
    """The project's reference fixtures, loaded once per test module.

    The load runs in a transaction that is rolled back after the module; each test's own
    transaction nests inside it, so a test's writes are undone after that test. Once a test
    of a module has asked for it, the data stays for the module's later tests: a test that
    needs empty tables belongs in a module that does not use it.
    """
    from clusters.services import reference_data_load

    with django_db_blocker.unblock(), transaction.atomic():
        report = reference_data_load()
        yield report
        transaction.set_rollback(True)


@pytest.fixture
def ref(reference_data, db):
    """Reference data for a test with ordinary (rolled-back) database access."""
    return reference_data


@pytest.fixture(autouse=True)
def _two_factor_only_where_tested(request, settings):
    """Supervisors and officers log in with two factors (TWO_FACTOR_REQUIRED is on by default).

    Tests of other features log them in with ``force_login`` and would otherwise be stopped at
    the two-factor page; tests marked ``two_factor`` keep the requirement on and exercise it.
    """
    if request.node.get_closest_marker("two_factor") is None:
        settings.TWO_FACTOR_REQUIRED = False
