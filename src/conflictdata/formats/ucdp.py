"""UCDP GED: the Georeferenced Event Dataset's CSV, read and written row for row.

Each row becomes an event, its two sides become actors (one record per
UCDP actor id, however many rows name it), and its ``;``-joined source
lists become sources cited by the event, after a citation of the GED
itself. What the model holds is mapped (``docs/interop.md`` has the
crosswalk); every other column is kept, verbatim, in the event's ``ucdp``
extension, so that writing the dataset back gives the same columns: the
49 of GED 20.1 and later, the 42 of GED 19.1, the header and HXL row of an
HDX copy, as the file had them (the layout is kept on the dataset's own
source record). Places get their ISO country from ``country_id``.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
from typing import Any, BinaryIO

from .._dates import PartialDate
from .._errors import InputError
from .._report import Problem
from ..model import SCHEMA_VERSION
from . import _detect, _gwno
from ._base import Decoded, Format, Item, header_of, write_document
from ._rows import (
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
    "DATASET_SOURCE",
    "EXTENSION_COLUMNS",
    "REQUIRED_COLUMNS",
    "SCHEME",
    "Writer",
    "iter_items",
    "read",
    "write",
]

#: The GED CSV columns, in order.
COLUMNS = (
    "id", "relid", "year", "active_year", "code_status", "type_of_violence",
    "conflict_dset_id", "conflict_new_id", "conflict_name", "dyad_dset_id",
    "dyad_new_id", "dyad_name", "side_a_dset_id", "side_a_new_id", "side_a",
    "side_b_dset_id", "side_b_new_id", "side_b", "number_of_sources",
    "source_article", "source_office", "source_date", "source_headline",
    "source_original", "where_prec", "where_coordinates", "where_description",
    "adm_1", "adm_2", "latitude", "longitude", "geom_wkt", "priogrid_gid",
    "country", "country_id", "region", "event_clarity", "date_prec",
    "date_start", "date_end", "deaths_a", "deaths_b", "deaths_civilians",
    "deaths_unknown", "best", "high", "low", "gwnoa", "gwnob",
)  # fmt: skip

#: The columns a file must have to be read (GED 19.1 lacks ``relid``,
#: ``code_status``, the ``*_dset_id`` columns and ``where_description``).
REQUIRED_COLUMNS = (
    "id", "type_of_violence", "side_a_new_id", "side_a", "side_b_new_id", "side_b",
    "date_start", "date_end",
)  # fmt: skip
#: Columns of the UCDP/PRIO Armed Conflict Dataset, which is not GED: it has
#: a row per conflict and year, not per event.
_ACD_COLUMNS = ("conflict_id", "incompatibility", "intensity_level", "type_of_conflict")

#: Gleditsch-Ward number of each ISO country, for rows written from other data.
_GWNO = {alpha2: number for number, alpha2 in sorted(_gwno.ALPHA2.items(), reverse=True)}

#: The extension scheme of GED fields.
SCHEME = "ucdp"

#: The columns the model does not hold, kept in the event's ``ucdp``
#: extension. The two precision codes and the source lists are kept too:
#: the model's precisions are coarser than GED's codes, and a source list
#: item may lack the date or headline that a source record needs.
EXTENSION_COLUMNS = (
    "year", "active_year", "code_status", "conflict_dset_id", "conflict_new_id",
    "conflict_name", "dyad_dset_id", "dyad_new_id", "dyad_name", "side_a_dset_id",
    "side_b_dset_id", "number_of_sources", "source_article", "source_office",
    "source_date", "source_headline", "source_original", "where_prec",
    "where_description", "geom_wkt", "priogrid_gid", "country", "country_id",
    "region", "event_clarity", "date_prec", "deaths_a", "deaths_b",
    "deaths_civilians", "deaths_unknown", "gwnoa", "gwnob",
)  # fmt: skip

#: The source record every imported event cites first: the GED itself.
DATASET_SOURCE: dict[str, Any] = {
    "id": "ucdp-ged",
    "kind": "dataset",
    "title": "UCDP Georeferenced Event Dataset (GED)",
    "publisher": "Uppsala Conflict Data Program",
    "url": "https://ucdp.uu.se/downloads/",
}

#: ``type_of_violence`` codes and their names.
VIOLENCE = {"1": "state-based conflict", "2": "non-state conflict", "3": "one-sided violence"}
#: ``where_prec`` codes -> place precision, and back (the first code of each).
WHERE_PRECISION = {
    "1": "exact",
    "2": "near",
    "3": "admin2",
    "4": "admin1",
    "5": "region",
    "6": "country",
    "7": "region",
}
_PRECISION_CODE = {"exact": "1", "near": "2", "admin2": "3", "admin1": "4", "region": "5"}
_PRECISION_CODE["country"] = "6"


def _int(row: dict[str, str], column: str) -> int:
    try:
        return int(row.get(column, ""))
    except ValueError:
        raise RowError(column, f"not a whole number: {row[column]!r}") from None


def _float(row: dict[str, str], column: str) -> float:
    try:
        return float(row[column])
    except ValueError:
        raise RowError(column, f"not a number: {row[column]!r}") from None


def _date(row: dict[str, str], column: str) -> PartialDate:
    try:
        date = PartialDate.parse(row[column])
    except ValueError:
        date = None
    if date is None or date.precision != "day":
        raise RowError(column, f"not a date (YYYY-MM-DD): {row[column]!r}")
    return date


def actor_id(ucdp_id: str) -> str:
    """The id of the actor record for a UCDP actor id."""
    return f"ucdp-actor-{ucdp_id}"


def _actor(name: str, ucdp_id: str) -> dict[str, Any]:
    if name == "Civilians":
        kind = "civilians"
    elif name.startswith("Government of"):
        kind = "government"
    else:
        kind = "armed_group"
    return {"id": actor_id(ucdp_id), "kind": kind, "name": name, "identifiers": {SCHEME: ucdp_id}}


def source_id(office: str, date: str, headline: str) -> str:
    """A stable id for one item of a row's source lists."""
    digest = hashlib.sha1(f"{office}\n{date}\n{headline}".encode(), usedforsecurity=False)
    return f"ucdp-src-{digest.hexdigest()[:16]}"


