"""Multi-row writes on PostgreSQL for the matching job: COPY, straight or through a staging table.

Django's ``bulk_create`` and ``bulk_update`` build a model instance per row and prepare every
value in Python; ``bulk_update`` also writes a ``CASE`` per column that grows with the batch.
For the tens of thousands of matches and notices a re-match batch writes, that was about
half the batch's time (benchmark, issue 7). Callers keep the ORM path for other databases.
"""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from datetime import date, datetime

from django.db import connection

_ESCAPES = (("\\", "\\\\"), ("\t", "\\t"), ("\n", "\\n"), ("\r", "\\r"))


def _escaped(text: str) -> str:
    # The backslash first, as it escapes the others. Most texts have none of the four (or
    # only backslashes: JSON's escapes), and looking for each is faster than translating.
    for char, escape in _ESCAPES:
        if char in text:
            text = text.replace(char, escape)
    return text


def _boolean(value: bool) -> str:
    return "t" if value else "f"


# The usual types by their exact type, one lookup instead of the checks below: the matching
# job copies about 50,000 values a batch.
_BY_TYPE = {type(None): lambda _value: "\\N", bool: _boolean, str: _escaped, int: str, float: str}


def copy_value(value) -> str:
    """One value in COPY's text format (also the benchmark generator's, bench/copy.py)."""
    write = _BY_TYPE.get(type(value))
    if write is not None:
        return write(value)
    if value is None:
        return "\\N"
    if value is True:
        return "t"
    if value is False:
        return "f"
    if isinstance(value, str):
        return _escaped(value)
    if isinstance(value, dict | list):
        return _escaped(json.dumps(value, ensure_ascii=False, separators=(",", ":")))
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value)


def copy_line(row) -> str:
    """One row in COPY's text format."""
    return "\t".join(map(copy_value, row)) + "\n"


def staged(
    table: str,
    columns: str,
    rows: list[tuple],
    sql: str,
    params=(),
    *,
    fetch=False,
    line: Callable[[tuple], str] = copy_line,
):
    """COPY ``rows`` into the temporary table ``table`` (``columns``: its column definitions),
    run ``sql`` (which reads the table, with ``params``), then empty the table; returns the
    rows ``sql`` fetched when ``fetch``. Call it inside a transaction.

    COPY sends the rows as one stream that PostgreSQL reads without parsing a statement: a
    re-match batch's ten thousand new matches (a kilobyte of explanation each) went in one
    multi-row INSERT per thousand, and parsing those megabytes of SQL cost more than
    inserting the rows. The table lives as long as the connection; it is created in the
    caller's transaction when missing and left empty, so a rollback leaves it empty too.
    ``line`` writes a row in COPY's text format (a caller that knows its rows' types may
    write them faster than :func:`copy_line`).
    """
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE TEMPORARY TABLE IF NOT EXISTS {table} ({columns})")
        _copy(cursor, f"COPY {table} FROM STDIN", rows, line)
        cursor.execute(sql, params)
        out = cursor.fetchall() if fetch else []
        cursor.execute(f"DELETE FROM {table}")  # noqa: S608 - a constant name
    return out


def copy_into(table: str, columns: tuple[str, ...], rows: list[tuple]) -> None:
    """COPY ``rows`` straight into ``table``'s ``columns`` (plain inserts, nothing to skip):
    what an INSERT … VALUES per thousand rows does, without building and parsing the SQL."""
    with connection.cursor() as cursor:
        _copy(cursor, f"COPY {table} ({', '.join(columns)}) FROM STDIN", rows)


def _copy(cursor, copy: str, rows: list[tuple], line=copy_line) -> None:
    buffer = io.StringIO()
    buffer.writelines(map(line, rows))
    buffer.seek(0)
    # Through the debug wrapper when queries are logged, so COPY counts like a query.
    if hasattr(cursor, "debug_sql"):
        with cursor.debug_sql(copy):
            cursor.cursor.copy_expert(copy, buffer)
    else:
        cursor.cursor.copy_expert(copy, buffer)
