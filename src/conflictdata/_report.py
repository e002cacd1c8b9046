"""Problems and reports: validation results as data."""

from __future__ import annotations

import enum
from collections.abc import Iterable, Iterator, Mapping
from types import MappingProxyType
from typing import Any

import attrs

__all__ = [
    "CODES",
    "PROBLEM_CAP",
    "Path",
    "Problem",
    "ProblemList",
    "Report",
    "Severity",
    "pointer",
]

#: Where a value is in a document: member names and list indexes, outermost
#: first (``("events", 0, "when", "start")``). The JSON Pointer is derived.
Path = tuple[str | int, ...]


class Severity(str, enum.Enum):
    """How bad a problem is: errors make data invalid, warnings do not."""

    ERROR = "error"
    WARNING = "warning"

    def __str__(self) -> str:
        return self.value


#: Every problem code the library emits, with what it means. Codes are stable:
#: tools may match on them.
_CODES = {
    # JSON Schema keywords, one code each (``schema.<keyword>``).
    "schema.additionalProperties": "A member that the schema does not define.",
    "schema.const": "A value other than the one the schema fixes (e.g. schema_version).",
    "schema.dependentRequired": "A member given without the member it needs (lat without lon).",
    "schema.enum": "A value outside a closed vocabulary.",
    "schema.format": "A string that is not a valid date or URI.",
    "schema.maximum": "A number above its maximum.",
    "schema.minimum": "A number below its minimum.",
    "schema.minItems": "A list with too few items (an event needs a citation).",
    "schema.minLength": "An empty string where text is required.",
    "schema.minProperties": "An empty object where at least one member is required.",
    "schema.pattern": "A string of the wrong shape (id, date, country code, language tag).",
    "schema.propertyNames": "A map key of the wrong shape (language tag, scheme name).",
    "schema.required": "A required member is missing.",
    "schema.type": "A value of the wrong JSON type.",
    "schema.uniqueItems": "A list that repeats an item.",
    "schema.invalid": "Any other schema violation.",
    "schema.migrated": "A document of an older schema version, read as the current one.",
    # Conversion of plain data to records (from_dict without a schema check).
    "model.extra-key": "A member that the record type does not have.",
    "model.missing": "A required member is missing.",
    "model.type": "A value of the wrong type.",
    "model.value": "A value the record type does not allow.",
    # Cross-record checks.
    "id.duplicate": "Two records share an id (events, actors and sources share one id space).",
    "ref.unresolved": "A reference to an id that no record of the right kind has.",
    "date.order": "An end date before its start date.",
    "fatalities.order": "Fatality figures out of order (low <= best <= high expected).",
    "extension.unknown-scheme": "Extension data under a scheme conflictdata does not describe.",
    "text.surrogate": "Text holding a lone surrogate code point, which is not Unicode.",
    "text.not-nfc": "Text not in Unicode normalisation form C.",
    "text.bidi-control": "Text holding invisible bidirectional control characters.",
    "text.control": "A string (text, identifier, code or member name) with control characters.",
    "value.range": "An integer beyond ±(2^53 - 1), which JSON readers cannot hold exactly.",
    "input.type": "A Python value that JSON cannot hold (a set, bytes, a non-string key).",
    # Reading input.
    "input.syntax": "The input is not well-formed in its format.",
    "input.duplicate-key": "A JSON object repeats a member name.",
    "input.constant": "NaN or Infinity, which JSON does not allow.",
    "input.depth": "Nesting deeper than the reader allows.",
    "input.encoding": "The input is not valid UTF-8.",
    "input.size": "A value, line or file over a size limit.",
    "input.header": "A CSV table whose header lacks, repeats or adds columns.",
    "input.row": "A CSV row with more or fewer cells than its header.",
    "input.cell": "A CSV cell that is not of its column's type.",
    "input.foreign-key": "A CSV row that belongs to a record no table has.",
    "input.position": "CSV rows of one record's list out of position order.",
    "input.xml-forbidden": "XML with a DOCTYPE (a DTD or entities), which readers refuse.",
    "input.tei-layout": "TEI not laid out as conflictdata writes it (element, attribute, ref).",
    "import.skipped": "A foreign record that is not an event (a PLOVER document record), skipped.",
    "import.duplicate-id": "A foreign record repeats an id: kept, under a derived id.",
    "import.unquoted-date": "A date without quotes (as in the PLOVER manual), read as its text.",
    "import.trailing-comma": "A comma before a closing bracket (not JSON), ignored.",
    "input.file": "A CSV package table that is missing, a symbolic link, or not a regular file.",
    "input.empty": "A file, or a list of records, that holds no records.",
    "input.structure": "Input of the format's syntax that does not hold its records at all.",
    "input.record-type": "A JSON Lines record without a known record type, or no header first.",
    "input.end": "A JSON Lines end record that is malformed, miscounts, or has lines after it.",
    "input.incomplete": "A JSON Lines file without an end record: it may have been cut short.",
    # Writing.
    "export.no-coordinates": "An event left out of a GeoJSON export for want of coordinates.",
    "export.lossy": "ACLED or GED rows written for events from elsewhere (fewer columns).",
}
CODES: Mapping[str, str] = MappingProxyType(_CODES)


