"""Scoring an offer against a request: pure functions over plain data, no ORM.

Each factor returns a value in [0, 1] and a short machine-readable detail; the score is the
weighted sum. Every factor's value and detail are stored with the match, and its weight and
contribution are added when the match is shown (:func:`full_explanation`), so the user sees
why it was proposed. Change the weights or a factor's logic → bump ALGORITHM_VERSION, and the
sweeper re-matches every open listing.
"""

from __future__ import annotations

import itertools
import json
import math
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import lru_cache

import numpy as np

ALGORITHM_VERSION = 1

WEIGHTS: dict[str, float] = {
    "industry": 0.25,
    "distance": 0.15,
    "cluster": 0.10,
    "quantity": 0.10,
    "dates": 0.10,
    "price": 0.10,
    "text": 0.12,
    "trust": 0.08,
}
# Matches below this score are not stored; above NOTIFY_SCORE both sides are told.
MIN_SCORE = 0.35
NOTIFY_SCORE = 0.6
DISTANCE_SCALE_KM = 60.0


@dataclass(frozen=True)
class Side:
    """What scoring needs to know about one listing."""

    id: int
    enterprise_id: int
    kind: str
    direction: str
    industry_code: str
    latitude: float | None = None
    longitude: float | None = None
    park_id: int | None = None
    cluster_ids: frozenset[int] = field(default_factory=frozenset)
    quantity: Decimal | None = None
    unit: str = ""
    price_min: Decimal | None = None
    price_max: Decimal | None = None
    available_from: date | None = None
    available_until: date | None = None
    words: frozenset[str] = field(default_factory=frozenset)
    verified: bool = False
    certifications: frozenset[str] = field(default_factory=frozenset)
    required_certifications: frozenset[str] = field(default_factory=frozenset)


@dataclass(frozen=True)
class Factor:
    name: str
    value: float
    weight: float
    detail: dict

    @property
    def contribution(self) -> float:
        return self.value * self.weight


def industry_closeness(offer: Side, request: Side) -> Factor:
    value, level = _industry(offer.industry_code, request.industry_code)
    return Factor("industry", value, WEIGHTS["industry"], {"level": level})


def _industry(a: str, b: str) -> tuple[float, str]:
    """How close two industry codes are: the value and its level."""
    if a == b:
        return 1.0, "same_code"
    if len(a) >= 3 and len(b) >= 3 and a[:3] == b[:3]:
        return 0.75, "same_group"
    if a[:2] == b[:2]:
        return 0.45, "same_division"
    return 0.0, "different"


@lru_cache(maxsize=1 << 16)
def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Kilometres between two points; cached, as listings share a few thousand places (their
    park's or their region's) and a re-match batch scores tens of thousands of pairs."""
    r = 6371.0
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * r * math.asin(math.sqrt(h))


def distance(offer: Side, request: Side) -> Factor:
    if None in (offer.latitude, offer.longitude, request.latitude, request.longitude):
        return Factor("distance", 0.5, WEIGHTS["distance"], {"km": None})
    km = haversine_km(offer.latitude, offer.longitude, request.latitude, request.longitude)
    value = 1.0 / (1.0 + km / DISTANCE_SCALE_KM)
    return Factor("distance", round(value, 4), WEIGHTS["distance"], {"km": round(km, 1)})


def same_place(offer: Side, request: Side) -> Factor:
    if offer.park_id is not None and offer.park_id == request.park_id:
        return Factor("cluster", 1.0, WEIGHTS["cluster"], {"same": "park"})
    if offer.cluster_ids & request.cluster_ids:
        return Factor("cluster", 0.7, WEIGHTS["cluster"], {"same": "cluster"})
    return Factor("cluster", 0.0, WEIGHTS["cluster"], {"same": None})


def quantity_fit(offer: Side, request: Side) -> Factor:
    """How much of the request the offer covers (1 when it covers all of it)."""
    if offer.quantity is None or request.quantity is None or offer.unit != request.unit:
        return Factor("quantity", 0.5, WEIGHTS["quantity"], {"covered": None})
    if request.quantity <= 0:
        return Factor("quantity", 1.0, WEIGHTS["quantity"], {"covered": 1.0})
    covered = min(float(offer.quantity) / float(request.quantity), 1.0)
    return Factor(
        "quantity", round(covered, 4), WEIGHTS["quantity"], {"covered": round(covered, 3)}
    )


def date_fit(offer: Side, request: Side) -> Factor:
    """The share of the request's period during which the offer is available."""
    if request.available_from is None or request.available_until is None:
        return Factor("dates", 0.7, WEIGHTS["dates"], {"overlap_days": None})
    start = max(request.available_from, offer.available_from or request.available_from)
    end = min(request.available_until, offer.available_until or request.available_until)
    wanted = (request.available_until - request.available_from).days + 1
    overlap = max(0, (end - start).days + 1)
    value = overlap / wanted if wanted > 0 else 0.0
    return Factor("dates", round(value, 4), WEIGHTS["dates"], {"overlap_days": overlap})


