"""CSV data package: one CSV table per record kind and per list, plus ``datapackage.json``.

A directory, or a ``.zip`` of the same files. Tables are RFC 4180 CSV in
UTF-8 (a byte order mark on request, for Excel); the layout is in
:mod:`.._tables`. Nothing is lost: every list keeps its order in a
``position`` column, an empty cell means an absent field (conflictdata text
is never empty), and extension data is kept as JSON text.

Text cells that a spreadsheet would run as a formula (starting with ``=``,
``+``, ``-``, ``@``, a tab or a carriage return) get a ``'`` in front, as
do cells starting with ``'``, so that reading removes exactly one.
"""

from pathlib import Path

from .._base import ALL_KINDS, Format
from ._cells import FORMULA_START
from ._reader import is_package, iter_path, read_path
from ._writer import PackageWriter

__all__ = [
    "FORMAT",
    "FORMULA_START",
    "MAX_CELL",
    "MAX_LINE",
    "PackageWriter",
    "is_package",
    "iter_path",
    "read_path",
]

# The limits are set here, where a caller may change them: the modules read
# them from the package each time they are needed.

#: The most a zipped package may unpack to, and the highest compression
#: ratio accepted for members over 1 MiB: beyond them it is a zip bomb.
MAX_UNZIPPED = 8 * 1024**3
MAX_RATIO = 200
#: The longest cell read, in characters. The csv module has a limit of its
#: own, but it is process-wide and other libraries raise it; this one holds.
MAX_CELL = 131_072
#: The longest physical line read from a table, in characters: a row is read
#: a line at a time, so that a member of one endless line is refused after
#: this much, not held whole.
MAX_LINE = 8 * 1024**2


def _claims(path: Path) -> bool:
    # A directory, or a new name without an ending, is a package.
    return path.is_dir() or (not path.suffix and not path.exists())


FORMAT = Format(
    name="csv",
    suffixes=(".zip",),
    description="CSV data package: a directory (or .zip) of tables and datapackage.json.",
    lossless=True,
    directory=True,
    reader=iter_path,
    writer=PackageWriter,
    streams=False,
    options=("bom", "escape_formulas"),
    claims_path=_claims,
    kinds=ALL_KINDS,
)
