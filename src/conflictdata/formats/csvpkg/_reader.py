"""Reading a CSV package: the record tables, then the lists and maps of each record."""

from __future__ import annotations

import codecs
import csv
import errno
import os
import stat
import zipfile
import zlib
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from pathlib import Path
from typing import IO, Any

from ..._errors import InputError
from ..._report import ProblemList, error, pointer
from ...model import RECORD_LISTS as _LISTS
from .. import csvpkg as _limits
from .. import json as _json
from .._base import Decoded, Entry
from .._numbers import NumberError, parse_float, parse_int
from .._tables import RENAMED, TABLES, Column, Table
from ._cells import unescape
from ._descriptor import PACKAGE, read_descriptor

__all__ = ["is_package", "read_path"]


def is_package(path: str | os.PathLike[str]) -> bool:
    """Whether ``path`` names a CSV package: a directory, a ``.zip``, or no file ending."""
    target = Path(path)
    return (
        target.is_dir()
        or target.suffix.lower() == ".zip"
        or (not target.suffix and not target.exists())
    )


def _open_tables(path: Path, stack: ExitStack) -> Callable[[str], IO[bytes] | None]:
    if path.is_dir():

        def open_dir(name: str) -> IO[bytes] | None:
            raw = _open_regular(path / name, name)
            return None if raw is None else stack.enter_context(raw)

        return open_dir
    try:
        archive = stack.enter_context(zipfile.ZipFile(path))
    except (zipfile.BadZipFile, zlib.error, EOFError, UnicodeDecodeError) as exc:
        raise InputError("input.syntax", f"not a zip archive: {exc}") from None
    _check_archive(archive)
    names = set(archive.namelist())

    def open_zip(name: str) -> IO[bytes] | None:
        if name not in names:
            return None
        try:
            return stack.enter_context(archive.open(name))
        except _ZIP_ERRORS as exc:
            raise _damaged(name, exc) from None
        except OSError as exc:
            # A member offset before the start of the file: a seek the
            # system refuses (EINVAL) means damaged data, not a failing disk.
            if exc.errno != errno.EINVAL:
                raise
            raise _damaged(name, exc) from None

    return open_zip


#: What zipfile raises on a damaged member: a bad header or CRC, damaged
#: deflate data, a truncated member, an unsupported method, encryption.
_ZIP_ERRORS = (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError)


def _damaged(name: str, exc: BaseException) -> InputError:
    reason = str(exc) or type(exc).__name__
    return InputError("input.syntax", f"{name}: a zip member that cannot be read: {reason}",
                      location=name)  # fmt: skip


def _open_regular(file: Path, name: str) -> IO[bytes] | None:
    """The file ``name`` of a package directory, if it is there; only a regular file is read.

    A table that is a symbolic link (to ``/etc/passwd``, say), a device or a
    FIFO would make the package read what is not in it, or block.
    """
    try:
        info = file.lstat()
    except FileNotFoundError:
        return None
    if stat.S_ISLNK(info.st_mode):
        raise InputError(
            "input.file", f"{name} is a symbolic link: a package reads only its own files",
            location=name,
        )  # fmt: skip
    if not stat.S_ISREG(info.st_mode):
        raise InputError("input.file", f"{name} is not a regular file", location=name)
    # No following a link made since the check, and no blocking on a FIFO.
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    try:
        fd = os.open(file, flags | getattr(os, "O_BINARY", 0))
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise InputError("input.file", f"{name} is a symbolic link", location=name) from None
        raise
    handle = os.fdopen(fd, "rb")
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        handle.close()
        raise InputError("input.file", f"{name} is not a regular file", location=name)
    return handle


def _lines(handle: IO[bytes], name: str) -> Iterator[str]:
    """The lines of a table as text, none longer than ``MAX_LINE`` bytes, none held whole.

    Each line is decoded on its own, so that bytes that are not UTF-8 are
    located on their line.
    """
    limit = _limits.MAX_LINE
    number = 0
    while True:
        number += 1
        try:
            line = handle.readline(limit + 1)
        except _ZIP_ERRORS as exc:
            raise _damaged(name, exc) from None
        if not line:
            return
        if len(line) > limit:
            raise InputError(
                "input.size",
                f"a line longer than {limit:,} bytes",
                location=f"{name} line {number}",
            )
        if number == 1 and line.startswith(codecs.BOM_UTF8):
            line = line[len(codecs.BOM_UTF8) :]
        try:
            yield line.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise InputError(
                "input.encoding",
                f"not UTF-8: {exc.reason}",
                location=f"{name} line {number}, byte {exc.start + 1}",
            ) from None


def _check_archive(archive: zipfile.ZipFile) -> None:
    members = archive.infolist()
    total = sum(m.file_size for m in members)
    if total > _limits.MAX_UNZIPPED:
        raise InputError(
            "input.size", f"the archive unpacks to {total:,} bytes, over {_limits.MAX_UNZIPPED:,}"
        )
    for member in members:
        big = member.file_size > 1024**2
        if big and member.file_size > _limits.MAX_RATIO * max(member.compress_size, 1):
            raise InputError(
                "input.size",
                f"{member.filename} is compressed more than {_limits.MAX_RATIO}:1 (a zip bomb?)",
                location=member.filename,
            )


