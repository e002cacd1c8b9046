"""``diff`` and ``patch``: the changes between two datasets, and applying them.

Order rule: the records of each kind come out of :func:`patch` in the order
of the newer dataset. An added record carries its index in the newer list;
when the records both datasets hold are in the same relative order (the
usual case) that is enough, and otherwise the changes carry the newer order
of that kind's ids in full (:attr:`Changes.order`).

Large inputs: when both are files in streaming formats, the older one is
indexed in a temporary SQLite table of id and canonical JSON text, and the
newer one is compared with it record by record as it is read.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import attrs

from ._build import copy_json
from ._changes import (
    ABSENT,
    DELETED,
    KINDS,
    Added,
    Changed,
    Changes,
    Input,
    Operation,
    PatchConflictError,
    Plain,
    Removed,
    canonical,
    operations,
    same,
    show,
)
from ._convert import to_dict
from ._errors import DataValidationError
from ._io import collect, format_for, open_entries
from ._pipeline import Pipeline, document_entries
from ._staging import ReapedTemporaryDirectory
from .model import Dataset, RecordKind

if TYPE_CHECKING:
    import sqlite3

__all__ = ["diff", "opened", "patch", "read_document"]


# --- reading the inputs ----------------------------------------------------


@attrs.define
class _Opened:
    """An input being read through the pipeline."""

    name: str
    pipeline: Pipeline
    #: True when its records are read one at a time from a file.
    streams: bool
    header: Plain = attrs.field(factory=dict)

    def records(self) -> Iterator[tuple[RecordKind, Plain]]:
        """Its records, each checked; raises at the end if any was invalid."""
        yield from self.pipeline
        self.check()

    def check(self) -> None:
        """Raise :class:`DataValidationError` if the input is not valid."""
        if self.pipeline.failed():
            raise DataValidationError(self.pipeline.log.report(ordered=True), self.name)


@contextmanager
def opened(source: Input, fmt: str | None = None) -> Iterator[_Opened]:
    """Read ``source`` (a dataset, a plain document or a path) through the pipeline."""
    if isinstance(source, (Dataset, Mapping)):
        plain = to_dict(source) if isinstance(source, Dataset) else dict(source)
        name = "<dataset>" if isinstance(source, Dataset) else "<document>"
        pipeline = Pipeline(document_entries(plain))
        try:
            yield _start(pipeline, name, streams=False)
        finally:
            pipeline.close()
        return
    fmt_ = format_for(fmt, source)
    with open_entries(fmt_, source) as entries:
        pipeline = Pipeline(entries)
        try:
            yield _start(pipeline, os.fspath(source), streams=fmt_.streams and not fmt_.directory)
        finally:
            pipeline.close()


def _start(pipeline: Pipeline, name: str, *, streams: bool) -> _Opened:
    header = pipeline.read_header()
    if header is None:
        raise DataValidationError(pipeline.log.report(ordered=True), name)
    return _Opened(name, pipeline, streams, dict(header))


def read_document(source: Input, fmt: str | None = None) -> Plain:
    """The whole plain document of ``source``, checked."""
    with opened(source, fmt) as got:
        lists: dict[str, list[Plain]] = {kind.member: [] for kind in RecordKind}
        for kind, record in got.records():
            lists[kind.member].append(record)
        if not lists[DELETED]:
            # Absent rather than empty: a document of any version can be written.
            del lists[DELETED]
        return {**got.header, **lists}


# --- the index of the older dataset ----------------------------------------


class _MemoryIndex:
    """The older dataset's records by kind and id, in a dict (inputs already in memory)."""

    def __init__(self) -> None:
        self._records: dict[tuple[str, str], tuple[int, Plain]] = {}
        self._newer: dict[str, list[str]] = {}

    def add(self, kind: str, position: int, record: Plain) -> None:
        self._records[kind, record["id"]] = (position, record)

    def take(self, kind: str, record_id: str) -> tuple[int, Plain | None, str | None] | None:
        """The older record's position, and the record or its canonical text; None if absent."""
        found = self._records.pop((kind, record_id), None)
        return None if found is None else (found[0], found[1], None)

    def note_newer(self, kind: str, record_id: str) -> None:
        self._newer.setdefault(kind, []).append(record_id)

    def newer_order(self, kind: str) -> list[str]:
        return self._newer.get(kind, [])

    def left(self) -> Iterator[tuple[str, Plain]]:
        """The older records not taken, by kind, in their order."""
        rank = {kind: i for i, kind in enumerate(KINDS)}
        for (kind, _), (_, record) in sorted(
            self._records.items(), key=lambda item: (rank[item[0][0]], item[1][0])
        ):
            yield kind, record

    def close(self) -> None:
        self._records.clear()


