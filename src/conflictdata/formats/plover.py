"""PLOVER: event records as JSON or JSON Lines, in both dialects (read only).

The PLOVER manual writes snake_case records (``actor``, ``recipient``,
``event_text``, ``event_loc``, ``cite_info``); the published gold-standard
files use camelCase (``source``, ``target``, ``eventText``, ``eventLoc``,
``dateCoded``) and write numbers as strings. Both are read. A record that
describes a document rather than an event (no event type, no date) is
skipped, and said so. Fields the model does not hold are kept in the
event's ``plover`` extension. ``docs/interop.md`` has the mapping.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from typing import Any, BinaryIO

from .._dates import PartialDate
from .._errors import InputError
from .._ids import IdIndex
from .._report import Problem, error, warning
from .._vocab import EventType
from ..model import SCHEMA_VERSION, TOKEN_PATTERN
from ._base import Decoded, Entry, Format, Item, read_items
from ._iso3166 import FROM_ALPHA3
from .json import loads

__all__ = ["LEGACY_TYPES", "SCHEME", "SECTORS", "iter_items", "read"]

#: The extension scheme of PLOVER fields.
SCHEME = "plover"

#: Types of the 18-type draft -> the current types (the original is kept
#: as a ``plover.event`` classification).
LEGACY_TYPES = {
    "DEMAND": "REQUEST",
    "DISAPPROVE": "ACCUSE",
    "FIGHT": "ASSAULT",
    "INVESTIGATE": "ACCUSE",
    "CRIME": "COERCE",
}

#: PLOVER/CAMEO sector codes -> actor kind; others are "other".
SECTORS = {
    "GOV": "government",
    "MIL": "military",
    "COP": "military",
    "SPY": "military",
    "REB": "armed_group",
    "INS": "armed_group",
    "UAF": "armed_group",
    "OPP": "political_party",
    "PTY": "political_party",
    "IGO": "international_organization",
    "NGO": "organization",
    "BUS": "organization",
    "EDU": "organization",
    "MED": "media",
    "CVL": "civilians",
    "CIV": "civilians",
    "REF": "civilians",
}

#: ``event_loc.resolution`` (5 sub-city ... 1 country) -> place precision.
RESOLUTION = {"5": "exact", "4": "near", "3": "admin2", "2": "admin1", "1": "country"}

# The two dialects' names for the same member.
_ALIASES = {
    "actor": ("actor", "source", "actors"),
    "recipient": ("recipient", "target", "recipients"),
    "event": ("event", "eventType", "event_type"),
    "event_text": ("event_text", "eventText"),
    "event_loc": ("event_loc", "eventLoc"),
    "text_info": ("text_info", "textInfo"),
    "cite_info": ("cite_info", "citeInfo"),
    "enddate": ("enddate", "endDate", "end_date"),
    "context": ("context", "contexts"),
    "dead": ("dead", "fatalities", "killed"),
}
# Members mapped entirely; all others are kept in the extension, verbatim.
_MAPPED = {
    *_ALIASES["event"],
    *_ALIASES["event_text"],
    *_ALIASES["enddate"],
    *_ALIASES["context"],
    *_ALIASES["dead"],
    "id",
    "date",
    "mode",
}
_TOKEN = re.compile(TOKEN_PATTERN)

_DATASET_SOURCE: dict[str, Any] = {
    "id": "plover-records",
    "kind": "dataset",
    "title": "PLOVER-coded event records",
    "notes": "Cited by events whose record gives no citation information.",
}


class _RecordError(Exception):
    def __init__(self, member: str, message: str) -> None:
        super().__init__(message)
        self.member = member
        self.message = message


def _get(record: dict[str, Any], name: str) -> Any:
    for alias in _ALIASES.get(name, (name,)):
        if alias in record and record[alias] not in (None, "", []):
            return record[alias]
    return None


def _list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.casefold()).strip("-")[:60]


def _digest(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8"), usedforsecurity=False).hexdigest()[:10]


def _token(value: Any, member: str) -> str:
    token = re.sub(r"[^a-z0-9_-]+", "-", str(value).strip().casefold()).strip("-")
    if not _TOKEN.fullmatch(token):
        raise _RecordError(member, f"not a usable term: {value!r}")
    return token


def _actor(entity: Any, member: str) -> dict[str, Any]:
    if isinstance(entity, str):
        entity = {"entity_text": entity}
    if not isinstance(entity, dict):
        raise _RecordError(member, "an entity is an object or a name")
    qid = str(
        entity.get("identifier_id") or entity.get("identifierId") or entity.get("wikidata") or ""
    ).strip()
    name = str(
        entity.get("entity_text")
        or entity.get("entityText")
        or entity.get("identifier_text")
        or entity.get("identifierText")
        or entity.get("text")
        or entity.get("code")
        or ""
    ).strip()
    if not name and not qid:
        raise _RecordError(member, "an entity needs a name (entity_text) or an identifier")
    sector = str(entity.get("sector") or "").strip().upper()
    code = str(entity.get("code") or "").strip().upper()
    actor: dict[str, Any] = {
        "id": f"plover-wd-{qid}"
        if re.fullmatch(r"Q[0-9]+", qid)
        else f"plover-{_slug(name) or 'actor'}-{_digest(name + code)}",
        "kind": SECTORS.get(sector[:3], "other"),
        "name": name or qid,
    }
    if code[:3] in FROM_ALPHA3:
        actor["country"] = FROM_ALPHA3[code[:3]]
    if re.fullmatch(r"Q[0-9]+", qid):
        actor["identifiers"] = {"wikidata": qid}
    return actor


def _date(value: Any, member: str) -> str:
    text = str(value or "").strip()
    try:
        return str(PartialDate.parse(text[:10] if len(text) > 10 and text[10] in "T " else text))
    except ValueError:
        raise _RecordError(member, f"not a date (YYYY-MM-DD): {value!r}") from None


def _place(loc: Any) -> dict[str, Any] | None:  # noqa: C901 - member by member
    if not isinstance(loc, dict):
        return None
    name = (
        loc.get("resolved_place")
        or loc.get("extracted_place")
        or loc.get("city")
        or loc.get("country")
    )
    if not name:
        return None
    place: dict[str, Any] = {"name": str(name)}
    country = str(loc.get("country_code") or "").strip().upper()
    if len(country) == 3:
        country = FROM_ALPHA3.get(country, "")
    if re.fullmatch(r"[A-Z]{2}", country):
        place["country"] = country
    for key, target in (("province", "admin1"), ("district", "admin2")):
        if loc.get(key):
            place[target] = str(loc[key])
    try:
        if loc.get("lat") not in (None, "") and loc.get("lon") not in (None, ""):
            place["lat"], place["lon"] = float(loc["lat"]), float(loc["lon"])
    except (TypeError, ValueError):
        raise _RecordError(
            "event_loc", f"lat/lon not numbers: {loc.get('lat')!r}, {loc.get('lon')!r}"
        ) from None
    resolution = str(loc.get("resolution") or "")
    if resolution in RESOLUTION:
        place["precision"] = RESOLUTION[resolution]
    if str(loc.get("geonameid") or "").isdigit() and int(loc["geonameid"]) > 0:
        place["geonames_id"] = int(loc["geonameid"])
    return place


def _source(record: dict[str, Any]) -> dict[str, Any] | None:
    cite = _get(record, "cite_info")
    if not isinstance(cite, dict):
        return None
    title = cite.get("title") or cite.get("citation") or cite.get("publication") or cite.get("url")
    if not title:
        return None
    key = str(cite.get("url") or cite.get("citation") or title)
    source: dict[str, Any] = {
        "id": f"plover-src-{_digest(key)}",
        "kind": "news_article",
        "title": str(title),
    }
    if cite.get("publication"):
        source["publisher"] = str(cite["publication"])
    url = str(cite.get("url") or "")
    if re.fullmatch(r"https?://\S+", url):
        source["url"] = url
    language = str(cite.get("language") or "").strip().lower()
    if re.fullmatch(r"[a-z]{2,3}", language):
        source["language"] = language
    return source


def _event(  # noqa: C901, PLR0912 - member by member
    record: dict[str, Any],
) -> tuple[dict[str, Any], list[dict[str, Any]], dict[str, Any] | None]:
    ident = str(record.get("id") or "").strip()
    if not ident:
        raise _RecordError("id", "missing")
    types = [str(t).strip().upper() for t in _list(_get(record, "event"))]
    current = [LEGACY_TYPES.get(t, t) for t in types]
    unknown = [t for t in current if t not in EventType.__members__]
    if unknown:
        raise _RecordError("event", f"unknown event type {unknown[0]!r}")
    actors_by_role = [
        (role, _actor(entity, member))
        for member, role in (("actor", "initiator"), ("recipient", "target"))
        for entity in _list(_get(record, member))
    ]
    source = _source(record)
    citation: dict[str, Any] = {"source": (source or _DATASET_SOURCE)["id"], "stance": "reports"}
    text = _get(record, "event_text")
    if isinstance(text, str) and text.strip():
        citation["quote"] = text.strip()
    info = _get(record, "text_info")
    if (
        isinstance(info, dict)
        and info.get("start") not in (None, "")
        and info.get("end") not in (None, "")
    ):
        citation["locator"] = f"characters {info['start']}-{info['end']}"
    when: dict[str, Any] = {"start": _date(record.get("date"), "date")}
    if _get(record, "enddate"):
        end = _date(_get(record, "enddate"), "enddate")
        if end != when["start"]:
            when["end"] = end
    initiators = ", ".join(a["name"] for r, a in actors_by_role if r == "initiator")
    targets = ", ".join(a["name"] for r, a in actors_by_role if r == "target")
    event: dict[str, Any] = {
        "id": f"plover-{ident}"
        if re.fullmatch(r"[A-Za-z0-9_.-]{1,100}", ident)
        else f"plover-{_slug(ident) or 'event'}-{_digest(ident)}",
        "type": current[0],
        "title": f"{current[0]}: {initiators or 'unknown'}" + (f" - {targets}" if targets else ""),
        "when": when,
        "participants": [{"actor": a["id"], "role": role} for role, a in actors_by_role],
        "status": "reported",
        "citations": [citation],
        "identifiers": {SCHEME: ident},
    }
    if record.get("mode"):
        event["mode"] = _token(record["mode"], "mode")
    contexts = [_token(c, "context") for c in _list(_get(record, "context"))]
    if contexts:
        event["contexts"] = list(dict.fromkeys(contexts))
    place = _place(_get(record, "event_loc"))
    if place:
        event["location"] = place
    dead = _get(record, "dead")
    if dead is not None:
        try:
            event["fatalities"] = {"best": int(dead)}
        except (TypeError, ValueError):
            raise _RecordError("dead", f"not a whole number: {dead!r}") from None
    if types != current or len(types) > 1:
        event["classifications"] = [{"scheme": "plover.event", "code": t} for t in types]
    kept = {k: v for k, v in record.items() if k not in _MAPPED}
    if kept:
        event["extensions"] = {SCHEME: kept}
    return event, [a for _, a in actors_by_role], source


def _is_document(record: dict[str, Any]) -> bool:
    return not _get(record, "event") and not record.get("date")


def _records(stream: BinaryIO) -> Iterator[tuple[dict[str, Any] | None, str]]:
    """Each record with where it is: JSON Lines, a JSON array, or ``{"events": [...]}``."""
    head = stream.read(1)
    while head in (b" ", b"\n", b"\r", b"\t", b"\xef", b"\xbb", b"\xbf"):
        head = stream.read(1)
    if head in {b"[", b""}:
        document = loads(head + stream.read()) if head else []
        for index, record in enumerate(document):
            yield (record if isinstance(record, dict) else None), f"record {index + 1}"
        return
    first_line = head + stream.readline()
    try:
        first = loads(first_line)
    except InputError:
        # One pretty-printed object, or an object holding a list.
        document = loads(first_line + stream.read())
        records = document.get("events") or document.get("data") or document.get("records")
        if isinstance(records, list):
            for index, record in enumerate(records):
                yield (record if isinstance(record, dict) else None), f"record {index + 1}"
        else:
            yield (document if isinstance(document, dict) else None), "record 1"
        return
    yield (first if isinstance(first, dict) else None), "line 1"
    for number, line in enumerate(stream, start=2):
        if line.strip():
            try:
                record = loads(line)
            except InputError as exc:
                raise InputError(exc.code, exc.message, location=f"line {number}") from None
            yield (record if isinstance(record, dict) else None), f"line {number}"


def iter_items(stream: BinaryIO) -> Iterator[Entry]:
    """The header, then each record's new actors and source, then its event."""
    problems: list[Problem] = []
    yield from _items(stream, problems)
    # Records it could not read, and those it skipped on purpose.
    yield from problems


