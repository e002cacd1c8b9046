"""Streaming: read and validate records one at a time, write them one at a time.

Memory stays bounded by what cross-record checks must remember: the ids
seen so far (to find duplicates and resolve references), and references to
records that have not appeared yet.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterator, Mapping
from contextlib import ExitStack
from pathlib import Path
from types import TracebackType
from typing import Any, TypeVar

from . import _migrations
from ._build import build
from ._convert import to_dict
from ._errors import DataValidationError, TargetExistsError
from ._io import format_for, open_entries, open_writer_for
from ._pipeline import Pipeline
from ._report import Problem, Report
from .formats import RecordWriter
from .model import SCHEMA_VERSION, Actor, Event, Metadata, RecordKind, Source, Tombstone

__all__ = [
    "PROGRESS_EVERY",
    "DatasetWriter",
    "RecordStream",
    "convert",
    "iter_records",
    "migrate_file",
    "open_writer",
]

#: How many records :func:`convert` writes between calls of its ``progress``.
PROGRESS_EVERY = 1000

Record = Source | Actor | Event | Tombstone
_Self = TypeVar("_Self")


class RecordStream:
    """The type :func:`iter_records` returns: a file's records, each validated as it is read.

    Iterating yields :class:`Source`, :class:`Actor` and :class:`Event`
    records in file order; :attr:`metadata` is read first. A record with
    errors stops the stream with :class:`DataValidationError` (whose
    problems carry the record's place in the file); references to records
    that never appear are reported when the stream ends. Warnings are
    collected in :attr:`warnings`.
    """

    def __init__(self, path: str | os.PathLike[str], *, format: str | None = None) -> None:  # noqa: A002
        fmt = format_for(format, path, reading=True)
        self.source = os.fspath(path)
        self._stack = ExitStack()
        try:
            entries = self._stack.enter_context(open_entries(fmt, path))
            self._pipeline = Pipeline(entries)
            self._stack.callback(self._pipeline.close)
            header = self._pipeline.read_header()
        except BaseException:
            self._stack.close()
            raise
        if header is None or self._pipeline.failed():
            self._stack.close()
            raise DataValidationError(self._pipeline.log.report(), self.source)
        self._records = iter(self._pipeline)
        self.schema_version: str = header["schema_version"]
        self.metadata: Metadata = build(header["metadata"], Metadata)

    @property
    def warnings(self) -> list[Problem]:
        """The warnings found so far."""
        return self._pipeline.log.warnings

    def __iter__(self) -> Iterator[Record]:
        return self

    def __next__(self) -> Record:
        kind, data = self._next_plain()
        return build(data, kind.record_type)

    def plain(self) -> Iterator[tuple[RecordKind, dict[str, Any]]]:
        """The validated records as plain data, with their kinds; nothing is built.

        For conversions, which hand the data straight to a writer.
        """
        # The callable's StopIteration ends the iteration.
        return iter(self._next_plain, None)

    def _next_plain(self) -> tuple[RecordKind, dict[str, Any]]:
        try:
            item = next(self._records)
        except StopIteration:
            self._raise_if_failed()
            self.close()
            raise
        except BaseException:
            self.close()
            raise
        self._raise_if_failed()
        return item

    def _raise_if_failed(self) -> None:
        if self._pipeline.failed():
            self.close()
            raise DataValidationError(self._pipeline.log.report(), self.source)

    def close(self) -> None:
        """Close the file (iterating to the end closes it too)."""
        self._stack.close()

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


class _AbortedError(Exception):
    """Raised into a writer's context so that it removes its temporary file."""


class DatasetWriter:
    """The type :func:`open_writer` returns: writes a dataset record by record, atomically.

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
        fmt = format_for(format, path)
        header = {"schema_version": SCHEMA_VERSION, "metadata": to_dict(metadata)}
        self._stack = ExitStack()
        self._writer: RecordWriter = self._stack.enter_context(
            open_writer_for(fmt, path, header, overwrite=overwrite, options=options)
        )
        self.warnings: list[Problem] = []
        self._done = False

    def write(self, record: Record) -> None:
        """Write one source, actor or event."""
        self._writer.write(RecordKind.of(record), to_dict(record))

    def write_plain(self, kind: str, data: dict[str, Any]) -> None:
        """Write one record given as valid plain data of ``kind``."""
        self._writer.write(kind, data)

    def close(self) -> Report:
        """Finish the file and move it into place; warnings about what was left out."""
        self._done = True
        self.warnings.extend(self._writer.close())
        self._stack.close()
        return Report.of(self.warnings)

    def abort(self) -> None:
        """Give up: remove what was written so far (calling it again does nothing)."""
        if self._done:
            return
        self._done = True
        self._writer.abort()
        with contextlib.suppress(_AbortedError):
            self._stack.__exit__(_AbortedError, _AbortedError(), None)

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
            self.abort()


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


def convert(  # noqa: PLR0913, C901 - keyword-only options, as load() and dump() take
    source: str | os.PathLike[str],
    target: str | os.PathLike[str],
    *,
    from_format: str | None = None,
    to_format: str | None = None,
    overwrite: bool = False,
    options: Mapping[str, Any] | None = None,
    progress: Callable[[int], None] | None = None,
    skip_invalid: bool = False,
) -> Report:
    """Convert a file to another format, validating on the way.

    Records stream from reader to writer through the same checks as
    :func:`load`, without being built: streaming formats (JSON Lines, TEI,
    ACLED, UCDP GED, PLOVER) are converted in bounded memory. The target is
    written atomically and never replaces ``source``.

    An invalid source is read to the end, so that the error reports every
    problem, and no target is written. With ``skip_invalid`` the records
    that pass are written and the others are reported (records that refer
    to a skipped record are skipped too).

    ``progress``, if given, is called with the number of records written
    so far, every :data:`PROGRESS_EVERY` records and at the end.

    Returns:
        Warnings from validation and about what the target could not hold;
        with ``skip_invalid``, also the errors of the records left out.

    Raises:
        DataValidationError: the source is invalid (or, with
            ``skip_invalid``, has no readable header); nothing is written.
    """
    source_format = format_for(from_format, source, reading=True)
    target_format = format_for(to_format, target)
    if Path(target).exists() and Path(source).exists() and Path(target).samefile(source):
        raise TargetExistsError(f"{target} is the input: conflictdata never overwrites its input")
    with open_entries(source_format, source) as entries:
        pipeline = Pipeline(entries, skip_invalid=skip_invalid)
        try:
            header = pipeline.read_header()
            if header is None or pipeline.failed():
                raise DataValidationError(pipeline.log.report(), os.fspath(source))
            writer = DatasetWriter(
                target,
                build(header["metadata"], Metadata),
                format=target_format.name,
                overwrite=overwrite,
                options=options,
            )
            count = 0
            writing = True
            try:
                for kind, data in pipeline:
                    if pipeline.failed() and not skip_invalid:
                        if writing:
                            # Nothing will be written; read on to report everything.
                            writer.abort()
                            writing = False
                        continue
                    writer.write_plain(kind, data)
                    count += 1
                    if progress is not None and count % PROGRESS_EVERY == 0:
                        progress(count)
            except BaseException:
                if writing:
                    writer.abort()
                raise
            if pipeline.failed() and not skip_invalid:
                if writing:
                    writer.abort()
                raise DataValidationError(pipeline.log.report(ordered=True), os.fspath(source))
            written = writer.close()
        finally:
            pipeline.close()
    if progress is not None:
        progress(count)
    report = pipeline.log.report(ordered=True)
    return Report(report.problems + written.problems, report.dropped)


def migrate_file(  # noqa: PLR0913 - keyword-only options, as convert() takes
    source: str | os.PathLike[str],
    target: str | os.PathLike[str],
    *,
    to: str | None = None,
    from_format: str | None = None,
    to_format: str | None = None,
    drop_new: bool = False,
    overwrite: bool = False,
) -> Report:
    """Write ``source`` to ``target`` in schema version ``to``, record by record.

    The source is read as any input is (an older version is migrated up on
    the way in), then each record is moved to ``to``. Going down refuses, with
    :class:`~conflictdata.MigrationError`, data the target cannot hold, unless
    ``drop_new``.

    Raises:
        DataValidationError: the source is invalid; nothing is written.
        MigrationError: the target version cannot hold some of the data.
    """
    version = to or SCHEMA_VERSION
    source_format = format_for(from_format, source, reading=True)
    target_format = format_for(to_format, target)
    if Path(target).exists() and Path(source).exists() and Path(target).samefile(source):
        raise TargetExistsError(f"{target} is the input: conflictdata never overwrites its input")
    steps = _migrations.steps(SCHEMA_VERSION, version)
    with open_entries(source_format, source) as entries:
        pipeline = Pipeline(entries)
        try:
            header = pipeline.read_header()
            if header is None or pipeline.failed():
                raise DataValidationError(pipeline.log.report(), os.fspath(source))
            for step in steps:
                header = step.header(header)
            records = iter(pipeline)
            moved = _migrations.migrate_records(
                records, SCHEMA_VERSION, version, drop_new=drop_new
            )
            with open_writer_for(target_format, target, header, overwrite=overwrite) as writer:
                try:
                    for kind, data in moved:
                        if pipeline.failed():
                            raise DataValidationError(  # noqa: TRY301 - the writer must abort
                                pipeline.log.report(), os.fspath(source)
                            )
                        writer.write(kind, data)
                    if pipeline.failed():
                        raise DataValidationError(  # noqa: TRY301
                            pipeline.log.report(ordered=True), os.fspath(source)
                        )
                except BaseException:
                    writer.abort()
                    raise
                written = writer.close()
        finally:
            pipeline.close()
    report = pipeline.log.report(ordered=True)
    return Report(report.problems + tuple(written), report.dropped)