def pointer(*parts: str | int) -> str:
    """A JSON Pointer (RFC 6901) to ``parts``: ``pointer("events", 0) == "/events/0"``."""
    return "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in parts)


def parse_pointer(text: str) -> Path:
    """The path a JSON Pointer names; list indexes cannot be told from keys, so all are strings.

    >>> parse_pointer("/events/0/a~1b")
    ('events', '0', 'a/b')
    """
    if not text:
        return ()
    if not text.startswith("/"):
        raise ValueError(f"{text!r} is not a JSON Pointer (it must start with '/')")
    return tuple(p.replace("~1", "/").replace("~0", "~") for p in text[1:].split("/"))


def _as_path(value: Path | str) -> Path:
    if isinstance(value, str):
        # A pointer string here is a mistake: paths are kept structured.
        raise TypeError(f"a problem's path is a tuple of keys and indexes, not {value!r}")
    return tuple(value)


def _order_key(path: Path) -> tuple[tuple[int, int, str], ...]:
    # Indexes sort numerically and before names; mixed keys ("1" and "a")
    # never compare an int with a str.
    return tuple((0, p, "") if isinstance(p, int) else (1, 0, p) for p in path)


@attrs.frozen(kw_only=True)
class Problem:
    """One thing wrong (or doubtful) with a document.

    Attributes:
        path: Where in the document, as member names and list indexes
            (``()`` is the whole document); :attr:`pointer` is its JSON Pointer.
        code: Stable machine code, one of :data:`CODES`.
        severity: ``error`` or ``warning``.
        message: What is wrong, for a person.
        location: Where in the file, when the format knows better than a
            path (``line 12``, ``events.csv row 4 column when_start``).
    """

    path: Path = attrs.field(converter=_as_path)
    code: str
    severity: Severity
    message: str
    location: str | None = None

    @property
    def pointer(self) -> str:
        """The JSON Pointer (RFC 6901) of :attr:`path`: ``"/events/0/when/start"``."""
        return pointer(*self.path)

    @property
    def json_path(self) -> str:
        """The path as a JSONPath expression: ``"$.events[0].when.start"``."""
        parts = ["$"]
        for part in self.path:
            if isinstance(part, int):
                parts.append(f"[{part}]")
            elif part.isidentifier():
                parts.append(f".{part}")
            else:
                parts.append("[" + repr(part) + "]")
        return "".join(parts)

    def as_dict(self) -> dict[str, str | None]:
        """The problem as JSON-ready data; ``path`` is a JSON Pointer, ``location`` may be None."""
        return {
            "severity": self.severity.value,
            "code": self.code,
            "path": _printable(self.pointer),
            "location": None if self.location is None else _printable(self.location),
            "message": _printable(self.message),
        }

    def __str__(self) -> str:
        where = self.location or self.pointer or "/"
        return _printable(f"{where}: {self.severity}: {self.message} [{self.code}]")


def _printable(text: str) -> str:
    """``text`` with lone surrogates (from a member name, say) escaped: no encoder writes them."""
    if text.isascii():
        return text
    return text.encode("utf-8", "backslashreplace").decode("utf-8")


def error(path: Path, code: str, message: str, location: str | None = None) -> Problem:
    """An error-severity :class:`Problem`."""
    return Problem(
        path=path, code=code, severity=Severity.ERROR, message=message, location=location
    )


def warning(path: Path, code: str, message: str, location: str | None = None) -> Problem:
    """A warning-severity :class:`Problem`."""
    return Problem(
        path=path, code=code, severity=Severity.WARNING, message=message, location=location
    )


def document_order(problem: Problem) -> tuple[Any, ...]:
    """Sort key: problems in the order of the places they point at."""
    return _order_key(problem.path)


# What to fix first: input that cannot be read at all, then the shape of the
# data, then what only the whole document shows.
_FAMILY_RANK = {"input": 0, "schema": 1, "model": 1, "text": 2, "id": 3, "ref": 3}


def relevance(problem: Problem) -> tuple[Any, ...]:
    """Sort key putting the most relevant problem first (see :meth:`Report.best_match`).

    Errors before warnings; unreadable input before shape, shape before
    cross-record problems; then the shallowest place, then document order.
    """
    family = problem.code.split(".", 1)[0]
    return (
        problem.severity is not Severity.ERROR,
        _FAMILY_RANK.get(family, 4),
        len(problem.path),
        _order_key(problem.path),
    )


