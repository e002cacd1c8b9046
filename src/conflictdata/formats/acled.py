"""ACLED: the Armed Conflict Location & Event Data CSV, read and written row for row.

Each row becomes an event with a PLOVER type chosen by the crosswalk in
:data:`CROSSWALK`, ACLED's own types kept as classifications, actors shared
across rows, and sources cited by the event. Columns the model does not
hold, and the raw text of the columns it holds only in part, are kept in
the event's ``acled`` extension, so that writing the dataset back gives the
same cells. ``docs/interop.md`` explains every mapping decision.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from typing import Any, BinaryIO

from .._dates import PartialDate
from .._errors import InputError
from .._report import Problem
from ..model import SCHEMA_VERSION
from ._base import Decoded, Format, Item, header_of, read_collecting, write_document
from ._iso3166 import ALPHA2, NUMERIC
from ._rows import Records, RowError, RowWriter, cell, read_rows, slug_id

__all__ = [
    "COLUMNS",
    "CROSSWALK",
    "INTER",
    "LEGACY_COLUMNS",
    "REQUIRED_COLUMNS",
    "SCHEME",
    "Writer",
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
#: The columns a file must have to be read; any others are kept.
REQUIRED_COLUMNS = (
    "event_id_cnty", "event_date", "time_precision", "event_type", "sub_event_type",
    "actor1", "actor2", "inter1", "inter2", "iso", "location", "latitude", "longitude",
    "geo_precision", "source", "fatalities",
)  # fmt: skip

#: The extension scheme of ACLED fields.
SCHEME = "acled"

# The columns kept verbatim in the extension: those the model does not
# hold, and the raw text of those it holds in part (codes, names, lists).
_KEPT = (
    "event_date", "year", "time_precision", "disorder_type", "actor1", "assoc_actor_1",
    "inter1", "actor2", "assoc_actor_2", "inter2", "interaction", "civilian_targeting",
    "iso", "region", "country", "admin3", "geo_precision", "source", "source_scale",
    "fatalities", "tags", "timestamp",
)  # fmt: skip

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


def actor_id(name: str) -> str:
    """The id of the actor record for an ACLED actor name."""
    return slug_id("acled-actor", name)


def source_id(name: str) -> str:
    """The id of the source record for an ACLED source name."""
    return slug_id("acled-src", name)


def _split(cell: str) -> list[str]:
    return [part.strip() for part in cell.split(";") if part.strip()]


def _inter(row: dict[str, str], column: str) -> str:
    raw = row[column].strip()
    if raw in ("", "0"):
        return "0"
    if raw in INTER:
        return raw
    code = _INTER_BY_LABEL.get(raw.casefold())
    if code is None:
        raise RowError(column, f"unknown actor type {raw!r} (1-8 or ACLED's label)")
    return code


def _date(row: dict[str, str]) -> dt.date:
    raw = row["event_date"].strip()
    for pattern in ("%Y-%m-%d", "%d %B %Y", "%d-%B-%Y", "%m/%d/%Y"):
        try:
            return dt.datetime.strptime(raw, pattern).date()  # noqa: DTZ007 - a date only
        except ValueError:  # noqa: PERF203 - four formats at most
            continue
    raise RowError("event_date", f"not a date: {raw!r}")


def _when(row: dict[str, str]) -> dict[str, Any]:
    day = _date(row)
    precision = row["time_precision"].strip()
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


def _types(row: dict[str, str]) -> tuple[str, str, str, str | None]:
    key = (row["event_type"].strip().casefold(), row["sub_event_type"].strip().casefold())
    found = _SUB_TYPES.get(key)
    if found is None:
        column = "event_type" if not any(e == key[0] for e, _ in _SUB_TYPES) else "sub_event_type"
        raise RowError(column, f"unknown {column.replace('_', ' ')} {row[column]!r}")
    plover, mode = CROSSWALK[found]
    return found[0], found[1], plover, mode


def _place(row: dict[str, str]) -> dict[str, Any]:  # noqa: C901 - column by column
    name = row["location"].strip() or row.get("admin1", "").strip() or row.get("country", "")
    if not name.strip():
        raise RowError("location", "no place name")
    place: dict[str, Any] = {"name": name}
    iso = row["iso"].strip()
    if iso:
        try:
            place["country"] = ALPHA2[int(iso)]
        except (ValueError, KeyError):
            raise RowError("iso", f"not an ISO 3166-1 numeric country code: {iso!r}") from None
    for column in ("admin1", "admin2"):
        if row.get(column, "").strip():
            place[column] = row[column]
    # Both coordinates, or (in rows written from other data) neither.
    if row["latitude"].strip() or row["longitude"].strip():
        for column, key in (("latitude", "lat"), ("longitude", "lon")):
            try:
                place[key] = float(row[column])
            except ValueError:  # noqa: PERF203 - two columns
                raise RowError(column, f"not a number: {row[column]!r}") from None
    code = row["geo_precision"].strip()
    if code:
        if code not in GEO_PRECISION:
            raise RowError("geo_precision", f"unknown code {code!r} (1, 2 or 3)")
        place["precision"] = GEO_PRECISION[code]
    return place


def _actors(row: dict[str, str]) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The actor records the row names, and the event's participants."""
    codes = {side: _inter(row, f"inter{side}") for side in ("1", "2")}
    civilians_hit = row["event_type"].strip().casefold() == "violence against civilians" or bool(
        row.get("civilian_targeting", "").strip()
    )
    actors: list[dict[str, Any]] = []
    participants: list[dict[str, Any]] = []
    for side in ("1", "2"):
        names = [row[f"actor{side}"].strip(), *_split(row.get(f"assoc_actor_{side}", ""))]
        kind = INTER.get(codes[side], ("", "other"))[1]
        for position, name in enumerate(names):
            if not name:
                continue
            actors.append({"id": actor_id(name), "kind": kind, "name": name})
            role = "participant"
            if civilians_hit and side == "2" and codes["2"] == "7":
                role = "victim"
            elif civilians_hit and side == "1" and position == 0 and codes["2"] == "7":
                role = "initiator"
            participants.append({"actor": actor_id(name), "role": role})
    return actors, participants


