"""What the row-per-event formats (ACLED, UCDP GED) share: reading rows, writing them."""

from __future__ import annotations

import csv
import functools
import hashlib
import io
import itertools
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any, BinaryIO

import attrs

from .._errors import InputError
from .._ids import IdIndex
from .._report import Problem, ProblemList, error, warning
from ._base import Decoded, Entry, Item, raise_errors, read_collecting
from ._numbers import NumberError, parse_float

__all__ = [
    "Hold",
    "Note",
    "Preamble",
    "RowError",
    "RowItems",
    "RowWriter",
    "cell",
    "check_columns",
    "coordinate",
    "participant",
    "plain_text",
    "read_document",
    "read_rows",
    "rows",
    "slug_id",
]

#: A row's records, in the order they are yielded: sources and actors (each
#: only the first time its id is seen), then the event.
Records = list[tuple[str, dict[str, Any]]]


class RowError(Exception):
    """A cell that is not what its column holds."""

    def __init__(self, column: str, message: str) -> None:
        super().__init__(message)
        self.column = column
        self.message = message


def coordinate(row: dict[str, str], column: str, limit: int) -> float:
    """The latitude (``limit`` 90) or longitude (180) in ``column`` of ``row``."""
    # A header may name one coordinate and not the other: a row error.
    raw = row.get(column, "")
    try:
        value = parse_float(raw.strip())
    except NumberError as exc:
        raise RowError(column, f"{exc}: {raw[:40]!r}") from None
    if abs(value) > limit:
        raise RowError(column, f"out of range (-{limit} to {limit}): {raw!r}")
    return value


# The control characters the schema's text pattern refuses (tab, line feed
# and carriage return are text): the pipeline's text check looks for these.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")


def plain_text(cells: Iterable[str]) -> bool:
    """Whether ``cells`` are all ASCII without control characters.

    A record built from such cells (and the formats' own ASCII constants)
    needs no text scan: ASCII is NFC and holds no bidi controls. Numbers
    the readers put in records are parsed with :mod:`._numbers`, so they are
    finite and within range already. This is the entry's ``ascii_text``.
    """
    text = "".join(cells)
    return text.isascii() and (text.isprintable() or _CONTROL.search(text) is None)


# The same actor and source names come back on row after row; the cache is
# bounded, so memory stays flat on files with ever new names.
@functools.lru_cache(maxsize=1 << 16)
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


class Hold(RowError):  # noqa: N818 - not an error: the row is read later
    """A row that cannot be read until a later row decides how (an ambiguous date style).

    The reader keeps the row and reads it again once ``release`` says so; a
    row still held at the end of the file is reported with this message.
    """


class RowItems:
    """The entries of a CSV file of one event per row, and the warnings met reading it.

    Iterating gives the items, and each warning (a :class:`Problem`) once
    its row is read; :attr:`warnings` holds them all once the iteration has
    ended (the errors end it, as :class:`BadRecordsError`).
    """

    def __init__(self, items: Iterator[Entry], warnings: list[Problem]) -> None:
        self._items = items
        #: Rows read with a guess, or kept under a derived id.
        self.warnings = warnings

    def __iter__(self) -> RowItems:
        return self

    def __next__(self) -> Entry:
        return next(self._items)

    def close(self) -> None:
        """Stop reading: the file is handed back to its owner now, while it is open."""
        close: Callable[[], None] | None = getattr(self._items, "close", None)
        if close is not None:
            close()


#: Reports a warning about a cell of the row being read: its column, the message.
Note = Callable[[str, str], None]

#: What ``read_rows`` found before the first row: the header's line ending
#: (``"\n"`` or ``"\r\n"``) and, in HDX copies, the HXL hashtag row.
Preamble = dict[str, Any]


def read_rows(  # noqa: PLR0913 - keyword-only hooks of the two formats
    stream: BinaryIO,
    *,
    first: Callable[[Preamble], Sequence[Item]],
    columns: Callable[[list[str] | None], tuple[list[str], list[str]]],
    records: Callable[[dict[str, str], list[str], Note], Records],
    skip_blank: bool = False,
    release: Callable[[], bool] = lambda: True,
) -> RowItems:
    """The items of a CSV file of one event per row.

    ``columns`` checks the header row (``None`` for an empty file) and gives
    the model's names of the columns, in file order, and those the format
    does not know; ``first`` gives the items before any row (the dataset
    header, the dataset as a source), from what was found above the rows,
    and is called once the first row is read, so that it can describe the
    file; ``records`` turns a row into its records (its third argument
    warns about a cell of the row: column, message), raises
    :class:`RowError`, or :class:`Hold` to read the row again once
    ``release()`` is true. An HXL hashtag row under the header is set aside.
    Every bad row is reported, with its row and column, once all are read;
    an event id met twice keeps both rows, the second under a derived id.
    """
    warnings: list[Problem] = []
    rows = _read_rows(stream, first, columns, records, skip_blank, release, warnings)
    return RowItems(rows, warnings)


