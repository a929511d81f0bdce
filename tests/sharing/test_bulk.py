"""sharing.bulk on PostgreSQL: COPY through a temporary table keeps every value as it was
(text with tabs, new lines and backslashes, JSON, NULL, booleans, times), counts as a query,
and leaves the table empty, also when the transaction that used it rolls back."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from sharing.bulk import staged

TABLE = ("bulk_probe", "n int, words text, doc jsonb, flag bool, at timestamptz")
AWKWARD = 'tab\there, new\nline, carriage\rreturn, back\\slash, quote " and \\N, 数控机床'


def read_back(rows) -> list[tuple]:
    """The rows as PostgreSQL stored them (jsonb parsed: Django's cursor returns its text)."""
    back = staged(
        *TABLE, rows, "SELECT n, words, doc, flag, at FROM bulk_probe ORDER BY n", fetch=True
    )
    return [(n, w, None if d is None else json.loads(d), f, at) for n, w, d, f, at in back]


def test_copied_rows_come_back_exactly_as_written(requires_postgres):
    at = datetime(2026, 11, 27, 2, 30, 15, 123456, tzinfo=UTC)
    doc = {"shared": ["数控", 'a"b', "c\\d"], "km": 12.5, "none": None}
    rows = [
        (1, AWKWARD, json.dumps(doc), True, at),
        (2, None, None, False, None),
        (3, "", "{}", None, at),
    ]

    with transaction.atomic():
        back = read_back(rows)

    assert back == [
        (1, AWKWARD, doc, True, at),
        (2, None, None, False, None),
        (3, "", {}, None, at),
    ]


def test_the_copy_counts_as_a_query_and_the_table_is_left_empty(requires_postgres):
    with transaction.atomic(), CaptureQueriesContext(connection) as queries:
        read_back([(1, "x", "{}", True, None)])
        assert read_back([(2, "y", "{}", False, None)])[0][0] == 2  # not the first call's row

    assert [q["sql"].split()[0] for q in queries] == ["CREATE", "COPY", "SELECT", "DELETE"] * 2


def test_a_rolled_back_use_leaves_nothing_behind(requires_postgres):
    with pytest.raises(RuntimeError), transaction.atomic():
        read_back([(1, "x", "{}", True, None)])
        raise RuntimeError

    with transaction.atomic():
        assert read_back([(7, "z", "{}", True, None)]) == [(7, "z", {}, True, None)]
