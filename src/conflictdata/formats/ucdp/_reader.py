"""GED rows to records: an event, its two sides as actors, its sources."""

from __future__ import annotations

import contextlib
import hashlib
from typing import Any, BinaryIO

from ..._dates import PartialDate
from ..._errors import InputError
from ...model import SCHEMA_VERSION
from .. import _gwno
from .._base import Decoded, Item
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
    _ACD_COLUMNS,
    COLUMNS,
    DATASET_SOURCE,
    EXTENSION_COLUMNS,
    REQUIRED_COLUMNS,
    SCHEME,
    VIOLENCE,
    WHERE_PRECISION,
)


def _int(row: dict[str, str], column: str) -> int:
    try:
        return parse_int(row.get(column, "").strip())
    except NumberError as exc:
        raise RowError(column, f"{exc}: {row.get(column, '')[:40]!r}") from None


def _float(row: dict[str, str], column: str) -> float:
    # A header may have one coordinate column and not the other: a row error.
    cell = row.get(column, "")
    try:
        return parse_float(cell.strip())
    except NumberError as exc:
        raise RowError(column, f"{exc}: {cell[:40]!r}") from None


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
        return _gwno.ALPHA2.get(parse_int(raw))
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
            # The layout holds the file's header (and HXL row) as written.
            ("source", source, "row 1", plain_text([*header, *preamble.get("hxl", ())])),
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
    return header, check_columns(header, "GED", REQUIRED_COLUMNS, COLUMNS)


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
