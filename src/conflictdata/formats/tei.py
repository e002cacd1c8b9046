"""TEI-XML: a TEI P5 document whose ``standOff`` holds the records.

Layout (``docs/formats/tei.md`` has the full table)::

    TEI
      teiHeader      metadata; event type and status taxonomies; schema version
      standOff
        listBibl     sources: bibl[@xml:id]
        listPerson   actors of kind "person": person[@xml:id]
        listOrg      all other actors: org[@xml:id][@type], then their
                     affiliations as relation[@name="affiliation"]
        listEvent    events: event[@xml:id], grouped by year and month

Every list holds at most :data:`GROUP_SIZE` entries and nests inside a list
of the same kind, because RELAX NG validation slows down sharply on long
flat lists. Records are written one by one with :class:`lxml.etree.xmlfile`,
so memory stays flat however many there are.

Reading is strict and safe: a DTD, an entity or an element the layout does
not have is an error, never silently dropped; nothing outside the file is
ever fetched.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterator
from typing import Any, BinaryIO

from lxml import etree

from .._errors import InputError
from .._ids import IdIndex
from .._report import Problem
from ..model import SCHEMA_VERSION
from ._base import Decoded, Format, Item, header_of, read_items, write_document
from .json import loads as _json_loads

__all__ = [
    "GROUP_SIZE",
    "MAX_DEPTH",
    "MAX_RECORD_ELEMENTS",
    "PROLOG_LIMIT",
    "TEI_NS",
    "Writer",
    "iter_items",
    "read",
    "write",
]

#: The TEI namespace.
TEI_NS = "http://www.tei-c.org/ns/1.0"
_XML_NS = "http://www.w3.org/XML/1998/namespace"
_ID = f"{{{_XML_NS}}}id"
_LANG = f"{{{_XML_NS}}}lang"
_T = f"{{{TEI_NS}}}"

#: Most entries in one list element; lists of lists hold as many lists.
GROUP_SIZE = 250
#: Deepest element nesting read; the layout needs about 10 levels.
MAX_DEPTH = 40
#: Most elements in one record; more is an ``input.size`` problem.
MAX_RECORD_ELEMENTS = 100_000

# Generated ids (taxonomy categories) contain U+00B7, which XML names allow
# and record ids cannot hold: they never collide with a record's id.
_TYPE_ID = "type\u00b7"
_STATUS_ID = "status\u00b7"

_QUAD = {
    "verbal cooperation": ("AGREE", "CONSULT", "SUPPORT", "CONCEDE"),
    "material cooperation": ("COOPERATE", "AID", "RETREAT"),
    "verbal conflict": ("REQUEST", "ACCUSE", "REJECT", "THREATEN", "SANCTION"),
    "material conflict": ("PROTEST", "MOBILIZE", "COERCE", "ASSAULT"),
}
_STATUS_DESC = {
    "confirmed": "established by independent evidence",
    "reported": "reported by sources, not independently established",
    "unconfirmed": "claimed, and not confirmed",
    "disputed": "accounts of the event conflict",
    "denied": "denied by those said to be involved",
}


# --------------------------------------------------------------------------
# Writing


def _el(
    parent: etree._Element, tag: str, text: str | None = None, **attrib: str
) -> etree._Element:
    child = etree.SubElement(parent, _T + tag, attrib)
    if text is not None:
        child.text = text
    return child


def _root(tag: str, record_id: str | None = None, **attrib: str) -> etree._Element:
    element = etree.Element(_T + tag, nsmap={None: TEI_NS})
    # The id first: it is what a reader of the file looks for.
    if record_id is not None:
        element.set(_ID, record_id)
    for name, value in attrib.items():
        element.set(name, value)
    return element


def _json_text(value: Any) -> str:
    # Extension data is free JSON; escapes keep characters XML cannot hold.
    return json.dumps(value, ensure_ascii=False, allow_nan=False)


def _idnos(parent: etree._Element, identifiers: dict[str, str]) -> None:
    for scheme, value in identifiers.items():
        _el(parent, "idno", value, type=scheme)


def _extensions(parent: etree._Element, record: dict[str, Any]) -> None:
    if record.get("extensions"):
        _el(parent, "note", _json_text(record["extensions"]), type="extensions")


def _header(header: dict[str, Any]) -> etree._Element:
    meta = header.get("metadata", {})
    root = _root("teiHeader")
    file_desc = _el(root, "fileDesc")
    title_stmt = _el(file_desc, "titleStmt")
    _el(title_stmt, "title", meta.get("title", ""))
    for creator in meta.get("creators", ()):
        _el(title_stmt, "author", creator)
    if "version" in meta:
        _el(_el(file_desc, "editionStmt"), "edition", meta["version"])
    publication = _el(file_desc, "publicationStmt")
    if "license" in meta:
        # The licence needs an agency before it; the creators are it.
        _el(publication, "authority", "; ".join(meta.get("creators", ())))
        _el(_el(publication, "availability"), "licence", meta["license"])
    else:
        _el(publication, "p", "Not published.")
    _el(
        _el(file_desc, "sourceDesc"),
        "p",
        "Events coded from the sources listed in the standOff.",
    )
    encoding = _el(root, "encodingDesc")
    if "description" in meta:
        _el(_el(encoding, "projectDesc"), "p", meta["description"])
    application = _el(
        _el(encoding, "appInfo"),
        "application",
        ident="conflictdata",
        version=str(header.get("schema_version", SCHEMA_VERSION)),
    )
    _el(application, "label", "conflictdata data model")
    class_decl = _el(encoding, "classDecl")
    types = _el(class_decl, "taxonomy")
    _el(types, "desc", "Event types (PLOVER)")
    for quad, codes in _QUAD.items():
        for code in codes:
            category = _el(types, "category")
            category.set(_ID, _TYPE_ID + code)
            _el(category, "catDesc", f"{code} ({quad})")
    statuses = _el(class_decl, "taxonomy")
    _el(statuses, "desc", "How well an event is established")
    for status, description in _STATUS_DESC.items():
        category = _el(statuses, "category")
        category.set(_ID, _STATUS_ID + status)
        _el(category, "catDesc", f"{status}: {description}")
    if "created" in meta:
        _el(_el(_el(root, "profileDesc"), "creation"), "date", when=meta["created"])
    return root


def _source(data: dict[str, Any]) -> etree._Element:
    bibl = _root("bibl", data["id"], type=data["kind"])
    _el(bibl, "title", data["title"])
    for author in data.get("authors", ()):
        _el(bibl, "author", author)
    if "publisher" in data:
        _el(bibl, "publisher", data["publisher"])
    for key in ("published", "accessed"):
        if key in data:
            _el(bibl, "date", type=key, when=data[key])
    if "url" in data:
        _el(bibl, "ptr", target=data["url"])
    if "language" in data:
        _el(bibl, "textLang", mainLang=data["language"])
    _idnos(bibl, data.get("identifiers", {}))
    if "notes" in data:
        _el(bibl, "note", data["notes"])
    _extensions(bibl, data)
    return bibl


def _actor(data: dict[str, Any]) -> tuple[etree._Element, list[etree._Element]]:
    """The actor's element, and the relations that follow it (orgs' affiliations)."""
    person = data["kind"] == "person"
    if person:
        element = _root("person", data["id"])
        name_tag = "persName"
    else:
        element = _root("org", data["id"], type=data["kind"])
        name_tag = "orgName"
    _el(element, name_tag, data["name"])
    for language, name in data.get("names", {}).items():
        _el(element, name_tag, name).set(_LANG, language)
    for alias in data.get("aliases", ()):
        _el(element, name_tag, alias, type="alias")
    _idnos(element, data.get("identifiers", {}))
    if "country" in data:
        _el(element, "nationality" if person else "country", key=data["country"])
    relations: list[etree._Element] = []
    for affiliation in data.get("affiliations", ()):
        dates = {
            attr: affiliation[key]
            for key, attr in (("start", "from"), ("end", "to"))
            if key in affiliation
        }
        if person:
            _el(
                element,
                "affiliation",
                affiliation.get("role"),
                ref="#" + affiliation["actor"],
                **dates,
            )
        else:
            # <org> cannot hold <affiliation>; <listOrg> takes relations.
            relation = _root(
                "relation",
                name="affiliation",
                active="#" + data["id"],
                passive="#" + affiliation["actor"],
                **dates,
            )
            if "role" in affiliation:
                _el(relation, "desc", affiliation["role"])
            relations.append(relation)
    if "description" in data:
        _el(element, "note", data["description"], type="description")
    _extensions(element, data)
    return element, relations


def _when_attributes(when: dict[str, Any]) -> dict[str, str]:
    # TEI forbids @when beside @from/@to/@notBefore/@notAfter.
    start, end = when["start"], when.get("end")
    if when.get("uncertain"):
        return {"notBefore": start} | ({"notAfter": end} if end else {})
    if end is None:
        return {"when": start}
    return {"from": start, "to": end}


def _measure(parent: etree._Element, figures: dict[str, int]) -> None:
    attrib = {"type": "killed", "unit": "person"}
    for key, attr in (("best", "quantity"), ("low", "atLeast"), ("high", "atMost")):
        if key in figures:
            attrib[attr] = str(figures[key])
    _el(_el(parent, "note", type="fatalities"), "measure", **attrib)


def _place(parent: etree._Element, place: dict[str, Any]) -> None:
    element = _el(parent, "place")
    _el(element, "placeName", place["name"])
    if any(key in place for key in ("precision", "country", "admin1", "admin2", "lat")):
        location = _el(element, "location")
        if "precision" in place:
            location.set("type", place["precision"])
        if "country" in place:
            _el(location, "country", key=place["country"])
        for level in ("admin1", "admin2"):
            if level in place:
                _el(location, "region", place[level], type=level)
        if "lat" in place:
            _el(location, "geo", f"{place['lat']!r} {place['lon']!r}")
    # <idno> follows the place's description, as <place> requires.
    if "geonames_id" in place:
        _el(element, "idno", str(place["geonames_id"]), type="geonames")


def _citation(parent: etree._Element, citation: dict[str, Any]) -> None:
    cit = _el(parent, "cit")
    if "stance" in citation:
        cit.set("type", citation["stance"])
    if "quote" in citation:
        _el(cit, "quote", citation["quote"])
    bibl = _el(cit, "bibl")
    _el(bibl, "ptr", target="#" + citation["source"])
    if "locator" in citation:
        _el(bibl, "citedRange", citation["locator"])
    if "attributed_to" in citation:
        _el(cit, "ptr", type="attribution", target="#" + citation["attributed_to"])
    if "fatalities" in citation:
        _measure(cit, citation["fatalities"])


def _participants(
    event: etree._Element, participants: list[dict[str, Any]], stub_of: IdIndex
) -> None:
    if not participants:
        return
    stubs = _el(event, "listPerson", type="participants")
    for participant in participants:
        actor = participant["actor"]
        # Actors written before are known; any other is taken for an <org>.
        tag = "person" if stub_of.get(actor) == "person" else "org"
        stub = _el(stubs, tag, role=participant["role"])
        _el(stub, "persName" if tag == "person" else "orgName", ref="#" + actor)


def _relations(event: etree._Element, data: dict[str, Any]) -> None:
    if not data.get("related"):
        return
    relations = _el(event, "listRelation")
    for link in data["related"]:
        _el(
            relations,
            "relation",
            name=link["relation"],
            active="#" + data["id"],
            passive="#" + link["event"],
        )


def _event(data: dict[str, Any], stub_of: IdIndex) -> etree._Element:  # noqa: C901 - flat
    ana = f"#{_TYPE_ID}{data['type']} #{_STATUS_ID}{data['status']}"
    sources = dict.fromkeys("#" + c["source"] for c in data["citations"])
    event = _root(
        "event",
        data["id"],
        type=data["type"],
        ana=ana,
        source=" ".join(sources),
        **_when_attributes(data["when"]),
    )
    if "mode" in data:
        event.set("subtype", data["mode"])
    _idnos(event, data.get("identifiers", {}))
    _el(event, "label", data["title"])
    if "description" in data:
        _el(event, "desc", data["description"])
    for context in data.get("contexts", ()):
        _el(event, "note", context, type="context")
    if "fatalities" in data:
        _measure(event, data["fatalities"])
    evidence = _el(event, "note", type="evidence")
    for citation in data["citations"]:
        _citation(evidence, citation)
    for classification in data.get("classifications", ()):
        note = _el(event, "note", type="classification", subtype=classification["scheme"])
        _el(note, "term", classification["code"])
        if "label" in classification:
            _el(note, "gloss", classification["label"])
    for tag in data.get("tags", ()):
        _el(event, "note", tag, type="tag")
    if "notes" in data:
        _el(event, "note", data["notes"])
    _extensions(event, data)
    _participants(event, data["participants"], stub_of)
    if "location" in data:
        _place(event, data["location"])
    _relations(event, data)
    return event


class _Group:
    """An open list element, possibly inside an open list of lists."""

    def __init__(self, writer: Any, tag: str, outer: str | None) -> None:
        self.tag = tag
        self.outer_key = outer
        self.inner_key: str | None = None
        self._xf = writer
        self._outer = writer.element(_T + tag, {"n": outer} if outer else {})
        self._outer.__enter__()
        self._inner: Any = None
        self.lists = 0
        self.entries = 0

    def open_inner(self, key: str | None) -> None:
        self.close_inner()
        self._xf.write("\n")
        self._inner = self._xf.element(_T + self.tag, {"n": key} if key else {})
        self._inner.__enter__()
        self.inner_key = key
        self.lists += 1
        self.entries = 0

    @property
    def has_inner(self) -> bool:
        return self._inner is not None

    def close_inner(self) -> None:
        if self._inner is not None:
            self._inner.__exit__(None, None, None)
            self._inner = None

    def close(self) -> None:
        self.close_inner()
        self._xf.write("\n")
        self._outer.__exit__(None, None, None)


class Writer:
    """Writes a TEI document record by record, in bounded memory."""

    def __init__(self, stream: BinaryIO, header: dict[str, Any]) -> None:
        self._file = etree.xmlfile(stream, encoding="utf-8")
        self._xf = self._file.__enter__()
        self._xf.write_declaration()
        self._tei = self._xf.element(_T + "TEI", nsmap={None: TEI_NS})
        self._tei.__enter__()
        self._xf.write("\n")
        self._xf.write(_header(header), pretty_print=True)
        self._stand_off: Any = None
        self._group: _Group | None = None
        self._kinds = IdIndex()

    def write(self, kind: str, data: dict[str, Any]) -> None:
        """Write one plain record of ``kind``."""
        after: list[etree._Element] = []
        if kind == "source":
            tag, outer, inner = "listBibl", None, None
            element = _source(data)
        elif kind == "actor":
            self._kinds.add(data["id"], data["kind"])
            tag = "listPerson" if data["kind"] == "person" else "listOrg"
            outer = inner = None
            element, after = _actor(data)
        else:
            start = data["when"]["start"]
            tag, outer, inner = "listEvent", start[:4], start[:7]
            element = _event(data, self._kinds)
        group = self._group_for(tag, outer, inner)
        self._xf.write("\n")
        self._xf.write(element, pretty_print=True)
        for relation in after:
            self._xf.write("\n")
            self._xf.write(relation, pretty_print=True)
        group.entries += 1

    def _group_for(self, tag: str, outer: str | None, inner: str | None) -> _Group:
        group = self._group
        if group is None or group.tag != tag or group.outer_key != outer:
            group = self._new_group(tag, outer)
        if not group.has_inner or group.inner_key != inner or group.entries >= GROUP_SIZE:
            if group.lists >= GROUP_SIZE:
                group = self._new_group(tag, outer)
            group.open_inner(inner)
        return group

    def _new_group(self, tag: str, outer: str | None) -> _Group:
        if self._group is not None:
            self._group.close()
        elif self._stand_off is None:
            self._stand_off = self._xf.element(_T + "standOff")
            self._stand_off.__enter__()
        self._xf.write("\n")
        self._group = _Group(self._xf, tag, outer)
        return self._group

    def close(self) -> list[Problem]:
        """Finish the document; TEI holds everything, so nothing is reported."""
        if self._group is not None:
            self._group.close()
        if self._stand_off is None:
            # standOff needs content; a dataset with no records says so.
            self._xf.write("\n")
            stand_off = _root("standOff")
            _el(_el(stand_off, "listRelation", type="empty"), "p", "This dataset has no records.")
            self._xf.write(stand_off, pretty_print=False)
        else:
            self._xf.write("\n")
            self._stand_off.__exit__(None, None, None)
        self._xf.write("\n")
        self._tei.__exit__(None, None, None)
        self._file.__exit__(None, None, None)
        self._kinds.close()
        return []

    def abort(self) -> None:
        """Drop the id index; whoever owns the stream discards what was written."""
        self._kinds.close()


def write(data: dict[str, Any], stream: BinaryIO) -> list[Problem]:
    """Write a whole plain document as TEI."""
    return write_document(Writer(stream, header_of(data)), data)


# --------------------------------------------------------------------------
# Reading


class _LayoutError(InputError):
    """TEI that is well-formed XML but not laid out as conflictdata writes it."""

    def __init__(self, message: str, element: etree._Element) -> None:
        super().__init__("input.tei-layout", message, location=_where(element))


def _where(element: etree._Element) -> str:
    name = etree.QName(element).localname
    record: etree._Element | None = element
    while record is not None and record.get(_ID) is None:
        record = record.getparent()
    inside = (
        f" in <{etree.QName(record).localname} xml:id={record.get(_ID)!r}>"
        if record is not None and record is not element
        else ""
    )
    own = f" xml:id={element.get(_ID)!r}" if element.get(_ID) else ""
    return f"line {element.sourceline}, <{name}{own}>{inside}"


def _local(element: etree._Element) -> str:
    tag = element.tag
    if not isinstance(tag, str) or not tag.startswith(_T):
        raise _LayoutError(f"unexpected node {tag!r}: only TEI elements belong here", element)
    return tag[len(_T) :]


def _text(element: etree._Element) -> str:
    if len(element):
        raise _LayoutError("text expected, not elements", element)
    text = element.text or ""
    if not text:
        raise _LayoutError("empty text", element)
    # Text is read in NFC, as every reader does.
    return text if text.isascii() else unicodedata.normalize("NFC", text)


def _attr(element: etree._Element, name: str) -> str:
    value = element.get(name)
    if value is None:
        raise _LayoutError(f"missing @{name}", element)
    return value


def _pointer(element: etree._Element, name: str) -> str:
    value = _attr(element, name)
    if not value.startswith("#") or " " in value:
        raise _LayoutError(f"@{name} must point to one record: '#id', not {value!r}", element)
    return value[1:]


def _read_extensions(element: etree._Element) -> dict[str, Any]:
    try:
        value = _json_loads(_text(element))
    except InputError as exc:
        raise _LayoutError(f"extension data is not JSON: {exc.message}", element) from None
    if not isinstance(value, dict):
        raise _LayoutError("extension data must be a JSON object", element)
    return value


def _read_header(root: etree._Element) -> dict[str, Any]:  # noqa: C901 - a branch per element
    meta: dict[str, Any] = {}
    version: str | None = None
    creators: list[str] = []
    for element in root.iter(_T + "*"):
        name = etree.QName(element).localname
        above = element.getparent()
        parent = "" if above is None else etree.QName(above).localname
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
        raise _LayoutError(
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


def _read_source(element: etree._Element) -> dict[str, Any]:  # noqa: C901, PLR0912 - a branch per element
    data: dict[str, Any] = {"id": element.get(_ID), "kind": _attr(element, "type")}
    authors: list[str] = []
    identifiers: dict[str, str] = {}
    for child in element:
        name = _local(child)
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
        elif name == "idno":
            identifiers[_attr(child, "type")] = _text(child)
        elif name == "note" and child.get("type") is None:
            data["notes"] = _text(child)
        elif name == "note" and child.get("type") == "extensions":
            data["extensions"] = _read_extensions(child)
        else:
            raise _LayoutError(f"unexpected <{name}> in a source", child)
    if authors:
        data["authors"] = authors
    if identifiers:
        data["identifiers"] = identifiers
    return data


def _read_dates(element: etree._Element, data: dict[str, Any]) -> None:
    for attr, key in (("from", "start"), ("to", "end")):
        if element.get(attr) is not None:
            data[key] = element.get(attr)


def _read_actor(element: etree._Element) -> dict[str, Any]:  # noqa: C901 - a branch per element
    person = _local(element) == "person"
    data: dict[str, Any] = {
        "id": element.get(_ID),
        "kind": "person" if person else _attr(element, "type"),
    }
    name_tag = "persName" if person else "orgName"
    names: dict[str, str] = {}
    aliases: list[str] = []
    identifiers: dict[str, str] = {}
    affiliations: list[dict[str, Any]] = []
    for child in element:
        name = _local(child)
        if name == name_tag and child.get("type") == "alias":
            aliases.append(_text(child))
        elif name == name_tag and child.get(_LANG) is not None:
            names[child.get(_LANG, "")] = _text(child)
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
        elif name == "note" and child.get("type") == "description":
            data["description"] = _text(child)
        elif name == "note" and child.get("type") == "extensions":
            data["extensions"] = _read_extensions(child)
        else:
            raise _LayoutError(f"unexpected <{name}> in an actor", child)
    order = {
        "names": names,
        "aliases": aliases,
        "affiliations": affiliations,
        "identifiers": identifiers,
    }
    data.update({key: value for key, value in order.items() if value})
    return data


def _read_affiliation(relation: etree._Element, actor: dict[str, Any]) -> None:
    if relation.get("name") != "affiliation" or _pointer(relation, "active") != actor["id"]:
        raise _LayoutError(
            "a <relation> after an <org> must be one of its affiliations "
            "(@name='affiliation', @active pointing to it)",
            relation,
        )
    affiliation: dict[str, Any] = {"actor": _pointer(relation, "passive")}
    for child in relation:
        if _local(child) != "desc":
            raise _LayoutError("unexpected element in an affiliation", child)
        affiliation["role"] = _text(child)
    _read_dates(relation, affiliation)
    actor.setdefault("affiliations", []).append(affiliation)


def _read_measure(note: etree._Element) -> dict[str, int]:
    if len(note) != 1 or _local(note[0]) != "measure":
        raise _LayoutError("a fatalities note holds one <measure>", note)
    figures: dict[str, int] = {}
    for key, attr in (("best", "quantity"), ("low", "atLeast"), ("high", "atMost")):
        value = note[0].get(attr)
        if value is not None:
            try:
                figures[key] = int(value)
            except ValueError:
                raise _LayoutError(
                    f"@{attr} must be a whole number, not {value!r}", note[0]
                ) from None
    return figures


def _read_place(element: etree._Element) -> dict[str, Any]:
    place: dict[str, Any] = {}
    for child in element:
        name = _local(child)
        if name == "placeName":
            place["name"] = _text(child)
        elif name == "idno" and child.get("type") == "geonames":
            place["geonames_id"] = _number(child, int)
        elif name == "location":
            if child.get("type") is not None:
                place["precision"] = child.get("type")
            for part in child:
                part_name = _local(part)
                if part_name == "country":
                    place["country"] = _attr(part, "key")
                elif part_name == "region" and part.get("type") in ("admin1", "admin2"):
                    place[part.get("type", "")] = _text(part)
                elif part_name == "geo":
                    lat, _, lon = _text(part).partition(" ")
                    place["lat"], place["lon"] = _float(part, lat), _float(part, lon)
                else:
                    raise _LayoutError(f"unexpected <{part_name}> in a location", part)
        else:
            raise _LayoutError(f"unexpected <{name}> in a place", child)
    order = ("name", "country", "admin1", "admin2", "lat", "lon", "precision", "geonames_id")
    return {key: place[key] for key in order if key in place}


def _number(element: etree._Element, kind: type[int]) -> int:
    try:
        return kind(_text(element))
    except ValueError:
        raise _LayoutError("a whole number expected", element) from None


def _float(element: etree._Element, text: str) -> float:
    try:
        return float(text)
    except ValueError:
        raise _LayoutError(
            f"<geo> holds 'lat lon' as two numbers, not {element.text!r}", element
        ) from None


def _read_citation(cit: etree._Element) -> dict[str, Any]:  # noqa: C901 - a branch per element
    citation: dict[str, Any] = {}
    for child in cit:
        name = _local(child)
        if name == "quote":
            citation["quote"] = _text(child)
        elif name == "bibl":
            for part in child:
                if _local(part) == "ptr":
                    citation["source"] = _pointer(part, "target")
                elif _local(part) == "citedRange":
                    citation["locator"] = _text(part)
                else:
                    raise _LayoutError(f"unexpected <{_local(part)}> in a citation", part)
        elif name == "ptr" and child.get("type") == "attribution":
            citation["attributed_to"] = _pointer(child, "target")
        elif name == "note" and child.get("type") == "fatalities":
            citation["fatalities"] = _read_measure(child)
        else:
            raise _LayoutError(f"unexpected <{name}> in a citation", child)
    if "source" not in citation:
        raise _LayoutError("a citation needs <bibl><ptr target='#source'/></bibl>", cit)
    if cit.get("type") is not None:
        citation["stance"] = cit.get("type")
    order = ("source", "quote", "locator", "attributed_to", "stance", "fatalities")
    return {key: citation[key] for key in order if key in citation}


def _read_when(element: etree._Element) -> dict[str, Any]:
    present = {a: element.get(a) for a in ("when", "from", "to", "notBefore", "notAfter")}
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
    raise _LayoutError(
        "an event's date is @when, or @from and @to, or @notBefore (and @notAfter); "
        f"not {', '.join('@' + a for a in sorted(given)) or 'nothing'}",
        element,
    )


def _read_ana(element: etree._Element) -> str:
    statuses = [
        token[len(_STATUS_ID) + 1 :]
        for token in _attr(element, "ana").split()
        if token.startswith("#" + _STATUS_ID)
    ]
    if len(statuses) != 1:
        raise _LayoutError(f"@ana must point to one status category (#{_STATUS_ID}...)", element)
    return statuses[0]


def _read_event(element: etree._Element) -> dict[str, Any]:  # noqa: C901, PLR0912 - one branch per part
    data: dict[str, Any] = {"id": element.get(_ID), "type": _attr(element, "type")}
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
        name, kind = _local(child), child.get("type")
        if name == "idno":
            parts["identifiers"][_attr(child, "type")] = _text(child)
        elif name == "label":
            data["title"] = _text(child)
        elif name == "desc":
            data["description"] = _text(child)
        elif name == "note" and kind == "context":
            parts["contexts"].append(_text(child))
        elif name == "note" and kind == "fatalities":
            data["fatalities"] = _read_measure(child)
        elif name == "note" and kind == "evidence":
            for cit in child:
                if _local(cit) != "cit":
                    raise _LayoutError("an evidence note holds <cit> elements", cit)
                parts["citations"].append(_read_citation(cit))
        elif name == "note" and kind == "classification":
            classification: dict[str, Any] = {"scheme": _attr(child, "subtype")}
            for part in child:
                key = {"term": "code", "gloss": "label"}.get(_local(part))
                if key is None:
                    raise _LayoutError("a classification holds <term> and <gloss>", part)
                classification[key] = _text(part)
            parts["classifications"].append(classification)
        elif name == "note" and kind == "tag":
            parts["tags"].append(_text(child))
        elif name == "note" and kind is None:
            data["notes"] = _text(child)
        elif name == "note" and kind == "extensions":
            data["extensions"] = _read_extensions(child)
        elif name == "listPerson":
            for stub in child:
                if _local(stub) not in ("person", "org") or len(stub) != 1:
                    raise _LayoutError("a participant is <person>/<org> with one name @ref", stub)
                parts["participants"].append(
                    {"actor": _pointer(stub[0], "ref"), "role": _attr(stub, "role")}
                )
        elif name == "place":
            data["location"] = _read_place(child)
        elif name == "listRelation":
            for relation in child:
                if _pointer(relation, "active") != data["id"]:
                    raise _LayoutError(
                        "an event's relation must have the event as @active", relation
                    )
                parts["related"].append(
                    {"event": _pointer(relation, "passive"), "relation": _attr(relation, "name")}
                )
        else:
            raise _LayoutError(f"unexpected <{name}> in an event", child)
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
_DATES = {"when", "from", "to", "notBefore", "notAfter"}
_ATTRIBUTES: dict[str, set[str]] = {
    "bibl": {_ID, "type"},
    "date": {"type", "when"},
    "ptr": {"target", "type"},
    "textLang": {"mainLang"},
    "idno": {"type"},
    "note": {"type", "subtype"},
    "person": {_ID, "role"},
    "org": {_ID, "type", "role"},
    "persName": {_LANG, "type", "ref"},
    "orgName": {_LANG, "type", "ref"},
    "nationality": {"key"},
    "country": {"key"},
    "affiliation": {"ref", "from", "to"},
    "relation": {"name", "active", "passive", "from", "to"},
    "event": {_ID, "type", "subtype", "ana", "source", *_DATES},
    "cit": {"type"},
    "measure": {"type", "unit", "quantity", "atLeast", "atMost"},
    "listPerson": {"type"},
    "location": {"type"},
    "region": {"type"},
    "listBibl": {"n"},
    "listOrg": {"n"},
    "listEvent": {"n"},
    "listRelation": {"type"},
}


_ALLOWED = {_T + name: frozenset(allowed) for name, allowed in _ATTRIBUTES.items()}
_NONE: frozenset[str] = frozenset()


def _check_attributes(element: etree._Element) -> None:
    keys = element.keys()
    if keys and not _ALLOWED.get(str(element.tag), _NONE).issuperset(keys):
        extra = set(keys) - _ALLOWED.get(str(element.tag), _NONE)
        shown = ", ".join(sorted("@" + etree.QName(a).localname for a in extra))
        raise _LayoutError(f"unexpected attribute {shown} (it would be lost)", element)


_RECORDS = {"bibl": "source", "person": "actor", "org": "actor", "event": "event"}
_READERS = {"source": _read_source, "actor": _read_actor, "event": _read_event}
_LISTS = {"listBibl": "bibl", "listPerson": "person", "listOrg": "org", "listEvent": "event"}


def _parser(stream: _Replay) -> Any:
    return etree.iterparse(
        stream,
        events=("end",),
        resolve_entities=False,
        load_dtd=False,
        no_network=True,
        dtd_validation=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
    )


def _syntax_error(exc: etree.XMLSyntaxError) -> InputError:
    line, column = exc.position
    # libxml2's own limits (text nodes over 10 MB, nesting over 256 levels,
    # entity amplification) are size and depth problems, not syntax.
    message = str(exc.msg)
    code = "input.syntax"
    if "huge" in message.lower() or "amplification" in message.lower():
        code = "input.size"
    elif "depth" in message.lower():
        code = "input.depth"
    return InputError(code, message, location=f"line {max(line, 1)}, column {column}")


_STAND_OFF = _T + "standOff"
_NO_ITEMS: list[Item] = []
_LIST_TAGS = {_T + name: name for name in _LISTS}


class _Walk:
    """The state of one pass over a TEI document's elements, as each one ends."""

    def __init__(self) -> None:
        #: An <org> held back until the relations (affiliations) after it are read.
        self.pending: Item | None = None
        self.header_done = False
        self.started = False
        #: Elements ended since the last record: bounds what one record may hold.
        self.elements = 0

    def end(self, element: etree._Element) -> list[Item]:
        """The items that ``element`` ending completes (most often none)."""
        if not self.started:
            _check_prolog(element.getroottree().getroot())
            self.started = True
        self.elements += 1
        if self.elements > MAX_RECORD_ELEMENTS:
            raise InputError(
                "input.size",
                f"a record with more than {MAX_RECORD_ELEMENTS} elements",
                location=_where(element),
            )
        parent = element.getparent()
        if parent is None:
            return _NO_ITEMS
        above = parent.tag
        if above == _T + "TEI":
            items = list(self._top(element))
        elif above == _STAND_OFF or above in _LIST_TAGS:
            lists = self._lists_to_stand_off(parent)
            if lists is None:
                return _NO_ITEMS  # a list inside a record (participants): read with it
            items = list(self._entry(_local(element), lists, element))
        else:
            return _NO_ITEMS  # inside a record or the header: read with it
        self.elements = 0
        element.clear()
        # Drop what was read, so memory stays flat.
        while element.getprevious() is not None:
            del parent[0]
        return items

    def _top(self, element: etree._Element) -> Iterator[Item]:
        name = _local(element)
        if name == "teiHeader" and not self.header_done:
            yield "dataset", _read_header(element), _where(element), False
            self.header_done = True
        elif name != "standOff" or not self.header_done:
            raise _LayoutError(
                f"<TEI> holds one <teiHeader> then a <standOff>, not <{name}>", element
            )
        if self.pending is not None:
            yield self.pending
            self.pending = None

    @staticmethod
    def _lists_to_stand_off(parent: etree._Element) -> list[str] | None:
        """The list names from <standOff> down to ``parent``; None if not in one."""
        lists: list[str] = []
        node: etree._Element | None = parent
        while node is not None and node.tag in _LIST_TAGS:
            lists.append(_LIST_TAGS[str(node.tag)])
            node = node.getparent()
        if node is None or node.tag != _STAND_OFF:
            return None
        if len(lists) > MAX_DEPTH:
            raise InputError(
                "input.depth", f"lists nested deeper than {MAX_DEPTH}", location=_where(parent)
            )
        return lists[::-1]

    def _entry(  # noqa: C901 - one branch per kind of entry
        self, name: str, lists: list[str], element: etree._Element
    ) -> Iterator[Item]:
        """An element that ended directly in <standOff> or in one of its lists."""
        if self.pending is not None and (name != "relation" or lists[-1:] != ["listOrg"]):
            yield self.pending
            self.pending = None
        if name in _LISTS and (not lists or lists[-1] == name):
            _check_attributes(element)
            return  # a list, or a list of lists, has ended
        if not lists:
            if name != "listRelation" or element.get("type") != "empty":
                raise _LayoutError(f"unexpected <{name}> in <standOff>", element)
            return
        for part in element.iter():
            _check_attributes(part)
        if name == "relation" and lists[-1] == "listOrg":
            if self.pending is None:
                raise _LayoutError("a <relation> must follow the <org> it belongs to", element)
            _read_affiliation(element, self.pending[1])
        elif name != _LISTS[lists[-1]]:
            raise _LayoutError(f"unexpected <{name}> in <{lists[-1]}>", element)
        else:
            kind = _RECORDS[name]
            if element.get(_ID) is None:
                raise _LayoutError(f"a {kind} needs an xml:id", element)
            item = (kind, _READERS[kind](element), _where(element), False)
            if name == "org":
                self.pending = item
            else:
                yield item