class _DiskIndex(_MemoryIndex):
    """The same index in a temporary SQLite table, so that memory stays flat."""

    BATCH = 5000

    def __init__(self) -> None:
        super().__init__()
        import sqlite3  # noqa: PLC0415 - only diffs of large files need it

        self._folder = ReapedTemporaryDirectory(prefix="conflictdata-diff-")
        # Scratch space for one diff: no journal, no syncing.
        self._db: sqlite3.Connection = sqlite3.connect(
            Path(self._folder.name) / "index.sqlite", isolation_level=None
        )
        self._db.executescript(
            """
            PRAGMA journal_mode = OFF;
            PRAGMA synchronous = OFF;
            CREATE TABLE older (kind INTEGER, id TEXT, position INTEGER, record TEXT,
                                PRIMARY KEY (kind, id));
            CREATE TABLE newer (kind INTEGER, position INTEGER, id TEXT);
            BEGIN;
            """
        )
        self._rank = {kind: i for i, kind in enumerate(KINDS)}
        self._older: list[tuple[int, str, int, str]] = []
        self._newer_rows: list[tuple[int, int, str]] = []
        self._counts: dict[str, int] = {}

    def add(self, kind: str, position: int, record: Plain) -> None:
        self._older.append((self._rank[kind], record["id"], position, canonical(record)))
        if len(self._older) >= self.BATCH:
            self._flush()

    def _flush(self) -> None:
        self._db.executemany("INSERT INTO older VALUES (?, ?, ?, ?)", self._older)
        self._older.clear()
        self._db.executemany("INSERT INTO newer VALUES (?, ?, ?)", self._newer_rows)
        self._newer_rows.clear()

    def take(self, kind: str, record_id: str) -> tuple[int, Plain | None, str | None] | None:
        if self._older:
            self._flush()
        row = self._db.execute(
            "SELECT position, record FROM older WHERE kind = ? AND id = ?",
            (self._rank[kind], record_id),
        ).fetchone()
        if row is None:
            return None
        # The text is parsed only if the newer record differs from it.
        return int(row[0]), None, str(row[1])

    def note_newer(self, kind: str, record_id: str) -> None:
        position = self._counts.get(kind, 0)
        self._counts[kind] = position + 1
        self._newer_rows.append((self._rank[kind], position, record_id))
        if len(self._newer_rows) >= self.BATCH:
            self._flush()

    def newer_order(self, kind: str) -> list[str]:
        self._flush()
        rows = self._db.execute(
            "SELECT id FROM newer WHERE kind = ? ORDER BY position", (self._rank[kind],)
        )
        return [str(row[0]) for row in rows]

    def left(self) -> Iterator[tuple[str, Plain]]:
        self._flush()
        self._db.execute("CREATE INDEX newer_ids ON newer (kind, id)")
        rows = self._db.execute(
            "SELECT kind, record FROM older WHERE NOT EXISTS"
            " (SELECT 1 FROM newer WHERE newer.kind = older.kind AND newer.id = older.id)"
            " ORDER BY kind, position"
        )
        for rank, text in rows:
            yield KINDS[rank], json.loads(text)

    def close(self) -> None:
        self._db.close()
        self._folder.cleanup()


class _Differ:
    """Compares the newer records, one at a time, with the index of the older ones."""

    def __init__(self, index: _MemoryIndex) -> None:
        self.index = index
        self.added: list[Added] = []
        self.changed: list[Changed] = []
        self._positions: dict[str, int] = {}
        self._last_older: dict[str, int] = {}
        self.reordered: set[str] = set()

    def see(self, kind: str, record: Plain) -> None:
        position = self._positions.get(kind, 0)
        self._positions[kind] = position + 1
        record_id = record["id"]
        self.index.note_newer(kind, record_id)
        found = self.index.take(kind, record_id)
        if found is None:
            self.added.append(Added(kind=kind, index=position, record=record))
            return
        older_position, older, text = found
        if older_position < self._last_older.get(kind, -1):
            self.reordered.add(kind)
        self._last_older[kind] = older_position
        if older is None:
            assert text is not None  # noqa: S101 - the disk index gives the text
            if text == canonical(record):
                return
            older = json.loads(text)
        ops = operations(older, record)
        if ops:
            self.changed.append(Changed(kind=kind, id=record_id, operations=ops))

    def removed(self) -> list[Removed]:
        return [Removed(kind=k, id=r["id"], record=r) for k, r in self.index.left()]

    def order(self) -> dict[str, tuple[str, ...]]:
        return {
            kind: tuple(self.index.newer_order(kind)) for kind in KINDS if kind in self.reordered
        }


