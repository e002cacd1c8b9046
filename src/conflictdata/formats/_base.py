"""What every format module provides, and what readers hand back."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any, BinaryIO, Protocol

import attrs

from .._errors import InputError
from .._report import Problem, Severity, pointer
from ..model import RECORD_LISTS

__all__ = [
    "BadRecordsError",
    "Decoded",
    "Format",
    "Item",
    "RecordWriter",
    "header_of",
    "raise_errors",
    "read_collecting",
    "read_items",
    "write_document",
]

#: One record read from a stream: its kind ("dataset" for the header with
#: schema_version and metadata, then "source", "actor" or "event"), its
#: plain data, where it was in the file ("line 3"), and whether its text is
#: known to be plain ASCII (which needs no NFC or bidi checks).
Item = tuple[str, dict[str, Any], str | None, bool]


@attrs.frozen
class Decoded:
    """A whole document read from a file, with where its records were."""

    data: Any
    #: JSON Pointer of a record ("/events/3") -> its place in the file.
    locations: Mapping[str, str] = attrs.field(factory=dict)
    #: For formats that know more than records (a table's column), a function.
    locator: Callable[[str], str | None] | None = None
    #: Problems found while reading that do not stop the whole read.
    problems: tuple[Problem, ...] = ()

    def locate(self, path: str) -> str | None:
        """The file location of the value at ``path``, if the format knows it."""
        if self.locator is not None:
            return self.locator(path)
        parts = path.split("/")
        for end in range(len(parts), 0, -1):
            found = self.locations.get("/".join(parts[:end]))
            if found is not None:
                return found
        return None


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
    return {k: v for k, v in document.items() if k not in RECORD_LISTS.values()}


class BadRecordsError(InputError):
    """Records a reader could not read; it read the others."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        first = problems[0]
        super().__init__(first.code, first.message, location=first.location)
        self.problems = tuple(problems)


def raise_errors(problems: Sequence[Problem]) -> None:
    """End a stream whose reader met bad records: raise them all at once."""
    errors = [p for p in problems if p.severity is Severity.ERROR]
    if errors:
        raise BadRecordsError(errors)


def read_collecting(items: Iterator[Item]) -> Decoded:
    """A whole document from a reader that raises :class:`BadRecordsError` at its end."""
    collected: list[Item] = []
    try:
        collected.extend(items)
    except BadRecordsError as exc:
        decoded = read_items(collected)
        return Decoded(decoded.data, decoded.locations, problems=exc.problems)
    return read_items(collected)


def read_items(items: Iterable[Item]) -> Decoded:
    """A whole document from a stream's items, remembering where each record was."""
    document: dict[str, Any] = {"sources": [], "actors": [], "events": []}
    locations: dict[str, str] = {}
    for kind, data, where, _ in items:
        if kind == "dataset":
            document.update(data)
            locations.update({pointer(key): where for key in data if where})
            continue
        records = document[RECORD_LISTS[kind]]
        if where:
            locations[pointer(RECORD_LISTS[kind], len(records))] = where
        records.append(data)
    # Members of the header first, as in a JSON document.
    ordered = {k: document[k] for k in ("schema_version", "metadata") if k in document}
    return Decoded({**ordered, **document}, locations)


def write_document(writer: RecordWriter, document: dict[str, Any]) -> list[Problem]:
    """Write every record of a plain document through ``writer``, then finish it."""
    try:
        for kind, key in RECORD_LISTS.items():
            for record in document[key]:
                writer.write(kind, record)
    except BaseException:
        writer.abort()
        raise
    return list(writer.close())


@attrs.frozen(kw_only=True)
class Format:
    """A file format: its name, the file name endings it claims, and its verbs.

    ``read`` gives a whole :class:`Decoded` document and ``write`` writes a
    whole plain document; ``iter_items`` and ``writer`` do the same one
    record at a time, for formats that can stream.
    """

    name: str
    suffixes: tuple[str, ...]
    description: str
    lossless: bool
    read: Callable[[BinaryIO], Decoded] | None = None
    write: Callable[..., Sequence[Problem]] | None = None
    iter_items: Callable[[BinaryIO], Iterator[Item]] | None = None
    writer: Callable[..., RecordWriter] | None = None
    #: Formats that are not one stream (a directory of tables) read and
    #: write whole paths instead; writing takes ``overwrite`` and options.
    read_path: Callable[[Path], Decoded] | None = None
    write_path: Callable[..., RecordWriter] | None = None
    #: Keyword options ``write`` and the writers accept (``bom``, ``escape_formulas``).
    options: tuple[str, ...] = ()
