"""ACLED: the Armed Conflict Location & Event Data CSV, read and written row for row.

Each row becomes an event with a PLOVER type chosen by the crosswalk in
:data:`CROSSWALK` (older exports' event types by :data:`TYPES_ALONE`),
ACLED's own types kept as classifications, actors shared across rows, and
sources cited by the event. Columns the model does not hold, and the raw
text of the columns it holds only in part, are kept in the event's
``acled`` extension; the file's layout (its header as read, date style,
line ending) is kept on the dataset's own source record, so that writing
the dataset back gives the same cells in the same columns.
``docs/interop.md`` explains every mapping decision.
"""

from .._base import Format
from .._detect import is_acled
from .._rows import LAYOUTS as LAYOUTS
from ._reader import actor_id as actor_id
from ._reader import canonical, iter_items, read
from ._reader import source_id as source_id
from ._tables import (
    COLUMNS,
    CROSSWALK,
    INTER,
    LEGACY_COLUMNS,
    REQUIRED_COLUMNS,
    SCHEME,
    TYPES_ALONE,
)
from ._tables import GEO_PRECISION as GEO_PRECISION
from ._tables import MISSING as MISSING
from ._tables import RENAMED as RENAMED
from ._writer import Writer, write

__all__ = [
    "COLUMNS",
    "CROSSWALK",
    "INTER",
    "LEGACY_COLUMNS",
    "REQUIRED_COLUMNS",
    "SCHEME",
    "TYPES_ALONE",
    "Writer",
    "canonical",
    "iter_items",
    "read",
    "write",
]

FORMAT = Format(
    name="acled",
    description="ACLED CSV export, one row per event (told by its header row).",
    lossless=False,
    reader=iter_items,
    writer=Writer,
    options=("layout",),
    detect=is_acled,
)
