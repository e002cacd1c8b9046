"""CSV data package: one CSV table per record kind and per list, plus ``datapackage.json``.

A directory, or a ``.zip`` of the same files. Tables are RFC 4180 CSV in
UTF-8 (a byte order mark on request, for Excel); the layout is in
:mod:`._tables`. Nothing is lost: every list keeps its order in a
``position`` column, an empty cell means an absent field (conflictdata text
is never empty), and extension data is kept as JSON text.

Text cells that a spreadsheet would run as a formula (starting with ``=``,
``+``, ``-``, ``@``, a tab or a carriage return) get a ``'`` in front, as
do cells starting with ``'``, so that reading removes exactly one.
"""

from __future__ import annotations

import csv
import io
import json
import math
import os
import re
import shutil
import tempfile
import zipfile
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from pathlib import Path
from typing import IO, Any

from .._errors import InputError
from .._report import Problem, error, pointer
from ..model import RECORD_LISTS as _LISTS
from ..model import SCHEMA_VERSION
from . import json as _json
from ._base import Decoded, Entry, Format
from ._tables import DATE_PATTERN, TABLES, Column, Table

__all__ = ["FORMULA_START", "MAX_CELL", "PackageWriter", "is_package", "read_path"]

FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "'")
#: The most a zipped package may unpack to, and the highest compression
#: ratio accepted for members over 1 MiB: beyond them it is a zip bomb.
MAX_UNZIPPED = 8 * 1024**3
MAX_RATIO = 200
#: The longest cell read, in characters. The csv module has a limit of its
#: own, but it is process-wide and other libraries raise it; this one holds.
MAX_CELL = 131_072
PACKAGE = "datapackage.json"
_RENAMED = {"actor_ref": "actor", "event_ref": "event"}
_INTEGER = re.compile(r"-?[0-9]+\Z")


def is_package(path: str | os.PathLike[str]) -> bool:
    """Whether ``path`` names a CSV package: a directory, a ``.zip``, or no file ending."""
    target = Path(path)
    return (
        target.is_dir()
        or target.suffix.lower() == ".zip"
        or (not target.suffix and not target.exists())
    )


def escape(text: str) -> str:
    """Make a text cell safe to open in a spreadsheet (reversibly)."""
    return "'" + text if text.startswith(FORMULA_START) else text


def unescape(text: str) -> str:
    """Undo :func:`escape`."""
    return text.removeprefix("'")


# Writing


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
    keys = [_RENAMED.get(part, part) for part in path]
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
        """Write the rows of one source, actor or event."""
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
        from .._io import atomic_writer  # noqa: PLC0415 - _io imports the formats

        with (
            atomic_writer(self._target, overwrite=self._overwrite) as stream,
            zipfile.ZipFile(stream, "w", compression=zipfile.ZIP_DEFLATED) as archive,
        ):
            for name in [PACKAGE, *(t.file for t in TABLES)]:
                archive.write(self._staging / name, name)
        shutil.rmtree(self._staging)

    def _publish_directory(self) -> None:
        target = self._target
        if target.exists():
            if not self._overwrite:
                raise FileExistsError(f"{target} exists; pass overwrite=True to replace it")
            if not target.is_dir():
                raise NotADirectoryError(f"{target} is not a directory")
            # Swap, then delete the old one: the target is never half-written.
            old = Path(tempfile.mkdtemp(prefix=f".{target.name}.old.", dir=target.parent))
            target.replace(old / "package")
            self._staging.replace(target)
            shutil.rmtree(old)
        else:
            self._staging.replace(target)

    def abort(self) -> None:
        """Remove everything written so far."""
        self._files.close()
        shutil.rmtree(self._staging, ignore_errors=True)


def package_descriptor(
    header: dict[str, Any], *, bom: bool, escape_formulas: bool
) -> dict[str, Any]:
    """The Frictionless Data Package descriptor for a package with ``header``."""
    metadata = header["metadata"]
    descriptor: dict[str, Any] = {
        "profile": "tabular-data-package",
        "name": re.sub(r"[^a-z0-9._-]+", "-", metadata["title"].lower()).strip("-._")
        or "conflictdata",
        "title": metadata["title"],
    }
    if "description" in metadata:
        descriptor["description"] = metadata["description"]
    if "license" in metadata:
        descriptor["licenses"] = [
            {"name": metadata["license"]}
            if "/" not in metadata["license"]
            else {"path": metadata["license"]}
        ]
    if metadata.get("creators"):
        descriptor["contributors"] = [{"title": c, "role": "author"} for c in metadata["creators"]]
    if "version" in metadata:
        descriptor["version"] = metadata["version"]
    descriptor["resources"] = [_resource(t, bom) for t in TABLES]
    # Everything needed to read the package back exactly.
    descriptor["conflictdata"] = {
        "schema_version": header.get("schema_version", SCHEMA_VERSION),
        "metadata": metadata,
        "formula_escape": "'" if escape_formulas else None,
    }
    return descriptor