def _sources(row: dict[str, str]) -> list[dict[str, Any]]:
    offices = row.get("source_office", "").split(";")
    dates = row.get("source_date", "").split(";")
    headlines = row.get("source_headline", "").split(";")
    if not any(row.get(c) for c in ("source_office", "source_date", "source_headline")):
        return []
    if not len(offices) == len(dates) == len(headlines):
        # The lists stay in the extension, verbatim; no records can be made.
        return []
    sources = []
    for raw in zip(offices, dates, headlines, strict=True):
        office, date, headline = (part.strip() for part in raw)
        if not (office or headline):
            continue
        source: dict[str, Any] = {
            "id": source_id(office, date, headline),
            "kind": "news_article",
            "title": headline or office,
        }
        if office:
            source["publisher"] = office
        with contextlib.suppress(ValueError):  # an item without a usable date
            source["published"] = str(PartialDate.parse(date))
        sources.append(source)
    return sources


def _when(row: dict[str, str], precision: str) -> dict[str, Any]:
    start, end = _date(row, "date_start"), _date(row, "date_end")
    if end.earliest() < start.earliest():
        raise RowError("date_end", f"before date_start ({row['date_start']})")
    first, last = start.earliest(), end.latest()
    if start == end:
        return {"start": str(start)}
    same_month = (first.year, first.month) == (last.year, last.month)
    if precision == "4" and same_month and first.day == 1 and end == _last_of_month(start):
        return {"start": f"{first.year:04d}-{first.month:02d}"}
    whole_year = (first.month, first.day, last.month, last.day) == (1, 1, 12, 31)
    if precision == "5" and whole_year and first.year == last.year:
        return {"start": f"{first.year:04d}"}
    # Codes 2-5: at some point in the interval; code 1 over days: all of it.
    return {"start": str(start), "end": str(end)} | (
        {"uncertain": True} if precision != "1" else {}
    )


