"""manage.py backup / restore: a backup restores into a fresh PostgreSQL database with the same
row counts, and the supervision log's hash chain still verifies there (and a tampered copy
does not).

These tests commit their data (pg_dump reads from its own connection), so they run as
transactional tests and the tables are emptied afterwards.
"""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from pathlib import Path

import psycopg2
import pytest
from django.core.management import call_command
from django.db import connection

from clusters.services import reference_data_load
from portal.ops.backup import counts
from tests.cast import build_cast, load_cast
from tests.policy import missing
from tests.sharing.helpers import Listings

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.django_db(transaction=True)


def _server_dsn(dbname: str) -> dict:
    s = connection.settings_dict
    return {
        "host": s.get("HOST") or "127.0.0.1",
        "port": s.get("PORT") or 5432,
        "user": s.get("USER") or "postgres",
        "password": s.get("PASSWORD") or None,
        "dbname": dbname,
    }


def _url(dbname: str) -> str:
    d = _server_dsn(dbname)
    auth = d["user"] + (f":{d['password']}" if d["password"] else "")
    return f"postgres://{auth}@{d['host']}:{d['port']}/{dbname}"


@pytest.fixture
def fresh_database():
    """An empty database of our own on the same server, dropped afterwards."""
    if connection.vendor != "postgresql":
        missing(f"needs PostgreSQL (DATABASE_URL), the database is {connection.vendor}")
    name = f"restore_{uuid.uuid4().hex[:12]}"
    admin = psycopg2.connect(**_server_dsn("postgres"))
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{name}"')
    try:
        yield name
    finally:
        with admin.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


def _manage(*args: str, database_url: str | None = None) -> subprocess.CompletedProcess:
    env = dict(os.environ, DEBUG="true")
    if database_url:
        env["DATABASE_URL"] = database_url
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def _populate() -> None:
    """Reference data, the cast (firms, members, roles, a real audit chain) and listings."""
    reference_data_load()
    cast = load_cast(build_cast())
    listings = Listings(cast)
    listings.published("A")
    listings.published("B", kind="order")
    listings.in_status("rejected", "A", title="被拒绝的信息")


def test_a_backup_restores_into_a_fresh_database_with_its_counts_and_a_chain_that_verifies(
    tmp_path, fresh_database
):
    _populate()
    before = counts()
    assert before["enterprises.AuditEntry"] > 10
    backup_file = tmp_path / "portal.dump"

    call_command("backup", output=backup_file)
    restored = _manage(
        "restore", "--input", str(backup_file), "--database-url", _url(fresh_database)
    )

    assert restored.returncode == 0, restored.stderr
    reported = dict(line.split(": ", 1) for line in restored.stdout.splitlines() if ": " in line)
    assert {label: int(reported[label]) for label in before} == before
    assert "audit log OK" in restored.stdout
    verified = _manage("verify_audit_log", database_url=_url(fresh_database))
    assert verified.returncode == 0, verified.stderr
    assert f"({before['enterprises.AuditEntry']} entries)" in verified.stdout

    # The check means something: an altered entry in the copy is found and named.
    with psycopg2.connect(**_server_dsn(fresh_database)) as db, db.cursor() as cursor:
        cursor.execute("UPDATE enterprises_auditentry SET reason = 'altered' WHERE seq = 3")
    tampered = _manage("verify_audit_log", database_url=_url(fresh_database))
    assert tampered.returncode == 1
    assert "entry #3" in tampered.stderr


def test_restore_refuses_a_database_that_is_not_empty(tmp_path, fresh_database):
    reference_data_load()
    backup_file = tmp_path / "portal.dump"
    call_command("backup", output=backup_file)
    first = _manage("restore", "--input", str(backup_file), "--database-url", _url(fresh_database))
    assert first.returncode == 0, first.stderr

    again = _manage("restore", "--input", str(backup_file), "--database-url", _url(fresh_database))

    assert again.returncode != 0
    assert "not empty" in again.stderr


def test_restore_names_a_missing_backup_file(tmp_path, fresh_database):
    result = _manage(
        "restore", "--input", str(tmp_path / "nope.dump"), "--database-url", _url(fresh_database)
    )

    assert result.returncode != 0
    assert "no backup file" in result.stderr