def _field(column: Column) -> dict[str, Any]:
    field: dict[str, Any] = {
        "name": column.name,
        "type": _TABLE_SCHEMA_TYPES.get(column.type, column.type),
    }
    constraints: dict[str, Any] = {}
    if column.required:
        constraints["required"] = True
    if column.enum:
        constraints["enum"] = list(column.enum)
    if column.type == "date":
        constraints["pattern"] = DATE_PATTERN
    if column.type == "boolean":
        field["trueValues"] = ["true"]
        field["falseValues"] = ["false"]
    if constraints:
        field["constraints"] = constraints
    return field


_TABLE_SCHEMA_TYPES = {"json": "string", "date": "string"}
# Columns of list tables that refer to records of another table.
_REFERENCES = {
    "affiliated_with": "actors",
    "actor": "actors",
    "source": "sources",
    "related_event": "events",
}


def _foreign_keys(table: Table) -> list[dict[str, Any]]:
    if table.shape == "record":
        return []
    keys = []
    owner = table.columns[0].name
    if table.owner != "any":
        keys.append(
            {"fields": owner, "reference": {"resource": _LISTS[table.owner], "fields": "id"}}
        )
    if table.shape == "list":
        for column in table.header:
            target = _REFERENCES.get(column)
            if target is not None and column != owner:
                keys.append({"fields": column, "reference": {"resource": target, "fields": "id"}})
    return keys


def _resource(table: Table, bom: bool) -> dict[str, Any]:
    primary = ["id"] if table.shape == "record" else [table.columns[0].name, table.columns[1].name]
    schema: dict[str, Any] = {
        "fields": [_field(c) for c in table.columns],
        "missingValues": [""],
        "primaryKey": primary,
    }
    foreign = _foreign_keys(table)
    if foreign:
        schema["foreignKeys"] = foreign
    return {
        "name": table.name,
        "path": table.file,
        "profile": "tabular-data-resource",
        "description": table.description,
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8-sig" if bom else "utf-8",
        "dialect": {
            "delimiter": ",",
            "lineTerminator": "\r\n",
            "quoteChar": '"',
            "doubleQuote": True,
            "header": True,
        },
        "schema": schema,
    }


# Reading


def _open_tables(path: Path, stack: ExitStack) -> Callable[[str], IO[str] | None]:
    if path.is_dir():

        def open_dir(name: str) -> IO[str] | None:
            file = path / name
            if not file.is_file():
                return None
            return stack.enter_context(file.open(encoding="utf-8-sig", newline=""))

        return open_dir
    try:
        archive = stack.enter_context(zipfile.ZipFile(path))
    except zipfile.BadZipFile as exc:
        raise InputError("input.syntax", f"not a zip archive: {exc}") from None
    _check_archive(archive)
    names = set(archive.namelist())

    def open_zip(name: str) -> IO[str] | None:
        if name not in names:
            return None
        raw = stack.enter_context(archive.open(name))
        return stack.enter_context(io.TextIOWrapper(raw, encoding="utf-8-sig", newline=""))

    return open_zip


def _check_archive(archive: zipfile.ZipFile) -> None:
    members = archive.infolist()
    total = sum(m.file_size for m in members)
    if total > MAX_UNZIPPED:
        raise InputError(
            "input.size", f"the archive unpacks to {total:,} bytes, over {MAX_UNZIPPED:,}"
        )
    for member in members:
        big = member.file_size > 1024**2
        if big and member.file_size > MAX_RATIO * max(member.compress_size, 1):
            raise InputError(
                "input.size",
                f"{member.filename} is compressed more than {MAX_RATIO}:1 (a zip bomb?)",
                location=member.filename,
            )


