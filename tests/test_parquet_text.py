"""Rows buffered as JSON text become the same Arrow data as rows buffered as dicts."""

from __future__ import annotations

import dataclasses
import datetime as dt
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings

import conflictdata as cd
from conflictdata.model import RecordKind

from . import strategies as st

pa = pytest.importorskip("pyarrow")

from conflictdata.formats.parquet._schema import (  # noqa: E402 - after the skip
    POSITION,
    arrow_schema,
    json_columns,
)
from conflictdata.formats.parquet._text import Layout, Rows, json_text  # noqa: E402
from conflictdata.formats.parquet._writer import _Part  # noqa: E402


def _tables(dataset: cd.Dataset) -> dict[RecordKind, tuple[list[Any], list[dict[str, Any]]]]:
    """Each table's records, and its rows as ``from_pylist`` takes them."""
    document = cd.to_dict(dataset)
    tables = {}
    for kind in RecordKind:
        records = list(document.get(kind.member, ()))
        tables[kind] = records, [_row(kind, r, i) for i, r in enumerate(records)]
    return tables


def _row(kind: RecordKind, record: dict[str, Any], position: int) -> dict[str, Any]:
    """A record as the dicts the writer once buffered: JSON columns as text, and a position."""
    row = dict(record)
    for column in json_columns(kind):
        if column in row:
            row[column] = json_text(row[column])
    if kind is RecordKind.EVENT:
        row[POSITION] = position
    return row


def _table(tmp_path: Path, kind: RecordKind, records: list[dict[str, Any]]) -> Any:
    """The records as one row group of a file makes them."""
    part = _Part(tmp_path / "part.parquet", kind, {})
    for position, record in enumerate(records):
        before = repr(record)
        part.add(record, position)
        assert repr(record) == before
    rows = part.take()
    text = rows.text()
    return part.table(rows, None if text is None else part.layout.parse(text))


@settings(max_examples=60)
@given(dataset=st.datasets())
def test_text_and_dicts_make_the_same_arrow_data(dataset: cd.Dataset) -> None:
    with tempfile.TemporaryDirectory() as directory:
        for kind, (records, rows) in _tables(dataset).items():
            if not rows:
                continue
            # A file's schema carries the dataset's metadata instead.
            schema = arrow_schema(kind).with_metadata({})
            expected = pa.Table.from_pylist(rows, schema=schema)
            table = _table(Path(directory), kind, records)
            assert table.schema.equals(expected.schema, check_metadata=True)
            assert table.equals(expected)
            text = Rows(Layout(schema))
            for position, record in enumerate(records):
                text.add(record, position)
            assert text.dicts(0, len(rows)) == rows


def test_rows_wait_as_text(tmp_path: Path) -> None:
    part = _Part(tmp_path / "part.parquet", RecordKind.EVENT, {})
    part.add(_event(), 0)
    assert part.rows.all_text
    rows = Rows(part.layout)
    rows.add(_event(), 7)
    text = rows.text()
    assert text is not None
    batch = rows.batch(part.layout.parse(text))
    assert batch is not None
    expected = [_row(RecordKind.EVENT, _event(), 7)]
    assert batch.equals(pa.RecordBatch.from_pylist(expected, schema=part.schema))


def _event() -> dict[str, Any]:
    return {
        "id": "evt-1",
        "type": "ASSAULT",
        "title": "Shelling",
        "when": {"start": "2020-10-01"},
        "location": {"name": "Tovuz", "lat": 40.99, "lon": 45.61},
        "participants": [{"actor": "act-1", "role": "initiator"}],
        "fatalities": {"best": 3},
        "status": "reported",
        "citations": [{"source": "src-1"}],
        "identifiers": {"acled": "AZE1"},
        "tags": ["border"],
    }


class _Text(str):
    """A subclass of str, which pyarrow may take otherwise than orjson."""

    __slots__ = ()


@dataclasses.dataclass
class _Count:
    best: int


def _with(path: tuple[str, ...], value: Any) -> dict[str, Any]:
    row = _event()
    place = row
    for key in path[:-1]:
        place = place[key]
    place[path[-1]] = value
    return row


