"""ICEWS: the Integrated Crisis Early Warning System's coded events, as Dataverse publishes them.

Each row of the tab-separated files becomes an event with the PLOVER type
the CAMEO crosswalk (:mod:`conflictdata.formats._cameo`) gives its ``CAMEO
Code``, its source and target actors on sides ``a`` and ``b``, their
sectors as classifications, the place from the admin names and
coordinates, and the story (``Story ID``, ``Publisher``) as a cited
source. ``NA`` is a missing value. ``docs/interop.md`` explains the mapping.
"""

from .._base import Format, lazy
from .._detect import is_icews
from ._reader import COLUMNS, SCHEME

__all__ = ["COLUMNS", "FORMAT", "SCHEME"]

FORMAT = Format(
    name="icews",
    description="ICEWS coded events, Dataverse tab-separated files (told by their header).",
    lossless=False,
    reader=lazy("conflictdata.formats.icews._reader", "iter_items"),
    detect=is_icews,
)
