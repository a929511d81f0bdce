"""sharing.matching.scoring: each factor at its edges, the weighted sum, the hard rules and
what is stored with a match. Pure functions over plain data: no database here."""

from __future__ import annotations

import json
import math
from dataclasses import replace
from datetime import date
from decimal import Decimal

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from sharing.matching import scoring
from sharing.matching.scoring import (
    DISTANCE_SCALE_KM,
    FACTORS,
    WEIGHTS,
    Side,
    compatible,
    date_fit,
    distance,
    explanation,
    full_explanation,
    haversine_km,
    industry_closeness,
    price_fit,
    quantity_fit,
    same_place,
    score,
    text_similarity,
    trust,
)

# 武汉市 and 襄阳市 as the reference data places them.
WUHAN = (30.593175, 114.305469)
XIANGYANG = (32.009016, 112.122426)


def offer(**fields) -> Side:
    """Firm 1's idle machining capacity in Wuhan: the offer every test starts from."""
    base = {
        "id": 1,
        "enterprise_id": 10,
        "kind": "capacity",
        "direction": "offer",
        "industry_code": "3421",
        "latitude": WUHAN[0],
        "longitude": WUHAN[1],
        "park_id": 100,
        "cluster_ids": frozenset({7}),
        "quantity": Decimal("400"),
        "unit": "machine_hours_month",
        "price_min": Decimal("80"),
        "price_max": Decimal("120"),
        "available_from": date(2026, 1, 1),
        "available_until": date(2026, 12, 31),
        "words": frozenset({"数控", "机床", "加工", "产能"}),
        "verified": True,
        "certifications": frozenset({"iso9001"}),
    }
    base.update(fields)
    return Side(**base)


def request(**fields) -> Side:
    """Firm 2's request for machining hours, in the same park and cluster: a perfect fit."""
    base = {
        "id": 2,
        "enterprise_id": 20,
        "kind": "capacity",
        "direction": "request",
        "industry_code": "3421",
        "latitude": WUHAN[0],
        "longitude": WUHAN[1],
        "park_id": 100,
        "cluster_ids": frozenset({7}),
        "quantity": Decimal("300"),
        "unit": "machine_hours_month",
        "price_min": Decimal("50"),
        "price_max": Decimal("100"),
        "available_from": date(2026, 3, 1),
        "available_until": date(2026, 3, 31),
        "words": frozenset({"数控", "机床", "加工", "产能"}),
    }
    base.update(fields)
    return Side(**base)


# --- industry -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("offer_code", "request_code", "value", "level"),
    [
        ("3421", "3421", 1.0, "same_code"),
        ("3421", "3422", 0.75, "same_group"),  # both 342 金属加工机械制造
        ("3421", "3431", 0.45, "same_division"),  # 34 通用设备制造业, another group
        ("34", "3421", 0.45, "same_division"),  # a division code has no group to compare
        ("3421", "3670", 0.0, "different"),
    ],
)
def test_industry_closeness_by_code_group_and_division(offer_code, request_code, value, level):
    factor = industry_closeness(
        offer(industry_code=offer_code), request(industry_code=request_code)
    )

    assert factor.name == "industry"
    assert factor.value == value
    assert factor.detail == {"level": level}
    assert factor.weight == WEIGHTS["industry"]


# --- distance -------------------------------------------------------------------------------


def test_distance_at_zero_km_is_full_value():
    factor = distance(offer(), request())

    assert factor.value == 1.0
    assert factor.detail == {"km": 0.0}


def test_distance_halves_at_the_scale_distance():
    north = WUHAN[0] + math.degrees(DISTANCE_SCALE_KM / 6371.0)  # due north, exactly the scale

    factor = distance(offer(), request(latitude=north))

    assert factor.detail == {"km": DISTANCE_SCALE_KM}
    assert factor.value == 0.5


def test_distance_between_two_prefectures_falls_with_the_kilometres():
    km = haversine_km(*WUHAN, *XIANGYANG)

    factor = distance(offer(), request(latitude=XIANGYANG[0], longitude=XIANGYANG[1]))

    assert 250 < km < 300
    assert factor.detail == {"km": round(km, 1)}
    assert factor.value == round(1 / (1 + km / DISTANCE_SCALE_KM), 4)
    assert 0.15 < factor.value < 0.25


