"""Candidate generation, scoring, and idempotent upserts of matches, a batch at a time.

A listing's candidates are the live listings of the same kind and the other direction, in the
same industry division, from another enterprise, with overlapping availability (the hard
rules), that are *also* close to it: in the same industry group, or in the same park, or
sharing one of its key words (the words of its title and of what its attributes name, less
the words common to most listings; on PostgreSQL matched against the stored
``search_vector``). At most ``MAX_CANDIDATES`` are scored, chosen by the parts of the score
that are cheap to tell (industry closeness, same park or cluster, distance, the share of key
words shared, with the score's weights), then by date; the ``MAX_MATCHES`` best are stored.
The division alone left thousands of candidates per listing at 1M listings, each scored and
most stored (benchmark, issue 7).

Listings are matched in batches (:func:`match_listings`): the candidates of all the listings
of a batch that share a (kind, direction, division) come from one query through
``listing_candidates_idx``; the rule is then applied to each listing in memory, through
small indexes by group, park and key word; each candidate's words are split once; the matches
of the whole batch are read once and written with one COPY and one INSERT … SELECT (and one
UPDATE for changed scores), each new match explained once, as JSON text
(:func:`sharing.matching.scoring.explained`). The good new matches are stored as notified
and handed to the caller's ``notify`` in the same transaction (sharing.jobs tells each
listing once per run). A publication is a batch of one. Nothing ever scans all pairs.
"""

from __future__ import annotations

import gc
import json
import re
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from typing import NamedTuple

import numpy as np
from django.db import connection, transaction
from django.db.models import BooleanField, Exists, Expression, OuterRef, Q
from django.utils import timezone

from enterprises.models import Certification
from sharing.bulk import copy_value, staged
from sharing.choices import Direction, ListingStatus, Visibility
from sharing.matching.scoring import (
    ALGORITHM_VERSION,
    DISTANCE_SCALE_KM,
    MIN_SCORE,
    NOTIFY_SCORE,
    WEIGHTS,
    Side,
    SideTable,
    compatible,
    explained,
    haversine_km,
    score_many,
    score_value,
)
from sharing.models import Listing, ListingMatchState, Match

# The most candidates scored for one listing (see the module's docstring for their order).
# At 1M listings (about 200,000 live ones of each direction) 100 is 0.05 %.
MAX_CANDIDATES = 100
# How many of a listing's newest fitting neighbours are ranked, from its industry class, its
# group and its park each, and from each of its key words (see _Pool).
PER_SOURCE = 400
PER_WORD = 100
# The most matches stored for one listing in a run: its best ones. A pair stays stored while
# it still fits, also when it is no longer among the best of either side.
MAX_MATCHES = 20
# A word in more than this share of a sample of published listings (and in more than
# COMMON_MIN_DOCS of them) says nothing about what a listing is about: not a key word.
COMMON_SHARE = 0.02
COMMON_MIN_DOCS = 40
COMMON_SAMPLE = 5000
_NEWEST_VECTORS = (
    "SELECT search_vector FROM sharing_listing WHERE status = 'published' "
    "ORDER BY published_at DESC, id DESC LIMIT 5000"  # COMMON_SAMPLE
)
COMMON_TTL_SECONDS = 3600
# The most key words a listing is searched by (its rarest-looking, i.e. longest, first).
MAX_KEY_WORDS = 12
# Attributes whose text says what a listing is about (sharing.services.TEXT_ATTRIBUTES minus
# the ones about terms: quality requirements, patents, minimum order).
KEY_ATTRIBUTES = ("machine_type", "process", "field", "product", "skills")

_KEY_WORD = re.compile(r"(?:[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]{2,}|[a-z][a-z0-9]{1,})")

_FIELDS = (
    "id",
    "enterprise_id",
    "kind",
    "direction",
    "division",
    "industry_id",
    "industry__code",
    "title",
    "quantity",
    "unit",
    "price_min",
    "price_max",
    "available_from",
    "available_until",
    "published_at",
    "park_id",
    "park__latitude",
    "park__longitude",
    "region__latitude",
    "region__longitude",
    "search_document",
    "attributes",
    "enterprise__status",
    "visibility",
)


def live_q() -> Q:
    """Published and not past its date (the hourly expiry job may not have caught up yet)."""
    return Q(status=ListingStatus.PUBLISHED) & (
        Q(expires_on__isnull=True) | Q(expires_on__gte=timezone.localdate())
    )


def _other(direction: str) -> str:
    return Direction.REQUEST if direction == Direction.OFFER else Direction.OFFER


# --- what a listing is close to --------------------------------------------------------------

_common: tuple[float, frozenset[str]] | None = None


def forget_common_words() -> None:
    """Drop the process's common words (they are counted again on next use); for tests."""
    global _common
    _common = None


