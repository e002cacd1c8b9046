"""Rows buffered as JSON text become the same Arrow data as rows buffered as dicts."""

from __future__ import annotations

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
from conflictdata.formats.parquet._text import RowText  # noqa: E402
from conflictdata.formats.parquet._writer import _dumps, _Part  # noqa: E402


def _rows(dataset: cd.Dataset) -> dict[RecordKind, list[dict[str, Any]]]:
    """Each table's rows, as the writer hands them to a file."""
    document = cd.to_dict(dataset)
    tables: dict[RecordKind, list[dict[str, Any]]] = {}
    for kind in RecordKind:
        rows = tables[kind] = []
        for position, record in enumerate(document.get(kind.member, ())):
            row = dict(record)
            for column in json_columns(kind):
                if column in row:
                    row[column] = _dumps(row[column])
            if kind is RecordKind.EVENT:
                row[POSITION] = position
            rows.append(row)
    return tables


def _batch(tmp_path: Path, kind: RecordKind, rows: list[dict[str, Any]]) -> Any:
    """The rows as one chunk of a file's buffer makes them."""
    part = _Part(tmp_path / "part.parquet", kind, {})
    for row in rows:
        part.add({**row})
    part._batch()
    return part._batches[0]


@settings(max_examples=60)
@given(dataset=st.datasets())
def test_text_and_dicts_make_the_same_arrow_data(dataset: cd.Dataset) -> None:
    with tempfile.TemporaryDirectory() as directory:
        for kind, rows in _rows(dataset).items():
            if not rows:
                continue
            # A file's schema carries the dataset's metadata instead.
            schema = arrow_schema(kind).with_metadata({})
            expected = pa.RecordBatch.from_pylist(rows, schema=schema)
            batch = _batch(Path(directory), kind, rows)
            assert batch.schema.equals(expected.schema, check_metadata=True)
            assert batch.equals(expected)
            text = RowText(schema)
            texts = [text.encode(dict(row)) for row in rows]
            assert [text.decode(t) for t in texts if t is not None] == [
                row for row, t in zip(rows, texts, strict=True) if t is not None
            ]


def test_rows_wait_as_text(tmp_path: Path) -> None:
    part = _Part(tmp_path / "part.parquet", RecordKind.EVENT, {})
    part.add(_event())
    assert all(isinstance(row, bytes) for row in part._rows)
    text = RowText(part.schema)
    encoded = text.encode(_event())
    assert encoded is not None
    batch = text.read([encoded])
    assert batch is not None
    assert batch.equals(pa.RecordBatch.from_pylist([_event()], schema=part.schema))


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
        POSITION: 0,
    }


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
}


def _outcome(batch_of: Any) -> Any:
    try:
        return batch_of()
    except ValueError as exc:
        return str(exc)


@pytest.mark.parametrize("name", list(ROWS))
def test_a_row_text_cannot_hold_is_written_as_before(name: str, tmp_path: Path) -> None:
    rows = [_event(), ROWS[name], _event()]
    schema = arrow_schema(RecordKind.EVENT).with_metadata({})

    def old() -> Any:
        try:
            return pa.RecordBatch.from_pylist(rows, schema=schema)
        except (pa.ArrowException, OverflowError) as exc:
            raise ValueError(
                f"event records (from 'evt-1') cannot be written as Parquet: {exc}"
            ) from None

    def new() -> Any:
        return _batch(tmp_path, RecordKind.EVENT, rows)

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
