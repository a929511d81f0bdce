"""The fixed cast (tests/cast.py) for the operations tests."""

from tests.cast import cast, cast_ids  # noqa: F401  (fixtures)
