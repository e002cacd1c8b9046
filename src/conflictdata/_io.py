"""``load`` and ``dump``: any format, validated on the way in, written atomically."""

from __future__ import annotations

import io
import os
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any, BinaryIO

import attrs

from . import formats
from ._build import build, paused_gc
from ._convert import to_dict
from ._errors import DataValidationError, OptionError, UnknownFormatError
from ._pipeline import Pipeline
from ._report import Report
from ._staging import atomic_writer
from .formats import Entry, Format
from .formats._base import KindFilter, header_of, write_document
from .model import Dataset, RecordKind

__all__ = [
    "ReadResult",
    "atomic_writer",
    "dump",
    "dumps",
    "format_for",
    "load",
    "loads",
    "open_entries",
    "read",
    "validate_file",
    "watched_entries",
]

PathArg = str | os.PathLike[str]


def format_for(name: str | None, path: PathArg | None, *, reading: bool = False) -> Format:
    """The format called ``name``, or else the one ``path`` implies.

    For reading, a file's content decides where its name does not (see
    :func:`conflictdata.formats.for_input`).
    """
    if name is not None:
        return formats.get(name)
    if path is None:
        raise UnknownFormatError("say which format: there is no file name to tell it from")
    return formats.for_input(path) if reading else formats.for_path(path)


@contextmanager
def open_entries(
    fmt: Format, path: PathArg, *, opened: Callable[[BinaryIO], None] | None = None
) -> Iterator[Iterator[Entry]]:
    """The entries of the file (or directory) ``path`` in format ``fmt``.

    ``opened``, if given, is called with the binary file before it is read
    (not for directory formats), for whoever follows how far reading has got.
    """
    reader = fmt.reader
    if reader is None:
        raise UnknownFormatError(f"conflictdata cannot read the {fmt.name} format")
    if fmt.directory:
        entries = reader(Path(path))
        try:
            yield entries
        finally:
            _close(entries)
        return
    with Path(path).open("rb") as stream:
        if opened is not None:
            opened(stream)
        entries = reader(stream)
        try:
            yield entries
        finally:
            # The reader finishes before its file closes, even when reading
            # stopped early: its clean-up may still need the file.
            _close(entries)


def _close(entries: Iterator[Entry]) -> None:
    close: Callable[[], None] | None = getattr(entries, "close", None)
    if close is not None:
        close()


@attrs.frozen
class ReadResult:
    """What :func:`read` found: the records that passed, and every problem."""

    #: The dataset of every record that passed its checks.
    dataset: Dataset
    #: Every problem, each skipped record with where it was in the file.
    report: Report


def collect(
    entries: Iterator[Entry], *, skip_invalid: bool = False, build_records: bool = True
) -> tuple[Report, Dataset | None]:
    """Run ``entries`` through the pipeline: the report, and the dataset if one was made.

    Without ``skip_invalid`` the dataset is made only when there is no
    error; with it, of the records that passed.
    """
    pipeline = Pipeline(entries, skip_invalid=skip_invalid)
    lists: dict[RecordKind, list[dict[str, Any]]] = {kind: [] for kind in RecordKind}
    keep = build_records
    with paused_gc():
        for kind, data in pipeline:
            # After an error only the report matters, unless bad records are skipped.
            if keep and (skip_invalid or not pipeline.failed()):
                lists[kind].append(data)
        report = pipeline.log.report(ordered=True)
        header = pipeline.header
        if not keep or header is None or (pipeline.failed() and not skip_invalid):
            return report, None
        document = {**header, **{kind.member: lists[kind] for kind in RecordKind}}
        return report, build(document, Dataset)


#: Entries read between two calls of a ``progress`` callback.
PROGRESS_EVERY = 500

#: ``progress(entries, position)``: entries read so far, and bytes of the file
#: read so far (None for a directory format, or once the file is closed).
ProgressCallback = Callable[[int, int | None], None]


