"""portal.settings: bad environment values stop start-up; production settings pass the deploy
check; under CI the suite really runs on PostgreSQL and Redis."""

import os
import secrets
import subprocess
import sys

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connection

SETUP = (
    "import django, os; os.environ['DJANGO_SETTINGS_MODULE'] = 'portal.settings'; django.setup()"
)
# Variables the settings or Django's checks read; each run starts without them so that only
# the case's own count.
READ_BY_SETTINGS = (
    "DJANGO_ALLOW_ASYNC_UNSAFE",
    "DEBUG",
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "DATABASE_URL",
    "REDIS_URL",
    "CONN_MAX_AGE",
    "DATABASE_CONNECT_TIMEOUT",
    "CELERY_TASK_ALWAYS_EAGER",
    "EMAIL_HOST",
    "SECURE_SSL_REDIRECT",
    "SECURE_HSTS_SECONDS",
    "DJANGO_SETTINGS_MODULE",
)


def _run(*args: str, **env: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in READ_BY_SETTINGS}
    return subprocess.run(
        [sys.executable, *args],
        cwd=settings.BASE_DIR,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def _production_env() -> dict[str, str]:
    return {
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "ALLOWED_HOSTS": "portal.example.cn",
    }


def test_good_development_settings_start():
    result = _run("-c", SETUP, DEBUG="true")

    assert result.returncode == 0, result.stderr


def test_good_production_settings_start():
    result = _run(
        "-c",
        SETUP,
        **_production_env(),
        DATABASE_URL="postgres://portal@db.example.cn:5432/portal",
        REDIS_URL="redis://cache.example.cn:6379/1",
        CONN_MAX_AGE="0",
    )

    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("DATABASE_URL", "mysql://x/y"),
        ("DATABASE_URL", "not a url"),
        ("DATABASE_URL", "postgres://db.example.cn:5432"),
        ("REDIS_URL", "http://x"),
        ("REDIS_URL", "redis://host:abc/0"),
        ("REDIS_URL", "redis://host:6379/zero"),
        ("DEBUG", "maybe"),
        ("CONN_MAX_AGE", "-1"),
        ("CONN_MAX_AGE", "forever"),
        ("DATABASE_CONNECT_TIMEOUT", "0"),
    ],
)
def test_a_bad_value_stops_start_up_naming_the_variable(variable, value):
    env = {"DEBUG": "true", variable: value}
    if variable == "DATABASE_CONNECT_TIMEOUT":
        env["DATABASE_URL"] = "postgres://portal@127.0.0.1:5432/portal"

    result = _run("-c", SETUP, **env)

    assert result.returncode != 0
    last_line = result.stderr.strip().splitlines()[-1]
    assert last_line.startswith("django.core.exceptions.ImproperlyConfigured: ")
    assert f": {variable}: " in last_line


def test_production_refuses_to_start_without_a_secret_key():
    env = _production_env()
    del env["SECRET_KEY"]

    result = _run("-c", SETUP, **env)

    assert result.returncode != 0
    assert "ImproperlyConfigured: SECRET_KEY: " in result.stderr


def test_production_refuses_to_start_without_allowed_hosts():
    env = _production_env()
    del env["ALLOWED_HOSTS"]

    result = _run("-c", SETUP, **env)

    assert result.returncode != 0
    assert "ImproperlyConfigured: ALLOWED_HOSTS: " in result.stderr


def test_production_settings_pass_the_deploy_check():
    result = _run("manage.py", "check", "--deploy", "--fail-level", "WARNING", **_production_env())

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_the_deploy_check_fails_on_a_short_secret_key():
    env = {**_production_env(), "SECRET_KEY": "short"}

    result = _run("manage.py", "check", "--deploy", "--fail-level", "WARNING", **env)

    assert result.returncode != 0
    assert "security.W009" in result.stderr


def test_ci_runs_on_postgresql(requires_postgres):
    """Under CI the suite must run on PostgreSQL, in a test database of its own."""
    assert connection.vendor == "postgresql"
    assert connection.settings_dict["NAME"].startswith("test_")
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version_num")
        assert int(cursor.fetchone()[0]) >= 140000


def test_the_cache_is_redis_when_redis_url_is_set(redis_url):
    import redis
    from django.core.cache import caches
    from django.core.cache.backends.redis import RedisCache

    # Django's Redis cache, failing open when Redis is down (portal/cache.py).
    assert settings.CACHES["default"]["BACKEND"] == "portal.cache.FailOpenRedisCache"
    assert isinstance(caches["default"], RedisCache)
    cache.set("settings-test", {"值": 1}, timeout=60)
    assert cache.get("settings-test") == {"值": 1}
    client = redis.Redis.from_url(redis_url)
    try:
        keys = [k.decode() for k in client.keys("*settings-test*")]
    finally:
        client.close()
    assert keys == [f"{settings.CACHES['default']['KEY_PREFIX']}:1:settings-test"]


def test_celery_uses_redis_as_broker_when_redis_url_is_set(redis_url):
    from portal.celery import app

    assert app.conf.broker_url == redis_url
    assert app.conf.task_always_eager is False
    with app.connection_for_write() as conn:
        conn.ensure_connection(max_retries=1)
        assert conn.connected
