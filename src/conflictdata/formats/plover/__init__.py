"""PLOVER: event records as JSON, in every dialect and framing found published (read only).

The PLOVER manual writes snake_case records (``actor``, ``recipient``,
``event_text``, ``event_loc``, ``cite_info``); the published gold-standard
files use camelCase (``source``, ``target``, ``actorText``, ``eventText``,
``eventLoc``, ``dateCoded``) and write numbers as strings; ICEWS conversions
give bare CAMEO codes and a list of places. All are read, from one record
per line, pretty-printed records one after another, a JSON array or one
object, streaming. Draft types and CAMEO codes are mapped to the current
types (``_cameo`` has the crosswalk), the original kept as a classification.
A document record is skipped, a repeated id kept under a derived one, and
the slips of hand-written files (a bare date, a trailing comma) mended, each
said so. Fields the model does not hold are kept in the event's ``plover``
extension. ``docs/interop.md`` has the mapping.
"""

from .._base import Format
from .._detect import is_plover
from ._reader import iter_items, read
from ._tables import CODE_KINDS, DRAFT_TYPES, SCHEME, SECTORS
from ._tables import RESOLUTION as RESOLUTION

__all__ = ["CODE_KINDS", "DRAFT_TYPES", "SCHEME", "SECTORS", "iter_items", "read"]

FORMAT = Format(
    name="plover",
    description="PLOVER event records, JSON or JSON Lines, both dialects (read only).",
    lossless=False,
    reader=iter_items,
    detect=is_plover,
)
