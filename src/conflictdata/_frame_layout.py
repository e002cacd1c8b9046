"""The tables of :mod:`conflictdata.frames`: the CSV package's layout, typed, plus views.

Every table of the CSV data package (:mod:`.formats._tables`) is a frame
with the same columns, so that the frames carry everything and read back
losslessly. The events table adds *view* columns for analysis (day dates
of the partial dates, the actors of each side, the codes of well-known
schemes); they are made from the other columns and ignored on the way
back. A ``metadata`` table of one row holds the dataset's metadata.
"""

from __future__ import annotations

import calendar
import datetime as dt
import functools
import json
from collections.abc import Callable
from typing import Any

import attrs

from .formats._tables import RENAMED, TABLES, Column, Table

__all__ = [
    "CLASSIFICATION_VIEWS",
    "FRAME_TABLES",
    "METADATA",
    "FrameColumn",
    "FrameTable",
    "RowBuilder",
    "frame_table",
]

Plain = dict[str, Any]

#: The frame type of each CSV column type: partial dates stay text (a
#: ``date`` type would invent a day), and JSON is kept as its text.
_TYPES = {
    "string": "string",
    "integer": "integer",
    "number": "number",
    "boolean": "boolean",
    "date": "string",
    "json": "json",
}

#: Classification schemes shown as columns of the events table.
CLASSIFICATION_VIEWS = {
    "acled_event_type": "acled.event_type",
    "acled_sub_event_type": "acled.sub_event_type",
    "ucdp_type_of_violence": "ucdp.type_of_violence",
    "cameo_code": "cameo",
}


@attrs.frozen
class FrameColumn:
    """One column of a frame: its name, its type, the CSV column it stands for.

    ``type`` is one of ``string``, ``integer``, ``number``, ``boolean``,
    ``json`` (JSON text) and ``date`` (a calendar day, only in views).
    ``source`` is None for a view column, which is derived and never read back.
    """

    name: str
    type: str
    required: bool = False
    source: Column | None = None
    description: str = ""

    @property
    def view(self) -> bool:
        """Whether the column is derived from the others (and ignored when reading)."""
        return self.source is None


@attrs.frozen
class FrameTable:
    """One frame: a CSV package table with typed columns (and views for events)."""

    name: str
    table: Table
    columns: tuple[FrameColumn, ...]

    @property
    def stored(self) -> tuple[FrameColumn, ...]:
        """The columns that are read back (every column but the views)."""
        return tuple(c for c in self.columns if not c.view)


def _typed(column: Column) -> FrameColumn:
    return FrameColumn(column.name, _TYPES[column.type], column.required, column)


_EVENT_VIEWS = (
    FrameColumn("start", "date", description="First day the event can have begun."),
    FrameColumn("end", "date", description="Last day the event can have ended."),
    FrameColumn("date_precision", "string", description="year, month or day."),
    FrameColumn("side_a", "string", description="Actors of side a, ids joined by ';'."),
    FrameColumn("side_b", "string", description="Actors of side b, ids joined by ';'."),
    *(
        FrameColumn(name, "string", description=f"First code of scheme {scheme!r}.")
        for name, scheme in CLASSIFICATION_VIEWS.items()
    ),
)

#: The metadata of the dataset: one row. ``creators`` is a JSON array.
METADATA = Table(
    "metadata",
    "dataset",
    "record",
    description="The dataset's metadata, one row.",
    columns=(
        Column("title", ("title",), required=True),
        Column("description", ("description",)),
        Column("license", ("license",)),
        Column("creators", ("creators",), "json"),
        Column("created", ("created",), "date"),
        Column("version", ("version",)),
    ),
)


def _frame(table: Table) -> FrameTable:
    columns = tuple(_typed(c) for c in table.columns)
    if table.name == "events":
        columns += _EVENT_VIEWS
    return FrameTable(table.name, table, columns)


#: Every frame, by name, in the order ``table="all"`` gives them.
FRAME_TABLES: dict[str, FrameTable] = {t.name: _frame(t) for t in (METADATA, *TABLES)}


def frame_table(name: str) -> FrameTable:
    """The frame called ``name``; a ``ValueError`` names those there are."""
    try:
        return FRAME_TABLES[name]
    except KeyError:
        names = ", ".join(FRAME_TABLES)
        raise ValueError(f"no table is called {name!r}; the tables are: {names}") from None