def test_distance_far_away_is_nearly_nothing_but_never_negative():
    factor = distance(offer(), request(latitude=-33.87, longitude=151.21))  # Sydney

    assert factor.detail["km"] > 8000
    assert 0 < factor.value < 0.01


@pytest.mark.parametrize("missing", ["latitude", "longitude"])
def test_distance_unknown_location_is_neutral(missing):
    factor = distance(offer(), request(**{missing: None}))

    assert factor.value == 0.5
    assert factor.detail == {"km": None}


# --- same park or cluster -------------------------------------------------------------------


def test_same_park_counts_most():
    factor = same_place(offer(), request())

    assert (factor.value, factor.detail) == (1.0, {"same": "park"})


def test_same_cluster_in_another_park_counts_less():
    factor = same_place(offer(), request(park_id=200))

    assert (factor.value, factor.detail) == (0.7, {"same": "cluster"})


def test_two_listings_outside_any_park_are_not_in_the_same_park():
    factor = same_place(offer(park_id=None), request(park_id=None, cluster_ids=frozenset()))

    assert (factor.value, factor.detail) == (0.0, {"same": None})


# --- quantity -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("offered", "wanted", "value", "covered"),
    [
        ("400", "300", 1.0, 1.0),  # more than enough is still just enough
        ("300", "300", 1.0, 1.0),
        ("150", "300", 0.5, 0.5),
        ("100", "300", 0.3333, 0.333),
        ("0", "300", 0.0, 0.0),
        ("50", "0", 1.0, 1.0),  # nothing wanted is always covered
    ],
)
def test_quantity_fit_is_the_share_of_the_request_covered(offered, wanted, value, covered):
    factor = quantity_fit(offer(quantity=Decimal(offered)), request(quantity=Decimal(wanted)))

    assert factor.value == value
    assert factor.detail == {"covered": covered}


@pytest.mark.parametrize(
    "fields",
    [{"quantity": None}, {"unit": "tonnes_month"}],
    ids=["no-quantity", "other-unit"],
)
def test_quantity_fit_without_comparable_quantities_is_neutral(fields):
    factor = quantity_fit(offer(), request(**fields))

    assert (factor.value, factor.detail) == (0.5, {"covered": None})


# --- dates ----------------------------------------------------------------------------------


def test_dates_offer_available_for_the_whole_request_period():
    factor = date_fit(offer(), request())

    assert (factor.value, factor.detail) == (1.0, {"overlap_days": 31})


def test_dates_half_of_the_request_period_covered():
    wanted = {"available_from": date(2026, 3, 1), "available_until": date(2026, 3, 10)}
    available = {"available_from": date(2026, 3, 6), "available_until": date(2026, 6, 30)}

    factor = date_fit(offer(**available), request(**wanted))

    assert (factor.value, factor.detail) == (0.5, {"overlap_days": 5})


def test_dates_without_overlap_score_nothing():
    factor = date_fit(
        offer(available_from=date(2026, 4, 1), available_until=date(2026, 4, 30)), request()
    )

    assert (factor.value, factor.detail) == (0.0, {"overlap_days": 0})


def test_dates_an_open_ended_offer_covers_any_period():
    factor = date_fit(offer(available_from=None, available_until=None), request())

    assert (factor.value, factor.detail) == (1.0, {"overlap_days": 31})


def test_dates_a_one_day_request_on_an_available_day():
    day = {"available_from": date(2026, 3, 9), "available_until": date(2026, 3, 9)}

    factor = date_fit(offer(), request(**day))

    assert (factor.value, factor.detail) == (1.0, {"overlap_days": 1})


@pytest.mark.parametrize("missing", ["available_from", "available_until"])
def test_dates_a_request_without_a_period_is_mostly_fine(missing):
    factor = date_fit(offer(), request(**{missing: None}))

    assert (factor.value, factor.detail) == (0.7, {"overlap_days": None})


# --- price ----------------------------------------------------------------------------------


@pytest.mark.parametrize("ask", ["80", "100"])
def test_price_within_budget(ask):
    factor = price_fit(offer(price_min=Decimal(ask)), request(price_max=Decimal("100")))

    assert (factor.value, factor.detail) == (1.0, {"within_budget": True})


def test_price_over_budget_loses_twice_the_share_it_exceeds():
    # Asking 125 against a budget of 100: 20 % of the asking price is over budget.
    factor = price_fit(offer(price_min=Decimal("125")), request(price_max=Decimal("100")))

    assert factor.value == 0.6
    assert factor.detail == {"within_budget": False, "over_by": 0.2}


