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
        listEvent[@type="deleted"]
                     tombstones: event[@xml:id][@when] with label "deleted"

Every list holds at most :data:`GROUP_SIZE` entries and nests inside a list
of the same kind, because RELAX NG validation slows down sharply on long
flat lists. Records are written one by one from string templates (lxml
builds only the header), so memory stays flat however many there are.

Reading is strict and safe: a DTD, an entity or an element the layout does
not have is an error, never silently dropped; nothing outside the file is
ever fetched.

The modules: ``_layout`` (the table both directions read), ``_safe``
(prolog screen, parser settings), ``_escape`` (escaping and refusing
values), ``_writer``, ``_records`` (each record's elements back into
fields) and ``_reader`` (the pass over the document).
The limits are set in this package.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from .._base import ALL_KINDS, Format, lazy
from .._detect import is_tei

if TYPE_CHECKING:
    from ._layout import TEI_NS
    from ._reader import iter_items, read
    from ._writer import Writer, write

__all__ = [
    "FORMAT",
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

# The limits are set here, where a caller may change them: the modules read
# them from the package each time they are needed.

#: Most entries in one list element; lists of lists hold as many lists.
GROUP_SIZE = 250
#: Deepest element nesting read; the layout needs about 10 levels.
MAX_DEPTH = 40
#: Most elements in one record; more is an ``input.size`` problem.
MAX_RECORD_ELEMENTS = 100_000
#: How much of a file's start is searched for the root element.
PROLOG_LIMIT = 1024 * 1024

# The modules that do the work import lxml: they are imported on first use,
# so that looking the format up (or importing conflictdata) does not.
_PUBLIC = {
    "TEI_NS": "._layout",
    "iter_items": "._reader",
    "read": "._reader",
    "Writer": "._writer",
    "write": "._writer",
}


def __getattr__(name: str) -> Any:
    module = _PUBLIC.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(module, __name__), name)


FORMAT = Format(
    name="tei",
    suffixes=(".tei.xml", ".xml"),
    description="TEI P5 XML: records in a standOff; streams.",
    lossless=True,
    reader=lazy(f"{__name__}._reader", "iter_items"),
    writer=lazy(f"{__name__}._writer", "Writer"),
    kinds=ALL_KINDS,
    detect=is_tei,
)
