"""PLOVER tables: draft types, sectors, the dialects' names for members."""

from __future__ import annotations

import re
from typing import Any

from ..._vocab import EventType
from ...model import TOKEN_PATTERN

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