def validate_file(
    path: PathArg,
    *,
    format: str | None = None,  # noqa: A002
    progress: ProgressCallback | None = None,
) -> Report:
    """Read and validate the file ``path``: every problem, located in the file.

    Unlike :func:`load`, this returns the warnings of a valid file too, and
    never raises for bad data: unreadable input is a problem in the report.
    Streaming formats (JSON Lines, TEI, the CSV package, ACLED, UCDP GED,
    PLOVER JSON Lines) are read record by record, in memory bounded by the
    ids the cross-record checks remember; a JSON document is parsed whole.

    ``progress``, if given, is called with the number of entries (header,
    records and reader problems) read so far and how many bytes of the file
    that took (None for a directory format), every :data:`PROGRESS_EVERY`
    entries and once at the end.

    Raises:
        UnknownFormatError: the format cannot be told or is unknown.
        OSError: the file cannot be read.
    """
    fmt = format_for(format, path, reading=True)
    with watched_entries(fmt, path, progress) as entries:
        pipeline = Pipeline(entries)
        try:
            # Nothing is built, so there is no reason to pause the garbage
            # collector as collect() does.
            for _ in pipeline:
                pass
        finally:
            pipeline.close()
        return pipeline.log.report(ordered=True)


@contextmanager
def watched_entries(
    fmt: Format, path: PathArg, progress: ProgressCallback | None
) -> Iterator[Iterator[Entry]]:
    """:func:`open_entries`, calling ``progress`` as entries are read."""
    if progress is None:
        with open_entries(fmt, path) as entries:
            yield entries
        return
    files: list[BinaryIO] = []
    with open_entries(fmt, path, opened=files.append) as entries:
        watched = _Watched(entries, files[0] if files else None, progress)
        try:
            yield watched
        finally:
            watched.report()


class _Watched:
    """Entries passed through, with a call of ``progress`` now and then."""

    def __init__(
        self, entries: Iterator[Entry], file: BinaryIO | None, progress: ProgressCallback
    ) -> None:
        self._entries = entries
        self._file = file
        self._progress = progress
        self._count = 0

    def __iter__(self) -> _Watched:
        return self

    def __next__(self) -> Entry:
        entry = next(self._entries)
        self._count += 1
        if self._count % PROGRESS_EVERY == 0:
            self.report()
        return entry

    def report(self) -> None:
        """Call ``progress`` with how far reading has got."""
        self._progress(self._count, self._position())

    def _position(self) -> int | None:
        if self._file is None or self._file.closed:
            return None
        try:
            position: int = self._file.tell()
        except (OSError, ValueError):
            return None
        return position

    def close(self) -> None:
        """Close the entries (the pipeline closes what it reads)."""
        close: Callable[[], None] | None = getattr(self._entries, "close", None)
        if close is not None:
            close()


def load(path: PathArg, *, format: str | None = None) -> Dataset:  # noqa: A002 - the natural name
    """Read, validate and return the dataset in ``path``.

    Args:
        path: The file to read.
        format: A format name (see :func:`conflictdata.formats.names`);
            by default the file name's ending decides.

    Raises:
        DataValidationError: the file is not well-formed or not valid; its
            ``report`` lists every problem with where it is. To keep the
            valid records of such a file, use :func:`read`.
        UnknownFormatError: the format cannot be told or is unknown.
        OSError: the file cannot be read.
    """
    fmt = format_for(format, path, reading=True)
    with open_entries(fmt, path) as entries:
        report, dataset = collect(entries)
    if dataset is None:
        raise DataValidationError(report, os.fspath(path))
    return dataset