#: Problems of one code kept in a report; the rest are counted.
PROBLEM_CAP = 1000


class ProblemList(list[Problem]):
    """A list of problems that keeps :data:`PROBLEM_CAP` of each code and counts the rest.

    Readers that gather problems before handing them on use it, so that a
    file of a million bad rows takes no more memory than one of a thousand.
    """

    def __init__(self, cap: int = PROBLEM_CAP) -> None:
        super().__init__()
        self.cap = cap
        self.seen: dict[str, int] = {}
        #: Problems counted but not kept, by code.
        self.dropped: dict[str, int] = {}

    def append(self, problem: Problem) -> None:
        """Keep ``problem``, or count it when its code is over the cap."""
        seen = self.seen[problem.code] = self.seen.get(problem.code, 0) + 1
        if seen > self.cap:
            self.dropped[problem.code] = self.dropped.get(problem.code, 0) + 1
        else:
            super().append(problem)

    def extend(self, problems: Iterable[Problem]) -> None:
        """Append each of ``problems``."""
        for problem in problems:
            self.append(problem)


def _frozen_counts(counts: Mapping[str, int]) -> Mapping[str, int]:
    return MappingProxyType(dict(counts))


@attrs.frozen
class Report:
    """The problems found in one document, in document order.

    >>> report = Report([warning(("events", 0, "fatalities"), "fatalities.order", "low > best")])
    >>> report.ok, len(report), [p.pointer for p in report]
    (True, 1, ['/events/0/fatalities'])
    """

    problems: tuple[Problem, ...] = attrs.field(default=(), converter=tuple[Problem, ...])
    #: Problems counted but not kept, by code, past a report's cap.
    dropped: Mapping[str, int] = attrs.field(factory=dict, converter=_frozen_counts)

    @property
    def ok(self) -> bool:
        """True when there are no errors (warnings allowed)."""
        return not any(p.severity is Severity.ERROR for p in self.problems)

    @property
    def errors(self) -> tuple[Problem, ...]:
        """The error-severity problems."""
        return tuple(p for p in self.problems if p.severity is Severity.ERROR)

    @property
    def warnings(self) -> tuple[Problem, ...]:
        """The warning-severity problems."""
        return tuple(p for p in self.problems if p.severity is Severity.WARNING)

    def at(self, where: str | Path) -> tuple[Problem, ...]:
        """The problems at ``where`` (a JSON Pointer or a path) or inside it.

        >>> report = Report([warning(("events", 0, "fatalities"), "fatalities.order", "x")])
        >>> [p.code for p in report.at("/events/0")], report.at(("events", 1))
        (['fatalities.order'], ())
        """
        if isinstance(where, str):
            wanted = parse_pointer(where)
            return tuple(
                p for p in self.problems if tuple(map(str, p.path[: len(wanted)])) == wanted
            )
        wanted_path = tuple(where)
        return tuple(p for p in self.problems if p.path[: len(wanted_path)] == wanted_path)

    def best_match(self) -> Problem | None:
        """The problem to show first, or None for an empty report (see :func:`relevance`)."""
        return min(self.problems, key=relevance, default=None)

    def by_relevance(self) -> tuple[Problem, ...]:
        """The problems, most relevant first."""
        return tuple(sorted(self.problems, key=relevance))

    def __iter__(self) -> Iterator[Problem]:
        return iter(self.problems)

    def __len__(self) -> int:
        return len(self.problems)

    def __add__(self, other: Report) -> Report:
        dropped = dict(self.dropped)
        for code, count in other.dropped.items():
            dropped[code] = dropped.get(code, 0) + count
        return Report(self.problems + other.problems, dropped)

    @classmethod
    def of(cls, problems: Iterable[Problem]) -> Report:
        """A report of ``problems``."""
        return cls(tuple(problems))

    def as_dict(self) -> dict[str, Any]:
        """The report as JSON-ready data: ``ok``, counts and the problems."""
        data: dict[str, Any] = {
            "ok": self.ok,
            "errors": len(self.errors),
            "warnings": len(self.warnings),
            "problems": [p.as_dict() for p in self.problems],
        }
        if self.dropped:
            data["dropped"] = dict(self.dropped)
        return data

    def __str__(self) -> str:
        lines = [str(p) for p in self.problems]
        lines.extend(
            f"... and {count} more {code} problem(s) not shown"
            for code, count in self.dropped.items()
        )
        lines.append(f"{len(self.errors)} error(s), {len(self.warnings)} warning(s)")
        return "\n".join(lines)
