r"""JSON Lines: one record per line, read and written as a stream.

The first line is the header, ``{"record": "dataset", "schema_version":
..., "metadata": {...}}``; every other line is one source, actor or event
with its kind under ``"record"``. Lines are UTF-8 JSON ending in ``\n``
(a ``\r\n`` is tolerated on reading); characters such as U+2028 stay
inside their strings. Each line is read as strictly as a JSON document.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, BinaryIO

from .._errors import InputError
from .._report import Problem
from ..model import RecordKind
from . import _detect
from ._base import ALL_KINDS, Decoded, Format, Item, header_of, read_items, write_document
from .json import dumps_line, loads

__all__ = ["MAX_LINE_BYTES", "TAG", "Writer", "iter_items", "read", "write"]

#: The member that says what a line holds.
TAG = "record"
_KINDS = tuple(kind.value for kind in RecordKind)
#: The longest line read; a longer one is an ``input.size`` problem.
MAX_LINE_BYTES = 16 * 1024 * 1024


def iter_items(stream: BinaryIO) -> Iterator[Item]:
    """The header, then each record of the stream, with its line number."""
    number = 0
    header_seen = False
    while True:
        raw = stream.readline(MAX_LINE_BYTES + 1)
        if not raw:
            break
        number += 1
        where = f"line {number}"
        if len(raw) > MAX_LINE_BYTES and not raw.endswith(b"\n"):
            raise InputError(
                "input.size", f"line longer than {MAX_LINE_BYTES} bytes", location=where
            )
        if not raw.strip():
            continue
        data = _parse(raw, where)
        kind = data.pop(TAG, None)
        if not header_seen:
            if kind != "dataset":
                raise InputError(
                    "input.record-type",
                    f'the first line must be the dataset header ({{"{TAG}": "dataset", ...}})',
                    location=where,
                )
            header_seen = True
        elif kind not in _KINDS:
            raise InputError(
                "input.record-type",
                f"{TAG!r} must be one of {', '.join(map(repr, _KINDS))}, not {kind!r}",
                location=where,
            )
        # Escapes (\u...) can make any character, so only plain ASCII counts.
        yield kind, data, where, raw.isascii() and b"\\u" not in raw
    if not header_seen:
        raise InputError(
            "input.record-type", "no dataset header: the file is empty", location="line 1"
        )


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
    return dumps_line({TAG: kind, **data}) + b"\n"


class Writer:
    """Writes a JSON Lines file record by record."""

    def __init__(self, stream: BinaryIO, header: dict[str, Any]) -> None:
        self._stream = stream
        stream.write(_line("dataset", header))

    def write(self, kind: str, data: dict[str, Any]) -> None:
        """Write one record as one line."""
        self._stream.write(_line(kind, data))

    def abort(self) -> None:
        """Nothing to undo here: whoever owns the stream discards it."""

    def close(self) -> list[Problem]:
        """Nothing follows the last line; nothing is lost."""
        return []


def write(data: dict[str, Any], stream: BinaryIO) -> list[Problem]:
    """Write a whole plain document as JSON Lines."""
    return write_document(Writer(stream, header_of(data)), data)


FORMAT = Format(
    name="jsonl",
    suffixes=(".jsonl", ".ndjson"),
    description="JSON Lines: a header line, then one record per line; streams.",
    lossless=True,
    reader=iter_items,
    writer=Writer,
    kinds=ALL_KINDS,
    detect=_detect.is_jsonl,
)
