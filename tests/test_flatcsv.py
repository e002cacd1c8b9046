"""The flat events CSV: one row per event, for spreadsheets."""

from __future__ import annotations

import csv
from pathlib import Path

import attrs
import pytest

import conflictdata as cd
from conflictdata.formats.flatcsv import COLUMNS


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_one_row_per_event_with_names_joined(tmp_path: Path, example: cd.Dataset) -> None:
    report = cd.dump(example, tmp_path / "events.csv")
    assert list(report) == []
    rows = _rows(tmp_path / "events.csv")
    assert list(rows[0]) == list(COLUMNS)
    assert [r["event_id"] for r in rows] == [e.id for e in example.events]
    demo = next(r for r in rows if r["event_id"] == "evt-2020-07-baku-demonstration")
    assert demo["actor1"] == "Pro-war demonstrators in Baku"
    assert demo["actor2"] == "Government of Azerbaijan"
    assert demo["event_date"] == "2020-07"
    assert demo["date_precision"] == "month"
    assert (demo["latitude"], demo["longitude"]) == ("40.37767", "49.89201")
    assert demo["sources"].startswith(
        "New Armenia-Azerbaijan Fighting a Long Time in the Making; "
    )
    transit = next(r for r in rows if r["event_id"] == "evt-2020-serbian-arms-transit")
    assert transit["assoc_actor"] == "Georgia (supporter)"


def test_formula_cells_are_escaped(tmp_path: Path, example: cd.Dataset) -> None:
    event = attrs.evolve(example.events[0], title="=cmd|' /C calc'!A0")
    dataset = attrs.evolve(example, events=(event,))
    cd.dump(dataset, tmp_path / "events.csv")
    assert _rows(tmp_path / "events.csv")[0]["title"] == "'=cmd|' /C calc'!A0"
    cd.dump(dataset, tmp_path / "raw.csv", options={"escape_formulas": False, "bom": True})
    assert (tmp_path / "raw.csv").read_bytes().startswith(b"\xef\xbb\xbfevent_id,")


def test_the_flat_csv_is_export_only(tmp_path: Path, example: cd.Dataset) -> None:
    cd.dump(example, tmp_path / "events.csv")
    with pytest.raises(cd.UnknownFormatError, match="cannot read"):
        cd.load(tmp_path / "events.csv")


def test_streams_from_jsonl(tmp_path: Path, example: cd.Dataset) -> None:
    cd.dump(example, tmp_path / "k.jsonl")
    cd.convert(tmp_path / "k.jsonl", tmp_path / "streamed.csv")
    cd.dump(example, tmp_path / "dumped.csv")
    assert (tmp_path / "streamed.csv").read_bytes() == (tmp_path / "dumped.csv").read_bytes()
