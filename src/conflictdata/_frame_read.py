"""Frames back to a plain document, with every value's table, row and column.

The tables are those of :mod:`._frame_layout`; their values arrive as
Python objects (whatever the library's ``tolist`` gives). What cannot be
read is a located problem, never an exception, and the document then goes
through the pipeline like any other input.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any

import attrs

from ._frame_layout import FRAME_TABLES, METADATA, FrameColumn, FrameTable
from ._report import Problem, error, pointer
from .formats._base import Decoded
from .formats._tables import RENAMED
from .model import RECORD_LISTS as _LISTS
from .model import SCHEMA_VERSION

__all__ = ["Columns", "read_frames"]

Plain = dict[str, Any]


@attrs.frozen
class Columns:
    """One frame as the reader sees it: column names, row count, a column's values."""

    names: Sequence[Any]
    length: int
    column: Callable[[str], Sequence[Any]]
    #: Values that mean "missing" besides None and NaN (pandas' NA and NaT).
    missing: tuple[Any, ...] = ()


class _Reader:
    def __init__(self) -> None:
        self.problems: list[Problem] = []
        self.document: dict[str, list[Plain]] = {kind: [] for kind in _LISTS.values()}
        self.index: dict[str, tuple[str, int]] = {}  # id -> (kind, index)
        self.locations: dict[str, tuple[str, int]] = {}  # pointer -> (table, row)
        self.metadata: Plain | None = None
        self._missing: tuple[Any, ...] = ()

    def problem(self, code: str, message: str, where: str) -> None:
        self.problems.append(error((), code, message, where))

    def rows(self, frame: FrameTable, data: Columns) -> Iterator[tuple[int, Plain]]:
        names = list(data.names)
        known = {c.name for c in frame.columns}
        missing = [
            c.name
            for c in frame.stored
            if c.name not in names and c.source is not None and c.source.since is None
        ]
        extra = [str(n) for n in names if n not in known]
        duplicated = sorted({str(n) for n in names if names.count(n) > 1})
        for name in missing:
            self.problem("input.header", f"column {name!r} is missing", frame.name)
        for name in extra:
            self.problem(
                "input.header",
                f"column {name!r} is not part of this table (drop it first: it would be lost)",
                f"{frame.name} column {name}",
            )
        for name in duplicated:
            self.problem(
                "input.header", f"column {name!r} appears twice", f"{frame.name} column {name}"
            )
        if missing or extra or duplicated:
            return
        absent = [None] * data.length
        columns = {
            c.name: data.column(c.name) if c.name in names else absent for c in frame.stored
        }
        for column in columns.values():
            if len(column) != data.length:
                self.problem("input.row", "columns of different lengths", frame.name)
                return
        self._missing = data.missing
        for row in range(data.length):
            yield row, {name: values[row] for name, values in columns.items()}

    def value(self, raw: Any, column: FrameColumn, where: str) -> Any:
        if type(raw).__module__ == "numpy" and hasattr(raw, "item"):
            raw = raw.item()
        # Any frame library's "missing", and empty text (never valid text).
        missing = raw is None or any(raw is m for m in self._missing)
        if missing or (isinstance(raw, str) and not raw) or (_is_float(raw) and math.isnan(raw)):
            return None
        if column.type == "json" and isinstance(raw, str):
            try:
                return json.loads(raw)
            except ValueError as exc:
                self.cell(raw, f"not JSON text ({exc})", column, where)
                return None
        value = _coerce(raw, column.type)
        if value is None:
            self.cell(raw, f"not {_A[column.type]}", column, where)
        return value

    def cell(self, raw: Any, why: str, column: FrameColumn, where: str) -> None:
        shown = repr(raw)[:40]
        self.problem(
            "input.cell", f"{shown} is {why} ({column.name})", f"{where} column {column.name}"
        )

    def record(self, frame: FrameTable, row: Plain, where: str) -> Plain:
        record: Plain = {}
        for column in frame.stored:
            value = self.value(row[column.name], column, where)
            if value is None or (column.type == "boolean" and value is False):
                continue
            assert column.source is not None  # noqa: S101 - stored columns have one
            _put(record, column.source.path, value)
        return record

    def metadata_table(self, data: Columns) -> None:
        frame = FRAME_TABLES[METADATA.name]
        rows = list(self.rows(frame, data))
        if len(rows) != 1 and not any(p.location == frame.name for p in self.problems):
            self.problem(
                "input.structure", f"the metadata table has {len(rows)} rows, not 1", "metadata"
            )
            return
        for row, values in rows:
            self.metadata = self.record(frame, values, f"metadata row {row}")
            self.locations["/metadata"] = ("metadata", row)

    def record_table(self, frame: FrameTable, data: Columns) -> None:
        member = _LISTS[frame.table.owner]
        records = self.document[member]
        for row, values in self.rows(frame, data):
            record = self.record(frame, values, f"{frame.name} row {row}")
            if frame.table.owner == "event":
                # Required lists whose tables may have no rows for this event.
                record.setdefault("participants", [])
                record.setdefault("citations", [])
            record_id = record.get("id")
            self.locations[pointer(member, len(records))] = (frame.name, row)
            if isinstance(record_id, str):
                self.index.setdefault(record_id, (frame.table.owner, len(records)))
            records.append(record)

    def owner_of(self, frame: FrameTable, owner_id: Any, where: str) -> tuple[Plain, str] | None:
        found = self.index.get(owner_id) if isinstance(owner_id, str) else None
        owner = frame.table.owner
        if found is None or (owner != "any" and found[0] != owner):
            what = "record" if owner == "any" else owner
            self.problem(
                "input.foreign-key",
                f"no {what} has the id {str(owner_id)[:40]!r}",
                f"{where} column {frame.columns[0].name}",
            )
            return None
        kind, index = found
        member = _LISTS[kind]
        return self.document[member][index], pointer(member, index)

    def list_table(self, frame: FrameTable, data: Columns) -> None:
        owner_column, position_column, *item_columns = frame.stored
        field = frame.table.field or ""
        scalar = item_columns[0].source is not None and item_columns[0].source.path == ("value",)
        # Rows may come in any order (a frame is often sorted or merged):
        # positions, not row order, say where each item goes.
        items: dict[str, tuple[Plain, str, dict[int, tuple[int, Any]]]] = {}
        for row, values in self.rows(frame, data):
            where = f"{frame.name} row {row}"
            owner_id = self.value(values[owner_column.name], owner_column, where)
            position = self.value(values["position"], position_column, where)
            found = self.owner_of(frame, owner_id, where)
            if found is None or position is None:
                continue
            record, path = found
            if scalar:
                item: Any = self.value(values[item_columns[0].name], item_columns[0], where)
            else:
                item = {}
                for column in item_columns:
                    value = self.value(values[column.name], column, where)
                    if value is not None:
                        assert column.source is not None  # noqa: S101 - stored columns have one
                        _put(item, column.source.path, value)
            positions = items.setdefault(path, (record, owner_id, {}))[2]
            if position in positions:
                self.problem(
                    "input.position",
                    f"position {position} of {owner_id!r} is also in row {positions[position][0]}",
                    f"{where} column position",
                )
                continue
            positions[position] = (row, item)
        for path, (record, owner_id, positions) in items.items():
            order = sorted(positions)
            if order != list(range(len(order))):
                gap = next(p for i, p in enumerate(order) if p != i)
                self.problem(
                    "input.position",
                    f"the positions of {owner_id!r} must run 0, 1, 2, ...: {gap} has no "
                    f"{gap - 1} before it"
                    if gap > 0
                    else f"position {gap} is negative",
                    f"{frame.name} row {positions[gap][0]} column position",
                )
                continue
            listed = record.setdefault(field, [])
            for position in order:
                row, item = positions[position]
                self.locations[f"{path}/{field}/{position}"] = (frame.name, row)
                listed.append(item)

    def map_table(self, frame: FrameTable, data: Columns) -> None:
        field = frame.table.field or ""
        owner_column, key_column, value_column = frame.stored
        for row, values in self.rows(frame, data):
            where = f"{frame.name} row {row}"
            owner_id = self.value(values[owner_column.name], owner_column, where)
            key = self.value(values[key_column.name], key_column, where)
            value = self.value(values[value_column.name], value_column, where)
            found = self.owner_of(frame, owner_id, where)
            if found is None or key is None:
                continue
            record, path = found
            members = record.setdefault(field, {})
            if key in members:
                self.problem(
                    "input.duplicate-key",
                    f"{key!r} appears twice for {owner_id!r}",
                    f"{where} column {key_column.name}",
                )
                continue
            self.locations[f"{path}/{field}/{pointer(key)[1:]}"] = (frame.name, row)
            members[key] = value


