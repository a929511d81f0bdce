"""The list's filters on kind, direction, industry, region and park as facet words
(sharing/search.py, migration 0010): on PostgreSQL they are words of ``facet_vector``, read
from the same GIN index as the search words; elsewhere the same filters on the columns. Both
must select exactly the listings the filters describe, and follow an approved edit."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from clusters.models import IndustryCode, Park, Region
from sharing import services
from sharing.models import Listing
from sharing.moderation import listing_transition
from sharing.search import facet_document
from tests.cast import cast, cast_ids  # noqa: F401  (fixtures)
from tests.sharing.helpers import Listings


def test_a_listing_is_described_by_its_kind_direction_codes_region_prefixes_and_park():
    words = facet_document(
        kind="capacity",
        direction="offer",
        industry_code="3421",
        industry_section="C",
        region_code="420106",
        park_id=7,
    ).split()
    assert words == [
        "kcapacity",
        "doffer",
        "ic",
        "i34",
        "i342",
        "i3421",
        "r42",
        "r4201",
        "r420106",
        "p7",
    ]
    # A division-level code and a prefecture without a park.
    assert facet_document(
        kind="order",
        direction="request",
        industry_code="36",
        industry_section="C",
        region_code="420600",
        park_id=None,
    ).split() == ["korder", "drequest", "ic", "i36", "r42", "r4206", "r420600"]


@pytest.fixture
def listings(cast) -> Listings:  # noqa: F811
    return Listings(cast)


@pytest.fixture
def spread(listings, settings):
    """Published listings of both kinds and directions, in three industries (two sections),
    in a county of Wuhan, in Wuhan's and Xiangyang's parks, and one with no park."""
    settings.LISTING_PAGE_CACHE_SECONDS = 0
    county = Region.objects.get(code="420106")
    return [
        listings.published("A"),  # capacity offer, 3421, side A's region and park
        listings.published("B", kind="order", direction="request"),  # 3670 by the helper
        listings.published("A", industry=IndustryCode.objects.get(code="3670"), park=None),
        listings.published("B", kind="order", direction="offer"),
        listings.published("A", region=county, park=None),
        listings.published("A", industry=IndustryCode.objects.get(code="1713")),
    ]


def _ids(client, params) -> set[int]:
    response = client.get("/api/v1/listings/", params)
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


def test_each_filter_selects_exactly_the_listings_it_describes(client, spread):
    rows = list(
        Listing.objects.filter(pk__in=[x.pk for x in spread]).select_related(
            "industry", "region", "park"
        )
    )

    def expect(keep) -> set[int]:
        return {r.pk for r in rows if keep(r)}

    park_a = spread[0].park
    cases = [
        ({"kind": "order"}, lambda r: r.kind == "order"),
        ({"direction": "offer"}, lambda r: r.direction == "offer"),
        (
            {"kind": "order", "direction": "offer"},
            lambda r: (r.kind, r.direction) == ("order", "offer"),
        ),
        ({"industry": "C"}, lambda r: r.industry.section == "C"),
        ({"industry": "34"}, lambda r: r.industry.code.startswith("34")),
        ({"industry": "367"}, lambda r: r.industry.code.startswith("367")),
        ({"industry": "3421"}, lambda r: r.industry.code == "3421"),
        ({"industry": "17"}, lambda r: r.industry.code.startswith("17")),
        ({"region": "420000"}, lambda r: r.region.code.startswith("42")),
        ({"region": "420100"}, lambda r: r.region.code.startswith("4201")),
        ({"region": "420106"}, lambda r: r.region.code == "420106"),
        ({"region": "420600"}, lambda r: r.region.code.startswith("4206")),
        ({"park": park_a.pk}, lambda r: r.park_id == park_a.pk),
        (
            {"kind": "capacity", "region": "420100", "industry": "34"},
            lambda r: (
                r.kind == "capacity"
                and r.region.code.startswith("4201")
                and r.industry.code.startswith("34")
            ),
        ),
        ({"q": "数控", "kind": "capacity"}, lambda r: r.kind == "capacity"),
    ]
    for params, keep in cases:
        wanted = expect(keep)
        assert wanted, params  # every case selects something, and (below) not everything
        assert _ids(client, params) == wanted, params
    assert expect(lambda r: r.kind == "order") != {r.pk for r in rows}
    # A park with none of these listings, and an industry with none: nothing.
    other_park = Park.objects.exclude(pk__in=[r.park_id for r in rows if r.park_id]).first()
    assert _ids(client, {"park": other_park.pk}) == set()
    assert _ids(client, {"industry": "01"}) == set()


def test_an_approved_edit_moves_the_listing_to_its_new_facets(client, cast, listings, settings):  # noqa: F811
    settings.LISTING_PAGE_CACHE_SECONDS = 0
    listing = listings.published("A")
    assert listing.pk in _ids(client, {"industry": "3421"})
    services.listing_update(
        actor=listings.member("A"), listing=listing, industry=IndustryCode.objects.get(code="3670")
    )
    # Waiting for review, the published content (and its facets) stays.
    assert listing.pk in _ids(client, {"industry": "3421"})
    assert listing.pk not in _ids(client, {"industry": "36"})
    listing.refresh_from_db()
    listing_transition(actor=listings.actor_for("approve", "A"), listing=listing, action="approve")
    assert listing.pk not in _ids(client, {"industry": "3421"})
    assert listing.pk in _ids(client, {"industry": "36"})
    listing.refresh_from_db()
    assert "i3670" in listing.facet_document.split()


def test_on_postgresql_the_filters_are_words_of_the_facet_vector(requires_postgres, client, spread):
    """One scan of the search index intersects them; no list of subtree ids is read, no join
    on the codes, no B-tree filter on the columns."""
    with CaptureQueriesContext(connection) as queries:
        found = _ids(
            client, {"kind": "capacity", "direction": "offer", "region": "420100", "industry": "34"}
        )
    assert found
    filtering = [q["sql"] for q in queries if 'AS "pk" FROM "sharing_listing"' in q["sql"]]
    assert len(filtering) == 2  # the page's ids and their capped count
    for sql in filtering:
        for word in ("kcapacity", "doffer", "r4201", "i34"):
            assert f"facet_vector @@ (to_tsquery('simple'::regconfig, '''{word}'''))" in sql
        for column in ("kind", "direction", "region_id", "industry_id"):
            assert f'"sharing_listing"."{column}"' not in sql
        assert '"clusters_region"' not in sql and '"clusters_industrycode"' not in sql
    # Neither the region's nor the industry's subtree is read first.
    assert not [q for q in queries if 'FROM "clusters_region"' in q["sql"] and "LIKE" in q["sql"]]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT facet_vector::text FROM sharing_listing WHERE id = %s", [spread[0].pk]
        )
        (vector,) = cursor.fetchone()
    assert "'kcapacity'" in vector and "'i3421'" in vector and "'r4201'" in vector
