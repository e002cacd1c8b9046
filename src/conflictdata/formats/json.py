"""JSON: one dataset document, read strictly.

Strict means: UTF-8 only, no duplicate member names, no ``NaN`` or
``Infinity``, no lone surrogates, nesting no deeper than :data:`MAX_DEPTH`.
Text is normalised to Unicode NFC on reading.
"""

from __future__ import annotations

import json
import re
import sys
import tempfile
import unicodedata
from collections.abc import Iterable, Iterator
from typing import IO, Any, BinaryIO

import orjson

from .._errors import InputError
from .._report import Problem
from ..model import RecordKind
from . import _detect
from ._base import ALL_KINDS, Decoded, Entry, Format, header_of, write_document

__all__ = [
    "FORMAT",
    "MAX_DEPTH",
    "Writer",
    "dumps",
    "dumps_line",
    "iter_items",
    "loads",
    "read",
    "write",
]

#: How deeply arrays and objects may nest. A dataset needs about 8 levels;
#: extension data may use the rest.
MAX_DEPTH = 64

_SURROGATE = re.compile("[\ud800-\udfff]")


def _object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    obj = dict(pairs)
    # Comparing sizes keeps the common case in C; only a duplicate needs a look.
    if len(obj) != len(pairs):
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                raise InputError(
                    "input.duplicate-key", f"member {key!r} appears twice in one object"
                )
            seen.add(key)
    return obj


def _constant(name: str) -> Any:
    raise InputError("input.constant", f"{name} is not a JSON number")


#: Every digit as ``0``: runs of digits are then found with a plain search,
#: many times faster here than a regular expression.
_DIGITS = bytes.maketrans(b"0123456789", b"0" * 10)
#: 19 digits in a row: orjson reads integers past 64 bits as floats.
_LONG_NUMBER = b"0" * 19


def _not_fast(data: bytes) -> bool:
    r"""Whether orjson may read ``data`` differently from the standard library.

    ``\u`` escapes (lone surrogates, and escaped colons, which the count
    below would miss) and long runs of digits (orjson reads integers past 64
    bits as floats). Such text is read by the standard library, as it always
    was. A backslash is rare: its one-byte search is cheap, and only a hit
    pays for the two-byte one.
    """
    return (b"\\" in data and b"\\u" in data) or _LONG_NUMBER in data.translate(_DIGITS)


#: Bytes a number is written with, before any exponent.
_NUMBER_BYTES = frozenset(b"0123456789.-")
#: What comes before a value in compact or indented output.
_BEFORE_VALUE = frozenset(b":,[ \n")


def _is_value(out: bytes, found: bytes, needle: bytes) -> bool:
    """Whether any ``needle`` found in ``found`` (``out`` or its digit mask) begins a value's text.

    A value starts the output or follows ``:``, ``,``, ``[`` or indentation;
    the same bytes inside a string (a digit before an ``e`` in a
    hexadecimal id, the word "null") follow something else.
    """
    at = found.find(needle)
    while at != -1:
        start = at
        while start and out[start - 1] in _NUMBER_BYTES:
            start -= 1
        if not start or out[start - 1] in _BEFORE_VALUE:
            return True
        at = found.find(needle, at + 1)
    return False


def _not_same(out: bytes) -> bool:
    """Whether orjson's output may differ from the standard library's.

    Where they may: a ``null`` (orjson writes NaN and infinity so; the
    standard library refuses them), a number with an exponent (``1e16``
    against ``1e+16``) or a small one (``0.00001`` against ``1e-05``).
    Plain searches rule out nearly every line, and only the places they find
    are looked at. Strings that hold the same bytes only cost the slower
    writer.
    """
    digits = out.translate(_DIGITS)
    return (
        _is_value(out, out, b"null")
        or _is_value(out, digits, b"0e")
        or _is_value(out, out, b"0.0000")
    )


#: orjson refuses these instead of writing its own form of them.
_DUMP_OPTIONS = orjson.OPT_PASSTHROUGH_DATACLASS | orjson.OPT_PASSTHROUGH_DATETIME
_LINE_OPTIONS = _DUMP_OPTIONS | orjson.OPT_APPEND_NEWLINE


