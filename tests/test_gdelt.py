"""GDELT event files: every layout read, validated and written back cell for cell."""

from __future__ import annotations

import csv
import io
import re
import tempfile
import urllib.parse
from collections.abc import Iterator
from pathlib import Path

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as hst

import conflictdata as cd
from conflictdata import cli
from conflictdata.formats import _cameo, _detect, for_input
from conflictdata.formats.gdelt import COLUMNS_1, COLUMNS_1_URL, COLUMNS_2
from conflictdata.formats.gdelt._fips import FIPS, TO_FIPS

from . import strategies as st
from .conftest import shared_path

DATA = Path(__file__).parent / "data" / "gdelt"
GOOD = ["v2.export.CSV", "v1.tsv", "v1-url.tsv", "bigquery-v2.csv", "bigquery-v1.csv"]
SAFE = "!#$%&'()*+,/:;=?@[]~"
PAGE = (Path(__file__).parents[1] / "docs" / "interop.md").read_text("utf-8")


def _rows(path: Path) -> list[list[str]]:
    text = path.read_text("utf-8")
    if "\t" in text.split("\n", 1)[0]:
        return [line.split("\t") for line in text.splitlines()]
    return list(csv.reader(io.StringIO(text)))


def _columns(path: Path) -> tuple[str, ...]:
    rows = _rows(path)
    if rows[0][0] == "GLOBALEVENTID":
        return tuple(rows[0])
    return {61: COLUMNS_2, 57: COLUMNS_1, 58: COLUMNS_1_URL}[len(rows[0])]


def _cells(path: Path) -> Iterator[dict[str, str]]:
    columns = _columns(path)
    for row in _rows(path):
        if row[0] != "GLOBALEVENTID":
            yield dict(zip(columns, row, strict=True))


def _check(path: Path) -> None:
    """Every row kept and valid, typed by the crosswalk, placed and cited as the row says."""
    dataset = cd.load(path)
    rows = list(_cells(path))
    assert [e.identifiers["gdelt"] for e in dataset.events] == [r["GLOBALEVENTID"] for r in rows]
    sources = {s.id: s for s in dataset.sources}
    for event, row in zip(dataset.events, rows, strict=True):
        assert event.type is _cameo.event_type(row["EventCode"])
        root = row["EventRootCode"].replace("NULL", "")
        if root not in ("", "01"):
            assert event.type is _cameo.ROOTS[root][1] or row["EventCode"][:3] in _cameo.EXCEPTIONS
        assert (
            str(event.when.start)
            == f"{row['SQLDATE'][:4]}-{row['SQLDATE'][4:6]}-{row['SQLDATE'][6:]}"
        )
        if row["ActionGeo_Lat"] not in ("", "NULL"):
            assert event.location is not None
            assert event.location.lat == float(row["ActionGeo_Lat"])
            assert event.location.lon == float(row["ActionGeo_Long"])
        url = row.get("SOURCEURL", "")
        cited = [sources[c.source] for c in event.citations]
        if url and url != "NULL":
            # A URL with characters a URI escapes is the same URL, escaped.
            assert [s.url for s in cited] == [urllib.parse.quote(url, safe=SAFE)]
            assert [s.title for s in cited] == [url]
        sides = {p.side.value: p.actor for p in event.participants if p.side is not None}
        for number, side in (("1", "a"), ("2", "b")):
            named = row[f"Actor{number}Code"] + row[f"Actor{number}Name"]
            assert (side in sides) is bool(named.replace("NULL", ""))


def _written(path: Path, tmp_path: Path) -> bytes:
    target = tmp_path / "out.export.csv"
    assert list(cd.dump(cd.load(path), target, format="gdelt")) == []
    return target.read_bytes()


@pytest.mark.parametrize("name", GOOD)
def test_each_layout_reads_validates_and_writes_back(name: str, tmp_path: Path) -> None:
    path = DATA / name
    assert for_input(path).name == "gdelt"
    _check(path)
    assert _written(path, tmp_path) == path.read_bytes()


def test_the_published_sample_reads_and_writes_back(tmp_path: Path) -> None:
    path = shared_path("data", "real", "gdelt", "gdelt2-export-20190407111500-10rows.tsv")
    assert cd.validate_file(path).ok
    _check(path)
    assert _written(path, tmp_path) == path.read_bytes()


def test_a_json_lines_copy_writes_back_the_same_file(tmp_path: Path) -> None:
    path = DATA / "bigquery-v2.csv"
    copy = tmp_path / "copy.jsonl"
    cd.dump(cd.load(path), copy)
    cd.dump(cd.load(copy), tmp_path / "again.csv", format="gdelt")
    assert (tmp_path / "again.csv").read_bytes() == path.read_bytes()


