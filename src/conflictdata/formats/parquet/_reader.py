"""Reading a Parquet dataset record by record, one batch of each file at a time."""

from __future__ import annotations

import heapq
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from ..._errors import InputError
from ...model import RecordKind
from .._base import Item
from ..json import loads
from ._schema import POSITION, SCHEMA_KEY, TABLES, arrow, arrow_schema, json_columns

__all__ = ["iter_path"]

Clean = Callable[[Any], Any]


def _files(root: Path, kind: RecordKind) -> list[Path]:
    """The table's Parquet files in name order; hidden and ``_`` files are not data (Spark)."""
    folder = root / TABLES[kind]
    if not folder.is_dir():
        return []
    found = [
        p
        for p in folder.rglob("*.parquet")
        if p.is_file() and not any(part[:1] in "._" for part in p.relative_to(folder).parts)
    ]
    return sorted(found, key=lambda p: p.relative_to(folder).as_posix())


def _name(root: Path, path: Path) -> str:
    return path.relative_to(root).as_posix()


def _open(root: Path, path: Path) -> Any:
    pa = arrow()
    try:
        return pa.parquet.ParquetFile(path)
    except (pa.ArrowException, OSError) as exc:
        raise InputError(
            "input.syntax", f"not a readable Parquet file: {exc}", location=_name(root, path)
        ) from None


def _header(root: Path) -> tuple[dict[str, Any], str]:
    files = _files(root, RecordKind.SOURCE)
    if not root.is_dir() or not files:
        raise InputError(
            "input.structure",
            "not a conflictdata Parquet dataset: a directory with sources/, actors/, "
            "events/ and deleted/ tables",
            location=f"{root.name}/sources" if root.is_dir() else root.name,
        )
    where = _name(root, files[0])
    metadata = _open(root, files[0]).schema_arrow.metadata or {}
    raw = metadata.get(SCHEMA_KEY)
    if raw is None:
        raise InputError(
            "input.structure",
            f"no dataset header: the file's metadata has no {SCHEMA_KEY.decode()!r} key",
            location=where,
        )
    try:
        header = loads(raw)
    except InputError as exc:
        raise InputError(exc.code, exc.message, location=f"{where}, metadata") from None
    if not isinstance(header, dict):
        raise InputError(
            "input.structure", "the dataset header must be a JSON object", location=where
        )
    return header, where


def _cleaner(kind: Any) -> Clean | None:
    """Turns a value of Arrow type ``kind`` from ``to_pylist`` into plain JSON data."""
    types = arrow().types
    if types.is_struct(kind):
        return _struct_cleaner({f.name: _cleaner(f.type) for f in kind})
    if types.is_map(kind):
        return dict
    if types.is_list(kind) or types.is_large_list(kind):
        item = _cleaner(kind.value_type)
        if item is None:
            return None
        return lambda values: [None if v is None else item(v) for v in values]
    return None


def _struct_cleaner(members: dict[str, Clean | None]) -> Clean:
    def clean(value: dict[str, Any]) -> dict[str, Any]:
        # Absent members are nulls in Arrow; they are left out again.
        out = {}
        for key, item in value.items():
            if item is not None:
                each = members.get(key)
                out[key] = item if each is None else each(item)
        return out

    return clean


def _columns(root: Path, path: Path, schema: Any, kind: RecordKind) -> Any:
    """The schema to read the file with: the expected types of the columns it has."""
    expected = arrow_schema(kind)
    where = _name(root, path)
    unknown = [name for name in schema.names if expected.get_field_index(name) < 0]
    if unknown:
        raise InputError(
            "input.structure",
            f"column(s) that a {kind.value} does not have: {', '.join(unknown)}",
            location=where,
        )
    missing = [f.name for f in expected if not f.nullable and f.name not in schema.names]
    if missing:
        raise InputError(
            "input.structure", f"required column(s) missing: {', '.join(missing)}", location=where
        )
    # In the file's order, which a cast keeps.
    return arrow().schema([expected.field(name) for name in schema.names])


def _rows(root: Path, path: Path, kind: RecordKind) -> Iterator[tuple[dict[str, Any], str]]:
    """Each row of one file as a plain record, with its place."""
    from . import BATCH_SIZE  # noqa: PLC0415 - read when used, so callers may change it

    pa = arrow()
    where = _name(root, path)
    parquet = _open(root, path)
    target = _columns(root, path, parquet.schema_arrow, kind)
    clean = _struct_cleaner({f.name: _cleaner(f.type) for f in target})
    encoded = [c for c in json_columns(kind) if c in target.names]
    cast = not parquet.schema_arrow.remove_metadata().equals(target.remove_metadata())
    number = 0
    batches = parquet.iter_batches(batch_size=BATCH_SIZE)
    while True:
        try:
            batch = next(batches, None)
            if batch is None:
                return
            if cast:
                rows = pa.Table.from_batches([batch]).cast(target).to_pylist()
            else:
                rows = batch.to_pylist()
        except (pa.ArrowException, OSError) as exc:
            place = f"{where}, after row {number}" if number else where
            raise InputError(
                "input.syntax", f"cannot read the Parquet data: {exc}", location=place
            ) from None
        for row in rows:
            number += 1
            record = clean(row)
            place = f"{where}, row {number}"
            for column in encoded:
                if column in record:
                    record[column] = _json(record[column], place, column)
            yield record, place


def _json(text: str, place: str, column: str) -> Any:
    try:
        return loads(text)
    except InputError as exc:
        raise InputError(
            exc.code, f"{column}: {exc.message}", location=f"{place}, {column}"
        ) from None


def _events(root: Path) -> Iterator[tuple[dict[str, Any], str]]:
    """The events of every year, in their dataset order again."""

    def keyed(index: int, path: Path) -> Iterator[tuple[int, int, int, dict[str, Any], str]]:
        for row, (record, place) in enumerate(_rows(root, path, RecordKind.EVENT)):
            position = record.pop(POSITION, None)
            yield (position if isinstance(position, int) else -1, index, row, record, place)

    streams = [keyed(i, p) for i, p in enumerate(_files(root, RecordKind.EVENT))]
    for _, _, _, record, place in heapq.merge(*streams, key=lambda t: t[:3]):
        yield record, place


def iter_path(path: Path) -> Iterator[Item]:
    """The header, then each record of the dataset at ``path``, with its file and row."""
    root = Path(path)
    header, where = _header(root)
    yield "dataset", header, f"{where}, metadata", False
    for kind in RecordKind:
        rows = (
            _events(root)
            if kind is RecordKind.EVENT
            else (row for p in _files(root, kind) for row in _rows(root, p, kind))
        )
        for record, place in rows:
            yield kind.value, record, place, False