def read(path: PathArg, *, format: str | None = None) -> ReadResult:  # noqa: A002
    r"""Read ``path``, keeping every record that passes and reporting the others.

    Never raises for bad records: each skipped record is in the report with
    where it was (row, line, table). Records that refer to a skipped record
    are skipped too, so the dataset is always valid.

    >>> import conflictdata as cd, tempfile, pathlib
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "x.jsonl"
    >>> _ = cd.dump(cd.examples.load("karabakh-2020"), path)
    >>> lines = path.read_text("utf-8").splitlines()
    >>> lines[-2] = lines[-2].replace('"status":"confirmed"', '"status":"rumoured"')
    >>> _ = path.write_text("\n".join(lines) + "\n", "utf-8")
    >>> got = cd.read(path)
    >>> len(got.dataset.events)
    18
    >>> for problem in got.report.errors:
    ...     print(problem.location, problem.pointer, problem.code)
    line 51 /events/18/status schema.enum

    Raises:
        DataValidationError: nothing could be read (no valid dataset header).
        UnknownFormatError: the format cannot be told or is unknown.
        OSError: the file cannot be read.
    """
    fmt = format_for(format, path, reading=True)
    with open_entries(fmt, path) as entries:
        report, dataset = collect(entries, skip_invalid=True)
    if dataset is None:
        raise DataValidationError(report, os.fspath(path))
    return ReadResult(dataset, report)


def loads(data: str | bytes, *, format: str = "json") -> Dataset:  # noqa: A002
    """Read, validate and return a dataset from text or bytes."""
    raw = data.encode("utf-8", "surrogatepass") if isinstance(data, str) else data
    fmt = formats.get(format)
    if fmt.reader is None or fmt.directory:
        raise UnknownFormatError(f"the {fmt.name} format cannot be read from a string")
    report, dataset = collect(fmt.reader(io.BytesIO(raw)))
    if dataset is None:
        raise DataValidationError(report, "<string>")
    return dataset


def dumps(dataset: Dataset, *, format: str = "json") -> str:  # noqa: A002
    """The dataset as text in ``format``."""
    fmt = formats.get(format)
    if fmt.writer is None or fmt.directory:
        raise UnknownFormatError(f"conflictdata cannot write the {fmt.name} format to a string")
    buffer = io.BytesIO()
    data = to_dict(dataset)
    write_document(KindFilter(fmt.writer(buffer, header_of(data)), fmt.kinds, fmt.name), data)
    return buffer.getvalue().decode("utf-8")


def dump(
    dataset: Dataset,
    path: PathArg,
    *,
    format: str | None = None,  # noqa: A002
    overwrite: bool = False,
    options: Mapping[str, Any] | None = None,
) -> Report:
    """Write ``dataset`` to ``path`` atomically.

    The file appears complete or not at all: it is written to a temporary
    file beside ``path`` and moved into place. An existing file, including
    the one the dataset was loaded from, is only replaced with
    ``overwrite=True``.

    ``options`` go to the format's writer: the CSV package takes
    ``bom=True`` (for Excel) and ``escape_formulas=False``.

    Returns:
        Warnings about what the format could not hold (for example events
        without coordinates in GeoJSON); empty for lossless formats.

    Raises:
        TargetExistsError: ``path`` exists and ``overwrite`` is false.
    """
    fmt = format_for(format, path)
    data = to_dict(dataset)
    with open_writer_for(fmt, path, header_of(data), overwrite=overwrite, options=options) as w:
        return Report.of(write_document(w, data))


@contextmanager
def open_writer_for(
    fmt: Format,
    path: PathArg,
    header: dict[str, Any],
    *,
    overwrite: bool = False,
    options: Mapping[str, Any] | None = None,
) -> Iterator[formats.RecordWriter]:
    """The format's writer for ``path``; the target appears only if the block succeeds."""
    check_options(fmt, options)
    make: Callable[..., formats.RecordWriter] | None = fmt.writer
    if make is None:
        raise UnknownFormatError(f"conflictdata cannot write the {fmt.name} format")
    if fmt.directory:
        yield KindFilter(
            make(Path(path), header, overwrite=overwrite, **(options or {})), fmt.kinds, fmt.name
        )
        return
    with atomic_writer(path, overwrite=overwrite) as stream:
        yield KindFilter(make(stream, header, **(options or {})), fmt.kinds, fmt.name)


def check_options(fmt: Format, options: Mapping[str, Any] | None) -> None:
    """Refuse options the format does not take, naming those it does."""
    unknown = sorted(set(options or ()) - set(fmt.options))
    if unknown:
        takes = ", ".join(fmt.options) or "none"
        raise OptionError(
            f"the {fmt.name} format takes no option {', '.join(unknown)} (it takes: {takes})"
        )
