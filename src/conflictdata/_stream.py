"""Streaming: read and validate records one at a time, write them one at a time.

Memory stays bounded by what cross-record checks must remember: the ids
seen so far (to find duplicates and resolve references), and references to
records that have not appeared yet.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Mapping
from contextlib import ExitStack
from pathlib import Path
from types import TracebackType
from typing import Any, BinaryIO, TypeVar

import attrs

from . import _schemacheck, _semantic, formats
from ._build import build
from ._convert import to_dict
from ._errors import DataValidationError, InputError, UnknownFormatError
from ._ids import IdIndex
from ._io import atomic_writer, check_options, input_problem
from ._report import Problem, Report, Severity, error, pointer
from .model import RECORD_LISTS as _LISTS
from .model import SCHEMA_VERSION, Actor, Event, Metadata, Source

__all__ = [
    "PROGRESS_EVERY",
    "DatasetWriter",
    "RecordStream",
    "convert",
    "iter_records",
    "open_writer",
]

#: How many records :func:`convert` writes between calls of its ``progress``.
PROGRESS_EVERY = 1000

Record = Source | Actor | Event
_Self = TypeVar("_Self")
_CLASSES: dict[str, type[Record]] = {"source": Source, "actor": Actor, "event": Event}
_KINDS = {cls: kind for kind, cls in _CLASSES.items()}


class RecordStream:
    """The records of a file, each validated as it is read.

    Iterating yields :class:`Source`, :class:`Actor` and :class:`Event`
    records in file order; :attr:`metadata` is read first. A record with
    errors stops the stream with :class:`DataValidationError` (whose
    problems carry the record's place in the file); references to records
    that never appear are reported when the stream ends. Warnings are
    collected in :attr:`warnings`.
    """

    def __init__(self, path: str | os.PathLike[str], *, format: str | None = None) -> None:  # noqa: A002
        fmt = formats.get(format) if format else formats.for_path(path)
        if fmt.iter_items is None:
            raise UnknownFormatError(f"the {fmt.name} format cannot be read as a stream")
        self.source = os.fspath(path)
        self._file: BinaryIO = Path(path).open("rb")  # noqa: SIM115 - closed by close()
        self._items = fmt.iter_items(self._file)
        self._ids = IdIndex()
        self._pending: list[tuple[str, str, tuple[str | int, ...], str | None]] = []
        self._counts = dict.fromkeys(_CLASSES, 0)
        self.warnings: list[Problem] = []
        try:
            self.schema_version, self.metadata = self._header()
        except BaseException:
            self.close()
            raise

    def _next_item(self) -> tuple[str, dict[str, Any], str | None, bool]:
        try:
            return next(self._items)
        except InputError as exc:
            raise DataValidationError(Report.of([input_problem(exc)]), self.source) from None

    def _header(self) -> tuple[str, Metadata]:
        _, data, where, _ = self._next_item()
        envelope = {**data, "sources": [], "actors": [], "events": []}
        self._check(_schemacheck.check(envelope, "dataset"), (), where)
        self._check(_semantic.check(envelope, "dataset"), (), where)
        return data["schema_version"], build(data["metadata"], Metadata)

    def _check(
        self, problems: list[Problem], prefix: tuple[str | int, ...], where: str | None
    ) -> None:
        located = [
            attrs.evolve(p, path=pointer(*prefix) + p.path, location=p.location or where)
            for p in problems
        ]
        self.warnings.extend(p for p in located if p.severity is Severity.WARNING)
        errors = [p for p in located if p.severity is Severity.ERROR]
        if errors:
            raise DataValidationError(Report.of(errors), self.source)

    def __iter__(self) -> Iterator[Record]:
        return self

    def __next__(self) -> Record:
        kind, data = self._next_plain()
        return build(data, _CLASSES[kind])

    def plain(self) -> Iterator[tuple[str, dict[str, Any]]]:
        """The validated records as plain data, with their kinds; nothing is built.

        For conversions, which hand the data straight to a writer.
        """
        # The callable's StopIteration ends the iteration.
        return iter(self._next_plain, None)

    def _next_plain(self) -> tuple[str, dict[str, Any]]:
        try:
            kind, data, where, ascii_text = self._next_item()
        except StopIteration:
            try:
                self._resolve_pending()
            finally:
                self.close()
            raise
        except BaseException:
            self.close()
            raise
        try:
            self._validate(kind, data, where, ascii_text=ascii_text)
        except BaseException:
            self.close()
            raise
        return kind, data

    def _validate(
        self, kind: str, data: dict[str, Any], where: str | None, *, ascii_text: bool
    ) -> None:
        index = self._counts[kind]
        self._counts[kind] += 1
        prefix = (_LISTS[kind], index)
        self._check(_schemacheck.check(data, kind), prefix, where)
        problems = _semantic.check(data, kind, ascii_text=ascii_text)
        record_id = data["id"]
        first = self._ids.add(record_id, kind)
        if first is not None:
            problems.append(
                error("/id", "id.duplicate", f"id {record_id!r} is already used by a {first}")
            )
        for target, expected, path in _semantic.references(data, kind):
            found = self._ids.get(target)
            if found is None:
                self._pending.append((target, expected, (*prefix, *path), where))
            elif found != expected:
                problems.append(_semantic.reference_problem(target, expected, found, path))
        self._check(problems, prefix, where)

    def _resolve_pending(self) -> None:
        problems = [
            attrs.evolve(
                _semantic.reference_problem(target, expected, self._ids.get(target), path),
                location=where,
            )
            for target, expected, path, where in self._pending
            if self._ids.get(target) != expected
        ]
        self._pending.clear()
        if problems:
            raise DataValidationError(Report.of(problems), self.source)

    def close(self) -> None:
        """Close the file (iterating to the end closes it too)."""
        self._file.close()
        self._ids.close()

    def __enter__(self: _Self) -> _Self:  # noqa: PYI019 - typing.Self is 3.11+
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()


def iter_records(path: str | os.PathLike[str], *, format: str | None = None) -> RecordStream:  # noqa: A002
    """Stream the records of a file, validating each one.

    >>> import conflictdata as cd, tempfile, pathlib
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "karabakh.jsonl"
    >>> report = cd.dump(cd.examples.load("karabakh-2020"), path)
    >>> with cd.iter_records(path) as records:
    ...     events = [r for r in records if isinstance(r, cd.Event)]
    ...     records.metadata.title
    'Karabakh 2020: the road to the September offensive'
    >>> len(events)
    19
    """
    return RecordStream(path, format=format)


class DatasetWriter:
    """Writes a dataset record by record, atomically.

    Write sources and actors before the events that refer to them when the
    file may be read as a stream. The file appears when the writer is
    closed without an error; after an error nothing is left behind.
    """

    def __init__(
        self,
        path: str | os.PathLike[str],
        metadata: Metadata,
        *,
        format: str | None = None,  # noqa: A002
        overwrite: bool = False,
        options: Mapping[str, Any] | None = None,
    ) -> None:
        fmt = formats.get(format) if format else formats.for_path(path)
        check_options(fmt, options)
        header = {"schema_version": SCHEMA_VERSION, "metadata": to_dict(metadata)}
        self._stack = ExitStack()
        self._writer: formats.RecordWriter
        if fmt.write_path is not None:
            self._writer = fmt.write_path(
                Path(path), header, overwrite=overwrite, **(options or {})
            )
        elif fmt.writer is not None:
            stream = self._stack.enter_context(atomic_writer(path, overwrite=overwrite))
            self._writer = fmt.writer(stream, header, **(options or {}))
        else:
            raise UnknownFormatError(f"the {fmt.name} format cannot be written as a stream")
        self.warnings: list[Problem] = []

    def write(self, record: Record) -> None:
        """Write one source, actor or event."""
        self._writer.write(_KINDS[type(record)], to_dict(record))

    def write_plain(self, kind: str, data: dict[str, Any]) -> None:
        """Write one record given as valid plain data of ``kind``."""
        self._writer.write(kind, data)

    def close(self) -> Report:
        """Finish the file and move it into place; warnings about what was left out."""
        self.warnings.extend(self._writer.close())
        self._stack.close()
        return Report.of(self.warnings)

    def __enter__(self: _Self) -> _Self:  # noqa: PYI019 - typing.Self is 3.11+
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if exc is None:
            self.close()
        else:
            # Leave nothing behind: temporary files are removed.
            self._writer.abort()
            self._stack.__exit__(exc_type, exc, traceback)


def open_writer(
    path: str | os.PathLike[str],
    metadata: Metadata,
    *,
    format: str | None = None,  # noqa: A002
    overwrite: bool = False,
    options: Mapping[str, Any] | None = None,
) -> DatasetWriter:
    """A :class:`DatasetWriter` for ``path`` (format from the name, or ``format``)."""
    return DatasetWriter(path, metadata, format=format, overwrite=overwrite, options=options)


def convert(  # noqa: PLR0913 - keyword-only options, as load() and dump() take
    source: str | os.PathLike[str],
    target: str | os.PathLike[str],
    *,
    from_format: str | None = None,
    to_format: str | None = None,
    overwrite: bool = False,
    options: Mapping[str, Any] | None = None,
    progress: Callable[[int], None] | None = None,
) -> Report:
    """Convert a file to another format, validating on the way.

    When the source format streams (JSON Lines, TEI, ACLED, UCDP GED,
    PLOVER) and the target can be written record by record (all but JSON),
    the conversion runs in bounded memory and never builds records;
    otherwise (a JSON document on either side) the dataset is loaded whole.
    The target is written atomically and never replaces ``source``.

    ``progress``, if given, is called with the number of records written
    so far, every :data:`PROGRESS_EVERY` records and at the end.

    Returns:
        Warnings: from validation, and about what the target could not hold.

    Raises:
        DataValidationError: the source is invalid; the target is not written.
    """
    source_format = formats.get(from_format) if from_format else formats.for_path(source)
    target_format = formats.get(to_format) if to_format else formats.for_path(target)
    if Path(target).exists() and Path(source).exists() and Path(target).samefile(source):
        raise FileExistsError(f"{target} is the input: conflictdata never overwrites its input")
    streams = target_format.writer is not None or target_format.write_path is not None
    if source_format.iter_items is None or not streams:
        from ._io import dump, load  # noqa: PLC0415 - _io is imported by this module's users

        dataset = load(source, format=source_format.name)
        report = dump(
            dataset, target, format=target_format.name, overwrite=overwrite, options=options
        )
        if progress is not None:
            progress(len(dataset.sources) + len(dataset.actors) + len(dataset.events))
        return report
    with RecordStream(source, format=source_format.name) as records:
        writer = DatasetWriter(
            target,
            records.metadata,
            format=target_format.name,
            overwrite=overwrite,
            options=options,
        )
        with writer:
            count = 0
            for kind, data in records.plain():
                writer.write_plain(kind, data)
                count += 1
                if progress is not None and count % PROGRESS_EVERY == 0:
                    progress(count)
        if progress is not None:
            progress(count)
    return Report.of([*records.warnings, *writer.warnings])
