"""Bulk loading: rows as PostgreSQL COPY text, and a sink that only hashes them (for tests of
determinism and for dry runs)."""

from __future__ import annotations

import hashlib
import io
from collections.abc import Iterable, Sequence

from sharing.bulk import copy_line  # the one COPY text format (also the matching job's)


class Sink:
    """Where generated rows go: ``write(table, columns, rows)`` returns the number of rows."""

    def write(self, table: str, columns: Sequence[str], rows: Iterable[Sequence]) -> int:
        raise NotImplementedError


class CopySink(Sink):
    """COPY into PostgreSQL through a DB-API cursor of psycopg2, in chunks of a few MB."""

    def __init__(self, cursor, chunk_bytes: int = 8 << 20):
        self.cursor = cursor
        self.chunk_bytes = chunk_bytes

    def write(self, table: str, columns: Sequence[str], rows: Iterable[Sequence]) -> int:
        sql = f"COPY {table} ({', '.join(columns)}) FROM STDIN"
        count = 0
        buffer: list[str] = []
        size = 0
        for row in rows:
            line = copy_line(row)
            buffer.append(line)
            size += len(line)
            count += 1
            if size >= self.chunk_bytes:
                self._flush(sql, buffer)
                buffer, size = [], 0
        if buffer:
            self._flush(sql, buffer)
        return count

    def _flush(self, sql: str, buffer: list[str]) -> None:
        self.cursor.copy_expert(sql, io.StringIO("".join(buffer)))


class HashSink(Sink):
    """Writes nothing; keeps a SHA-256 of every table's rows, to compare two runs."""

    def __init__(self):
        self.hashes: dict[str, hashlib._Hash] = {}
        self.counts: dict[str, int] = {}

    def write(self, table: str, columns: Sequence[str], rows: Iterable[Sequence]) -> int:
        digest = self.hashes.setdefault(table, hashlib.sha256())
        count = 0
        for row in rows:
            digest.update(copy_line(row).encode())
            count += 1
        self.counts[table] = self.counts.get(table, 0) + count
        return count

    def digests(self) -> dict[str, str]:
        return {table: digest.hexdigest() for table, digest in sorted(self.hashes.items())}
