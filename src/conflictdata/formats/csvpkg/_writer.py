"""Writing a CSV package: a row maker per table, then the descriptor."""

from __future__ import annotations

import csv
import json
import shutil
import tempfile
import zipfile
from collections.abc import Callable
from contextlib import ExitStack
from pathlib import Path
from typing import Any

from ..._report import Problem
from ...model import RECORD_LISTS as _LISTS
from .. import json as _json
from .._staging import publish_directory
from .._tables import RENAMED, TABLES, Column, Table
from ._cells import escape
from ._descriptor import PACKAGE, package_descriptor

__all__ = ["PackageWriter"]


def _formatter(column: Column, formulas: bool) -> Callable[[Any], str]:
    """How one column writes its values (absent values are empty cells)."""
    if column.type == "boolean":
        return lambda value: "" if value is None else ("true" if value else "false")
    if column.type in ("integer", "number"):
        # repr() of a float reads back as the same float.
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
    """Reads the value at ``path`` in a plain record, or None."""
    keys = [RENAMED.get(part, part) for part in path]
    if len(keys) == 1:
        (key,) = keys
        return lambda record: record.get(key)
    first, second = keys
    return lambda record: (record.get(first) or {}).get(second)


RowMaker = Callable[[str, Any, Any], list[str]]


def _row_maker(table: Table, formulas: bool) -> RowMaker:
    """Makes the rows of ``table`` from (record id, position or key, item or record)."""
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


class PackageWriter:
    """Writes a CSV package record by record.

    Tables are written to a hidden folder beside the target and moved (or
    zipped) into place on :meth:`close`; :meth:`abort` removes them.
    """

    def __init__(
        self,
        target: Path,
        header: dict[str, Any],
        *,
        overwrite: bool = False,
        bom: bool = False,
        escape_formulas: bool = True,
    ) -> None:
        if target.exists() and not overwrite:
            raise FileExistsError(f"{target} exists; pass overwrite=True to replace it")
        self._target = target
        self._overwrite = overwrite
        self._header = header
        self._formulas = escape_formulas
        self._bom = bom
        self._staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=target.parent))
        self._files = ExitStack()
        # Per record kind: its tables, each with a CSV writer and a row maker.
        self._plan: dict[str, list[tuple[Table, Any, RowMaker]]] = {kind: [] for kind in _LISTS}
        encoding = "utf-8-sig" if bom else "utf-8"
        try:
            for table in TABLES:
                handle = self._files.enter_context(
                    (self._staging / table.file).open("w", encoding=encoding, newline="")
                )
                writer = csv.writer(handle, lineterminator="\r\n")
                writer.writerow(table.header)
                rows = _row_maker(table, escape_formulas)
                for kind in _LISTS:
                    if table.owner in (kind, "any"):
                        self._plan[kind].append((table, writer, rows))
        except BaseException:
            self.abort()
            raise

    def write(self, kind: str, data: dict[str, Any]) -> None:
        """Write the rows of one source, actor, event or tombstone."""
        record_id = data["id"]
        for table, writer, rows in self._plan[kind]:
            if table.shape == "record":
                writer.writerow(rows(record_id, None, data))
                continue
            values = data.get(table.field or "")
            if not values:
                continue
            pairs = values.items() if table.shape == "map" else enumerate(values)
            writer.writerows(rows(record_id, where, item) for where, item in pairs)

    def close(self) -> list[Problem]:
        """Write ``datapackage.json`` and put the package in place."""
        try:
            self._files.close()
            descriptor = package_descriptor(
                self._header, bom=self._bom, escape_formulas=self._formulas
            )
            (self._staging / PACKAGE).write_text(_json.dumps(descriptor), "utf-8")
            if self._target.suffix.lower() == ".zip":
                self._publish_zip()
            else:
                self._publish_directory()
        except BaseException:
            self.abort()
            raise
        return []

    def _publish_zip(self) -> None:
        from ..._io import atomic_writer  # noqa: PLC0415 - _io imports the formats

        with (
            atomic_writer(self._target, overwrite=self._overwrite) as stream,
            zipfile.ZipFile(stream, "w", compression=zipfile.ZIP_DEFLATED) as archive,
        ):
            for name in [PACKAGE, *(t.file for t in TABLES)]:
                archive.write(self._staging / name, name)
        shutil.rmtree(self._staging)

    def _publish_directory(self) -> None:
        publish_directory(self._staging, self._target, overwrite=self._overwrite)

    def abort(self) -> None:
        """Remove everything written so far."""
        self._files.close()
        shutil.rmtree(self._staging, ignore_errors=True)