def price_fit(offer: Side, request: Side) -> Factor:
    """1 when the offer's asking price is within the request's budget, less as it exceeds it."""
    ask = offer.price_min
    budget = request.price_max
    if ask is None or budget is None:
        return Factor("price", 0.6, WEIGHTS["price"], {"within_budget": None})
    if ask <= budget:
        return Factor("price", 1.0, WEIGHTS["price"], {"within_budget": True})
    over = float((ask - budget) / ask) if ask else 1.0
    return Factor(
        "price",
        round(max(0.0, 1.0 - 2 * over), 4),
        WEIGHTS["price"],
        {"within_budget": False, "over_by": round(over, 3)},
    )


def text_similarity(offer: Side, request: Side) -> Factor:
    """Overlap of the segmented words (Dice coefficient), with the shared words named."""
    if not offer.words or not request.words:
        return Factor("text", 0.0, WEIGHTS["text"], {"shared": []})
    shared = offer.words & request.words
    value = 2 * len(shared) / (len(offer.words) + len(request.words))
    top = sorted(shared, key=lambda w: (-len(w), w))[:6]
    return Factor("text", round(min(1.0, value * 2.5), 4), WEIGHTS["text"], {"shared": top})


def trust(offer: Side, request: Side) -> Factor:
    """The offering firm is verified and holds the certifications the request asks for."""
    verified = 1.0 if offer.verified else 0.0
    needed = request.required_certifications
    if needed:
        held = len(needed & offer.certifications) / len(needed)
        value = 0.4 * verified + 0.6 * held
        missing = sorted(needed - offer.certifications)
    else:
        value = verified
        missing = []
    return Factor(
        "trust",
        round(value, 4),
        WEIGHTS["trust"],
        {"verified": offer.verified, "missing_certifications": missing},
    )


FACTORS = (
    industry_closeness,
    distance,
    same_place,
    quantity_fit,
    date_fit,
    price_fit,
    text_similarity,
    trust,
)


def score(offer: Side, request: Side) -> tuple[float, list[Factor]]:
    """The match score in [0, 1] and the factors that make it up."""
    factors = [f(offer, request) for f in FACTORS]
    return round(sum(f.contribution for f in factors), 4), factors


_W = WEIGHTS


def _weighted(industry, near, place, quantity, dates, price, text, trusted) -> tuple:
    """Each factor's value times its weight, in the order the score sums them (floats, or
    numpy arrays of a listing's candidates for :func:`score_many`)."""
    return (
        industry * _W["industry"],
        near * _W["distance"],
        place * _W["cluster"],
        quantity * _W["quantity"],
        dates * _W["dates"],
        price * _W["price"],
        text * _W["text"],
        trusted * _W["trust"],
    )


