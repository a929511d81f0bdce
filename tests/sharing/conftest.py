"""The fixed cast (tests/cast.py), and listings of its firms built through the services."""

import pytest

from clusters.models import Cluster
from enterprises.services import enterprise_update
from tests.cast import cast, cast_ids  # noqa: F401  (fixtures)
from tests.sharing.helpers import Listings


@pytest.fixture
def listings(cast) -> Listings:  # noqa: F811
    return Listings(cast)


@pytest.fixture
def wuhan_cluster(cast):  # noqa: F811
    """A cluster firm A belongs to."""
    cluster = Cluster.objects.filter(region__code__startswith="4201").order_by("pk").first()
    enterprise_update(actor=cast.admin_a, enterprise=cast.a.firm, clusters=[cluster])
    return cluster
