"""Writing TEI: the header, then each record into its list of the standOff.

The header is built with lxml, once. Records are written from string
templates, escaped as libxml2 escapes them and indented as its pretty
printer indents, so the bytes are the ones lxml would write: building ~25
elements per event through lxml cost most of a conversion's time, and the
``xml:id`` of each one stayed in libxml2's name dictionary for the life of
the process. Values that recur (codes, dates, places, the actors events
refer to) are escaped once and looked up after (``_escape.Often``), and
records reach the stream in batches of about :data:`_BATCH` characters.
"""

from __future__ import annotations

import json
import math
from typing import Any, BinaryIO

from lxml import etree

from ..._errors import FieldValueError
from ..._ids import IdIndex
from ..._report import Problem
from ...model import SCHEMA_VERSION
from .. import tei as _limits
from .._base import header_of, write_document
from ._escape import NOT_XML, Often, RefusedError, cannot_hold
from ._escape import attribute as _a
from ._escape import text as _t
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

#: Each record's root declares the namespace, as lxml writes a detached element.
_NS = f' xmlns="{TEI_NS}"'
_DECLARATION = "<?xml version='1.0' encoding='utf-8'?>\n"
_EMPTY = (
    f'\n<standOff{_NS}><listRelation type="empty">'
    "<p>This dataset has no records.</p></listRelation></standOff>"
)
#: Records are written to the stream in batches of about this many characters.
_BATCH = 64 * 1024
_Lines = list[str]


def _attrs(pairs: dict[str, str]) -> str:
    return "".join(f' {name}="{_a(value)}"' for name, value in pairs.items())


def _text_el(out: _Lines, pad: str, tag: str, text: str, attrs: str = "") -> None:
    out.append(f"{pad}<{tag}{attrs}>{_t(text)}</{tag}>")


def _number(value: Any, pointer: str, key: str = "") -> str:
    """``value`` as TEI writes a number; ``pointer`` (with ``key``) says where it is."""
    kind = type(value)
    # The common cases first: an int is always finite.
    if kind is int:
        return str(value)
    if kind is float and math.isfinite(value):
        return repr(value)
    # repr() and str() of a float that is not finite are 'nan' and 'inf',
    # which no reader takes for a number.
    if isinstance(value, float) and not math.isfinite(value):
        where = f"{pointer}/{key}" if key else pointer
        raise RefusedError(where, value, "TEI cannot hold a number that is not finite")
    return repr(value) if isinstance(value, float) else str(value)


def _json_text(value: Any) -> str:
    # Extension data is free JSON. JSON escapes the control characters XML
    # cannot hold; what it leaves as it is (U+FFFE, a lone surrogate) _t refuses.
    try:
        return json.dumps(value, ensure_ascii=False, allow_nan=False)
    except ValueError as exc:
        finite = "Out of range" in str(exc)
        reason = "TEI cannot hold a number that is not finite" if finite else str(exc)
        raise RefusedError("/extensions", value, reason) from None


def _idnos(out: _Lines, pad: str, identifiers: dict[str, str], often: Often) -> None:
    for scheme, value in identifiers.items():
        out.append(f'{pad}<idno type="{often.attributes[scheme]}">{_t(value)}</idno>')


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


def _source(data: dict[str, Any], often: Often) -> _Lines:
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
    _idnos(out, "  ", data.get("identifiers", {}), often)
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


def _actor(data: dict[str, Any], often: Often) -> tuple[_Lines, list[_Lines]]:
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
    _idnos(out, "  ", data.get("identifiers", {}), often)
    if "country" in data:
        out.append(f'  <{"nationality" if person else "country"} key="{_a(data["country"])}"/>')
    relations = _affiliations(out, data, person)
    if "description" in data:
        _text_el(out, "  ", "note", data["description"], f' type="{NOTES["description"]}"')
    _extensions(out, data)
    out.append(f"</{tag}>")
    return out, relations


