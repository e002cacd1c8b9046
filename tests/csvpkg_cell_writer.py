"""The CSV package writer of 0.x, a formatter call per cell: the oracle of test_csvpkg_writer."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from typing import Any

from conflictdata.formats._tables import RENAMED, TABLES, Column, Table
from conflictdata.model import RecordKind

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "'")


def escape(text: str) -> str:
    """The escape of 0.x, by ``str.startswith``."""
    return "'" + text if text.startswith(_FORMULA_START) else text


def _formatter(column: Column, formulas: bool) -> Callable[[Any], str]:
    if column.type == "boolean":
        return lambda value: "" if value is None else ("true" if value else "false")
    if column.type in ("integer", "number"):
        return lambda value: "" if value is None else repr(value)
    text = escape if formulas else str
    if column.type == "json":
        return lambda value: (
            ""
            if value is None
            else text(json.dumps(value, ensure_ascii=False, separators=(",", ":")))
        )
    return lambda value: "" if value is None else text(value)


def _getter(path: tuple[str, ...]) -> Callable[[dict[str, Any]], Any]:
    keys = [RENAMED.get(part, part) for part in path]
    if len(keys) == 1:
        (key,) = keys
        return lambda record: record.get(key)
    first, second = keys
    return lambda record: (record.get(first) or {}).get(second)


RowMaker = Callable[[str, Any, Any], list[str]]


def _row_maker(table: Table, formulas: bool) -> RowMaker:
    if table.shape == "record":
        cells = [(_getter(c.path), _formatter(c, formulas)) for c in table.columns]
        return lambda _id, _where, record: [fmt(get(record)) for get, fmt in cells]
    owner = _formatter(table.columns[0], formulas)
    if table.shape == "map":
        key, value = (_formatter(c, formulas) for c in table.columns[1:])
        return lambda record_id, name, item: [owner(record_id), key(name), value(item)]
    items = table.columns[2:]
    if items[0].path == ("value",):
        scalar = _formatter(items[0], formulas)
        return lambda record_id, position, item: [owner(record_id), str(position), scalar(item)]
    item_cells = [(_getter(c.path), _formatter(c, formulas)) for c in items]
    return lambda record_id, position, item: [
        owner(record_id),
        str(position),
        *(fmt(get(item)) for get, fmt in item_cells),
    ]


def tables(document: dict[str, Any], *, formulas: bool = True) -> dict[str, str]:
    """The text of every table file of a plain document, as 0.x wrote it."""
    texts = {}
    for table in TABLES:
        stream = io.StringIO(newline="")
        writer = csv.writer(stream, lineterminator="\r\n")
        writer.writerow(table.header)
        rows = _row_maker(table, formulas)
        for kind in RecordKind:
            if table.owner not in (kind.value, "any"):
                continue
            for data in document.get(kind.member, ()):
                if table.shape == "record":
                    writer.writerow(rows(data["id"], None, data))
                    continue
                values = data.get(table.field or "")
                if not values:
                    continue
                pairs = values.items() if table.shape == "map" else enumerate(values)
                writer.writerows(rows(data["id"], where, item) for where, item in pairs)
        texts[table.file] = stream.getvalue()
    return texts
