"""PLOVER: event records as JSON, in every dialect and framing found published (read only).

The PLOVER manual writes snake_case records (``actor``, ``recipient``,
``event_text``, ``event_loc``, ``cite_info``); the published gold-standard
files use camelCase (``source``, ``target``, ``actorText``, ``eventText``,
``eventLoc``, ``dateCoded``) and write numbers as strings; ICEWS conversions
give bare CAMEO codes and a list of places. All are read, from one record
per line, pretty-printed records one after another, a JSON array or one
object, streaming. Draft types and CAMEO codes are mapped to the current
types (``_cameo`` has the crosswalk), the original kept as a classification.
A document record is skipped, a repeated id kept under a derived one, and
the slips of hand-written files (a bare date, a trailing comma) mended, each
said so. Fields the model does not hold are kept in the event's ``plover``
extension. ``docs/interop.md`` has the mapping.
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
from . import _cameo, _detect
from ._base import Decoded, Entry, Format, Item, read_items
from ._iso3166 import FROM_ALPHA3
from .json import loads

__all__ = ["CODE_KINDS", "DRAFT_TYPES", "SCHEME", "SECTORS", "iter_items", "read"]

#: The extension scheme of PLOVER fields.
SCHEME = "plover"

#: Types of the drafts -> the current types (the original is kept as a
#: ``plover.draft`` classification). The 2016 draft (the gold standard's
#: version 0.5b1) had DIPLOMACY for what is now SUPPORT; the 18-type draft
#: split ACCUSE into DISAPPROVE and INVESTIGATE and had FIGHT and CRIME;
#: DEMAND is now REQUEST. ``docs/interop.md`` says where each comes from.
DRAFT_TYPES = {
    "DIPLOMACY": EventType.SUPPORT,
    "DEMAND": EventType.REQUEST,
    "DISAPPROVE": EventType.ACCUSE,
    "INVESTIGATE": EventType.ACCUSE,
    "FIGHT": EventType.ASSAULT,
    "CRIME": EventType.COERCE,
    "COOPERATION": EventType.COOPERATE,
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

#: CAMEO actor codes that are not countries -> actor kind; they decide
#: before the sector ("U.N. Security Council" is IGO with sector GOV).
CODE_KINDS = {"IGO": "international_organization", "NGO": "organization", "MNC": "organization"}

#: ``event_loc.resolution`` (5 sub-city ... 1 country) -> place precision.
RESOLUTION = {"5": "exact", "4": "near", "3": "admin2", "2": "admin1", "1": "country"}

# The dialects' names for the same member.
_ALIASES = {
    "actor": ("actor", "source", "actors"),
    "recipient": ("recipient", "target", "recipients"),
    "event": ("event", "eventType", "event_type"),
    "event_text": ("event_text", "eventText"),
    "event_loc": ("event_loc", "eventLoc", "location"),
    "text_info": ("text_info", "textInfo"),
    "cite_info": ("cite_info", "citeInfo"),
    "enddate": ("enddate", "endDate", "end_date"),
    "context": ("context", "contexts"),
    "dead": ("dead", "fatalities", "killed"),
}
# Members mapped entirely; all others are kept in the extension, verbatim.
_MAPPED = {
    *_ALIASES["event"],
    *_ALIASES["enddate"],
    *_ALIASES["context"],
    *_ALIASES["dead"],
    "id",
    "date",
    "mode",
}
# Members that make an object a record (and not a wrapper or something else).
_RECORD_MEMBERS = {
    *_ALIASES["event"],
    *_ALIASES["actor"],
    *_ALIASES["recipient"],
    *_ALIASES["event_text"],
    "id",
    "date",
    "text",
}
_WRAPPERS = ("events", "data", "records")
# How the files write a missing value in a string member.
_MISSING = {"", "NULL", "null", "None"}
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


class _NoTypeError(Exception):
    """A CAMEO code that PLOVER does not code (a public statement)."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