def _items(stream: BinaryIO, problems: list[Problem]) -> Iterator[Item]:
    yield "dataset", {"schema_version": SCHEMA_VERSION, "metadata": {
        "title": "PLOVER events (imported)"}}, "line 1", True  # fmt: skip
    yield "source", dict(_DATASET_SOURCE), "line 1", True
    seen = IdIndex()
    try:
        for record, where in _records(stream):
            if record is None:
                problems.append(
                    error((), "input.record-type", "a record must be a JSON object", where)
                )
                continue
            if _is_document(record):
                message = "describes a document, not an event: skipped"
                problems.append(warning((), "import.skipped", message, where))
                continue
            try:
                event, actors, source = _event(record)
            except _RecordError as exc:
                problems.append(
                    error(
                        (),
                        "input.cell",
                        f"{exc.member}: {exc.message}",
                        f"{where}, member {exc.member}",
                    )
                )
                continue
            for kind, item in (("source", source), *(("actor", a) for a in actors)):
                if item is not None and seen.add(item["id"], kind) is None:
                    yield kind, item, where, False
            if seen.add(event["id"], "event") is not None:
                problems.append(
                    error(
                        (),
                        "id.duplicate",
                        f"record id {event['identifiers'][SCHEME]!r} again",
                        where,
                    )
                )
                continue
            yield "event", event, where, False
    finally:
        seen.close()


def read(stream: BinaryIO) -> Decoded:
    """Read a whole PLOVER file; every unreadable record is reported, the others read."""
    problems: list[Problem] = []
    decoded = read_items(list(_items(stream, problems)))
    return Decoded(decoded.data, decoded.locations, problems=tuple(problems))


FORMAT = Format(
    name="plover",
    description="PLOVER event records, JSON or JSON Lines, both dialects (read only).",
    lossless=False,
    reader=iter_items,
)
