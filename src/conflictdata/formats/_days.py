"""Day dates as CSV exports write them: ISO, written out, and spreadsheet styles.

A style is a pattern of ``%Y`` (four-digit year), ``%y`` (two digits:
00-68 are 2000-2068, 69-99 are 1969-1999, as POSIX ``strptime`` reads
them), ``%m``/``%-m`` (month number, padded or not), ``%B``/``%b`` (English
month name, full or three letters), ``%d``/``%-d`` (day, padded or not) and
separators. ``03 December 2020`` is ``%d %B %Y``, ``9-May-20`` is
``%-d-%b-%y``, ``31-12-19`` is ``%d-%m-%y``.

All-numeric dates such as ``05-06-20`` read day first or month first; one
cell that only one reading fits (``31-12-19``) decides for the whole
column (:class:`DayColumn`).
"""

from __future__ import annotations

import datetime as dt
import re

from ._rows import Hold, RowError

__all__ = ["ISO", "DayColumn", "format_day"]

#: The style of ISO 8601 dates.
ISO = "%Y-%m-%d"

_MONTHS = (
    "January", "February", "March", "April", "May", "June", "July", "August",
    "September", "October", "November", "December",
)  # fmt: skip
_BY_NAME = {name.casefold(): number for number, name in enumerate(_MONTHS, start=1)}
_BY_NAME.update({name[:3].casefold(): number for number, name in enumerate(_MONTHS, start=1)})
_BY_NAME["sept"] = 9

# ASCII digits only, as in number cells: ``\d`` alone also takes other
# scripts' digits, which would be read as a day but not written back.
_ISO = re.compile(r"(\d{4})-(\d{2})-(\d{2})", re.ASCII)
_NAMED = re.compile(r"(\d{1,2})([- ])([A-Za-z]{3,9})\.?\2(\d{4}|\d{2})", re.ASCII)
_NUMERIC = re.compile(r"(\d{1,2})([-/.])(\d{1,2})\2(\d{4}|\d{2})", re.ASCII)


def _year(text: str) -> int:
    if len(text) == 4:
        return int(text)
    short = int(text)
    return 2000 + short if short <= 68 else 1900 + short


def _day(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def format_day(day: dt.date, style: str) -> str:
    """``day`` written in ``style`` (see the module's patterns)."""
    parts = {
        "%Y": f"{day.year:04d}",
        "%y": f"{day.year % 100:02d}",
        "%m": f"{day.month:02d}",
        "%-m": str(day.month),
        "%B": _MONTHS[day.month - 1],
        "%b": _MONTHS[day.month - 1][:3],
        "%d": f"{day.day:02d}",
        "%-d": str(day.day),
    }
    return re.sub(r"%-?[YymBbd]", lambda m: parts[m.group(0)], style)


class DayColumn:
    """Reads the day dates of one column, remembering each distinct cell.

    ``order`` is ``"dm"`` (day first) or ``"md"`` once a cell has shown
    which (or when given); until then an all-numeric cell that both orders
    fit raises :class:`Hold`. :attr:`style` is the style of the first
    cell read; :attr:`decided_by` the cell that fixed the order.
    """

    def __init__(self, column: str, order: str | None = None) -> None:
        self.column = column
        self.order = order
        self.style: str | None = None
        self.decided_by: str | None = None
        self._seen: dict[str, tuple[dt.date, str, bool]] = {}

    def read(self, raw: str) -> tuple[dt.date, bool]:
        """The date in ``raw``, and whether it needed the column's order to be read."""
        found = self._seen.get(raw)
        if found is None:
            found = self._parse(raw.strip())
            self._seen[raw] = found
        day, style, guessed = found
        if self.style is None:
            self.style = style
        return day, guessed

    def _parse(self, text: str) -> tuple[dt.date, str, bool]:
        match = _ISO.fullmatch(text)
        if match:
            day = _day(int(match[1]), int(match[2]), int(match[3]))
            if day is not None:
                return day, ISO, False
        match = _NAMED.fullmatch(text)
        if match:
            month = _BY_NAME.get(match[3].casefold())
            day = _day(_year(match[4]), month, int(match[1])) if month else None
            if day is not None:
                full = len(match[3]) > 3
                sep = match[2]
                style = (
                    f"{_pad(match[1], 'd')}{sep}{'%B' if full else '%b'}{sep}{_pad(match[4], 'y')}"
                )
                return day, style, False
        match = _NUMERIC.fullmatch(text)
        if match:
            return self._numeric(match)
        raise RowError(self.column, f"not a date: {text!r}")

    def _numeric(self, match: re.Match[str]) -> tuple[dt.date, str, bool]:
        first, sep, second, year_text = match[1], match[2], match[3], match[4]
        year = _year(year_text)
        day_first = _day(year, int(second), int(first))
        month_first = _day(year, int(first), int(second))
        styles = {
            "dm": f"{_pad(first, 'd')}{sep}{_pad(second, 'm')}{sep}{_pad(year_text, 'y')}",
            "md": f"{_pad(first, 'm')}{sep}{_pad(second, 'd')}{sep}{_pad(year_text, 'y')}",
        }
        if day_first is None and month_first is None:
            raise RowError(self.column, f"not a date: {match[0]!r}")
        if day_first is not None and month_first is not None and day_first != month_first:
            if self.order is None:
                raise Hold(
                    self.column,
                    f"{match[0]!r} reads day-month or month-day, and no date of the "
                    "column shows which",
                )
            chosen = day_first if self.order == "dm" else month_first
            return chosen, styles[self.order], True
        only = "dm" if day_first is not None else "md"
        if day_first is not None and month_first is not None:
            only = self.order or "dm"  # the same day either way (05-05-20)
            return day_first, styles[only], False
        if self.order is None:
            self.order, self.decided_by = only, match[0]
        elif self.order != only:
            written = "day-month-year" if self.order == "dm" else "month-day-year"
            raise RowError(
                self.column, f"{match[0]!r} is not {written}, as the column's dates are"
            )
        fits = day_first if only == "dm" else month_first
        assert fits is not None  # noqa: S101 - the one reading that fits
        return fits, styles[only], False


def _pad(text: str, part: str) -> str:
    if part == "y":
        return "%Y" if len(text) == 4 else "%y"
    return f"%{part}" if len(text) == 2 else f"%-{part}"