def _last_of_month(date: PartialDate) -> PartialDate:
    return PartialDate.from_date(PartialDate(date.year, date.month).latest())


def _place(row: dict[str, str]) -> dict[str, Any]:
    name = row.get("where_coordinates") or row.get("where_description") or row.get("country")
    if not name:
        raise RowError("where_coordinates", "no place name in where_coordinates or country")
    place: dict[str, Any] = {"name": name}
    country = _country(row)
    if country is not None:
        place["country"] = country
    for column, key in (("adm_1", "admin1"), ("adm_2", "admin2")):
        if row.get(column):
            place[key] = row[column]
    if row.get("latitude") or row.get("longitude"):
        place["lat"], place["lon"] = _float(row, "latitude"), _float(row, "longitude")
    if row.get("where_prec"):
        if row["where_prec"] not in WHERE_PRECISION:
            raise RowError("where_prec", f"unknown code {row['where_prec']!r} (1-7)")
        place["precision"] = WHERE_PRECISION[row["where_prec"]]
    return place


def _country(row: dict[str, str]) -> str | None:
    """The ISO 3166-1 alpha-2 code of the row's Gleditsch-Ward ``country_id``.

    A number without an ISO country today (a former state) gives none.
    """
    raw = row.get("country_id", "").strip()
    if not raw:
        return None
    try:
        return _gwno.ALPHA2.get(int(raw))
    except ValueError:
        raise RowError("country_id", f"not a Gleditsch-Ward number: {raw!r}") from None


def _originator(row: dict[str, str]) -> dict[str, Any] | None:
    """The actor ``source_original`` names, when it names exactly one.

    GED's ``source_original`` says who first reported the event: one or
    more names ("SOHR; VDC", "Ministry of Interior"), or a description
    ("army statement"). A single name (it starts with a capital) becomes an
    actor to whom the sources attribute the claim; anything else stays in
    the extension only, since it cannot be attributed to one actor.
    """
    names = [n.strip() for n in row.get("source_original", "").split(";") if n.strip()]
    if len(names) != 1 or not names[0][0].isupper():
        return None
    name = names[0]
    return {"id": slug_id("ucdp-original", name), "kind": "organization", "name": name}


def _citations(
    sources: list[dict[str, Any]], originator: dict[str, Any] | None
) -> list[dict[str, Any]]:
    citations: list[dict[str, Any]] = [{"source": DATASET_SOURCE["id"], "stance": "reports"}]
    for source in sources:
        citation: dict[str, Any] = {"source": source["id"], "stance": "reports"}
        if originator is not None:
            citation["attributed_to"] = originator["id"]
        citations.append(citation)
    return citations


def _event(
    row: dict[str, str],
    sources: list[dict[str, Any]],
    originator: dict[str, Any] | None,
    extra: list[str],
) -> dict[str, Any]:
    violence = row["type_of_violence"]
    if violence not in VIOLENCE:
        raise RowError("type_of_violence", f"unknown code {violence!r} (1, 2 or 3)")
    if not row["id"]:
        raise RowError("id", "empty")
    one_sided = violence == "3"
    fatalities = {key: _int(row, key) for key in ("best", "low", "high") if row.get(key)}
    place = _place(row)
    identifiers = {"ucdp.ged": row["id"]}
    if row.get("relid"):
        identifiers["ucdp.relid"] = row["relid"]
    event: dict[str, Any] = {
        "id": f"ucdp-ged-{row['id']}",
        "type": "ASSAULT",
        "title": f"{row.get('dyad_name') or row['side_a'] + ' - ' + row['side_b']}: "
        f"{row.get('where_coordinates') or row.get('country') or 'unknown place'}",
        "when": _when(row, row.get("date_prec", "")),
        "location": place,
        "participants": [
            participant(
                actor_id(row["side_a_new_id"]), "initiator" if one_sided else "participant", "a"
            ),
            participant(
                actor_id(row["side_b_new_id"]), "victim" if one_sided else "participant", "b"
            ),
        ],
        "status": "reported",
        "citations": _citations(sources, originator),
        "classifications": [
            {"scheme": "ucdp.type_of_violence", "code": violence, "label": VIOLENCE[violence]}
        ],
        "identifiers": identifiers,
        # Columns of later GED versions are kept too.
        "extensions": {SCHEME: _kept(row, extra)},
    }
    if fatalities:
        event["fatalities"] = fatalities
    if not row["side_a_new_id"] or not row["side_b_new_id"]:
        missing = "side_a_new_id" if not row["side_a_new_id"] else "side_b_new_id"
        raise RowError(missing, "empty: each side needs its UCDP actor id")
    return event


