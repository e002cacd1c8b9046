"""Real ACLED and GED exports, as users have them: each imports, and writes back as it was.

The files are in ``../shared/data/real`` (their provenance is in its
README). For each: the number of events, every problem expected (warnings
only), the cells written back in the file's own layout, the same through
JSON Lines and TEI, and the bytes too where the file quotes cells as
Python's ``csv`` does.
"""

from __future__ import annotations

import csv
import io
import os
from pathlib import Path

import pytest

import conflictdata as cd

from .conftest import SHARED

REAL = SHARED / "data" / "real"


def _real(name: str) -> Path:
    path = REAL / name
    if not path.is_file():
        if os.environ.get("CI"):
            pytest.fail(f"a real export is missing: {path}")
        pytest.skip(f"a real export is missing: {path}")
    return path


# (file, format, events, problems as (code, location), bytes written back equal)
# Files written by R quote every cell with a space in it, which Python's csv
# does not: their cells are equal, not their bytes.
FILES = [
    ("acled/acled-afghanistan-2020-03.csv", "acled", 496, [], False),
    ("acled/acled-africa-2016-07-api-pandas.csv", "acled", 500, [], True),
    ("acled/acled-api-2024-11-labels.csv", "acled", 2, [], False),
    (
        "acled/acled-bangladesh-2024-subset-cols-first1000.csv",
        "acled",
        1000,
        # A subset export without actor2 lists a two-sided event once per side.
        [("id.duplicate", "row 4")],
        True,
    ),
    ("acled/acled-burkina-faso-2020.csv", "acled", 3010, [], False),
    ("acled/acled-global-2022-acledR-deletion-dummy.csv", "acled", 9000, [], True),
    (
        "acled/acled-multi-2020-05-excel-first1000.csv",
        "acled",
        1000,
        [("input.cell", "row 243, column event_id_cnty")],
        True,
    ),
    (
        "ucdp/ucdp-ged191-mmr-bgd.csv",
        "ucdp",
        3194,
        [("fatalities.order", f"row {n}") for n in (142, 234, 274, 1039, 2822, 2978)],
        True,
    ),
    ("ucdp/ucdp-ged191-hdx-bgd-hxl.csv", "ucdp", 601, [("fatalities.order", "row 64")], True),
]
IDS = [name.split("/")[1].removesuffix(".csv") for name, *_ in FILES]


def _cells(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text, newline="")))


Case = tuple[str, str, int, list[tuple[str, str]], bool]


@pytest.mark.parametrize("case", FILES, ids=IDS)
def test_each_real_export_imports_with_only_the_expected_warnings(case: Case) -> None:
    name, fmt, count, expected, _ = case
    report = cd.validate_file(_real(name), format=fmt)
    assert report.ok
    found = [(p.code, p.location) for p in report]
    if name.startswith("acled/acled-bangladesh"):
        # One warning per repeated id: 332 rows of the 1,000.
        assert len(found) == 332
        assert {code for code, _ in found} == {"id.duplicate"}
        found = found[:1]
    assert found == expected
    assert all(p.severity is cd.Severity.WARNING for p in report)
    assert len(cd.load(_real(name), format=fmt).events) == count


@pytest.mark.parametrize("case", FILES, ids=IDS)
def test_each_real_export_writes_back_cell_for_cell_in_its_own_layout(case: Case) -> None:
    name, fmt, _, _, same_bytes = case
    path = _real(name)
    original = path.read_bytes()
    written = cd.dumps(cd.load(path, format=fmt), format=fmt)
    assert _cells(written) == _cells(original.decode("utf-8"))
    if same_bytes:
        assert written.encode("utf-8") == original


@pytest.mark.parametrize("via", ["jsonl", "tei.xml"])
@pytest.mark.parametrize("case", FILES, ids=IDS)
def test_each_real_export_keeps_its_cells_through_another_format(
    tmp_path: Path, via: str, case: Case
) -> None:
    name, fmt, count, _, _ = case
    path = _real(name)
    middle = tmp_path / f"middle.{via}"
    cd.convert(path, middle, from_format=fmt)
    back = tmp_path / "back.csv"
    cd.convert(middle, back, to_format=fmt)
    assert _cells(back.read_text("utf-8")) == _cells(path.read_text("utf-8"))
    assert len(cd.load(middle).events) == count


@pytest.mark.parametrize("name", [n for n, f, *_ in FILES if f == "acled"])
def test_acled_fatality_totals_are_the_sum_of_the_column(name: str) -> None:
    path = _real(name)
    column = sum(int(r["fatalities"]) for r in csv.DictReader(io.StringIO(path.read_text())))
    events = cd.load(path, format="acled").events
    assert sum(e.fatalities.best for e in events if e.fatalities and e.fatalities.best) == column


def test_kosovo_rows_of_the_acledr_dummy_are_in_kosovo() -> None:
    dataset = cd.load(_real("acled/acled-global-2022-acledR-deletion-dummy.csv"), format="acled")
    kosovo = [e for e in dataset.events if e.extensions["acled"]["iso"] == "0"]
    assert len(kosovo) == 3
    assert {e.location.country for e in kosovo if e.location} == {"XK"}


def test_the_2016_api_layout_maps_its_event_types_and_countries() -> None:
    dataset = cd.load(_real("acled/acled-africa-2016-07-api-pandas.csv"), format="acled")
    first = dataset.events[0]  # Riots/Protests by protesters in Lusaka, gwno 551
    assert [c.code for c in first.classifications] == ["Demonstrations", "Riots/Protests"]
    assert first.type is cd.EventType.PROTEST
    assert first.location is not None
    assert first.location.country == "ZM"
    assert first.extensions["acled"][""] == "0"  # the pandas index column


def test_ged_places_get_their_country_from_the_gleditsch_ward_number() -> None:
    dataset = cd.load(_real("ucdp/ucdp-ged191-mmr-bgd.csv"), format="ucdp")
    countries = {e.extensions["ucdp"]["country_id"]: e.location.country for e in dataset.events}  # type: ignore[union-attr]
    assert countries == {"775": "MM", "771": "BD"}


def test_the_armed_conflict_dataset_is_refused_for_what_it_is() -> None:
    [problem] = cd.validate_file(_real("ucdp/ucdp-prio-acd-241.csv"), format="ucdp")
    assert (problem.code, problem.location) == ("input.header", "row 1")
    assert "UCDP/PRIO Armed Conflict Dataset" in problem.message
    assert "not GED events" in problem.message