#: How much of a file's start is searched for the root element.
PROLOG_LIMIT = 1024 * 1024
_DECLARED_ENCODING = re.compile(rb"""encoding\s*=\s*["']([A-Za-z0-9._-]+)["']""")


class _Replay:
    """A stream that gives the bytes already read again, then the rest."""

    def __init__(self, head: bytes, stream: BinaryIO) -> None:
        self._head = head
        self._stream = stream

    def read(self, size: int = -1) -> bytes:
        if not self._head:
            return self._stream.read(size)
        if size < 0:
            data, self._head = self._head + self._stream.read(), b""
            return data
        data, self._head = self._head[:size], self._head[size:]
        return data


def _screen(stream: BinaryIO) -> _Replay:
    """Refuse a DOCTYPE, or text that is not UTF-8, before the parser sees anything.

    libxml2 would read a DTD (and count its entities) before the first
    element: refusing it here means no declaration is ever processed.
    """
    head = b""
    while True:
        chunk = stream.read(64 * 1024)
        head += chunk
        verdict = _prolog(head)
        if verdict is not None or not chunk or len(head) > PROLOG_LIMIT:
            break
    if verdict is not None and verdict >= 0:
        line = head.count(b"\n", 0, verdict) + 1
        raise InputError(
            "input.xml-forbidden",
            "the file has a DOCTYPE (a DTD or entity declarations), which is refused: "
            "it could read other files or expand without bound",
            location=f"line {line}",
        )
    return _Replay(head, stream)