def _present(value: Any) -> Any:
    """``value``, or None when the file writes it as missing ("", "NULL")."""
    if value is None or (isinstance(value, str) and value.strip() in _MISSING):
        return None
    return value


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


# Where an entity gives its name, best first: the words of the text
# (``actorText`` in the gold standard) before a resolved name or a code.
_NAMES = (
    "actorText",
    "actor_text",
    "entity_text",
    "entityText",
    "identifier_text",
    "identifierText",
    "text",
    "name",
)


def _first(members: dict[str, Any], *names: str) -> Any:
    """The value of the first of ``names`` that ``members`` gives (not missing)."""
    for name in names:
        value = _present(members.get(name))
        if value is not None:
            return value
    return None


def _actor(entity: Any, member: str) -> dict[str, Any]:
    if isinstance(entity, str):
        entity = {"entity_text": entity}
    if not isinstance(entity, dict):
        raise _RecordError(member, "an entity is an object or a name")
    qid = str(
        entity.get("identifier_id") or entity.get("identifierId") or entity.get("wikidata") or ""
    ).strip()
    code = str(_present(entity.get("code")) or "").strip().upper()
    text = _first(entity, *_NAMES)
    name = " ".join(str(text).split()) if text is not None else code
    if not name and not qid:
        raise _RecordError(member, "an entity needs a name (actorText, entity_text) or a code")
    sector = str(entity.get("sector") or "").strip().upper()
    wikidata = re.fullmatch(r"Q[0-9]+", qid) is not None
    actor: dict[str, Any] = {
        # One actor per name and code: two IGOs are two actors, and the same
        # words with two codes ("Sudanese" as SDN and as REB) are two too.
        "id": f"plover-wd-{qid}"
        if wikidata
        else f"plover-{_slug(name) or 'actor'}-{_digest(name + code)}",
        "kind": CODE_KINDS.get(code[:3]) or SECTORS.get(sector[:3], "other"),
        "name": name or qid,
    }
    if code[:3] in FROM_ALPHA3:
        actor["country"] = FROM_ALPHA3[code[:3]]
    identifiers = {"wikidata": qid} if wikidata else {}
    if code:
        identifiers["cameo"] = code
    if identifiers:
        actor["identifiers"] = identifiers
    return actor


def _date(value: Any, member: str) -> str:
    text = str(value or "").strip()
    try:
        return str(PartialDate.parse(text[:10] if len(text) > 10 and text[10] in "T " else text))
    except ValueError:
        raise _RecordError(member, f"not a date (YYYY-MM-DD): {value!r}") from None


