"""The TEI writer of 0.x, built element by element with lxml: the oracle of test_tei_writer."""

from __future__ import annotations

import json
from typing import Any, BinaryIO

from lxml import etree

from conflictdata._ids import IdIndex
from conflictdata._report import Problem
from conflictdata.formats import tei as _limits
from conflictdata.formats._base import header_of, write_document
from conflictdata.formats.tei._layout import (
    ARCHIVE,
    DELETED,
    DELETED_LABEL,
    FIGURES,
    ID,
    LANG,
    LIST_OF,
    NOTES,
    QUAD,
    SIDE,
    SPAN,
    STATUS_DESC,
    STATUS_ID,
    TEI_NS,
    TYPE_ID,
    T,
)
from conflictdata.model import SCHEMA_VERSION

__all__ = ["Writer", "write"]


def _el(
    parent: etree._Element, tag: str, text: str | None = None, **attrib: str
) -> etree._Element:
    child = etree.SubElement(parent, T + tag, attrib)
    if text is not None:
        child.text = text
    return child


def _root(tag: str, record_id: str | None = None, **attrib: str) -> etree._Element:
    element = etree.Element(T + tag, nsmap={None: TEI_NS})
    # The id first: it is what a reader of the file looks for.
    if record_id is not None:
        element.set(ID, record_id)
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
        _el(parent, "note", _json_text(record["extensions"]), type=NOTES["extensions"])


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
    for quad, codes in QUAD.items():
        for code in codes:
            category = _el(types, "category")
            category.set(ID, TYPE_ID + code)
            _el(category, "catDesc", f"{code} ({quad})")
    statuses = _el(class_decl, "taxonomy")
    _el(statuses, "desc", "How well an event is established")
    for status, description in STATUS_DESC.items():
        category = _el(statuses, "category")
        category.set(ID, STATUS_ID + status)
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
    for archive in data.get("archives", ()):
        copy = _el(_el(bibl, "relatedItem", type=ARCHIVE), "bibl")
        _el(copy, "ptr", target=archive["url"])
        _el(copy, "date", type="captured", when=archive["captured"])
        _el(copy, "idno", archive["sha256"], type="sha256")
        if "tool" in archive:
            _el(copy, "note", archive["tool"], type="tool")
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
        _el(element, name_tag, name).set(LANG, language)
    for alias in data.get("aliases", ()):
        _el(element, name_tag, alias, type="alias")
    _idnos(element, data.get("identifiers", {}))
    if "country" in data:
        _el(element, "nationality" if person else "country", key=data["country"])
    relations: list[etree._Element] = []
    for affiliation in data.get("affiliations", ()):
        dates = {attr: affiliation[key] for key, attr in SPAN if key in affiliation}
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
        _el(element, "note", data["description"], type=NOTES["description"])
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
    for key, attr in FIGURES:
        if key in figures:
            attrib[attr] = str(figures[key])
    _el(_el(parent, "note", type=NOTES["fatalities"]), "measure", **attrib)


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
        if "side" in participant:
            stub.set(SIDE, participant["side"])
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
    ana = f"#{TYPE_ID}{data['type']} #{STATUS_ID}{data['status']}"
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
        _el(event, "note", context, type=NOTES["contexts"])
    if "fatalities" in data:
        _measure(event, data["fatalities"])
    evidence = _el(event, "note", type=NOTES["citations"])
    for citation in data["citations"]:
        _citation(evidence, citation)
    for classification in data.get("classifications", ()):
        note = _el(event, "note", type=NOTES["classifications"], subtype=classification["scheme"])
        _el(note, "term", classification["code"])
        if "label" in classification:
            _el(note, "gloss", classification["label"])
    for tag in data.get("tags", ()):
        _el(event, "note", tag, type=NOTES["tags"])
    if "notes" in data:
        _el(event, "note", data["notes"])
    _extensions(event, data)
    _participants(event, data["participants"], stub_of)
    if "location" in data:
        _place(event, data["location"])
    _relations(event, data)
    return event


def _tombstone(data: dict[str, Any]) -> etree._Element:
    event = _root("event", data["id"], when=data["deleted"])
    _idnos(event, data.get("identifiers", {}))
    _el(event, "label", DELETED_LABEL)
    if "reason" in data:
        _el(event, "desc", data["reason"])
    return event


class _Group:
    """An open list element, possibly inside an open list of lists."""

    def __init__(self, writer: Any, tag: str, outer: str | None, kind: str | None) -> None:
        self.tag = tag
        self.outer_key = outer
        self.kind = kind
        self.inner_key: str | None = None
        self._xf = writer
        attrib = ({"n": outer} if outer else {}) | ({"type": kind} if kind else {})
        self._outer = writer.element(T + tag, attrib)
        self._outer.__enter__()
        self._inner: Any = None
        self.lists = 0
        self.entries = 0

    def open_inner(self, key: str | None) -> None:
        self.close_inner()
        self._xf.write("\n")
        self._inner = self._xf.element(T + self.tag, {"n": key} if key else {})
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
        self._tei = self._xf.element(T + "TEI", nsmap={None: TEI_NS})
        self._tei.__enter__()
        self._xf.write("\n")
        self._xf.write(_header(header), pretty_print=True)
        self._stand_off: Any = None
        self._group: _Group | None = None
        self._kinds = IdIndex()

    def write(self, kind: str, data: dict[str, Any]) -> None:
        """Write one plain record of ``kind``."""
        after: list[etree._Element] = []
        list_type: str | None = None
        if kind == "source":
            tag, outer, inner = LIST_OF["bibl"], None, None
            element = _source(data)
        elif kind == "actor":
            self._kinds.add(data["id"], data["kind"])
            tag = LIST_OF["person" if data["kind"] == "person" else "org"]
            outer = inner = None
            element, after = _actor(data)
        elif kind == "tombstone":
            tag, outer, inner, list_type = LIST_OF["event"], None, None, DELETED
            element = _tombstone(data)
        else:
            start = data["when"]["start"]
            tag, outer, inner = LIST_OF["event"], start[:4], start[:7]
            element = _event(data, self._kinds)
        group = self._group_for(tag, outer, inner, list_type)
        self._xf.write("\n")
        self._xf.write(element, pretty_print=True)
        for relation in after:
            self._xf.write("\n")
            self._xf.write(relation, pretty_print=True)
        group.entries += 1

    def _group_for(
        self, tag: str, outer: str | None, inner: str | None, kind: str | None
    ) -> _Group:
        group = self._group
        if group is None or (group.tag, group.outer_key, group.kind) != (tag, outer, kind):
            group = self._new_group(tag, outer, kind)
        if not group.has_inner or group.inner_key != inner or group.entries >= _limits.GROUP_SIZE:
            if group.lists >= _limits.GROUP_SIZE:
                group = self._new_group(tag, outer, kind)
            group.open_inner(inner)
        return group

    def _new_group(self, tag: str, outer: str | None, kind: str | None) -> _Group:
        if self._group is not None:
            self._group.close()
        elif self._stand_off is None:
            self._stand_off = self._xf.element(T + "standOff")
            self._stand_off.__enter__()
        self._xf.write("\n")
        self._group = _Group(self._xf, tag, outer, kind)
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