def score_value(offer: Side, request: Side) -> float:
    """:func:`score`'s value alone, without the factors: the same arithmetic (each factor
    rounded as :func:`score` rounds it, then summed in the same order), about three times
    faster, for deciding which pairs to store before their explanation is built."""
    # industry
    a, b = offer.industry_code, request.industry_code
    if a == b:
        industry = 1.0
    elif len(a) >= 3 and len(b) >= 3 and a[:3] == b[:3]:
        industry = 0.75
    elif a[:2] == b[:2]:
        industry = 0.45
    else:
        industry = 0.0
    # distance
    if (
        offer.latitude is None
        or offer.longitude is None
        or request.latitude is None
        or request.longitude is None
    ):
        near = 0.5
    else:
        km = haversine_km(offer.latitude, offer.longitude, request.latitude, request.longitude)
        near = round(1.0 / (1.0 + km / DISTANCE_SCALE_KM), 4)
    # same place
    if offer.park_id is not None and offer.park_id == request.park_id:
        place = 1.0
    elif offer.cluster_ids & request.cluster_ids:
        place = 0.7
    else:
        place = 0.0
    # quantity
    if offer.quantity is None or request.quantity is None or offer.unit != request.unit:
        quantity = 0.5
    elif request.quantity <= 0:
        quantity = 1.0
    else:
        quantity = round(min(float(offer.quantity) / float(request.quantity), 1.0), 4)
    # dates
    if request.available_from is None or request.available_until is None:
        dates = 0.7
    else:
        start = max(request.available_from, offer.available_from or request.available_from)
        end = min(request.available_until, offer.available_until or request.available_until)
        wanted = (request.available_until - request.available_from).days + 1
        overlap = max(0, (end - start).days + 1)
        dates = round(overlap / wanted if wanted > 0 else 0.0, 4)
    # price
    ask, budget = offer.price_min, request.price_max
    if ask is None or budget is None:
        price = 0.6
    elif ask <= budget:
        price = 1.0
    else:
        over = float((ask - budget) / ask) if ask else 1.0
        price = round(max(0.0, 1.0 - 2 * over), 4)
    # text
    if not offer.words or not request.words:
        text = 0.0
    else:
        shared = len(offer.words & request.words)
        value = 2 * shared / (len(offer.words) + len(request.words))
        text = round(min(1.0, value * 2.5), 4)
    # trust
    verified = 1.0 if offer.verified else 0.0
    needed = request.required_certifications
    if needed:
        trusted = round(
            0.4 * verified + 0.6 * (len(needed & offer.certifications) / len(needed)), 4
        )
    else:
        trusted = round(verified, 4)
    return round(sum(_weighted(industry, near, place, quantity, dates, price, text, trusted)), 4)


def compatible(a: Side, b: Side) -> bool:
    """The hard rules candidate generation applies in SQL, restated for pure use."""
    return (
        a.kind == b.kind
        and a.direction != b.direction
        and a.enterprise_id != b.enterprise_id
        and a.industry_code[:2] == b.industry_code[:2]
        and (
            a.available_until is None
            or b.available_from is None
            or a.available_until >= b.available_from
        )
        and (
            b.available_until is None
            or a.available_from is None
            or b.available_until >= a.available_from
        )
    )


def explanation(factors: list[Factor]) -> dict:
    """What is stored with a match: each factor's value and detail. Its weight is the
    algorithm version's, and its contribution the value times the weight: both are added
    on display (:func:`full_explanation`), not stored. They were two fifths of each match's
    JSON, and a re-match batch writes about twenty thousand: without them, the same batches
    at 1M listings went 567 → 680 and 645 → 765 listings/s (rolled back, alternating;
    benchmark, issue 7)."""
    return {f.name: {"value": f.value, "detail": f.detail} for f in factors}


def full_explanation(stored: dict | None) -> dict:
    """A match's stored factors as shown (the page's "why" table, the API's ``factors``):
    each with its value, weight, contribution and detail. Matches stored before weights were
    left out carry their own weight and contribution, which are kept."""
    out = {}
    for name, entry in (stored or {}).items():
        if not isinstance(entry, dict):
            continue
        value = entry.get("value") or 0.0
        weight = entry.get("weight", WEIGHTS.get(name, 0.0))
        out[name] = {
            "value": value,
            "weight": weight,
            "contribution": entry.get("contribution", round(value * weight, 4)),
            "detail": entry.get("detail") or {},
        }
    return out


def _text(value) -> str:
    """A JSON scalar as json.dumps writes it (floats by their repr, as json does)."""
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    return repr(value)


@lru_cache(maxsize=1 << 16)
def _string(word: str) -> str:
    return json.dumps(word)


