"""Chinese full-text search: jieba segmentation stored as words, searched with PostgreSQL's
'simple' text search configuration over a GIN index.

pg_trgm alone misses two-character Chinese words, and jieba alone depends on context (it cuts
注塑模具 as 注塑模 + 具, losing 模具). So a document holds jieba's search-mode words *and* every
two-character sequence of its Chinese runs, and a query longer than two Chinese characters is
asked as its two-character sequences: whatever substring the user types, its pieces are in the
document. Latin letters and model numbers (CNC, VMC850) stay whole words, lower-cased.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import lru_cache

import jieba
from django.contrib.postgres.search import (
    SearchQuery,
    SearchVector,
    SearchVectorExact,
    SearchVectorField,
)
from django.db import connection
from django.db.models import Case, Expression, F, Q, QuerySet, Value, When
from django.db.models.sql.where import AND

_CJK_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
_CJK_RUN_SPLIT = re.compile(f"({_CJK_RUN.pattern})")
_WORD = re.compile(
    r"[0-9a-z\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff][0-9a-z._\-/+#\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]*"
)

# Industrial words jieba's general dictionary cuts badly; kept as whole words as well.
DOMAIN_WORDS = (
    "加工中心",
    "数控机床",
    "数控车床",
    "注塑机",
    "注塑",
    "模具",
    "冲压",
    "钣金",
    "焊接",
    "热处理",
    "表面处理",
    "电镀",
    "喷涂",
    "铸造",
    "锻造",
    "机加工",
    "闲置产能",
    "标准厂房",
    "反应釜",
    "生产线",
    "检测设备",
    "三坐标",
    "激光切割",
    "折弯机",
    "线切割",
    "五轴",
)


@lru_cache(maxsize=1)
def _tokenizer() -> jieba.Tokenizer:
    jieba.setLogLevel(logging.WARNING)  # it logs its dictionary loading at DEBUG
    tokenizer = jieba.Tokenizer()
    for word in DOMAIN_WORDS:
        tokenizer.add_word(word, freq=20000)
    return tokenizer


def _clean(token: str) -> str | None:
    token = token.strip().lower()
    return token if _WORD.fullmatch(token) else None


def _bigrams(run: str) -> list[str]:
    return [run[i : i + 2] for i in range(len(run) - 1)] if len(run) > 1 else [run]


def document_words(*texts: str) -> str:
    """The words stored for a listing: jieba search-mode words plus Chinese bigrams."""
    words: dict[str, None] = {}
    for text in texts:
        if not text:
            continue
        for token in _tokenizer().cut_for_search(text):
            if (word := _clean(token)) is not None:
                words[word] = None
        for run in _CJK_RUN.findall(text):
            for pair in _bigrams(run):
                words[pair] = None
    return " ".join(words)


def query_words(query: str) -> list[str]:
    """What a search box query asks for: every returned word must be in the document.

    Each run of Chinese characters is asked as its bigrams, not as jieba's cut of it: jieba
    cuts a half-typed 数控车 into 数控 + 车, and a lone 车 is in no document of 数控车床.
    """
    words: dict[str, None] = {}
    # The capturing split alternates: text without Chinese, a Chinese run, text without ...
    for i, part in enumerate(_CJK_RUN_SPLIT.split(query or "")):
        if i % 2:
            for pair in _bigrams(part):
                words[pair] = None
            continue
        for token in _tokenizer().cut(part):
            if (word := _clean(token)) is not None:
                words[word] = None
    return list(words)


def apply_search(qs: QuerySet, query: str, *, field: str = "search_document") -> QuerySet:
    """Filter by the query. Listings are also annotated ``title_hit``: their title holds
    every word of the query, which relevance sorts first (sharing/filters.py)."""
    words = query_words(query)
    if not words:
        return qs
    titled = field == "search_document" and qs.model._meta.db_table == "sharing_listing"
    if connection.vendor == "postgresql":
        # Listings read their stored vectors (migrations 0006, 0009): parsing each match's
        # text again cost ~0.1 ms per matching row. Anything else: the vector expression,
        # which must match a GIN index over the same expression.
        vector = StoredVector("search_vector") if titled else SearchVector(field, config="simple")
        qs = qs.annotate(search=vector).filter(TextMatches(F("search"), _tsquery(words)))
        if titled:
            qs = qs.annotate(title_hit=Matches(StoredVector("title_vector"), _tsquery(words)))
        return qs
    for word in words:
        qs = qs.filter(**{f"{field}__contains": f" {word} "})
    if titled:
        in_title = Q()
        for word in words:
            in_title &= Q(title_document__contains=f" {word} ")
        qs = qs.annotate(title_hit=Case(When(in_title, then=Value(True)), default=Value(False)))
    return qs


def _tsquery(words: list[str]) -> SearchQuery:
    return SearchQuery(" & ".join(_quote(w) for w in words), config="simple", search_type="raw")


# Set while a page's ids are read in the order of an index (sharing/pagination.py).
_in_order: ContextVar[bool] = ContextVar("search_in_order", default=False)


@contextmanager
def matched_in_order() -> Iterator[None]:
    """Within this block, matches are written ``ts_match_vq(vector, query)`` instead of
    ``vector @@ query``: the same test, but one PostgreSQL can neither serve from the GIN
    index nor estimate from its statistics (it assumes a third of the rows), so it reads
    the listings in the order's index and tests each row until the page is full."""
    token = _in_order.set(True)
    try:
        yield
    finally:
        _in_order.reset(token)


class Matches(SearchVectorExact):
    """``vector @@ query``, or ``ts_match_vq(vector, query)`` inside :func:`matched_in_order`."""

    def as_sql(self, compiler, connection):
        if not _in_order.get():
            return super().as_sql(compiler, connection)
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"ts_match_vq({lhs}, {rhs})", (*lhs_params, *rhs_params)


