"""The file formats conflictdata reads and writes, found by name or by file name.

Every format module offers the same verbs: ``read(stream)`` gives plain
data, ``write(data, stream)`` writes it, and formats that stream add
``iter_items(stream)`` and a ``Writer(stream, header)`` for one record at a
time. None of them validates: :func:`conflictdata.load` and
:func:`conflictdata.iter_records` hand what they read to the validation.

>>> from conflictdata import formats
>>> formats.names()
('json', 'jsonl', 'csv', 'csv-flat', 'tei', 'acled', 'plover', 'ucdp', 'geojson')
>>> formats.for_path("karabakh.json").name
'json'
"""

from __future__ import annotations

from os import PathLike
from pathlib import PurePath

from .._errors import UnknownFormatError
from . import acled as _acled
from . import csvpkg as _csvpkg
from . import flatcsv as _flatcsv
from . import geojson as _geojson
from . import json as _json
from . import jsonl as _jsonl
from . import plover as _plover
from . import tei as _tei
from . import ucdp as _ucdp
from ._base import Decoded, Format, Item, RecordWriter

__all__ = ["Decoded", "Format", "Item", "RecordWriter", "for_path", "get", "names"]


_FORMATS: dict[str, Format] = {
    f.name: f
    for f in (
        Format(
            name="json",
            suffixes=(".json",),
            description="One dataset document.",
            lossless=True,
            read=_json.read,
            write=_json.write,
        ),
        Format(
            name="jsonl",
            suffixes=(".jsonl", ".ndjson"),
            description="JSON Lines: a header line, then one record per line; streams.",
            lossless=True,
            read=_jsonl.read,
            write=_jsonl.write,
            iter_items=_jsonl.iter_items,
            writer=_jsonl.Writer,
        ),
        Format(
            name="csv",
            suffixes=(".zip",),
            description="CSV data package: a directory (or .zip) of tables and datapackage.json.",
            lossless=True,
            read_path=_csvpkg.read_path,
            write_path=_csvpkg.PackageWriter,
            options=("bom", "escape_formulas"),
        ),
        Format(
            name="csv-flat",
            suffixes=(".csv",),
            description="One row per event for spreadsheets (export; lossy).",
            lossless=False,
            write=_flatcsv.write,
            writer=_flatcsv.Writer,
            options=("bom", "escape_formulas"),
        ),
        Format(
            name="tei",
            suffixes=(".tei.xml", ".xml"),
            description="TEI P5 XML: records in a standOff; streams.",
            lossless=True,
            read=_tei.read,
            write=_tei.write,
            iter_items=_tei.iter_items,
            writer=_tei.Writer,
        ),
        Format(
            name="acled",
            suffixes=(),
            description="ACLED CSV export, one row per event (by name: ACLED files end in .csv).",
            lossless=False,
            read=_acled.read,
            write=_acled.write,
            iter_items=_acled.iter_items,
            writer=_acled.Writer,
            options=("layout",),
        ),
        Format(
            name="plover",
            suffixes=(),
            description="PLOVER event records, JSON or JSON Lines, both dialects (read only).",
            lossless=False,
            read=_plover.read,
            iter_items=_plover.iter_items,
        ),
        Format(
            name="ucdp",
            suffixes=(),
            description="UCDP GED CSV, one row per event (by name only: GED files end in .csv).",
            lossless=False,
            read=_ucdp.read,
            write=_ucdp.write,
            iter_items=_ucdp.iter_items,
            writer=_ucdp.Writer,
            options=("layout",),
        ),
        Format(
            name="geojson",
            suffixes=(".geojson",),
            description="GeoJSON FeatureCollection of the events that have coordinates (export).",
            lossless=False,
            write=_geojson.write,
            writer=_geojson.Writer,
        ),
    )
}


def names() -> tuple[str, ...]:
    """Names of the known formats."""
    return tuple(_FORMATS)


def get(name: str) -> Format:
    """The format called ``name``; :class:`UnknownFormatError` if there is none."""
    try:
        return _FORMATS[name.lower()]
    except KeyError:
        raise UnknownFormatError(
            f"unknown format {name!r}; known formats: {', '.join(names())}"
        ) from None


def for_path(path: str | PathLike[str]) -> Format:
    """The format a file name implies, by its longest matching ending.

    A directory, or a name without an ending, is a CSV data package.
    """
    name = PurePath(path).name.lower()
    matches = [(len(s), f) for f in _FORMATS.values() for s in f.suffixes if name.endswith(s)]
    if not matches and _csvpkg.is_package(path):
        return _FORMATS["csv"]
    if not matches:
        raise UnknownFormatError(
            f"cannot tell the format of {str(path)!r} from its name; "
            f"give one of: {', '.join(names())}"
        )
    return max(matches, key=lambda m: m[0])[1]
