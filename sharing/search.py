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
from functools import lru_cache

import jieba
from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connection
from django.db.models import F, QuerySet

_CJK_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
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
    """What a search box query asks for: every returned word must be in the document."""
    words: dict[str, None] = {}
    for token in _tokenizer().cut(query or ""):
        word = _clean(token)
        if word is None:
            continue
        if _CJK_RUN.fullmatch(word) and len(word) > 2:
            for pair in _bigrams(word):
                words[pair] = None
        else:
            words[word] = None
    return list(words)


def apply_search(qs: QuerySet, query: str, *, field: str = "search_document") -> QuerySet:
    """Filter by the query; on PostgreSQL also annotate ``rank`` for relevance ordering."""
    words = query_words(query)
    if not words:
        return qs
    if connection.vendor == "postgresql":
        # The vector expression matches the GIN index created in the migration exactly.
        vector = SearchVector(field, config="simple")
        tsquery = SearchQuery(
            " & ".join(_quote(w) for w in words), config="simple", search_type="raw"
        )
        return (
            qs.annotate(search=vector)
            .filter(search=tsquery)
            .annotate(rank=SearchRank(F("search"), tsquery))
        )
    for word in words:
        qs = qs.filter(**{f"{field}__contains": f" {word} "})
    return qs


def _quote(word: str) -> str:
    return "'" + word.replace("'", "''").replace("\\", "") + "'"


def stored_document(*texts: str) -> str:
    """The value stored in ``search_document``: padded so substring matching on SQLite only
    matches whole words."""
    words = document_words(*texts)
    return f" {words} " if words else ""
