"""Multi-row INSERT and UPDATE … FROM (VALUES …) on PostgreSQL, for the matching job's writes.

Django's ``bulk_create`` and ``bulk_update`` build a model instance per row and prepare every
value in Python; ``bulk_update`` also writes a ``CASE`` per column that grows with the batch.
For the tens of thousands of matches and notices a re-match batch writes, that was about
half the batch's time (benchmark, issue 7). Callers keep the ORM path for other databases.
"""

from __future__ import annotations

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
