"""Reading TEI records: each element of a record back into its plain fields."""

from __future__ import annotations

import math
import re
import unicodedata
from typing import Any

from lxml import etree

from ..._errors import InputError
from ..json import loads as _json_loads
from ._layout import (
    ARCHIVE,
    DATES,
    DELETED_LABEL,
    FIGURES,
    ID,
    LANG,
    NOTES,
    SIDE,
    SPAN,
    STATUS_ID,
    T,
)

__all__ = [
    "LayoutError",
    "check_names",
    "local",
    "read_actor",
    "read_affiliation",
    "read_event",
    "read_header",
    "read_source",
    "read_tombstone",
    "where",
]


class LayoutError(InputError):
    """TEI that is well-formed XML but not laid out as conflictdata writes it."""

    def __init__(self, message: str, element: etree._Element) -> None:
        super().__init__("input.tei-layout", message, location=where(element))


# What the writer writes for a whole number and for a float (repr): int()
# and float() also take '1_000', ' 12', fullwidth digits, 'nan' and 'inf'.
_WHOLE = re.compile(r"-?[0-9]+")
_DECIMAL = re.compile(r"-?[0-9]+(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?")
#: Digits in a whole number; int() refuses more than 4300 anyway.
_MAX_DIGITS = 20


def _name(tag: object) -> str:
    # Not etree.QName: it refuses a name with an undeclared prefix ('a:b').
    return str(tag).rpartition("}")[2]


def where(element: etree._Element) -> str:
    """Where ``element`` is: its line, its tag and id, and the record it is in."""
    name = _name(element.tag)
    record: etree._Element | None = element
    while record is not None and record.get(ID) is None:
        record = record.getparent()
    inside = (
        f" in <{_name(record.tag)} xml:id={record.get(ID)!r}>"
        if record is not None and record is not element
        else ""
    )
    own = f" xml:id={element.get(ID)!r}" if element.get(ID) else ""
    return f"line {element.sourceline}, <{name}{own}>{inside}"


def check_names(element: etree._Element) -> None:
    """Refuse an element or attribute name with a prefix no namespace is declared for.

    libxml2 reports an undeclared prefix and reads on, with the prefix kept
    in the name: such a name is not namespace-well-formed XML.
    """
    tag = element.tag
    names = [tag] if isinstance(tag, str) and ":" in tag and tag[0] != "{" else []
    names += [key for key in element.attrib if ":" in key and key[0] != "{"]
    if names:
        prefix = names[0].partition(":")[0]
        raise InputError(
            "input.syntax",
            f"the namespace prefix {prefix!r} of {names[0]!r} is not declared",
            location=where(element),
        )


def local(element: etree._Element) -> str:
    """The TEI element's name without its namespace; anything else is an error."""
    tag = element.tag
    if not isinstance(tag, str) or not tag.startswith(T):
        raise LayoutError(f"unexpected node {tag!r}: only TEI elements belong here", element)
    return tag[len(T) :]


def _text(element: etree._Element) -> str:
    if len(element):
        raise LayoutError("text expected, not elements", element)
    text = element.text or ""
    if not text:
        raise LayoutError("empty text", element)
    # Text is read in NFC, as every reader does.
    return text if text.isascii() else unicodedata.normalize("NFC", text)


def _attr(element: etree._Element, name: str) -> str:
    value = element.get(name)
    if value is None:
        raise LayoutError(f"missing @{name}", element)
    return value


def _pointer(element: etree._Element, name: str) -> str:
    value = _attr(element, name)
    if not value.startswith("#") or " " in value:
        raise LayoutError(f"@{name} must point to one record: '#id', not {value!r}", element)
    return value[1:]


def _read_extensions(element: etree._Element) -> dict[str, Any]:
    try:
        value = _json_loads(_text(element))
    except InputError as exc:
        raise LayoutError(f"extension data is not JSON: {exc.message}", element) from None
    if not isinstance(value, dict):
        raise LayoutError("extension data must be a JSON object", element)
    return value