def common_words() -> frozenset[str]:
    """Words found in so many of the newest published listings that sharing one says nothing.

    Counted over a sample of ``COMMON_SAMPLE`` listings and kept for an hour in the process;
    on a small database (fewer than ``COMMON_MIN_DOCS`` listings per word) nothing is common.
    """
    global _common
    now = time.monotonic()
    if _common is not None and _common[0] > now:
        return _common[1]
    sample = Listing.objects.filter(status=ListingStatus.PUBLISHED).order_by(
        "-published_at", "-pk"
    )[:COMMON_SAMPLE]
    if connection.vendor == "postgresql":
        # The newest published listings (listing_newest_idx), their stored vectors.
        newest = _NEWEST_VECTORS
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT count(*) FROM ({newest}) s")  # noqa: S608 - constants
            (size,) = cursor.fetchone()
            floor = max(COMMON_MIN_DOCS, int(size * COMMON_SHARE))
            cursor.execute("SELECT word FROM ts_stat(%s) WHERE ndoc > %s", [newest, floor])
            words = frozenset(w for (w,) in cursor.fetchall())
    else:
        counts: dict[str, int] = defaultdict(int)
        documents = list(sample.values_list("search_document", flat=True))
        for document in documents:
            for word in set(document.split()):
                counts[word] += 1
        floor = max(COMMON_MIN_DOCS, int(len(documents) * COMMON_SHARE))
        words = frozenset(w for w, n in counts.items() if n > floor)
    _common = (now + COMMON_TTL_SECONDS, words)
    return words


def key_words(title: str, attributes: dict | None) -> list[str]:
    """The words a listing is searched by: jieba's words (two characters or more) of its
    title and of what its attributes name, less the common ones; the longest first."""
    texts = [title or ""] + [
        str(v) for k, v in (attributes or {}).items() if k in KEY_ATTRIBUTES and v
    ]
    common = common_words()
    words: dict[str, None] = {}
    for text in texts:
        for word in _text_words(text):
            if word not in common:
                words[word] = None
    return sorted(words, key=lambda w: (-len(w), w))[:MAX_KEY_WORDS]


@lru_cache(maxsize=1 << 16)
def _text_words(text: str) -> tuple[str, ...]:
    """The candidate key words of one text, in jieba's order (common ones included: they
    change with the sample); cached, as titles and attribute values recur (about 28,000
    distinct ones among 200,000 published listings) and segmenting was most of key_words."""
    from sharing.search import _clean, _tokenizer

    words = []
    for token in _tokenizer().cut_for_search(text, HMM=False):
        word = _clean(token)
        if word and _KEY_WORD.fullmatch(word):
            words.append(word)
    return tuple(words)


def group_of(code: str) -> str:
    """The industry group (three digits) of a code; a division-level code is its own group."""
    return code[:3]


class WordsMatch(Expression):
    """``search_vector @@ ('w1' | 'w2' ...)`` on PostgreSQL (the GIN index on the stored
    vector, migration 0006), against the query's own alias."""

    output_field = BooleanField()
    conditional = True

    def __init__(self, words: list[str]):
        super().__init__()
        self.words = list(words)

    def as_sql(self, compiler, connection):
        from sharing.search import _quote

        alias = compiler.quote_name_unless_alias(compiler.query.get_initial_alias())
        query = " | ".join(_quote(w) for w in self.words)
        return f"{alias}.search_vector @@ to_tsquery('simple'::regconfig, %s)", [query]


def close_q(groups: set[str], words: set[str] | list[str], parks: set[int] = frozenset()) -> Q:
    """In one of these industry groups, or sharing one of these words, or in one of these
    parks."""
    q = Q(park_id__in=sorted(parks)) if parks else Q()
    for group in sorted(groups):
        q |= Q(industry__code__startswith=group)
    if words:
        if connection.vendor == "postgresql":
            q |= Q(WordsMatch(sorted(words)))
        else:  # SQLite: the padded word list (sharing.search.stored_document)
            for word in sorted(words):
                q |= Q(search_document__contains=f" {word} ")
    return q


def hard_q(*, kind: str, direction: str, division: str) -> Q:
    """The hard rules every listing of a (kind, direction, division) shares."""
    return live_q() & Q(kind=kind, direction=_other(direction), division=division)


def candidates_q(listing: Listing) -> Q:
    """The candidate rule as one filter: the hard rules and closeness, before the cap."""
    q = hard_q(kind=listing.kind, direction=listing.direction, division=listing.division)
    q &= ~Q(enterprise_id=listing.enterprise_id)
    q &= close_q(
        {group_of(listing.industry.code)},
        key_words(listing.title, listing.attributes),
        {listing.park_id} if listing.park_id else set(),
    )
    if listing.available_from is not None:
        q &= Q(available_until__isnull=True) | Q(available_until__gte=listing.available_from)
    if listing.available_until is not None:
        q &= Q(available_from__isnull=True) | Q(available_from__lte=listing.available_until)
    return q


