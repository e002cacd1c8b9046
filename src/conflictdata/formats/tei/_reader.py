"""Reading TEI: one pass over the elements, each record handed on as it ends."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any, BinaryIO

from lxml import etree

from ..._errors import InputError
from .. import tei as _limits
from .._base import Decoded, Item, read_items
from ._layout import ALLOWED, DELETED, ID, LISTS, RECORDS, T
from ._records import (
    LayoutError,
    check_names,
    local,
    read_actor,
    read_affiliation,
    read_event,
    read_header,
    read_source,
    read_tombstone,
    where,
)
from ._safe import check_root, parse, syntax_error

__all__ = ["iter_items", "read"]

_NONE: frozenset[str] = frozenset()


def _check_attributes(element: etree._Element) -> None:
    keys = element.keys()
    if keys and not ALLOWED.get(str(element.tag), _NONE).issuperset(keys):
        extra = set(keys) - ALLOWED.get(str(element.tag), _NONE)
        shown = ", ".join(sorted("@" + a.rpartition("}")[2] for a in extra))
        raise LayoutError(f"unexpected attribute {shown} (it would be lost)", element)


def _check_list(element: etree._Element, lists: list[str]) -> None:
    _check_attributes(element)
    kind = element.get("type")
    if kind is not None and (local(element) != "listEvent" or kind != DELETED or lists):
        raise LayoutError(
            f"only the <listEvent> of tombstones has a @type: {DELETED!r}, in <standOff>",
            element,
        )


_READERS: dict[str, Callable[[etree._Element], dict[str, Any]]] = {
    "source": read_source,
    "actor": read_actor,
    "event": read_event,
    "tombstone": read_tombstone,
}
_STAND_OFF = T + "standOff"
_NO_ITEMS: list[Item] = []
_LIST_TAGS = {T + name: name for name in LISTS}


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
            check_root(element.getroottree().getroot())
            self.started = True
        check_names(element)
        self.elements += 1
        if self.elements > _limits.MAX_RECORD_ELEMENTS:
            raise InputError(
                "input.size",
                f"a record with more than {_limits.MAX_RECORD_ELEMENTS} elements",
                location=where(element),
            )
        parent = element.getparent()
        if parent is None:
            return _NO_ITEMS
        above = parent.tag
        if above == T + "TEI":
            items = list(self._top(element))
        elif above == _STAND_OFF or above in _LIST_TAGS:
            lists = self._lists_to_stand_off(parent)
            if lists is None:
                return _NO_ITEMS  # a list inside a record (participants): read with it
            items = list(self._entry(local(element), lists, element))
        else:
            return _NO_ITEMS  # inside a record or the header: read with it
        self.elements = 0
        element.clear()
        # Drop what was read, so memory stays flat.
        while element.getprevious() is not None:
            del parent[0]
        return items

    def _top(self, element: etree._Element) -> Iterator[Item]:
        name = local(element)
        if name == "teiHeader" and not self.header_done:
            yield "dataset", read_header(element), where(element), False
            self.header_done = True
        elif name != "standOff" or not self.header_done:
            raise LayoutError(
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
        if len(lists) > _limits.MAX_DEPTH:
            raise InputError(
                "input.depth",
                f"lists nested deeper than {_limits.MAX_DEPTH}",
                location=where(parent),
            )
        return lists[::-1]

    def _entry(  # noqa: C901 - one branch per kind of entry
        self, name: str, lists: list[str], element: etree._Element
    ) -> Iterator[Item]:
        """An element that ended directly in <standOff> or in one of its lists."""
        if self.pending is not None and (name != "relation" or lists[-1:] != ["listOrg"]):
            yield self.pending
            self.pending = None
        if name in LISTS and (not lists or lists[-1] == name):
            _check_list(element, lists)
            return  # a list, or a list of lists, has ended
        if not lists:
            if name != "listRelation" or element.get("type") != "empty":
                raise LayoutError(f"unexpected <{name}> in <standOff>", element)
            return
        for part in element.iter():
            _check_attributes(part)
        if name == "relation" and lists[-1] == "listOrg":
            if self.pending is None:
                raise LayoutError("a <relation> must follow the <org> it belongs to", element)
            read_affiliation(element, self.pending[1])
        elif name != LISTS[lists[-1]]:
            raise LayoutError(f"unexpected <{name}> in <{lists[-1]}>", element)
        else:
            # An <event> is a tombstone in the list of them; nothing else can be.
            kind = "tombstone" if name == "event" and _in_deleted(element) else RECORDS[name]
            if element.get(ID) is None:
                raise LayoutError(f"a {kind} needs an xml:id", element)
            item = (kind, _READERS[kind](element), where(element), False)
            if name == "org":
                self.pending = item
            else:
                yield item


def _in_deleted(element: etree._Element) -> bool:
    """Whether an entry is in the list of tombstones (the outermost list says)."""
    node = element.getparent()
    outer = node
    while node is not None and node.tag in _LIST_TAGS:
        outer, node = node, node.getparent()
    if outer is None or outer.get("type") is None:
        return False
    _check_list(outer, [])
    return True


def iter_items(stream: BinaryIO) -> Iterator[Item]:
    """The header, then each record of a TEI document, with where it is."""
    walk = _Walk()
    parser = iter(parse(stream))
    while True:
        try:
            _, element = next(parser)
        except StopIteration:
            break
        except etree.ParseError as exc:
            raise syntax_error(exc) from None
        items = walk.end(element)
        if items:
            yield from items
    if walk.pending is not None:
        yield walk.pending
    if not walk.header_done:
        raise InputError(
            "input.tei-layout", "no <teiHeader>: not a conflictdata TEI file", location="line 1"
        )


def read(stream: BinaryIO) -> Decoded:
    """Read a whole TEI document as one dataset document."""
    return read_items(iter_items(stream))