def _event(
    row: dict[str, str], extra: list[str]
) -> tuple[dict[str, Any], list[dict[str, Any]], list[dict[str, Any]]]:
    ident = row["event_id_cnty"].strip()
    if not ident:
        raise RowError("event_id_cnty", "empty")
    event_type, sub_type, plover, mode = _types(row)
    actors, participants = _actors(row)
    sources = [
        {"id": source_id(name), "kind": "other", "title": name, "publisher": name}
        for name in _split(row["source"])
    ]
    try:
        deaths = int(row["fatalities"]) if row["fatalities"].strip() else None
    except ValueError:
        raise RowError("fatalities", f"not a whole number: {row['fatalities']!r}") from None
    if deaths is not None and deaths < 0:
        raise RowError("fatalities", f"negative: {deaths}")
    place = _place(row)
    who = " - ".join(filter(None, (row["actor1"].strip(), row["actor2"].strip())))
    event: dict[str, Any] = {
        "id": f"acled-{ident}",
        "type": plover,
        "title": f"{sub_type}: {who or 'unidentified actors'}, {place['name']}",
        "when": _when(row),
        "location": place,
        "participants": participants,
        "status": "reported",
        "citations": [{"source": s["id"], "stance": "reports"} for s in sources]
        or [{"source": _DATASET_SOURCE["id"], "stance": "reports"}],
        "classifications": [
            {
                "scheme": "acled.disorder_type",
                "code": row.get("disorder_type", "").strip() or _DISORDER[event_type],
            },
            {"scheme": "acled.event_type", "code": event_type},
            {"scheme": "acled.sub_event_type", "code": sub_type},
        ],
        "identifiers": {SCHEME: ident},
        "extensions": {
            SCHEME: {c: row[c] for c in (*_KEPT, *extra) if c in row},
        },
    }
    if mode:
        event["mode"] = mode
    if row.get("notes", "").strip():
        event["description"] = row["notes"]
    tags = list(dict.fromkeys(_split(row.get("tags", ""))))
    if tags:
        event["tags"] = tags
    if deaths is not None:
        # ACLED counts "the most conservative estimate": at least that many.
        event["fatalities"] = {"low": deaths}
    return event, actors, sources


