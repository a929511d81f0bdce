"""Two refreshes of the roll-ups at once (the beat job and a supervisor's button, or two
workers) on the real PostgreSQL: the tables end up with one set of rows, not two, and a reader
meanwhile sees the old figures without waiting."""

from __future__ import annotations

import threading
import time
from unittest import mock

from django.db import connection, connections

from clusters.models import Region
from clusters.services import reference_data_load
from portal.stats import figures
from portal.stats.models import AreaFigures, ClusterFigures, RegionFigures, RollupRun
from portal.stats.rollup import rollups_refresh
from tests.cast import build_cast, load_cast
from tests.dashboards.helpers import monthly_story


def _waiting_for_a_lock() -> bool:
    """Whether another session of this database waits for a lock."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid() "
            "AND wait_event_type = 'Lock'"
        )
        return cursor.fetchone()[0] > 0


def test_two_refreshes_at_once_leave_one_set_of_rows(requires_postgres, transactional_db):
    reference_data_load()
    monthly_story(load_cast(build_cast()), 3, refresh=False)
    rollups_refresh()
    counts = [m.objects.count() for m in (AreaFigures, RegionFigures, ClusterFigures)]
    assert all(counts)
    before = figures.totals(figures.area_rows())
    assert before["deals_confirmed"] == 3
    province = Region.objects.get(code="420000")
    assert figures.totals(figures.area_rows(region=province)) == before

    inside, release = threading.Event(), threading.Event()
    errors: list[BaseException] = []
    create = RollupRun.objects.create

    def create_pausing_first(**kwargs):
        # The first refresh has replaced the rows and waits before it commits.
        if threading.current_thread().name == "first":
            inside.set()
            release.wait(20)
        return create(**kwargs)

    def refresh() -> None:
        try:
            rollups_refresh()
        except BaseException as exc:  # reported by the test thread
            errors.append(exc)
        finally:
            connections.close_all()

    with mock.patch.object(RollupRun.objects, "create", create_pausing_first):
        first = threading.Thread(target=refresh, name="first")
        first.start()
        assert inside.wait(20)
        # A reader is not held up by the refresh, and sees the figures as they were.
        assert figures.totals(figures.area_rows()) == before
        second = threading.Thread(target=refresh, name="second")
        second.start()
        deadline = time.monotonic() + 20
        while not _waiting_for_a_lock() and time.monotonic() < deadline:
            time.sleep(0.05)
        assert _waiting_for_a_lock(), "the second refresh never reached the roll-up tables"
        release.set()
        first.join(20)
        second.join(20)

    assert errors == []
    assert [m.objects.count() for m in (AreaFigures, RegionFigures, ClusterFigures)] == counts
    assert figures.totals(figures.area_rows()) == before
    assert figures.totals(figures.area_rows(region=province)) == before
    assert RollupRun.objects.count() == 3
