"""The data generator: deterministic for a seed, consistent with the models' rules."""

from collections import Counter
from datetime import date

from django.db import connection

from bench.copy import HashSink, copy_line
from bench.generate import Generator, load
from enterprises.credit_code import is_valid_credit_code
from sharing.choices import Direction
from sharing.matching.scoring import Side, compatible
from sharing.search import stored_document
from sharing.services import TEXT_ATTRIBUTES

ANCHOR = date(2026, 6, 1)


def _side(listing) -> Side:
    return Side(
        id=listing.pk,
        enterprise_id=listing.enterprise_id,
        kind=listing.kind,
        direction=listing.direction,
        industry_code=listing.industry.code,
        available_from=listing.available_from,
        available_until=listing.available_until,
    )


def _digests(seed: int) -> dict[str, str]:
    sink = HashSink()
    with connection.cursor() as cursor:
        Generator(listings=300, seed=seed, anchor=ANCHOR).run(sink, cursor)
    return sink.digests()


def test_copy_lines_escape_what_copy_would_misread():
    line = copy_line([1, None, True, "a\tb\nc\\d", {"k": "值"}, date(2026, 1, 2)])
    assert line == '1\t\\N\tt\ta\\tb\\nc\\\\d\t{"k":"值"}\t2026-01-02\n'


def test_same_seed_same_rows_other_seed_other_rows(ref):
    first = _digests(seed=3)
    assert first == _digests(seed=3)
    other = _digests(seed=4)
    assert other["sharing_listing"] != first["sharing_listing"]
    assert set(first) >= {"sharing_listing", "enterprises_enterprise", "sharing_match"}


def test_a_small_load_keeps_the_models_rules(ref, requires_postgres):
    from enterprises.models import Enterprise
    from sharing.matching.engine import candidates_q
    from sharing.models import Deal, Inquiry, Listing, Match, ModerationDecision

    # bulk=False: indexes and foreign-key checks stay on, so PostgreSQL checks every row.
    # Anchored today: the planted pairs must be live for the matching's candidate filter.
    result = load(listings=400, seed=5, bulk=False)
    assert Listing.objects.count() == 400 == result.counts["sharing_listing"]
    assert Enterprise.objects.count() == result.counts["enterprises_enterprise"] >= 40
    assert all(
        is_valid_credit_code(c) for c in Enterprise.objects.values_list("credit_code", flat=True)
    )
    statuses = Counter(Listing.objects.values_list("status", flat=True))
    assert {"published", "expired", "pending", "rejected", "draft"} <= set(statuses)
    assert Listing.objects.exclude(status="draft").filter(first_submitted_at=None).count() == 0
    assert ModerationDecision.objects.count() >= statuses["published"]
    assert Match.objects.exists() and Inquiry.objects.exists()
    assert Deal.objects.filter(status="confirmed").exists()
    # A new listing gets the next id: the sequences were moved past the loaded rows.
    with connection.cursor() as cursor:
        cursor.execute("SELECT nextval(pg_get_serial_sequence('sharing_listing', 'id'))")
        assert cursor.fetchone()[0] == 401

    listing = Listing.objects.select_related("industry").filter(status="published").first()
    attributes = " ".join(
        v for k, v in listing.attributes.items() if isinstance(v, str) and k in TEXT_ATTRIBUTES
    )
    expected = stored_document(
        listing.title, listing.description, attributes, listing.industry.name
    )
    assert set(listing.search_document.split()) == set(expected.split())
    assert set(listing.title_document.split()) == set(stored_document(listing.title).split())
    assert listing.division == listing.industry.code[:2]

    # Planted pairs: published, live, compatible, and each side among the other's candidates.
    assert len(result.planted) == 20
    for pair in result.planted:
        offer = Listing.objects.get(pk=pair["offer"])
        request = Listing.objects.get(pk=pair["request"])
        assert (offer.direction, request.direction) == (Direction.OFFER, Direction.REQUEST)
        assert offer.status == request.status == "published"
        assert offer.kind == request.kind and offer.industry_id == request.industry_id
        assert offer.enterprise.park_id == request.enterprise.park_id is not None
        assert Listing.objects.filter(candidates_q(offer), pk=request.pk).exists()
        assert Listing.objects.filter(candidates_q(request), pk=offer.pk).exists()
        assert compatible(_side(offer), _side(request))