def _fast(data: bytes) -> Any:
    r"""The document parsed by orjson, or None when the strict parser must decide.

    orjson keeps the last of repeated member names. Every member of the text
    has one colon, and the colons inside strings are the same bytes once
    written again (``\u`` escapes aside, see :func:`_not_fast`), so the
    document written again has as many colons as the text only when no
    member was dropped as a repeat.
    """
    if _not_fast(data):
        return None
    try:
        document = orjson.loads(data)
    except orjson.JSONDecodeError:
        return None
    if data.count(b":") != orjson.dumps(document).count(b":"):
        return None
    if data.isascii():
        return document
    if unicodedata.is_normalized("NFC", data.decode("utf-8")):
        return document
    return normalise(document)


def loads(data: bytes | str) -> Any:
    """Parse JSON text strictly and normalise its text to NFC."""
    if isinstance(data, bytes):
        document = _fast(data)
        if document is not None:
            return document
        try:
            # A UTF-8 byte order mark is tolerated, as RFC 8259 allows.
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise InputError(
                "input.encoding", f"not UTF-8: {exc.reason}", location=f"byte {exc.start}"
            ) from None
    else:
        text = data
    try:
        document = json.loads(text, object_pairs_hook=_object, parse_constant=_constant)
    except json.JSONDecodeError as exc:
        raise InputError(
            "input.syntax", exc.msg, location=f"line {exc.lineno}, column {exc.colno}"
        ) from None
    except RecursionError:
        raise InputError("input.depth", f"nesting deeper than {MAX_DEPTH} levels") from None
    except InputError:
        raise
    except ValueError:
        # Only Python's limit on digits converted to an int raises a plain
        # ValueError here (JSONDecodeError is caught above).
        raise _long_number(text) from None
    # Strings hold only what the text holds, unless escapes such as \u0301
    # make other characters: NFC text without them needs no walk. Nesting is
    # bounded by the schema, and for free-form extension data by validation.
    if "\\u" not in text and unicodedata.is_normalized("NFC", text):
        return document
    return normalise(document)


def _long_number(text: str) -> InputError:
    # Python 3.10 releases before 3.10.7 have no limit to read.
    limit: int = getattr(sys, "get_int_max_str_digits", lambda: 4300)()
    found = re.search(f"[0-9]{{{limit + 1},}}", text)
    start = found.start() if found else 0
    line = text.count("\n", 0, start) + 1
    column = start - text.rfind("\n", 0, start)
    return InputError(
        "input.size",
        f"a number of more than {limit:,} digits",
        location=f"line {line}, column {column}",
    )


def normalise(document: Any) -> Any:
    """Check nesting depth and put every string (and key) in NFC, in place."""
    if isinstance(document, str):
        return _nfc(document, ())
    stack: list[tuple[Any, tuple[str | int, ...]]] = [(document, ())]
    while stack:
        container, path = stack.pop()
        if len(path) >= MAX_DEPTH:
            raise InputError("input.depth", f"nesting deeper than {MAX_DEPTH} levels", path=path)
        if isinstance(container, dict):
            if not all(k.isascii() for k in container):
                _normalise_keys(container, path)
            items: Iterable[tuple[str | int, Any]] = container.items()
        else:
            items = enumerate(container)
        for key, item in items:
            if isinstance(item, (dict, list)):
                stack.append((item, (*path, key)))
            elif isinstance(item, str) and not item.isascii():
                container[key] = _nfc(item, (*path, key))
    return document


def _normalise_keys(obj: dict[str, Any], path: tuple[str | int, ...]) -> None:
    items = list(obj.items())
    obj.clear()
    for key, value in items:
        new = _nfc(key, (*path, key))
        if new in obj:
            raise InputError(
                "input.duplicate-key",
                f"member {key!r} appears twice in one object once normalised to NFC",
                path=path,
            )
        obj[new] = value


def _nfc(text: str, path: tuple[str | int, ...]) -> str:
    if _SURROGATE.search(text):
        raise InputError(
            "input.encoding",
            "text holds a lone surrogate (not valid Unicode)",
            path=path,
        )
    return unicodedata.normalize("NFC", text)


def read(stream: BinaryIO) -> Decoded:
    """Read one JSON document from a binary stream."""
    return Decoded(loads(stream.read()))


