"""Backup and restore of the portal's PostgreSQL database with pg_dump and pg_restore.

A backup is one file in pg_dump's custom format (compressed, restorable table by table). A
restore goes into a fresh, empty database, without the original owner or grants, and is then
checked: the row counts of the main tables, and the supervision log's hash chain.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

from django.apps import apps
from django.db import connections

from portal.env import parse_database_url

RESTORE_ALIAS = "restore_target"
# The tables whose counts a restore reports, as app_label.ModelName.
MAIN_MODELS = (
    "clusters.Region",
    "clusters.IndustryCode",
    "clusters.Cluster",
    "clusters.Park",
    "clusters.RoleGrant",
    "portal.User",
    "enterprises.Enterprise",
    "enterprises.ContactPerson",
    "enterprises.Membership",
    "enterprises.AuditEntry",
    "enterprises.AuditHead",
    "sharing.Listing",
    "sharing.ModerationDecision",
    "sharing.Complaint",
    "sharing.Match",
    "sharing.Inquiry",
    "sharing.Deal",
    "sharing.Notification",
)


class BackupError(Exception):
    pass


def _libpq_env(config: dict) -> dict[str, str]:
    """The connection as libpq environment variables: no password on a command line."""
    if not config["ENGINE"].endswith("postgresql"):
        raise BackupError("backup and restore need PostgreSQL (DATABASE_URL=postgres://...)")
    env = dict(os.environ)
    for key, var in (
        ("HOST", "PGHOST"),
        ("PORT", "PGPORT"),
        ("USER", "PGUSER"),
        ("PASSWORD", "PGPASSWORD"),
        ("NAME", "PGDATABASE"),
    ):
        if config.get(key):
            env[var] = str(config[key])
    return env


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise BackupError(f"{name} is not installed (apt-get install postgresql-client)")
    return path


def _run(args: list[str], env: dict[str, str]) -> None:
    result = subprocess.run(args, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode != 0:
        raise BackupError(f"{Path(args[0]).name} failed: {result.stderr.strip()}")


def backup(output: Path, *, alias: str = "default") -> int:
    """Dump the database to ``output``; return the file's size in bytes."""
    env = _libpq_env(connections[alias].settings_dict)
    output.parent.mkdir(parents=True, exist_ok=True)
    partial = output.with_name(output.name + ".partial")
    _run(
        [_tool("pg_dump"), "--format=custom", "--no-owner", "--no-privileges", "-f", str(partial)],
        env,
    )
    partial.replace(output)  # a crash mid-dump never leaves a file that looks complete
    return output.stat().st_size


def target_connection(database_url: str) -> str:
    """Register the restore target as a database alias; return the alias."""
    config = parse_database_url("--database-url", database_url, conn_max_age=0)
    configured = connections.configure_settings(
        {"default": connections["default"].settings_dict, RESTORE_ALIAS: config}
    )
    connections.settings[RESTORE_ALIAS] = configured[RESTORE_ALIAS]
    return RESTORE_ALIAS


def _table_count(alias: str) -> int:
    with connections[alias].cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'"
        )
        return cursor.fetchone()[0]


def restore(source: Path, *, database_url: str) -> dict[str, int]:
    """Restore ``source`` into the empty database at ``database_url``; return its counts."""
    if not source.is_file():
        raise BackupError(f"no backup file at {source}")
    alias = target_connection(database_url)
    if _table_count(alias):
        raise BackupError("the target database is not empty: restore into a fresh database")
    env = _libpq_env(connections[alias].settings_dict)
    _run(
        [
            _tool("pg_restore"),
            "--no-owner",
            "--no-privileges",
            "--exit-on-error",
            "--single-transaction",
            "--dbname",
            env["PGDATABASE"],
            str(source),
        ],
        env,
    )
    return counts(alias)


def counts(alias: str = "default") -> dict[str, int]:
    return {label: apps.get_model(label).objects.using(alias).count() for label in MAIN_MODELS}