#: The source cited by events whose row names no source.
_DATASET_SOURCE: dict[str, Any] = {
    "id": "acled",
    "kind": "dataset",
    "title": "Armed Conflict Location & Event Data (ACLED)",
    "publisher": "ACLED",
    "url": "https://acleddata.com/",
}


def iter_items(stream: BinaryIO) -> Iterator[Item]:
    """The header, then each row's new sources and actors, then its event."""
    header: Item = ("dataset", {"schema_version": SCHEMA_VERSION, "metadata": {
        "title": "ACLED events (imported)"}}, "row 1", True)  # fmt: skip
    return read_rows(
        stream,
        first=[header, ("source", dict(_DATASET_SOURCE), "row 1", True)],
        columns=_columns,
        records=_records,
        skip_blank=True,
    )


def _columns(raw: list[str] | None) -> tuple[list[str], list[str]]:
    header = [name.strip() for name in raw or []]
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    if missing:
        raise InputError(
            "input.header", f"missing ACLED columns: {', '.join(missing)}", location="row 1"
        )
    return header, [c for c in header if c not in COLUMNS or c in LEGACY_COLUMNS]


def _records(row: dict[str, str], extra: list[str]) -> Records:
    event, actors, sources = _event(row, extra)
    return [
        *(("source", source) for source in sources),
        *(("actor", actor) for actor in actors),
        ("event", event),
    ]


def read(stream: BinaryIO) -> Decoded:
    """Read a whole ACLED file; every unreadable row is reported, the others read."""
    return read_collecting(iter_items(stream))


# Writing