def _held(enterprise_ids: set[int]) -> tuple[list[tuple[int, str]], list[tuple[int, int]]]:
    """(enterprise, kind) of the valid certifications and (enterprise, cluster) of the
    cluster memberships of these enterprises."""
    from enterprises.models import Enterprise

    today = timezone.localdate()
    memberships = Enterprise.clusters.through
    if not enterprise_ids:
        return [], []
    if connection.vendor == "postgresql":
        # The ids as one array parameter: a batch's pool names a few thousand enterprises,
        # and the ORM prepared each of them for an IN list, twice (most of these queries'
        # time in Python, and a long statement for PostgreSQL to parse).
        ids = list(enterprise_ids)
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT enterprise_id, kind FROM {Certification._meta.db_table} "  # noqa: S608
                "WHERE enterprise_id = ANY(%s) AND valid_until >= %s",
                [ids, today],
            )
            certifications = cursor.fetchall()
            cursor.execute(
                f"SELECT enterprise_id, cluster_id FROM {memberships._meta.db_table} "  # noqa: S608
                "WHERE enterprise_id = ANY(%s)",
                [ids],
            )
            return certifications, cursor.fetchall()
    certifications = Certification.objects.filter(
        enterprise_id__in=enterprise_ids, valid_until__gte=today
    ).values_list("enterprise_id", "kind")
    clusters = memberships.objects.filter(enterprise_id__in=enterprise_ids).values_list(
        "enterprise_id", "cluster_id"
    )
    return list(certifications), list(clusters)


def _sides(rows: list[dict]) -> list[Side]:
    certifications, memberships = _held({r["enterprise_id"] for r in rows})
    certs: dict[int, set[str]] = {}
    for enterprise_id, kind in certifications:
        certs.setdefault(enterprise_id, set()).add(kind)
    clusters: dict[int, set[int]] = {}
    for enterprise_id, cluster_id in memberships:
        clusters.setdefault(enterprise_id, set()).add(cluster_id)
    sides = []
    for r in rows:
        lat = r["park__latitude"] if r["park__latitude"] is not None else r["region__latitude"]
        lng = r["park__longitude"] if r["park__longitude"] is not None else r["region__longitude"]
        sides.append(
            Side(
                id=r["id"],
                enterprise_id=r["enterprise_id"],
                kind=r["kind"],
                direction=r["direction"],
                industry_code=r["industry__code"],
                latitude=lat,
                longitude=lng,
                park_id=r["park_id"],
                cluster_ids=frozenset(clusters.get(r["enterprise_id"], ())),
                quantity=r["quantity"],
                unit=r["unit"],
                price_min=r["price_min"],
                price_max=r["price_max"],
                available_from=r["available_from"],
                available_until=r["available_until"],
                words=frozenset(r["search_document"].split()),
                verified=r["enterprise__status"] == "verified",
                certifications=frozenset(certs.get(r["enterprise_id"], ())),
                required_certifications=frozenset(
                    (r["attributes"] or {}).get("required_certifications") or ()
                ),
            )
        )
    return sides


@dataclass
class MatchResult:
    listing_id: int
    candidates: int
    stored: int
    new_pairs: list[int]  # ids of matches created by this run


_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def _newest(row: dict) -> tuple:
    return (row["published_at"] or _EPOCH, row["id"])