#: What a value of each column type is, for messages.
_A = {
    "string": "text",
    "integer": "a whole number",
    "number": "a finite number",
    "boolean": "true or false",
    "json": "JSON text",
}


def _is_float(value: Any) -> bool:
    return isinstance(value, float)


def _coerce(raw: Any, kind: str) -> Any:
    """``raw`` as a value of a column of type ``kind``, or None if it is not one."""
    exact = isinstance(raw, (int, float)) and not isinstance(raw, bool)
    if kind == "integer" and exact:
        return raw if isinstance(raw, int) else (int(raw) if raw.is_integer() else None)
    if kind == "number" and exact:
        return float(raw) if math.isfinite(raw) else None
    if kind == "boolean" and isinstance(raw, bool):
        return raw
    if kind == "json" and isinstance(raw, (dict, list)):
        return raw
    if kind == "string" and isinstance(raw, str):
        return raw
    return None


def _put(record: Plain, path: tuple[str, ...], value: Any) -> None:
    target = record
    for part in path[:-1]:
        target = target.setdefault(part, {})
    target[RENAMED.get(path[-1], path[-1])] = value


def read_frames(tables: Mapping[str, Columns], metadata: Plain | None = None) -> Decoded:
    """The plain document of ``tables`` (and ``metadata``, which replaces that table)."""
    reader = _Reader()
    for name in tables:
        if name not in FRAME_TABLES:
            listed = ", ".join(FRAME_TABLES)
            reader.problem(
                "input.structure",
                f"no table is called {str(name)[:40]!r}; the tables are: {listed}",
                str(name)[:40],
            )
    if metadata is not None:
        reader.metadata = metadata
    elif METADATA.name in tables:
        reader.metadata_table(tables[METADATA.name])
    else:
        reader.problem(
            "input.structure", "no metadata: pass a metadata table or metadata=", "metadata"
        )
    given = [f for f in FRAME_TABLES.values() if f.name in tables and f.name != METADATA.name]
    for frame in given:
        if frame.table.shape == "record":
            reader.record_table(frame, tables[frame.name])
    # Rows of the other tables would only repeat that their owners are missing.
    for frame in given if not reader.problems else ():
        if frame.table.shape == "list":
            reader.list_table(frame, tables[frame.name])
        elif frame.table.shape == "map":
            reader.map_table(frame, tables[frame.name])
    document: Plain = {
        "schema_version": SCHEMA_VERSION,
        "metadata": reader.metadata,
        **{k: v for k, v in reader.document.items() if v or k != "deleted"},
    }
    return Decoded(document, locator=_locator(reader.locations), problems=tuple(reader.problems))


def _locator(
    locations: dict[str, tuple[str, int]],
) -> Callable[[tuple[str | int, ...]], str | None]:
    def locate(at: tuple[str | int, ...]) -> str | None:
        parts = pointer(*at).split("/")
        for end in range(len(parts), 0, -1):
            found = locations.get("/".join(parts[:end]))
            if found is None:
                continue
            name, row = found
            rest = tuple(parts[end:])
            for column in FRAME_TABLES[name].stored:
                assert column.source is not None  # noqa: S101 - stored columns have one
                wanted = tuple(RENAMED.get(p, p) for p in column.source.path)
                if rest[: len(wanted)] == wanted or (wanted == ("value",) and not rest):
                    return f"{name} row {row} column {column.name}"
            return f"{name} row {row}"
        return None

    return locate
