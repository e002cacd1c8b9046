"""UCDP GED: the Georeferenced Event Dataset's CSV, read and written row for row.

Each row becomes an event, its two sides become actors (one record per
UCDP actor id, however many rows name it), and its ``;``-joined source
lists become sources cited by the event, after a citation of the GED
itself. What the model holds is mapped (``docs/interop.md`` has the
crosswalk); every other column is kept, verbatim, in the event's ``ucdp``
extension, so that writing the dataset back gives the same 49 columns.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
from collections.abc import Iterator
from typing import Any, BinaryIO

from .._dates import PartialDate
from .._errors import InputError
from .._report import Problem
from ..model import SCHEMA_VERSION
from ._base import Decoded, Format, Item, header_of, read_collecting, write_document
from ._rows import Records, RowError, RowWriter, cell, read_rows, slug_id

__all__ = [
    "COLUMNS",
    "DATASET_SOURCE",
    "EXTENSION_COLUMNS",
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
        return int(row[column])
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
    offices = row["source_office"].split(";")
    dates = row["source_date"].split(";")
    headlines = row["source_headline"].split(";")
    if not any(row[c] for c in ("source_office", "source_date", "source_headline")):
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
    name = row["where_coordinates"] or row["where_description"] or row["country"]
    if not name:
        raise RowError("where_coordinates", "no place name in where_coordinates or country")
    place: dict[str, Any] = {"name": name}
    for column, key in (("adm_1", "admin1"), ("adm_2", "admin2")):
        if row[column]:
            place[key] = row[column]
    if row["latitude"] or row["longitude"]:
        place["lat"], place["lon"] = _float(row, "latitude"), _float(row, "longitude")
    if row["where_prec"]:
        if row["where_prec"] not in WHERE_PRECISION:
            raise RowError("where_prec", f"unknown code {row['where_prec']!r} (1-7)")
        place["precision"] = WHERE_PRECISION[row["where_prec"]]
    return place


def _originator(row: dict[str, str]) -> dict[str, Any] | None:
    """The actor ``source_original`` names, when it names exactly one.

    GED's ``source_original`` says who first reported the event: one or
    more names ("SOHR; VDC", "Ministry of Interior"), or a description
    ("army statement"). A single name (it starts with a capital) becomes an
    actor to whom the sources attribute the claim; anything else stays in
    the extension only, since it cannot be attributed to one actor.
    """
    names = [n.strip() for n in row["source_original"].split(";") if n.strip()]
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
    fatalities = {key: _int(row, key) for key in ("best", "low", "high") if row[key] != ""}
    event: dict[str, Any] = {
        "id": f"ucdp-ged-{row['id']}",
        "type": "ASSAULT",
        "title": f"{row['dyad_name'] or row['side_a'] + ' - ' + row['side_b']}: "
        f"{row['where_coordinates'] or row['country'] or 'unknown place'}",
        "when": _when(row, row["date_prec"]),
        "location": _place(row),
        "participants": [
            {
                "actor": actor_id(row["side_a_new_id"]),
                "role": "initiator" if one_sided else "participant",
            },
            {
                "actor": actor_id(row["side_b_new_id"]),
                "role": "victim" if one_sided else "participant",
            },
        ],
        "status": "reported",
        "citations": _citations(sources, originator),
        "classifications": [
            {"scheme": "ucdp.type_of_violence", "code": violence, "label": VIOLENCE[violence]}
        ],
        "identifiers": {"ucdp.ged": row["id"], "ucdp.relid": row["relid"]},
        # Columns of later GED versions are kept too.
        "extensions": {SCHEME: {column: row[column] for column in (*EXTENSION_COLUMNS, *extra)}},
    }
    if fatalities:
        event["fatalities"] = fatalities
    if not row["side_a_new_id"] or not row["side_b_new_id"]:
        missing = "side_a_new_id" if not row["side_a_new_id"] else "side_b_new_id"
        raise RowError(missing, "empty: each side needs its UCDP actor id")
    return event


def iter_items(stream: BinaryIO) -> Iterator[Item]:
    """The header, then each row's new sources and actors, then its event."""
    header: Item = ("dataset", {"schema_version": SCHEMA_VERSION, "metadata": {
        "title": "UCDP Georeferenced Event Dataset (imported)"}}, "row 1", True)  # fmt: skip
    return read_rows(
        stream,
        first=[header, ("source", dict(DATASET_SOURCE), "row 1", True)],
        columns=_columns,
        records=_records,
    )


