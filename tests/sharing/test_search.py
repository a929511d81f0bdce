"""Chinese full-text search and the one FilterSet shared by the listing page and the API.

The word functions are pure and tested without the database. The rest runs on SQLite (LIKE
over the padded word list) and on PostgreSQL (tsvector over a GIN index) alike; on
PostgreSQL the planner must be able to use the index.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from urllib.parse import urlencode

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.paginator import EmptyPage
from django.db import connection
from django.utils import timezone

from clusters.models import Cluster, IndustryCode, Region
from enterprises.services import certification_add, certification_remove, enterprise_update
from sharing.filters import ListingFilter
from sharing.models import Listing
from sharing.search import apply_search, document_words, query_words, stored_document
from sharing.selectors import listings_visible_to
from tests.sharing.helpers import days_from_today, order_fields

# --- The words (no database) -----------------------------------------------------------------


def words(*texts: str) -> set[str]:
    return set(document_words(*texts).split())


def test_a_document_holds_jiebas_words_and_every_chinese_bigram():
    stored = words("数控机床闲置产能出租")
    assert {"数控", "机床", "数控机床", "闲置产能", "出租"} <= stored
    assert {"控机", "床闲", "置产", "能出"} <= stored  # bigrams across jieba's cuts


def test_two_character_words_jieba_would_lose_are_kept():
    assert {"注塑", "模具"} <= words("注塑模具加工")
    assert {"机床"} <= words("二手数控机床转让")


def test_latin_words_and_model_numbers_stay_whole_and_lower_case():
    stored = words("CNC 加工中心 VMC850 对外加工")
    assert {"cnc", "vmc850", "加工中心", "加工", "中心"} <= stored
    assert "CNC" not in stored and "VMC850" not in stored


def test_punctuation_is_not_a_word():
    assert words("！，。、；：（）") == set()
    assert query_words("！！！") == []
    assert query_words("") == []


def test_stored_document_is_padded_so_a_word_matches_only_whole():
    assert stored_document("机床") == " 机床 "
    assert stored_document("", "") == ""


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("机床", ["机床"]),
        ("模具", ["模具"]),
        ("注塑", ["注塑"]),
        ("数控机床", ["数控", "控机", "机床"]),
        ("注塑模具", ["注塑", "塑模", "模具"]),
        ("数控车", ["数控", "控车"]),  # half-typed: not 数控 + a lone 车
        ("CNC 加工中心 VMC850", ["cnc", "加工", "工中", "中心", "vmc850"]),
        ("cnc", ["cnc"]),
        ("Vmc850", ["vmc850"]),
    ],
)
def test_query_words(query, expected):
    assert query_words(query) == expected


@pytest.mark.parametrize(
    ("query", "text"),
    [("数控车", "承接数控车床加工"), ("激光切", "激光切割机闲置"), ("热处理炉", "真空热处理炉")],
)
def test_a_half_typed_word_still_finds_the_text(query, text):
    assert set(query_words(query)) <= words(text)


@pytest.mark.parametrize(
    "text",
    ["数控机床闲置产能出租", "注塑模具加工", "五轴联动加工中心共享机时", "标准厂房出租"],
)
def test_any_substring_a_user_types_is_found_in_the_document(text):
    stored = words(text)
    for start in range(len(text)):
        for end in range(start + 2, len(text) + 1):
            assert set(query_words(text[start:end])) <= stored, text[start:end]


# --- Search in the database ------------------------------------------------------------------


def titles(client, **params) -> set[str]:
    response = client.get("/api/v1/listings/", params)
    assert response.status_code == 200, response.content
    return {item["title"] for item in response.json()["results"]}


def page_titles(client, **params) -> list[str]:
    """Titles in the order the HTML list shows them."""
    response = client.get("/listings/", params)
    assert response.status_code == 200
    listings = response.context["page"].object_list
    return [listing.title for listing in listings]


@pytest.fixture
def catalogue(listings):
    """Published public listings of both firms, about different things."""
    injection = IndustryCode.objects.get(code="2929")
    return {
        "machine": listings.published(
            title="数控机床闲置产能出租",
            description="三台数控车床，每月约 300 机时空闲。",
            attributes={"facility": "equipment", "machine_type": "CK6150"},
        ),
        "mould": listings.published(
            title="注塑模具加工",
            description="承接汽车内饰件的注塑模具设计与加工。",
            industry=injection,
            attributes={"facility": "equipment", "machine_type": "海天注塑机"},
        ),
        "cnc": listings.published(
            title="CNC 加工中心对外加工",
            description="设备型号 VMC850，行程 850mm，可加工铝合金壳体。",
            attributes={"facility": "equipment", "machine_type": "立式加工中心"},
        ),
        "cnc_other_model": listings.published(
            title="cnc 加工中心机时共享",
            description="设备型号 VMC1060。",
            attributes={"facility": "equipment", "machine_type": "立式加工中心"},
        ),
        "seats": listings.published(side="B", **order_fields()),
    }


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ("机床", {"machine", "cnc", "cnc_other_model"}),  # 3421 is 金属切削机床制造
        ("数控机床", {"machine"}),
        ("数控车", {"machine"}),
        ("模具", {"mould"}),
        ("注塑", {"mould"}),
        ("注塑模具", {"mould"}),
        ("CNC 加工中心 VMC850", {"cnc"}),
        ("VMC850", {"cnc"}),
        ("cnc", {"cnc", "cnc_other_model"}),
        ("CNC", {"cnc", "cnc_other_model"}),
        ("vMc850", {"cnc"}),
        ("座椅", {"seats"}),
        ("风力发电", set()),
    ],
)
def test_search_finds_the_words_and_nothing_unrelated(client, catalogue, query, found):
    expected = {catalogue[key].title for key in found}
    assert titles(client, q=query) == expected
    assert set(page_titles(client, q=query)) == expected
    assert {x.title for x in apply_search(Listing.objects.all(), query)} == expected


def test_search_sees_only_what_the_visitor_may_see(client, cast, listings, catalogue):
    listings.in_status("pending", title="数控机床待审核信息")
    listings.published(title="数控机床注册用户可见", visibility="registered")
    assert titles(client, q="数控机床") == {"数控机床闲置产能出租"}
    client.force_login(cast.member_b)
    assert titles(client, q="数控机床") == {"数控机床闲置产能出租", "数控机床注册用户可见"}


def test_postgresql_search_can_use_the_gin_index(requires_postgres, catalogue):
    # With a handful of rows a sequential scan is cheapest; forbid it (until the end of the
    # test's transaction) to see whether the index can serve the search at all.
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
    for query in ("机床", "CNC 加工中心 VMC850"):
        plan = apply_search(Listing.objects.all(), query).explain()
        assert "sharing_listing_search_gin" in plan, plan
        plan = ListingFilter({"q": query}, queryset=Listing.objects.all()).qs.explain()
        assert "sharing_listing_search_gin" in plan, plan


# --- Filters ---------------------------------------------------------------------------------


@pytest.fixture
def spread(cast, listings):
    """Listings that differ in one thing each, so each filter picks a known set."""
    hongshan = Region.objects.get(code="420111")
    return {
        "a_range": listings.published(
            title="甲 区间价",
            price_mode="range",
            price_min=Decimal("80"),
            price_max=Decimal("120"),
            available_from=days_from_today(10),
            available_until=days_from_today(40),
        ),
        "a_fixed": listings.published(
            title="乙 固定价",
            price_mode="fixed",
            price_min=Decimal("500"),
            available_from=days_from_today(60),
            available_until=days_from_today(90),
            region=hongshan,
        ),
        "b_order": listings.published(side="B", title="丙 订单", **_without_title(order_fields())),
    }


def _without_title(fields: dict) -> dict:
    return {k: v for k, v in fields.items() if k != "title"}


def named(spread, *keys) -> set[str]:
    return {spread[k].title for k in keys}


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"kind": "capacity"}, {"a_range", "a_fixed"}),
        ({"kind": "order"}, {"b_order"}),
        ({"direction": "offer"}, {"a_range", "a_fixed"}),
        ({"direction": "request"}, {"b_order"}),
        ({"industry": "3421"}, {"a_range", "a_fixed"}),
        ({"industry": "342"}, {"a_range", "a_fixed"}),  # the group and everything below
        ({"industry": "34"}, {"a_range", "a_fixed"}),
        ({"industry": "C"}, {"a_range", "a_fixed", "b_order"}),  # the whole section
        ({"industry": "3670"}, {"b_order"}),
        ({"industry": "3422"}, set()),
        ({"region": "420000"}, {"a_range", "a_fixed", "b_order"}),
        ({"region": "420100"}, {"a_range", "a_fixed"}),  # Wuhan and its districts
        ({"region": "420111"}, {"a_fixed"}),
        ({"region": "420600"}, {"b_order"}),
        ({"price_min": "100"}, {"a_range", "a_fixed"}),  # overlapping; 面议 has no price
        ({"price_max": "100"}, {"a_range"}),
        ({"price_min": "130", "price_max": "400"}, set()),
        ({"price_min": "110", "price_max": "600"}, {"a_range", "a_fixed"}),
    ],
    ids=lambda value: urlencode(value) if isinstance(value, dict) else None,
)
def test_filter(client, spread, params, expected):
    assert titles(client, **params) == named(spread, *expected)
    assert set(page_titles(client, **params)) == named(spread, *expected)


@pytest.mark.parametrize(
    ("offsets", "expected"),
    [
        ({"available_from": 50}, {"a_fixed", "b_order"}),  # b_order names no dates
        ({"available_until": 20}, {"a_range", "b_order"}),
        ({"available_from": 30, "available_until": 65}, {"a_range", "a_fixed", "b_order"}),
        ({"available_from": 41, "available_until": 59}, {"b_order"}),
    ],
)
def test_filter_by_overlapping_dates(client, spread, offsets, expected):
    params = {name: days_from_today(days).isoformat() for name, days in offsets.items()}
    assert titles(client, **params) == named(spread, *expected)


def test_filter_by_park(client, cast, spread):
    assert titles(client, park=cast.a.park.pk) == named(spread, "a_range", "a_fixed")
    assert titles(client, park=cast.b.park.pk) == named(spread, "b_order")


def test_filter_by_cluster(client, cast, spread):
    wuhan_cluster = Cluster.objects.filter(region__code__startswith="4201").first()
    enterprise_update(actor=cast.admin_a, enterprise=cast.a.firm, clusters=[wuhan_cluster])
    assert titles(client, cluster=wuhan_cluster.pk) == named(spread, "a_range", "a_fixed")
    other = Cluster.objects.exclude(pk=wuhan_cluster.pk).first()
    assert titles(client, cluster=other.pk) == set()


def test_filter_by_certification_counts_only_valid_ones(client, cast, spread):
    certification_add(
        actor=cast.admin_a,
        enterprise=cast.a.firm,
        kind="iso14001",
        number="ISO14001-A",
        valid_until=date(2030, 12, 31),
    )
    certification_add(
        actor=cast.admin_b,
        enterprise=cast.b.firm,
        kind="iso14001",
        number="ISO14001-B",
        valid_until=timezone.localdate() - timedelta(days=1),  # lapsed yesterday
    )
    assert titles(client, certification="iso14001") == named(spread, "a_range", "a_fixed")
    assert titles(client, certification="iso9001") == named(spread, "a_range", "a_fixed", "b_order")
    assert titles(client, certification="iatf16949") == set()


def facets(listing) -> list[str]:
    listing.refresh_from_db()
    return listing.facet_document.split()


def test_a_removed_certification_leaves_the_facets_and_the_filter(client, cast, spread):
    a = cast.a.firm
    assert "ciso9001" in facets(spread["a_range"]) and "ciso9001" in facets(spread["b_order"])
    certification_remove(actor=cast.admin_a, certification=a.certifications.get(kind="iso9001"))
    assert "ciso9001" not in facets(spread["a_range"]) and "ciso9001" in facets(spread["b_order"])
    assert titles(client, certification="iso9001") == named(spread, "b_order")


def test_the_certification_filter_asks_the_facet_and_a_valid_certification(cast, spread):
    sql = str(
        ListingFilter(
            {"certification": "iso9001"}, queryset=listings_visible_to(cast.admin_a)
        ).qs.query
    )
    if connection.vendor == "postgresql":
        assert "facet_vector" in sql and "'ciso9001'" in sql
    assert "EXISTS" in sql and "valid_until" in sql


def test_a_certification_added_in_the_admin_makes_the_listings_found_by_it(client, cast, spread):
    from django.contrib.auth import get_user_model

    staff = get_user_model().objects.create_superuser(email="root@example.com", password="x" * 12)
    client.force_login(staff)
    url = f"/admin/enterprises/enterprise/{cast.b.firm.pk}/change/"
    data = _admin_form_data(client.get(url))
    total = int(data["certifications-TOTAL_FORMS"])
    data["certifications-TOTAL_FORMS"] = str(total + 1)
    new = f"certifications-{total}-"
    data.update(
        {
            f"{new}enterprise": str(cast.b.firm.pk),
            f"{new}kind": "iatf16949",
            f"{new}number": "IATF-B-1",
            f"{new}valid_until": "2031-06-30",
        }
    )
    response = client.post(url, data)
    assert response.status_code == 302, (
        response.context["adminform"].form.errors,
        [fs.formset.errors for fs in response.context["inline_admin_formsets"]],
    )
    assert "ciatf16949" in facets(spread["b_order"])
    client.logout()
    assert titles(client, certification="iatf16949") == named(spread, "b_order")


def _admin_form_data(response) -> dict:
    """The admin change page's form and inline formsets as they stand, as POST data."""
    from django.forms import MultiWidget

    forms = [response.context["adminform"].form]
    for inline in response.context["inline_admin_formsets"]:
        forms += [inline.formset.management_form, *inline.formset.forms]
    data = {}
    for form in forms:
        for name in form.fields:
            value = form[name].value()
            if value is None or value is False:
                continue
            key = form.add_prefix(name)
            widget = form.fields[name].widget
            if isinstance(widget, MultiWidget):  # the admin's date and time of a datetime
                for n, part in enumerate(widget.decompress(value)):
                    data[f"{key}_{n}"] = str(part)
            elif value is True:
                data[key] = "on"
            elif isinstance(value, list | tuple):
                data[key] = [str(v) for v in value]
            else:
                data[key] = str(value)
    return data