class _Pool:
    """The candidates of one (kind, direction, division) for the listings of a batch that
    share it: one query, then per listing the rule applied in memory through small indexes
    (by industry class and group, by park, by key word), each newest first.

    Each listing takes at most ``PER_SOURCE`` fitting rows of its class, of its group and of
    its park, and ``PER_WORD`` of each key word, the newest; those are ranked, and the best
    ``MAX_CANDIDATES`` scored. So the work per listing is bounded however large the pool is
    (at 1M listings a group or a park holds thousands of live listings of a division).

    The pool's rows are numbered newest first and held as columns (numpy arrays), and each
    index is an array of row numbers, ascending: a listing's fitting rows, their union and
    their rank are a few array operations instead of a Python call per row (a listing ranks
    about 500 close rows; that was the largest part of a batch's time, issue 7). The rank's
    arithmetic is the same, in the same order, in float64, so the candidates are the same.
    """

    def __init__(self, rows: list[dict], sides: dict[int, Side], words: set[str]):
        newest = {row["id"]: _newest(row) for row in rows}
        rows = sorted(rows, key=lambda row: newest[row["id"]], reverse=True)
        self.rows = rows
        self.sides = sides
        by_code: dict[str, list[int]] = defaultdict(list)
        by_group: dict[str, list[int]] = defaultdict(list)
        by_word: dict[str, list[int]] = defaultdict(list)
        by_park: dict[int, list[int]] = defaultdict(list)
        by_cluster: dict[int, list[int]] = defaultdict(list)
        codes: dict[str, int] = {}
        places: dict[tuple, int] = {}
        n = len(rows)
        enterprise = np.empty(n, np.int64)
        starts = np.empty(n, np.int64)
        ends = np.empty(n, np.int64)
        code = np.empty(n, np.int64)
        group = np.empty(n, np.int64)
        park = np.empty(n, np.int64)
        place = np.empty(n, np.int64)
        for i, row in enumerate(rows):
            side = sides[row["id"]]
            enterprise[i] = row["enterprise_id"]
            starts[i] = _day(row["available_from"], _NEVER_BEFORE)
            ends[i] = _day(row["available_until"], _NEVER_AFTER)
            row_code = row["industry__code"]
            row_group = group_of(row_code)
            by_code[row_code].append(i)
            by_group[row_group].append(i)
            code[i] = codes.setdefault(row_code, len(codes))
            group[i] = codes.setdefault(row_group, len(codes))
            park[i] = row["park_id"] if row["park_id"] is not None else -1
            if row["park_id"]:
                by_park[row["park_id"]].append(i)
            place[i] = places.setdefault((side.latitude, side.longitude), len(places))
            for cluster in side.cluster_ids:
                by_cluster[cluster].append(i)
            for word in side.words & words:
                by_word[word].append(i)
        self.enterprise, self.starts, self.ends = enterprise, starts, ends
        self.code, self.group, self.park, self.place = code, group, park, place
        self.codes = codes
        self.places = list(places)
        self.by_code = {k: np.array(v, np.int64) for k, v in by_code.items()}
        self.by_group = {k: np.array(v, np.int64) for k, v in by_group.items()}
        self.by_word = {k: np.array(v, np.int64) for k, v in by_word.items()}
        self.by_park = {k: np.array(v, np.int64) for k, v in by_park.items()}
        self.by_cluster = {k: np.array(v, np.int64) for k, v in by_cluster.items()}
        self.by_prefix: dict[str, np.ndarray] = {}
        # my place -> the nearness of each place of the pool: the listings of a batch share
        # a few places.
        self.nearness: dict[tuple, np.ndarray] = {}

    def _prefixed(self, prefix: str) -> np.ndarray:
        """The rows whose industry code starts with ``prefix`` (a division-level listing's
        group is its whole division)."""
        if prefix not in self.by_prefix:
            self.by_prefix[prefix] = np.array(
                [i for i, r in enumerate(self.rows) if r["industry__code"].startswith(prefix)],
                np.int64,
            )
        return self.by_prefix[prefix]

    def candidates(self, me: dict, group: str, words: list[str]) -> np.ndarray:
        """The listing's candidates among the pool (row numbers of ``rows``), best first, at
        most MAX_CANDIDATES: by the cheap parts of the score, then the newest."""
        fits = self.enterprise != me["enterprise_id"]
        if me["available_from"] is not None:
            fits &= self.ends >= _day(me["available_from"], 0)
        if me["available_until"] is not None:
            fits &= self.starts <= _day(me["available_until"], 0)

        code = me["industry__code"]
        park = me["park_id"]
        in_group = len(group) == 3
        if in_group:
            sources = [self.by_code.get(code, _NONE), self.by_group.get(group, _NONE)]
        else:  # a division-level code: the whole division is its group
            sources = [self._prefixed(group)]
        if park:
            sources.append(self.by_park.get(park, _NONE))
        lists = sources + [rows for rows in map(self.by_word.get, words) if rows is not None]
        caps = np.array([PER_SOURCE] * len(sources) + [PER_WORD] * (len(lists) - len(sources)))
        # The first fitting rows of each source and of each key word, up to its cap, all
        # lists at once (a list's rows keep their order, each labelled by its list).
        rows = np.concatenate(lists)
        label = np.repeat(np.arange(len(lists)), np.fromiter(map(len, lists), np.int64))
        fitting = fits[rows]
        rows, label = rows[fitting], label[fitting]
        first = np.searchsorted(label, np.arange(len(lists)))  # where each list starts
        kept = np.arange(len(label)) - first[label] < caps[label]
        rows, label = rows[kept], label[kept]
        # Their union, by row number: a mark per row of the pool is cheaper than sorting.
        marked = np.zeros(len(self.rows), bool)
        marked[rows] = True
        close = np.flatnonzero(marked)
        if not len(close):
            return _NONE
        word_rows = rows[label >= len(sources)]
        shared = np.bincount(word_rows, minlength=len(self.rows))[close]

        # The parts of the score that are cheap to tell (industry, place, distance, key words
        # shared), with the score's weights, summed in the score's order; then the newest.
        codes = self.codes
        their_code = self.code[close]
        industry = np.full(len(close), 0.45)
        if in_group and group in codes:
            industry[self.group[close] == codes[group]] = 0.75
        if code in codes:
            industry[their_code == codes[code]] = 1.0
        mine = self.sides[me["id"]]
        place = np.zeros(len(close))
        if mine.cluster_ids:
            together = np.zeros(len(self.rows), bool)
            for cluster in mine.cluster_ids:
                together[self.by_cluster.get(cluster, _NONE)] = True
            place[together[close]] = 0.7
        if park is not None:
            place[self.park[close] == park] = 1.0
        their_place = self.place[close]
        # The nearness of each of the pool's places to mine, filled in as places turn up
        # (NaN: not yet), kept for the other listings of the batch at the same place.
        here = (mine.latitude, mine.longitude)
        near = self.nearness.get(here)
        if near is None:
            near = self.nearness[here] = np.full(len(self.places), np.nan)
        for p in np.flatnonzero(np.isnan(near[their_place])).tolist():
            where = self.places[their_place[p]]
            if None not in here and None not in where:
                km = haversine_km(mine.latitude, mine.longitude, *where)
                near[their_place[p]] = 1.0 / (1.0 + km / DISTANCE_SCALE_KM)
            else:
                near[their_place[p]] = 0.5
        rank = (
            WEIGHTS["industry"] * industry
            + WEIGHTS["cluster"] * place
            + WEIGHTS["distance"] * near[their_place]
            + WEIGHTS["text"] * shared / max(1, len(words))
        )
        # Best first; among equals the newest, i.e. the lowest row number.
        return close[np.lexsort((close, -rank))[:MAX_CANDIDATES]]