def _strings(words: list[str]) -> str:
    """A JSON list of strings, each string's JSON cached (a listing's words recur)."""
    return "[" + ", ".join(map(_string, words)) + "]" if words else "[]"


@lru_cache(maxsize=1 << 14)
def _entry(name: str, value: float, detail: str) -> str:
    """One factor's JSON; cached, as most factors take a few values (same park, no price)."""
    return f'"{name}": {{"value": {value!r}, "detail": {{{detail}}}}}'


@lru_cache(maxsize=1 << 12)
def _industry_part(a: str, b: str) -> tuple[float, str]:
    """The industry factor of two codes and its JSON; cached, as a batch's codes are few."""
    value, level = _industry(a, b)
    return value, _entry("industry", value, f'"level": "{level}"')


@lru_cache(maxsize=1 << 16)
def _distance_part(lat1, lon1, lat2, lon2) -> tuple[float, str]:
    """The distance factor of two places and its JSON; cached, as places are few."""
    if lat1 is None or lon1 is None or lat2 is None or lon2 is None:
        near, km = 0.5, None
    else:
        km = haversine_km(lat1, lon1, lat2, lon2)
        near, km = round(1.0 / (1.0 + km / DISTANCE_SCALE_KM), 4), round(km, 1)
    return near, _entry("distance", near, f'"km": {_text(km)}')


@lru_cache(maxsize=1 << 14)
def _price_part(ask: Decimal | None, budget: Decimal | None) -> tuple[float, str]:
    """The price factor of an asking price and a budget and its JSON; cached."""
    if ask is None or budget is None:
        return 0.6, _entry("price", 0.6, '"within_budget": null')
    if ask <= budget:
        return 1.0, _entry("price", 1.0, '"within_budget": true')
    over = float((ask - budget) / ask) if ask else 1.0
    price = round(max(0.0, 1.0 - 2 * over), 4)
    return price, _entry("price", price, f'"within_budget": false, "over_by": {round(over, 3)!r}')


@lru_cache(maxsize=1 << 12)
def _trust_part(verified: bool, needed: frozenset[str], held: frozenset[str]) -> tuple[float, str]:
    """The trust factor and its JSON; cached, as firms hold few kinds of certifications."""
    value = 1.0 if verified else 0.0
    if needed:
        trusted = round(0.4 * value + 0.6 * (len(needed & held) / len(needed)), 4)
        missing = sorted(needed - held)
    else:
        trusted, missing = round(value, 4), []
    detail = f'"verified": {_text(verified)}, "missing_certifications": {_strings(missing)}'
    return trusted, _entry("trust", trusted, detail)


@lru_cache(maxsize=1 << 14)
def _quantity_entry(value: float, covered: float | None) -> str:
    return _entry("quantity", value, f'"covered": {_text(covered)}')


@lru_cache(maxsize=1 << 14)
def _dates_entry(value: float, overlap: int | None) -> str:
    return _entry("dates", value, f'"overlap_days": {_text(overlap)}')


_CLUSTER_PARTS = {
    "park": (1.0, _entry("cluster", 1.0, '"same": "park"')),
    "cluster": (0.7, _entry("cluster", 0.7, '"same": "cluster"')),
    None: (0.0, _entry("cluster", 0.0, '"same": null')),
}


