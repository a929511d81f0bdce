"""docs/dashboards.md defines every figure the way the page does, in Chinese and English."""

from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation

from portal.stats.figures import DEFINITIONS

DOC = Path(settings.BASE_DIR) / "docs" / "dashboards.md"


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_docs_give_every_figure_with_the_pages_definition(language):
    text = DOC.read_text(encoding="utf-8")
    with translation.override(language):
        for name, (label, definition) in DEFINITIONS.items():
            assert f"`{name}`" in text
            assert f"| {label} | {definition} |" in text, (language, name)


def test_docs_state_the_refresh_schedule():
    text = DOC.read_text(encoding="utf-8")
    schedule = settings.CELERY_BEAT_SCHEDULE["refresh-rollups"]
    assert schedule["task"] == "portal.tasks.refresh_rollups_task"
    assert schedule["schedule"] == 15 * 60
    assert "every 15 minutes" in text
    assert "`refresh-rollups`" in text
