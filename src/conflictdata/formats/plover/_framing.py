"""Finding PLOVER records in the bytes: lines, concatenated values, arrays, wrappers."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any, BinaryIO

from ..._errors import InputError
from ..._report import Problem, error, warning
from ..json import loads
from ._records import (
    _is_record,
)
from ._tables import (
    _WRAPPERS,
)

# Structural tokens of JSON text: a string (to step over its brackets), or
# a bracket. JSON strings cannot hold a raw line break, so a line is read
# on its own and an unclosed string ends with its line.
_TOKENS = re.compile(rb'"(?:[^"\\\n]|\\.)*"?|[][{}]')
_BLANK = b" \t\r\n,\xef\xbb\xbf"
_HAS_BRACKET = re.compile(rb"[][{}]")


class _Framer:
    """Cuts the text of records out of JSON text, a line at a time, by their brackets."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        self.depth = self.base = 0  # base: 1 inside the array of an array file
        self.array: bool | None = None  # not known before the first bracket
        self.parts: list[bytes] = []
        self.start = 0
        self.count = 0

    def between_records(self) -> bool:
        """Whether a line now starts outside any record, in a file of records in a row."""
        return self.depth == 0 and not self.array

    def record(self, number: int) -> str:
        """Count one more record starting on line ``number``; where it is."""
        self.count += 1
        return f"record {self.count}, line {number}" if self.array else f"line {number}"

    def line(self, line: bytes, number: int) -> Iterator[tuple[bytes, str, Any]]:
        """The records that end on this line."""
        if self.depth > self.base and not _HAS_BRACKET.search(line):
            # Most lines of a pretty-printed record: no bracket, so no change.
            self.parts.append(line)
            return
        position = 0  # where the text not yet given to a record starts
        for match in _TOKENS.finditer(line):
            bracket = match.group()
            if bracket[:1] == b'"':
                continue
            if bracket in b"{[":
                position = self._open(line, number, match, position)
                continue
            self.depth -= 1
            if self.depth == self.base:
                self.parts.append(line[position : match.end()])
                position = match.end()
                yield b"".join(self.parts), self.record(self.start), None
            elif self.depth < self.base:
                if self.base == 0:
                    self.problems.append(_stray(number))
                # The end of the array (or a stray bracket): what follows is outside.
                self.depth = self.base = 0
                position = match.end()
        if self.depth > self.base:
            self.parts.append(line[position:])
        elif line[position:].strip(_BLANK):
            self.problems.append(_stray(number))

    def _open(self, line: bytes, number: int, match: re.Match[bytes], position: int) -> int:
        if self.array is None:
            self.array = match.group() == b"["
            if self.array:
                self.depth = self.base = 1
                return match.end()
        if self.depth == self.base:
            if line[position : match.start()].strip(_BLANK):
                self.problems.append(_stray(number))
            self.parts, self.start = [], number
            position = match.start()
        self.depth += 1
        return position

    def finish(self) -> None:
        """Report a record left open at the end; refuse a file without records."""
        if self.depth > self.base:
            message = "a record is not closed at the end of the file"
            self.problems.append(error((), "input.syntax", message, f"line {self.start}"))
        elif self.count == 0:
            raise InputError("input.empty", "the file holds no PLOVER records")


def _values(stream: BinaryIO, problems: list[Problem]) -> Iterator[tuple[bytes, str, Any]]:
    """The text of each record, where it starts, and its JSON when already parsed.

    A file is a JSON array of records, or records one after another: one per
    line or spread over several lines (pretty-printed), with or without
    commas between them. Records are found by their brackets, so a record
    with a syntax error is still cut out whole and the next one is read.
    """
    framer = _Framer(problems)
    for number, line in enumerate(stream, start=1):
        if framer.between_records() and line.lstrip(_BLANK)[:1] == b"{":
            # One record per line, the common case, needs no scanning.
            body = line.strip(_BLANK)
            if body.endswith(b"}"):
                try:
                    value = loads(body)
                except InputError:
                    pass
                else:
                    framer.array = False
                    yield body, framer.record(number), value
                    continue
        yield from framer.line(line, number)
    framer.finish()