def _kept(row: dict[str, str], extra: list[str]) -> dict[str, str]:
    kept = {column: row[column] for column in (*EXTENSION_COLUMNS, *extra) if column in row}
    if row.get("where_coordinates") == "":
        # The place is named by another column; the file's cell is empty.
        kept["where_coordinates"] = ""
    for column in ("latitude", "longitude"):
        # Coordinates written as "22" rather than "22.0" are kept as written.
        raw = row.get(column, "")
        with contextlib.suppress(ValueError):
            if raw and cell(float(raw)) != raw:
                kept[column] = raw
    return kept


def iter_items(stream: BinaryIO) -> RowItems:
    """The header, the GED as a source (with the file's layout), then each row's records."""
    header: list[str] = []

    def columns(raw: list[str] | None) -> tuple[list[str], list[str]]:
        header[:] = raw or []
        return _columns(raw)

    def first(preamble: Preamble) -> list[Item]:
        layout: dict[str, Any] = {"header": header, "line_end": preamble["line_end"]}
        if "hxl" in preamble:
            layout["hxl"] = preamble["hxl"]
        source = {**DATASET_SOURCE, "extensions": {SCHEME: {"layout": layout}}}
        metadata = {"title": "UCDP Georeferenced Event Dataset (imported)"}
        return [
            ("dataset", {"schema_version": SCHEMA_VERSION, "metadata": metadata}, "row 1", True),
            ("source", source, "row 1", True),
        ]

    return read_rows(stream, first=first, columns=columns, records=_records)


def canonical(name: str) -> str:
    """The name conflictdata gives a column: lower case, without surrounding spaces."""
    return name.strip().casefold()


def _columns(raw: list[str] | None) -> tuple[list[str], list[str]]:
    if not raw:
        raise InputError("input.header", "the file is empty", location="row 1")
    header = [canonical(name) for name in raw]
    if "id" not in header and all(c in header for c in _ACD_COLUMNS):
        raise InputError(
            "input.header",
            "this is the UCDP/PRIO Armed Conflict Dataset (a row per conflict and year), "
            "not GED events; conflictdata reads GED files (one row per event)",
            location="row 1",
        )
    repeated = sorted({c for c in header if header.count(c) > 1})
    if repeated:
        raise InputError(
            "input.header", f"repeated GED columns: {', '.join(repeated)}", location="row 1"
        )
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    if missing:
        raise InputError(
            "input.header", f"missing GED columns: {', '.join(missing)}", location="row 1"
        )
    return header, [c for c in header if c not in COLUMNS]


def _records(row: dict[str, str], extra: list[str], note: Note) -> Records:
    del note  # GED rows need no guess
    sources = _sources(row)
    # The originator is an actor only where it is attributed: to the sources.
    originator = _originator(row) if sources else None
    event = _event(row, sources, originator, extra)
    return [
        *(("source", source) for source in sources),
        *(
            ("actor", _actor(row[f"side_{side}"], row[f"side_{side}_new_id"]))
            for side in ("a", "b")
        ),
        *([("actor", originator)] if originator else []),
        ("event", event),
    ]