class _Editor:
    """What the migration's function uses of a schema editor (SQLite cannot open a real one
    inside the test's transaction): the connection, and running SQL on it."""

    connection = connection

    def execute(self, sql: str) -> None:
        with connection.cursor() as cursor:
            cursor.execute(sql)


def test_the_migration_writes_the_facets_the_service_writes(cast, spread):
    """Migration sharing/0013 gives listings indexed before it the words a listing indexed
    now has, and writes the same when run again."""
    import importlib

    from django.apps import apps

    migration = importlib.import_module("sharing.migrations.0013_certification_facets")
    expected = {k: facets(x) for k, x in spread.items()}
    assert any(w.startswith("c") for words in expected.values() for w in words)
    for listing in spread.values():  # as written before the certifications were facets
        words = [w for w in facets(listing) if not w.startswith("c")]
        Listing.objects.filter(pk=listing.pk).update(facet_document=" ".join(words))
    for _ in range(2):
        migration.forwards(apps, _Editor())
        assert {k: facets(x) for k, x in spread.items()} == expected


# --- Sort and pagination --------------------------------------------------------------------


@pytest.fixture
def dated(listings):
    """Three listings published on known days and expiring on known days."""
    made = {}
    for title, published_days_ago, expires_in in [
        ("数控机床 最早发布", 30, 20),
        ("数控机床 最新发布", 1, 150),
        ("数控机床 居中发布", 10, 5),
    ]:
        listing = listings.published(title=title, expires_on=days_from_today(expires_in))
        # The services stamp "now" on publication; move it back to the day wanted.
        Listing.objects.filter(pk=listing.pk).update(
            published_at=timezone.now() - timedelta(days=published_days_ago)
        )
        made[title] = listing
    return made


