"""portal.health: whether the database and the broker answer, over real connections."""

import pytest
from django.db import connections
from django.db.utils import ConnectionHandler

from portal.health import broker_ok, database_ok

UNREACHABLE = {
    # PostgreSQL's client refuses at once: nothing listens on port 1.
    "postgresql-closed-port": {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": "portal",
        "USER": "postgres",
        "HOST": "127.0.0.1",
        "PORT": "1",
        "OPTIONS": {"connect_timeout": 2},
    },
    # SQLite cannot create a file in a directory that does not exist.
    "sqlite-missing-directory": {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": "/nonexistent-portal-directory/sub/db.sqlite3",
    },
}


@pytest.fixture(params=sorted(UNREACHABLE))
def unreachable_alias(request, django_db_blocker):
    """A database alias, registered beside ``default``, whose server cannot be reached."""
    alias = "unreachable"
    configured = ConnectionHandler({"default": UNREACHABLE[request.param]}).settings["default"]
    connections.settings[alias] = configured
    try:
        with django_db_blocker.unblock():
            yield alias
    finally:
        if alias in connections.settings:
            connections[alias].close()
            del connections[alias]
            del connections.settings[alias]


def test_database_ok_for_the_configured_database(db):
    assert database_ok() is True


def test_database_ok_is_false_when_the_database_cannot_be_reached(unreachable_alias):
    assert database_ok(unreachable_alias) is False


def test_broker_ok_is_false_for_a_closed_port():
    assert broker_ok("redis://127.0.0.1:1/0") is False


def test_broker_ok_is_false_for_a_host_that_does_not_resolve():
    assert broker_ok("redis://no-such-host.invalid:6379/0") is False


def test_broker_ok_for_the_configured_redis(redis_url):
    assert broker_ok(redis_url) is True