def diff(
    a: Input, b: Input, *, format_a: str | None = None, format_b: str | None = None
) -> Changes:
    """What changed from ``a`` to ``b``, record by record, keyed by kind and id.

    Args:
        a: The older dataset: a :class:`Dataset`, a plain document, or a
            path in any readable format.
        b: The newer one, likewise.
        format_a: The format of ``a`` when it is a path whose name does not say.
        format_b: The same for ``b``.

    Both are checked on the way (as :func:`conflictdata.validate` would).
    When both are files in streaming formats, ``a`` is indexed in a
    temporary SQLite table and ``b`` is compared with it as it is read, so
    neither dataset is held in memory.

    Raises:
        DataValidationError: either input is not valid.

    >>> import conflictdata as cd
    >>> old = cd.examples.load("karabakh-2020")
    >>> plain = cd.to_dict(old)
    >>> first, *_ = plain["events"]
    >>> first.update(when={"start": "2020-07-12"})
    >>> (changed,) = cd.diff(old, plain).changed
    >>> for op in changed.operations:
    ...     print(changed.id, op.pointer, op.old, op.new)
    evt-2020-07-border-clash /when/start 2020-07 2020-07-12
    """
    with opened(a, format_a) as older, opened(b, format_b) as newer:
        index = _DiskIndex() if older.streams and newer.streams else _MemoryIndex()
        try:
            positions: dict[str, int] = {}
            for kind, record in older.records():
                position = positions.get(kind, 0)
                positions[kind] = position + 1
                index.add(kind.value, position, record)
            differ = _Differ(index)
            for kind, record in newer.records():
                differ.see(kind.value, record)
            removed = differ.removed()
            order = differ.order()
        finally:
            index.close()
        return Changes(
            header=operations(older.header, newer.header),
            added=differ.added,
            removed=removed,
            changed=differ.changed,
            order=order,
        )


# --- patch -----------------------------------------------------------------


def patch(a: Input, changes: Changes, *, format: str | None = None) -> Dataset:  # noqa: A002
    """Apply ``changes`` to ``a`` (as :func:`diff` made them): ``patch(a, diff(a, b)) == b``.

    Records keep the newer order described in the module notes: added
    records go to their index, and a kind in :attr:`Changes.order` is put
    in that order.

    Raises:
        PatchConflictError: ``a`` does not hold what a change expects (a
            record to remove or change is missing or differs, a record to
            add is already there); it names the record and the place.
        DataValidationError: the patched dataset is not valid.
    """
    document = read_document(a, format)
    header = {k: v for k, v in document.items() if k not in _LISTS}
    header = _apply(header, changes.header, "header", None)
    result = dict(header)
    for kind in RecordKind:
        records = _patch_list(kind.value, document.get(kind.member, []), changes)
        if records or kind is not RecordKind.TOMBSTONE:
            result[kind.member] = records
    report, dataset = collect(document_entries(result))
    if dataset is None:
        raise DataValidationError(report, "the patched dataset")
    return dataset


_LISTS = frozenset(kind.member for kind in RecordKind)


def _patch_list(kind: str, records: list[Plain], changes: Changes) -> list[Plain]:
    by_id = {record["id"]: record for record in records}
    for removed in (r for r in changes.removed if r.kind == kind):
        found = by_id.pop(removed.id, None)
        if found is None:
            raise PatchConflictError(kind, removed.id, (), "is not there to remove")
        if not same(found, removed.record):
            raise PatchConflictError(kind, removed.id, (), "differs from the record to remove")
    for changed in (c for c in changes.changed if c.kind == kind):
        if changed.id not in by_id:
            raise PatchConflictError(kind, changed.id, (), "is not there to change")
        by_id[changed.id] = _apply(by_id[changed.id], changed.operations, kind, changed.id)
    kept = list(by_id.values())
    for added in sorted((a for a in changes.added if a.kind == kind), key=lambda a: a.index):
        if added.id in by_id:
            raise PatchConflictError(kind, added.id, (), "is already there")
        by_id[added.id] = added.record
        kept.insert(added.index, added.record)
    order = changes.order.get(kind)
    if order is None:
        return kept
    if sorted(order) != sorted(by_id):
        raise PatchConflictError(kind, None, (), "the new order does not list the records held")
    return [by_id[record_id] for record_id in order]


def _apply(record: Plain, ops: tuple[Operation, ...], kind: str, record_id: str | None) -> Plain:
    if not ops:
        return record
    result: Plain = copy_json(record)
    for op in ops:
        _apply_one(result, op, kind, record_id)
    return result


def _apply_one(root: Plain, op: Operation, kind: str, record_id: str | None) -> None:
    if not op.path:
        raise PatchConflictError(kind, record_id, (), "an operation must name a member")
    parent: Any = root
    for step, token in enumerate(op.path[:-1]):
        parent = _child(parent, token)
        if parent is ABSENT:
            raise PatchConflictError(kind, record_id, op.path[: step + 1], "is not there")
    last = op.path[-1]
    current = _child(parent, last)
    expected = current is ABSENT if op.old is ABSENT else same(current, op.old)
    if not expected:
        found = "nothing" if current is ABSENT else show(current)
        raise PatchConflictError(
            kind, record_id, op.path, f"expected {show(op.old)}, found {found}"
        )
    if op.new is ABSENT:
        del parent[last]
    elif isinstance(parent, list) and current is ABSENT:
        raise PatchConflictError(kind, record_id, op.path, "no such list item")
    else:
        parent[last] = copy_json(op.new)


def _child(container: Any, token: str | int) -> Any:
    if isinstance(container, dict) and isinstance(token, str):
        return container.get(token, ABSENT)
    if isinstance(container, list) and isinstance(token, int) and 0 <= token < len(container):
        return container[token]
    return ABSENT
