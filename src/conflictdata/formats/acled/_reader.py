"""ACLED rows to records: events, the actors and sources they name."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Sequence
from typing import Any, BinaryIO

import attrs

from ..._errors import InputError
from ...model import SCHEMA_VERSION
from .. import _gwno
from .._base import Decoded, Item
from .._days import ISO, DayColumn
from .._iso3166 import ALPHA2, FROM_ALPHA3
from .._numbers import NumberError, parse_float, parse_int
from .._rows import (
    Note,
    Preamble,
    Records,
    RowError,
    RowItems,
    cell,
    check_columns,
    participant,
    plain_text,
    read_document,
    read_rows,
    slug_id,
)
from ._tables import (
    _ALONE,
    _DATASET_SOURCE,
    _DISORDER,
    _INTER_BY_LABEL,
    _KEPT,
    _RIOTERS,
    _SUB_TYPES,
    COLUMNS,
    CROSSWALK,
    GEO_PRECISION,
    INTER,
    MISSING,
    RENAMED,
    REQUIRED_COLUMNS,
    SCHEME,
    TYPES_ALONE,
)


# Rows name the same actors and sources again and again: each id is worked out once.
@functools.lru_cache(maxsize=65536)
def actor_id(name: str) -> str:
    """The id of the actor record for an ACLED actor name."""
    return slug_id("acled-actor", name)


@functools.lru_cache(maxsize=65536)
def source_id(name: str) -> str:
    """The id of the source record for an ACLED source name."""
    return slug_id("acled-src", name)


def canonical(name: str) -> str:
    """The name conflictdata gives a column: lower case, older names renamed.

    An unnamed column (the index pandas writes first) keeps the empty name.
    """
    folded = name.strip().casefold()
    return RENAMED.get(folded, folded)


def _split(cell: str) -> list[str]:
    return [part.strip() for part in cell.split(";") if part.strip()]


def _inter(row: dict[str, str], column: str) -> str:
    raw = row.get(column, "").strip()
    if raw in ("", "0"):
        return "0"
    if raw in INTER:
        return raw
    code = _INTER_BY_LABEL.get(raw.casefold())
    if code is None:
        raise RowError(column, f"unknown actor type {raw!r} (1-8 or ACLED's label)")
    return code


def _when(day: dt.date, row: dict[str, str]) -> dict[str, Any]:
    precision = row.get("time_precision", "").strip() or "1"
    if precision == "1":
        return {"start": day.isoformat()}
    if precision == "2":
        # "Sometime in the week or similar period around" the date.
        start, end = day - dt.timedelta(days=3), day + dt.timedelta(days=3)
        return {"start": start.isoformat(), "end": end.isoformat(), "uncertain": True}
    if precision == "3":
        # Only the month is known; the day is a mid-month stand-in.
        return {"start": f"{day.year:04d}-{day.month:02d}"}
    raise RowError("time_precision", f"unknown code {precision!r} (1, 2 or 3)")


@attrs.frozen
class _Types:
    """A row's event type as written, its sub-event type, and what they mean."""

    event_type: str
    sub_type: str | None
    current: str  # the current event type it belongs to
    plover: str
    mode: str | None


def _types(row: dict[str, str]) -> _Types:
    written, sub = row["event_type"].strip(), row.get("sub_event_type", "").strip()
    if sub:
        found = _SUB_TYPES.get((written.casefold(), sub.casefold()))
        if found is None:
            known = any(e == written.casefold() for e, _ in _SUB_TYPES)
            column = "sub_event_type" if known else "event_type"
            raise RowError(column, f"unknown {column.replace('_', ' ')} {row[column]!r}")
        plover, mode = CROSSWALK[found]
        return _Types(found[0], found[1], found[0], plover, mode)
    name = _ALONE.get(written.casefold())
    if name is None:
        raise RowError("event_type", f"unknown event type {written!r}")
    current, _, plover, mode = TYPES_ALONE[name]
    if name == "Riots/Protests" and _inter(row, "inter1") == "5":
        current, _, plover, mode = _RIOTERS
    return _Types(name, None, current, plover, mode)