def _getter(column: FrameColumn) -> Callable[[Plain], Any]:
    """Reads a column's value from a plain record or item, in its frame type."""
    assert column.source is not None  # noqa: S101 - views have their own getters
    keys = [RENAMED.get(part, part) for part in column.source.path]
    if len(keys) == 1:
        (key,) = keys
        get: Callable[[Plain], Any] = lambda record: record.get(key)  # noqa: E731
    else:
        first, second = keys
        get = lambda record: (record.get(first) or {}).get(second)  # noqa: E731
    if column.type == "number":
        # JSON numbers may be integers; the column is one type.
        return lambda record: None if (value := get(record)) is None else float(value)
    if column.type == "json":
        return lambda record: (
            None
            if (value := get(record)) is None
            else json.dumps(value, ensure_ascii=False, separators=(",", ":"))
        )
    if column.type == "boolean":
        return lambda record: bool(get(record))
    return get


# Events share few distinct dates: each is worked out once.
@functools.lru_cache(maxsize=8192)
def _day(text: str, last: bool) -> dt.date:
    """The first (or ``last``) day a valid partial date can mean."""
    year = int(text[:4])
    if len(text) == 4:
        return dt.date(year, 12, 31) if last else dt.date(year, 1, 1)
    month = int(text[5:7])
    if len(text) == 7:
        return dt.date(year, month, calendar.monthrange(year, month)[1] if last else 1)
    return dt.date(year, month, int(text[8:10]))


_PRECISION = {4: "year", 7: "month", 10: "day"}


def _event_views(record: Plain) -> list[Any]:
    when = record.get("when") or {}
    start_text = when.get("start")
    end_text = when.get("end") or start_text
    if isinstance(start_text, str) and isinstance(end_text, str):
        start: dt.date | None = _day(start_text, last=False)
        end: dt.date | None = _day(end_text, last=True)
        precision: str | None = _PRECISION[min(len(start_text), len(end_text))]
    else:
        start = end = precision = None
    sides: dict[str, list[str]] = {"a": [], "b": []}
    for participant in record.get("participants") or ():
        side = participant.get("side")
        if side in sides:
            sides[side].append(participant["actor"])
    codes: dict[str, str] = {}
    for classification in record.get("classifications") or ():
        codes.setdefault(classification["scheme"], classification["code"])
    return [
        start,
        end,
        precision,
        ";".join(sides["a"]) or None,
        ";".join(sides["b"]) or None,
        *(codes.get(scheme) for scheme in CLASSIFICATION_VIEWS.values()),
    ]


class RowBuilder:
    """Collects one frame's rows as column lists, from plain records.

    :meth:`add` takes a whole record (a source, actor, event, tombstone or
    the metadata) and adds the rows it has in this table: one for a record
    table, one per item of a list or member of a map.
    """

    def __init__(self, frame: FrameTable) -> None:
        self.frame = frame
        table = frame.table
        self.owner = table.owner
        self.shape = table.shape
        self.field = table.field or ""
        self.names = [c.name for c in frame.columns]
        # Rows are kept whole and turned into columns per chunk, in C (zip).
        self._rows: list[tuple[Any, ...]] = []
        stored = frame.stored
        self._getters: list[Callable[[Plain], Any]] = []
        if self.shape == "record":
            self._getters = [_getter(c) for c in stored]
        elif self.shape == "list":
            self._getters = [_getter(c) for c in stored[2:]]
        self._scalar = (
            self.shape == "list"
            and stored[2].source is not None
            and (stored[2].source.path == ("value",))
        )
        self._json_value = self.shape == "map" and stored[2].type == "json"
        self._views = table.name == "events"

    @property
    def rows(self) -> int:
        """The number of rows collected since the last :meth:`take`."""
        return len(self._rows)

    def takes(self, kind: str) -> bool:
        """Whether records of ``kind`` have rows in this table."""
        # Identifiers and extensions belong to any record, but the metadata has none.
        return self.owner == kind or (self.owner == "any" and kind != "dataset")

    def add(self, record: Plain) -> None:
        """Add the rows of one record."""
        rows = self._rows
        if self.shape == "record":
            row = [get(record) for get in self._getters]
            if self._views:
                row += _event_views(record)
            rows.append(tuple(row))
            return
        values = record.get(self.field)
        if not values:
            return
        owner = record["id"]
        if self.shape == "map":
            if self._json_value:
                rows.extend(
                    (owner, key, json.dumps(value, ensure_ascii=False, separators=(",", ":")))
                    for key, value in values.items()
                )
            else:
                rows.extend((owner, key, value) for key, value in values.items())
        elif self._scalar:
            rows.extend((owner, position, item) for position, item in enumerate(values))
        else:
            getters = self._getters
            rows.extend(
                (owner, position, *[get(item) for get in getters])
                for position, item in enumerate(values)
            )

    def take(self) -> dict[str, list[Any]]:
        """The rows collected so far, by column name; the builder starts afresh."""
        rows, self._rows = self._rows, []
        columns = [list(c) for c in zip(*rows, strict=True)] if rows else [[] for _ in self.names]
        return dict(zip(self.names, columns, strict=True))