def read_header(root: etree._Element) -> dict[str, Any]:  # noqa: C901 - a branch per element
    """The dataset header (schema version and metadata) from <teiHeader>."""
    meta: dict[str, Any] = {}
    version: str | None = None
    creators: list[str] = []
    for element in root.iter(T + "*"):
        name = _name(element.tag)
        above = element.getparent()
        parent = "" if above is None else _name(above.tag)
        if name == "title" and parent == "titleStmt":
            meta["title"] = _text(element)
        elif name == "author" and parent == "titleStmt":
            creators.append(_text(element))
        elif name == "edition":
            meta["version"] = _text(element)
        elif name == "licence":
            meta["license"] = _text(element)
        elif name == "p" and parent == "projectDesc":
            meta["description"] = _text(element)
        elif name == "date" and parent == "creation":
            meta["created"] = _attr(element, "when")
        elif name == "application" and element.get("ident") == "conflictdata":
            version = _attr(element, "version")
    if creators:
        meta["creators"] = creators
    if version is None:
        raise LayoutError(
            "not a conflictdata TEI file: no <application ident='conflictdata'> "
            "in encodingDesc/appInfo",
            root,
        )
    # Members in schema order, as JSON documents have them.
    order = ("title", "description", "license", "creators", "created", "version")
    return {
        "schema_version": version,
        "metadata": {key: meta[key] for key in order if key in meta},
    }


def read_source(element: etree._Element) -> dict[str, Any]:  # noqa: C901, PLR0912 - a branch per element
    """A source from its <bibl>."""
    data: dict[str, Any] = {"id": element.get(ID), "kind": _attr(element, "type")}
    authors: list[str] = []
    archives: list[dict[str, Any]] = []
    identifiers: dict[str, str] = {}
    for child in element:
        name = local(child)
        if name == "title":
            data["title"] = _text(child)
        elif name == "author":
            authors.append(_text(child))
        elif name == "publisher":
            data["publisher"] = _text(child)
        elif name == "date" and (key := child.get("type", "")) in ("published", "accessed"):
            data[key] = _attr(child, "when")
        elif name == "ptr":
            data["url"] = _attr(child, "target")
        elif name == "textLang":
            data["language"] = _attr(child, "mainLang")
        elif name == "relatedItem" and child.get("type") == ARCHIVE:
            archives.append(_read_archive(child))
        elif name == "idno":
            identifiers[_attr(child, "type")] = _text(child)
        elif name == "note" and child.get("type") is None:
            data["notes"] = _text(child)
        elif name == "note" and child.get("type") == NOTES["extensions"]:
            data["extensions"] = _read_extensions(child)
        else:
            raise LayoutError(f"unexpected <{name}> in a source", child)
    if authors:
        data["authors"] = authors
    if archives:
        data["archives"] = archives
    if identifiers:
        data["identifiers"] = identifiers
    return data


def _read_archive(item: etree._Element) -> dict[str, Any]:
    """An archived copy of a source from its <relatedItem type="archive"><bibl>."""
    if len(item) != 1 or local(item[0]) != "bibl":
        raise LayoutError("an archive <relatedItem> holds one <bibl>", item)
    archive: dict[str, Any] = {}
    for child in item[0]:
        name, kind = local(child), child.get("type")
        if name == "ptr" and kind is None:
            archive["url"] = _attr(child, "target")
        elif name == "date" and kind == "captured":
            archive["captured"] = _attr(child, "when")
        elif name == "idno" and kind == "sha256":
            archive["sha256"] = _text(child)
        elif name == "note" and kind == "tool":
            archive["tool"] = _text(child)
        else:
            raise LayoutError(f"unexpected <{name}> in an archived copy", child)
    return archive


