"""ICEWS rows to records: events, the actors they name and the stories they come from."""

from __future__ import annotations

import datetime as dt
import functools
import io
from collections.abc import Iterator
from typing import Any, BinaryIO

from ..._errors import InputError
from ..._ids import IdIndex
from ..._report import Problem, error
from ...model import SCHEMA_VERSION
from .. import _cameo
from .._base import Decoded, Entry, raise_errors, read_collecting
from .._rows import RowError, coordinate, slug_id

__all__ = ["COLUMNS", "MISSING", "SCHEME", "actor_id", "iter_items", "read", "records"]

SCHEME = "icews"

#: The columns of the Dataverse event files, in their order.
COLUMNS = (
    "Event ID",
    "Event Date",
    "Source Name",
    "Source Sectors",
    "Source Country",
    "Event Text",
    "CAMEO Code",
    "Intensity",
    "Target Name",
    "Target Sectors",
    "Target Country",
    "Story ID",
    "Sentence Number",
    "Publisher",
    "City",
    "District",
    "Province",
    "Country",
    "Latitude",
    "Longitude",
)

#: How the files spell a missing value.
MISSING = "NA"

#: Columns kept in the ``icews`` extension: those the model does not hold.
_KEPT = (
    "Event Text",
    "Intensity",
    "Source Country",
    "Target Country",
    "Sentence Number",
    "Country",
)

_REQUIRED = ("Event ID", "Event Date", "CAMEO Code", "Source Name", "Target Name")

#: ICEWS sectors that say what kind of actor a name is, in the order they decide.
_SECTOR_KINDS = (
    ("Insurgents", "armed_group"),
    ("Rebel", "armed_group"),
    ("Military", "military"),
    ("Police", "government"),
    ("Government", "government"),
    ("Parties", "political_party"),
    ("International Government Organization", "international_organization"),
    ("Media", "media"),
    ("Protestors / Popular Opposition / Mobs", "protesters"),
    ("Business", "organization"),
    ("Nongovernmental Organization", "organization"),
)

_DATASET_SOURCE: dict[str, Any] = {
    "id": "icews-dataset",
    "kind": "dataset",
    "title": "ICEWS Coded Event Data",
    "publisher": "Harvard Dataverse",
    "url": "https://dataverse.harvard.edu/dataverse/icews",
}


@functools.lru_cache(maxsize=65536)
def actor_id(name: str) -> str:
    """The id of the actor record for an ICEWS actor name."""
    return slug_id("icews-actor", name)


def _value(row: dict[str, str], column: str) -> str:
    raw = row.get(column, "")
    return "" if raw.strip() in ("", MISSING) else raw


def _sectors(raw: str) -> list[str]:
    return [s.strip() for s in raw.split(",") if s.strip() and s.strip() != MISSING]


def _kind(sectors: list[str]) -> str:
    for sector, kind in _SECTOR_KINDS:
        if any(sector.casefold() in s.casefold() for s in sectors):
            return kind
    return "other"


def _place(row: dict[str, str]) -> dict[str, Any] | None:
    names = [_value(row, c) for c in ("City", "District", "Province", "Country")]
    lat, lon = _value(row, "Latitude"), _value(row, "Longitude")
    if not any(names) and not (lat or lon):
        return None
    place: dict[str, Any] = {"name": next((n for n in names if n.strip()), "unnamed place")}
    if names[2]:
        place["admin1"] = names[2]
    if names[1]:
        place["admin2"] = names[1]
    if lat or lon:
        place["lat"] = coordinate(row, "Latitude", 90)
        place["lon"] = coordinate(row, "Longitude", 180)
    # The coordinates are those of the most precise name given.
    place["precision"] = "exact" if names[0] else "admin2" if names[1] else "admin1"
    if not (names[0] or names[1] or names[2]):
        place["precision"] = "country"
    return place