def _number(value: Any, member: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        raise _RecordError(member, f"not a number: {value!r}")
    try:
        return float(value)
    except ValueError:
        raise _RecordError(member, f"not a number: {value!r}") from None


def _place(loc: Any, record: dict[str, Any]) -> dict[str, Any] | None:  # noqa: C901
    if isinstance(loc, list):
        # ICEWS conversions give a list of places; the first is the event's.
        loc = loc[0] if loc else None
    if not isinstance(loc, dict):
        return None
    name = _first(
        loc, "resolved_place", "extracted_place", "name", "city", "district", "province", "country"
    )
    if name is None:
        return None
    place: dict[str, Any] = {"name": str(name).strip()}
    code = _first(loc, "country_code", "country code", "countryCode")
    if code is None:
        code = _present(record.get("ccode"))
    country = str(code or "").strip().upper()
    if len(country) == 3:
        country = FROM_ALPHA3.get(country, "")
    if re.fullmatch(r"[A-Z]{2}", country):
        place["country"] = country
    for key, target in (("province", "admin1"), ("district", "admin2")):
        if _present(loc.get(key)) is not None:
            place[target] = str(loc[key]).strip()
    lat, lon = _first(loc, "lat", "latitude"), _first(loc, "lon", "long", "longitude")
    if lat is not None and lon is not None:
        place["lat"], place["lon"] = _number(lat, "event_loc"), _number(lon, "event_loc")
    resolution = str(loc.get("resolution") or "")
    if resolution in RESOLUTION:
        place["precision"] = RESOLUTION[resolution]
    geonames = str(loc.get("geonameid")) if type(loc.get("geonameid")) in (int, str) else ""
    if geonames.isdigit() and int(geonames) > 0:
        place["geonames_id"] = int(geonames)
    return place


def _source(record: dict[str, Any]) -> dict[str, Any] | None:
    cite = _get(record, "cite_info")
    if isinstance(cite, dict):
        title = (
            cite.get("title") or cite.get("citation") or cite.get("publication") or cite.get("url")
        )
        publisher, url, language = cite.get("publication"), cite.get("url"), cite.get("language")
        key = str(cite.get("url") or cite.get("citation") or title)
        kind = "news_article"
    else:
        # Files without citation information (the gold standard, ICEWS
        # conversions) name the publication and headline on the record.
        headline, publisher = _present(record.get("headline")), _present(record.get("publication"))
        title, url, language = headline or publisher, None, record.get("language")
        key = f"{publisher}|{headline}"
        kind = "news_article" if headline else "other"
    if not isinstance(title, str) or not title.strip():
        return None
    source: dict[str, Any] = {
        "id": f"plover-src-{_digest(key)}",
        "kind": kind,
        "title": title.strip(),
    }
    if isinstance(publisher, str) and publisher.strip():
        source["publisher"] = publisher.strip()
    if isinstance(url, str) and re.fullmatch(r"https?://\S+", url):
        source["url"] = url
    if isinstance(language, list) and len(language) == 1:
        language = language[0]
    language = str(language or "").strip().lower()
    if re.fullmatch(r"[a-z]{2,3}", language):
        source["language"] = language
    return source


def _types(record: dict[str, Any]) -> tuple[list[str], list[EventType | None], list[str]]:
    """The record's codes, the current type of each, and each one's classification scheme."""
    codes = [str(t).strip().upper() for t in _list(_get(record, "event"))]
    codes = [c for c in codes if c]
    if not codes:
        raise _RecordError("event", "no event type")
    types: list[EventType | None] = []
    schemes = []
    for code in codes:
        if code in EventType.__members__:
            types.append(EventType[code])
            schemes.append("plover.event")
        elif code in DRAFT_TYPES:
            types.append(DRAFT_TYPES[code])
            schemes.append("plover.draft")
        elif _cameo.is_code(code):
            types.append(_cameo.plover_type(code))
            schemes.append("cameo")
        else:
            raise _RecordError("event", f"unknown event type {code!r}")
    return codes, types, schemes


def _whole(value: Any, member: str) -> int:
    """A count: a JSON integer or the digits of one, never a bool or a fraction."""
    if isinstance(value, int) and not isinstance(value, bool):
        number = value
    elif (isinstance(value, float) and value.is_integer()) or (
        isinstance(value, str) and value.strip().isdigit() and value.strip().isascii()
    ):
        number = int(value)
    else:
        raise _RecordError(member, f"not a whole number: {value!r}")
    if number < 0:
        raise _RecordError(member, f"not a count: {value!r}")
    return number


def _event(  # noqa: C901, PLR0912 - member by member
    record: dict[str, Any],
) -> tuple[dict[str, Any], list[dict[str, Any]], dict[str, Any] | None]:
    ident = str(record.get("id") or "").strip()
    if not ident:
        raise _RecordError("id", "missing")
    codes, types, schemes = _types(record)
    chosen = next((t for t in types if t is not None), None)
    if chosen is None:
        raise _NoTypeError(codes[0])
    actors_by_role = [
        (role, _actor(entity, member))
        for member, role in (("actor", "initiator"), ("recipient", "target"))
        for entity in _list(_get(record, member))
    ]
    source = _source(record)
    citation: dict[str, Any] = {"source": (source or _DATASET_SOURCE)["id"], "stance": "reports"}
    # The coded sentence is the evidence; ``eventText`` is only the words
    # that name the event ("agreed cooperate"), kept in the extension.
    sentence = record.get("text")
    text = (
        sentence if isinstance(sentence, str) and sentence.strip() else _get(record, "event_text")
    )
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
        "type": str(chosen),
        "title": f"{chosen}: {initiators or 'unknown'}" + (f" - {targets}" if targets else ""),
        "when": when,
        "participants": [{"actor": a["id"], "role": role} for role, a in actors_by_role],
        "status": "reported",
        "citations": [citation],
        "identifiers": {SCHEME: ident},
    }
    mode = _present(record.get("mode"))
    if mode:
        event["mode"] = _token(mode, "mode")
    contexts = [_token(c, "context") for c in _list(_get(record, "context")) if _present(c)]
    if contexts:
        event["contexts"] = list(dict.fromkeys(contexts))
    place = _place(_get(record, "event_loc"), record)
    if place:
        event["location"] = place
    dead = _get(record, "dead")
    if dead is not None:
        event["fatalities"] = {"best": _whole(dead, "dead")}
    # Every code that is not simply the event's own type is kept.
    kept_codes = [
        {"scheme": scheme, "code": code}
        for code, scheme in zip(codes, schemes, strict=True)
        if not (scheme == "plover.event" and code == str(chosen))
    ]
    if kept_codes:
        event["classifications"] = kept_codes
    kept = {k: v for k, v in record.items() if k not in _MAPPED}
    if isinstance(sentence, str) and sentence and sentence.strip() == sentence:
        # The quote holds it; a sentence with spaces around is kept as written.
        kept.pop("text")
    if kept:
        event["extensions"] = {SCHEME: kept}
    return event, [a for _, a in actors_by_role], source