def _dumps_indented(data: Any) -> bytes:
    """UTF-8 JSON indented by two spaces, as ``json.dumps(indent=2)`` writes it."""
    try:
        out = orjson.dumps(data, option=_DUMP_OPTIONS | orjson.OPT_INDENT_2)
    except orjson.JSONEncodeError:
        out = b""
    if not out or _not_same(out):
        text = json.dumps(data, ensure_ascii=False, indent=2, allow_nan=False)
        out = text.encode("utf-8")
    return out


def dumps(data: Any) -> str:
    """JSON text for plain data: UTF-8 friendly, indented, with a final newline."""
    return _dumps_indented(data).decode("utf-8") + "\n"


def dumps_line(data: Any, *, newline: bool = False) -> bytes:
    """Compact UTF-8 JSON, byte for byte what ``json.dumps(separators=(",", ":"))`` writes.

    ``newline`` ends it with a line feed (orjson adds it without a copy).
    """
    try:
        out = orjson.dumps(data, option=_LINE_OPTIONS if newline else _DUMP_OPTIONS)
    except orjson.JSONEncodeError:
        out = b""
    if not out or _not_same(out):
        text = json.dumps(data, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
        out = (text + "\n" if newline else text).encode("utf-8")
    return out


def iter_items(stream: BinaryIO) -> Iterator[Entry]:
    """The document's header and records (the whole document is parsed first)."""
    yield from read(stream).entries()


_REQUIRED = frozenset(("sources", "actors", "events"))
#: Records held in memory per kind before the writer spills them to disk.
_SPOOL_BYTES = 8 * 1024 * 1024


class Writer:
    """Writes one JSON document record by record, in bounded memory.

    Records of each kind are written, as they come, to a temporary file of
    their own; :meth:`close` puts the document together. The output is the
    same, byte for byte, as :func:`dumps` of the whole document.
    """

    def __init__(self, stream: BinaryIO, header: dict[str, Any]) -> None:
        self._stream = stream
        self._header = header
        self._parts: dict[RecordKind, IO[bytes]] = {
            # Closed by close() or abort().
            kind: tempfile.SpooledTemporaryFile(_SPOOL_BYTES)  # noqa: SIM115
            for kind in RecordKind
        }
        self._counts = dict.fromkeys(RecordKind, 0)

    def write(self, kind: str, data: dict[str, Any]) -> None:
        """Add one record to its list."""
        kind = RecordKind(kind)
        part = self._parts[kind]
        if self._counts[kind]:
            part.write(b",\n")
        self._counts[kind] += 1
        # Strings never hold a raw newline in JSON text, so indenting every
        # line of the record by the list's depth gives ``indent=2`` output.
        part.write(b"    " + _dumps_indented(data).replace(b"\n", b"\n    "))

    def close(self) -> list[Problem]:
        """Write the document; nothing is lost."""
        # Sources, actors and events are always there; later lists only when used.
        kinds = [k for k in RecordKind if k.member in _REQUIRED or self._counts[k]]
        head = dumps({**self._header, **{k.member: [] for k in kinds}})
        # ``head`` ends with the empty lists; fill them in.
        opening, _, _ = head.rpartition('"sources": []')
        out = self._stream
        out.write(opening.encode("utf-8"))
        for position, kind in enumerate(kinds):
            out.write(f'"{kind.member}": ['.encode())
            part = self._parts[kind]
            if self._counts[kind]:
                out.write(b"\n")
                part.seek(0)
                while chunk := part.read(1 << 20):
                    out.write(chunk)
                out.write(b"\n  ")
            out.write(b"]" + (b",\n  " if position < len(kinds) - 1 else b"\n}\n"))
        self.abort()
        return []

    def abort(self) -> None:
        """Drop the temporary parts."""
        for part in self._parts.values():
            part.close()


def write(data: Any, stream: BinaryIO) -> list[Problem]:
    """Write plain data as one JSON document to a binary stream; nothing is lost."""
    return write_document(Writer(stream, header_of(data)), data)


FORMAT = Format(
    name="json",
    suffixes=(".json",),
    description="One dataset document.",
    lossless=True,
    reader=iter_items,
    writer=Writer,
    kinds=ALL_KINDS,
    streams=False,
    detect=_detect.is_json_dataset,
)
