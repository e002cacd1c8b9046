"""Problems and reports: validation results as data."""

from __future__ import annotations

import enum
from collections.abc import Iterable, Iterator
from typing import Any

import attrs

__all__ = ["CODES", "Problem", "Report", "Severity", "pointer"]


class Severity(str, enum.Enum):
    """How bad a problem is: errors make data invalid, warnings do not."""

    ERROR = "error"
    WARNING = "warning"

    def __str__(self) -> str:
        return self.value


#: Every problem code the library emits, with what it means. Codes are stable:
#: tools may match on them.
CODES: dict[str, str] = {
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
    "input.record-type": "A JSON Lines record without a known record type, or no header first.",
    # Writing.
    "export.no-coordinates": "An event left out of a GeoJSON export for want of coordinates.",
    "export.lossy": "ACLED or GED rows written for events from elsewhere (fewer columns).",
}


def pointer(*parts: str | int) -> str:
    """A JSON Pointer (RFC 6901) to ``parts``: ``pointer("events", 0) == "/events/0"``."""
    return "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in parts)


@attrs.frozen(kw_only=True)
class Problem:
    """One thing wrong (or doubtful) with a document.

    Attributes:
        path: JSON Pointer into the document ("" is the whole document).
        code: Stable machine code, one of :data:`CODES`.
        severity: ``error`` or ``warning``.
        message: What is wrong, for a person.
        location: Where in the file, when the format knows better than a
            pointer (``line 12``, ``events.csv row 4 column when_start``).
    """

    path: str
    code: str
    severity: Severity
    message: str
    location: str | None = None

    def as_dict(self) -> dict[str, str]:
        """The problem as JSON-ready data (absent ``location`` omitted)."""
        data = {
            "path": self.path,
            "code": self.code,
            "severity": self.severity.value,
            "message": self.message,
        }
        if self.location is not None:
            data["location"] = self.location
        return data

    def __str__(self) -> str:
        where = self.location or self.path or "/"
        return f"{where}: {self.severity}: {self.message} [{self.code}]"


def error(path: str, code: str, message: str, location: str | None = None) -> Problem:
    """An error-severity :class:`Problem`."""
    return Problem(
        path=path, code=code, severity=Severity.ERROR, message=message, location=location
    )


def warning(path: str, code: str, message: str, location: str | None = None) -> Problem:
    """A warning-severity :class:`Problem`."""
    return Problem(
        path=path, code=code, severity=Severity.WARNING, message=message, location=location
    )


@attrs.frozen
class Report:
    """The problems found in one document, in document order.

    >>> report = Report([warning("/events/0/fatalities", "fatalities.order", "low > best")])
    >>> report.ok, len(report), [p.code for p in report]
    (True, 1, ['fatalities.order'])
    """

    problems: tuple[Problem, ...] = attrs.field(default=(), converter=tuple[Problem, ...])

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

    def __iter__(self) -> Iterator[Problem]:
        return iter(self.problems)

    def __len__(self) -> int:
        return len(self.problems)

    def __add__(self, other: Report) -> Report:
        return Report(self.problems + other.problems)

    @classmethod
    def of(cls, problems: Iterable[Problem]) -> Report:
        """A report of ``problems``."""
        return cls(tuple(problems))

    def as_dict(self) -> dict[str, Any]:
        """The report as JSON-ready data: ``ok``, counts and the problems."""
        return {
            "ok": self.ok,
            "errors": len(self.errors),
            "warnings": len(self.warnings),
            "problems": [p.as_dict() for p in self.problems],
        }

    def __str__(self) -> str:
        lines = [str(p) for p in self.problems]
        lines.append(f"{len(self.errors)} error(s), {len(self.warnings)} warning(s)")
        return "\n".join(lines)