class _Reader:
    def __init__(self, opener: Callable[[str], IO[str] | None], formulas: bool) -> None:
        self.open = opener
        self.formulas = formulas
        self.problems: list[Problem] = []
        self.document: dict[str, Any] = {"sources": [], "actors": [], "events": []}
        self.index: dict[str, tuple[str, int]] = {}  # id -> (kind, index)
        self.locations: dict[str, tuple[str, int]] = {}  # pointer -> (table, row)

    def problem(self, code: str, message: str, where: str) -> None:
        self.problems.append(error((), code, message, where))

    def rows(self, table: Table) -> Iterator[tuple[int, dict[str, str]]]:
        handle = self.open(table.file)
        if handle is None:
            return
        reader = csv.reader(handle, strict=True)
        try:
            header = next(reader, None)
            if header is None:
                self.problem(
                    "input.header",
                    "the table is empty: it needs a header row",
                    f"{table.file} row 1",
                )
                return
            missing = [c for c in table.header if c not in header]
            extra = [c for c in header if c not in table.header]
            duplicated = sorted({c for c in header if header.count(c) > 1})
            for name in missing:
                self.problem("input.header", f"column {name!r} is missing", f"{table.file} row 1")
            for name in extra + duplicated:
                self.problem(
                    "input.header",
                    f"column {name!r} is not part of this table",
                    f"{table.file} row 1 column {name}",
                )
            if missing or extra or duplicated:
                return
            for number, cells in enumerate(reader, start=2):
                if len(cells) != len(header):
                    self.problem(
                        "input.row",
                        f"{len(cells)} cells where the header has {len(header)}",
                        f"{table.file} row {number}",
                    )
                    continue
                if any(len(cell) > MAX_CELL for cell in cells):
                    self.problem(
                        "input.size",
                        f"a cell longer than {MAX_CELL} characters",
                        f"{table.file} row {number}",
                    )
                    continue
                yield number, dict(zip(header, cells, strict=True))
        except csv.Error as exc:
            code = "input.size" if "field larger" in str(exc) else "input.syntax"
            self.problem(code, str(exc), f"{table.file} row {reader.line_num}")

    def value(self, cell: str, column: Column, where: str) -> Any:
        if cell == "":
            return None
        try:
            if column.type in _PARSERS:
                return _PARSERS[column.type](cell)
            text = unescape(cell) if self.formulas else cell
            return _json.loads(text) if column.type == "json" else text
        except (ValueError, InputError):
            message = f"{cell[:40]!r} is not a {column.type} ({column.name})"
            self.problem("input.cell", message, f"{where} column {column.name}")
            return None

    def record_table(self, table: Table) -> None:
        records = self.document[_LISTS[table.owner]]
        for number, row in self.rows(table):
            where = f"{table.file} row {number}"
            record: dict[str, Any] = {}
            for column in table.columns:
                value = self.value(row[column.name], column, where)
                if value is None or (column.type == "boolean" and value is False):
                    continue
                target = record
                for part in column.path[:-1]:
                    target = target.setdefault(part, {})
                target[column.path[-1]] = value
            for key in ("participants", "citations") if table.owner == "event" else ():
                record[key] = []
            record_id = record.get("id")
            path = pointer(_LISTS[table.owner], len(records))
            self.locations[path] = (table.file, number)
            if isinstance(record_id, str):
                self.index.setdefault(record_id, (table.owner, len(records)))
            records.append(record)

    def owner_of(
        self, table: Table, owner_id: str, where: str
    ) -> tuple[dict[str, Any], str] | None:
        found = self.index.get(owner_id)
        if found is None or (table.owner != "any" and found[0] != table.owner):
            what = "record" if table.owner == "any" else table.owner
            self.problem(
                "input.foreign-key",
                f"no {what} has the id {owner_id!r}",
                f"{where} column {table.columns[0].name}",
            )
            return None
        kind, index = found
        return self.document[_LISTS[kind]][index], pointer(_LISTS[kind], index)

    def list_table(self, table: Table) -> None:
        field = table.field or ""
        owner_column, _, *item_columns = table.columns
        for number, row in self.rows(table):
            where = f"{table.file} row {number}"
            found = self.owner_of(table, row[owner_column.name], where)
            position = self.value(row["position"], table.columns[1], where)
            if found is None or position is None:
                continue
            record, path = found
            items = record.setdefault(field, [])
            if position != len(items):
                self.problem(
                    "input.position",
                    f"position {position} follows {len(items) - 1}: "
                    "rows of one record must be in order from 0",
                    f"{where} column position",
                )
                continue
            if item_columns[0].path == ("value",):
                item: Any = self.value(row[item_columns[0].name], item_columns[0], where)
            else:
                item = {}
                for column in item_columns:
                    value = self.value(row[column.name], column, where)
                    if value is None:
                        continue
                    target = item
                    for part in column.path[:-1]:
                        target = target.setdefault(part, {})
                    target[_RENAMED.get(column.path[-1], column.path[-1])] = value
            self.locations[f"{path}/{field}/{position}"] = (table.file, number)
            items.append(item)

    def map_table(self, table: Table) -> None:
        field = table.field or ""
        owner_column, key_column, value_column = table.columns
        for number, row in self.rows(table):
            where = f"{table.file} row {number}"
            found = self.owner_of(table, row[owner_column.name], where)
            key = self.value(row[key_column.name], key_column, where)
            value = self.value(row[value_column.name], value_column, where)
            if found is None or key is None:
                continue
            record, path = found
            members = record.setdefault(field, {})
            if key in members:
                self.problem(
                    "input.duplicate-key",
                    f"{key!r} appears twice for {record.get('id')!r}",
                    f"{where} column {key_column.name}",
                )
                continue
            self.locations[f"{path}/{field}/{pointer(key)[1:]}"] = (table.file, number)
            members[key] = value


