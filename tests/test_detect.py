"""Formats told by content, for files whose name does not say."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import conflictdata as cd
from conflictdata import cli, formats

from .conftest import ROOT, shared_path
from .test_cli import run

DATA = ROOT / "tests" / "data"


@pytest.mark.parametrize(
    ("fixture", "expected"),
    [
        ("acled-sample.csv", "acled"),
        ("acled-legacy.csv", "acled"),
        ("ucdp-sample.csv", "ucdp"),
        ("plover-gold.json", "plover"),
        ("plover-manual.jsonl", "plover"),
        ("plover-minimal.json", "plover"),
        ("v0.1/example.json", "json"),
        ("v0.1/example.jsonl", "jsonl"),
        ("v0.1/example.tei.xml", "tei"),
    ],
)
def test_files_are_read_by_their_content_whatever_their_name(
    tmp_path: Path, fixture: str, expected: str
) -> None:
    source = DATA / fixture
    assert formats.for_input(source).name == expected
    # The same bytes under a name that says nothing, or something else.
    for name in ("export.csv", "data.txt", "EXPORT.CSV"):
        renamed = tmp_path / name
        shutil.copyfile(source, renamed)
        assert formats.for_input(renamed).name == expected, name
        assert cd.read(renamed).dataset.events


def test_the_command_line_needs_no_format_for_an_export(tmp_path: Path) -> None:
    source = tmp_path / "export.csv"
    shutil.copyfile(DATA / "acled-sample.csv", source)
    assert run("validate", str(source)).code == cli.EXIT_OK
    target = tmp_path / "events.jsonl"
    assert run("convert", str(source), str(target)).code == cli.EXIT_OK
    assert cd.load(target).events


def test_a_file_nothing_recognises_lists_what_it_could_be(tmp_path: Path) -> None:
    path = tmp_path / "mystery.csv"
    path.write_text("a,b,c\n1,2,3\n", "utf-8")
    with pytest.raises(cd.UnknownFormatError) as info:
        cd.load(path)
    message = str(info.value)
    assert "its name says csv-flat, which conflictdata writes but cannot read" in message
    assert "acled" in message
    assert "ucdp" in message
    assert "format=" in message
    result = run("validate", str(path))
    assert result.code == cli.EXIT_USAGE
    assert "--format" in result.err


def test_a_tei_edition_not_written_by_conflictdata_is_refused_with_its_place() -> None:
    path = shared_path("data", "real", "tei", "leopold-briefkalender-listevent.xml")
    assert formats.for_input(path).name == "tei"
    report = cd.validate_file(path)
    assert [(p.code, p.location) for p in report] == [("input.tei-layout", "line 5, <teiHeader>")]
    assert "not a conflictdata TEI file" in report.errors[0].message
