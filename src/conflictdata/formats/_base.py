"""What every format module provides, and what readers hand back."""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any, Protocol

import attrs

from .._errors import InputError
from .._report import Path as DocPath
from .._report import Problem, Severity
from ..model import RecordKind

__all__ = [
    "ALL_KINDS",
    "BadRecordsError",
    "Decoded",
    "Entry",
    "Format",
    "Item",
    "KindFilter",
    "RecordWriter",
    "Where",
    "header_of",
    "lazy",
    "raise_errors",
    "read_collecting",
    "read_items",
    "write_document",
]

#: Where a record was in its file: a place (``"line 3"``), or a function from
#: a path inside the record to a place (a CSV package's table, row and
#: column), or None when the format knows no better than the path.
Where = str | Callable[[DocPath], str | None] | None

#: One record read from a stream: its kind ("dataset" for the header with
#: schema_version and metadata, then "source", "actor" or "event"), its
#: plain data, where it was in the file, and whether its text is known to be
#: plain ASCII (which needs no NFC or bidi checks).
Item = tuple[str, Any, Where, bool]

#: What a reader yields: items, and problems it found on its own (a row it
#: could not read and skipped, a record that is not an event). Problems
#: carry their own location.
Entry = Item | Problem


@attrs.frozen
class Decoded:
    """A whole document read from a file, with where its records were."""

    data: Any
    #: Path of a record (``("events", 3)``) -> its place in the file.
    locations: Mapping[DocPath, str] = attrs.field(factory=dict)
    #: For formats that know more than records (a table's column), a function.
    locator: Callable[[DocPath], str | None] | None = None
    #: Problems found while reading that do not stop the whole read.
    problems: tuple[Problem, ...] = ()
    #: Errors counted but not kept in ``problems`` (past the cap of one code).
    dropped: Mapping[str, int] = attrs.field(factory=dict)

    def locate(self, path: DocPath) -> str | None:
        """The file location of the value at ``path``, if the format knows it."""
        if self.locator is not None:
            return self.locator(path)
        for end in range(len(path), 0, -1):
            found = self.locations.get(path[:end])
            if found is not None:
                return found
        return None

    def entries(self) -> Iterator[Entry]:
        """The document as a reader's entries: its problems, header and records."""
        from .._pipeline import document_entries  # noqa: PLC0415 - the pipeline imports this module

        if self.dropped:
            # The errors go with the count of those not kept, as a row reader's do.
            yield from (p for p in self.problems if p.severity is not Severity.ERROR)
            raise_errors(self.problems, self.dropped)
        yield from self.problems
        if any(p.severity is Severity.ERROR for p in self.problems):
            # What could be read of a broken package would only repeat it.
            return
        locate = self.locate if (self.locator is not None or self.locations) else None
        yield from document_entries(self.data, locate)


class RecordWriter(Protocol):
    """Writes records one by one to a stream; ``close()`` finishes the file."""

    def write(self, kind: str, data: dict[str, Any]) -> None:
        """Write one plain record of ``kind`` ("source", "actor" or "event")."""

    def close(self) -> Sequence[Problem]:
        """Finish the file; return warnings about what the format could not hold."""

    def abort(self) -> None:
        """Give up: leave nothing behind."""


def header_of(document: dict[str, Any]) -> dict[str, Any]:
    """The members of a plain document that are not record lists."""
    members = {k.member for k in RecordKind}
    return {k: v for k, v in document.items() if k not in members}


class BadRecordsError(InputError):
    """Records a reader could not read; it read the others."""

    def __init__(
        self, problems: Sequence[Problem], dropped: Mapping[str, int] | None = None
    ) -> None:
        first = problems[0]
        super().__init__(first.code, first.message, location=first.location)
        self.problems = tuple(problems)
        #: Errors counted but not kept (past the cap of one code), by code.
        self.dropped = dict(dropped or {})


def raise_errors(problems: Sequence[Problem], dropped: Mapping[str, int] | None = None) -> None:
    """End a stream whose reader met bad records: raise them all at once.

    ``dropped`` counts errors not kept (by default those a
    :class:`~conflictdata._report.ProblemList` counted).
    """
    errors = [p for p in problems if p.severity is Severity.ERROR]
    if errors:
        raise BadRecordsError(errors, dropped or getattr(problems, "dropped", None))


def read_collecting(items: Iterator[Item]) -> Decoded:
    """A whole document from a reader that raises :class:`BadRecordsError` at its end."""
    collected: list[Item] = []
    try:
        collected.extend(items)
    except BadRecordsError as exc:
        decoded = read_items(collected)
        return Decoded(decoded.data, decoded.locations, problems=exc.problems, dropped=exc.dropped)
    return read_items(collected)