def _read_rows(  # noqa: C901, PLR0912, PLR0913, PLR0915, PLR0917 - one loop over the rows
    stream: BinaryIO,
    first: Callable[[Preamble], Sequence[Item]],
    columns: Callable[[list[str] | None], tuple[list[str], list[str]]],
    records: Callable[[dict[str, str], list[str], Note], Records],
    skip_blank: bool,
    release: Callable[[], bool],
    warnings: list[Problem],
) -> Iterator[Entry]:
    text = io.TextIOWrapper(stream, encoding="utf-8-sig", newline="")
    try:
        try:
            line = text.readline()
        except UnicodeDecodeError as exc:
            raise InputError("input.syntax", str(exc), location="row 1") from None
        preamble: Preamble = {"line_end": "\r\n" if line.endswith("\r\n") else "\n"}
        reader = csv.reader(itertools.chain([line], text) if line else text)
        try:
            raw = next(reader, None)
        except csv.Error as exc:
            raise InputError("input.syntax", str(exc), location="row 1") from None
        header, extra = columns(raw)
        # Column names become keys of the records' extensions.
        plain_header = plain_text([*(raw or []), *header])
        names = dict(zip(header, [n.strip() for n in raw or []], strict=False))
        seen = IdIndex()
        problems = ProblemList()
        held: list[tuple[str, dict[str, str]]] = []
        started = False

        current = ["row 1"]

        def note(column: str, message: str) -> None:
            name = names.get(column, column)
            location = f"{current[0]}, column {name}"
            warnings.append(warning((), "input.cell", f"{name}: {message}", location))

        def read(where: str, row: dict[str, str], *, final: bool = False) -> Records | None:
            current[0] = where
            try:
                return records(row, extra, note)
            except RowError as exc:
                if isinstance(exc, Hold) and not final:
                    held.append((where, row))
                    return None
                column = names.get(exc.column, exc.column)
                location = f"{where}, column {column}"
                problems.append(error((), "input.cell", f"{column}: {exc.message}", location))
            return None

        def emit(where: str, row: dict[str, str], found: Records) -> Iterator[Item]:
            # Every string of the row's records comes from its cells, its
            # header or the format's tables: plain cells make plain records.
            plain = plain_header and plain_text(row.values())
            for kind, record in found:
                if kind == "event":
                    _unique(record, seen, where, warnings)
                    yield kind, record, where, plain
                elif seen.add(record["id"], kind) is None:
                    yield kind, record, where, plain

        def release_held(*, final: bool) -> Iterator[Item]:
            waiting, held[:] = list(held), []
            for before, row in waiting:
                again = read(before, row, final=final)
                if again is not None:
                    yield from emit(before, row, again)

        told = 0  # warnings yielded so far

        try:
            for number, cells in enumerate(rows(reader), start=2):
                where = f"row {number}"
                if skip_blank and not any(cells):
                    continue
                if number == 2 and _is_hxl(cells):
                    preamble["hxl"] = cells
                    continue
                if len(cells) != len(header):
                    message = f"{len(cells)} cells, the header has {len(header)}"
                    problems.append(error((), "input.row", message, where))
                    continue
                row = dict(zip(header, cells, strict=True))
                found = read(where, row)
                if found is None:
                    continue
                if not started:
                    started = True
                    yield from first(preamble)
                if held and release():
                    yield from release_held(final=False)
                yield from emit(where, row, found)
                if len(warnings) > told:
                    yield from warnings[told:]
                    told = len(warnings)
            if not started:
                yield from first(preamble)
            # Rows still held are read now, if a row that failed decided; else refused.
            yield from release_held(final=True)
            yield from warnings[told:]
        finally:
            seen.close()
        warnings.sort(key=_row_order)
        problems.sort(key=_row_order)
        raise_errors(problems)
    finally:
        # Hand the stream back to its owner: a collected wrapper would close it.
        text.detach()


def read_document(items: RowItems) -> Decoded:
    """A whole document from a row reader: the rows it could read, and every problem."""
    decoded = read_collecting(entry for entry in items if not isinstance(entry, Problem))
    if not items.warnings:
        return decoded
    problems = sorted((*items.warnings, *decoded.problems), key=_row_order)
    return attrs.evolve(decoded, problems=tuple(problems))