def test_price_far_over_budget_scores_nothing():
    factor = price_fit(offer(price_min=Decimal("300")), request(price_max=Decimal("100")))

    assert factor.value == 0.0
    assert factor.detail == {"within_budget": False, "over_by": 0.667}


@pytest.mark.parametrize(
    ("offer_fields", "request_fields"),
    [({"price_min": None}, {}), ({}, {"price_max": None})],
    ids=["negotiable-offer", "no-budget"],
)
def test_price_negotiable_is_neutral(offer_fields, request_fields):
    factor = price_fit(offer(**offer_fields), request(**request_fields))

    assert (factor.value, factor.detail) == (0.6, {"within_budget": None})


# --- text -----------------------------------------------------------------------------------


def test_text_identical_words_score_full_and_are_listed_longest_first():
    words = frozenset({"铝合金", "数控", "加工", "机"})

    factor = text_similarity(offer(words=words), request(words=words))

    assert factor.value == 1.0
    assert factor.detail == {"shared": ["铝合金", "加工", "数控", "机"]}


def test_text_dice_coefficient_of_the_shared_words():
    offered = frozenset({"数控", "机床", "立式", "加工中心", "闲置", "机时"})
    wanted = frozenset({"数控", "外协", "订单", "座椅", "骨架", "焊接"})

    factor = text_similarity(offer(words=offered), request(words=wanted))

    # Dice = 2·1 / (6 + 6) = 1/6, scaled by 2.5 so a few shared words already count.
    assert factor.value == round(2.5 / 6, 4)
    assert factor.detail == {"shared": ["数控"]}


def test_text_no_shared_words_scores_nothing():
    factor = text_similarity(offer(), request(words=frozenset({"汽车", "座椅"})))

    assert (factor.value, factor.detail) == (0.0, {"shared": []})


def test_text_names_at_most_six_shared_words():
    words = frozenset(f"词{'长' * n}" for n in range(9))

    factor = text_similarity(offer(words=words), request(words=words))

    assert factor.detail["shared"] == sorted(words, key=len, reverse=True)[:6]


@pytest.mark.parametrize("side", ["offer", "request"])
def test_text_an_empty_description_scores_nothing(side):
    sides = {"offer": offer(), "request": request()}
    sides[side] = replace(sides[side], words=frozenset())

    factor = text_similarity(sides["offer"], sides["request"])

    assert (factor.value, factor.detail) == (0.0, {"shared": []})


# --- trust ----------------------------------------------------------------------------------


def test_trust_verified_firm_and_nothing_required():
    factor = trust(offer(), request())

    assert factor.value == 1.0
    assert factor.detail == {"verified": True, "missing_certifications": []}


def test_trust_unverified_firm_and_nothing_required():
    factor = trust(offer(verified=False), request())

    assert factor.value == 0.0
    assert factor.detail == {"verified": False, "missing_certifications": []}


def test_trust_names_the_missing_certifications():
    needed = frozenset({"iso9001", "iso14001", "iatf16949"})

    factor = trust(offer(), request(required_certifications=needed))

    # Verified (0.4) plus one of three required certifications held (0.6 · 1/3).
    assert factor.value == 0.6
    assert factor.detail == {
        "verified": True,
        "missing_certifications": ["iatf16949", "iso14001"],
    }


def test_trust_unverified_firm_holding_every_certification():
    factor = trust(offer(verified=False), request(required_certifications=frozenset({"iso9001"})))

    assert factor.value == 0.6
    assert factor.detail == {"verified": False, "missing_certifications": []}


def test_trust_unverified_firm_without_the_certifications():
    factor = trust(
        offer(verified=False, certifications=frozenset()),
        request(required_certifications=frozenset({"iso9001"})),
    )

    assert factor.value == 0.0
    assert factor.detail["missing_certifications"] == ["iso9001"]


# --- the score ------------------------------------------------------------------------------


def test_weights_add_up_to_one_and_each_factor_has_one():
    assert math.isclose(sum(WEIGHTS.values()), 1.0)
    names = [f(offer(), request()).name for f in FACTORS]
    assert sorted(names) == sorted(WEIGHTS)


def test_a_perfect_pair_scores_one():
    value, factors = score(offer(), request())

    assert value == 1.0
    assert all(f.value == 1.0 for f in factors)


