"""Writing a CSV package: a compiled row function per table, then the descriptor."""

from __future__ import annotations

import csv
import zipfile
from pathlib import Path
from typing import IO, Any

from ..._report import Problem
from ..._staging import StagingDirectory, atomic_writer
from ...model import RECORD_LISTS as _LISTS
from .. import json as _json
from .._tables import TABLES
from ._cells import escape
from ._compiled import ItemsRows, RecordRow, compile_items, compile_record
from ._descriptor import PACKAGE, package_descriptor

__all__ = ["PackageWriter"]

#: How many records' rows are kept before they are written to the files:
#: memory stays bounded by this many records, whatever the dataset's size.
BATCH = 64


class _Lines:
    """A table's CSV lines, kept until they are written to its file in one go.

    csv.writer calls ``write`` once per row: appending to a list costs far
    less than writing each line to a text file.
    """

    def __init__(self, handle: IO[str]) -> None:
        self._handle = handle
        self._lines: list[str] = []
        self.write = self._lines.append

    def flush(self) -> None:
        """Write the lines kept so far to the file."""
        if self._lines:
            self._handle.write("".join(self._lines))
            self._lines.clear()


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
        self._staging = StagingDirectory(target)
        self._tables: list[_Lines] = []
        self._unwritten = 0
        # Per record kind: the rows of its record table, then its list and
        # map tables with the field each is made from.
        self._rows: dict[str, list[tuple[Any, RecordRow]]] = {kind: [] for kind in _LISTS}
        self._items: dict[str, list[tuple[str, Any, ItemsRows]]] = {kind: [] for kind in _LISTS}
        # The owner cell of the list and map tables is a text cell.
        self._owner = escape if escape_formulas else str
        encoding = "utf-8-sig" if bom else "utf-8"
        try:
            for table in TABLES:
                lines = _Lines(self._staging.open(table.file, encoding=encoding))
                self._tables.append(lines)
                writer = csv.writer(lines, lineterminator="\r\n")
                writer.writerow(table.header)
                kinds = [kind for kind in _LISTS if table.owner in (kind, "any")]
                if table.shape == "record":
                    row = compile_record(table, escape_formulas)
                    for kind in kinds:
                        self._rows[kind].append((writer.writerow, row))
                else:
                    rows = compile_items(table, escape_formulas)
                    for kind in kinds:
                        self._items[kind].append((table.field or "", writer.writerows, rows))
        except BaseException:
            self.abort()
            raise

    def write(self, kind: str, data: dict[str, Any]) -> None:
        """Write the rows of one source, actor, event or tombstone."""
        owner = self._owner(data["id"])
        for write_row, row in self._rows[kind]:
            write_row(row(data))
        for field, write_rows, rows in self._items[kind]:
            values = data.get(field)
            if values:
                write_rows(rows(owner, values))
        self._unwritten += 1
        if self._unwritten >= BATCH:
            self._flush()

    def _flush(self) -> None:
        for lines in self._tables:
            lines.flush()
        self._unwritten = 0

    def close(self) -> list[Problem]:
        """Write ``datapackage.json`` and put the package in place."""
        try:
            self._flush()
            self._staging.close_files()
            descriptor = package_descriptor(
                self._header, bom=self._bom, escape_formulas=self._formulas
            )
            (self._staging.path / PACKAGE).write_text(_json.dumps(descriptor), "utf-8")
            if self._target.suffix.lower() == ".zip":
                self._publish_zip()
            else:
                self._publish_directory()
        except BaseException:
            self.abort()
            raise
        return []

    def _publish_zip(self) -> None:
        with (
            atomic_writer(self._target, overwrite=self._overwrite) as stream,
            zipfile.ZipFile(stream, "w", compression=zipfile.ZIP_DEFLATED) as archive,
        ):
            for name in [PACKAGE, *(t.file for t in TABLES)]:
                archive.write(self._staging.path / name, name)
        self._staging.discard()

    def _publish_directory(self) -> None:
        self._staging.publish(overwrite=self._overwrite)

    def abort(self) -> None:
        """Remove everything written so far (it works on a full disk too)."""
        self._staging.discard()