class Writer(RowWriter):
    """Writes ACLED rows: one per event, from the model and the ``acled`` extension."""

    DATASET = "ACLED"
    FOREIGN_ROWS = "what the crosswalk derives from the model"

    def __init__(self, stream: BinaryIO, header: dict[str, Any]) -> None:
        del header  # ACLED has no dataset metadata
        super().__init__(stream)
        self._columns: tuple[str, ...] | None = None

    def write(self, kind: str, data: dict[str, Any]) -> None:
        """Remember actors and sources (rows name them); write a row per event."""
        if kind == "actor":
            self._records.add(data["id"], json.dumps([data["name"], data["kind"]]))
        elif kind == "source":
            self._records.add(data["id"], json.dumps([data.get("publisher") or data["title"], ""]))
        else:
            kept: dict[str, Any] = data.get("extensions", {}).get(SCHEME, {})
            if self._columns is None:
                # The first event decides: legacy columns follow the current ones.
                self._columns = (*COLUMNS, *(c for c in LEGACY_COLUMNS if c in kept))
                self._csv.writerow(self._columns)
            row = self._row(data, kept)
            self._csv.writerow([row.get(c, "") for c in self._columns])

    def _name(self, record_id: str) -> tuple[str, str]:
        found = self._records.get(record_id)
        if found is None:
            return "", "other"
        name, kind = json.loads(found)
        return str(name), str(kind)

    def _row(self, event: dict[str, Any], kept: dict[str, Any]) -> dict[str, str]:  # noqa: C901 - column by column
        if not kept:
            self.note_foreign(event["id"])
        row = {column: cell(value) for column, value in kept.items()}
        # An event from elsewhere keeps its own id, so the row can come back.
        row["event_id_cnty"] = event.get("identifiers", {}).get(SCHEME, event["id"])
        codes = {c["scheme"]: c["code"] for c in event.get("classifications", ())}
        event_type = codes.get("acled.event_type")
        sub_type = codes.get("acled.sub_event_type")
        if event_type is None or sub_type is None:
            mode_key = _BY_MODE.get((event["type"], event.get("mode")))
            victims = any(p["role"] == "victim" for p in event["participants"])
            if mode_key is not None:
                event_type, sub_type = mode_key
            elif event["type"] == "ASSAULT" and victims:
                event_type, sub_type = "Violence against civilians", "Attack"
            else:
                event_type, sub_type = _DEFAULT_ACLED.get(
                    event["type"], ("Strategic developments", "Other")
                )
        row["event_type"], row["sub_event_type"] = event_type, sub_type
        row["disorder_type"] = (
            codes.get("acled.disorder_type") or row.get("disorder_type") or _DISORDER[event_type]
        )
        self._dates(event["when"], row)
        self._actors(event, row)
        place = event.get("location") or {}
        row["location"] = place.get("name", "")
        row["admin1"] = place.get("admin1", "")
        row["admin2"] = place.get("admin2", "")
        row["latitude"] = cell(place.get("lat"))
        row["longitude"] = cell(place.get("lon"))
        if GEO_PRECISION.get(row.get("geo_precision", "")) != place.get("precision"):
            row["geo_precision"] = _GEO_CODE.get(place.get("precision", ""), "")
        country = place.get("country")
        kept_iso = row.get("iso", "").strip()
        if country is None:
            row["iso"] = kept_iso if not kept_iso.isdigit() or int(kept_iso) not in ALPHA2 else ""
        elif not (kept_iso.isdigit() and ALPHA2.get(int(kept_iso)) == country):
            row["iso"] = str(NUMERIC.get(country, ""))
        row["notes"] = event.get("description", "")
        cited = [
            self._name(c["source"])[0]
            for c in event["citations"]
            if c["source"] != _DATASET_SOURCE["id"]
        ]
        if _split(row.get("source", "")) != cited:
            row["source"] = "; ".join(cited)
        tags = event.get("tags", [])
        if list(dict.fromkeys(_split(row.get("tags", "")))) != tags:
            row["tags"] = "; ".join(tags)
        figures = event.get("fatalities", {})
        deaths = figures.get("low", figures.get("best"))
        kept_deaths = row.get("fatalities", "").strip()
        if not (kept_deaths.lstrip("-").isdigit() and int(kept_deaths) == deaths):
            row["fatalities"] = cell(deaths) if deaths is not None else ""
        return row

    @staticmethod
    def _dates(when: dict[str, Any], row: dict[str, str]) -> None:
        start = PartialDate.parse(when["start"])
        if when.get("uncertain") and "end" in when:
            first, last = start.earliest(), PartialDate.parse(when["end"]).latest()
            derived, code = first + dt.timedelta(days=(last - first).days // 2), "2"
        elif start.precision == "month" and "end" not in when:
            derived, code = dt.date(start.year, start.month or 1, 15), "3"
        else:
            derived, code = start.earliest(), "1"
        try:
            kept_day: dt.date | None = _date(row) if row.get("event_date") else None
        except RowError:
            kept_day = None
        if code == "3":
            # Any day of the month stands in for it; keep the one the file had.
            agrees = kept_day is not None and kept_day.replace(day=15) == derived
        else:
            agrees = kept_day == derived
        if not (agrees and row.get("time_precision", "").strip() == code):
            row["event_date"] = derived.isoformat()
            row["time_precision"] = code
            row["year"] = str(derived.year)

    def _actors(self, event: dict[str, Any], row: dict[str, str]) -> None:
        names = [self._name(p["actor"]) for p in event["participants"]]
        kept = [
            name
            for column in ("actor1", "assoc_actor_1", "actor2", "assoc_actor_2")
            for name in _split(row.get(column, ""))
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
            self._csv.writerow(COLUMNS)
        return super().close()


def write(data: dict[str, Any], stream: BinaryIO) -> list[Problem]:
    """Write a whole plain document as ACLED CSV."""
    return write_document(Writer(stream, header_of(data)), data)


FORMAT = Format(
    name="acled",
    description="ACLED CSV export, one row per event (ACLED files end in .csv: name the format).",
    lossless=False,
    reader=iter_items,
    writer=Writer,
)