def _is_document(record: dict[str, Any]) -> bool:
    kinds = {str(t).strip().upper() for t in _list(_get(record, "event"))}
    if kinds == {"DOCUMENT"}:
        return True
    return not kinds and not _present(record.get("date"))


def _is_record(record: dict[str, Any]) -> bool:
    return any(member in record for member in _RECORD_MEMBERS)


# Structural tokens of JSON text: a string (to step over its brackets), or
# a bracket. JSON strings cannot hold a raw line break, so a line is read
# on its own and an unclosed string ends with its line.
_TOKENS = re.compile(rb'"(?:[^"\\\n]|\\.)*"?|[][{}]')
_BLANK = b" \t\r\n,\xef\xbb\xbf"
_HAS_BRACKET = re.compile(rb"[][{}]")


class _Framer:
    """Cuts the text of records out of JSON text, a line at a time, by their brackets."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        self.depth = self.base = 0  # base: 1 inside the array of an array file
        self.array: bool | None = None  # not known before the first bracket
        self.parts: list[bytes] = []
        self.start = 0
        self.count = 0

    def between_records(self) -> bool:
        """Whether a line now starts outside any record, in a file of records in a row."""
        return self.depth == 0 and not self.array

    def record(self, number: int) -> str:
        """Count one more record starting on line ``number``; where it is."""
        self.count += 1
        return f"record {self.count}, line {number}" if self.array else f"line {number}"

    def line(self, line: bytes, number: int) -> Iterator[tuple[bytes, str, Any]]:
        """The records that end on this line."""
        if self.depth > self.base and not _HAS_BRACKET.search(line):
            # Most lines of a pretty-printed record: no bracket, so no change.
            self.parts.append(line)
            return
        position = 0  # where the text not yet given to a record starts
        for match in _TOKENS.finditer(line):
            bracket = match.group()
            if bracket[:1] == b'"':
                continue
            if bracket in b"{[":
                position = self._open(line, number, match, position)
                continue
            self.depth -= 1
            if self.depth == self.base:
                self.parts.append(line[position : match.end()])
                position = match.end()
                yield b"".join(self.parts), self.record(self.start), None
            elif self.depth < self.base:
                if self.base == 0:
                    self.problems.append(_stray(number))
                # The end of the array (or a stray bracket): what follows is outside.
                self.depth = self.base = 0
                position = match.end()
        if self.depth > self.base:
            self.parts.append(line[position:])
        elif line[position:].strip(_BLANK):
            self.problems.append(_stray(number))

    def _open(self, line: bytes, number: int, match: re.Match[bytes], position: int) -> int:
        if self.array is None:
            self.array = match.group() == b"["
            if self.array:
                self.depth = self.base = 1
                return match.end()
        if self.depth == self.base:
            if line[position : match.start()].strip(_BLANK):
                self.problems.append(_stray(number))
            self.parts, self.start = [], number
            position = match.start()
        self.depth += 1
        return position

    def finish(self) -> None:
        """Report a record left open at the end; refuse a file without records."""
        if self.depth > self.base:
            message = "a record is not closed at the end of the file"
            self.problems.append(error((), "input.syntax", message, f"line {self.start}"))
        elif self.count == 0:
            raise InputError("input.empty", "the file holds no PLOVER records")


def _values(stream: BinaryIO, problems: list[Problem]) -> Iterator[tuple[bytes, str, Any]]:
    """The text of each record, where it starts, and its JSON when already parsed.

    A file is a JSON array of records, or records one after another: one per
    line or spread over several lines (pretty-printed), with or without
    commas between them. Records are found by their brackets, so a record
    with a syntax error is still cut out whole and the next one is read.
    """
    framer = _Framer(problems)
    for number, line in enumerate(stream, start=1):
        if framer.between_records() and line.lstrip(_BLANK)[:1] == b"{":
            # One record per line, the common case, needs no scanning.
            body = line.strip(_BLANK)
            if body.endswith(b"}"):
                try:
                    value = loads(body)
                except InputError:
                    pass
                else:
                    framer.array = False
                    yield body, framer.record(number), value
                    continue
        yield from framer.line(line, number)
    framer.finish()


def _stray(number: int) -> Problem:
    return error((), "input.syntax", "text outside any record", f"line {number}")


# Two slips of hand-written files, found outside strings: a bare date
# after a member name (``"date" : 2016-07-24``, as the manual's own example
# has it) and a comma before a closing bracket (the gold standard's later
# copies end every record with one).
_SLIPS = re.compile(
    r'"((?:[^"\\]|\\.)*)"'
    r"|:(\s*)([0-9]{4}-[0-9]{2}(?:-[0-9]{2})?)(?=\s*[,}\]])"
    r"|,(?=\s*[}\]])"
)


def _parse(text: bytes, where: str, problems: list[Problem]) -> Any:
    """One record's JSON; a bare date or a trailing comma is mended, with a warning."""
    try:
        return loads(text)
    except InputError as exc:
        failure = exc
    mended: list[Problem] = []
    member = ""

    def mend(match: re.Match[str]) -> str:
        nonlocal member
        if match.group(1) is not None:
            member = match.group(1)
            return match.group()
        at = _line(where, match.string.count("\n", 0, match.start()) + 1)
        if match.group(3) is None:
            message = "a comma before a closing bracket, which JSON does not allow: ignored"
            mended.append(warning((), "import.trailing-comma", message, at))
            return ""
        value = match.group(3)
        message = f"the date {value} is not quoted, so not JSON: read as the text {value!r}"
        mended.append(warning((), "import.unquoted-date", message, f"{at}, member {member}"))
        return f':{match.group(2)}"{value}"'

    try:
        repaired = _SLIPS.sub(mend, text.decode("utf-8-sig"))
        record = loads(repaired) if mended else None
    except (InputError, UnicodeDecodeError):
        record = None
    if record is None:
        raise InputError(failure.code, failure.message, location=_within(where, failure.location))
    problems.extend(mended)
    return record