def explained(offer: Side, request: Side) -> tuple[float, str]:
    """:func:`score` and ``json.dumps(explanation(factors))`` at once: the score and the text
    stored in ``Match.factors``, written directly (the same values, rounded the same way; a
    test compares the two over any pair). A re-match batch explains about ten thousand new
    matches, and the factor objects, the dict and json.dumps were a fifth of its time; the
    factors that depend on a few values (codes, places, prices, certifications) are cached
    with their JSON."""
    industry, industry_text = _industry_part(offer.industry_code, request.industry_code)
    near, distance_text = _distance_part(
        offer.latitude, offer.longitude, request.latitude, request.longitude
    )
    # same place
    if offer.park_id is not None and offer.park_id == request.park_id:
        place, cluster_text = _CLUSTER_PARTS["park"]
    elif offer.cluster_ids & request.cluster_ids:
        place, cluster_text = _CLUSTER_PARTS["cluster"]
    else:
        place, cluster_text = _CLUSTER_PARTS[None]
    # quantity
    if offer.quantity is None or request.quantity is None or offer.unit != request.unit:
        quantity, covered = 0.5, None
    elif request.quantity <= 0:
        quantity, covered = 1.0, 1.0
    else:
        share = min(float(offer.quantity) / float(request.quantity), 1.0)
        quantity, covered = round(share, 4), round(share, 3)
    # dates
    if request.available_from is None or request.available_until is None:
        dates, overlap = 0.7, None
    else:
        start = max(request.available_from, offer.available_from or request.available_from)
        end = min(request.available_until, offer.available_until or request.available_until)
        wanted = (request.available_until - request.available_from).days + 1
        overlap = max(0, (end - start).days + 1)
        dates = round(overlap / wanted if wanted > 0 else 0.0, 4)
    price, price_text = _price_part(offer.price_min, request.price_max)
    # text
    if not offer.words or not request.words:
        text, top = 0.0, []
    else:
        shared = offer.words & request.words
        value = 2 * len(shared) / (len(offer.words) + len(request.words))
        text = round(min(1.0, value * 2.5), 4)
        # the longest first, then in order: as text_similarity's key (-len, word), without
        # a Python call per word (the second sort is stable)
        top = sorted(sorted(shared), key=len, reverse=True)[:6]
    trusted, trust_text = _trust_part(
        offer.verified, request.required_certifications, offer.certifications
    )
    total = round(sum(_weighted(industry, near, place, quantity, dates, price, text, trusted)), 4)
    entries = (
        industry_text,
        distance_text,
        cluster_text,
        _quantity_entry(quantity, covered),
        _dates_entry(dates, overlap),
        price_text,
        _entry("text", text, f'"shared": {_strings(top)}'),
        trust_text,
    )
    return total, "{" + ", ".join(entries) + "}"


# --- many pairs at once ------------------------------------------------------------------------


