"""The TEI layout, read by the writer and the reader alike.

A field added to TEI is an entry here plus the writer and reader functions
that handle it; the names below are the only place the layout is spelt.
"""

from __future__ import annotations

#: The TEI namespace.
TEI_NS = "http://www.tei-c.org/ns/1.0"
XML_NS = "http://www.w3.org/XML/1998/namespace"
ID = f"{{{XML_NS}}}id"
LANG = f"{{{XML_NS}}}lang"
#: The prefix of every TEI tag in Clark notation.
T = f"{{{TEI_NS}}}"

# Generated ids (taxonomy categories) contain U+00B7, which XML names allow
# and record ids cannot hold: they never collide with a record's id.
TYPE_ID = "type\u00b7"
STATUS_ID = "status\u00b7"

#: The event type taxonomy of the header: PLOVER codes by quad class.
QUAD = {
    "verbal cooperation": ("AGREE", "CONSULT", "SUPPORT", "CONCEDE"),
    "material cooperation": ("COOPERATE", "AID", "RETREAT"),
    "verbal conflict": ("REQUEST", "ACCUSE", "REJECT", "THREATEN", "SANCTION"),
    "material conflict": ("PROTEST", "MOBILIZE", "COERCE", "ASSAULT"),
}
#: The status taxonomy of the header.
STATUS_DESC = {
    "confirmed": "established by independent evidence",
    "reported": "reported by sources, not independently established",
    "unconfirmed": "claimed, and not confirmed",
    "disputed": "accounts of the event conflict",
    "denied": "denied by those said to be involved",
}

#: Each list of the standOff and the record element it holds.
LISTS = {"listBibl": "bibl", "listPerson": "person", "listOrg": "org", "listEvent": "event"}
#: The list that holds each record element.
LIST_OF = {record: name for name, record in LISTS.items()}
#: Each record element and the kind of record it is.
RECORDS = {"bibl": "source", "person": "actor", "org": "actor", "event": "event"}
#: The @type of the <listEvent> whose events are tombstones (since schema 1.1).
DELETED = "deleted"
#: The <label> of every tombstone: TEI's <event> needs a label, desc or p.
DELETED_LABEL = "deleted"
#: The @type of the <relatedItem> in a <bibl> holding an archived copy.
ARCHIVE = "archive"

#: The @type of the <note> that holds each field (a plain note holds ``notes``).
NOTES = {
    "extensions": "extensions",
    "description": "description",
    "contexts": "context",
    "fatalities": "fatalities",
    "citations": "evidence",
    "classifications": "classification",
    "tags": "tag",
}
#: The event date attributes; TEI forbids @when beside the others.
DATES = ("when", "from", "to", "notBefore", "notAfter")
#: Start and end of an affiliation, and the attributes that hold them.
SPAN = (("start", "from"), ("end", "to"))
#: A participant's side: the attribute of its <person>/<org> stub (att.global's @n).
SIDE = "n"
#: Fatality figures, and the attributes of <measure> that hold them.
FIGURES = (("best", "quantity"), ("low", "atLeast"), ("high", "atMost"))

# The attributes each element of a record may have; any other would be lost.
ATTRIBUTES: dict[str, set[str]] = {
    "bibl": {ID, "type"},
    "date": {"type", "when"},
    "ptr": {"target", "type"},
    "textLang": {"mainLang"},
    "idno": {"type"},
    "note": {"type", "subtype"},
    "person": {ID, "role", SIDE},
    "org": {ID, "type", "role", SIDE},
    "relatedItem": {"type"},
    "persName": {LANG, "type", "ref"},
    "orgName": {LANG, "type", "ref"},
    "nationality": {"key"},
    "country": {"key"},
    "affiliation": {"ref", *(attr for _, attr in SPAN)},
    "relation": {"name", "active", "passive", *(attr for _, attr in SPAN)},
    "event": {ID, "type", "subtype", "ana", "source", *DATES},
    "cit": {"type"},
    "measure": {"type", "unit", *(attr for _, attr in FIGURES)},
    "listPerson": {"type"},
    "location": {"type"},
    "region": {"type"},
    "listBibl": {"n"},
    "listOrg": {"n"},
    "listEvent": {"n", "type"},
    "listRelation": {"type"},
}
#: The same, by Clark tag.
ALLOWED = {T + name: frozenset(allowed) for name, allowed in ATTRIBUTES.items()}
