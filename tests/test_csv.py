"""The CSV data package: layout, spreadsheet safety, hostile tables, Data Package validity."""

from __future__ import annotations

import csv
import json
import re
import shutil
import sys
import tempfile
import zipfile
from pathlib import Path

import attrs
import frictionless
import pytest
from hypothesis import given, settings

import conflictdata as cd
from conflictdata.formats import csvpkg
from conflictdata.formats._tables import TABLES

from . import strategies as st


@pytest.fixture
def package(tmp_path: Path, example: cd.Dataset) -> Path:
    path = tmp_path / "karabakh"
    cd.dump(example, path)
    return path


def _rows(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.reader(handle))


def _rewrite(path: Path, rows: list[list[str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\r\n").writerows(rows)


def _problems(path: Path) -> list[tuple[str, str | None]]:
    with pytest.raises(cd.DataValidationError) as info:
        cd.load(path)
    return [(p.code, p.location) for p in info.value.report]


def test_every_table_is_written_with_its_header(package: Path) -> None:
    names = sorted(p.name for p in package.iterdir())
    assert names == sorted(["datapackage.json", *(t.file for t in TABLES)])
    for table in TABLES:
        assert _rows(package / table.file)[0] == table.header
    raw = (package / "events.csv").read_bytes()
    assert raw.startswith(b"id,type,")
    assert b"\r\n" in raw


def test_lists_keep_their_order_and_text_keeps_its_quotes(
    package: Path, example: cd.Dataset
) -> None:
    rows = _rows(package / "participants.csv")[1:]
    first = example.events[0]
    assert [r[:4] for r in rows[: len(first.participants)]] == [
        [first.id, str(i), p.actor, p.role.value] for i, p in enumerate(first.participants)
    ]
    quotes = {r[3] for r in _rows(package / "citations.csv")[1:]}
    speech = next(q for q in quotes if q.startswith("\u201cI am confident"))
    assert speech.endswith("nearly 30 years!\u201d he said.")


def test_datapackage_is_a_valid_data_package(package: Path) -> None:
    report = frictionless.validate(str(package / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "message"])
    descriptor = json.loads((package / "datapackage.json").read_text("utf-8"))
    participants = next(r for r in descriptor["resources"] if r["name"] == "participants")
    assert participants["schema"]["primaryKey"] == ["event", "position"]
    assert {
        "fields": "actor",
        "reference": {"resource": "actors", "fields": "id"},
    } in participants["schema"]["foreignKeys"]


@settings(max_examples=10)
@given(st.datasets(max_events=3))
def test_generated_packages_are_valid_data_packages(dataset: cd.Dataset) -> None:
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "pkg"
        cd.dump(dataset, path)
        report = frictionless.validate(str(path / "datapackage.json"))
        assert report.valid, report.flatten(["rowNumber", "fieldName", "message"])


FORMULAS = [
    '=HYPERLINK("x")',
    "+1",
    "-2 killed",
    "@SUM(A1)",
    "\tTab",
    "\rCR",
    "'quoted",
    "''twice",
    "plain",
]


@pytest.mark.parametrize("text", FORMULAS)
def test_formula_cells_are_escaped_and_restored(
    tmp_path: Path, example: cd.Dataset, text: str
) -> None:
    event = attrs.evolve(example.events[0], title=text, notes=text)
    dataset = attrs.evolve(example, events=(event, *example.events[1:]))
    cd.dump(dataset, tmp_path / "pkg")
    cell = _rows(tmp_path / "pkg" / "events.csv")[1][3]
    assert cell == ("'" + text if text[0] in "=+-@\t\r'" else text)
    assert cd.load(tmp_path / "pkg") == dataset


def test_numbers_are_never_escaped(package: Path) -> None:
    descriptor = json.loads((package / "datapackage.json").read_text("utf-8"))
    assert descriptor["conflictdata"]["formula_escape"] == "'"
    rows = _rows(package / "events.csv")
    header = rows[0]
    baku = next(r for r in rows if r[0] == "evt-2020-07-baku-demonstration")
    assert baku[header.index("place_lat")] == "40.37767"


def test_escaping_can_be_turned_off(tmp_path: Path, example: cd.Dataset) -> None:
    event = attrs.evolve(example.events[0], title="=1+1")
    dataset = attrs.evolve(example, events=(event, *example.events[1:]))
    cd.dump(dataset, tmp_path / "raw", options={"escape_formulas": False})
    assert _rows(tmp_path / "raw" / "events.csv")[1][3] == "=1+1"
    assert cd.load(tmp_path / "raw") == dataset


def test_a_bom_for_excel_on_request(tmp_path: Path, example: cd.Dataset) -> None:
    cd.dump(example, tmp_path / "excel", options={"bom": True})
    assert (tmp_path / "excel" / "events.csv").read_bytes().startswith(b"\xef\xbb\xbfid,")
    assert cd.load(tmp_path / "excel") == example
    cd.dump(example, tmp_path / "plain")
    assert not (tmp_path / "plain" / "events.csv").read_bytes().startswith(b"\xef\xbb\xbf")


def test_unknown_options_are_refused(tmp_path: Path, example: cd.Dataset) -> None:
    with pytest.raises(TypeError, match="takes no option colour"):
        cd.dump(example, tmp_path / "x", options={"colour": "red"})
    with pytest.raises(TypeError, match="takes no option bom"):
        cd.dump(example, tmp_path / "x.json", options={"bom": True})


def test_zip_holds_the_same_files(tmp_path: Path, example: cd.Dataset, package: Path) -> None:
    cd.dump(example, tmp_path / "k.zip")
    with zipfile.ZipFile(tmp_path / "k.zip") as archive:
        assert sorted(archive.namelist()) == sorted(p.name for p in package.iterdir())
        assert archive.read("events.csv") == (package / "events.csv").read_bytes()


def test_existing_packages_are_kept_unless_told(package: Path, example: cd.Dataset) -> None:
    before = (package / "events.csv").read_bytes()
    with pytest.raises(FileExistsError):
        cd.dump(example, package)
    assert (package / "events.csv").read_bytes() == before
    smaller = cd.Dataset(metadata=example.metadata)
    cd.dump(smaller, package, overwrite=True)
    assert cd.load(package) == smaller
    assert [p.name for p in package.parent.iterdir()] == ["karabakh"]


def test_a_failed_write_leaves_nothing(tmp_path: Path, example: cd.Dataset) -> None:
    def interrupted() -> None:
        with cd.open_writer(tmp_path / "pkg", example.metadata) as writer:
            writer.write(example.sources[0])
            raise RuntimeError("interrupted")

    with pytest.raises(RuntimeError):
        interrupted()
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("table", "change", "expected"),
    [
        ("events", lambda rows: [r[:-1] for r in rows], [("input.header", "events.csv row 1")]),
        (
            "events",
            lambda rows: [[*r, "x"] for r in rows],
            [("input.header", "events.csv row 1 column x")],
        ),
        (
            "participants",
            lambda rows: [
                rows[0],
                *rows[1:3],
                [*rows[3][:2], "nobody", "target", *rows[3][4:]],
                *rows[4:],
            ],
            [("ref.unresolved", "participants.csv row 4 column actor")],
        ),
        (
            "participants",
            lambda rows: [rows[0], ["evt-nope", "0", "state-az", "target", ""], *rows[1:]],
            [("input.foreign-key", "participants.csv row 2 column event")],
        ),
        (
            "participants",
            lambda rows: [rows[0], rows[2], rows[1], *rows[3:]],
            [("input.position", "participants.csv row 2 column position")],
        ),
        (
            "events",
            lambda rows: [rows[0], [*rows[1][:12], "north", *rows[1][13:]], *rows[2:]],
            [("input.cell", "events.csv row 2 column place_lat")],
        ),
        (
            "events",
            lambda rows: [rows[0], [*rows[1][:1], "FIGHT", *rows[1][2:]], *rows[2:]],
            [("schema.enum", "events.csv row 2 column type")],
        ),
        (
            "events",
            lambda rows: [rows[0], [*rows[1][:5], "2020-02-30", *rows[1][6:]], *rows[2:]],
            [("schema.format", "events.csv row 2 column when_start")],
        ),
        (
            "events",
            lambda rows: [rows[0], rows[1][:5], *rows[2:]],
            [("input.row", "events.csv row 2")],
        ),
        (
            "actor_names",
            lambda rows: [*rows, rows[1]],
            [("input.duplicate-key", r"actor_names.csv row \d+ column language")],
        ),
    ],
)
def test_bad_tables_give_problems_with_table_row_and_column(
    package: Path, table: str, change: object, expected: list[tuple[str, str]]
) -> None:
    path = package / f"{table}.csv"
    _rewrite(path, change(_rows(path)))  # type: ignore[operator]
    found = _problems(package)
    assert [code for code, _ in found] == [code for code, _ in expected]
    for (_, location), (_, pattern) in zip(found, expected, strict=True):
        assert location is not None
        assert re.fullmatch(pattern, location), location


@pytest.mark.parametrize("csv_module_limit", [None, sys.maxsize])
def test_overlong_fields_are_refused(package: Path, csv_module_limit: int | None) -> None:
    # Other libraries (frictionless among them) raise the csv module's
    # process-wide limit: the reader's own limit must hold regardless.
    rows = _rows(package / "events.csv")
    rows[1][4] = "x" * (csvpkg.MAX_CELL + 1)
    _rewrite(package / "events.csv", rows)
    before = csv.field_size_limit()
    try:
        if csv_module_limit is not None:
            csv.field_size_limit(csv_module_limit)
        assert _problems(package) == [("input.size", "events.csv row 2")]
    finally:
        csv.field_size_limit(before)


def test_a_missing_descriptor_is_not_a_package(package: Path) -> None:
    (package / "datapackage.json").unlink()
    assert _problems(package) == [("input.syntax", None)]


def test_a_broken_zip_is_a_problem(tmp_path: Path) -> None:
    (tmp_path / "bad.zip").write_bytes(b"PK\x03\x04 not really")
    assert [code for code, _ in _problems(tmp_path / "bad.zip")] == ["input.syntax"]


def test_optional_tables_may_be_left_out(package: Path, example: cd.Dataset) -> None:
    (package / "event_tags.csv").unlink()
    loaded = cd.load(package)
    assert all(not e.tags for e in loaded.events)
    assert loaded.events[0].title == example.events[0].title


def test_a_package_copied_by_hand_still_reads(
    tmp_path: Path, package: Path, example: cd.Dataset
) -> None:
    copy = tmp_path / "copy"
    shutil.copytree(package, copy)
    assert cd.load(copy) == example
    assert csvpkg.is_package(copy)


def test_zip_bombs_are_refused(
    tmp_path: Path, example: cd.Dataset, monkeypatch: pytest.MonkeyPatch
) -> None:
    bomb = tmp_path / "bomb.zip"
    with zipfile.ZipFile(bomb, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("datapackage.json", "{}")
        archive.writestr("events.csv", b"\0" * (8 * 1024**2))
    assert _problems(bomb) == [("input.size", "events.csv")]
    cd.dump(example, tmp_path / "k.zip")
    monkeypatch.setattr(csvpkg, "MAX_UNZIPPED", 1000)
    assert [code for code, _ in _problems(tmp_path / "k.zip")] == ["input.size"]