def _within(where: str, location: str | None) -> str:
    """A location inside a record's text ("line 3, column 15"), counted from the file's start."""
    found = re.fullmatch(r"line ([0-9]+), (column [0-9]+)", location or "")
    if found is None:
        return where
    return f"{_line(where, int(found.group(1)))}, {found.group(2)}"


def _line(where: str, line: int) -> str:
    """``where`` moved on to the record's ``line``-th line."""
    first = re.search(r"line ([0-9]+)$", where)
    if first is None:
        return where
    return f"{where[: first.start()]}line {int(first.group(1)) + line - 1}"


def _records(
    stream: BinaryIO, problems: list[Problem]
) -> Iterator[tuple[dict[str, Any] | None, str]]:
    """Each record with where it is; an unreadable one is reported and given as ``None``."""
    for text, where, parsed in _values(stream, problems):
        try:
            value = _parse(text, where, problems) if parsed is None else parsed
        except InputError as exc:
            problems.append(error((), exc.code, exc.message, exc.location or where))
            continue
        if isinstance(value, dict) and not _is_record(value):
            yield from _wrapped(value, where, problems)
        else:
            yield (value if isinstance(value, dict) else None), where


def _wrapped(
    value: dict[str, Any], where: str, problems: list[Problem]
) -> Iterator[tuple[dict[str, Any] | None, str]]:
    """The records of an object holding them under ``events``, ``data`` or ``records``."""
    keys = [k for k in _WRAPPERS if k in value]
    if not keys:
        names = ", ".join(repr(k) for k in list(value)[:5]) or "none"
        message = (
            f"not a PLOVER record: no id, event type or date (members: {names}); a file of "
            "records lists them in an array, one after another, or under 'events'"
        )
        problems.append(error((), "input.structure", message, where))
        return
    records = value[keys[0]]
    if not isinstance(records, list):
        message = f"{keys[0]!r} holds {records!r}, not a list of records"
        problems.append(error((), "input.structure", message, f"{where}, member {keys[0]}"))
        return
    if not records:
        problems.append(error((), "input.empty", f"{keys[0]!r} holds no records", where))
    for index, record in enumerate(records, start=1):
        yield (record if isinstance(record, dict) else None), f"{where}, record {index}"