def read_tombstone(element: etree._Element) -> dict[str, Any]:
    """A tombstone from its <event> in the <listEvent type="deleted">."""
    data: dict[str, Any] = {"id": element.get(ID), "deleted": _attr(element, "when")}
    identifiers: dict[str, str] = {}
    labelled = False
    for child in element:
        name = local(child)
        if name == "idno":
            identifiers[_attr(child, "type")] = _text(child)
        elif name == "label" and not labelled and _text(child) == DELETED_LABEL:
            labelled = True
        elif name == "desc" and "reason" not in data:
            data["reason"] = _text(child)
        else:
            raise LayoutError(f"unexpected <{name}> in a tombstone", child)
    if not labelled:
        raise LayoutError(f"a tombstone needs <label>{DELETED_LABEL}</label>", element)
    if set(element.keys()) - {ID, "when"}:
        raise LayoutError("a tombstone has only @xml:id and @when", element)
    if identifiers:
        data["identifiers"] = identifiers
    return data


def _read_dates(element: etree._Element, data: dict[str, Any]) -> None:
    for key, attr in SPAN:
        if element.get(attr) is not None:
            data[key] = element.get(attr)


def read_actor(element: etree._Element) -> dict[str, Any]:  # noqa: C901 - a branch per element
    """An actor from its <person> or <org> (an org's affiliations follow it)."""
    person = local(element) == "person"
    data: dict[str, Any] = {
        "id": element.get(ID),
        "kind": "person" if person else _attr(element, "type"),
    }
    if element.get(SIDE) is not None:
        # @n is a participant's side; an actor has none, and it would be lost.
        raise LayoutError("an actor has no @n (only a participant has a side)", element)
    name_tag = "persName" if person else "orgName"
    names: dict[str, str] = {}
    aliases: list[str] = []
    identifiers: dict[str, str] = {}
    affiliations: list[dict[str, Any]] = []
    for child in element:
        name = local(child)
        if name == name_tag and child.get("type") == "alias":
            aliases.append(_text(child))
        elif name == name_tag and child.get(LANG) is not None:
            names[child.get(LANG, "")] = _text(child)
        elif name == name_tag and "name" not in data:
            data["name"] = _text(child)
        elif name == "idno":
            identifiers[_attr(child, "type")] = _text(child)
        elif name == ("nationality" if person else "country"):
            data["country"] = _attr(child, "key")
        elif name == "affiliation" and person:
            affiliation: dict[str, Any] = {"actor": _pointer(child, "ref")}
            if len(child) or child.text:
                affiliation["role"] = _text(child)
            _read_dates(child, affiliation)
            affiliations.append(affiliation)
        elif name == "note" and child.get("type") == NOTES["description"]:
            data["description"] = _text(child)
        elif name == "note" and child.get("type") == NOTES["extensions"]:
            data["extensions"] = _read_extensions(child)
        else:
            raise LayoutError(f"unexpected <{name}> in an actor", child)
    order = {
        "names": names,
        "aliases": aliases,
        "affiliations": affiliations,
        "identifiers": identifiers,
    }
    data.update({key: value for key, value in order.items() if value})
    return data


def read_affiliation(relation: etree._Element, actor: dict[str, Any]) -> None:
    """Add the affiliation a <relation> after an <org> holds to that actor."""
    if relation.get("name") != "affiliation" or _pointer(relation, "active") != actor["id"]:
        raise LayoutError(
            "a <relation> after an <org> must be one of its affiliations "
            "(@name='affiliation', @active pointing to it)",
            relation,
        )
    affiliation: dict[str, Any] = {"actor": _pointer(relation, "passive")}
    for child in relation:
        if local(child) != "desc":
            raise LayoutError("unexpected element in an affiliation", child)
        affiliation["role"] = _text(child)
    _read_dates(relation, affiliation)
    actor.setdefault("affiliations", []).append(affiliation)


