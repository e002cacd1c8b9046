r"""JSON Lines: one record per line, read and written as a stream.

The first line is the header, ``{"record": "dataset", "schema_version":
..., "metadata": {...}}``; every other line is one source, actor or event
with its kind under ``"record"``; the last line is the end record,
``{"record": "end", "counts": {"source": 9, ...}}``, with how many records of
each kind came before it, so that a truncated file is known to be one (a
file without it, as written by conflictdata 0.1, reads with a warning).
Lines are UTF-8 JSON ending in ``\n``
(a ``\r\n`` is tolerated on reading); characters such as U+2028 stay
inside their strings. Each line is read as strictly as a JSON document.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, BinaryIO

from .._errors import InputError
from .._report import Problem, error, warning
from ..model import RecordKind
from . import _detect
from ._base import (
    ALL_KINDS,
    Decoded,
    Entry,
    Format,
    Item,
    header_of,
    read_items,
    write_document,
)
from .json import dumps_line, loads

__all__ = ["END", "MAX_LINE_BYTES", "TAG", "Writer", "iter_entries", "iter_items", "read", "write"]

#: The member that says what a line holds.
TAG = "record"
_KINDS = tuple(kind.value for kind in RecordKind)
#: The kind of the last line, which counts the records before it.
END = "end"
_BRACE = ord("{")
#: The longest line read; a longer one is an ``input.size`` problem.
MAX_LINE_BYTES = 16 * 1024 * 1024


def iter_entries(stream: BinaryIO) -> Iterator[Entry]:
    """The header, then each record of the stream with its line number, then end problems.

    The end record is checked against the records read: counts that differ
    are an error at its line, a file without one gets a warning that it may
    be incomplete.
    """
    header_seen = False
    counts = dict.fromkeys(_KINDS, 0)
    end: tuple[dict[str, Any], str] | None = None
    last = "line 1"
    for raw, where in _lines(stream):
        last = where
        data = _parse(raw, where)
        kind = data.pop(TAG, None)
        if end is not None:
            raise InputError("input.end", "a line after the end record", location=where)
        if not header_seen:
            if kind != "dataset":
                raise InputError(
                    "input.record-type",
                    f'the first line must be the dataset header ({{"{TAG}": "dataset", ...}})',
                    location=where,
                )
            header_seen = True
        elif kind == END:
            end = data, where
            continue
        elif kind not in _KINDS:
            raise InputError(
                "input.record-type",
                f"{TAG!r} must be one of {', '.join(map(repr, _KINDS))}, not {kind!r}",
                location=where,
            )
        else:
            counts[kind] += 1
        # Escapes (\u...) can make any character, so only plain ASCII counts.
        # Most lines have no backslash at all: the one-byte search decides.
        yield kind, data, where, raw.isascii() and (b"\\" not in raw or b"\\u" not in raw)
    if not header_seen:
        raise InputError(
            "input.record-type", "no dataset header: the file is empty", location="line 1"
        )
    if end is None:
        yield warning(
            (),
            "input.incomplete",
            "no end record: the file may be incomplete (files of conflictdata 0.1 have none)",
            location=last,
        )
    else:
        problem = _end_problem(*end, counts)
        if problem is not None:
            yield problem


def _lines(stream: BinaryIO) -> Iterator[tuple[bytes, str]]:
    """Each line that is not blank, with its location; a line too long ends the stream."""
    number = 0
    while raw := stream.readline(MAX_LINE_BYTES + 1):
        number += 1
        where = f"line {number}"
        if len(raw) > MAX_LINE_BYTES and not raw.endswith(b"\n"):
            raise InputError(
                "input.size", f"line longer than {MAX_LINE_BYTES} bytes", location=where
            )
        # A record starts with its brace; only other lines need stripping
        # (a copy) to tell whether they are blank.
        if raw[0] == _BRACE or raw.strip():
            yield raw, where


def _end_problem(data: dict[str, Any], where: str, counts: dict[str, int]) -> Problem | None:
    """What is wrong with the end record, given the records read; None when nothing is."""
    found = data.get("counts")
    if (
        set(data) != {"counts"}
        or not isinstance(found, dict)
        or not set(found) <= set(_KINDS)
        or not all(type(n) is int and n >= 0 for n in found.values())
    ):
        return error(
            (),
            "input.end",
            'the end record must be {"record": "end", "counts": {kind: number, ...}}',
            location=where,
        )
    read = {kind: n for kind, n in counts.items() if n}
    said = {kind: n for kind, n in found.items() if n}
    if read == said:
        return None
    differences = ", ".join(
        f"{kind} {said.get(kind, 0)} (read {read.get(kind, 0)})"
        for kind in _KINDS
        if said.get(kind, 0) != read.get(kind, 0)
    )
    return error(
        (),
        "input.end",
        f"the end record's counts differ from the records read: {differences}",
        location=where,
    )


def iter_items(stream: BinaryIO) -> Iterator[Item]:
    """The header, then each record of the stream, with its line number."""
    for entry in iter_entries(stream):
        if not isinstance(entry, Problem):
            yield entry


def _parse(raw: bytes, where: str) -> dict[str, Any]:
    try:
        data = loads(raw)
    except InputError as exc:
        # Within one line the JSON parser's "line 1, column 7" is a column.
        column = exc.location.split(", ")[-1] if exc.location else None
        location = f"{where}, {column}" if column and "column" in column else where
        raise InputError(exc.code, exc.message, path=exc.path, location=location) from None
    if not isinstance(data, dict):
        raise InputError("input.syntax", "each line must hold a JSON object", location=where)
    return data


def read(stream: BinaryIO) -> Decoded:
    """Read a whole JSON Lines file as one dataset document."""
    return read_items(iter_items(stream))


def _line(kind: str, data: dict[str, Any]) -> bytes:
    return dumps_line({TAG: kind, **data}, newline=True)


class Writer:
    """Writes a JSON Lines file record by record."""

    def __init__(self, stream: BinaryIO, header: dict[str, Any]) -> None:
        self._stream = stream
        self._counts = dict.fromkeys(_KINDS, 0)
        stream.write(_line("dataset", header))

    def write(self, kind: str, data: dict[str, Any]) -> None:
        """Write one record as one line."""
        self._counts[kind] += 1
        self._stream.write(_line(kind, data))

    def abort(self) -> None:
        """Nothing to undo here: whoever owns the stream discards it."""

    def close(self) -> list[Problem]:
        """Write the end record; nothing is lost."""
        counts = {kind: n for kind, n in self._counts.items() if n}
        self._stream.write(_line(END, {"counts": counts}))
        return []


def write(data: dict[str, Any], stream: BinaryIO) -> list[Problem]:
    """Write a whole plain document as JSON Lines."""
    return write_document(Writer(stream, header_of(data)), data)


FORMAT = Format(
    name="jsonl",
    suffixes=(".jsonl", ".ndjson"),
    description="JSON Lines: a header line, then one record per line; streams.",
    lossless=True,
    reader=iter_entries,
    writer=Writer,
    kinds=ALL_KINDS,
    detect=_detect.is_jsonl,
)
