"""An index of record ids for streams: in memory while small, then on disk.

Finding duplicate ids and resolving references in a stream needs every id
seen so far. Kept in a dict that would grow with the file, so past
:data:`MEMORY_LIMIT` ids the index moves to a temporary SQLite table and
memory stays flat however long the stream is.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import sqlite3

__all__ = ["MEMORY_LIMIT", "IdIndex"]

#: Ids held in memory before the index moves to disk.
MEMORY_LIMIT = 50_000


class IdIndex:
    """Maps each id seen to the kind of record that has it."""

    def __init__(self, memory_limit: int = MEMORY_LIMIT) -> None:
        self._memory: dict[str, str] | None = {}
        self._limit = memory_limit
        self._folder: tempfile.TemporaryDirectory[str] | None = None
        self._db: sqlite3.Connection | None = None

    def get(self, record_id: str) -> str | None:
        """The kind of the record with this id, or None."""
        if self._memory is not None:
            return self._memory.get(record_id)
        assert self._db is not None  # noqa: S101 - one of the two always exists
        row = self._db.execute("SELECT kind FROM ids WHERE id = ?", (record_id,)).fetchone()
        return None if row is None else str(row[0])

    def add(self, record_id: str, kind: str) -> str | None:
        """Record an id; return the kind already holding it (a duplicate), or None."""
        if self._memory is not None:
            found = self._memory.get(record_id)
            if found is not None:
                return found
            self._memory[record_id] = kind
            if len(self._memory) > self._limit:
                self._spill()
            return None
        found = self.get(record_id)
        if found is None:
            assert self._db is not None  # noqa: S101
            self._db.execute("INSERT INTO ids VALUES (?, ?)", (record_id, kind))
        return found

    def _spill(self) -> None:
        assert self._memory is not None  # noqa: S101
        import sqlite3  # noqa: PLC0415 - only long streams need it

        self._folder = tempfile.TemporaryDirectory(prefix="conflictdata-ids-")
        # No journal and no syncing: the table is scratch space for this stream.
        self._db = sqlite3.connect(Path(self._folder.name) / "ids.sqlite", isolation_level=None)
        self._db.execute("PRAGMA journal_mode = OFF")
        self._db.execute("PRAGMA synchronous = OFF")
        self._db.execute(
            "CREATE TABLE ids (id TEXT PRIMARY KEY, kind TEXT NOT NULL) WITHOUT ROWID"
        )
        self._db.execute("BEGIN")
        self._db.executemany("INSERT INTO ids VALUES (?, ?)", self._memory.items())
        self._memory = None

    def close(self) -> None:
        """Drop the index (and its file)."""
        if self._db is not None:
            self._db.close()
            self._db = None
        if self._folder is not None:
            self._folder.cleanup()
            self._folder = None
        self._memory = {}
