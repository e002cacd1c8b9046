"""ACLED: the Armed Conflict Location & Event Data CSV, read and written row for row.

Each row becomes an event with a PLOVER type chosen by the crosswalk in
:data:`CROSSWALK` (older exports' event types by :data:`TYPES_ALONE`),
ACLED's own types kept as classifications, actors shared across rows, and
sources cited by the event. Columns the model does not hold, and the raw
text of the columns it holds only in part, are kept in the event's
``acled`` extension; the file's layout (its header as read, date style,
line ending) is kept on the dataset's own source record, so that writing
the dataset back gives the same cells in the same columns.
``docs/interop.md`` explains every mapping decision.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
from collections.abc import Sequence
from typing import Any, BinaryIO

import attrs

from .._dates import PartialDate
from .._errors import InputError
from .._report import Problem
from ..model import SCHEMA_VERSION
from . import _detect, _gwno
from ._base import Decoded, Format, Item, header_of, write_document
from ._days import ISO, DayColumn, format_day
from ._iso3166 import ALPHA2, FROM_ALPHA3, NUMERIC
from ._rows import (
    Hold,
    Note,
    Preamble,
    Records,
    RowError,
    RowItems,
    RowWriter,
    cell,
    participant,
    read_document,
    read_rows,
    slug_id,
)

__all__ = [
    "COLUMNS",
    "CROSSWALK",
    "INTER",
    "LEGACY_COLUMNS",
    "REQUIRED_COLUMNS",
    "SCHEME",
    "TYPES_ALONE",
    "Writer",
    "canonical",
    "iter_items",
    "read",
    "write",
]

#: The columns of an ACLED export, in order.
COLUMNS = (
    "event_id_cnty", "event_date", "year", "time_precision", "disorder_type",
    "event_type", "sub_event_type", "actor1", "assoc_actor_1", "inter1", "actor2",
    "assoc_actor_2", "inter2", "interaction", "civilian_targeting", "iso", "region",
    "country", "admin1", "admin2", "admin3", "location", "latitude", "longitude",
    "geo_precision", "source", "source_scale", "notes", "fatalities", "tags", "timestamp",
)  # fmt: skip
#: Columns of older exports (removed in 2023), written after the others when kept.
LEGACY_COLUMNS = ("data_id", "event_id_no_cnty", "iso3")
#: The columns a file must have to be read; any others may be absent, and
#: columns the format does not know are kept.
REQUIRED_COLUMNS = ("event_id_cnty", "event_date", "event_type", "actor1")
#: Older names of columns, as the 2016 API wrote them.
RENAMED = {"ally_actor_1": "assoc_actor_1", "ally_actor_2": "assoc_actor_2"}
#: R's spelling of a missing value (``write.csv``), read as an empty cell.
MISSING = "NA"

#: The extension scheme of ACLED fields.
SCHEME = "acled"

# The columns kept verbatim in the extension: those the model does not
# hold, and the raw text of those it holds in part (codes, names, lists).
_KEPT = (
    "event_date", "year", "time_precision", "disorder_type", "event_type", "actor1",
    "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2", "interaction",
    "civilian_targeting", "iso", "region", "country", "admin3", "geo_precision", "source",
    "source_scale", "fatalities", "tags", "timestamp",
)  # fmt: skip

#: Event types read without a sub-event type: those of exports before 2019
#: (and of files without the ``sub_event_type`` column) -> the current
#: event type and sub-event type a current-layout file gets, the PLOVER type
#: and mode. The type as written stays the event's ``acled.event_type``.
TYPES_ALONE: dict[str, tuple[str, str, str, str | None]] = {
    "Battle-No change of territory": ("Battles", "Armed clash", "ASSAULT", None),
    "Battle-Government regains territory":
        ("Battles", "Government regains territory", "ASSAULT", None),
    "Battle-Non-state actor overtakes territory":
        ("Battles", "Non-state actor overtakes territory", "ASSAULT", None),
    "Riots/Protests": ("Protests", "Peaceful protest", "PROTEST", None),
    "Remote violence":
        ("Explosions/Remote violence", "Shelling/artillery/missile attack", "ASSAULT", None),
    "Violence against civilians": ("Violence against civilians", "Attack", "ASSAULT", None),
    "Strategic development": ("Strategic developments", "Other", "COERCE", None),
    "Non-violent transfer of territory":
        ("Strategic developments", "Non-violent transfer of territory", "RETREAT", None),
    "Headquarters or base established":
        ("Strategic developments", "Headquarters or base established", "MOBILIZE", None),
    "Battles": ("Battles", "Armed clash", "ASSAULT", None),
    "Explosions/Remote violence":
        ("Explosions/Remote violence", "Shelling/artillery/missile attack", "ASSAULT", None),
    "Protests": ("Protests", "Peaceful protest", "PROTEST", None),
    "Riots": ("Riots", "Violent demonstration", "PROTEST", "riot"),
    "Strategic developments": ("Strategic developments", "Other", "COERCE", None),
}  # fmt: skip
#: "Riots/Protests" by rioters (``inter1`` 5): a riot.
_RIOTERS = ("Riots", "Violent demonstration", "PROTEST", "riot")
_ALONE = {name.casefold(): name for name in TYPES_ALONE}

#: ``inter`` codes: number, ACLED's label, and the actor kind they map to.
INTER: dict[str, tuple[str, str]] = {
    "1": ("State forces", "military"),
    "2": ("Rebel group", "armed_group"),
    "3": ("Political militia", "armed_group"),
    "4": ("Identity militia", "armed_group"),
    "5": ("Rioters", "protesters"),
    "6": ("Protesters", "protesters"),
    "7": ("Civilians", "civilians"),
    "8": ("External/Other forces", "other"),
}
_INTER_BY_LABEL = {label.casefold(): code for code, (label, _) in INTER.items()}
_INTER_BY_LABEL.update({"rebel groups": "2", "political militias": "3", "identity militias": "4"})
_KIND_CODE = {"military": "1", "armed_group": "2", "protesters": "6", "civilians": "7"}

#: (event_type, sub_event_type) -> (PLOVER type, mode or None).
CROSSWALK: dict[tuple[str, str], tuple[str, str | None]] = {
    ("Battles", "Armed clash"): ("ASSAULT", "firearms"),
    ("Battles", "Government regains territory"): ("ASSAULT", None),
    ("Battles", "Non-state actor overtakes territory"): ("ASSAULT", None),
    ("Explosions/Remote violence", "Chemical weapon"): ("ASSAULT", "unconventional"),
    ("Explosions/Remote violence", "Air/drone strike"): ("ASSAULT", "aerial"),
    ("Explosions/Remote violence", "Suicide bomb"): ("ASSAULT", "suicide-attack"),
    ("Explosions/Remote violence", "Shelling/artillery/missile attack"):
        ("ASSAULT", "heavy-weapons"),
    ("Explosions/Remote violence", "Remote explosive/landmine/IED"): ("ASSAULT", "explosives"),
    ("Explosions/Remote violence", "Grenade"): ("ASSAULT", "explosives"),
    ("Violence against civilians", "Sexual violence"): ("ASSAULT", "sexual"),
    ("Violence against civilians", "Attack"): ("ASSAULT", "targeted"),
    ("Violence against civilians", "Abduction/forced disappearance"): ("ASSAULT", "abduct"),
    ("Protests", "Peaceful protest"): ("PROTEST", "demo"),
    ("Protests", "Protest with intervention"): ("PROTEST", "demo"),
    ("Protests", "Excessive force against protesters"): ("ASSAULT", "crowd-control"),
    ("Riots", "Violent demonstration"): ("PROTEST", "riot"),
    ("Riots", "Mob violence"): ("ASSAULT", "beat"),
    ("Strategic developments", "Agreement"): ("AGREE", None),
    ("Strategic developments", "Arrests"): ("COERCE", "arrest"),
    ("Strategic developments", "Change to group/activity"): ("MOBILIZE", None),
    ("Strategic developments", "Disrupted weapons use"): ("COERCE", "seize"),
    ("Strategic developments", "Headquarters or base established"): ("MOBILIZE", "troops"),
    ("Strategic developments", "Looting/property destruction"): ("ASSAULT", "destroy"),
    ("Strategic developments", "Non-violent transfer of territory"): ("RETREAT", None),
    ("Strategic developments", "Other"): ("COERCE", None),
}  # fmt: skip
_SUB_TYPES = {(event.casefold(), sub.casefold()): (event, sub) for event, sub in CROSSWALK}
#: PLOVER type -> (event_type, sub_event_type) for events that did not come from ACLED.
_DEFAULT_ACLED = {
    "ASSAULT": ("Battles", "Armed clash"),
    "PROTEST": ("Protests", "Peaceful protest"),
    "AGREE": ("Strategic developments", "Agreement"),
    "RETREAT": ("Strategic developments", "Non-violent transfer of territory"),
    "MOBILIZE": ("Strategic developments", "Headquarters or base established"),
    "COERCE": ("Strategic developments", "Arrests"),
}
_BY_MODE: dict[tuple[str, str | None], tuple[str, str]] = {
    (plover, mode): key for key, (plover, mode) in CROSSWALK.items() if mode is not None
}
_DISORDER = {
    "Battles": "Political violence",
    "Explosions/Remote violence": "Political violence",
    "Violence against civilians": "Political violence",
    "Protests": "Demonstrations",
    "Riots": "Demonstrations",
    "Strategic developments": "Strategic developments",
}
#: ``geo_precision`` codes -> place precision.
GEO_PRECISION = {"1": "exact", "2": "near", "3": "region"}
_GEO_CODE = {
    "exact": "1",
    "near": "2",
    "admin2": "3",
    "admin1": "3",
    "region": "3",
    "country": "3",
}


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
            return ALPHA2[int(iso)]
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
            number = int(gwno)
        except ValueError:
            raise RowError("gwno", f"not a Gleditsch-Ward number: {gwno!r}") from None
        # A number without an ISO country today (a former state) gives none.
        return _gwno.ALPHA2.get(number)
    return None


def _place(row: dict[str, str]) -> dict[str, Any]:
    name = row.get("location", "").strip() or row.get("admin1", "").strip()
    name = name or row.get("country", "").strip()
    if not name:
        raise RowError("location", "no place name")
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
                place[key] = float(row.get(column, ""))
            except ValueError:  # noqa: PERF203 - two columns
                raise RowError(column, f"not a number: {row.get(column, '')!r}") from None
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
        deaths = int(raw)
    except ValueError:
        raise RowError("fatalities", f"not a whole number: {raw!r}") from None
    if deaths < 0:
        raise RowError("fatalities", f"negative: {deaths}")
    return deaths


class _RowReader:
    """Turns rows into records, with the state a file's rows share: its date column."""

    def __init__(self) -> None:
        self.dates = DayColumn("event_date")
        self.header: list[str] = []
        self.missing = ""

    def columns(self, raw: list[str] | None) -> tuple[list[str], list[str]]:
        if not raw:
            raise InputError(
                "input.header", "the file is empty: no ACLED header", location="row 1"
            )
        self.header = raw
        header = [canonical(name) for name in raw]
        repeated = sorted({c for c in header if header.count(c) > 1})
        if repeated:
            raise InputError(
                "input.header", f"repeated ACLED columns: {', '.join(repeated)}", location="row 1"
            )
        missing = [c for c in REQUIRED_COLUMNS if c not in header]
        if missing:
            raise InputError(
                "input.header", f"missing ACLED columns: {', '.join(missing)}", location="row 1"
            )
        return header, [c for c in header if c not in COLUMNS]

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
        return [("dataset", header, "row 1", True), ("source", source, "row 1", True)]

    def records(self, raw: dict[str, str], extra: list[str], note: Note) -> Records:
        row = raw
        if MISSING in raw.values():
            self.missing = self.missing or MISSING
            row = {k: "" if v == MISSING else v for k, v in raw.items()}
        event, actors, sources = self._event(raw, row, extra, note)
        return [
            *(("source", source) for source in sources),
            *(("actor", actor) for actor in actors),
            ("event", event),
        ]

    def _event(
        self, raw: dict[str, str], row: dict[str, str], extra: list[str], note: Note
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
        kept = _kept(raw, extra, {"location": place, "description": description})
        if not ident:
            # Older exports have rows with a data_id only; it names the event.
            note("event_id_cnty", f"empty; the event is named by its data_id {data_id}")
        event: dict[str, Any] = {
            "id": f"acled-{ident}" if ident else f"acled-data-{data_id}",
            "type": types.plover,
            "title": f"{types.sub_type or types.event_type}: "
            f"{who or 'unidentified actors'}, {place['name']}",
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


def _kept(raw: dict[str, str], extra: list[str], model: dict[str, Any]) -> dict[str, str]:
    """The cells kept in the extension: those the model does not hold or would change."""
    kept = {c: raw[c] for c in (*_KEPT, *extra) if c in raw}
    if not raw["event_id_cnty"].strip():
        kept["event_id_cnty"] = raw["event_id_cnty"]
    kept.update(
        (column, raw[column])
        for column, value in _model_cells(model).items()
        if column in raw and raw[column] != value
    )
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


#: The source cited by events whose row names no source; an imported file's
#: layout is kept in its ``acled`` extension.
_DATASET_SOURCE: dict[str, Any] = {
    "id": "acled",
    "kind": "dataset",
    "title": "Armed Conflict Location & Event Data (ACLED)",
    "publisher": "ACLED",
    "url": "https://acleddata.com/",
}


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


# Writing

#: Values of the writer's ``layout`` option.
LAYOUTS = ("own", "current")


class Writer(RowWriter):
    """Writes ACLED rows: one per event, from the model and the ``acled`` extension.

    An imported file is written in its own layout (the header, line ending
    and date style kept on the dataset's source record); ``layout="current"``
    writes today's columns instead, as for events from elsewhere.
    """

    DATASET = "ACLED"
    FOREIGN_ROWS = "what the crosswalk derives from the model"

    def __init__(self, stream: BinaryIO, header: dict[str, Any], *, layout: str = "own") -> None:
        del header  # ACLED has no dataset metadata
        if layout not in LAYOUTS:
            raise ValueError(f"layout must be one of {', '.join(LAYOUTS)}, not {layout!r}")
        super().__init__(stream)
        self._current = layout == "current"
        self._layout: dict[str, Any] | None = None
        self._columns: tuple[str, ...] | None = None
        self._dates = DayColumn("event_date")
        self._style = ISO

    def write(self, kind: str, data: dict[str, Any]) -> None:
        """Remember actors and sources (rows name them); write a row per event."""
        if kind == "actor":
            self._records.add(data["id"], json.dumps([data["name"], data["kind"]]))
        elif kind == "source":
            self._records.add(data["id"], json.dumps([data.get("publisher") or data["title"], ""]))
            layout = data.get("extensions", {}).get(SCHEME, {}).get("layout")
            if self._layout is None and isinstance(layout, dict) and not self._current:
                self._layout = layout
        elif kind == "event":  # rows hold events only; other kinds are left out
            kept: dict[str, Any] = data.get("extensions", {}).get(SCHEME, {})
            if self._columns is None:
                self._start(kept)
            row = self._row(data, kept)
            self._csv.writerow([row.get(c, "") for c in self._columns or ()])

    def _start(self, kept: dict[str, Any]) -> None:
        """Write the header: the file's own, or today's columns and the first event's others."""
        if self._layout is not None and isinstance(self._layout.get("header"), list):
            header = [str(name) for name in self._layout["header"]]
            self._columns = tuple(canonical(name) for name in header)
            self.line_end(str(self._layout.get("line_end", "")))
            self._style = str(self._layout.get("date_style") or ISO)
            self._dates = DayColumn("event_date", self._layout.get("date_order"))
            self._csv.writerow(header)
            return
        # The first event decides: legacy columns follow the current ones, then others.
        others = [c for c in kept if c not in COLUMNS and c not in LEGACY_COLUMNS and c]
        self._columns = (*COLUMNS, *(c for c in LEGACY_COLUMNS if c in kept), *others)
        self._csv.writerow(self._columns)

    def _name(self, record_id: str) -> tuple[str, str]:
        found = self._records.get(record_id)
        if found is None:
            return "", "other"
        name, kind = json.loads(found)
        return str(name), str(kind)

    def _row(self, event: dict[str, Any], kept: dict[str, Any]) -> dict[str, str]:
        if not kept:
            self.note_foreign(event["id"])
        row = {column: cell(value) for column, value in kept.items()}
        # An event from elsewhere keeps its own id, so the row can come back.
        identifiers = event.get("identifiers", {})
        if SCHEME in identifiers or "event_id_cnty" not in row:
            row["event_id_cnty"] = identifiers.get(SCHEME, event["id"])
        self._types(event, row)
        self._dates_of(event["when"], row)
        self._actors(event, row)
        place = event.get("location") or {}
        model = _model_cells(event)
        fallback = (place.get("admin1") or "").strip() or str(kept.get("country", "")).strip()
        for column in _AS_WRITTEN:
            raw = kept.get(column)
            # The cell as the file wrote it, while the model still says the same.
            if raw is None or _reads_as(column, str(raw), fallback) != model[column]:
                row[column] = model[column]
        if GEO_PRECISION.get(row.get("geo_precision", "")) != place.get("precision"):
            _derived(row, "geo_precision", _GEO_CODE.get(place.get("precision", ""), ""))
        _iso(place.get("country"), row)
        cited = [
            self._name(c["source"])[0]
            for c in event.get("citations", ())
            if c["source"] != _DATASET_SOURCE["id"]
        ]
        kept_sources = "" if row.get("source") == MISSING else row.get("source", "")
        if _split(kept_sources) != cited:
            row["source"] = "; ".join(cited)
        tags = event.get("tags", [])
        kept_tags = "" if row.get("tags") == MISSING else row.get("tags", "")
        if list(dict.fromkeys(_split(kept_tags))) != tags:
            row["tags"] = "; ".join(tags)
        figures = event.get("fatalities", {})
        deaths = figures.get("best", figures.get("low"))
        kept_deaths = row.get("fatalities", "").strip()
        if not (kept_deaths.lstrip("-").isdigit() and int(kept_deaths) == deaths):
            _derived(row, "fatalities", cell(deaths) if deaths is not None else "")
        if not kept and self._layout is not None and self._layout.get("missing"):
            spelling = str(self._layout["missing"])
            row = {k: v or spelling for k, v in row.items()}
        return row

    def _types(self, event: dict[str, Any], row: dict[str, str]) -> None:
        codes = {c["scheme"]: c["code"] for c in event.get("classifications", ())}
        event_type = codes.get("acled.event_type")
        sub_type = codes.get("acled.sub_event_type")
        alone = _ALONE.get((event_type or "").casefold()) if sub_type is None else None
        if alone is not None:
            current, default_sub, _, _ = TYPES_ALONE[alone]
            if alone == "Riots/Protests" and _inter(row, "inter1") == "5":
                current, default_sub, _, _ = _RIOTERS
            if self._current:
                event_type, sub_type = current, default_sub
            row["event_type"] = event_type or alone
            if sub_type is not None:
                row["sub_event_type"] = sub_type
        else:
            if event_type is None or sub_type is None:
                event_type, sub_type = _from_model(event)
            row["event_type"], row["sub_event_type"] = event_type, sub_type
            current = event_type
        row["disorder_type"] = (
            codes.get("acled.disorder_type")
            or row.get("disorder_type")
            or _DISORDER.get(current, _DISORDER["Strategic developments"])
        )

    def _dates_of(self, when: dict[str, Any], row: dict[str, str]) -> None:
        start = PartialDate.parse(when["start"])
        if when.get("uncertain") and "end" in when:
            first, last = start.earliest(), PartialDate.parse(when["end"]).latest()
            derived, code = first + dt.timedelta(days=(last - first).days // 2), "2"
        elif start.precision == "month" and "end" not in when:
            derived, code = dt.date(start.year, start.month or 1, 15), "3"
        else:
            derived, code = start.earliest(), "1"
        try:
            kept_day: dt.date | None = (
                self._dates.read(row["event_date"])[0] if row.get("event_date") else None
            )
        except (RowError, Hold):
            kept_day = None
        if code == "3":
            # Any day of the month stands in for it; keep the one the file had.
            agrees = kept_day is not None and kept_day.replace(day=15) == derived
        else:
            agrees = kept_day == derived
        if not (agrees and (row.get("time_precision", "").strip() or "1") == code):
            row["event_date"] = format_day(derived, self._style)
            row["time_precision"] = code
            row["year"] = str(derived.year)

    def _actors(self, event: dict[str, Any], row: dict[str, str]) -> None:
        names = [self._name(p["actor"]) for p in event.get("participants", ())]
        kept = [
            name
            for column in ("actor1", "assoc_actor_1", "actor2", "assoc_actor_2")
            for name in _split("" if row.get(column) == MISSING else row.get(column, ""))
        ]
        if sorted(name for name, _ in names) == sorted(kept):
            return  # the kept sides and associated actors still describe the event
        first, second = names[:1], names[1:2]
        row["actor1"] = first[0][0] if first else ""
        row["actor2"] = second[0][0] if second else ""
        row["assoc_actor_1"] = "; ".join(name for name, _ in names[2:])
        row["assoc_actor_2"] = ""
        row["inter1"] = _KIND_CODE.get(first[0][1], "8") if first else ""
        row["inter2"] = _KIND_CODE.get(second[0][1], "8") if second else ""
        row["interaction"] = "".join(sorted(c for c in (row["inter1"], row["inter2"]) if c))

    def close(self) -> list[Problem]:
        """Finish the file (a header even without events); report foreign events."""
        if self._columns is None:
            if self._layout is not None:
                self._start({})
            else:
                self._csv.writerow(COLUMNS)
        return super().close()


#: Columns the model holds whose cells are kept too where the model's value
#: would not write them back as they were (spaces, R's NA, ``11`` for 11.0).
_AS_WRITTEN = ("location", "admin1", "admin2", "latitude", "longitude", "notes")


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


def _reads_as(column: str, raw: str, fallback: str) -> str:
    """What the reader makes of a cell of :data:`_AS_WRITTEN`, written as the model's."""
    raw = "" if raw == MISSING else raw
    if column in ("latitude", "longitude"):
        try:
            return cell(float(raw)) if raw.strip() else ""
        except ValueError:
            return raw
    if column == "location":
        return raw.strip() or fallback
    return raw if raw.strip() else ""


def _iso(country: str | None, row: dict[str, str]) -> None:
    """The ``iso`` cell: the kept one while it names the model's country."""
    kept_iso = row.get("iso", "").strip()
    kept = "XK" if kept_iso == "0" else (ALPHA2.get(int(kept_iso)) if kept_iso.isdigit() else None)
    if country is None and kept is not None:
        row["iso"] = ""
    elif country is not None and kept != country:
        row["iso"] = "0" if country == "XK" else str(NUMERIC.get(country, ""))


def _derived(row: dict[str, str], column: str, value: str) -> None:
    """Set a cell the model gives, keeping the file's NA where the model has nothing."""
    if value or row.get(column) != MISSING:
        row[column] = value


def _from_model(event: dict[str, Any]) -> tuple[str, str]:
    """ACLED's event and sub-event type for an event that did not come from ACLED."""
    mode_key = _BY_MODE.get((event["type"], event.get("mode")))
    if mode_key is not None:
        return mode_key
    if event["type"] == "ASSAULT" and any(
        p["role"] == "victim" for p in event.get("participants", ())
    ):
        return "Violence against civilians", "Attack"
    return _DEFAULT_ACLED.get(event["type"], ("Strategic developments", "Other"))


def write(data: dict[str, Any], stream: BinaryIO, *, layout: str = "own") -> list[Problem]:
    """Write a whole plain document as ACLED CSV: the imported file's layout, or ``"current"``."""
    return write_document(Writer(stream, header_of(data), layout=layout), data)


FORMAT = Format(
    name="acled",
    description="ACLED CSV export, one row per event (told by its header row).",
    lossless=False,
    reader=iter_items,
    writer=Writer,
    options=("layout",),
    detect=_detect.is_acled,
)