def _prolog(head: bytes) -> int | None:
    """Where a DOCTYPE starts, -1 if the root element comes first, None if unknown yet."""
    if head.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in head[:4]:
        raise InputError("input.encoding", "TEI files are read as UTF-8", location="line 1")
    i = 3 if head.startswith(b"\xef\xbb\xbf") else 0
    while True:
        while i < len(head) and head[i] in b" \t\r\n":
            i += 1
        if head.startswith(b"<?", i) or head.startswith(b"<!--", i):
            close = b"?>" if head.startswith(b"<?", i) else b"-->"
            end = head.find(close, i)
            if end < 0:
                return None
            if head.startswith(b"<?xml", i):
                _check_declaration(head[i:end])
            i = end + len(close)
            continue
        if len(head) - i < 4:
            return None
        # In the prolog, "<!" not opening a comment can only be a DOCTYPE.
        return i if head.startswith(b"<!", i) else -1


def _check_declaration(declaration: bytes) -> None:
    found = _DECLARED_ENCODING.search(declaration)
    if found and found.group(1).lower() not in (b"utf-8", b"utf8"):
        raise InputError(
            "input.encoding",
            f"TEI files are read as UTF-8, not {found.group(1).decode('ascii')}",
            location="line 1",
        )


def iter_items(stream: BinaryIO) -> Iterator[Item]:
    """The header, then each record of a TEI document, with where it is."""
    walk = _Walk()
    parser = iter(_parser(_screen(stream)))
    while True:
        try:
            _, element = next(parser)
        except StopIteration:
            break
        except etree.XMLSyntaxError as exc:
            raise _syntax_error(exc) from None
        items = walk.end(element)
        if items:
            yield from items
    if walk.pending is not None:
        yield walk.pending
    if not walk.header_done:
        raise InputError(
            "input.tei-layout", "no <teiHeader>: not a conflictdata TEI file", location="line 1"
        )


def _check_prolog(root: etree._Element) -> None:
    # _screen refuses a DOCTYPE in the first PROLOG_LIMIT bytes; one behind a
    # longer prolog reaches the parser, which neither loads nor expands it,
    # and is refused here, before any element is read.
    info = root.getroottree().docinfo
    if info.doctype or info.internalDTD is not None or info.externalDTD is not None:
        raise InputError(
            "input.xml-forbidden",
            "the file has a DOCTYPE (a DTD or entity declarations), which is refused: "
            "it could read other files or expand without bound",
            location="line 1",
        )
    if root.tag != _T + "TEI":
        raise InputError(
            "input.tei-layout",
            f"the root element must be <TEI> in the TEI namespace ({TEI_NS}), not {root.tag!r}",
            location=f"line {root.sourceline}",
        )


def read(stream: BinaryIO) -> Decoded:
    """Read a whole TEI document as one dataset document."""
    return read_items(iter_items(stream))


FORMAT = Format(
    name="tei",
    suffixes=(".tei.xml", ".xml"),
    description="TEI P5 XML: records in a standOff; streams.",
    lossless=True,
    reader=iter_items,
    writer=Writer,
)
