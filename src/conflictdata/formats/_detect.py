"""Telling a format by the first bytes of a file, for files whose name does not say.

ACLED, UCDP GED and GDELT files all end in ``.csv`` (or ``.CSV``), PLOVER
files in ``.json`` or ``.jsonl``: their names say nothing about what is in
them. Each test here looks at the head of a file only (see
:data:`conflictdata.formats.DETECT_BYTES`), in any letter case, and says yes
only for what the format's reader takes.
"""

from __future__ import annotations

import csv
import io
import re

__all__ = [
    "csv_header",
    "is_acled",
    "is_gdelt",
    "is_icews",
    "is_jsonl",
    "is_plover",
    "is_tei",
    "is_ucdp",
    "json_keys",
]

_BOM = b"\xef\xbb\xbf"


def _text(head: bytes) -> str:
    # A head may end in the middle of a character.
    return head.removeprefix(_BOM).decode("utf-8", "ignore")


def csv_header(head: bytes) -> set[str]:
    """The lower-cased column names of a CSV file's first row (empty if there is none)."""
    text = _text(head)
    first = text.split("\n", 1)[0]
    try:
        row = next(csv.reader(io.StringIO(first)), [])
    except csv.Error:
        return set()
    return {cell.strip().lower() for cell in row}


def is_acled(head: bytes) -> bool:
    """An ACLED export: ACLED's event id, and its event type or actor columns."""
    columns = csv_header(head)
    return "event_id_cnty" in columns and bool({"event_type", "actor1"} & columns)


def is_ucdp(head: bytes) -> bool:
    """A UCDP GED file: GED's event columns (not the UCDP/PRIO conflict-year dataset)."""
    columns = csv_header(head)
    return {"type_of_violence", "side_a", "side_b"} <= columns and bool(
        {"date_start", "best", "where_coordinates"} & columns
    )


_JSON_KEY = re.compile(r'"([A-Za-z_]+)"\s*:')


def json_keys(head: bytes) -> set[str]:
    """The member names that appear in the head of a JSON (or JSON Lines) file."""
    return set(_JSON_KEY.findall(_text(head)))


def is_jsonl(head: bytes) -> bool:
    """Conflictdata JSON Lines: a first line that is the dataset header record."""
    first = _text(head).lstrip().split("\n", 1)[0]
    return first.startswith("{") and re.search(r'"record"\s*:\s*"dataset"', first) is not None


def is_json_dataset(head: bytes) -> bool:
    """A conflictdata JSON document: an object with ``schema_version`` near its start."""
    text = _text(head).lstrip()
    return text.startswith("{") and '"schema_version"' in text[:4096] and not is_jsonl(head)


# Members of PLOVER records, in both dialects, and of the ICEWS conversion.
_PLOVER_KEYS = {"eventText", "event_text", "eventType", "event_type", "actorText", "codedDate"}


def is_plover(head: bytes) -> bool:
    """PLOVER records: an object (or list of them) with PLOVER's members."""
    text = _text(head).lstrip()
    if not text.startswith(("{", "[")) or '"schema_version"' in text[:4096]:
        return False
    keys = json_keys(head)
    return bool(keys & _PLOVER_KEYS) or {"id", "date", "event"} <= keys


def is_tei(head: bytes) -> bool:
    """A TEI document: a ``TEI`` root element in the TEI namespace."""
    text = _text(head)
    return re.search(r"<TEI[\s>]", text) is not None and "http://www.tei-c.org/ns/1.0" in text


_GDELT_COUNTS = (57, 58, 61)
_GDELT_ID_DATE = re.compile(r"[0-9]+")


def _gdelt_row(cells: list[str]) -> bool:
    if len(cells) not in _GDELT_COUNTS:
        return False
    ident, day = cells[0].strip(), cells[1].strip()
    return (
        _GDELT_ID_DATE.fullmatch(ident) is not None
        and len(day) == 8
        and day.isdigit()
        and 1 <= int(day[4:6]) <= 12
    )


def is_gdelt(head: bytes) -> bool:
    """A GDELT event file: rows of 57, 58 or 61 cells, a numeric id and a YYYYMMDD date first.

    GDELT's own files are tab-separated without a header; BigQuery exports
    are CSV, with a header row naming ``GLOBALEVENTID`` and ``SQLDATE`` or none.
    """
    lines = _text(head).split("\n")
    first = lines[0].rstrip("\r")
    if "\t" in first:
        return _gdelt_row(first.split("\t"))
    try:
        cells = next(csv.reader(io.StringIO(first)), [])
    except csv.Error:
        return False
    names = {c.strip().lower() for c in cells}
    if {"globaleventid", "sqldate", "eventcode"} <= names:
        return True
    return _gdelt_row(cells)


_ICEWS_COLUMNS = {"event id", "event date", "source name", "cameo code", "target name"}


def is_icews(head: bytes) -> bool:
    """An ICEWS events file from Dataverse: a tab-separated header with ICEWS's columns."""
    first = _text(head).split("\n", 1)[0].rstrip("\r")
    return {c.strip().lower() for c in first.split("\t")} >= _ICEWS_COLUMNS
