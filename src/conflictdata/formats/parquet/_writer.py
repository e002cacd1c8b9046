"""Writing a Parquet dataset: a buffer and a file per table (and per year of events).

Records wait in their table's buffer as JSON text (see :mod:`._text`). A
full buffer is a row group: its text goes to Arrow's JSON reader, and the
table made of it to the file. Both are single calls into Arrow that let go
of the GIL for nearly all their time, so they run in threads beside the
record pipeline (:class:`_Jobs`): on a machine with a second core, reading
and checking records goes on while Arrow parses and writes. Everything
else, Python work included, stays in the caller's thread, where it does
not wait for the GIL at every step.
"""

from __future__ import annotations

import concurrent.futures
import contextlib
from collections import deque
from pathlib import Path
from typing import Any

from ..._errors import TargetExistsError
from ..._report import Problem
from ..._staging import StagingDirectory
from ...model import SCHEMA_VERSION, RecordKind
from ._schema import SCHEMA_KEY, TABLES, VERSION_KEY, arrow, arrow_schema
from ._text import Layout, Rows, json_text

__all__ = ["NULL_PARTITION", "DatasetWriter"]

#: Hive's (and Spark's) name for a partition whose value is null: events
#: without a year, which only unvalidated data can have.
NULL_PARTITION = "__HIVE_DEFAULT_PARTITION__"
#: The file of each table, or of each year of events.
FILE_NAME = "part-0.parquet"
#: Rows built from dicts at a time, where text cannot stand for them.
CHUNK = 1_000
#: A file's buffer holds at most this much text: a row group of long records
#: is cut short there (Arrow's JSON reader takes at most 2 GiB at a time).
MAX_TEXT_BYTES = 256 * 1024**2
#: All buffers together hold at most this many row groups' worth of rows.
MAX_BUFFERED_GROUPS = 3
#: Row groups' worth of rows being parsed, at most (besides the newest):
#: with many partitions, one row group's worth may go as several parts at
#: once, and none of them should be waited for at once.
IN_FLIGHT = 2
#: Row groups queued to be written, at most; another waits for the oldest.
MAX_WRITES = 3


#: Columns of values that seldom repeat (ids, free text, coordinates): a
#: dictionary of them would cost time to build and make the file larger.
PLAIN_COLUMNS = frozenset(
    {
        "id",
        "position",
        "title",
        "description",
        "notes",
        "extensions",
        "location.lat",
        "location.lon",
        "citations.list.element.quote",
        "citations.list.element.locator",
        "related.list.element.event",
        "identifiers.key_value.value",
        "names.key_value.value",
        "url",
        "archives.list.element.url",
        "archives.list.element.sha256",
    }
)


def _leaves(name: str, kind: Any) -> list[str]:
    """The Parquet column paths of an Arrow field of type ``kind``."""
    pa = arrow()
    if pa.types.is_struct(kind):
        return [leaf for field in kind for leaf in _leaves(f"{name}.{field.name}", field.type)]
    if pa.types.is_map(kind):
        return [f"{name}.key_value.key", f"{name}.key_value.value"]
    if pa.types.is_list(kind):
        return _leaves(f"{name}.list.element", kind.value_type)
    return [name]


def _dictionary_columns(schema: Any) -> list[str]:
    """The columns of ``schema`` worth dictionary encoding: all but :data:`PLAIN_COLUMNS`."""
    leaves = [leaf for field in schema for leaf in _leaves(field.name, field.type)]
    return [leaf for leaf in leaves if leaf not in PLAIN_COLUMNS]


def _year(event: dict[str, Any]) -> str:
    try:
        year = event["when"]["start"][:4]
    except (KeyError, TypeError):
        return NULL_PARTITION
    return year if isinstance(year, str) and len(year) == 4 and year.isdigit() else NULL_PARTITION


class _Jobs:
    """Arrow's long calls, in two threads beside the caller's: one parses, one writes.

    Each runs its calls in the order given (a file's row groups stay in
    order); a write never waits behind a parse. At most :data:`MAX_WRITES`
    writes are queued or running: :meth:`write` waits for the oldest before
    it queues another, so memory stays bounded. (A second parsing thread
    saved little and held a row group's worth of memory more.)
    """

    def __init__(self) -> None:
        futures = concurrent.futures
        self._parser = futures.ThreadPoolExecutor(1, thread_name_prefix="parquet-parse")
        self._writer = futures.ThreadPoolExecutor(1, thread_name_prefix="parquet-write")
        self._writes: deque[concurrent.futures.Future[Any]] = deque()

    def parse(self, layout: Layout, text: bytearray) -> concurrent.futures.Future[Any]:
        """Parse ``text`` with ``layout``; the future of its table (None if Arrow refused it)."""
        return self._parser.submit(layout.parse, text)

    def write(self, writer: Any, table: Any) -> concurrent.futures.Future[Any]:
        """Queue ``table`` to be written by ``writer`` as one row group; the write's future."""
        while len(self._writes) >= MAX_WRITES:
            concurrent.futures.wait([self._writes.popleft()])
        future = self._writer.submit(writer.write_table, table, table.num_rows)
        self._writes.append(future)
        return future

    def close(self, *, cancel: bool = False) -> None:
        """Wait for the running calls (unless ``cancel``, the queued ones too); end the threads."""
        self._parser.shutdown(wait=True, cancel_futures=cancel)
        self._writer.shutdown(wait=True, cancel_futures=cancel)
        self._writes.clear()