def _country(row: dict[str, str]) -> str | None:
    """The row's ISO 3166-1 alpha-2 country: from ``iso``, else ``iso3``, else ``gwno``."""
    iso = row.get("iso", "").strip()
    if iso:
        if iso == "0":
            return "XK"  # ACLED codes Kosovo, which ISO 3166-1 does not list, as 0
        try:
            return ALPHA2[parse_int(iso)]
        except (ValueError, KeyError):
            raise RowError("iso", f"not an ISO 3166-1 numeric country code: {iso!r}") from None
    iso3 = row.get("iso3", "").strip()
    if iso3:
        if iso3.upper() not in FROM_ALPHA3:
            raise RowError("iso3", f"not an ISO 3166-1 alpha-3 country code: {iso3!r}")
        return FROM_ALPHA3[iso3.upper()]
    gwno = row.get("gwno", "").strip()
    if gwno:
        try:
            number = parse_int(gwno)
        except ValueError:
            raise RowError("gwno", f"not a Gleditsch-Ward number: {gwno!r}") from None
        # A number without an ISO country today (a former state) gives none.
        return _gwno.ALPHA2.get(number)
    return None


def _place(row: dict[str, str]) -> dict[str, Any] | None:  # noqa: C901 - column by column
    name = row.get("location", "").strip() or row.get("admin1", "").strip()
    # A place named by spaces alone comes from other data: kept as it is.
    name = name or row.get("country", "").strip() or row.get("location", "")
    if not name:
        if row.get("latitude", "").strip() or row.get("longitude", "").strip():
            raise RowError("location", "coordinates without a place name")
        # A row written from an event whose place is unknown.
        return None
    place: dict[str, Any] = {"name": name}
    country = _country(row)
    if country is not None:
        place["country"] = country
    for column in ("admin1", "admin2"):
        if row.get(column, "").strip():
            place[column] = row[column]
    # Both coordinates, or (in rows written from other data) neither.
    if row.get("latitude", "").strip() or row.get("longitude", "").strip():
        for column, key in (("latitude", "lat"), ("longitude", "lon")):
            try:
                place[key] = parse_float(row.get(column, "").strip())
            except NumberError as exc:  # noqa: PERF203 - two columns
                raise RowError(column, f"{exc}: {row.get(column, '')[:40]!r}") from None
    code = row.get("geo_precision", "").strip()
    if code:
        if code not in GEO_PRECISION:
            raise RowError("geo_precision", f"unknown code {code!r} (1, 2 or 3)")
        place["precision"] = GEO_PRECISION[code]
    return place