def _when_attributes(when: dict[str, Any], often: Often) -> str:
    # TEI forbids @when beside @from/@to/@notBefore/@notAfter.
    start, end = when["start"], when.get("end")
    if when.get("uncertain"):
        return f' notBefore="{often.attributes[start]}"' + (
            f' notAfter="{often.attributes[end]}"' if end else ""
        )
    if end is None:
        return f' when="{often.attributes[start]}"'
    return f' from="{often.attributes[start]}" to="{often.attributes[end]}"'


def _measure(pad: str, figures: dict[str, Any], pointer: str) -> str:
    attrs = ""
    for key, attr in FIGURES:
        if key in figures:
            attrs += f' {attr}="{_number(figures[key], pointer, key)}"'
    return (
        f'{pad}<note type="{NOTES["fatalities"]}">\n'
        f'{pad}  <measure type="killed" unit="person"{attrs}/>\n'
        f"{pad}</note>"
    )


#: The fields of a place that its <location> holds.
_LOCATION = frozenset(("precision", "country", "admin1", "admin2", "lat"))


def _place(out: _Lines, place: dict[str, Any], often: Often) -> None:
    out.append(f"  <place>\n    <placeName>{often.texts[place['name']]}</placeName>")
    if not _LOCATION.isdisjoint(place):
        precision = (
            f' type="{often.attributes[place["precision"]]}"' if "precision" in place else ""
        )
        parts = ""
        if "country" in place:
            parts += f'\n      <country key="{often.attributes[place["country"]]}"/>'
        if "admin1" in place:
            parts += f'\n      <region type="admin1">{often.texts[place["admin1"]]}</region>'
        if "admin2" in place:
            parts += f'\n      <region type="admin2">{often.texts[place["admin2"]]}</region>'
        if "lat" in place:
            lat = _number(place["lat"], "/location/lat")
            lon = _number(place["lon"], "/location/lon")
            parts += f"\n      <geo>{lat} {lon}</geo>"
        if parts:
            out.append(f"    <location{precision}>{parts}\n    </location>")
        else:
            out.append(f"    <location{precision}/>")
    # <idno> follows the place's description, as <place> requires.
    if "geonames_id" in place:
        geonames = _number(place["geonames_id"], "/location/geonames_id")
        out.append(f'    <idno type="geonames">{geonames}</idno>')
    out.append("  </place>")


def _citation(out: _Lines, citation: dict[str, Any], pointer: str, often: Often) -> None:
    if "stance" in citation:
        out.append(f'    <cit type="{often.attributes[citation["stance"]]}">')
    else:
        out.append("    <cit>")
    if "quote" in citation:
        out.append(f"      <quote>{_t(citation['quote'])}</quote>")
    bibl = f'      <bibl>\n        <ptr target="#{often.attributes[citation["source"]]}"/>'
    if "locator" in citation:
        bibl += f"\n        <citedRange>{_t(citation['locator'])}</citedRange>"
    out.append(f"{bibl}\n      </bibl>")
    if "attributed_to" in citation:
        target = often.attributes[citation["attributed_to"]]
        out.append(f'      <ptr type="attribution" target="#{target}"/>')
    if "fatalities" in citation:
        out.append(_measure("      ", citation["fatalities"], f"{pointer}/fatalities"))
    out.append("    </cit>")


#: A participant: its actor, role and side (None when it has none).
_Participant = tuple[str, str, str | None]
#: Most participants' elements kept.
_PARTICIPANTS = 4096


class _Participants(dict[_Participant, str]):
    """The element of each participant, by actor, role and side, in bounded memory.

    Actors written before are known; any other is taken for an <org>: all are
    forgotten whenever an actor is written, which may change one.
    """

    def __init__(self, kinds: IdIndex, often: Often) -> None:
        super().__init__()
        self._kinds = kinds
        self._often = often

    def __missing__(self, participant: _Participant) -> str:
        actor, role, side = participant
        escaped = self._often.attributes
        attrs = f' {SIDE}="{escaped[side]}"' if side is not None else ""
        attrs = f' role="{escaped[role]}"{attrs}'
        tag, name = (
            ("person", "persName") if self._kinds.get(actor) == "person" else ("org", "orgName")
        )
        element = f'    <{tag}{attrs}>\n      <{name} ref="#{escaped[actor]}"/>\n    </{tag}>'
        if len(self) >= _PARTICIPANTS:
            self.clear()
        self[participant] = element
        return element


