"""Writing TEI: the header, then each record into its list of the standOff.

The header is built with lxml, once. Records are written from string
templates, escaped as libxml2 escapes them and indented as its pretty
printer indents, so the bytes are the ones lxml would write: building ~25
elements per event through lxml cost most of a conversion's time, and the
``xml:id`` of each one stayed in libxml2's name dictionary for the life of
the process.
"""

from __future__ import annotations

import json
import math
import re
from typing import Any, BinaryIO

from lxml import etree

from ..._errors import FieldValueError
from ..._ids import IdIndex
from ..._report import Problem
from ...model import SCHEMA_VERSION
from .. import tei as _limits
from .._base import header_of, write_document
from ._layout import (
    ARCHIVE,
    DELETED,
    DELETED_LABEL,
    FIGURES,
    ID,
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

__all__ = ["Writer", "write"]

#: What XML 1.0 cannot hold: C0 controls but tab, newline and return; lone
#: surrogates; U+FFFE and U+FFFF.
_BAD = "\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff"
_NOT_XML = re.compile(f"[{_BAD}]")
#: What needs an escape, or is refused, in text and in attribute values.
_TEXT_SPECIAL = re.compile(f"[&<>\r{_BAD}]").search
_ATTRIBUTE_SPECIAL = re.compile(f'[&<>"\n\r\t{_BAD}]').search
#: Each record's root declares the namespace, as lxml writes a detached element.
_NS = f' xmlns="{TEI_NS}"'
_DECLARATION = "<?xml version='1.0' encoding='utf-8'?>\n"
_EMPTY = (
    f'\n<standOff{_NS}><listRelation type="empty">'
    "<p>This dataset has no records.</p></listRelation></standOff>"
)
_Lines = list[str]


def _t(text: str) -> str:
    """``text`` escaped as element content."""
    # Most text needs no escape: one search finds out (and finds what XML
    # cannot hold), where the replacements would each scan it.
    if _TEXT_SPECIAL(text) is None:
        return text
    _check(text)
    return (
        text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\r", "&#13;")
    )


def _a(value: str) -> str:
    """``value`` escaped as a double-quoted attribute value."""
    if _ATTRIBUTE_SPECIAL(value) is None:
        return value
    _check(value)
    return (
        value.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace('"', "&quot;")
        .replace("\n", "&#10;")
        .replace("\r", "&#13;")
        .replace("\t", "&#9;")
    )


def _check(value: str) -> None:
    found = _NOT_XML.search(value)
    if found is not None:
        # Where the value is, the writer of the record finds out.
        raise _RefusedError("", value, _cannot_hold(found.group()))


def _cannot_hold(character: str) -> str:
    return f"XML 1.0 cannot hold U+{ord(character):04X}"


def _attrs(pairs: dict[str, str]) -> str:
    return "".join(f' {name}="{_a(value)}"' for name, value in pairs.items())


def _text_el(out: _Lines, pad: str, tag: str, text: str, attrs: str = "") -> None:
    out.append(f"{pad}<{tag}{attrs}>{_t(text)}</{tag}>")


class _RefusedError(Exception):
    """A value TEI cannot hold, at ``pointer`` within the record being written."""

    def __init__(self, pointer: str, value: object, reason: str) -> None:
        super().__init__(reason)
        self.pointer = pointer
        self.value = value
        self.reason = reason


def _number(value: Any, pointer: str) -> str:
    # repr() and str() of a float that is not finite are 'nan' and 'inf',
    # which no reader takes for a number.
    if isinstance(value, float) and not math.isfinite(value):
        raise _RefusedError(pointer, value, "TEI cannot hold a number that is not finite")
    return repr(value) if isinstance(value, float) else str(value)


def _json_text(value: Any) -> str:
    # Extension data is free JSON. JSON escapes the control characters XML
    # cannot hold; what it leaves as it is (U+FFFE, a lone surrogate) _t refuses.
    try:
        return json.dumps(value, ensure_ascii=False, allow_nan=False)
    except ValueError as exc:
        finite = "Out of range" in str(exc)
        reason = "TEI cannot hold a number that is not finite" if finite else str(exc)
        raise _RefusedError("/extensions", value, reason) from None


def _idnos(out: _Lines, pad: str, identifiers: dict[str, str]) -> None:
    for scheme, value in identifiers.items():
        out.append(f'{pad}<idno type="{_a(scheme)}">{_t(value)}</idno>')


def _extensions(out: _Lines, record: dict[str, Any]) -> None:
    if record.get("extensions"):
        out.append(
            f'  <note type="{NOTES["extensions"]}">{_t(_json_text(record["extensions"]))}</note>'
        )


def _el(
    parent: etree._Element, tag: str, text: str | None = None, **attrib: str
) -> etree._Element:
    child = etree.SubElement(parent, T + tag, attrib)
    if text is not None:
        child.text = text
    return child


def _header(header: dict[str, Any]) -> str:
    """The <teiHeader>, pretty-printed by lxml (it is written once)."""
    meta = header.get("metadata", {})
    root = etree.Element(T + "teiHeader", nsmap={None: TEI_NS})
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
    text: str = etree.tostring(root, encoding="unicode", pretty_print=True)
    return text


def _source(data: dict[str, Any]) -> _Lines:
    out = [f'<bibl{_NS} xml:id="{_a(data["id"])}" type="{_a(data["kind"])}">']
    _text_el(out, "  ", "title", data["title"])
    for author in data.get("authors", ()):
        _text_el(out, "  ", "author", author)
    if "publisher" in data:
        _text_el(out, "  ", "publisher", data["publisher"])
    out.extend(
        f'  <date type="{key}" when="{_a(data[key])}"/>'
        for key in ("published", "accessed")
        if key in data
    )
    if "url" in data:
        out.append(f'  <ptr target="{_a(data["url"])}"/>')
    if "language" in data:
        out.append(f'  <textLang mainLang="{_a(data["language"])}"/>')
    for archive in data.get("archives", ()):
        out.append(f'  <relatedItem type="{ARCHIVE}">')
        out.append("    <bibl>")
        out.append(f'      <ptr target="{_a(archive["url"])}"/>')
        out.append(f'      <date type="captured" when="{_a(archive["captured"])}"/>')
        out.append(f'      <idno type="sha256">{_t(archive["sha256"])}</idno>')
        if "tool" in archive:
            out.append(f'      <note type="tool">{_t(archive["tool"])}</note>')
        out.append("    </bibl>")
        out.append("  </relatedItem>")
    _idnos(out, "  ", data.get("identifiers", {}))
    if "notes" in data:
        _text_el(out, "  ", "note", data["notes"])
    _extensions(out, data)
    out.append("</bibl>")
    return out


def _span(affiliation: dict[str, Any]) -> str:
    return "".join(f' {attr}="{_a(affiliation[key])}"' for key, attr in SPAN if key in affiliation)


def _affiliations(out: _Lines, data: dict[str, Any], person: bool) -> list[_Lines]:
    """A person's affiliations into ``out``; an org's, as the relations that follow it."""
    relations: list[_Lines] = []
    for affiliation in data.get("affiliations", ()):
        dates = _span(affiliation)
        if person:
            attrs = f' ref="#{_a(affiliation["actor"])}"{dates}'
            if affiliation.get("role") is None:
                out.append(f"  <affiliation{attrs}/>")
            else:
                _text_el(out, "  ", "affiliation", affiliation["role"], attrs)
        else:
            # <org> cannot hold <affiliation>; <listOrg> takes relations.
            start = (
                f'<relation{_NS} name="affiliation" active="#{_a(data["id"])}"'
                f' passive="#{_a(affiliation["actor"])}"{dates}'
            )
            if "role" in affiliation:
                relations.append(
                    [f"{start}>", f"  <desc>{_t(affiliation['role'])}</desc>", "</relation>"]
                )
            else:
                relations.append([f"{start}/>"])
    return relations


def _actor(data: dict[str, Any]) -> tuple[_Lines, list[_Lines]]:
    """The actor's element, and the relations that follow it (orgs' affiliations)."""
    person = data["kind"] == "person"
    if person:
        tag, name_tag = "person", "persName"
        out = [f'<person{_NS} xml:id="{_a(data["id"])}">']
    else:
        tag, name_tag = "org", "orgName"
        out = [f'<org{_NS} xml:id="{_a(data["id"])}" type="{_a(data["kind"])}">']
    _text_el(out, "  ", name_tag, data["name"])
    for language, name in data.get("names", {}).items():
        _text_el(out, "  ", name_tag, name, f' xml:lang="{_a(language)}"')
    for alias in data.get("aliases", ()):
        _text_el(out, "  ", name_tag, alias, ' type="alias"')
    _idnos(out, "  ", data.get("identifiers", {}))
    if "country" in data:
        out.append(f'  <{"nationality" if person else "country"} key="{_a(data["country"])}"/>')
    relations = _affiliations(out, data, person)
    if "description" in data:
        _text_el(out, "  ", "note", data["description"], f' type="{NOTES["description"]}"')
    _extensions(out, data)
    out.append(f"</{tag}>")
    return out, relations


def _when_attributes(when: dict[str, Any]) -> str:
    # TEI forbids @when beside @from/@to/@notBefore/@notAfter.
    start, end = when["start"], when.get("end")
    if when.get("uncertain"):
        return f' notBefore="{_a(start)}"' + (f' notAfter="{_a(end)}"' if end else "")
    if end is None:
        return f' when="{_a(start)}"'
    return f' from="{_a(start)}" to="{_a(end)}"'


def _measure(out: _Lines, pad: str, figures: dict[str, Any], pointer: str) -> None:
    attrs = "".join(
        f' {attr}="{_number(figures[key], f"{pointer}/{key}")}"'
        for key, attr in FIGURES
        if key in figures
    )
    out.append(f'{pad}<note type="{NOTES["fatalities"]}">')
    out.append(f'{pad}  <measure type="killed" unit="person"{attrs}/>')
    out.append(f"{pad}</note>")


def _place(out: _Lines, place: dict[str, Any]) -> None:
    out.append("  <place>")
    out.append(f"    <placeName>{_t(place['name'])}</placeName>")
    if any(key in place for key in ("precision", "country", "admin1", "admin2", "lat")):
        precision = f' type="{_a(place["precision"])}"' if "precision" in place else ""
        parts: _Lines = []
        if "country" in place:
            parts.append(f'      <country key="{_a(place["country"])}"/>')
        for level in ("admin1", "admin2"):
            if level in place:
                parts.append(f'      <region type="{level}">{_t(place[level])}</region>')
        if "lat" in place:
            lat = _number(place["lat"], "/location/lat")
            lon = _number(place["lon"], "/location/lon")
            parts.append(f"      <geo>{lat} {lon}</geo>")
        if parts:
            out.append(f"    <location{precision}>")
            out.extend(parts)
            out.append("    </location>")
        else:
            out.append(f"    <location{precision}/>")
    # <idno> follows the place's description, as <place> requires.
    if "geonames_id" in place:
        geonames = _number(place["geonames_id"], "/location/geonames_id")
        out.append(f'    <idno type="geonames">{geonames}</idno>')
    out.append("  </place>")


def _citation(out: _Lines, citation: dict[str, Any], pointer: str) -> None:
    out.append(
        f'    <cit type="{_a(citation["stance"])}">' if "stance" in citation else "    <cit>"
    )
    if "quote" in citation:
        out.append(f"      <quote>{_t(citation['quote'])}</quote>")
    out.append("      <bibl>")
    out.append(f'        <ptr target="#{_a(citation["source"])}"/>')
    if "locator" in citation:
        out.append(f"        <citedRange>{_t(citation['locator'])}</citedRange>")
    out.append("      </bibl>")
    if "attributed_to" in citation:
        out.append(f'      <ptr type="attribution" target="#{_a(citation["attributed_to"])}"/>')
    if "fatalities" in citation:
        _measure(out, "      ", citation["fatalities"], f"{pointer}/fatalities")
    out.append("    </cit>")


def _participants(out: _Lines, participants: list[dict[str, Any]], stub_of: IdIndex) -> None:
    if not participants:
        return
    out.append('  <listPerson type="participants">')
    for participant in participants:
        actor = participant["actor"]
        # Actors written before are known; any other is taken for an <org>.
        tag, name = (
            ("person", "persName") if stub_of.get(actor) == "person" else ("org", "orgName")
        )
        side = f' {SIDE}="{_a(participant["side"])}"' if "side" in participant else ""
        out.append(f'    <{tag} role="{_a(participant["role"])}"{side}>')
        out.append(f'      <{name} ref="#{_a(actor)}"/>')
        out.append(f"    </{tag}>")
    out.append("  </listPerson>")


def _relations(out: _Lines, data: dict[str, Any]) -> None:
    if not data.get("related"):
        return
    active = _a(data["id"])
    out.append("  <listRelation>")
    for link in data["related"]:
        out.append(
            f'    <relation name="{_a(link["relation"])}" active="#{active}"'
            f' passive="#{_a(link["event"])}"/>'
        )
    out.append("  </listRelation>")


def _event(data: dict[str, Any], stub_of: IdIndex) -> _Lines:
    sources = " ".join(dict.fromkeys("#" + c["source"] for c in data["citations"]))
    mode = f' subtype="{_a(data["mode"])}"' if "mode" in data else ""
    out = [
        (
            f'<event{_NS} xml:id="{_a(data["id"])}" type="{_a(data["type"])}"'
            f' ana="#{TYPE_ID}{_a(data["type"])} #{STATUS_ID}{_a(data["status"])}"'
            f' source="{_a(sources)}"{_when_attributes(data["when"])}{mode}>'
        )
    ]
    _idnos(out, "  ", data.get("identifiers", {}))
    out.append(f"  <label>{_t(data['title'])}</label>")
    if "description" in data:
        out.append(f"  <desc>{_t(data['description'])}</desc>")
    out.extend(
        f'  <note type="{NOTES["contexts"]}">{_t(context)}</note>'
        for context in data.get("contexts", ())
    )
    if "fatalities" in data:
        _measure(out, "  ", data["fatalities"], "/fatalities")
    if data["citations"]:
        out.append(f'  <note type="{NOTES["citations"]}">')
        for index, citation in enumerate(data["citations"]):
            _citation(out, citation, f"/citations/{index}")
        out.append("  </note>")
    else:
        out.append(f'  <note type="{NOTES["citations"]}"/>')
    for classification in data.get("classifications", ()):
        out.append(
            f'  <note type="{NOTES["classifications"]}" subtype="{_a(classification["scheme"])}">'
        )
        out.append(f"    <term>{_t(classification['code'])}</term>")
        if "label" in classification:
            out.append(f"    <gloss>{_t(classification['label'])}</gloss>")
        out.append("  </note>")
    out.extend(f'  <note type="{NOTES["tags"]}">{_t(tag)}</note>' for tag in data.get("tags", ()))
    if "notes" in data:
        out.append(f"  <note>{_t(data['notes'])}</note>")
    _extensions(out, data)
    _participants(out, data["participants"], stub_of)
    if "location" in data:
        _place(out, data["location"])
    _relations(out, data)
    out.append("</event>")
    return out


def _tombstone(data: dict[str, Any]) -> _Lines:
    out = [f'<event{_NS} xml:id="{_a(data["id"])}" when="{_a(data["deleted"])}">']
    _idnos(out, "  ", data.get("identifiers", {}))
    out.append(f"  <label>{DELETED_LABEL}</label>")
    if "reason" in data:
        out.append(f"  <desc>{_t(data['reason'])}</desc>")
    out.append("</event>")
    return out


def _not_xml(value: Any, pointer: str = "") -> tuple[str, str] | None:
    """The first string in ``value`` (or key) that XML cannot hold, and where it is."""
    if isinstance(value, str):
        return (pointer, value) if _NOT_XML.search(value) else None
    if isinstance(value, dict):
        for key, item in value.items():
            step = f"{pointer}/{str(key).replace('~', '~0').replace('/', '~1')}"
            found = _not_xml(key, step) or _not_xml(item, step)
            if found:
                return found
    elif isinstance(value, (list, tuple)):
        for index, item in enumerate(value):
            found = _not_xml(item, f"{pointer}/{index}")
            if found:
                return found
    return None


def _refused(kind: str, data: dict[str, Any], exc: _RefusedError) -> FieldValueError:
    pointer, value = exc.pointer, exc.value
    if not pointer:
        pointer, value = _not_xml(data) or ("", value)
    record = f"{kind} {data['id']!r}" if "id" in data else kind
    return FieldValueError(f"{record} {pointer or '/'}", value, exc.reason)


class _Group:
    """An open list element, possibly inside an open list of lists."""

    def __init__(self, out: _Lines, tag: str, outer: str | None, kind: str | None) -> None:
        self.tag = tag
        self.outer_key = outer
        self.kind = kind
        self.inner_key: str | None = None
        attrib = ({"n": outer} if outer else {}) | ({"type": kind} if kind else {})
        out.append(f"\n<{tag}{_attrs(attrib)}>")
        self._inner = False
        self.lists = 0
        self.entries = 0

    def open_inner(self, out: _Lines, key: str | None) -> None:
        self.close_inner(out)
        out.append(f'\n<{self.tag} n="{_a(key)}">' if key else f"\n<{self.tag}>")
        self._inner = True
        self.inner_key = key
        self.lists += 1
        self.entries = 0

    @property
    def has_inner(self) -> bool:
        return self._inner

    def close_inner(self, out: _Lines) -> None:
        if self._inner:
            out.append(f"</{self.tag}>")
            self._inner = False

    def close(self, out: _Lines) -> None:
        self.close_inner(out)
        out.append(f"\n</{self.tag}>")


class Writer:
    """Writes a TEI document record by record, in bounded memory."""

    def __init__(self, stream: BinaryIO, header: dict[str, Any]) -> None:
        self._stream = stream
        self._stand_off = False
        self._group: _Group | None = None
        self._kinds = IdIndex()
        found = _not_xml(header)
        if found is not None:
            pointer, value = found
            bad = _NOT_XML.search(value)
            reason = _cannot_hold(bad.group() if bad else value)
            raise _refused("dataset", {}, _RefusedError(pointer, value, reason))
        self._emit([_DECLARATION, f"<TEI{_NS}>\n", _header(header)])

    def _emit(self, parts: _Lines) -> None:
        self._stream.write("".join(parts).encode("utf-8"))

    def write(self, kind: str, data: dict[str, Any]) -> None:
        """Write one plain record of ``kind``.

        Raises:
            FieldValueError: the record holds a value TEI cannot: a number
                that is not finite, or a character XML 1.0 cannot hold.
        """
        list_type: str | None = None
        after: list[_Lines] = []
        out: _Lines = []
        try:
            if kind == "source":
                tag, outer, inner = LIST_OF["bibl"], None, None
                lines = _source(data)
            elif kind == "actor":
                tag = LIST_OF["person" if data["kind"] == "person" else "org"]
                outer = inner = None
                lines, after = _actor(data)
            elif kind == "tombstone":
                tag, outer, inner, list_type = LIST_OF["event"], None, None, DELETED
                lines = _tombstone(data)
            else:
                start = data["when"]["start"]
                tag, outer, inner = LIST_OF["event"], start[:4], start[:7]
                lines = _event(data, self._kinds)
            group = self._group_for(out, tag, outer, inner, list_type)
        except _RefusedError as exc:
            raise _refused(kind, data, exc) from None
        if kind == "actor":
            self._kinds.add(data["id"], data["kind"])
        out.append("\n")
        out.append("\n".join(lines))
        out.append("\n")
        for relation in after:
            out.append("\n")
            out.append("\n".join(relation))
            out.append("\n")
        self._emit(out)
        group.entries += 1

    def _group_for(
        self, out: _Lines, tag: str, outer: str | None, inner: str | None, kind: str | None
    ) -> _Group:
        group = self._group
        if group is None or (group.tag, group.outer_key, group.kind) != (tag, outer, kind):
            group = self._new_group(out, tag, outer, kind)
        if not group.has_inner or group.inner_key != inner or group.entries >= _limits.GROUP_SIZE:
            if group.lists >= _limits.GROUP_SIZE:
                group = self._new_group(out, tag, outer, kind)
            group.open_inner(out, inner)
        return group

    def _new_group(self, out: _Lines, tag: str, outer: str | None, kind: str | None) -> _Group:
        if self._group is not None:
            self._group.close(out)
        elif not self._stand_off:
            out.append("<standOff>")
            self._stand_off = True
        self._group = _Group(out, tag, outer, kind)
        return self._group

    def close(self) -> list[Problem]:
        """Finish the document; TEI holds everything, so nothing is reported."""
        out: _Lines = []
        if self._group is not None:
            self._group.close(out)
        # standOff needs content; a dataset with no records says so.
        out.append("\n</standOff>" if self._stand_off else _EMPTY)
        out.append("\n</TEI>")
        self._emit(out)
        self._kinds.close()
        return []

    def abort(self) -> None:
        """Drop the id index; whoever owns the stream discards what was written."""
        self._kinds.close()


def write(data: dict[str, Any], stream: BinaryIO) -> list[Problem]:
    """Write a whole plain document as TEI."""
    return write_document(Writer(stream, header_of(data)), data)