_NONE = np.empty(0, np.int64)
# Days (proleptic ordinals) standing for an open start or end of availability.
_NEVER_BEFORE = -1
_NEVER_AFTER = 1 << 40


def _day(value, missing: int) -> int:
    return value.toordinal() if value is not None else missing


def candidate_ids(listing_id: int) -> list[int]:
    """The candidates :func:`match_listings` scores for a live listing, best first (for the
    benchmark and the tests); [] when it is not live."""
    row = Listing.objects.filter(live_q(), pk=listing_id).values(*_FIELDS).first()
    if row is None:
        return []
    words = key_words(row["title"], row["attributes"])
    group = group_of(row["industry__code"])
    pool = list(
        Listing.objects.filter(
            hard_q(kind=row["kind"], direction=row["direction"], division=row["division"]),
            close_q({group}, words, {row["park_id"]} if row["park_id"] else set()),
        )
        .order_by()
        .values(*_FIELDS)
    )
    sides = {s.id: s for s in _sides([row, *pool])}
    near = _Pool(pool, sides, set(words))
    return [near.rows[i]["id"] for i in near.candidates(row, group, words).tolist()]


def match_listing(listing_id: int, *, notify: Notify | None = None) -> MatchResult | None:
    """Match one published listing against the other side; safe to run twice.

    Returns None when the listing is gone, no longer published or past its date (a late or
    duplicate message). Reruns update scores in place: the unique (offer, request) pair and each
    side's state (seen, dismissed, contacted) survive.
    """
    results = match_listings([listing_id], notify=notify)
    return results[0] if results else None


class Party(NamedTuple):
    """What a match notice says of one side."""

    id: int
    enterprise_id: int
    title: str
    direction: str


class NewMatch(NamedTuple):
    """A match this run inserted, for the notices."""

    id: int
    score: float
    offer: Party
    request: Party


# Called inside the run's transaction with the good new matches (score >= NOTIFY_SCORE).
Notify = Callable[[list[NewMatch]], None]


def match_listings(listing_ids: list[int], *, notify: Notify | None = None) -> list[MatchResult]:
    """Match a batch of listings (those that are live; the others are skipped quietly).

    The same as matching each alone, with the reads and writes shared: one candidate query per
    (kind, direction, division) of the batch, one read of the existing matches, one insert,
    one update and one delete for the whole batch.

    With ``notify``, the new matches scoring at least NOTIFY_SCORE are stored as notified and
    handed to it in the same transaction: they are told exactly once, or not stored at all.
    """
    with _cyclic_gc_paused():
        return _match_listings(listing_ids, notify)


