"""Multi-row writes on PostgreSQL for the matching job: INSERT … VALUES and COPY.

Django's ``bulk_create`` and ``bulk_update`` build a model instance per row and prepare every
value in Python; ``bulk_update`` also writes a ``CASE`` per column that grows with the batch.
For the tens of thousands of matches and notices a re-match batch writes, that was about
half the batch's time (benchmark, issue 7). Callers keep the ORM path for other databases.
"""

from __future__ import annotations

import io
import json
from datetime import date, datetime

from django.db import connection

PAGE = 1000


def values_statement(sql: str, template: str, rows: list[tuple], *, fetch: bool = False):
    """Run ``sql``, whose one ``%s`` stands for the VALUES list, over ``rows`` a thousand at a
    time; each row is adapted by psycopg2 through ``template`` (what psycopg2's
    execute_values does, but through Django's cursor, so the queries are counted and logged
    like any other). Returns the fetched rows when ``fetch``."""
    out: list[tuple] = []
    with connection.cursor() as cursor:
        raw = cursor.cursor
        for start in range(0, len(rows), PAGE):
            values = b",".join(raw.mogrify(template, row) for row in rows[start : start + PAGE])
            cursor.execute(sql.replace("%s", values.decode()))
            if fetch:
                out += cursor.fetchall()
    return out


_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def copy_value(value) -> str:
    """One value in COPY's text format (also the benchmark generator's, bench/copy.py)."""
    if value is None:
        return "\\N"
    if value is True:
        return "t"
    if value is False:
        return "f"
    if isinstance(value, str):
        return value.translate(_ESCAPES)
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False, separators=(",", ":")).translate(_ESCAPES)
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value)


def copy_line(row) -> str:
    """One row in COPY's text format."""
    return "\t".join(map(copy_value, row)) + "\n"


def staged(table: str, columns: str, rows: list[tuple], sql: str, params=(), *, fetch=False):
    """COPY ``rows`` into the temporary table ``table`` (``columns``: its column definitions),
    run ``sql`` (which reads the table, with ``params``), then empty the table; returns the
    rows ``sql`` fetched when ``fetch``. Call it inside a transaction.

    COPY sends the rows as one stream that PostgreSQL reads without parsing a statement: a
    re-match batch's ten thousand new matches (a kilobyte of explanation each) went in one
    multi-row INSERT per thousand, and parsing those megabytes of SQL cost more than
    inserting the rows. The table lives as long as the connection; it is created in the
    caller's transaction when missing and left empty, so a rollback leaves it empty too.
    """
    buffer = io.StringIO()
    buffer.writelines(map(copy_line, rows))
    buffer.seek(0)
    copy = f"COPY {table} FROM STDIN"
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE TEMPORARY TABLE IF NOT EXISTS {table} ({columns})")
        # Through the debug wrapper when queries are logged, so COPY counts like a query.
        if hasattr(cursor, "debug_sql"):
            with cursor.debug_sql(copy):
                cursor.cursor.copy_expert(copy, buffer)
        else:
            cursor.cursor.copy_expert(copy, buffer)
        cursor.execute(sql, params)
        out = cursor.fetchall() if fetch else []
        cursor.execute(f"DELETE FROM {table}")  # noqa: S608 - a constant name
    return out