class _Part:
    """One Parquet file being written: its buffer, and its row groups on the way."""

    def __init__(self, path: Path, kind: RecordKind, metadata: dict[bytes, bytes]) -> None:
        self.path = path
        self.kind = kind
        self.schema = arrow_schema(kind).with_metadata(metadata)
        self.layout = Layout(self.schema)
        self.rows = Rows(self.layout)
        self._writes: list[concurrent.futures.Future[Any]] = []
        self._writer: Any = None

    def add(self, data: dict[str, Any], position: int = 0) -> None:
        """Buffer one record (see :meth:`Rows.add`); events give their position."""
        self.rows.add(data, position)

    def take(self) -> Rows:
        """The buffered rows, leaving the buffer empty."""
        rows, self.rows = self.rows, Rows(self.layout)
        return rows

    def table(self, rows: Rows, parsed: Any) -> Any:
        """The Arrow table of ``rows``, from what their text parsed to (None if it did not)."""
        pa = arrow()
        batch = None if parsed is None else rows.batch(parsed)
        if batch is not None:
            return pa.Table.from_batches([batch], schema=self.schema)
        batches = [self._from_dicts(rows.dicts(i, i + CHUNK)) for i in range(0, len(rows), CHUNK)]
        return pa.Table.from_batches(batches, schema=self.schema)

    def _from_dicts(self, rows: list[dict[str, Any]]) -> Any:
        pa = arrow()
        try:
            return pa.RecordBatch.from_pylist(rows, schema=self.schema)
        except (pa.ArrowException, OverflowError) as exc:
            first = rows[0].get("id")
            raise ValueError(
                f"{self.kind.value} records (from {first!r}) cannot be written as Parquet: {exc}"
            ) from None

    def write(self, jobs: _Jobs, table: Any) -> None:
        """Queue ``table`` to be written as one row group; raise what an earlier write raised."""
        self._check(wait=False)
        self._writes.append(jobs.write(self._open(), table))

    def _check(self, *, wait: bool) -> None:
        """Raise the first error of the writes that are done (or, with ``wait``, of all)."""
        waiting = []
        for future in self._writes:
            if wait or future.done():
                future.result()
            else:
                waiting.append(future)
        self._writes = waiting

    def _open(self) -> Any:
        if self._writer is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._writer = arrow().parquet.ParquetWriter(
                self.path, self.schema, use_dictionary=_dictionary_columns(self.schema)
            )
        return self._writer

    def close(self, *, empty: bool) -> None:
        """Finish the file once its row groups are written; with ``empty``, write one anyway."""
        self._check(wait=True)
        if self._writer is None and empty:
            self._open()
        if self._writer is not None:
            self._writer.close()
            self._writer = None

    def abort(self) -> None:
        """Close the file without caring whether it is whole (the Arrow thread has ended)."""
        self.rows = Rows(self.layout)
        self._writes.clear()
        if self._writer is not None:
            # The folder is removed anyway; a failure to finish the file does not matter.
            with contextlib.suppress(Exception):
                self._writer.close()
            self._writer = None


