"""The CSV package writer: the bytes the writer of 0.x wrote, from compiled row functions.

``csvpkg_cell_writer`` is the writer of 0.x, which called a formatter per
cell: it is kept here as the oracle the compiled row functions must agree
with, byte for byte.
"""

from __future__ import annotations

import contextlib
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as hst

import conflictdata as cd
from conflictdata.formats._base import write_document
from conflictdata.formats._tables import TABLES
from conflictdata.formats.csvpkg import _cells, _writer

from . import csvpkg_cell_writer
from . import strategies as st


@contextlib.contextmanager
def _batch(size: int) -> Iterator[None]:
    # Not monkeypatch: Hypothesis runs many examples in one function-scoped fixture.
    before = _writer.BATCH
    _writer.BATCH = size
    try:
        yield
    finally:
        _writer.BATCH = before


def _new(document: dict[str, Any], target: Path, *, formulas: bool, bom: bool) -> dict[str, bytes]:
    header = {k: document[k] for k in ("schema_version", "metadata")}
    writer = _writer.PackageWriter(target, header, bom=bom, escape_formulas=formulas)
    write_document(writer, document)
    return {t.file: (target / t.file).read_bytes() for t in TABLES}


def _old(document: dict[str, Any], *, formulas: bool, bom: bool) -> dict[str, bytes]:
    texts = csvpkg_cell_writer.tables(document, formulas=formulas)
    return {name: text.encode("utf-8-sig" if bom else "utf-8") for name, text in texts.items()}


def _agree(document: dict[str, Any], *, formulas: bool = True, bom: bool = False) -> None:
    with tempfile.TemporaryDirectory() as directory:
        new = _new(document, Path(directory) / "pkg", formulas=formulas, bom=bom)
    assert new == _old(document, formulas=formulas, bom=bom)


def test_the_example_is_written_as_0_x_wrote_it(example: cd.Dataset) -> None:
    document = cd.to_dict(example)
    _agree(document)
    _agree(document, formulas=False, bom=True)
    with _batch(1):
        _agree(document)


@settings(max_examples=40)
@given(
    dataset=st.datasets(max_events=8),
    formulas=hst.booleans(),
    bom=hst.booleans(),
    batch=hst.sampled_from([1, 3, 64]),
)
def test_any_dataset_is_written_as_0_x_wrote_it(
    dataset: cd.Dataset, formulas: bool, bom: bool, batch: int
) -> None:
    with _batch(batch):
        _agree(cd.to_dict(dataset), formulas=formulas, bom=bom)


FORMULAS = ["=1+1", "+1", "-2 killed", "@SUM(A1)", "\tTab", "\rCR", "'quoted", "plain", "a=b"]


@pytest.mark.parametrize("text", FORMULAS)
def test_every_text_column_escapes_formulas_as_0_x_did(example: cd.Dataset, text: str) -> None:
    # Every text field of the first event, list item and extension starts like a formula.
    event = attrs.evolve(
        example.events[0],
        title=text,
        notes=text,
        tags=(text, "other"),
        identifiers={"scheme": text},
        extensions={"x": {"value": -1, "text": text}},
    )
    document = cd.to_dict(attrs.evolve(example, events=(event, *example.events[1:])))
    _agree(document)
    _agree(document, formulas=False)


@given(hst.text())
def test_escape_by_first_character_is_escape_by_startswith(text: str) -> None:
    assert _cells.escape(text) == csvpkg_cell_writer.escape(text)


def test_lines_are_held_for_at_most_a_batch_of_records(
    tmp_path: Path, example: cd.Dataset
) -> None:
    document = cd.to_dict(example)
    header = {k: document[k] for k in ("schema_version", "metadata")}
    writer = _writer.PackageWriter(tmp_path / "pkg", header)
    held = []
    with _batch(2):
        for event in document["events"][:4]:
            writer.write("event", event)
            held.append(sum(len(lines._lines) for lines in writer._tables))
    writer.abort()
    assert held[0] > 0
    assert held[1] == held[3] == 0
