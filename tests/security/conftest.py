"""The fixed cast (tests/cast.py) and what the security tests build on it."""

import pytest
from django.db import transaction

from tests.cast import cast, cast_ids, load_cast  # noqa: F401  (fixtures)
from tests.security.world import World, build_world, load_world


@pytest.fixture(scope="module")
def world_ids(cast_ids, django_db_blocker):  # noqa: F811
    """Built once per module on top of the cast; undone after the module."""
    with django_db_blocker.unblock(), transaction.atomic():
        ids = build_world(load_cast(cast_ids))
        yield ids
        transaction.set_rollback(True)


@pytest.fixture
def world(world_ids, cast) -> World:  # noqa: F811
    return load_world(world_ids)


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings):
    # Sign-up tests hash passwords; the real hasher's cost is not what they test.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
