"""The fixed cast (tests/cast.py), a market of its listings, and Celery run in-process."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.cast import cast, cast_ids  # noqa: F401  (fixtures)
from tests.matching.helpers import Market


@pytest.fixture
def eager_tasks() -> Iterator[None]:
    """Tasks run in the test's process the moment they are sent, whether or not REDIS_URL
    points at a broker, so an in-process test does not depend on a worker. Restored after."""
    from portal.celery import app

    before = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = before


@pytest.fixture
def market(cast, eager_tasks, django_capture_on_commit_callbacks) -> Market:  # noqa: F811
    return Market(cast, django_capture_on_commit_callbacks)