ROWS = {
    "plain": _event(),
    "NaN, which orjson would write as null": _with(("location", "lat"), float("nan")),
    "infinity": _with(("location", "lon"), float("inf")),
    "an integer a float holds exactly": _with(("location", "lat"), 2**53),
    "an integer a float cannot hold": _with(("location", "lat"), 2**53 + 1),
    "a negative integer a float cannot hold": _with(("location", "lon"), -(2**53) - 1),
    "None": _with(("notes",), None),
    "the word null in a text": _with(("title",), "Agreement declared null"),
    "a lone surrogate": _with(("title",), "x\ud800"),
    "a map given as pairs": _with(("identifiers",), [("acled", "AZE1")]),
    "a map with a number": _with(("identifiers",), {"acled": 5}),
    "a number for a text": _with(("title",), 5),
    "a float for an integer": _with(("fatalities", "best"), 1.0),
    "an integer past 63 bits": _with(("fatalities", "best"), 2**63),
    "an integer past 64 bits": _with(("fatalities", "best"), 2**64),
    "a tuple for a list": _with(("tags",), ("border", "shelling")),
    "true for an integer": _with(("fatalities", "best"), value=True),
    "an integer for a float": _with(("location", "lat"), 40),
    "a list for a struct": _with(("when",), ["2020"]),
    "no location": {k: v for k, v in _event().items() if k != "location"},
    "a location without its name": _with(("location",), {"lat": 1.5}),
    "a participant without a role": _with(("participants",), [{"actor": "act-1"}]),
    "no title": {k: v for k, v in _event().items() if k != "title"},
    "a member no column has": _with(("location", "elevation"), 300),
    "a position of its own": _with((POSITION,), "first"),
    "extensions": _with(("extensions",), {"plover": {"mode": "shelling", "n": [1, 2.5]}}),
    "extensions with a null": _with(("extensions",), {"plover": None}),
    "extensions with NaN": _with(("extensions",), {"x": float("nan")}),
    "extensions that are not JSON": _with(("extensions",), {"x": {1, 2}}),
    "extensions of None": _with(("extensions",), None),
    "an empty map": _with(("identifiers",), {}),
    "no map": {k: v for k, v in _event().items() if k != "identifiers"},
    "a map of None": _with(("identifiers",), None),
    "a map with a None value": _with(("identifiers",), {"acled": None}),
    "a map with a key that is not text": _with(("identifiers",), {1: "AZE1"}),
    "a map with two keys": _with(("identifiers",), {"ucdp": "1", "acled": "AZE1"}),
    "a float too large for an integer": _with(("location", "lat"), 1e300),
    "a date for a text": _with(("title",), dt.date(2020, 10, 1)),
    "a text of a subclass of str": _with(("title",), _Text("Shelling")),
    "a dataclass for a struct": _with(("fatalities",), _Count(best=3)),
}


def _outcome(batch_of: Any) -> Any:
    try:
        return batch_of()
    except (ValueError, TypeError) as exc:
        return f"{type(exc).__name__}: {exc}"


@pytest.mark.parametrize("name", list(ROWS))
def test_a_row_text_cannot_hold_is_written_as_before(name: str, tmp_path: Path) -> None:
    records = [_event(), ROWS[name], _event()]
    schema = arrow_schema(RecordKind.EVENT).with_metadata({})

    def old() -> Any:
        try:
            rows = [_row(RecordKind.EVENT, r, i) for i, r in enumerate(records)]
            return pa.Table.from_pylist(rows, schema=schema)
        except (pa.ArrowException, OverflowError) as exc:
            raise ValueError(
                f"event records (from 'evt-1') cannot be written as Parquet: {exc}"
            ) from None

    def new() -> Any:
        return _table(tmp_path, RecordKind.EVENT, records)

    expected, got = _outcome(old), _outcome(new)
    if isinstance(expected, str):
        assert got == expected
    else:
        assert got.schema.equals(expected.schema, check_metadata=True)
        # By their text, as NaN is not equal to itself.
        assert repr(got.to_pylist()) == repr(expected.to_pylist())


def test_a_conversion_does_not_import_pandas(tmp_path: Path, example: cd.Dataset) -> None:
    source = tmp_path / "k.jsonl"
    cd.dump(example, source)
    code = (
        "import sys, conflictdata\n"
        f"conflictdata.convert({str(source)!r}, {str(tmp_path / 'k.parquet')!r})\n"
        "print('pandas' in sys.modules)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "False"
