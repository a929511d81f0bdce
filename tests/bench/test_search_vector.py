"""The stored search vectors that the listing search reads on PostgreSQL: the words of the
whole listing (migration 0006) and of its title (0009)."""

import pytest
from django.db import connection

from sharing.models import Listing
from sharing.search import apply_search
from tests.cast import cast, cast_ids  # noqa: F401  (fixtures)
from tests.sharing.helpers import Listings


@pytest.fixture
def listings(cast) -> Listings:  # noqa: F811
    return Listings(cast)


def test_search_reads_the_stored_vector_also_inside_a_subquery(requires_postgres, listings):
    hit = listings.published(title="五轴联动叶轮加工", description="叶轮叶片精密加工。")
    listings.published(title="针织服装代工", description="淡季有闲置缝制产能。")
    searched = apply_search(Listing.objects.all(), "叶轮")
    assert "search_vector" in str(searched.query)
    assert list(searched.values_list("pk", flat=True)) == [hit.pk]
    assert searched[0].title_hit is True
    # As a subquery the listing table has another alias: the vector must follow it.
    assert list(Listing.objects.filter(pk__in=searched.values("pk"))) == [hit]


def test_the_stored_vector_follows_edits(requires_postgres, listings):
    listing = listings.published(title="闲置注塑机")
    Listing.objects.filter(pk=listing.pk).update(
        title_document=" 反应釜 ", search_document=" 反应釜 说明 "
    )
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT search_vector::text, title_vector::text FROM sharing_listing WHERE id = %s",
            [listing.pk],
        )
        assert cursor.fetchone() == ("'反应釜':1 '说明':2", "'反应釜':1")
