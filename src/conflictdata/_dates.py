"""Partial dates: a calendar date at the precision that is known."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from typing import Literal

import attrs

__all__ = ["PartialDate", "Precision"]

Precision = Literal["year", "month", "day"]

# Digits are spelled [0-9]: Python's \d also matches other scripts' digits.
_PARTIAL_DATE = re.compile(r"([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?\Z")


def _check_parts(instance: PartialDate, _attribute: object, _value: int | None) -> None:
    year, month, day = instance.year, instance.month, instance.day
    if not 1 <= year <= 9999:
        raise ValueError(f"year {year} is outside 1-9999")
    if month is None:
        if day is not None:
            raise ValueError("a day needs a month")
        return
    if not 1 <= month <= 12:
        raise ValueError(f"month {month} is outside 1-12")
    if day is not None and not 1 <= day <= calendar.monthrange(year, month)[1]:
        raise ValueError(f"{year:04d}-{month:02d} has no day {day}")


@attrs.frozen
class PartialDate:
    """A date known to the year, the month or the day.

    The JSON form is ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``; the precision is
    carried by which parts are present, so a month is never padded to a
    false day.

    >>> d = PartialDate.parse("2020-07")
    >>> d.precision, str(d), d.earliest(), d.latest()
    ('month', '2020-07', datetime.date(2020, 7, 1), datetime.date(2020, 7, 31))
    """

    year: int
    month: int | None = None
    day: int | None = attrs.field(default=None, validator=_check_parts)

    @classmethod
    def parse(cls, text: str) -> PartialDate:
        """Parse ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``; raise ``ValueError`` otherwise."""
        match = _PARTIAL_DATE.match(text)
        if match is None:
            raise ValueError(f"{text!r} is not a date of the form YYYY, YYYY-MM or YYYY-MM-DD")
        year, month, day = match.groups()
        return cls(
            int(year),
            None if month is None else int(month),
            None if day is None else int(day),
        )

    @classmethod
    def from_date(cls, date: dt.date) -> PartialDate:
        """A day-precision partial date for a :class:`datetime.date`."""
        return cls(date.year, date.month, date.day)

    @property
    def precision(self) -> Precision:
        """``"year"``, ``"month"`` or ``"day"``."""
        if self.month is None:
            return "year"
        return "month" if self.day is None else "day"

    def earliest(self) -> dt.date:
        """The first day this date can mean."""
        return dt.date(self.year, self.month or 1, self.day or 1)

    def latest(self) -> dt.date:
        """The last day this date can mean."""
        if self.month is None:
            return dt.date(self.year, 12, 31)
        if self.day is None:
            return dt.date(self.year, self.month, calendar.monthrange(self.year, self.month)[1])
        return dt.date(self.year, self.month, self.day)

    def __str__(self) -> str:
        if self.month is None:
            return f"{self.year:04d}"
        if self.day is None:
            return f"{self.year:04d}-{self.month:02d}"
        return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"


def as_partial_date(value: PartialDate | str) -> PartialDate:
    """Accept a :class:`PartialDate` or its string form (an attrs converter)."""
    if isinstance(value, PartialDate):
        return value
    return PartialDate.parse(value)
