"""Strict parsing of settings from the environment.

A bad value stops start-up with a message that names the variable, instead of surfacing
later as an obscure failure.
"""

from __future__ import annotations

import os
from urllib.parse import urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str | None = None) -> str | None:
    value = os.environ.get(name)
    return default if value is None else value.strip()


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name}: expected true/false (1/0, yes/no, on/off), got {raw!r}")


def env_int(name: str, default: int, *, minimum: int | None = None) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = int(raw.strip())
    except ValueError:
        raise ImproperlyConfigured(f"{name}: expected a whole number, got {raw!r}") from None
    if minimum is not None and value < minimum:
        raise ImproperlyConfigured(f"{name}: must be at least {minimum}, got {value}")
    return value


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def parse_database_url(name: str, raw: str, *, conn_max_age: int) -> dict:
    """Parse a database URL; only PostgreSQL and SQLite are supported."""
    try:
        config = dj_database_url.parse(raw, conn_max_age=conn_max_age, conn_health_checks=True)
    except Exception as exc:  # dj-database-url raises ValueError or KeyError on bad input
        raise ImproperlyConfigured(f"{name}: not a valid database URL ({exc})") from None
    engine = config.get("ENGINE", "")
    if engine not in ("django.db.backends.postgresql", "django.db.backends.sqlite3"):
        raise ImproperlyConfigured(
            f"{name}: unsupported scheme in {raw.split('://', 1)[0]!r}; "
            "use postgres://user@host:port/name or sqlite:///path"
        )
    if not config.get("NAME"):
        raise ImproperlyConfigured(f"{name}: the URL names no database")
    return config


def parse_redis_url(name: str, raw: str) -> str:
    parts = urlsplit(raw)
    if parts.scheme not in ("redis", "rediss") or not parts.hostname:
        raise ImproperlyConfigured(
            f"{name}: expected redis://host:port/db or rediss://..., got {raw!r}"
        )
    try:
        parts.port  # noqa: B018 - raises ValueError on a port that is not a number
    except ValueError:
        raise ImproperlyConfigured(f"{name}: the port in {raw!r} is not a number") from None
    db = parts.path.lstrip("/")
    if db and not db.isdigit():
        raise ImproperlyConfigured(f"{name}: the database in {raw!r} must be a number")
    return raw


_PERIODS = {"s": 1, "sec": 1, "m": 60, "min": 60, "h": 3600, "hour": 3600, "d": 86400, "day": 86400}


def env_rate(name: str, default: str) -> tuple[int, int] | None:
    """A request rate such as ``100/min`` or ``20/hour`` as (limit, seconds); ``off`` or an
    empty value turns it off (None)."""
    raw = os.environ.get(name)
    text = (default if raw is None else raw).strip().lower()
    if text in ("", "off", "none", "0"):
        return None
    count, _sep, period = text.partition("/")
    try:
        limit = int(count)
    except ValueError:
        limit = 0
    seconds = _PERIODS.get(period)
    if limit < 1 or seconds is None:
        raise ImproperlyConfigured(
            f"{name}: expected a rate such as 100/min, 20/hour or off, got {raw!r}"
        )
    return limit, seconds
