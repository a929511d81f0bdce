"""Search documents for generated listings, as ``sharing.search.stored_document`` makes them,
but fast enough for a million listings.

jieba cuts a text block by block: it splits the text at every character that is not a Chinese
character, a Latin letter, a digit or one of ``+#&._%-`` and segments each block on its own.
The Chinese bigrams of ``document_words`` never cross such a boundary either. So the words of a
text are the union of the words of its blocks, and a block's words can be cached: generated
texts repeat the same blocks (template sentences, model numbers, place names) over and over.
The result holds exactly the words ``stored_document`` would store (tests/bench checks it);
only their order may differ, which full-text search and the SQLite fallback ignore.
"""

from __future__ import annotations

import jieba

from sharing.search import document_words

# jieba's own block pattern (``jieba.re_han_default``), with its capturing group: splitting
# by it yields the text between blocks and the blocks themselves.
_BLOCKS = jieba.re_han_default


class DocumentCache:
    """``document(*texts)`` equals ``stored_document(*texts)`` up to word order."""

    def __init__(self, limit: int = 500_000):
        self._words: dict[str, tuple[str, ...]] = {}
        self._limit = limit
        self.hits = 0
        self.misses = 0

    def _block(self, block: str) -> tuple[str, ...]:
        words = self._words.get(block)
        if words is not None:
            self.hits += 1
            return words
        self.misses += 1
        words = tuple(document_words(block).split())
        if len(self._words) < self._limit:
            self._words[block] = words
        return words

    def words(self, *texts: str) -> list[str]:
        seen: dict[str, None] = {}
        for text in texts:
            if not text:
                continue
            for block in _BLOCKS.split(text):
                if block and not block.isspace():
                    for word in self._block(block):
                        seen[word] = None
        return list(seen)

    def document(self, *texts: str) -> str:
        words = self.words(*texts)
        return f" {' '.join(words)} " if words else ""
