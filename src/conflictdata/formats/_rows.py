"""What the row-per-event formats (ACLED, UCDP GED) share: reading rows, writing them."""

from __future__ import annotations

import csv
import hashlib
import io
import re
from collections.abc import Callable, Iterator, Sequence
from typing import Any, BinaryIO

from .._errors import InputError
from .._ids import IdIndex
from .._report import Problem, error, warning
from ._base import Item, raise_errors

__all__ = ["RowError", "RowWriter", "cell", "read_rows", "rows", "slug_id"]

#: A row's records, in the order they are yielded: sources and actors (each
#: only the first time its id is seen), then the event.
Records = list[tuple[str, dict[str, Any]]]


class RowError(Exception):
    """A cell that is not what its column holds."""

    def __init__(self, column: str, message: str) -> None:
        super().__init__(message)
        self.column = column
        self.message = message


def slug_id(prefix: str, name: str) -> str:
    """A readable, stable record id for a name: its slug and a short hash."""
    slug = re.sub(r"[^a-z0-9]+", "-", name.casefold()).strip("-")[:60]
    digest = hashlib.sha1(name.encode("utf-8"), usedforsecurity=False).hexdigest()[:8]
    return f"{prefix}-{slug}-{digest}" if slug else f"{prefix}-{digest}"


def rows(reader: Any) -> Iterator[list[str]]:
    """The rows of a ``csv.reader``, with CSV and encoding errors as located problems."""
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except (csv.Error, UnicodeDecodeError) as exc:
            raise InputError("input.syntax", str(exc), location=f"row {reader.line_num}") from None
        yield cells


def read_rows(
    stream: BinaryIO,
    *,
    first: Sequence[Item],
    columns: Callable[[list[str] | None], tuple[list[str], list[str]]],
    records: Callable[[dict[str, str], list[str]], Records],
    skip_blank: bool = False,
) -> Iterator[Item]:
    """The items of a CSV file of one event per row.

    ``columns`` checks the header row (``None`` for an empty file) and gives
    the column names and those the format does not know; ``first`` are the
    items before any row (the dataset header, the dataset as a source);
    ``records`` turns a row into its records or raises :class:`RowError`.
    Every bad row is reported, with its row and column, once all are read.
    """
    text = io.TextIOWrapper(stream, encoding="utf-8-sig", newline="")
    try:
        reader = csv.reader(text)
        try:
            raw = next(reader, None)
        except (csv.Error, UnicodeDecodeError) as exc:
            raise InputError("input.syntax", str(exc), location="row 1") from None
        header, extra = columns(raw)
        yield from first
        seen = IdIndex()
        problems: list[Problem] = []
        try:
            for number, cells in enumerate(rows(reader), start=2):
                where = f"row {number}"
                if skip_blank and not any(cells):
                    continue
                if len(cells) != len(header):
                    message = f"{len(cells)} cells, the header has {len(header)}"
                    problems.append(error((), "input.row", message, where))
                    continue
                try:
                    found = records(dict(zip(header, cells, strict=True)), extra)
                except RowError as exc:
                    location = f"{where}, column {exc.column}"
                    problems.append(
                        error((), "input.cell", f"{exc.column}: {exc.message}", location)
                    )
                    continue
                for kind, record in found:
                    if kind == "event" or seen.add(record["id"], kind) is None:
                        yield kind, record, where, False
        finally:
            seen.close()
        raise_errors(problems)
    finally:
        # Hand the stream back to its owner: a collected wrapper would close it.
        text.detach()


def cell(value: Any) -> str:
    """A model value as a CSV cell: empty for None, ``repr`` for floats (exact)."""
    if value is None:
        return ""
    if isinstance(value, float):
        return repr(value)
    return str(value)


class RowWriter:
    """Writes CSV rows, remembering what events refer to and which events were foreign.

    Subclasses write the rows; ``close`` reports the events that did not
    come from :attr:`DATASET` (``note_foreign``), with :attr:`FOREIGN_ROWS`
    saying what their rows hold.
    """

    DATASET = ""
    FOREIGN_ROWS = ""

    def __init__(self, stream: BinaryIO) -> None:
        self._text = io.TextIOWrapper(stream, encoding="utf-8", newline="", write_through=True)
        # CRLF ends rows (RFC 4180): with "\n" alone, csv leaves a lone CR in a cell unquoted.
        self._csv = csv.writer(self._text, lineterminator="\r\n")
        #: Record id -> what rows need of the record, as JSON; spills to disk.
        self._records = IdIndex()
        self._foreign = 0
        self._first_foreign: str | None = None

    def note_foreign(self, event_id: str) -> None:
        """Count an event with no fields of the dataset kept."""
        self._foreign += 1
        self._first_foreign = self._first_foreign or event_id

    def close(self) -> list[Problem]:
        """Finish the file; say how many events did not come from the dataset."""
        self._text.flush()
        self._text.detach()
        self._records.close()
        if not self._foreign:
            return []
        return [
            warning(
                ("events",),
                "export.lossy",
                f"{self._foreign} event(s) did not come from {self.DATASET} "
                f"(the first: {self._first_foreign}); their rows hold {self.FOREIGN_ROWS}",
            )
        ]

    def abort(self) -> None:
        """Drop the record index; whoever owns the stream discards the file."""
        self._records.close()
        self._text.detach()