class SideTable:
    """Many sides as columns (numpy arrays), for :func:`score_many`: a batch scores about a
    hundred candidates for each of its 500 listings, and :func:`score_value` over each pair
    was the largest part of a batch's time after candidate ranking (issue 7).

    Strings (industry codes, units) and places are numbered within the table; what numpy
    cannot reproduce exactly (Decimal arithmetic, set intersections) stays in Python objects.
    """

    def __init__(self, sides: list[Side]):
        n = len(sides)
        self.sides = sides
        self.position = {s.id: i for i, s in enumerate(sides)}
        names: dict = {}
        places: dict[tuple, int] = {}

        def number(value) -> int:
            return names.setdefault(value, len(names))

        def column(values, dtype=np.int64, count=n) -> np.ndarray:
            return np.fromiter(values, dtype, count=count)

        nan = math.nan
        self.id = column(s.id for s in sides)
        self.code = column(number(s.industry_code) for s in sides)
        # a[:3] only counts when both codes have three digits or more: -1 never equals
        self.group = column(
            number(s.industry_code[:3]) if len(s.industry_code) >= 3 else -1 for s in sides
        )
        self.division = column(number(s.industry_code[:2]) for s in sides)
        self.places = []
        for s in sides:
            places.setdefault((s.latitude, s.longitude), len(places))
        self.places = list(places)
        self.place = column(places[(s.latitude, s.longitude)] for s in sides)
        self.park = column(s.park_id if s.park_id is not None else -1 for s in sides)
        self.clustered = column((bool(s.cluster_ids) for s in sides), bool)
        self.quantity = column(
            (float(s.quantity) if s.quantity is not None else nan for s in sides), np.float64
        )
        self.nothing = column((s.quantity is not None and s.quantity <= 0 for s in sides), bool)
        self.unit = column(number(("unit", s.unit)) for s in sides)
        self.has_start = column((s.available_from is not None for s in sides), bool)
        self.has_end = column((s.available_until is not None for s in sides), bool)
        self.start = column(s.available_from.toordinal() if s.available_from else 0 for s in sides)
        self.end = column(s.available_until.toordinal() if s.available_until else 0 for s in sides)
        self.ask = column(
            (float(s.price_min) if s.price_min is not None else nan for s in sides), np.float64
        )
        self.budget = column(
            (float(s.price_max) if s.price_max is not None else nan for s in sides), np.float64
        )
        self.n_words = column(len(s.words) for s in sides)
        self.verified = column((1.0 if s.verified else 0.0 for s in sides), np.float64)
        self.needs = column((bool(s.required_certifications) for s in sides), bool)
        self._near: dict[int, float] = {}
        self._price: dict[tuple, float] = {}

    def shared_words(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        """How many words sides ``a[i]`` and ``b[i]`` share, for each i: for each side of
        the fewer distinct ones, its words are marked and the marks of its partners' words
        counted (a listing's candidates are a hundred sets of about 75 words, and
        intersecting them one by one was most of the scoring's time).

        Only the words of the marking sides are numbered, and of their partners only those
        words (no other is shared with any): numbering every word of every side was most of
        building the table."""
        shared = np.zeros(len(a), np.int64)
        if not len(a):
            return shared
        sides_a, sides_b = np.unique(a), np.unique(b)
        if len(sides_b) < len(sides_a):
            a, b, sides_a, sides_b = b, a, sides_b, sides_a
        sides = self.sides
        numbers: dict[str, int] = {}
        drawn = itertools.count()
        marking = [
            np.fromiter(map(numbers.setdefault, sides[side].words, drawn), np.int64)
            for side in sides_a.tolist()
        ]
        known = numbers.keys()
        their = [
            np.fromiter(map(numbers.__getitem__, known & sides[side].words), np.int64)
            for side in sides_b.tolist()
        ]
        ids = np.concatenate([_NO_WORDS, *their])
        count = np.fromiter(map(len, their), np.int64, len(their))
        first = np.cumsum(count) - count
        marks = np.zeros(next(drawn), bool)
        order = np.argsort(a, kind="stable")
        bounds = [*np.searchsorted(a[order], sides_a).tolist(), len(a)]
        # each pair's partner as its position in sides_b
        partners_of, counts = np.searchsorted(sides_b, b[order]), np.zeros(len(a))
        for n, mine in enumerate(marking):
            pairs = slice(bounds[n], bounds[n + 1])
            partners = partners_of[pairs]
            lengths = count[partners]
            # the positions in ``ids`` of each partner's words, partner after partner
            owner = np.repeat(np.arange(len(partners)), lengths)
            at = np.arange(int(lengths.sum())) + np.repeat(
                first[partners] - (np.cumsum(lengths) - lengths), lengths
            )
            marks[mine] = True
            counts[pairs] = np.bincount(owner, weights=marks[ids[at]], minlength=len(partners))
            marks[mine] = False
        shared[order] = counts
        return shared

    def near(self, key: int) -> float:
        """The distance factor between two places (``key`` = one place * places + the other),
        rounded as :func:`score_value` rounds it; cached."""
        value = self._near.get(key)
        if value is None:
            first, second = divmod(key, len(self.places))
            (lat1, lon1), (lat2, lon2) = self.places[first], self.places[second]
            if None in (lat1, lon1, lat2, lon2):
                value = 0.5
            else:
                km = haversine_km(lat1, lon1, lat2, lon2)
                value = round(1.0 / (1.0 + km / DISTANCE_SCALE_KM), 4)
            self._near[key] = value
        return value

    def price(self, ask: Decimal, budget: Decimal) -> float:
        """The price factor of an asking price and a budget (Decimal arithmetic); cached."""
        value = self._price.get((ask, budget))
        if value is None:
            if ask <= budget:
                value = 1.0
            else:
                over = float((ask - budget) / ask) if ask else 1.0
                value = round(max(0.0, 1.0 - 2 * over), 4)
            self._price[(ask, budget)] = value
        return value


_NO_WORDS = np.empty(0, np.int64)


def _round4(x: np.ndarray) -> np.ndarray:
    """``round(v, 4)`` for each value: k / 10000 with k the nearest integer to v * 10000,
    which is Python's correctly rounded result unless v * 10000 is within rounding error of
    a half (numpy's product is not exact there), where Python's round decides."""
    y = x * 10000.0
    out = np.rint(y) / 10000.0
    for i in np.flatnonzero(np.abs(y - np.floor(y) - 0.5) < 1e-6).tolist():
        out[i] = round(float(x[i]), 4)
    return out


def score_many(table: SideTable, offers: np.ndarray, requests: np.ndarray) -> np.ndarray:
    """:func:`score_value` of each pair (``offers[i]``, ``requests[i]``), positions in
    ``table``: the same arithmetic on float64 columns, each factor rounded as score_value
    rounds it and summed in the same order, so the values are equal, not just close (a test
    compares them over any pairs)."""
    t, o, r = table, offers, requests
    n = len(o)
    # industry
    industry = np.zeros(n)
    industry[t.division[o] == t.division[r]] = 0.45
    industry[(t.group[o] == t.group[r]) & (t.group[o] >= 0)] = 0.75
    industry[t.code[o] == t.code[r]] = 1.0
    # distance
    keys, place_pairs = np.unique(t.place[o] * len(t.places) + t.place[r], return_inverse=True)
    near = np.fromiter(map(t.near, keys.tolist()), np.float64, count=len(keys))[place_pairs]
    # same place
    place = np.zeros(n)
    parks = (t.park[o] == t.park[r]) & (t.park[o] >= 0)
    sides = t.sides
    for i in np.flatnonzero(~parks & t.clustered[o] & t.clustered[r]).tolist():
        if sides[o[i]].cluster_ids & sides[r[i]].cluster_ids:
            place[i] = 0.7
    place[parks] = 1.0
    # quantity
    qo, qr = t.quantity[o], t.quantity[r]
    quantity = np.full(n, 0.5)
    known = ~np.isnan(qo) & ~np.isnan(qr) & (t.unit[o] == t.unit[r])
    nothing = known & t.nothing[r]
    share = known & ~nothing
    quantity[nothing] = 1.0
    quantity[share] = _round4(np.minimum(qo[share] / qr[share], 1.0))
    # dates
    dates = np.full(n, 0.7)
    period = t.has_start[r] & t.has_end[r]
    start = np.maximum(t.start[r], np.where(t.has_start[o], t.start[o], t.start[r]))
    end = np.minimum(t.end[r], np.where(t.has_end[o], t.end[o], t.end[r]))
    wanted = t.end[r] - t.start[r] + 1
    overlap = np.maximum(0, end - start + 1)
    ratio = np.zeros(n)
    np.divide(overlap, wanted, out=ratio, where=period & (wanted > 0))
    dates[period] = _round4(ratio[period])
    # price
    price = np.full(n, 0.6)
    asks, budgets = t.ask[o], t.budget[r]
    priced = ~np.isnan(asks) & ~np.isnan(budgets)
    price[priced & (asks < budgets)] = 1.0
    for i in np.flatnonzero(priced & (asks >= budgets)).tolist():
        price[i] = t.price(sides[o[i]].price_min, sides[r[i]].price_max)
    # text
    lo, lr = t.n_words[o], t.n_words[r]
    shared = t.shared_words(o, r)
    text = np.zeros(n)
    worded = (lo > 0) & (lr > 0)
    text[worded] = _round4(np.minimum(1.0, 2 * shared[worded] / (lo + lr)[worded] * 2.5))
    # trust
    trusted = t.verified[o].copy()
    for i in np.flatnonzero(t.needs[r]).tolist():
        needed = sides[r[i]].required_certifications
        held = len(needed & sides[o[i]].certifications) / len(needed)
        trusted[i] = round(0.4 * float(trusted[i]) + 0.6 * held, 4)
    terms = _weighted(industry, near, place, quantity, dates, price, text, trusted)
    total = terms[0] + terms[1]
    for term in terms[2:]:
        total = total + term
    y = total * 10000.0
    out = np.rint(y) / 10000.0
    # Near a half, Python's own sum and round decide (sum() adds in order on Python 3.11 as
    # above; later versions compensate, which only moves the last bits).
    for i in np.flatnonzero(np.abs(y - np.floor(y) - 0.5) < 1e-6).tolist():
        out[i] = round(sum(float(term[i]) for term in terms), 4)
    return out