def test_what_a_row_becomes() -> None:
    dataset = cd.load(DATA / "v2.export.CSV")
    fight = dataset.get("gdelt-900000001")
    assert isinstance(fight, cd.Event)
    assert fight.type is cd.EventType.ASSAULT
    assert {(c.scheme, c.code) for c in fight.classifications} == {
        ("cameo.event", "190"),
        ("cameo.base_event", "190"),
        ("cameo.root_event", "19"),
        ("gdelt.quad_class", "4"),
    }
    assert [(p.role.value, p.side.value if p.side else None) for p in fight.participants] == [
        ("initiator", "a"),
        ("target", "b"),
    ]
    government = dataset.get(fight.participants[0].actor)
    assert isinstance(government, cd.Actor)
    assert (government.kind.value, government.country, government.identifiers) == (
        "government",
        "SY",
        {"cameo": "SYRGOV"},
    )
    assert fight.location is not None
    assert (fight.location.admin1, fight.location.precision) == ("SY07", cd.PlacePrecision.EXACT)
    assert fight.location.country == "SY"
    france = dataset.get("gdelt-900000004")
    assert isinstance(france, cd.Event)
    assert france.location is not None
    assert (france.location.country, france.location.precision) == (
        "FR",
        cd.PlacePrecision.COUNTRY,
    )
    assert fight.extensions["gdelt"]["GoldsteinScale"] == "-10.0"
    assert fight.extensions["gdelt"]["DATEADDED"] == "20190407111500"
    statement = dataset.get("gdelt-900000002")
    assert isinstance(statement, cd.Event)
    assert statement.type is _cameo.STATEMENT
    release = dataset.get("gdelt-900000003")
    assert isinstance(release, cd.Event)
    assert release.type is cd.EventType.RETREAT
    assert release.location is None
    assert [p.side for p in release.participants] == [cd.Side.B]


def test_a_file_without_source_urls_cites_the_dataset() -> None:
    dataset = cd.load(DATA / "v1.tsv")
    assert {c.source for e in dataset.events for c in e.citations} == {"gdelt-dataset"}


def test_bad_rows_are_located_and_skipped(tmp_path: Path) -> None:
    got = cd.read(DATA / "bad.tsv", format="gdelt")
    assert [e.id for e in got.dataset.events] == ["gdelt-900000001"]
    assert [(p.code, p.location) for p in got.report.errors] == [
        ("input.row", "row 2"),
        ("input.cell", "row 3, column SQLDATE"),
        ("input.cell", "row 4, column ActionGeo_Lat"),
        ("input.cell", "row 5, column EventCode"),
    ]
    out, err = io.StringIO(), io.StringIO()
    target = tmp_path / "kept.jsonl"
    argv = ["convert", "--skip-invalid", str(DATA / "bad.tsv"), str(target)]
    code = cli.main(argv, stdin=io.StringIO(), stdout=out, stderr=err)
    assert code != 0 or "row 3" in err.getvalue() + out.getvalue()
    assert "Traceback" not in err.getvalue()
    assert [e.id for e in cd.load(target).events] == ["gdelt-900000001"]


@pytest.mark.parametrize("name", ["v2.export.CSV", "v1-url.tsv", "bigquery-v1.csv"])
def test_convert_needs_no_from(name: str, tmp_path: Path) -> None:
    out, err = io.StringIO(), io.StringIO()
    target = tmp_path / "out.jsonl"
    code = cli.main(
        ["convert", str(DATA / name), str(target)], stdin=io.StringIO(), stdout=out, stderr=err
    )
    assert code == 0, err.getvalue()
    assert len(cd.load(target).events) == 4


def test_detection() -> None:
    for name in [*GOOD, "bad.tsv"]:
        assert _detect.is_gdelt((DATA / name).read_bytes()), name
    others = Path(__file__).parent / "data"
    for name in ("acled-sample.csv", "ucdp-sample.csv", "icews/events.tab"):
        assert not _detect.is_gdelt((others / name).read_bytes()), name
    assert not _detect.is_gdelt(b"12\t2019\n")


def test_the_documented_codes_for_events_from_elsewhere_are_the_code() -> None:
    section = PAGE.split("\n### What a GDELT row becomes\n", 1)[1].split("\n#", 1)[0]
    rows = dict(re.findall(r"^\| ([A-Z]+) \| ([0-9]{3,4}) \|$", section, re.MULTILINE))
    assert rows == {kind.value: _cameo.code_for(kind) for kind in cd.EventType}
    for kind in cd.EventType:
        assert _cameo.event_type(_cameo.code_for(kind)) is kind


