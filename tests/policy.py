"""The real-parts policy: PostgreSQL, Redis and Chromium are real, never stand-ins.

Locally a test that needs a part which is not there is skipped with the reason; under CI
(``CI=true``) it fails instead, so a green CI run means every test really ran.
"""

from __future__ import annotations

import os

import pytest

CI = os.environ.get("CI", "").strip().lower() == "true"


def missing(reason: str) -> None:
    """A real part the test needs is not there: fail under CI, skip elsewhere."""
    if CI:
        pytest.fail(f"CI=true but {reason}", pytrace=False)
    pytest.skip(reason)
