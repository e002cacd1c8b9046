"""ICEWS event files from Dataverse: every row read and typed by the CAMEO crosswalk."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

import conflictdata as cd
from conflictdata import cli
from conflictdata.formats import _cameo, _detect, for_input
from conflictdata.formats.icews import COLUMNS

from .conftest import shared_path

DATA = Path(__file__).parent / "data" / "icews"


def _rows(path: Path) -> list[dict[str, str]]:
    lines = path.read_text("utf-8").splitlines()
    header = lines[0].split("\t")
    return [dict(zip(header, line.split("\t"), strict=True)) for line in lines[1:]]


def _check(path: Path) -> None:
    dataset = cd.load(path)
    rows = _rows(path)
    assert [e.identifiers["icews"] for e in dataset.events] == [r["Event ID"] for r in rows]
    for event, row in zip(dataset.events, rows, strict=True):
        assert event.type is _cameo.event_type(row["CAMEO Code"])
        assert str(event.when.start) == row["Event Date"]
        if row["Latitude"] != "NA":
            assert event.location is not None
            assert (event.location.lat, event.location.lon) == (
                float(row["Latitude"]),
                float(row["Longitude"]),
            )
        sides = [p.side.value for p in event.participants if p.side is not None]
        expected = [s for s, c in (("a", "Source Name"), ("b", "Target Name")) if row[c] != "NA"]
        assert sides == expected


def test_the_published_sample_reads_every_row() -> None:
    path = shared_path("data", "real", "icews", "icews-events.2018.sample.tab")
    assert for_input(path).name == "icews"
    assert cd.validate_file(path).ok
    _check(path)


def test_the_fixture_reads() -> None:
    assert for_input(DATA / "events.tab").name == "icews"
    _check(DATA / "events.tab")


def test_what_a_row_becomes() -> None:
    dataset = cd.load(DATA / "events.tab")
    arrest = dataset.get("icews-1001")
    assert isinstance(arrest, cd.Event)
    assert arrest.type is cd.EventType.COERCE
    assert ("icews.source_sector", "Police") in {
        (c.scheme, c.code) for c in arrest.classifications
    }
    police = dataset.get(arrest.participants[0].actor)
    assert isinstance(police, cd.Actor)
    assert police.kind is cd.ActorKind.GOVERNMENT
    assert arrest.location is not None
    assert (arrest.location.name, arrest.location.admin1) == ("Nairobi", "Nairobi Area")
    story = dataset.get(arrest.citations[0].source)
    assert isinstance(story, cd.Source)
    assert (story.publisher, story.identifiers) == ("Daily Nation", {"icews.story": "5001"})
    assert arrest.citations[0].locator == "sentence 1"
    statement = dataset.get("icews-1002")
    assert isinstance(statement, cd.Event)
    assert statement.type is _cameo.STATEMENT
    assert [p.side for p in statement.participants] == [cd.Side.A]
    # NA is a missing value: no sector, no city.
    assert not [c for c in statement.classifications if c.scheme.startswith("icews.")]
    assert statement.location is not None
    assert statement.location.name == "Kenya"
    aid = dataset.get("icews-1003")
    assert isinstance(aid, cd.Event)
    assert aid.location is None
    assert {c.source for c in aid.citations} == {"icews-dataset"}


def test_bad_rows_are_located_and_skipped(tmp_path: Path) -> None:
    got = cd.read(DATA / "bad.tab")
    assert len(got.dataset.events) == 3
    assert [(p.code, p.location) for p in got.report.errors] == [
        ("input.cell", "row 5, column Event Date"),
        ("input.cell", "row 6, column Latitude"),
        ("input.row", "row 7"),
    ]
    out, err = io.StringIO(), io.StringIO()
    target = tmp_path / "kept.jsonl"
    argv = ["convert", "--skip-invalid", str(DATA / "bad.tab"), str(target)]
    cli.main(argv, stdin=io.StringIO(), stdout=out, stderr=err)
    assert "Traceback" not in err.getvalue()
    assert len(cd.load(target).events) == 3


def test_detection() -> None:
    assert _detect.is_icews((DATA / "events.tab").read_bytes())
    assert _detect.is_icews("\t".join(COLUMNS).encode())
    assert not _detect.is_icews((Path(__file__).parent / "data" / "acled-sample.csv").read_bytes())
    assert not _detect.is_gdelt((DATA / "events.tab").read_bytes())


def test_a_file_without_the_needed_columns_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "x.tab"
    path.write_text("Event ID\tEvent Date\tSource Name\tCAMEO Code\tTarget Name\n", "utf-8")
    assert cd.load(path, format="icews").events == ()
    path.write_text("Event ID\tEvent Date\n1\t2018-01-01\n", "utf-8")
    with pytest.raises(cd.ConflictDataError, match="missing ICEWS columns"):
        cd.load(path, format="icews")


@pytest.mark.parametrize("latitude", ["1_0", "\u0661\u0662", "nan", "1e999"])
def test_a_coordinate_int_or_float_would_take_is_a_located_problem(
    tmp_path: Path, latitude: str
) -> None:
    lines = (DATA / "events.tab").read_text("utf-8").splitlines()
    cells = lines[1].split("\t")
    cells[COLUMNS.index("Latitude")] = latitude
    lines[1] = "\t".join(cells)
    path = tmp_path / "x.tab"
    path.write_text("\n".join(lines) + "\n", "utf-8")
    got = cd.read(path, format="icews")
    assert [(p.code, p.location) for p in got.report.errors] == [
        ("input.cell", "row 2, column Latitude")
    ]


def test_a_header_without_longitude_is_a_located_problem(tmp_path: Path) -> None:
    lines = (DATA / "events.tab").read_text("utf-8").splitlines()
    at = COLUMNS.index("Longitude")
    rows = [line.split("\t") for line in lines]
    path = tmp_path / "x.tab"
    path.write_text("\n".join("\t".join(r[:at] + r[at + 1 :]) for r in rows) + "\n", "utf-8")
    report = cd.validate_file(path, format="icews")
    assert not report.ok
    assert all(p.location for p in report.errors)