def test_score_is_the_weighted_sum_of_the_contributions():
    far_cheaper_smaller = request(
        industry_code="3431",
        latitude=XIANGYANG[0],
        longitude=XIANGYANG[1],
        park_id=200,
        cluster_ids=frozenset(),
        quantity=Decimal("800"),
        price_max=Decimal("70"),
        words=frozenset({"数控", "起重机", "订单"}),
        required_certifications=frozenset({"iso14001"}),
    )

    value, factors = score(offer(), far_cheaper_smaller)

    by_name = {f.name: f for f in factors}
    assert by_name["industry"].value == 0.45
    assert by_name["cluster"].value == 0.0
    assert by_name["quantity"].value == 0.5
    assert by_name["trust"].value == 0.4
    for f in factors:
        assert f.contribution == f.value * WEIGHTS[f.name]
    assert value == round(sum(f.value * WEIGHTS[f.name] for f in factors), 4)
    assert 0 < value < 1


# --- the hard rules -------------------------------------------------------------------------


def test_compatible_offer_and_request():
    assert compatible(offer(), request())
    assert compatible(request(), offer())


@pytest.mark.parametrize(
    "fields",
    [
        {"kind": "order"},
        {"direction": "offer"},
        {"enterprise_id": 10},
        {"industry_code": "3670"},
        {"available_from": date(2027, 1, 1), "available_until": date(2027, 1, 31)},
        {"available_from": date(2025, 1, 1), "available_until": date(2025, 12, 31)},
    ],
    ids=[
        "other-kind",
        "same-direction",
        "same-enterprise",
        "other-division",
        "after-the-offer",
        "before-the-offer",
    ],
)
def test_incompatible_pairs(fields):
    other = request(**fields)

    assert not compatible(offer(), other)
    assert not compatible(other, offer())


@pytest.mark.parametrize(
    "fields",
    [
        {"industry_code": "3499"},  # another group of the same division still qualifies
        {"available_from": None, "available_until": None},
        {"available_from": date(2026, 12, 31), "available_until": None},  # touches the last day
        {"available_from": None, "available_until": date(2026, 1, 1)},  # touches the first day
    ],
    ids=["same-division", "open-ended", "starts-on-last-day", "ends-on-first-day"],
)
def test_compatible_edge_cases(fields):
    assert compatible(offer(), request(**fields))


# --- what is stored -------------------------------------------------------------------------


def test_explanation_stores_each_factor_value_and_detail_and_shows_weight_and_contribution():
    value, factors = score(offer(), request(price_max=Decimal("60")))

    stored = explanation(factors)
    shown = full_explanation(stored)

    assert set(stored) == set(shown) == set(WEIGHTS)
    for name, entry in stored.items():
        assert set(entry) == {"value", "detail"}  # the weights are the algorithm's, not stored
        assert set(shown[name]) == {"value", "weight", "contribution", "detail"}
        assert shown[name]["weight"] == WEIGHTS[name]
        assert shown[name]["contribution"] == round(entry["value"] * WEIGHTS[name], 4)
        assert (shown[name]["value"], shown[name]["detail"]) == (entry["value"], entry["detail"])
    assert stored["price"]["detail"] == {"within_budget": False, "over_by": 0.25}
    assert stored["text"]["detail"]["shared"] == ["产能", "加工", "数控", "机床"]
    assert math.isclose(sum(e["contribution"] for e in shown.values()), value, abs_tol=1e-3)


def test_full_explanation_keeps_the_weight_and_contribution_of_matches_stored_with_them():
    # Matches stored before the weights were left out carry their own: shown as stored.
    earlier = {
        "industry": {"value": 1.0, "weight": 0.3, "contribution": 0.3, "detail": {"level": "x"}},
        "price": {"value": 0.6, "detail": {"within_budget": None}},
    }

    shown = full_explanation(earlier)

    assert shown["industry"] == earlier["industry"]
    assert shown["price"] == {
        "value": 0.6,
        "weight": WEIGHTS["price"],
        "contribution": round(0.6 * WEIGHTS["price"], 4),
        "detail": {"within_budget": None},
    }
    assert full_explanation(None) == full_explanation({}) == {}


# --- any pair -------------------------------------------------------------------------------