class DatasetWriter:
    """Writes a Parquet dataset record by record, in bounded memory.

    Each table buffers up to ``row_group_size`` records (and
    :data:`MAX_TEXT_BYTES` of their text), then writes them as a row group;
    events go to one file per year. When all buffers together hold
    :data:`MAX_BUFFERED_GROUPS` times that many records, the largest are
    written until a row group's worth is free. A row group's text is parsed
    in the parsing thread while the next records arrive, and its table is
    written in the writing thread; at :meth:`close`, every other buffer is
    parsed in the caller's thread, beside the parsing thread. Files are
    written to a hidden folder beside the target, which :meth:`close`
    moves into place and :meth:`abort` removes.
    """

    def __init__(
        self,
        target: Path,
        header: dict[str, Any],
        *,
        overwrite: bool = False,
        row_group_size: int | None = None,
    ) -> None:
        from . import ROW_GROUP_SIZE  # noqa: PLC0415 - read when used, so callers may change it

        arrow()
        # Options come from users (and the command line) untyped.
        size: object = row_group_size
        if size is not None and (not isinstance(size, int) or size < 1):
            raise ValueError(f"row_group_size must be a positive integer, not {row_group_size!r}")
        self._target = Path(target)
        self._overwrite = overwrite
        self._size = ROW_GROUP_SIZE if row_group_size is None else row_group_size
        version = str(header.get("schema_version", SCHEMA_VERSION))
        self._metadata = {SCHEMA_KEY: json_text(header).encode(), VERSION_KEY: version.encode()}
        if self._target.exists() and not overwrite:
            raise TargetExistsError(f"{self._target} exists; pass overwrite=True to replace it")
        self._staging = StagingDirectory(self._target)
        self._parts: dict[tuple[RecordKind, str], _Part] = {}
        self._jobs: _Jobs | None = None
        #: Row groups whose text is being parsed, oldest first, and their rows in all.
        self._parsing: deque[tuple[_Part, Rows, concurrent.futures.Future[Any] | None]] = deque()
        self._parsing_rows = 0
        self._buffered = 0
        self._position = 0
        try:
            for kind in RecordKind:
                (self._staging.path / TABLES[kind]).mkdir()
            self._jobs = _Jobs()
        except BaseException:
            self.abort()
            raise

    def _part(self, kind: RecordKind, partition: str) -> _Part:
        part = self._parts.get((kind, partition))
        if part is None:
            folder = self._staging.path / TABLES[kind]
            if partition:
                folder /= f"year={partition}"
            part = self._parts[kind, partition] = _Part(folder / FILE_NAME, kind, self._metadata)
        return part

    def write(self, kind: str, data: dict[str, Any]) -> None:
        """Buffer one record; write a row group when its buffer is full."""
        record_kind = RecordKind.named(kind)
        if record_kind is RecordKind.EVENT:
            part = self._part(record_kind, _year(data))
            part.add(data, self._position)
            self._position += 1
        else:
            part = self._part(record_kind, "")
            part.add(data)
        self._buffered += 1
        if len(part.rows) >= self._size or part.rows.size >= MAX_TEXT_BYTES:
            self._buffered -= len(part.rows)
            self._flush(part)
        elif self._buffered >= MAX_BUFFERED_GROUPS * self._size:
            self._flush_largest()

    def _flush_largest(self) -> None:
        """Many partitions, each short of a row group: write the largest, a row group's worth.

        Not all of them: one part after another keeps Arrow's threads busy
        while records are read, where all at once would make them wait.
        """
        freed = 0
        for part in sorted(self._parts.values(), key=lambda p: len(p.rows), reverse=True):
            if freed >= self._size:
                break
            freed += len(part.rows)
            self._flush(part)
        self._buffered -= freed

    def _flush(self, part: _Part, *, here: bool = False) -> None:
        """Send the rows ``part`` buffers to be parsed; finish what was sent a row group before.

        With ``here``, parse them in this thread, beside the parsing thread.
        """
        if not part.rows:
            return
        rows = part.take()
        text = rows.text()
        parsed: concurrent.futures.Future[Any] | None = None
        if text is not None and here:
            parsed = concurrent.futures.Future()
            parsed.set_result(part.layout.parse(text))
        elif text is not None:
            parsed = self._started().parse(part.layout, text)
        self._parsing.append((part, rows, parsed))
        self._parsing_rows += len(rows)
        while len(self._parsing) > 1 and self._parsing_rows > IN_FLIGHT * self._size:
            self._finish()

    def _finish(self) -> None:
        """Make the oldest parsed row group a table, and queue it to be written."""
        part, rows, parsed = self._parsing.popleft()
        self._parsing_rows -= len(rows)
        table = part.table(rows, None if parsed is None else parsed.result())
        part.write(self._started(), table)

    def _started(self) -> _Jobs:
        if self._jobs is None:
            raise ValueError("the Parquet writer is closed")
        return self._jobs

    def close(self) -> list[Problem]:
        """Write what is buffered, finish every file and put the dataset in place."""
        try:
            for kind in RecordKind:
                if kind is not RecordKind.EVENT:
                    # Every table but events has a file, empty or not: the
                    # sources file is where readers find the dataset's header.
                    self._part(kind, "")
            waiting = [part for part in self._parts.values() if part.rows]
            for i, part in enumerate(waiting):
                # Nothing is left to read: this thread parses every other
                # part itself, beside the parsing thread.
                self._flush(part, here=bool(i % 2))
            while self._parsing:
                self._finish()
            for (kind, _), part in self._parts.items():
                part.close(empty=kind is not RecordKind.EVENT)
            self._started().close()
            self._jobs = None
            self._staging.publish(overwrite=self._overwrite)
        except BaseException:
            self.abort()
            raise
        return []

    def abort(self) -> None:
        """Remove everything written so far."""
        if self._jobs is not None:
            self._jobs.close(cancel=True)
            self._jobs = None
        self._parsing.clear()
        self._parsing_rows = 0
        for part in self._parts.values():
            part.abort()
        self._staging.discard()
