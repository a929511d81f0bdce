"""The fixed cast (tests/cast.py) and the sharing fixtures (tests/sharing/conftest.py)."""

from tests.cast import cast, cast_ids  # noqa: F401  (fixtures)
from tests.sharing.conftest import listings  # noqa: F401  (fixture)