@contextmanager
def _cyclic_gc_paused():
    """Python's cycle collector off for the length of a batch, then back as it was.

    A batch of 500 holds a few hundred thousand rows, sides and tuples, all freed by their
    reference counts when it ends; meanwhile the collector kept walking them as they aged
    (half of reading the sides, a third of the batch's Python time at 1M listings, issue 7).
    Cycles made meanwhile are collected once it is back on.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _match_listings(listing_ids: list[int], notify: Notify | None) -> list[MatchResult]:
    mine_rows = list(Listing.objects.filter(live_q(), pk__in=listing_ids).values(*_FIELDS))
    if not mine_rows:
        return []
    position = {pk: n for n, pk in enumerate(listing_ids)}
    mine_rows.sort(key=lambda r: position[r["id"]])
    keys = {r["id"]: key_words(r["title"], r["attributes"]) for r in mine_rows}
    buckets: dict[tuple[str, str, str], list[dict]] = defaultdict(list)
    for r in mine_rows:
        buckets[(r["kind"], r["direction"], r["division"])].append(r)

    pools: dict[tuple[str, str, str], list[dict]] = {}
    all_rows: dict[int, dict] = {r["id"]: r for r in mine_rows}
    for (kind, direction, division), rows in buckets.items():
        groups = {group_of(r["industry__code"]) for r in rows}
        words = {w for r in rows for w in keys[r["id"]]}
        parks = {r["park_id"] for r in rows if r["park_id"]}
        pool = list(
            Listing.objects.filter(
                hard_q(kind=kind, direction=direction, division=division),
                close_q(groups, words, parks),
            )
            .order_by()  # no sort: the candidates are ranked in memory
            .values(*_FIELDS)
        )
        pools[(kind, direction, division)] = pool
        for r in pool:
            all_rows.setdefault(r["id"], r)
    sides = {s.id: s for s in _sides(list(all_rows.values()))}

    ids = [r["id"] for r in mine_rows]
    offers = [i for i in ids if sides[i].direction == Direction.OFFER]
    requests = [i for i in ids if sides[i].direction != Direction.OFFER]
    mine_q = Q(offer_id__in=offers) | Q(request_id__in=requests)
    # The batch's stored matches, as plain values without their factors: a pair whose score
    # and version are unchanged is neither explained again nor written.
    existing: dict[tuple[int, int], _Stored] = {
        (row[1], row[2]): _Stored(row[0], *row[3:])
        for row in Match.objects.filter(mine_q).values_list(
            "pk",
            "offer_id",
            "request_id",
            "score",
            "algorithm_version",
            "offer_state",
            "request_state",
        )
    }

    now = timezone.now()
    wanted: dict[tuple[int, int], tuple[float, str] | None] = {}
    counts: dict[int, tuple[int, int]] = {}
    table = SideTable(list(sides.values()))
    for bucket, rows in buckets.items():
        words = {w for r in rows for w in keys[r["id"]]}
        pool = _Pool(pools[bucket], sides, words)
        at = np.fromiter((table.position[r["id"]] for r in pool.rows), np.int64, len(pool.rows))
        cluster_only = np.fromiter(
            (r["visibility"] == Visibility.CLUSTER for r in pool.rows), bool, len(pool.rows)
        )
        # Each listing's kept candidates, then all the bucket's pairs scored at once (its
        # listings share a direction): a score_many call per listing was a fixed cost of a
        # few dozen array operations, 500 times a batch.
        chosen_counts, kept_others = [], []
        for row in rows:
            me = sides[row["id"]]
            chosen = pool.candidates(row, group_of(row["industry__code"]), keys[row["id"]])
            # One of the two is for its own cluster only, and the firms share none: no match.
            kept = np.ones(len(chosen), bool)
            if row["visibility"] == Visibility.CLUSTER:
                doubtful = np.arange(len(chosen))
            else:
                doubtful = np.flatnonzero(cluster_only[chosen])
            for i in doubtful.tolist():
                if not me.cluster_ids & sides[pool.rows[chosen[i]]["id"]].cluster_ids:
                    kept[i] = False
            chosen_counts.append(len(chosen))
            kept_others.append(at[chosen[kept]])
        lengths = np.fromiter(map(len, kept_others), np.int64, len(rows))
        others = np.concatenate(kept_others)
        owner = np.repeat(np.arange(len(rows)), lengths)
        mine = np.fromiter((table.position[r["id"]] for r in rows), np.int64, len(rows))[owner]
        if bucket[1] == Direction.OFFER:
            values = score_many(table, mine, others)
        else:
            values = score_many(table, others, mine)
        # Each listing's MAX_MATCHES best of those scoring MIN_SCORE or more; among equal
        # scores the partner with the larger id: one sort by listing, then score, then id.
        good = np.flatnonzero(values >= MIN_SCORE)
        good = good[np.lexsort((-table.id[others[good]], -values[good], owner[good]))]
        first = np.searchsorted(owner[good], np.arange(len(rows)))
        rank = np.arange(len(good)) - first[owner[good]]
        best = good[rank < MAX_MATCHES]
        stored = np.bincount(owner[best], minlength=len(rows)).tolist()
        # as Python lists: an array's items one at a time are slower than a list's
        best_mine, best_others = mine[best].tolist(), others[best].tolist()
        for i, value in enumerate(values[best].tolist()):
            me, other = table.sides[best_mine[i]], table.sides[best_others[i]]
            offer, request = (me, other) if me.direction == Direction.OFFER else (other, me)
            pair = (offer.id, request.id)
            if pair in wanted:
                continue
            match = existing.get(pair)
            if match is not None and (match.score, match.algorithm_version) == (
                value,
                ALGORITHM_VERSION,
            ):
                wanted[pair] = None
                continue
            wanted[pair] = explained(offer, request)
        for row, chosen, count in zip(rows, chosen_counts, stored, strict=True):
            counts[row["id"]] = (chosen, count)

    with transaction.atomic():
        created: list[tuple[tuple[int, int], float, str]] = []
        updated: list[tuple[int, float, str]] = []
        for pair, proposal in wanted.items():
            match = existing.pop(pair, None)
            if proposal is None:
                continue  # stored with this very score by this algorithm: nothing to write
            if match is None:
                created.append((pair, *proposal))
            elif (match.score, match.algorithm_version) != (proposal[0], ALGORITHM_VERSION):
                updated.append((match.pk, *proposal))
        # A pair of a listing of the batch that was not proposed this time (its partner is not
        # among this listing's candidates, or no longer qualifies) is scored again: it stays,
        # with its new score, while it still fits; otherwise it is dropped unless a side has
        # acted on it (dates moved, prices changed, the partner closed).
        stale = []
        for pair_sides, value, match in _rescore(
            existing, sides, {i: r["visibility"] for i, r in all_rows.items()}
        ):
            if value is None or value < MIN_SCORE:
                if match.offer_state == "new" and match.request_state == "new":
                    stale.append(match.pk)
            elif (match.score, match.algorithm_version) != (value, ALGORITHM_VERSION):
                updated.append((match.pk, *explained(*pair_sides)))
        if stale:
            Match.objects.filter(pk__in=stale).delete()
        # A concurrent run for the other listing of the same pair may have inserted it a
        # moment ago: the unique constraint keeps one row either way, and only the rows
        # inserted here count as new (and are told).
        inserted = _insert_matches(
            created, mine_q, now, notify_from=NOTIFY_SCORE if notify else None
        )
        _update_matches(updated, now)
        mark_matched(ids, now)
        if notify is not None:
            parties: dict[int, Party] = {}

            def party(pk: int) -> Party:
                if pk not in parties:
                    row = all_rows[pk]
                    parties[pk] = Party(pk, row["enterprise_id"], row["title"], row["direction"])
                return parties[pk]

            told = [
                NewMatch(pk, value, party(offer), party(request))
                for pk, offer, request, value, notified in inserted
                if notified
            ]
            if told:
                notify(told)
    new_by_listing: dict[int, list[int]] = defaultdict(list)
    for pk, offer_id, request_id, _value, _notified in inserted:
        if offer_id in counts:
            new_by_listing[offer_id].append(pk)
        if request_id in counts:
            new_by_listing[request_id].append(pk)
    return [
        MatchResult(i, counts[i][0], counts[i][1], sorted(new_by_listing.get(i, ()))) for i in ids
    ]


class _Stored(NamedTuple):
    """A stored match of the batch, as read for deciding what to write."""

    pk: int
    score: float
    algorithm_version: int
    offer_state: str
    request_state: str


_STAGED_NEW = (
    "match_new",
    "offer_id bigint, request_id bigint, score double precision, factors jsonb, notified bool",
)
_INSERT = (
    "INSERT INTO sharing_match (offer_id, request_id, score, factors, algorithm_version, "
    "offer_state, request_state, notified, created_at, updated_at) "
    "SELECT offer_id, request_id, score, factors, %s, 'new', 'new', notified, %s, %s "
    "FROM match_new ON CONFLICT (offer_id, request_id) DO NOTHING "
    "RETURNING id, offer_id, request_id, score, notified"
)
_STAGED_CHANGED = ("match_changed", "id bigint, score double precision, factors jsonb")
_UPDATE = (
    "UPDATE sharing_match AS m SET score = v.score, factors = v.factors, "
    "algorithm_version = %s, updated_at = %s FROM match_changed AS v WHERE m.id = v.id"
)


def _insert_matches(
    created: list[tuple[tuple[int, int], float, str]],
    mine_q: Q,
    now,
    *,
    notify_from: float | None,
) -> list[tuple[int, int, int, float, bool]]:
    """Insert new matches ``((offer, request), score, factors as JSON text)``, skipping pairs
    that exist by now; those scoring at least ``notify_from`` are stored as notified. Returns
    (id, offer, request, score, notified) of each row inserted. On PostgreSQL one COPY and one
    INSERT … SELECT … ON CONFLICT DO NOTHING RETURNING (sharing.bulk.staged); elsewhere
    bulk_create, then the rows of this run read back by their creation time."""
    if not created:
        return []

    def told(value: float) -> bool:
        return notify_from is not None and value >= notify_from

    if connection.vendor == "postgresql":
        return staged(
            *_STAGED_NEW,
            [
                (offer, request, value, text, told(value))
                for (offer, request), value, text in created
            ],
            _INSERT,
            [ALGORITHM_VERSION, now, now],
            fetch=True,
            line=_new_match_line,
        )
    Match.objects.bulk_create(
        [
            Match(
                offer_id=offer,
                request_id=request,
                score=value,
                factors=json.loads(text),
                algorithm_version=ALGORITHM_VERSION,
                notified=told(value),
                created_at=now,
                updated_at=now,
            )
            for (offer, request), value, text in created
        ],
        ignore_conflicts=True,
        batch_size=500,
    )
    return list(
        Match.objects.filter(mine_q, created_at=now).values_list(
            "pk", "offer_id", "request_id", "score", "notified"
        )
    )


def _new_match_line(row: tuple[int, int, float, str, bool]) -> str:
    """A new match (offer, request, score, factors as JSON text, notified) as
    sharing.bulk.copy_line writes it, without looking up each value's type (ten thousand
    rows a batch)."""
    offer, request, value, text, notified = row
    return f"{offer:d}\t{request:d}\t{value}\t{copy_value(text)}\t{'t' if notified else 'f'}\n"


def _update_matches(updated: list[tuple[int, float, str]], now) -> None:
    """Write new scores and factors ``(id, score, factors as JSON text)``: one COPY and one
    UPDATE … FROM on PostgreSQL (bulk_update's CASE per column grows with the batch),
    bulk_update elsewhere."""
    if not updated:
        return
    if connection.vendor == "postgresql":
        staged(*_STAGED_CHANGED, updated, _UPDATE, [ALGORITHM_VERSION, now])
        return
    Match.objects.bulk_update(
        [
            Match(
                pk=pk,
                score=value,
                factors=json.loads(text),
                algorithm_version=ALGORITHM_VERSION,
                updated_at=now,
            )
            for pk, value, text in updated
        ],
        ["score", "factors", "algorithm_version", "updated_at"],
        batch_size=500,
    )


def _rescore(
    existing: dict[tuple[int, int], _Stored], sides: dict[int, Side], visibility: dict[int, str]
):
    """((offer, request), score or None, match) for existing matches not proposed this time;
    None when the pair breaks a hard rule or a side is no longer live."""
    if not existing:
        return []
    missing = {i for pair in existing for i in pair if i not in sides}
    if missing:
        rows = list(Listing.objects.filter(live_q(), pk__in=missing).values(*_FIELDS))
        visibility = {**visibility, **{r["id"]: r["visibility"] for r in rows}}
        sides = {**sides, **{s.id: s for s in _sides(rows)}}
    out = []
    for pair, match in existing.items():
        offer, request = sides.get(pair[0]), sides.get(pair[1])
        if offer is None or request is None or not compatible(offer, request):
            out.append((None, None, match))
            continue
        cluster_only = Visibility.CLUSTER in (visibility[offer.id], visibility[request.id])
        if cluster_only and not (offer.cluster_ids & request.cluster_ids):
            out.append((None, None, match))
            continue
        out.append(((offer, request), score_value(offer, request), match))
    return out


def mark_matched(listing_ids: list[int], now, *, version: int = ALGORITHM_VERSION) -> None:
    """Record that these listings were matched by ``version`` (ListingMatchState): one
    INSERT … ON CONFLICT DO UPDATE of a narrow row each."""
    ListingMatchState.objects.bulk_create(
        [ListingMatchState(listing_id=i, version=version, matched_at=now) for i in listing_ids],
        update_conflicts=True,
        unique_fields=["listing"],
        update_fields=["version", "matched_at"],
    )


def mark_outstanding(listings: Q) -> int:
    """Make the listings this filter selects outstanding (the sweeper matches them again);
    returns how many had been matched."""
    return ListingMatchState.objects.filter(
        listing__in=Listing.objects.filter(listings).values("pk")
    ).delete()[0]


def outstanding_q() -> Q:
    """Never matched, or matched by an older algorithm version."""
    return ~Q(
        Exists(ListingMatchState.objects.filter(listing=OuterRef("pk"), version=ALGORITHM_VERSION))
    )


def _stale_q() -> Q:
    return live_q() & outstanding_q()


def outstanding_listing_ids(limit: int = 1000) -> list[int]:
    """Published listings never matched, or matched by an older algorithm version."""
    return list(
        Listing.objects.filter(_stale_q())
        .order_by("published_at", "pk")
        .values_list("pk", flat=True)[:limit]
    )


def outstanding_batches(size: int) -> Iterator[list[int]]:
    """The outstanding listings in batches of ``size``, in (kind, direction, division) order,
    so that a batch mostly shares one candidate query; the caller matches each batch before
    asking for the next. Each bucket's ids are read once (through listing_candidates_idx),
    so the whole pass reads every listing once, however many there are; listings that
    became outstanding meanwhile are left to the next pass."""
    buckets = sorted(
        Listing.objects.filter(_stale_q())
        .order_by()
        .values_list("kind", "direction", "division")
        .distinct()
    )
    batch: list[int] = []
    for kind, direction, division in buckets:
        for pk in (
            Listing.objects.filter(_stale_q(), kind=kind, direction=direction, division=division)
            .order_by("pk")
            .values_list("pk", flat=True)
        ):
            batch.append(pk)
            if len(batch) == size:
                yield batch
                batch = []
    if batch:
        yield batch