class TextMatches(Matches):
    """The search's test of the text's words (see :func:`text_tested_last`)."""


def text_tested_last(qs: QuerySet) -> QuerySet:
    """The same queryset with the test of the text's words moved after the other tests of
    its WHERE, for reading in order (:func:`matched_in_order`).

    PostgreSQL tests a row's conditions of equal cost in the order they are written, and
    the search's is written first. The text's vector is large (about 900 bytes, mostly
    stored out of line, three more pages to read per row), the title's and the facets' are
    small: reading 3,800 listings in order for ``冷库`` with kind and direction took 51 ms
    with the text tested first (14,455 pages) and 14 ms with it last (3,879 pages), at 1M
    listings. The results are the same: every condition is still tested."""
    qs = qs.all()
    where = qs.query.where
    if where.connector == AND and not where.negated:
        where.children.sort(key=lambda child: isinstance(child, TextMatches))
    return qs


class StoredVector(Expression):
    """A tsvector column PostgreSQL keeps of a listing's words (generated columns:
    ``search_vector`` of ``search_document``, migration 0006, and ``title_vector`` of
    ``title_document``, 0009; not model fields, as SQLite has no tsvector). Compiled against
    the query's own alias, so it also works inside a subquery."""

    output_field = SearchVectorField()

    def __init__(self, column: str):
        super().__init__()
        self.column = column

    def as_sql(self, compiler, connection):
        alias = compiler.query.get_initial_alias()
        return f"{compiler.quote_name_unless_alias(alias)}.{self.column}", []


# --- Facets: what a listing is, as words ----------------------------------------------------
#
# The list's filters on kind, direction, industry (with the codes below it), region (with
# the divisions below it) and park are asked on PostgreSQL as words of ``facet_vector``, a
# tsvector generated from ``facet_document`` (migration 0010), in the same GIN index as the
# words of the text, of the title and the prices (btree_gin). PostgreSQL then intersects them in
# one index scan, reading the posting lists of the rarer words and skipping through the
# others; as B-tree bitmaps ANDed together, it read every listing of the commoner filter
# (84k orders and 93k listings of division 36 to count the first 1,001 at a million
# listings: 35-37 ms). A facet word is a letter and a value (korder, doffer, i36, r4206,
# p12): letters and digits, which the 'simple' parser keeps whole; a separate vector, so no
# word of a listing's text can pose as a facet.
#
# The poster's certifications are facets too (ciso9001: each kind the enterprise holds,
# valid or not, refreshed when one is added or removed, ``refresh_certification_facets``);
# the filter still asks for a valid one, so an expired certification only costs a row
# tested. Asked as an EXISTS on the certifications alone, PostgreSQL read the listings in
# their physical order until it had 1,001 (219,786 rows tested, 0.6 s from a cold cache at
# a million listings, benchmark, issue 7).

FACET_KIND = "k"
FACET_DIRECTION = "d"
FACET_INDUSTRY = "i"
FACET_REGION = "r"
FACET_PARK = "p"
FACET_CERTIFICATION = "c"


def facet(prefix: str, value: object) -> str:
    return f"{prefix}{value}".lower()


def industry_facets(code: str, section: str) -> list[str]:
    """A listing's industry as words: its section and every code above it, its own included
    (3611: ic i36 i361 i3611), so a filter on any of them is one word."""
    words = [facet(FACET_INDUSTRY, section)] if section else []
    if code and code[0].isdigit():
        words += [facet(FACET_INDUSTRY, code[:n]) for n in range(2, len(code) + 1)]
    return words


def industry_facet(code: str, section: str, *, is_section: bool) -> str:
    """The word of a filter on an industry code and the codes below it."""
    return facet(FACET_INDUSTRY, section if is_section else code)


def region_facets(code: str) -> list[str]:
    """A region as words: the code prefixes its province's, its prefecture's and its own
    subtree share (clusters Region.code_prefix: 2, 4 and 6 digits)."""
    return [facet(FACET_REGION, code[:n]) for n in (2, 4, 6) if len(code) >= n]


def facet_document(
    *,
    kind: str,
    direction: str,
    industry_code: str,
    industry_section: str,
    region_code: str,
    park_id: int | None,
    certifications: Iterable[str] = (),
) -> str:
    """A listing's facet words; ``certifications``: the kinds of certification its
    enterprise holds (any order, repeats allowed)."""
    words = [facet(FACET_KIND, kind), facet(FACET_DIRECTION, direction)]
    words += industry_facets(industry_code, industry_section)
    words += region_facets(region_code)
    if park_id:
        words.append(facet(FACET_PARK, park_id))
    words += [facet(FACET_CERTIFICATION, kind) for kind in sorted(set(certifications))]
    return " ".join(dict.fromkeys(words))


def has_facets(qs: QuerySet) -> bool:
    """Whether filters on this queryset are asked as facet words (listings on PostgreSQL)."""
    return connection.vendor == "postgresql" and qs.model._meta.db_table == "sharing_listing"


def filter_facet(qs: QuerySet, word: str, otherwise: Callable[[], Q]) -> QuerySet:
    """Listings having the facet ``word`` on PostgreSQL; elsewhere the same filter on the
    columns, ``otherwise()``."""
    if has_facets(qs):
        return qs.filter(Matches(StoredVector("facet_vector"), _tsquery([word])))
    return qs.filter(otherwise())


def _quote(word: str) -> str:
    return "'" + word.replace("'", "''").replace("\\", "") + "'"


def stored_document(*texts: str) -> str:
    """The value stored in ``search_document``: padded so substring matching on SQLite only
    matches whole words."""
    words = document_words(*texts)
    return f" {words} " if words else ""
