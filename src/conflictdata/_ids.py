"""An index of record ids for streams: fast at any size, in bounded memory.

Finding duplicate ids and resolving references in a stream needs every id
seen so far. Sources and actors are few and referred to by every event, so
they stay in a dict. Other ids (events, mostly) are held in a dict up to
:data:`MEMORY_LIMIT`; past it they go to an anonymous SQLite database in
batches of :data:`BATCH`, with a Bloom filter (one probe) in front of it, so that a new
id (nearly every one) is known to be new without a query. The database has
no name: SQLite deletes its file as soon as it opens it, so nothing is left
behind even when the process is killed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import orjson

if TYPE_CHECKING:
    import sqlite3

__all__ = ["BATCH", "BLOOM_BITS", "MEMORY_LIMIT", "IdIndex"]

#: Ids (other than sources and actors) held in a dict before the index spills.
MEMORY_LIMIT = 50_000
#: Ids written to SQLite at once.
BATCH = 20_000
#: Size of the filter (4 MiB, one bit probed per id, which keeps the probe
#: cheap in Python): a false "maybe" for 3% of new ids at a million ids,
#: 14% at five million; a "maybe" only costs a query.
BLOOM_BITS = 1 << 25
#: Kinds that are always held in memory.
_RESIDENT = frozenset(("source", "actor"))
_MASK = BLOOM_BITS - 1
_INSERT = "INSERT INTO ids VALUES (?, ?)"
_INSERT_JSON = "INSERT INTO ids SELECT key, value FROM json_each(?)"


class IdIndex:
    """Maps each id seen to the kind of record that has it."""

    def __init__(self, memory_limit: int = MEMORY_LIMIT, batch: int = BATCH) -> None:
        self._limit = memory_limit
        self._batch_size = batch
        self._resident: dict[str, str] = {}
        #: Ids not yet in the database (all of them until the first spill).
        self._recent: dict[str, str] = {}
        self._bloom: bytearray | None = None
        self._db: sqlite3.Connection | None = None

    def get(self, record_id: str) -> str | None:
        """The kind of the record with this id, or None."""
        found = self._resident.get(record_id)
        if found is None:
            found = self._recent.get(record_id)
            bloom = self._bloom
            if found is None and bloom is not None:
                bit = hash(record_id) & _MASK
                if bloom[bit >> 3] & (1 << (bit & 7)):
                    found = self._query(record_id)
        return found

    def add(self, record_id: str, kind: str) -> str | None:
        """Record an id; return the kind already holding it (a duplicate), or None."""
        # get(), inlined: this runs once per record.
        found = self._resident.get(record_id) or self._recent.get(record_id)
        if found is not None:
            return found
        bloom = self._bloom
        if bloom is not None:
            bit = hash(record_id) & _MASK
            if bloom[bit >> 3] & (1 << (bit & 7)):
                found = self._query(record_id)
                if found is not None:
                    return found
        if kind in _RESIDENT:
            self._resident[record_id] = kind
            return None
        recent = self._recent
        recent[record_id] = kind
        if len(recent) >= (self._batch_size if self._db else self._limit):
            self._flush()
        return None

    def _query(self, record_id: str) -> str | None:
        assert self._db is not None  # noqa: S101 - it exists with the filter
        row = self._db.execute("SELECT kind FROM ids WHERE id = ?", (record_id,)).fetchone()
        return None if row is None else str(row[0])

    def _flush(self) -> None:
        import sqlite3  # noqa: PLC0415 - only long streams need it

        if self._db is None:
            # "" is a private temporary database, deleted by SQLite itself.
            self._db = sqlite3.connect("", isolation_level=None)
            # No journal and no syncing: the table is scratch space for this stream.
            self._db.execute("PRAGMA journal_mode = OFF")
            self._db.execute("PRAGMA synchronous = OFF")
            self._db.execute(
                "CREATE TABLE ids (id TEXT PRIMARY KEY, kind TEXT NOT NULL) WITHOUT ROWID"
            )
            self._bloom = bytearray(BLOOM_BITS // 8)
        bloom = self._bloom
        assert bloom is not None  # noqa: S101
        for record_id in self._recent:
            bit = hash(record_id) & _MASK
            bloom[bit >> 3] |= 1 << (bit & 7)
        self._db.execute("BEGIN")
        if not self._insert_by_json(self._db):
            self._db.executemany(_INSERT, sorted(self._recent.items()))
        self._db.execute("COMMIT")
        self._recent = {}

    def _insert_by_json(self, db: sqlite3.Connection) -> bool:
        """Insert the batch in one statement, the rows made by SQLite's JSON reader.

        About twice as fast as binding row by row, which the caller does when
        this returns False: for an id orjson refuses, an id with U+0000
        (SQLite's JSON reader ends a key there: ``b``, NUL, ``c`` would be
        ``b``), or an SQLite built without JSON functions.
        """
        import sqlite3  # noqa: PLC0415 - imported by the first spill already

        try:
            batch = orjson.dumps(self._recent)
        except orjson.JSONEncodeError:
            return False
        if b"\\u0000" in batch:
            return False
        try:
            db.execute(_INSERT_JSON, (batch.decode("utf-8"),))
        except sqlite3.OperationalError:
            return False
        return True

    def close(self) -> None:
        """Drop the index (and its database)."""
        if self._db is not None:
            self._db.close()
            self._db = None
        self._bloom = None
        self._resident = {}
        self._recent = {}