def read(stream: BinaryIO) -> Decoded:
    """Read a whole GED file; every unreadable row is reported, the others read."""
    return read_document(iter_items(stream))


# Writing


#: Values of the writer's ``layout`` option.
LAYOUTS = ("own", "current")


class Writer(RowWriter):
    """Writes GED rows: one per event, from the model and the ``ucdp`` extension.

    An imported file is written in its own layout (header, HXL row and line
    ending kept on the dataset's source record); ``layout="current"`` writes
    the 49 columns of today's GED instead, as for events from elsewhere.
    """

    DATASET = "GED"
    FOREIGN_ROWS = "only the columns the model can fill"

    def __init__(self, stream: BinaryIO, header: dict[str, Any], *, layout: str = "own") -> None:
        del header  # GED has no dataset metadata
        if layout not in LAYOUTS:
            raise ValueError(f"layout must be one of {', '.join(LAYOUTS)}, not {layout!r}")
        super().__init__(stream)
        self._current = layout == "current"
        self._layout: dict[str, Any] | None = None
        self._columns: tuple[str, ...] | None = None

    def write(self, kind: str, data: dict[str, Any]) -> None:
        """Remember sources and actors (rows name them); write a row per event."""
        if kind == "source":
            keep = {k: data[k] for k in ("publisher", "published", "title") if k in data}
            self._records.add(data["id"], json.dumps(keep))
            layout = data.get("extensions", {}).get(SCHEME, {}).get("layout")
            if self._layout is None and isinstance(layout, dict) and not self._current:
                self._layout = layout
        elif kind == "actor":
            ucdp_id = data.get("identifiers", {}).get(SCHEME, "")
            self._records.add(data["id"], json.dumps({"name": data["name"], "ucdp": ucdp_id}))
        elif kind == "event":  # rows hold events only; other kinds are left out
            kept: dict[str, Any] = data.get("extensions", {}).get(SCHEME, {})
            if self._columns is None:
                self._start(kept)
            row = self._row(data, kept)
            self._csv.writerow([row.get(column, "") for column in self._columns or ()])

    def _start(self, kept: dict[str, Any]) -> None:
        """Write the header: the file's own (and its HXL row), or GED's and the event's others."""
        layout = self._layout
        if layout is not None and isinstance(layout.get("header"), list):
            header = [str(name) for name in layout["header"]]
            self._columns = tuple(canonical(name) for name in header)
            self.line_end(str(layout.get("line_end", "")))
            self._csv.writerow(header)
            if isinstance(layout.get("hxl"), list):
                self._csv.writerow([str(tag) for tag in layout["hxl"]])
            return
        self._columns = (*COLUMNS, *(c for c in kept if c not in COLUMNS))
        self._csv.writerow(self._columns)

    def close(self) -> list[Problem]:
        """Finish the file (a header even without events); report foreign events."""
        if self._columns is None:
            self._start({})
        return super().close()

    def _lookup(self, record_id: str) -> dict[str, Any]:
        found = self._records.get(record_id)
        return {} if found is None else dict(json.loads(found))

    def _row(self, event: dict[str, Any], kept: dict[str, Any]) -> dict[str, str]:
        if not kept:
            self.note_foreign(event["id"])
        row = {column: cell(kept.get(column)) for column in EXTENSION_COLUMNS}
        row.update((column, cell(value)) for column, value in kept.items())
        identifiers = event.get("identifiers", {})
        # An event from elsewhere keeps its own id, so the row can come back.
        row["id"] = identifiers.get("ucdp.ged", event["id"])
        row["relid"] = identifiers.get("ucdp.relid", "")
        codes = [
            c["code"]
            for c in event.get("classifications", ())
            if c["scheme"] == "ucdp.type_of_violence"
        ]
        victims = any(p["role"] == "victim" for p in event.get("participants", ()))
        row["type_of_violence"] = codes[0] if codes else ("3" if victims else "1")
        sides = list(event.get("participants", ()))[:2]
        for side, taking_part in zip(("a", "b"), sides, strict=False):
            actor = self._lookup(taking_part["actor"])
            row[f"side_{side}"] = actor.get("name", "")
            row[f"side_{side}_new_id"] = actor.get("ucdp", "")
        for side in ("a", "b")[len(sides) :]:
            row[f"side_{side}"] = row[f"side_{side}_new_id"] = ""
        self._dates(event["when"], row, kept)
        self._place(event.get("location"), row, kept)
        figures = event.get("fatalities", {})
        for key in ("best", "low", "high"):
            row[key] = cell(figures.get(key))
        if not kept:
            self._sources(event, row)
        return row

    @staticmethod
    def _dates(when: dict[str, Any], row: dict[str, str], kept: dict[str, Any]) -> None:
        start = PartialDate.parse(when["start"])
        end = PartialDate.parse(when.get("end") or when["start"])
        row["date_start"] = start.earliest().isoformat()
        row["date_end"] = end.latest().isoformat()
        # The kept code stands while it agrees with the model's dates.
        if "end" not in when and start.precision == "day":
            agreeing, derived = {"1", "2", "3", "4", "5"}, "1"
        elif "end" not in when:
            derived = "4" if start.precision == "month" else "5"
            agreeing = {derived}
        elif when.get("uncertain"):
            agreeing, derived = {"2", "3", "4", "5"}, "2"
        else:
            agreeing, derived = {"1"}, "1"
        if row["date_prec"] not in agreeing:
            row["date_prec"] = derived
        if not kept.get("year"):
            row["year"] = str(start.year)

    @staticmethod
    def _place(place: dict[str, Any] | None, row: dict[str, str], kept: dict[str, Any]) -> None:
        place = place or {}
        name = place.get("name", "")
        # An empty where_coordinates, whose place was named by another column, stays empty.
        fallback = str(kept.get("where_description") or kept.get("country") or "")
        if not (kept.get("where_coordinates") == "" and fallback == name):
            row["where_coordinates"] = name
        country = place.get("country")
        if country is not None and _gwno.ALPHA2.get(_number(row.get("country_id"))) != country:
            row["country_id"] = str(_GWNO.get(country, ""))
        row["adm_1"] = place.get("admin1", "")
        row["adm_2"] = place.get("admin2", "")
        for column, key in (("latitude", "lat"), ("longitude", "lon")):
            row[column] = _coordinate(kept.get(column), place.get(key))
        precision = place.get("precision")
        code = kept.get("where_prec", "")
        if precision is not None and WHERE_PRECISION.get(code) != precision:
            row["where_prec"] = _PRECISION_CODE[precision]

    def _sources(self, event: dict[str, Any], row: dict[str, str]) -> None:
        cited = [
            self._lookup(c["source"])
            for c in event.get("citations", ())
            if c["source"] != DATASET_SOURCE["id"]
        ]
        cited = [source for source in cited if source]
        row["number_of_sources"] = str(len(cited))
        row["source_office"] = ";".join(s.get("publisher", "") for s in cited)
        row["source_date"] = ";".join(s.get("published", "") for s in cited)
        row["source_headline"] = ";".join(s.get("title", "") for s in cited)


def _coordinate(kept: Any, value: float | None) -> str:
    """A coordinate cell: as the file wrote it, while the model holds the same number."""
    try:
        if isinstance(kept, str) and float(kept) == value:
            return kept
    except ValueError:
        pass
    return cell(value)


def _number(raw: str | None) -> int:
    try:
        return int(raw or "")
    except ValueError:
        return -1


def write(data: dict[str, Any], stream: BinaryIO, *, layout: str = "own") -> list[Problem]:
    """Write a whole plain document as GED CSV: the imported file's layout, or ``"current"``."""
    return write_document(Writer(stream, header_of(data), layout=layout), data)


FORMAT = Format(
    name="ucdp",
    description="UCDP GED CSV, one row per event (told by its header row).",
    lossless=False,
    reader=iter_items,
    writer=Writer,
    options=("layout",),
    detect=_detect.is_ucdp,
)
