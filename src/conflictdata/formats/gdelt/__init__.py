"""GDELT: the Global Database of Events, Language, and Tone's event files, read and written.

Each row becomes an event with the PLOVER type the CAMEO crosswalk
(:mod:`conflictdata.formats._cameo`) gives its ``EventCode``, the CAMEO
codes and ``QuadClass`` kept as classifications, its two actors (one
record per distinct CAMEO code and name) on sides ``a`` and ``b``, the
action's geography as its place and its ``SOURCEURL`` as a cited source.
The other cells are kept in the event's ``gdelt`` extension and the file's
layout (2.0, 1.0 or a BigQuery export; delimiter, header, spelling of a
missing value) on the dataset's own source record, so that writing the
dataset back gives the same rows cell for cell. ``docs/interop.md``
explains every mapping decision.
"""

from .._base import Format, lazy
from .._detect import is_gdelt
from ._tables import COLUMNS_1, COLUMNS_1_URL, COLUMNS_2, SCHEME

__all__ = ["COLUMNS_1", "COLUMNS_1_URL", "COLUMNS_2", "FORMAT", "SCHEME"]

FORMAT = Format(
    name="gdelt",
    description="GDELT 1.0/2.0 event files and BigQuery exports (told by their rows).",
    lossless=False,
    suffixes=(".export.csv",),
    reader=lazy("conflictdata.formats.gdelt._reader", "iter_items"),
    writer=lazy("conflictdata.formats.gdelt._writer", "Writer"),
    options=("layout",),
    detect=is_gdelt,
)