def _stray(number: int) -> Problem:
    return error((), "input.syntax", "text outside any record", f"line {number}")


# Two slips of hand-written files, found outside strings: a bare date
# after a member name (``"date" : 2016-07-24``, as the manual's own example
# has it) and a comma before a closing bracket (the gold standard's later
# copies end every record with one).
_SLIPS = re.compile(
    r'"((?:[^"\\]|\\.)*)"'
    r"|:(\s*)([0-9]{4}-[0-9]{2}(?:-[0-9]{2})?)(?=\s*[,}\]])"
    r"|,(?=\s*[}\]])"
)


def _parse(text: bytes, where: str, problems: list[Problem]) -> Any:
    """One record's JSON; a bare date or a trailing comma is mended, with a warning."""
    try:
        return loads(text)
    except InputError as exc:
        failure = exc
    mended: list[Problem] = []
    member = ""

    def mend(match: re.Match[str]) -> str:
        nonlocal member
        if match.group(1) is not None:
            member = match.group(1)
            return match.group()
        at = _line(where, match.string.count("\n", 0, match.start()) + 1)
        if match.group(3) is None:
            message = "a comma before a closing bracket, which JSON does not allow: ignored"
            mended.append(warning((), "import.trailing-comma", message, at))
            return ""
        value = match.group(3)
        message = f"the date {value} is not quoted, so not JSON: read as the text {value!r}"
        mended.append(warning((), "import.unquoted-date", message, f"{at}, member {member}"))
        return f':{match.group(2)}"{value}"'

    try:
        repaired = _SLIPS.sub(mend, text.decode("utf-8-sig"))
        record = loads(repaired) if mended else None
    except (InputError, UnicodeDecodeError):
        record = None
    if record is None:
        raise InputError(failure.code, failure.message, location=_within(where, failure.location))
    problems.extend(mended)
    return record


def _within(where: str, location: str | None) -> str:
    """A location inside a record's text ("line 3, column 15"), counted from the file's start."""
    found = re.fullmatch(r"line ([0-9]+), (column [0-9]+)", location or "")
    if found is None:
        return where
    return f"{_line(where, int(found.group(1)))}, {found.group(2)}"


def _line(where: str, line: int) -> str:
    """``where`` moved on to the record's ``line``-th line."""
    first = re.search(r"line ([0-9]+)$", where)
    if first is None:
        return where
    return f"{where[: first.start()]}line {int(first.group(1)) + line - 1}"


def _records(
    stream: BinaryIO, problems: list[Problem]
) -> Iterator[tuple[dict[str, Any] | None, str]]:
    """Each record with where it is; an unreadable one is reported and given as ``None``."""
    for text, where, parsed in _values(stream, problems):
        try:
            value = _parse(text, where, problems) if parsed is None else parsed
        except InputError as exc:
            problems.append(error((), exc.code, exc.message, exc.location or where))
            continue
        if isinstance(value, dict) and not _is_record(value):
            yield from _wrapped(value, where, problems)
        else:
            yield (value if isinstance(value, dict) else None), where


def _wrapped(
    value: dict[str, Any], where: str, problems: list[Problem]
) -> Iterator[tuple[dict[str, Any] | None, str]]:
    """The records of an object holding them under ``events``, ``data`` or ``records``."""
    keys = [k for k in _WRAPPERS if k in value]
    if not keys:
        names = ", ".join(repr(k) for k in list(value)[:5]) or "none"
        message = (
            f"not a PLOVER record: no id, event type or date (members: {names}); a file of "
            "records lists them in an array, one after another, or under 'events'"
        )
        problems.append(error((), "input.structure", message, where))
        return
    records = value[keys[0]]
    if not isinstance(records, list):
        message = f"{keys[0]!r} holds {records!r}, not a list of records"
        problems.append(error((), "input.structure", message, f"{where}, member {keys[0]}"))
        return
    if not records:
        problems.append(error((), "input.empty", f"{keys[0]!r} holds no records", where))
    for index, record in enumerate(records, start=1):
        yield (record if isinstance(record, dict) else None), f"{where}, record {index}"