def records(row: dict[str, str]) -> list[tuple[str, dict[str, Any]]]:  # noqa: C901 - by column
    """A row's records (its actors and story, then its event), from cells by column name."""
    ident = _value(row, "Event ID").strip()
    if not ident:
        raise RowError("Event ID", "empty")
    raw_day = row["Event Date"].strip()
    try:
        day = dt.date.fromisoformat(raw_day)
    except ValueError:
        raise RowError("Event Date", f"not a date YYYY-MM-DD: {row['Event Date']!r}") from None
    code = row["CAMEO Code"].strip()
    if not _cameo.is_code(code):
        raise RowError("CAMEO Code", f"not a CAMEO event code: {row['CAMEO Code']!r}")
    actors: list[dict[str, Any]] = []
    participants: list[dict[str, Any]] = []
    classifications = [{"scheme": "cameo.event", "code": code}]
    for prefix, side, role in (("Source", "a", "initiator"), ("Target", "b", "target")):
        name = _value(row, f"{prefix} Name")
        sectors = _sectors(row.get(f"{prefix} Sectors", ""))
        classifications.extend(
            {"scheme": f"icews.{prefix.lower()}_sector", "code": s} for s in sectors
        )
        if not name.strip():
            continue
        actor = {"id": actor_id(name), "kind": _kind(sectors), "name": name}
        if name == _value(row, f"{prefix} Country"):
            actor["kind"] = "state"
        actors.append(actor)
        participants.append({"actor": actor["id"], "role": role, "side": side})
    story, publisher = _value(row, "Story ID").strip(), _value(row, "Publisher")
    sources: list[dict[str, Any]] = []
    citation: dict[str, Any] = {"source": _DATASET_SOURCE["id"], "stance": "reports"}
    if story:
        source: dict[str, Any] = {
            "id": slug_id("icews-story", story),
            "kind": "news_article",
            "title": f"{publisher.strip() or 'ICEWS'} story {story}",
            "identifiers": {"icews.story": story},
        }
        if publisher.strip():
            source["publisher"] = publisher
        sources.append(source)
        citation = {"source": source["id"], "stance": "reports"}
        sentence = _value(row, "Sentence Number").strip()
        if sentence:
            citation["locator"] = f"sentence {sentence}"
    place = _place(row)
    text = _value(row, "Event Text").strip() or _cameo.ROOTS[code[:2]][0]
    who = " - ".join(a["name"].strip() for a in actors) or "unidentified actors"
    event: dict[str, Any] = {
        "id": f"icews-{ident}",
        "type": _cameo.event_type(code).value,
        "title": f"{text} ({code}): {who}",
        "when": {"start": day.isoformat()},
        "participants": participants,
        "status": "reported",
        "citations": [citation],
        "classifications": classifications,
        "identifiers": {SCHEME: ident},
        "extensions": {SCHEME: {c: row[c] for c in _KEPT if c in row}},
    }
    if place is not None:
        event["location"] = place
    return [*(("source", s) for s in sources), *(("actor", a) for a in actors), ("event", event)]


def _header(line: str) -> list[str]:
    names = [c.strip() for c in line.rstrip("\r\n").split("\t")]
    missing = [c for c in _REQUIRED if c not in names]
    if missing:
        raise InputError(
            "input.header", f"missing ICEWS columns: {', '.join(missing)}", location="row 1"
        )
    repeated = sorted({n for n in names if names.count(n) > 1})
    if repeated:
        raise InputError(
            "input.header", f"repeated ICEWS columns: {', '.join(repeated)}", location="row 1"
        )
    return names


def iter_items(stream: BinaryIO) -> Iterator[Entry]:
    """The header, the dataset as a source, then each row's new story and actors and its event.

    Rows that cannot be read are reported with their row and column once
    the others are read (as :class:`~conflictdata.formats.BadRecordsError`).
    """
    text = io.TextIOWrapper(stream, encoding="utf-8-sig", newline="")
    number = 1
    try:
        try:
            first = text.readline()
            if not first.strip():
                raise InputError(
                    "input.header", "the file is empty: no ICEWS header", location="row 1"
                )
            yield from _read(_header(first), text)
        except UnicodeDecodeError as exc:
            raise InputError("input.syntax", str(exc), location=f"row {number}") from None
    finally:
        text.detach()


def _read(columns: list[str], text: io.TextIOWrapper) -> Iterator[Entry]:
    header = {"schema_version": SCHEMA_VERSION, "metadata": {"title": "ICEWS events (imported)"}}
    yield "dataset", header, "row 1", True
    yield "source", _DATASET_SOURCE, "row 1", True
    problems: list[Problem] = []
    seen = IdIndex()
    try:
        for number, line in enumerate(text, start=2):
            where = f"row {number}"
            cells = line.rstrip("\r\n").split("\t")
            if cells == [""]:
                continue
            if len(cells) != len(columns):
                message = f"{len(cells)} cells, the header has {len(columns)}"
                problems.append(error((), "input.row", message, where))
                continue
            plain = line.isascii()  # plain ASCII text needs no Unicode checks
            try:
                found = records(dict(zip(columns, cells, strict=True)))
            except RowError as exc:
                location = f"{where}, column {exc.column}"
                problems.append(error((), "input.cell", f"{exc.column}: {exc.message}", location))
                continue
            for kind, record in found:
                if kind == "event" and seen.add(record["id"], kind) is not None:
                    message = f"Event ID {record['identifiers'][SCHEME]} is an earlier row's too"
                    location = f"{where}, column Event ID"
                    problems.append(error((), "id.duplicate", message, location))
                elif kind == "event" or seen.add(record["id"], kind) is None:
                    yield kind, record, where, plain
    finally:
        seen.close()
    raise_errors(problems)


def read(stream: BinaryIO) -> Decoded:
    """Read a whole ICEWS file; every unreadable row is reported, the others read."""
    return read_collecting(e for e in iter_items(stream) if not isinstance(e, Problem))
