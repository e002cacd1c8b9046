"""UCDP GED: the Georeferenced Event Dataset's CSV, read and written row for row.

Each row becomes an event, its two sides become actors (one record per
UCDP actor id, however many rows name it), and its ``;``-joined source
lists become sources cited by the event, after a citation of the GED
itself. What the model holds is mapped (``docs/interop.md`` has the
crosswalk); every other column is kept, verbatim, in the event's ``ucdp``
extension, so that writing the dataset back gives the same columns: the
49 of GED 20.1 and later, the 42 of GED 19.1, the header and HXL row of an
HDX copy, as the file had them (the layout is kept on the dataset's own
source record). Places get their ISO country from ``country_id``.
"""

from .._base import Format
from .._detect import is_ucdp
from .._rows import LAYOUTS as LAYOUTS
from ._reader import actor_id as actor_id
from ._reader import canonical as canonical
from ._reader import iter_items, read
from ._reader import source_id as source_id
from ._tables import COLUMNS, DATASET_SOURCE, EXTENSION_COLUMNS, REQUIRED_COLUMNS, SCHEME
from ._tables import VIOLENCE as VIOLENCE
from ._tables import WHERE_PRECISION as WHERE_PRECISION
from ._writer import Writer, write

__all__ = [
    "COLUMNS",
    "DATASET_SOURCE",
    "EXTENSION_COLUMNS",
    "REQUIRED_COLUMNS",
    "SCHEME",
    "Writer",
    "iter_items",
    "read",
    "write",
]


FORMAT = Format(
    name="ucdp",
    description="UCDP GED CSV, one row per event (told by its header row).",
    lossless=False,
    reader=iter_items,
    writer=Writer,
    options=("layout",),
    detect=is_ucdp,
)
