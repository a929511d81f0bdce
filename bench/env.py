"""Where the benchmark runs: its own PostgreSQL database and Redis database, derived from
DATABASE_URL and REDIS_URL, and the environment of the portal's processes."""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit

BENCH_DB_NAME = "portal_bench"
BENCH_REDIS_DB = 15


class Missing(Exception):
    """PostgreSQL or Redis is not configured or does not answer."""


@dataclass(frozen=True)
class Target:
    database_url: str  # the bench database
    admin_url: str  # the database of DATABASE_URL, to create and drop the bench database from
    db_name: str
    redis_url: str


def target_from_env(environ=os.environ) -> Target:
    database_url = environ.get("DATABASE_URL", "")
    redis_url = environ.get("REDIS_URL", "")
    if not database_url.startswith(("postgres://", "postgresql://")):
        raise Missing(
            "make bench needs PostgreSQL: set DATABASE_URL=postgres://user@host:5432/name "
            f"(now {database_url or 'unset'}). The benchmark creates its own database "
            f"{BENCH_DB_NAME!r} on that server and drops it before each run."
        )
    if not redis_url.startswith(("redis://", "rediss://")):
        raise Missing(
            "make bench needs Redis: set REDIS_URL=redis://host:6379/0 "
            f"(now {redis_url or 'unset'}). The benchmark uses database {BENCH_REDIS_DB} of that "
            "server for its Celery queue and cache."
        )
    bench_url = environ.get("BENCH_DATABASE_URL") or _with_path(database_url, BENCH_DB_NAME)
    db_name = urlsplit(bench_url).path.lstrip("/")
    if db_name == urlsplit(database_url).path.lstrip("/"):
        raise Missing("the bench database must not be DATABASE_URL's own database")
    bench_redis = environ.get("BENCH_REDIS_URL") or _with_path(redis_url, str(BENCH_REDIS_DB))
    return Target(bench_url, database_url, db_name, bench_redis)


def _with_path(url: str, path: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, f"/{path}", parts.query, ""))


def check_services(target: Target) -> None:
    import psycopg2
    import redis

    try:
        psycopg2.connect(_dsn(target.admin_url), connect_timeout=5).close()
    except psycopg2.Error as exc:
        raise Missing(f"PostgreSQL at DATABASE_URL does not answer: {exc}".strip()) from exc
    try:
        client = redis.Redis.from_url(target.redis_url, socket_connect_timeout=3)
        client.ping()
        client.close()
    except (redis.RedisError, OSError) as exc:
        raise Missing(f"Redis at REDIS_URL does not answer: {exc}") from exc


def _dsn(url: str) -> str:
    return url.replace("postgresql://", "postgres://", 1).replace("postgres://", "postgresql://", 1)


def recreate_database(target: Target) -> None:
    """Drop the bench database (closing its leftover sessions) and create it empty."""
    import psycopg2

    conn = psycopg2.connect(_dsn(target.admin_url))
    conn.autocommit = True
    try:
        with conn.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{target.db_name}" WITH (FORCE)')
            cursor.execute(f'CREATE DATABASE "{target.db_name}"')
    finally:
        conn.close()


def drop_database(target: Target) -> None:
    import psycopg2

    conn = psycopg2.connect(_dsn(target.admin_url))
    conn.autocommit = True
    try:
        with conn.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{target.db_name}" WITH (FORCE)')
    finally:
        conn.close()


def clear_queue(target: Target) -> None:
    """Delete the bench's Celery queue and cache keys: a message left by an aborted run would
    name listings of a database that no longer exists."""
    import redis

    client = redis.Redis.from_url(target.redis_url)
    try:
        for pattern in ("portal*", "_kombu*", "unacked*", "bench:*", "celery*"):
            for key in client.scan_iter(match=pattern, count=1000):
                client.delete(key)
    finally:
        client.close()


def portal_environment(target: Target, static_root: str) -> dict[str, str]:
    """The environment of the portal's processes under benchmark: production settings
    (DEBUG off, manifest static files, real Celery) on loopback, without TLS redirects and
    without the two-factor step for the supervisors and officers the scenarios log in as."""
    return {
        "DATABASE_URL": target.database_url,
        "REDIS_URL": target.redis_url,
        "CACHE_KEY_PREFIX": "bench",
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(40),
        "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
        "SECURE_SSL_REDIRECT": "false",
        "SECURE_HSTS_SECONDS": "0",
        "TWO_FACTOR_REQUIRED": "false",
        "CELERY_TASK_ALWAYS_EAGER": "false",
        "STATIC_ROOT": static_root,
        "LOG_LEVEL": "WARNING",
        "CONN_MAX_AGE": "60",
    }
