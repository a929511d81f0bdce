"""The fixed cast (tests/cast.py) plays the API's users for the fuzzer."""

from tests.cast import cast, cast_ids  # noqa: F401  (fixtures)