codes = st.sampled_from(["3421", "3422", "3431", "34", "3670", "1311"])
amounts = st.none() | st.decimals(min_value=0, max_value=10**6, places=2)
days = st.none() | st.dates(min_value=date(2026, 1, 1), max_value=date(2026, 12, 31))
places = st.none() | st.tuples(
    st.floats(min_value=-80, max_value=80), st.floats(min_value=-179, max_value=179)
)
word_sets = st.frozensets(st.sampled_from(["数控", "机床", "加工", "订单", "焊接", "涂装"]))
certs = st.frozensets(st.sampled_from(["iso9001", "iso14001", "iatf16949"]))


@st.composite
def sides(draw, direction: str, id_: int) -> Side:
    start, end = sorted([draw(days) or date(2026, 1, 1), draw(days) or date(2026, 12, 31)])
    low, high = draw(amounts), draw(amounts)
    if low is not None and high is not None and low > high:
        low, high = high, low
    place = draw(places)
    return Side(
        id=id_,
        enterprise_id=id_,
        kind="capacity",
        direction=direction,
        industry_code=draw(codes),
        latitude=place[0] if place else None,
        longitude=place[1] if place else None,
        park_id=draw(st.none() | st.integers(1, 3)),
        cluster_ids=draw(st.frozensets(st.integers(1, 3))),
        quantity=draw(amounts),
        unit=draw(st.sampled_from(["machine_hours_month", "tonnes_month"])),
        price_min=low,
        price_max=high,
        available_from=start if draw(st.booleans()) else None,
        available_until=end if draw(st.booleans()) else None,
        words=draw(word_sets),
        verified=draw(st.booleans()),
        certifications=draw(certs),
        required_certifications=draw(certs),
    )


@given(sides("offer", 1), sides("request", 2))
def test_any_pair_scores_within_zero_and_one(o, r):
    value, factors = score(o, r)

    assert 0.0 <= value <= 1.0
    for f in factors:
        assert 0.0 <= f.value <= 1.0, f
    assert math.isclose(value, sum(f.contribution for f in factors), abs_tol=1e-4)
    assert compatible(o, r) == compatible(r, o)


def test_scoring_has_an_algorithm_version_for_the_sweeper():
    assert isinstance(scoring.ALGORITHM_VERSION, int) and scoring.ALGORITHM_VERSION >= 1
    assert 0 < scoring.MIN_SCORE < scoring.NOTIFY_SCORE < 1


@given(sides("offer", 1), sides("request", 2))
def test_score_value_is_exactly_the_score_without_its_factors(o, r):
    # The engine ranks candidates by score_value and stores score(): they must never differ.
    assert scoring.score_value(o, r) == score(o, r)[0]


@given(sides("offer", 1), sides("request", 2))
def test_explained_writes_exactly_the_score_and_the_stored_explanation(o, r):
    # The engine stores explained()'s text as Match.factors: the same as explanation(score()).
    value, factors = score(o, r)

    fast_value, text = scoring.explained(o, r)

    assert fast_value == value
    assert json.loads(text) == explanation(factors)


@given(st.lists(sides("offer", 1), min_size=1, max_size=6), st.lists(sides("request", 2)))
def test_score_many_is_exactly_score_value_for_each_pair(offers, requests):
    # The engine scores a listing's candidates all at once in numpy: the values it stores
    # must be score_value's to the last bit.
    offers = [replace(o, id=n) for n, o in enumerate(offers)]
    requests = [replace(r, id=100 + n) for n, r in enumerate(requests)]
    table = scoring.SideTable(offers + requests)
    pairs = [(o, r) for o in offers for r in requests]
    got = scoring.score_many(
        table,
        np.array([table.position[o.id] for o, _ in pairs], np.int64),
        np.array([table.position[r.id] for _, r in pairs], np.int64),
    )

    assert [float(v) for v in got] == [scoring.score_value(o, r) for o, r in pairs]


@given(st.integers(0, 10**4), st.integers(-3, 3))
def test_round4_is_pythons_round_also_next_to_a_half(k, ulps):
    # k + 0.5 ten-thousandths and its neighbours: where numpy's x * 10000 may round the
    # other way than the exact decimal value.
    x = (k + 0.5) / 10**4
    for _ in range(abs(ulps)):
        x = math.nextafter(x, math.inf if ulps > 0 else -math.inf)
    for v in (x, k / 10**4, x / 7):
        assert float(scoring._round4(np.array([v]))[0]) == round(v, 4)
