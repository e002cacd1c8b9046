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
    # Still listed: its tags would be lost without a word.
    assert _problems(package) == [("input.file", "event_tags.csv")]
    descriptor = json.loads((package / "datapackage.json").read_text("utf-8"))
    descriptor["resources"] = [
        r for r in descriptor["resources"] if r.get("path") != "event_tags.csv"
    ]
    (package / "datapackage.json").write_text(json.dumps(descriptor), "utf-8")
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


# Schema 1.1: sides, archives, tombstones; packages written by 0.1

V01_PACKAGE = Path(__file__).parent / "data" / "v0.1" / "small-csv"
SHA = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"


def _dataset_1_1() -> cd.Dataset:
    return cd.from_dict(
        cd.Dataset,
        {
            "schema_version": "1.1",
            "metadata": {"title": "Sides, archives and tombstones"},
            "sources": [
                {
                    "id": "src-1",
                    "kind": "news_article",
                    "title": "Clashes",
                    "archives": [
                        {
                            "url": "https://web.archive.org/web/2020/https://example.org/1",
                            "captured": "2020-07-13T08:00:00Z",
                            "sha256": SHA,
                            "tool": "wget 1.21",
                        },
                        {
                            "url": "https://archive.ph/abcde",
                            "captured": "2020-07-14T10:30:00.5+04:00",
                            "sha256": SHA,
                        },
                    ],
                }
            ],
            "actors": [
                {"id": "mil-am", "kind": "military", "name": "Armenian forces"},
                {"id": "mil-az", "kind": "military", "name": "Azerbaijani forces"},
            ],
            "events": [
                {
                    "id": "evt-1",
                    "type": "ASSAULT",
                    "title": "Shelling",
                    "when": {"start": "2020-07-12"},
                    "participants": [
                        {"actor": "mil-am", "role": "initiator", "side": "a"},
                        {"actor": "mil-az", "role": "target", "side": "b"},
                        {"actor": "mil-az", "role": "observer"},
                    ],
                    "status": "disputed",
                    "citations": [{"source": "src-1"}],
                }
            ],
            "deleted": [
                {
                    "id": "acled-AZE1",
                    "deleted": "2024-03-01T09:30:00Z",
                    "identifiers": {"acled": "AZE1"},
                    "reason": "duplicate",
                },
                {"id": "evt-0", "deleted": "2021-05"},
            ],
        },
    )


def test_participants_keep_their_side(tmp_path: Path) -> None:
    cd.dump(_dataset_1_1(), tmp_path / "p")
    assert _rows(tmp_path / "p" / "participants.csv") == [
        ["event", "position", "actor", "role", "side"],
        ["evt-1", "0", "mil-am", "initiator", "a"],
        ["evt-1", "1", "mil-az", "target", "b"],
        ["evt-1", "2", "mil-az", "observer", ""],
    ]
    assert cd.load(tmp_path / "p") == _dataset_1_1()


def test_archives_are_a_list_table_of_sources(tmp_path: Path) -> None:
    cd.dump(_dataset_1_1(), tmp_path / "p")
    assert _rows(tmp_path / "p" / "archives.csv") == [
        ["source", "position", "url", "captured", "sha256", "tool"],
        [
            "src-1",
            "0",
            "https://web.archive.org/web/2020/https://example.org/1",
            "2020-07-13T08:00:00Z",
            SHA,
            "wget 1.21",
        ],
        ["src-1", "1", "https://archive.ph/abcde", "2020-07-14T10:30:00.5+04:00", SHA, ""],
    ]
    assert cd.load(tmp_path / "p").sources == _dataset_1_1().sources


def test_tombstones_are_the_deleted_table_with_their_identifiers(tmp_path: Path) -> None:
    cd.dump(_dataset_1_1(), tmp_path / "p")
    assert _rows(tmp_path / "p" / "deleted.csv") == [
        ["id", "deleted", "reason"],
        ["acled-AZE1", "2024-03-01T09:30:00Z", "duplicate"],
        ["evt-0", "2021-05", ""],
    ]
    assert _rows(tmp_path / "p" / "identifiers.csv") == [
        ["record", "scheme", "identifier"],
        ["acled-AZE1", "acled", "AZE1"],
    ]
    assert cd.load(tmp_path / "p").deleted == _dataset_1_1().deleted


def test_the_descriptor_has_keys_and_patterns_for_the_new_tables(tmp_path: Path) -> None:
    cd.dump(_dataset_1_1(), tmp_path / "p")
    descriptor = json.loads((tmp_path / "p" / "datapackage.json").read_text("utf-8"))
    resources = {r["name"]: r["schema"] for r in descriptor["resources"]}
    assert resources["archives"]["primaryKey"] == ["source", "position"]
    assert resources["archives"]["foreignKeys"] == [
        {"fields": "source", "reference": {"resource": "sources", "fields": "id"}}
    ]
    assert resources["deleted"]["primaryKey"] == ["id"]
    fields = {f["name"]: f for f in resources["participants"]["fields"]}
    assert fields["side"]["constraints"] == {"enum": ["a", "b"]}
    sha = {f["name"]: f for f in resources["archives"]["fields"]}["sha256"]
    assert sha["constraints"] == {"required": True, "pattern": "[0-9a-f]{64}"}
    report = frictionless.validate(tmp_path / "p" / "datapackage.json")
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])


def test_a_bad_capture_time_is_reported_at_its_cell(tmp_path: Path) -> None:
    cd.dump(_dataset_1_1(), tmp_path / "p")
    path = tmp_path / "p" / "archives.csv"
    rows = _rows(path)
    rows[1][3] = "2020-07-13 08:00"
    _rewrite(path, rows)
    problems = _problems(tmp_path / "p")
    assert [code for code, _ in problems] == ["schema.pattern"]
    assert problems[0][1] == "archives.csv row 2 column captured"


def test_a_package_written_by_0_1_still_reads(tmp_path: Path) -> None:
    # Written by conflictdata 0.1: no side column, no archives or deleted table.
    header = _rows(V01_PACKAGE / "participants.csv")[0]
    assert "side" not in header
    assert not (V01_PACKAGE / "archives.csv").exists()
    assert not (V01_PACKAGE / "deleted.csv").exists()
    got = cd.read(V01_PACKAGE)
    assert [p.code for p in got.report] == ["schema.migrated"]
    dataset = got.dataset
    assert dataset.schema_version == "1.1"
    assert [(p.actor, p.role.value, p.side) for p in dataset.events[0].participants] == [
        ("mil-am", "initiator", None),
        ("mil-az", "target", None),
    ]
    assert dataset.sources[0].archives == ()
    assert dataset.sources[0].identifiers == {"doi": "10.1234/example"}
    assert dataset.events[0].identifiers == {"acled": "AZE123"}
    assert dataset.deleted == ()
    # Zipped, the same.
    shutil.make_archive(str(tmp_path / "old"), "zip", V01_PACKAGE)
    assert cd.load(tmp_path / "old.zip", format="csv") == dataset


def test_only_columns_added_later_may_be_missing(tmp_path: Path) -> None:
    shutil.copytree(V01_PACKAGE, tmp_path / "p")
    path = tmp_path / "p" / "participants.csv"
    _rewrite(path, [row[:3] for row in _rows(path)])
    assert _problems(tmp_path / "p") == [
        ("input.header", "participants.csv row 1"),
    ]