def _participants(
    out: _Lines, participants: list[dict[str, Any]], elements: _Participants
) -> None:
    if not participants:
        return
    out.append('  <listPerson type="participants">')
    for participant in participants:
        out.append(elements[participant["actor"], participant["role"], participant.get("side")])
    out.append("  </listPerson>")


def _relations(out: _Lines, data: dict[str, Any], active: str, often: Often) -> None:
    if not data.get("related"):
        return
    out.append("  <listRelation>")
    for link in data["related"]:
        out.append(
            f'    <relation name="{often.attributes[link["relation"]]}" active="#{active}"'
            f' passive="#{often.attributes[link["event"]]}"/>'
        )
    out.append("  </listRelation>")


def _notes(out: _Lines, data: dict[str, Any], often: Often) -> None:
    """The event's classifications, tags and notes."""
    for classification in data.get("classifications", ()):
        note = (
            f'  <note type="{NOTES["classifications"]}"'
            f' subtype="{often.attributes[classification["scheme"]]}">\n'
            f"    <term>{often.texts[classification['code']]}</term>"
        )
        if "label" in classification:
            note += f"\n    <gloss>{often.texts[classification['label']]}</gloss>"
        out.append(f"{note}\n  </note>")
    if "tags" in data:
        out.extend(
            f'  <note type="{NOTES["tags"]}">{often.texts[tag]}</note>' for tag in data["tags"]
        )
    if "notes" in data:
        out.append(f"  <note>{_t(data['notes'])}</note>")


def _event(data: dict[str, Any], participants: _Participants, often: Often) -> _Lines:
    """The event's lines; an entry may hold several (the writer joins them with newlines)."""
    citations = data["citations"]
    if len(citations) == 1:
        sources = "#" + citations[0]["source"]
    else:
        sources = " ".join(dict.fromkeys("#" + c["source"] for c in citations))
    mode = f' subtype="{often.attributes[data["mode"]]}"' if "mode" in data else ""
    record_id = _a(data["id"])
    kind = often.attributes[data["type"]]
    out = [
        (
            f'<event{_NS} xml:id="{record_id}" type="{kind}"'
            f' ana="#{TYPE_ID}{kind} #{STATUS_ID}{often.attributes[data["status"]]}"'
            f' source="{often.attributes[sources]}"{_when_attributes(data["when"], often)}{mode}>'
        )
    ]
    if "identifiers" in data:
        _idnos(out, "  ", data["identifiers"], often)
    out.append(f"  <label>{_t(data['title'])}</label>")
    if "description" in data:
        out.append(f"  <desc>{_t(data['description'])}</desc>")
    if "contexts" in data:
        out.extend(
            f'  <note type="{NOTES["contexts"]}">{often.texts[context]}</note>'
            for context in data["contexts"]
        )
    if "fatalities" in data:
        out.append(_measure("  ", data["fatalities"], "/fatalities"))
    if citations:
        out.append(f'  <note type="{NOTES["citations"]}">')
        for index, citation in enumerate(citations):
            _citation(out, citation, f"/citations/{index}", often)
        out.append("  </note>")
    else:
        out.append(f'  <note type="{NOTES["citations"]}"/>')
    _notes(out, data, often)
    _extensions(out, data)
    _participants(out, data["participants"], participants)
    if "location" in data:
        _place(out, data["location"], often)
    _relations(out, data, record_id, often)
    out.append("</event>")
    return out


def _tombstone(data: dict[str, Any], often: Often) -> _Lines:
    out = [f'<event{_NS} xml:id="{_a(data["id"])}" when="{_a(data["deleted"])}">']
    _idnos(out, "  ", data.get("identifiers", {}), often)
    out.append(f"  <label>{DELETED_LABEL}</label>")
    if "reason" in data:
        out.append(f"  <desc>{_t(data['reason'])}</desc>")
    out.append("</event>")
    return out