def test_an_edited_type_writes_a_code_of_that_type(tmp_path: Path) -> None:
    dataset = cd.load(DATA / "v2.export.CSV")
    first = dataset.events[0]
    edited = attrs.evolve(
        dataset, events=(attrs.evolve(first, type="PROTEST"), *dataset.events[1:])
    )
    target = tmp_path / "edited.export.csv"
    cd.dump(edited, target, format="gdelt")
    row = target.read_text("utf-8").splitlines()[0].split("\t")
    assert row[26:30] == ["140", "140", "14", "4"]
    assert cd.load(target).events[0].type is cd.EventType.PROTEST


@settings(max_examples=30, deadline=None)
@given(dataset=st.datasets())
def test_any_dataset_writes_as_gdelt_and_reads_back_typed(dataset: cd.Dataset) -> None:
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "any.export.csv"
        cd.dump(dataset, path, format="gdelt")
        back = cd.load(path, format="gdelt")
    assert sorted(e.type.value for e in back.events) == sorted(
        e.type.value for e in dataset.events
    )
    for event in back.events:
        code = next(c.code for c in event.classifications if c.scheme == "cameo.event")
        assert _cameo.event_type(code) is event.type


def test_the_current_layout_writes_gdelt_2(tmp_path: Path) -> None:
    target = tmp_path / "now.export.csv"
    dataset = cd.load(DATA / "bigquery-v1.csv")
    cd.dump(dataset, target, format="gdelt", options={"layout": "current"})
    rows = [line.split("\t") for line in target.read_text("utf-8").splitlines()]
    assert {len(row) for row in rows} == {61}
    assert [e.location for e in cd.load(target).events] == [e.location for e in dataset.events]


def test_fips_country_codes_are_iso_countries() -> None:
    assert (FIPS["UK"], FIPS["GM"], FIPS["SF"], FIPS["RS"], FIPS["KV"]) == (
        "GB",
        "DE",
        "ZA",
        "RU",
        "XK",
    )
    assert all(FIPS[TO_FIPS[iso]] == iso for iso in FIPS.values())
    assert {
        c
        for e in cd.load(DATA / "v2.export.CSV").events
        if e.location
        for c in [e.location.country]
    } == {"SY", "US", "FR"}


@settings(max_examples=40, deadline=None)
@given(rows=hst.lists(st.gdelt_rows(), min_size=1, max_size=5), bigquery=hst.booleans())
def test_any_rows_read_and_write_back_cell_for_cell(
    rows: list[dict[str, str]], bigquery: bool
) -> None:
    columns = COLUMNS_2
    if bigquery:
        text = io.StringIO()
        writer = csv.writer(text, lineterminator="\n")
        writer.writerow(columns)
        writer.writerows([row[c] or "NULL" for c in columns] for row in rows)
        data = text.getvalue().encode("utf-8")
    else:
        data = "".join("\t".join(row[c] for c in columns) + "\n" for row in rows).encode()
    unique = {row["GLOBALEVENTID"] for row in rows}
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "rows.csv"
        path.write_bytes(data)
        got = cd.read(path, format="gdelt")
        if len(unique) < len(rows):
            return  # a repeated id is refused, as test_bad_rows shows
        assert got.report.ok, [p.message for p in got.report.errors]
        target = Path(directory) / "back.csv"
        cd.dump(got.dataset, target, format="gdelt")
        assert target.read_bytes() == data
    for event, row in zip(got.dataset.events, rows, strict=True):
        assert event.type is _cameo.event_type(row["EventCode"])


@pytest.mark.parametrize(
    ("column", "value"),
    [("SQLDATE", "\uff12\uff10\uff11\uff19\uff10\uff14\uff10\uff16"), ("ActionGeo_Lat", "3_5")],
)
def test_digits_python_takes_but_gdelt_never_writes_are_refused(
    tmp_path: Path, column: str, value: str
) -> None:
    lines = (DATA / "v2.export.CSV").read_text("utf-8").splitlines()
    cells = lines[0].split("\t")
    cells[COLUMNS_2.index(column)] = value
    lines[0] = "\t".join(cells)
    path = tmp_path / "x.export.CSV"
    path.write_text("\n".join(lines) + "\n", "utf-8")
    got = cd.read(path, format="gdelt")
    assert [(p.code, p.location) for p in got.report.errors] == [
        ("input.cell", f"row 1, column {column}")
    ]


def test_a_header_cell_with_a_control_character_is_reported(tmp_path: Path) -> None:
    # The header row is kept as written on the dataset source, so the text
    # checks look at it (str.strip() takes U+001C, so the name is known).
    lines = (DATA / "bigquery-v2.csv").read_text("utf-8").splitlines(keepends=True)
    path = tmp_path / "controlled.csv"
    path.write_text(lines[0].replace('"SQLDATE"', '"\x1cSQLDATE"') + "".join(lines[1:]), "utf-8")
    report = cd.validate_file(path, format="gdelt")
    assert [(p.code, p.path[:2]) for p in report.errors] == [("text.control", ("sources", 0))]
