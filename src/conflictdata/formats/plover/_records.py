"""A PLOVER record to an event, its actors and its source."""

from __future__ import annotations

import hashlib
import re
from typing import Any

from ..._dates import PartialDate
from ..._vocab import EventType
from .. import _cameo
from .._iso3166 import FROM_ALPHA3
from .._numbers import MAX_INTEGER, NumberError, check_float, parse_float
from ._tables import (
    _ALIASES,
    _DATASET_SOURCE,
    _MAPPED,
    _MISSING,
    _RECORD_MEMBERS,
    _TOKEN,
    CODE_KINDS,
    DRAFT_TYPES,
    RESOLUTION,
    SCHEME,
    SECTORS,
)


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
        raise _RecordError(member, f"not a number: {_short(value)}")
    try:
        if isinstance(value, str):
            return parse_float(value.strip())
        return check_float(value)
    except NumberError as exc:
        raise _RecordError(member, f"{exc}: {_short(value)}") from None


def _short(value: Any) -> str:
    """``value`` as a message shows it: a long one is cut short."""
    if isinstance(value, int) and abs(value) > MAX_INTEGER:
        return f"an integer of {value.bit_length()} bits"
    text = repr(value)
    return text if len(text) <= 60 else f"{text[:60]}..."


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
    if geonames.isascii() and geonames.isdigit() and 0 < int(geonames) <= MAX_INTEGER:
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
        raise _RecordError(member, f"not a whole number: {_short(value)}")
    if number < 0:
        raise _RecordError(member, f"not a count: {_short(value)}")
    if number > MAX_INTEGER:
        raise _RecordError(member, f"more than {MAX_INTEGER:,}: {_short(value)}")
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