def _actors(
    row: dict[str, str], types: _Types
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The actor records the row names, and the event's participants."""
    codes = {side: _inter(row, f"inter{side}") for side in ("1", "2")}
    civilians_hit = types.current == "Violence against civilians" or bool(
        row.get("civilian_targeting", "").strip()
    )
    actors: list[dict[str, Any]] = []
    participants: list[dict[str, Any]] = []
    for number, side in (("1", "a"), ("2", "b")):
        names = [
            row.get(f"actor{number}", "").strip(),
            *_split(row.get(f"assoc_actor_{number}", "")),
        ]
        kind = INTER.get(codes[number], ("", "other"))[1]
        for position, name in enumerate(names):
            if not name:
                continue
            ident = actor_id(name)
            actors.append({"id": ident, "kind": kind, "name": name})
            role = "participant"
            if civilians_hit and number == "2" and codes["2"] == "7":
                role = "victim"
            elif civilians_hit and number == "1" and position == 0 and codes["2"] == "7":
                role = "initiator"
            participants.append(participant(ident, role, side))
    return actors, participants


def _fatalities(row: dict[str, str]) -> int | None:
    raw = row.get("fatalities", "").strip()
    if not raw:
        return None
    try:
        deaths = parse_int(raw)
    except NumberError as exc:
        raise RowError("fatalities", f"{exc}: {raw[:40]!r}") from None
    if deaths < 0:
        raise RowError("fatalities", f"negative: {deaths}")
    return deaths


class _RowReader:
    """Turns rows into records, with the state a file's rows share: its date column."""

    def __init__(self) -> None:
        self.dates = DayColumn("event_date")
        self.header: list[str] = []
        self.missing = ""
        self._keep: list[str] = []

    def columns(self, raw: list[str] | None) -> tuple[list[str], list[str]]:
        if not raw:
            raise InputError(
                "input.header", "the file is empty: no ACLED header", location="row 1"
            )
        self.header = raw
        header = [canonical(name) for name in raw]
        extra = check_columns(header, "ACLED", REQUIRED_COLUMNS, COLUMNS)
        # Worked out once for the file: which kept columns its rows have.
        self._keep = [c for c in (*_KEPT, *extra) if c in header]
        return header, extra

    def first(self, preamble: Preamble) -> Sequence[Item]:
        """The dataset header, and the dataset as a source, with the file's layout."""
        layout: dict[str, Any] = {"header": self.header, "line_end": preamble["line_end"]}
        layout["date_style"] = self.dates.style or ISO
        if self.dates.order is not None and self.dates.style != ISO:
            layout["date_order"] = self.dates.order
        if self.missing:
            layout["missing"] = self.missing
        source = {**_DATASET_SOURCE, "extensions": {SCHEME: {"layout": layout}}}
        header = {
            "schema_version": SCHEMA_VERSION,
            "metadata": {"title": "ACLED events (imported)"},
        }
        # The layout holds the file's header as written: plain only if it is.
        plain = plain_text(self.header)
        return [("dataset", header, "row 1", True), ("source", source, "row 1", plain)]

    def records(self, raw: dict[str, str], extra: list[str], note: Note) -> Records:
        del extra  # kept columns are known from the header (``columns``)
        row = raw
        if MISSING in raw.values():
            self.missing = self.missing or MISSING
            row = {k: "" if v == MISSING else v for k, v in raw.items()}
        event, actors, sources = self._event(raw, row, note)
        return [
            *(("source", source) for source in sources),
            *(("actor", actor) for actor in actors),
            ("event", event),
        ]

    def _event(
        self, raw: dict[str, str], row: dict[str, str], note: Note
    ) -> tuple[dict[str, Any], list[dict[str, Any]], list[dict[str, Any]]]:
        ident = row["event_id_cnty"].strip()
        data_id = row.get("data_id", "").strip()
        if not ident and not data_id:
            raise RowError("event_id_cnty", "empty")
        if not row["event_date"].strip():
            raise RowError("event_date", "empty")
        day, guessed = self.dates.read(row["event_date"])
        types = _types(row)
        actors, participants = _actors(row, types)
        sources = [
            {"id": source_id(name), "kind": "other", "title": name, "publisher": name}
            for name in _split(row.get("source", ""))
        ]
        deaths = _fatalities(row)
        place = _place(row)
        who = " - ".join(filter(None, (row["actor1"].strip(), row.get("actor2", "").strip())))
        description = row.get("notes", "") if row.get("notes", "").strip() else ""
        model = {"location": place, "description": description}
        kept = _kept(raw, self._keep, model, missing=row is not raw)
        if not ident:
            # Older exports have rows with a data_id only; it names the event.
            note("event_id_cnty", f"empty; the event is named by its data_id {data_id}")
        event: dict[str, Any] = {
            "id": f"acled-{ident}" if ident else f"acled-data-{data_id}",
            "type": types.plover,
            "title": f"{types.sub_type or types.event_type}: "
            f"{who or 'unidentified actors'}, {place['name'] if place else 'place unknown'}",
            "when": _when(day, row),
            "location": place,
            "participants": participants,
            "status": "reported",
            "citations": [{"source": s["id"], "stance": "reports"} for s in sources]
            or [{"source": _DATASET_SOURCE["id"], "stance": "reports"}],
            "classifications": _classifications(row, types),
            "identifiers": {SCHEME: ident} if ident else {"acled.data_id": data_id},
            "extensions": {SCHEME: kept},
        }
        if place is None:
            del event["location"]
        if guessed:
            self._guessed(row["event_date"], day, note)
        if types.mode:
            event["mode"] = types.mode
        if description:
            event["description"] = description
        tags = list(dict.fromkeys(_split(row.get("tags", ""))))
        if tags:
            event["tags"] = tags
        if deaths is not None:
            # "The most conservative estimate": the headline figure, and at least that many.
            event["fatalities"] = {"best": deaths, "low": deaths}
        return event, actors, sources

    def _guessed(self, raw: str, day: dt.date, note: Note) -> None:
        """Say, once, how the column's all-numeric dates were read."""
        if self._warned or self.dates.decided_by is None:
            return
        self._warned = True
        order = "day-month-year" if self.dates.order == "dm" else "month-day-year"
        note(
            "event_date",
            f"{raw.strip()!r} read as {order} ({day.isoformat()}), "
            f"as the column's {self.dates.decided_by!r} shows",
        )

    _warned = False


def _kept(
    raw: dict[str, str], columns: list[str], model: dict[str, Any], *, missing: bool
) -> dict[str, str]:
    """The cells kept in the extension: those the model does not hold or would change.

    ``columns`` are those of :data:`_KEPT` and the unknown ones that the
    file has, in that order; ``missing`` says whether a cell is R's NA.
    """
    kept = {c: raw[c] for c in columns}
    if not raw["event_id_cnty"].strip():
        kept["event_id_cnty"] = raw["event_id_cnty"]
    kept.update(
        (column, raw[column])
        for column, value in _model_cells(model).items()
        if column in raw and raw[column] != value
    )
    if missing:
        # Where R wrote NA, the NA is kept to write back.
        kept.update((c, v) for c, v in raw.items() if v == MISSING)
    return kept


def _classifications(row: dict[str, str], types: _Types) -> list[dict[str, str]]:
    found = [
        {
            "scheme": "acled.disorder_type",
            "code": row.get("disorder_type", "").strip() or _DISORDER[types.current],
        },
        {"scheme": "acled.event_type", "code": types.event_type},
    ]
    if types.sub_type is not None:
        found.append({"scheme": "acled.sub_event_type", "code": types.sub_type})
    return found


def iter_items(stream: BinaryIO) -> RowItems:
    """The header, the dataset as a source, then each row's new sources and actors and its event.

    Rows whose all-numeric date reads both day first and month first wait
    (in memory) until a later row's date shows which; :attr:`RowItems.warnings`
    says which reading was taken.
    """
    reader = _RowReader()
    return read_rows(
        stream,
        first=reader.first,
        columns=reader.columns,
        records=reader.records,
        skip_blank=True,
        release=lambda: reader.dates.order is not None,
    )


def read(stream: BinaryIO) -> Decoded:
    """Read a whole ACLED file; every unreadable row is reported, the others read."""
    return read_document(iter_items(stream))


def _model_cells(event: dict[str, Any]) -> dict[str, str]:
    """The cells of :data:`_AS_WRITTEN` as the writer derives them from the model."""
    place = event.get("location") or {}
    return {
        "location": place.get("name", ""),
        "admin1": place.get("admin1", ""),
        "admin2": place.get("admin2", ""),
        "latitude": cell(place.get("lat")),
        "longitude": cell(place.get("lon")),
        "notes": event.get("description", ""),
    }