def _read_measure(note: etree._Element) -> dict[str, int]:
    if len(note) != 1 or local(note[0]) != "measure":
        raise LayoutError("a fatalities note holds one <measure>", note)
    figures: dict[str, int] = {}
    for key, attr in FIGURES:
        value = note[0].get(attr)
        if value is not None:
            figures[key] = _whole(value, note[0], f"@{attr} must be a whole number")
    return figures


def _whole(text: str, element: etree._Element, what: str) -> int:
    if len(text) > _MAX_DIGITS or not _WHOLE.fullmatch(text):
        raise LayoutError(f"{what}, not {text!r}", element)
    return int(text)


def _read_place(element: etree._Element) -> dict[str, Any]:
    place: dict[str, Any] = {}
    for child in element:
        name = local(child)
        if name == "placeName":
            place["name"] = _text(child)
        elif name == "idno" and child.get("type") == "geonames":
            place["geonames_id"] = _whole(_text(child), child, "a whole number expected")
        elif name == "location":
            if child.get("type") is not None:
                place["precision"] = child.get("type")
            for part in child:
                part_name = local(part)
                if part_name == "country":
                    place["country"] = _attr(part, "key")
                elif part_name == "region" and part.get("type") in ("admin1", "admin2"):
                    place[part.get("type", "")] = _text(part)
                elif part_name == "geo":
                    lat, _, lon = _text(part).partition(" ")
                    place["lat"], place["lon"] = _float(part, lat), _float(part, lon)
                else:
                    raise LayoutError(f"unexpected <{part_name}> in a location", part)
        else:
            raise LayoutError(f"unexpected <{name}> in a place", child)
    order = ("name", "country", "admin1", "admin2", "lat", "lon", "precision", "geonames_id")
    return {key: place[key] for key in order if key in place}


def _float(element: etree._Element, text: str) -> float:
    value = float(text) if _DECIMAL.fullmatch(text) else math.nan
    if not math.isfinite(value):
        raise LayoutError(f"<geo> holds 'lat lon' as two numbers, not {element.text!r}", element)
    return value


def _read_citation(cit: etree._Element) -> dict[str, Any]:  # noqa: C901 - a branch per element
    citation: dict[str, Any] = {}
    for child in cit:
        name = local(child)
        if name == "quote":
            citation["quote"] = _text(child)
        elif name == "bibl":
            for part in child:
                if local(part) == "ptr":
                    citation["source"] = _pointer(part, "target")
                elif local(part) == "citedRange":
                    citation["locator"] = _text(part)
                else:
                    raise LayoutError(f"unexpected <{local(part)}> in a citation", part)
        elif name == "ptr" and child.get("type") == "attribution":
            citation["attributed_to"] = _pointer(child, "target")
        elif name == "note" and child.get("type") == NOTES["fatalities"]:
            citation["fatalities"] = _read_measure(child)
        else:
            raise LayoutError(f"unexpected <{name}> in a citation", child)
    if "source" not in citation:
        raise LayoutError("a citation needs <bibl><ptr target='#source'/></bibl>", cit)
    if cit.get("type") is not None:
        citation["stance"] = cit.get("type")
    order = ("source", "quote", "locator", "attributed_to", "stance", "fatalities")
    return {key: citation[key] for key in order if key in citation}


def _read_when(element: etree._Element) -> dict[str, Any]:
    present = {a: element.get(a) for a in DATES}
    given = {a for a, v in present.items() if v is not None}
    if given == {"when"}:
        return {"start": present["when"]}
    if given == {"from", "to"}:
        return {"start": present["from"], "end": present["to"]}
    if given in ({"notBefore"}, {"notBefore", "notAfter"}):
        when: dict[str, Any] = {"start": present["notBefore"]}
        if present["notAfter"] is not None:
            when["end"] = present["notAfter"]
        return when | {"uncertain": True}
    raise LayoutError(
        "an event's date is @when, or @from and @to, or @notBefore (and @notAfter); "
        f"not {', '.join('@' + a for a in sorted(given)) or 'nothing'}",
        element,
    )