def _integer(cell: str) -> int:
    if not _INTEGER.match(cell):
        raise ValueError(cell)
    return int(cell)


def _number(cell: str) -> float:
    number = float(cell)
    if not math.isfinite(number):
        raise ValueError(cell)
    return number


def _boolean(cell: str) -> bool:
    if cell not in ("true", "false"):
        raise ValueError(cell)
    return cell == "true"


_PARSERS: dict[str, Callable[[str], Any]] = {
    "integer": _integer,
    "number": _number,
    "boolean": _boolean,
}


def read_path(path: Path) -> Decoded:
    """Read a CSV package (a directory or a ``.zip``) as one plain document."""
    with ExitStack() as stack:
        opener = _open_tables(path, stack)
        handle = opener(PACKAGE)
        if handle is None:
            raise InputError(
                "input.syntax", f"{PACKAGE} is missing: this is not a CSV data package"
            )
        try:
            descriptor = _json.loads(handle.read())
        except InputError as exc:
            raise InputError(
                exc.code, exc.message, location=f"{PACKAGE} {exc.location or ''}".strip()
            ) from None
        own = descriptor.get("conflictdata") if isinstance(descriptor, dict) else None
        if not isinstance(own, dict) or "metadata" not in own:
            raise InputError(
                "input.syntax",
                f"{PACKAGE} has no conflictdata member: not written by conflictdata",
                location=PACKAGE,
            )
        reader = _Reader(opener, formulas=own.get("formula_escape") == "'")
        for table in TABLES:
            if table.shape == "record":
                reader.record_table(table)
        if reader.problems:
            # Rows of the other tables would only repeat that their owners
            # are missing: the record tables come first.
            return Decoded(own, problems=tuple(reader.problems))
        for table in TABLES:
            if table.shape == "list":
                reader.list_table(table)
            elif table.shape == "map":
                reader.map_table(table)
    document = {
        "schema_version": own.get("schema_version"),
        "metadata": own["metadata"],
        **reader.document,
    }
    return Decoded(document, locator=_locator(reader.locations), problems=tuple(reader.problems))


def _locator(
    locations: dict[str, tuple[str, int]],
) -> Callable[[tuple[str | int, ...]], str | None]:
    columns = {t.file: t for t in TABLES}

    def locate(at: tuple[str | int, ...]) -> str | None:
        parts = pointer(*at).split("/")
        for end in range(len(parts), 0, -1):
            found = locations.get("/".join(parts[:end]))
            if found is None:
                continue
            file, row = found
            rest = tuple(parts[end:])
            for column in columns[file].columns:
                wanted = tuple(_RENAMED.get(p, p) for p in column.path)
                if rest[: len(wanted)] == wanted or (wanted == ("value",) and not rest):
                    return f"{file} row {row} column {column.name}"
            return f"{file} row {row}"
        return None

    return locate


def iter_path(path: Path) -> Iterator[Entry]:
    """The package's header and records (every table is read first)."""
    yield from read_path(path).entries()


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
)