def _columns(raw: list[str] | None) -> tuple[list[str], list[str]]:
    if raw is None:
        raise InputError("input.header", "the file is empty", location="row 1")
    missing = [c for c in COLUMNS if c not in raw]
    if missing:
        raise InputError(
            "input.header", f"missing GED columns: {', '.join(missing)}", location="row 1"
        )
    return raw, [c for c in raw if c not in COLUMNS]


def _records(row: dict[str, str], extra: list[str]) -> Records:
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
    return read_collecting(iter_items(stream))


# Writing


class Writer(RowWriter):
    """Writes GED rows: one per event, from the model and the ``ucdp`` extension."""

    DATASET = "GED"
    FOREIGN_ROWS = "only the columns the model can fill"

    def __init__(self, stream: BinaryIO, header: dict[str, Any]) -> None:
        del header  # GED has no dataset metadata
        super().__init__(stream)
        self._csv.writerow(COLUMNS)

    def write(self, kind: str, data: dict[str, Any]) -> None:
        """Remember sources and actors (rows name them); write a row per event."""
        if kind == "source":
            keep = {k: data[k] for k in ("publisher", "published", "title") if k in data}
            self._records.add(data["id"], json.dumps(keep))
        elif kind == "actor":
            ucdp_id = data.get("identifiers", {}).get(SCHEME, "")
            self._records.add(data["id"], json.dumps({"name": data["name"], "ucdp": ucdp_id}))
        else:
            self._csv.writerow(self._row(data))

    def _lookup(self, record_id: str) -> dict[str, Any]:
        found = self._records.get(record_id)
        return {} if found is None else dict(json.loads(found))

    def _row(self, event: dict[str, Any]) -> list[str]:
        kept: dict[str, Any] = event.get("extensions", {}).get(SCHEME, {})
        if not kept:
            self.note_foreign(event["id"])
        row = {column: cell(kept.get(column)) for column in EXTENSION_COLUMNS}
        identifiers = event.get("identifiers", {})
        # An event from elsewhere keeps its own id, so the row can come back.
        row["id"] = identifiers.get("ucdp.ged", event["id"])
        row["relid"] = identifiers.get("ucdp.relid", "")
        codes = [
            c["code"]
            for c in event.get("classifications", ())
            if c["scheme"] == "ucdp.type_of_violence"
        ]
        victims = any(p["role"] == "victim" for p in event["participants"])
        row["type_of_violence"] = codes[0] if codes else ("3" if victims else "1")
        sides = event["participants"][:2]
        for side, participant in zip(("a", "b"), sides, strict=False):
            actor = self._lookup(participant["actor"])
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
        return [row[column] for column in COLUMNS]

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
        row["where_coordinates"] = place.get("name", "")
        row["adm_1"] = place.get("admin1", "")
        row["adm_2"] = place.get("admin2", "")
        row["latitude"] = cell(place.get("lat"))
        row["longitude"] = cell(place.get("lon"))
        precision = place.get("precision")
        code = kept.get("where_prec", "")
        if precision is not None and WHERE_PRECISION.get(code) != precision:
            row["where_prec"] = _PRECISION_CODE[precision]

    def _sources(self, event: dict[str, Any], row: dict[str, str]) -> None:
        cited = [
            self._lookup(c["source"])
            for c in event["citations"]
            if c["source"] != DATASET_SOURCE["id"]
        ]
        cited = [source for source in cited if source]
        row["number_of_sources"] = str(len(cited))
        row["source_office"] = ";".join(s.get("publisher", "") for s in cited)
        row["source_date"] = ";".join(s.get("published", "") for s in cited)
        row["source_headline"] = ";".join(s.get("title", "") for s in cited)


def write(data: dict[str, Any], stream: BinaryIO) -> list[Problem]:
    """Write a whole plain document as GED CSV."""
    return write_document(Writer(stream, header_of(data)), data)


FORMAT = Format(
    name="ucdp",
    description="UCDP GED CSV, one row per event (GED files end in .csv: name the format).",
    lossless=False,
    reader=iter_items,
    writer=Writer,
)