def read_items(items: Iterable[Item]) -> Decoded:
    """A whole document from a stream's items, remembering where each record was."""
    document: dict[str, Any] = {"sources": [], "actors": [], "events": []}
    locations: dict[DocPath, str] = {}
    for kind, data, where, _ in items:
        if kind == "dataset":
            document.update(data)
            if isinstance(where, str):
                locations.update({(key,): where for key in data})
            continue
        member = RecordKind(kind).member
        records = document.setdefault(member, [])
        if isinstance(where, str):
            locations[(member, len(records))] = where
        records.append(data)
    # Members of the header first, as in a JSON document.
    ordered = {k: document[k] for k in ("schema_version", "metadata") if k in document}
    return Decoded({**ordered, **document}, locations)


def write_document(writer: RecordWriter, document: dict[str, Any]) -> list[Problem]:
    """Write every record of a plain document through ``writer``, then finish it."""
    try:
        for kind in RecordKind:
            for record in document.get(kind.member, ()):
                writer.write(kind, record)
    except BaseException:
        writer.abort()
        raise
    return list(writer.close())


ALL_KINDS: frozenset[RecordKind] = frozenset(RecordKind)


class KindFilter:
    """A writer that hands on only the kinds its format takes, counting the rest."""

    def __init__(self, writer: RecordWriter, kinds: frozenset[RecordKind], name: str) -> None:
        self._writer = writer
        self._kinds = kinds
        self._name = name
        self._left: dict[RecordKind, int] = {}

    def write(self, kind: str, data: dict[str, Any]) -> None:
        """Write the record if the format takes its kind."""
        record_kind = RecordKind.named(kind)
        if record_kind in self._kinds:
            self._writer.write(record_kind, data)
        else:
            self._left[record_kind] = self._left.get(record_kind, 0) + 1

    def close(self) -> Sequence[Problem]:
        """Finish; warn of the records left out."""
        problems = list(self._writer.close())
        problems.extend(
            Problem(
                path=(kind.member,),
                code="export.lossy",
                severity=Severity.WARNING,
                message=f"{count} {kind.value} record(s) left out: the {self._name} format "
                "cannot hold them",
            )
            for kind, count in self._left.items()
        )
        return problems

    def abort(self) -> None:
        """Give up."""
        self._writer.abort()


def lazy(module: str, name: str) -> Callable[..., Any]:
    """A function that imports ``module`` and calls its ``name`` on first use.

    Built-in formats name their verbs this way, so that looking a format up
    (or importing conflictdata) does not import lxml and friends.
    """

    def call(*args: Any, **kwargs: Any) -> Any:
        return getattr(importlib.import_module(module), name)(*args, **kwargs)

    call.__name__ = call.__qualname__ = name
    call.__doc__ = f"``{module}.{name}``, imported on first use."
    return call


@attrs.frozen(kw_only=True)
class Format:
    """A file format, as its module registers it.

    Every format offers at most two verbs, both streaming: ``reader`` turns
    a source into :data:`Entry` values, ``writer`` makes a
    :class:`RecordWriter` for a target. Whole-document reading and writing
    are derived from them (see :func:`conflictdata.load`,
    :func:`conflictdata.dump`).

    For a file format (``directory`` false) the source and target are
    binary streams: ``reader(stream)``, ``writer(stream, header, **options)``.
    For a format that is a directory or an archive they are paths:
    ``reader(path)``, ``writer(path, header, overwrite=..., **options)``,
    and the writer itself writes atomically.

    Register a format as an entry point in the group
    ``conflictdata.formats`` whose value is the :class:`Format`
    (``gdelt = "mypackage.gdelt:FORMAT"``).
    """

    #: The name users pass as ``format=`` (lower case).
    name: str
    #: What the format is, in one line.
    description: str
    #: True when writing then reading gives back the same dataset.
    lossless: bool
    #: File name endings it claims (``.tei.xml``); the longest match wins.
    suffixes: tuple[str, ...] = ()
    #: True for a directory (or archive) of files rather than one stream.
    directory: bool = False
    #: ``reader(source) -> Iterator[Entry]``; None for write-only formats.
    reader: Callable[[Any], Iterator[Entry]] | None = None
    #: ``writer(target, header, **options) -> RecordWriter``; None for read-only formats.
    writer: Callable[..., RecordWriter] | None = None
    #: True when ``reader`` yields records as it reads (bounded memory).
    streams: bool = True
    #: Keyword options the writer takes (``bom``, ``escape_formulas``).
    options: tuple[str, ...] = ()
    #: ``detect(head) -> bool``: whether the first bytes of a file are this
    #: format, for files whose name does not say (a GDELT ``.CSV``).
    detect: Callable[[bytes], bool] | None = None
    #: For directory formats: whether a path with no known ending is one.
    claims_path: Callable[[Path], bool] | None = None
    #: The record kinds the writer takes; others are left out with a warning.
    kinds: frozenset[RecordKind] = frozenset(
        (RecordKind.SOURCE, RecordKind.ACTOR, RecordKind.EVENT)
    )

    @property
    def readable(self) -> bool:
        """Whether conflictdata can read the format."""
        return self.reader is not None

    @property
    def writable(self) -> bool:
        """Whether conflictdata can write the format."""
        return self.writer is not None