def test_sort_newest_first_by_default_and_on_request(client, dated):
    newest = ["数控机床 最新发布", "数控机床 居中发布", "数控机床 最早发布"]
    assert page_titles(client) == newest
    assert page_titles(client, sort="newest") == newest
    response = client.get("/api/v1/listings/", {"sort": "newest"})
    assert [item["title"] for item in response.json()["results"]] == newest


def test_sort_expiring_soon(client, dated):
    expiring = ["数控机床 居中发布", "数控机床 最早发布", "数控机床 最新发布"]
    assert page_titles(client, sort="expiring") == expiring
    response = client.get("/api/v1/listings/", {"sort": "expiring"})
    assert [item["title"] for item in response.json()["results"]] == expiring


def test_sort_by_relevance(client, catalogue):
    qs = ListingFilter(
        {"q": "加工中心", "sort": "relevance"}, queryset=listings_visible_to(AnonymousUser())
    ).qs
    found = list(qs)
    assert {x.title for x in found} == {catalogue["cnc"].title, catalogue["cnc_other_model"].title}
    assert page_titles(client, q="加工中心", sort="relevance") == [x.title for x in found]


@pytest.fixture
def relevance(listings):
    """Listings of 五轴 published on known days: some say it in the title, some only in the
    description; one says only 五金 (one of the words)."""
    made = {}
    for key, title, description, days_ago in [
        ("title_old", "五轴加工中心闲置", "对外加工", 40),
        ("body_new", "精密零件加工", "设备：五轴加工中心两台", 1),
        ("title_new", "五轴机时共享", "可开票", 3),
        ("body_old", "机加工产能", "另有五轴设备", 20),
        ("other", "五金冲压", "冲压加工", 2),
    ]:
        listing = listings.published(title=title, description=description)
        Listing.objects.filter(pk=listing.pk).update(
            published_at=timezone.now() - timedelta(days=days_ago)
        )
        made[key] = listing.title
    return made