def _is_hxl(cells: list[str]) -> bool:
    """Whether a row is HXL hashtags (``#date+start``), as HDX copies add under the header."""
    tags = [c for c in cells if c.strip()]
    return bool(tags) and all(c.lstrip().startswith("#") for c in tags)


def _row_order(problem: Problem) -> int:
    found = re.match(r"row (\d+)", problem.location or "")
    return int(found.group(1)) if found else 0


def _unique(event: dict[str, Any], seen: IdIndex, where: str, warnings: list[Problem]) -> None:
    """Give an event whose id an earlier row has the first free id ``{id}-2``, ``{id}-3``..."""
    original = event["id"]
    if seen.add(original, "event") is None:
        return
    number = 2
    while seen.add(f"{original}-{number}", "event") is not None:
        number += 1
    event["id"] = f"{original}-{number}"
    warnings.append(
        warning(
            (),
            "id.duplicate",
            f"{original} is the id of an earlier row too; both are kept, "
            f"this one as {event['id']}",
            where,
        )
    )


def check_columns(
    header: list[str], dataset: str, required: Sequence[str], known: Sequence[str]
) -> list[str]:
    """The columns of ``header`` not in ``known``; repeated or missing ones are an error."""
    repeated = sorted({c for c in header if header.count(c) > 1})
    if repeated:
        raise InputError(
            "input.header",
            f"repeated {dataset} columns: {', '.join(repeated)}",
            location="row 1",
        )
    missing = [c for c in required if c not in header]
    if missing:
        raise InputError(
            "input.header", f"missing {dataset} columns: {', '.join(missing)}", location="row 1"
        )
    return [c for c in header if c not in known]


def participant(actor_id: str, role: str, side: str) -> dict[str, Any]:
    """A participant of an event read from a row: the actor, its role, and its side.

    ``side`` is ``"a"`` (ACLED ``actor1``/``assoc_actor_1``, GED ``side_a``)
    or ``"b"`` (``actor2``/``assoc_actor_2``, ``side_b``): no two-sided event
    loses which actor was on which side.
    """
    return {"actor": actor_id, "role": role, "side": side}


def cell(value: Any) -> str:
    """A model value as a CSV cell: empty for None, ``repr`` for floats (exact)."""
    if value is None:
        return ""
    if isinstance(value, float):
        return repr(value)
    return str(value)


class _LineFeedWriter:
    """A ``csv.writer`` ending rows with LF that still quotes a cell holding a lone CR."""

    def __init__(self, text: io.TextIOWrapper) -> None:
        self._plain = csv.writer(text, lineterminator="\n")
        self._quoted = csv.writer(text, lineterminator="\n", quoting=csv.QUOTE_ALL)

    def writerow(self, cells: Sequence[str]) -> None:
        """Write one row; quote all its cells if one holds a CR, which csv would not quote."""
        if any("\r" in c for c in cells):
            self._quoted.writerow(cells)
        else:
            self._plain.writerow(cells)


#: The layouts a row writer can write: the imported file's own, or today's.
LAYOUTS = ("own", "current")


class RowWriter:
    """Writes CSV rows, remembering what events refer to and which events were foreign.

    Subclasses write the rows; ``close`` reports the events that did not
    come from :attr:`DATASET` (``note_foreign``), with :attr:`FOREIGN_ROWS`
    saying what their rows hold.
    """

    DATASET = ""
    FOREIGN_ROWS = ""

    def __init__(self, stream: BinaryIO, *, layout: str = "own") -> None:
        if layout not in LAYOUTS:
            raise ValueError(f"layout must be one of {', '.join(LAYOUTS)}, not {layout!r}")
        #: Write today's columns rather than the imported file's own layout.
        self._current = layout == "current"
        #: The imported file's layout, once its source record says it.
        self._layout: dict[str, Any] | None = None
        self._columns: tuple[str, ...] | None = None
        self._text = io.TextIOWrapper(stream, encoding="utf-8", newline="", write_through=True)
        # CRLF ends rows (RFC 4180): with "\n" alone, csv leaves a lone CR in a cell unquoted.
        self._csv: Any = csv.writer(self._text, lineterminator="\r\n")
        #: Record id -> what rows need of the record, as JSON; spills to disk.
        self._records = IdIndex()
        self._foreign = 0
        self._first_foreign: str | None = None

    def line_end(self, ending: str) -> None:
        """End rows with LF when ``ending`` is one (an imported file's own); CRLF otherwise."""
        if ending == "\n":
            self._csv = _LineFeedWriter(self._text)

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
