"""Writing a Parquet dataset: a buffer and a file per table (and per year of events)."""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Any, cast

from ..._errors import TargetExistsError
from ..._report import Problem
from ..._staging import StagingDirectory
from ...model import SCHEMA_VERSION, RecordKind
from ..json import dumps_line
from ._schema import POSITION, SCHEMA_KEY, TABLES, VERSION_KEY, arrow, arrow_schema, json_columns
from ._text import RowText

__all__ = ["NULL_PARTITION", "DatasetWriter"]

#: Hive's (and Spark's) name for a partition whose value is null: events
#: without a year, which only unvalidated data can have.
NULL_PARTITION = "__HIVE_DEFAULT_PARTITION__"
#: The file of each table, or of each year of events.
FILE_NAME = "part-0.parquet"
#: Rows turned into Arrow data at a time.
CHUNK = 1_000
#: All buffers together hold at most this many row groups' worth of rows.
MAX_BUFFERED_GROUPS = 5


def _dumps(value: Any) -> str:
    # The standard library's compact text, as orjson writes it where they agree.
    return dumps_line(value).decode("utf-8")


def _year(event: dict[str, Any]) -> str:
    try:
        year = event["when"]["start"][:4]
    except (KeyError, TypeError):
        return NULL_PARTITION
    return year if isinstance(year, str) and len(year) == 4 and year.isdigit() else NULL_PARTITION


class _Part:
    """One Parquet file being written.

    Rows wait as JSON text (see :mod:`._text`) only until there are
    :data:`CHUNK` of them, then as Arrow data; :meth:`flush` writes what
    waits as one row group. A row that cannot wait as text waits as a dict,
    and its chunk is built from dicts.
    """

    def __init__(self, path: Path, kind: RecordKind, metadata: dict[bytes, bytes]) -> None:
        self.path = path
        self.kind = kind
        self.schema = arrow_schema(kind).with_metadata(metadata)
        self._text = RowText(self.schema)
        self._rows: list[bytes | dict[str, Any]] = []
        self._all_text = True
        self._batches: list[Any] = []
        #: Rows buffered, as text, dicts or Arrow data.
        self.pending = 0
        self._writer: Any = None

    def add(self, row: dict[str, Any]) -> None:
        """Buffer one row (the writer's own copy)."""
        text = self._text.encode(row)
        if text is None:
            self._all_text = False
            self._rows.append(row)
        else:
            self._rows.append(text)
        self.pending += 1
        if len(self._rows) >= CHUNK:
            self._batch()

    def _batch(self) -> None:
        if not self._rows:
            return
        batch = None
        if self._all_text:
            batch = self._text.read(cast("list[bytes]", self._rows))
        if batch is None:
            batch = self._from_dicts()
        self._batches.append(batch)
        self._rows.clear()
        self._all_text = True

    def _from_dicts(self) -> Any:
        pa = arrow()
        text = self._text
        rows = [text.decode(r) if isinstance(r, bytes) else r for r in self._rows]
        try:
            return pa.RecordBatch.from_pylist(rows, schema=self.schema)
        except (pa.ArrowException, OverflowError) as exc:
            first = rows[0].get("id")
            raise ValueError(
                f"{self.kind.value} records (from {first!r}) cannot be written as Parquet: {exc}"
            ) from None

    def flush(self) -> None:
        """Write the buffered rows as one row group."""
        self._batch()
        if not self._batches:
            return
        table = arrow().Table.from_batches(self._batches, schema=self.schema)
        self._batches.clear()
        self.pending = 0
        self._open().write_table(table, row_group_size=table.num_rows)

    def _open(self) -> Any:
        if self._writer is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._writer = arrow().parquet.ParquetWriter(self.path, self.schema)
        return self._writer

    def close(self, *, empty: bool) -> None:
        """Finish the file; with ``empty``, write one even if no rows came."""
        self.flush()
        if self._writer is None and empty:
            self._open()
        if self._writer is not None:
            self._writer.close()
            self._writer = None

    def abort(self) -> None:
        """Close the file without caring whether it is whole."""
        self._rows.clear()
        self._batches.clear()
        if self._writer is not None:
            # The folder is removed anyway; a failure to finish the file does not matter.
            with contextlib.suppress(Exception):
                self._writer.close()
            self._writer = None


class DatasetWriter:
    """Writes a Parquet dataset record by record, in bounded memory.

    Each table buffers up to ``row_group_size`` records, then writes them
    as a row group; events go to one file per year. When all buffers
    together hold :data:`MAX_BUFFERED_GROUPS` times that many, every buffer
    is written. Files are
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
        self._metadata = {SCHEMA_KEY: _dumps(header).encode(), VERSION_KEY: version.encode()}
        if self._target.exists() and not overwrite:
            raise TargetExistsError(f"{self._target} exists; pass overwrite=True to replace it")
        self._staging = StagingDirectory(self._target)
        self._parts: dict[tuple[RecordKind, str], _Part] = {}
        self._json = {kind: json_columns(kind) for kind in RecordKind}
        self._buffered = 0
        self._position = 0
        try:
            for kind in RecordKind:
                (self._staging.path / TABLES[kind]).mkdir()
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
        record_kind = RecordKind(kind)
        row = dict(data)
        for column in self._json[record_kind]:
            if column in row:
                row[column] = _dumps(row[column])
        partition = ""
        if record_kind is RecordKind.EVENT:
            row[POSITION] = self._position
            self._position += 1
            partition = _year(data)
        part = self._part(record_kind, partition)
        part.add(row)
        self._buffered += 1
        if part.pending >= self._size:
            self._buffered -= part.pending
            part.flush()
        elif self._buffered >= MAX_BUFFERED_GROUPS * self._size:
            # Many partitions, each short of a row group: write them all.
            for each in self._parts.values():
                each.flush()
            self._buffered = 0

    def close(self) -> list[Problem]:
        """Write what is buffered, finish every file and put the dataset in place."""
        try:
            for kind in RecordKind:
                if kind is not RecordKind.EVENT:
                    # Every table but events has a file, empty or not: the
                    # sources file is where readers find the dataset's header.
                    self._part(kind, "")
            for (kind, _), part in self._parts.items():
                part.close(empty=kind is not RecordKind.EVENT)
            self._staging.publish(overwrite=self._overwrite)
        except BaseException:
            self.abort()
            raise
        return []

    def abort(self) -> None:
        """Remove everything written so far."""
        for part in self._parts.values():
            part.abort()
        self._staging.discard()