def test_relevance_puts_title_matches_first_then_newest(client, relevance):
    expected = [relevance[k] for k in ("title_new", "title_old", "body_new", "body_old")]
    # Relevance is the default order of a search.
    assert page_titles(client, q="五轴") == expected
    assert page_titles(client, q="五轴", sort="relevance") == expected
    api = client.get("/api/v1/listings/", {"q": "五轴"}).json()
    assert [item["title"] for item in api["results"]] == expected
    # Newest first when asked, whatever the title says.
    newest = [relevance[k] for k in ("body_new", "title_new", "body_old", "title_old")]
    assert page_titles(client, q="五轴", sort="newest") == newest


def test_relevance_needs_every_word_in_the_title(client, relevance):
    # Only title_old's title says both 五轴 and 加工; body_new and body_old say 加工 in the
    # title and 五轴 in the description; title_new never says 加工.
    expected = [relevance[k] for k in ("title_old", "body_new", "body_old")]
    assert page_titles(client, q="五轴 加工") == expected


@pytest.mark.parametrize("per_page", [1, 2, 3, 5])
def test_relevance_pages_cross_from_title_matches_to_the_rest(relevance, per_page):
    from sharing.pagination import RankedPaginator

    expected = [relevance[k] for k in ("title_new", "title_old", "body_new", "body_old")]
    qs = ListingFilter({"q": "五轴"}, queryset=listings_visible_to(AnonymousUser())).qs
    assert [x.title for x in qs] == expected  # the one-query order the pages must follow
    paginator = RankedPaginator(qs, per_page)
    pages, number = [], 1
    while True:
        page = paginator.page(number)
        pages += [x.title for x in page.object_list]
        if not page.has_next():
            break
        number += 1
    assert pages == expected
    assert number == -(-len(expected) // per_page)


def test_a_listing_published_between_the_count_and_the_page_gives_a_next_page(client, listings):
    # The count and the page's ids are two queries: a listing published between them makes
    # the last counted page have a next one. Its link must lead there, not fail.
    from sharing.pagination import RankedPaginator

    for n in range(3):
        listings.published(title=f"数控机床闲置产能{n}")
    qs = ListingFilter({"q": "机床"}, queryset=listings_visible_to(AnonymousUser())).qs
    paginator = RankedPaginator(qs, 3)
    assert (paginator.count, paginator.num_pages) == (3, 1)  # counted, then ...
    listings.published(title="数控机床闲置产能3")  # ... one more is published

    page = paginator.page(1)

    assert [x.title for x in page.object_list] == [f"数控机床闲置产能{n}" for n in (3, 2, 1)]
    assert page.has_next() and page.next_page_number() == 2
    after = client.get("/api/v1/listings/", {"q": "机床", "page_size": 3, "page": 2}).json()
    assert [r["title"] for r in after["results"]] == ["数控机床闲置产能0"]
    last = RankedPaginator(qs, 3).page(2)
    assert not last.has_next()
    with pytest.raises(EmptyPage):
        last.next_page_number()


def test_pagination_keeps_the_filters_in_its_links(client, listings):
    for n in range(21):
        listings.published(title=f"数控机床闲置产能{n:02d}")
    listings.published(side="B", **order_fields())
    filters = {"q": "机床", "kind": "capacity", "sort": "newest"}

    first = client.get("/listings/", filters)

    html = first.content.decode()
    assert len(first.context["page"].object_list) == 20
    link = urlencode(filters).replace("&", "&amp;")
    assert f'href="?{link}&amp;page=2"' in html
    second = client.get("/listings/", {**filters, "page": 2})
    assert len(second.context["page"].object_list) == 1
    assert f'href="?{link}&amp;page=1"' in second.content.decode()

    api = client.get("/api/v1/listings/", filters).json()
    assert api["count"] == 21
    assert "q=" in api["next"] and "kind=capacity" in api["next"] and "page=2" in api["next"]


# --- Bad filter values --------------------------------------------------------------------

BAD_FILTERS = [
    ("kind", "bogus"),
    ("direction", "sideways"),
    ("industry", "9999"),
    ("region", "999999"),
    ("park", "abc"),
    ("cluster", "999999"),
    ("price_min", "abc"),
    ("price_max", "-5"),
    ("available_from", "2026-13-45"),
    ("available_until", "tomorrow"),
    ("certification", "iso0000"),
    ("sort", "random"),
    ("status", "nonsense"),
]


@pytest.mark.parametrize(("name", "value"), BAD_FILTERS, ids=[n for n, _ in BAD_FILTERS])
def test_a_bad_filter_value_is_a_400_naming_the_parameter(client, cast, name, value):
    response = client.get("/api/v1/listings/", {name: value})
    assert response.status_code == 400
    errors = response.json()
    assert list(errors) == [name]
    assert errors[name] and all(isinstance(message, str) for message in errors[name])


@pytest.mark.parametrize(("name", "value"), BAD_FILTERS, ids=[n for n, _ in BAD_FILTERS])
def test_a_bad_filter_value_is_an_error_message_on_the_page(client, listings, name, value):
    listings.published()
    response = client.get("/listings/", {name: value})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'class="alert alert-danger"' in html
    assert f"<div>{name}：" in html
    assert len(response.context["page"].object_list) == 0
