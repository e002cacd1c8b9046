"""Schema versions: 1.0 documents read as 1.1, and migrations go both ways exactly."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import given

import conflictdata as cd
from conflictdata import cli, schemas

from . import strategies as st
from .conftest import ROOT
from .test_cli import run

V01 = ROOT / "tests" / "data" / "v0.1"


@pytest.mark.parametrize(
    ("name", "fmt"),
    [
        ("example.json", "json"),
        ("example.jsonl", "jsonl"),
        ("example-csv", "csv"),
        ("example.tei.xml", "tei"),
    ],
)
def test_every_file_0_1_wrote_reads_as_1_1(name: str, fmt: str, example: cd.Dataset) -> None:
    path = V01 / name
    assert cd.formats.for_path(path).name == fmt
    report = cd.validate_file(path)
    expected = [("schema.migrated", "/schema_version")]
    if fmt == "jsonl":
        # 0.1 wrote no end record: the file may have been cut short.
        expected.append(("input.incomplete", ""))
    assert sorted((p.code, p.pointer) for p in report) == sorted(expected)
    dataset = cd.load(path)
    assert dataset.schema_version == "1.1"
    assert dataset == example


def test_the_0_1_files_are_what_0_1_wrote() -> None:
    # The fixtures are 1.0 documents, byte for byte as 0.1.0 wrote them.
    assert json.loads((V01 / "example.json").read_text("utf-8"))["schema_version"] == "1.0"
    first = (V01 / "example.jsonl").read_text("utf-8").splitlines()[0]
    assert json.loads(first)["schema_version"] == "1.0"


def _without_new_fields(dataset: cd.Dataset) -> cd.Dataset:
    events = [
        attrs.evolve(e, participants=[attrs.evolve(p, side=None) for p in e.participants])
        for e in dataset.events
    ]
    sources = [attrs.evolve(s, archives=()) for s in dataset.sources]
    return attrs.evolve(dataset, events=events, sources=sources, deleted=())


@given(st.datasets())
def test_migrations_round_trip_exactly_for_data_without_new_fields(dataset: cd.Dataset) -> None:
    current = cd.to_dict(_without_new_fields(dataset))
    old = cd.migrate(current, to="1.0")
    assert old == {**current, "schema_version": "1.0"}
    assert cd.migrate(old, to="1.1") == current
    assert cd.migrate(cd.migrate(old, to="1.1"), to="1.0") == old
    assert cd.validate(old).ok


@given(st.datasets())
def test_going_down_refuses_new_fields_or_drops_them_when_asked(dataset: cd.Dataset) -> None:
    current = cd.to_dict(dataset)
    plain = cd.to_dict(_without_new_fields(dataset))
    uses_new = current != plain
    if uses_new:
        with pytest.raises(cd.MigrationError, match=r"schema 1\.0 cannot hold"):
            cd.migrate(current, to="1.0")
    assert cd.migrate(current, to="1.0", drop_new=True) == {**plain, "schema_version": "1.0"}


def test_the_error_names_every_field_1_0_cannot_hold(example_dict: dict[str, Any]) -> None:
    example_dict["events"][2]["participants"][0]["side"] = "b"
    example_dict["sources"][0]["archives"] = [
        {
            "url": "https://web.archive.org/x",
            "captured": "2020-09-28T12:00:00Z",
            "sha256": "0" * 64,
        }
    ]
    example_dict["deleted"] = [{"id": "evt-gone", "deleted": "2020-10-01"}]
    with pytest.raises(cd.MigrationError) as info:
        cd.migrate(example_dict, to="1.0")
    message = str(info.value)
    assert "Source.archives (first at /sources/0/archives)" in message
    assert "Participant.side (first at /events/2/participants/0/side)" in message


def test_a_1_0_document_cannot_hold_tombstones(example_dict: dict[str, Any]) -> None:
    example_dict["schema_version"] = "1.0"
    example_dict["deleted"] = [{"id": "evt-gone", "deleted": "2020-10-01"}]
    report = cd.validate(example_dict)
    assert [(p.code, p.pointer) for p in report.errors] == [("input.record-type", "/deleted/0")]


def test_an_unknown_version_is_refused(example_dict: dict[str, Any]) -> None:
    example_dict["schema_version"] = "0.9"
    assert [p.code for p in cd.validate(example_dict).errors] == ["schema.const"]
    with pytest.raises(KeyError, match="no schema version"):
        schemas.get("event", version="0.9")


def test_the_command_line_writes_any_version(tmp_path: Path, example: cd.Dataset) -> None:
    source = tmp_path / "k.jsonl"
    cd.dump(example, source)
    old = tmp_path / "k-1.0.jsonl"
    assert run("migrate", str(source), str(old), "--to", "1.0").code == cli.EXIT_OK
    assert json.loads(old.read_text("utf-8").splitlines()[0])["schema_version"] == "1.0"
    assert cd.load(old) == example
    back = tmp_path / "k-1.1.tei.xml"
    assert run("migrate", str(old), str(back)).code == cli.EXIT_OK
    assert cd.validate_file(back).problems == ()
    assert run("migrate", str(source), str(source)).code == cli.EXIT_USAGE


def test_the_command_line_refuses_what_1_0_cannot_hold(
    tmp_path: Path, example_dict: dict[str, Any]
) -> None:
    example_dict["events"][0]["participants"][0]["side"] = "a"
    source = tmp_path / "k.json"
    source.write_text(json.dumps(example_dict), "utf-8")
    target = tmp_path / "old.json"
    result = run("migrate", str(source), str(target), "--to", "1.0")
    assert result.code == cli.EXIT_INVALID
    assert "Participant.side" in result.err
    assert not target.exists()
    assert run("migrate", str(source), str(target), "--to", "1.0", "--drop-new").code == 0
    assert '"side"' not in target.read_text("utf-8")