def _read_ana(element: etree._Element) -> str:
    statuses = [
        token[len(STATUS_ID) + 1 :]
        for token in _attr(element, "ana").split()
        if token.startswith("#" + STATUS_ID)
    ]
    if len(statuses) != 1:
        raise LayoutError(f"@ana must point to one status category (#{STATUS_ID}...)", element)
    return statuses[0]


def _read_participant(stub: etree._Element) -> dict[str, Any]:
    if local(stub) not in ("person", "org") or len(stub) != 1:
        raise LayoutError("a participant is <person>/<org> with one name @ref", stub)
    participant = {"actor": _pointer(stub[0], "ref"), "role": _attr(stub, "role")}
    if stub.get(SIDE) is not None:
        participant["side"] = stub.get(SIDE, "")
    return participant


def read_event(element: etree._Element) -> dict[str, Any]:  # noqa: C901, PLR0912 - one branch per part
    """An event from its <event>."""
    data: dict[str, Any] = {"id": element.get(ID), "type": _attr(element, "type")}
    if element.get("subtype") is not None:
        data["mode"] = element.get("subtype")
    parts: dict[str, Any] = {
        "contexts": [],
        "participants": [],
        "citations": [],
        "related": [],
        "classifications": [],
        "identifiers": {},
        "tags": [],
    }
    for child in element:
        name, kind = local(child), child.get("type")
        if name == "idno":
            parts["identifiers"][_attr(child, "type")] = _text(child)
        elif name == "label":
            data["title"] = _text(child)
        elif name == "desc":
            data["description"] = _text(child)
        elif name == "note" and kind == NOTES["contexts"]:
            parts["contexts"].append(_text(child))
        elif name == "note" and kind == NOTES["fatalities"]:
            data["fatalities"] = _read_measure(child)
        elif name == "note" and kind == NOTES["citations"]:
            for cit in child:
                if local(cit) != "cit":
                    raise LayoutError("an evidence note holds <cit> elements", cit)
                parts["citations"].append(_read_citation(cit))
        elif name == "note" and kind == NOTES["classifications"]:
            classification: dict[str, Any] = {"scheme": _attr(child, "subtype")}
            for part in child:
                key = {"term": "code", "gloss": "label"}.get(local(part))
                if key is None:
                    raise LayoutError("a classification holds <term> and <gloss>", part)
                classification[key] = _text(part)
            parts["classifications"].append(classification)
        elif name == "note" and kind == NOTES["tags"]:
            parts["tags"].append(_text(child))
        elif name == "note" and kind is None:
            data["notes"] = _text(child)
        elif name == "note" and kind == NOTES["extensions"]:
            data["extensions"] = _read_extensions(child)
        elif name == "listPerson":
            parts["participants"].extend(_read_participant(stub) for stub in child)
        elif name == "place":
            data["location"] = _read_place(child)
        elif name == "listRelation":
            for relation in child:
                if _pointer(relation, "active") != data["id"]:
                    raise LayoutError(
                        "an event's relation must have the event as @active", relation
                    )
                parts["related"].append(
                    {"event": _pointer(relation, "passive"), "relation": _attr(relation, "name")}
                )
        else:
            raise LayoutError(f"unexpected <{name}> in an event", child)
    data["when"] = _read_when(element)
    data["status"] = _read_ana(element)
    order = (
        "id", "type", "mode", "contexts", "title", "description", "when", "location",
        "participants", "fatalities", "status", "citations", "related", "classifications",
        "identifiers", "tags", "notes", "extensions",
    )  # fmt: skip
    merged = {**data, **{k: v for k, v in parts.items() if v or k == "participants"}}
    return {key: merged[key] for key in order if key in merged}


# The attributes each element of a record may have; any other would be lost.