def iter_items(stream: BinaryIO) -> Iterator[Entry]:
    """The header, then each record's new actors and source, then its event.

    Problems (records it could not read, records it skipped on purpose) come
    in the stream as they are found.
    """
    problems: list[Problem] = []
    for item in _items(stream, problems):
        if problems:
            yield from problems
            problems.clear()
        yield item
    yield from problems


def _items(stream: BinaryIO, problems: list[Problem]) -> Iterator[Item]:
    yield "dataset", {"schema_version": SCHEMA_VERSION, "metadata": {
        "title": "PLOVER events (imported)"}}, "line 1", True  # fmt: skip
    yield "source", dict(_DATASET_SOURCE), "line 1", True
    seen = IdIndex()
    try:
        for record, where in _records(stream, problems):
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
            except _NoTypeError as exc:
                message = f"CAMEO {exc.code} has no PLOVER event type: skipped"
                problems.append(warning((), "import.skipped", message, f"{where}, member event"))
                continue
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
            first = event["id"]
            copy = 1
            while seen.add(event["id"], "event") is not None:
                # Both records are kept: a file that repeats an id (the gold
                # standard does) still means two events.
                copy += 1
                event["id"] = f"{first}-{copy}"
            if copy > 1:
                message = (
                    f"record id {event['identifiers'][SCHEME]!r} again: "
                    f"kept as event {event['id']!r}"
                )
                problems.append(warning((), "import.duplicate-id", message, f"{where}, member id"))
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
    detect=_detect.is_plover,
)