def _not_xml(value: Any, pointer: str = "") -> tuple[str, str] | None:
    """The first string in ``value`` (or key) that XML cannot hold, and where it is."""
    if isinstance(value, str):
        return (pointer, value) if NOT_XML.search(value) else None
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


def _refused(kind: str, data: dict[str, Any], exc: RefusedError) -> FieldValueError:
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
        self.has_inner = False
        self.lists = 0
        self.entries = 0

    def open_inner(self, out: _Lines, key: str | None) -> None:
        start = f'\n<{self.tag} n="{_a(key)}">' if key else f"\n<{self.tag}>"
        # The inner list open before closes where the next one opens.
        out.append(f"</{self.tag}>{start}" if self.has_inner else start)
        self.has_inner = True
        self.inner_key = key
        self.lists += 1
        self.entries = 0

    def close_inner(self, out: _Lines) -> None:
        if self.has_inner:
            out.append(f"</{self.tag}>")
            self.has_inner = False

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
        self._often = Often()
        self._participants = _Participants(self._kinds, self._often)
        # Records wait here, up to _BATCH characters, to be written at once.
        self._pending: _Lines = []
        self._pending_size = 0
        found = _not_xml(header)
        if found is not None:
            pointer, value = found
            bad = NOT_XML.search(value)
            reason = cannot_hold(bad.group() if bad else value)
            raise _refused("dataset", {}, RefusedError(pointer, value, reason))
        self._emit([_DECLARATION, f"<TEI{_NS}>\n", _header(header)])

    def _emit(self, parts: _Lines) -> None:
        self._stream.write("".join(parts).encode("utf-8"))

    def _flush(self) -> None:
        self._emit(self._pending)
        self._pending = []
        self._pending_size = 0

    def write(self, kind: str, data: dict[str, Any]) -> None:
        """Write one plain record of ``kind``.

        Raises:
            FieldValueError: the record holds a value TEI cannot: a number
                that is not finite, or a character XML 1.0 cannot hold.
        """
        list_type: str | None = None
        after: list[_Lines] = []
        out = self._pending
        try:
            if kind == "source":
                tag, outer, inner = LIST_OF["bibl"], None, None
                lines = _source(data, self._often)
            elif kind == "actor":
                tag = LIST_OF["person" if data["kind"] == "person" else "org"]
                outer = inner = None
                lines, after = _actor(data, self._often)
            elif kind == "tombstone":
                tag, outer, inner, list_type = LIST_OF["event"], None, None, DELETED
                lines = _tombstone(data, self._often)
            else:
                start = data["when"]["start"]
                tag, outer, inner = LIST_OF["event"], start[:4], start[:7]
                lines = _event(data, self._participants, self._often)
            # Past this point nothing is refused (an event's date was escaped
            # above): a record is written whole or not at all.
            group = self._group_for(out, tag, outer, inner, list_type)
        except RefusedError as exc:
            raise _refused(kind, data, exc) from None
        if kind == "actor":
            self._kinds.add(data["id"], data["kind"])
            self._participants.clear()
        record = "\n".join(lines)
        out.append(f"\n{record}\n")
        self._pending_size += len(record)
        for relation in after:
            out.append("\n")
            out.append("\n".join(relation))
            out.append("\n")
        group.entries += 1
        if self._pending_size >= _BATCH:
            self._flush()

    def _group_for(
        self, out: _Lines, tag: str, outer: str | None, inner: str | None, kind: str | None
    ) -> _Group:
        group = self._group
        if group is None or group.tag != tag or group.outer_key != outer or group.kind != kind:
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
        out = self._pending
        if self._group is not None:
            self._group.close(out)
        # standOff needs content; a dataset with no records says so.
        out.append("\n</standOff>" if self._stand_off else _EMPTY)
        out.append("\n</TEI>")
        self._flush()
        self._kinds.close()
        return []

    def abort(self) -> None:
        """Drop the id index; whoever owns the stream discards what was written."""
        self._pending = []
        self._kinds.close()


def write(data: dict[str, Any], stream: BinaryIO) -> list[Problem]:
    """Write a whole plain document as TEI."""
    return write_document(Writer(stream, header_of(data)), data)