class _Reader:
    def __init__(
        self, opener: Callable[[str], IO[bytes] | None], formulas: bool, listed: frozenset[str]
    ) -> None:
        self.open = opener
        self.formulas = formulas
        #: The tables the descriptor lists: each must be there.
        self.listed = listed
        self.problems = ProblemList()
        self.document: dict[str, Any] = {"sources": [], "actors": [], "events": []}
        self.index: dict[str, tuple[str, int]] = {}  # id -> (kind, index)
        self.locations: dict[str, tuple[str, int]] = {}  # pointer -> (table, row)

    def problem(self, code: str, message: str, where: str) -> None:
        self.problems.append(error((), code, message, where))

    def rows(self, table: Table) -> Iterator[tuple[int, dict[str, str]]]:
        try:
            yield from self._rows(table)
        except InputError as exc:
            self.problems.append(exc.as_problem())

    def _rows(self, table: Table) -> Iterator[tuple[int, dict[str, str]]]:  # noqa: C901
        handle = self.open(table.file)
        if handle is None:
            # A table may be left out, but not while the descriptor lists it:
            # its records would be lost without a word.
            if table.file in self.listed:
                message = f"{PACKAGE} lists {table.file}, which the package does not have"
                self.problem("input.file", message, table.file)
            return
        reader = csv.reader(_lines(handle, table.file), strict=True)
        try:
            header = next(reader, None)
            if header is None:
                self.problem(
                    "input.header",
                    "the table is empty: it needs a header row",
                    f"{table.file} row 1",
                )
                return
            # A column newer than the package's writer is absent in every row.
            missing = [c.name for c in table.columns if c.name not in header and c.since is None]
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
            absent = {c.name: "" for c in table.columns if c.name not in header}
            for number, cells in enumerate(reader, start=2):
                if len(cells) != len(header):
                    self.problem(
                        "input.row",
                        f"{len(cells)} cells where the header has {len(header)}",
                        f"{table.file} row {number}",
                    )
                    continue
                if any(len(cell) > _limits.MAX_CELL for cell in cells):
                    self.problem(
                        "input.size",
                        f"a cell longer than {_limits.MAX_CELL} characters",
                        f"{table.file} row {number}",
                    )
                    continue
                yield number, dict(zip(header, cells, strict=True)) | absent
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
        except NumberError as exc:
            message = f"{cell[:40]!r} is not a {column.type} ({column.name}): {exc}"
            self.problem("input.cell", message, f"{where} column {column.name}")
            return None
        except (ValueError, InputError):
            message = f"{cell[:40]!r} is not a {column.type} ({column.name})"
            self.problem("input.cell", message, f"{where} column {column.name}")
            return None

    def record_table(self, table: Table) -> None:
        records = self.document.setdefault(_LISTS[table.owner], [])
        for number, row in self.rows(table):
            where = f"{table.file} row {number}"
            record: dict[str, Any] = {}
            for column in table.columns:
                value = self.value(row[column.name], column, where)
                if value is None or (column.type == "boolean" and value is False):
                    continue
                _put(record, column.path, value)
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
                    _put(item, column.path, value)
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


def _put(record: dict[str, Any], path: tuple[str, ...], value: Any) -> None:
    """Set the value at a column's ``path`` in a plain record or item."""
    target = record
    for part in path[:-1]:
        target = target.setdefault(part, {})
    target[RENAMED.get(path[-1], path[-1])] = value


def _boolean(cell: str) -> bool:
    if cell not in ("true", "false"):
        raise ValueError(cell)
    return cell == "true"


_PARSERS: dict[str, Callable[[str], Any]] = {
    "integer": parse_int,
    "number": parse_float,
    "boolean": _boolean,
}


def read_path(path: Path) -> Decoded:
    """Read a CSV package (a directory or a ``.zip``) as one plain document."""
    with ExitStack() as stack:
        opener = _open_tables(path, stack)
        own, listed = read_descriptor(opener(PACKAGE))
        reader = _Reader(opener, formulas=own.get("formula_escape") == "'", listed=listed)
        for table in TABLES:
            if table.shape == "record":
                reader.record_table(table)
        if reader.problems:
            # Rows of the other tables would only repeat that their owners
            # are missing: the record tables come first.
            return Decoded(own, problems=tuple(reader.problems), dropped=reader.problems.dropped)
        for table in TABLES:
            if table.shape == "list":
                reader.list_table(table)
            elif table.shape == "map":
                reader.map_table(table)
    document = {
        "schema_version": own.get("schema_version"),
        "metadata": own["metadata"],
        # A dataset with no tombstones has no "deleted" member, as in JSON
        # (and schema 1.0 has none at all).
        **{k: v for k, v in reader.document.items() if v or k != "deleted"},
    }
    return Decoded(
        document,
        locator=_locator(reader.locations),
        problems=tuple(reader.problems),
        dropped=reader.problems.dropped,
    )


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
                wanted = tuple(RENAMED.get(p, p) for p in column.path)
                if rest[: len(wanted)] == wanted or (wanted == ("value",) and not rest):
                    return f"{file} row {row} column {column.name}"
            return f"{file} row {row}"
        return None

    return locate


def iter_path(path: Path) -> Iterator[Entry]:
    """The package's header and records (every table is read first)."""
    yield from read_path(path).entries()
