"""ACLED: rows written from the codebook import, map as documented and write back exactly.

``tests/data/acled-sample.csv`` has one row per ACLED sub-event type (all
25), every ``time_precision`` and ``geo_precision`` code, numeric and text
``inter`` codes, several sources in one row, associated actors, tags, empty
cells and a misspelled ``disorder_type`` as real files have.
``tests/data/acled-legacy.csv`` is an older export: ``data_id``,
``event_id_no_cnty`` and ``iso3``, dates written out, no ``disorder_type``.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest
from hypothesis import given
from lxml import etree

import conflictdata as cd
from conflictdata.formats import acled

from . import strategies as st
from .test_tei import assert_valid_tei, needs_schema, tei_schema

__all__ = ["tei_schema"]  # the fixture, imported for the TEI test below

DATA = Path(__file__).parent / "data"
SAMPLE = DATA / "acled-sample.csv"
LEGACY = DATA / "acled-legacy.csv"


def _rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text, newline="")))


@pytest.fixture(scope="module")
def sample() -> cd.Dataset:
    """The sample, loaded."""
    return cd.load(SAMPLE, format="acled")


def test_the_sample_covers_the_codebook() -> None:
    rows = _rows(SAMPLE.read_text("utf-8"))
    assert {(r["event_type"], r["sub_event_type"]) for r in rows} == set(acled.CROSSWALK)
    assert {r["time_precision"] for r in rows} == {"1", "2", "3"}
    assert {r["geo_precision"] for r in rows} == {"1", "2", "3"}
    assert {"Rebel group", "1"} <= {r["inter1"] for r in rows}


@pytest.mark.parametrize("path", [SAMPLE, LEGACY], ids=["current", "legacy"])
def test_every_row_imports_validates_and_writes_back_exactly(path: Path) -> None:
    report = cd.validate_file(path, format="acled")
    assert list(report) == []
    original = _rows(path.read_text("utf-8"))
    written = _rows(cd.dumps(cd.load(path, format="acled"), format="acled"))
    assert len(written) == len(original)
    for number, (before, after) in enumerate(zip(original, written, strict=True), start=2):
        assert {c: after.get(c) for c in before} == before, f"row {number}"


def test_a_legacy_file_keeps_its_own_columns_unless_asked_for_the_current_ones() -> None:
    data = cd.to_dict(cd.load(LEGACY, format="acled"))
    own, current = io.BytesIO(), io.BytesIO()
    acled.write(data, own)
    acled.write(data, current, layout="current")
    assert own.getvalue() == LEGACY.read_bytes()
    header = next(csv.reader(io.StringIO(current.getvalue().decode())))
    assert header == [*acled.COLUMNS, *acled.LEGACY_COLUMNS]


def test_a_battle_row_maps_as_documented(sample: cd.Dataset) -> None:
    event = sample.events[0]
    assert event.id == "acled-AZE1001"
    assert (event.type, event.mode) == (cd.EventType.ASSAULT, "firearms")
    assert str(event.when.start) == "2020-09-27"
    assert [c.code for c in event.classifications] == [
        "Political violence",
        "Battles",
        "Armed clash",
    ]
    # Battles imply no direction.
    assert [p.role for p in event.participants] == [cd.Role.PARTICIPANT, cd.Role.PARTICIPANT]
    az = sample.get(event.participants[0].actor)
    assert (az.name, az.kind) == ("Military Forces of Azerbaijan (2003-)", cd.ActorKind.MILITARY)  # type: ignore[union-attr]
    assert [sample.get(c.source).title for c in event.citations] == [  # type: ignore[union-attr]
        "Reuters",
        "Xinhua",
        "Caucasian Knot",
    ]
    # ACLED's one figure is the headline and its conservative lower bound.
    assert event.fatalities == cd.Fatalities(best=12, low=12)
    assert event.location == cd.Place(
        name="Agdam",
        country="AZ",
        admin1="Tovuz",
        admin2="Tovuz",
        lat=40.9925,
        lon=45.6284,
        precision="exact",
    )
    assert event.identifiers == {"acled": "AZE1001"}
    assert event.extensions["acled"]["timestamp"] == "1600003600"


def test_time_precision_gives_honest_dates(sample: cd.Dataset) -> None:
    week = sample.events[1]  # time_precision 2 around 2020-09-27
    assert (str(week.when.start), str(week.when.end), week.when.uncertain) == (
        "2020-09-24",
        "2020-09-30",
        True,
    )
    month = sample.events[2]  # time_precision 3: only March 2021 is known
    assert (str(month.when.start), month.when.end) == ("2021-03", None)
    assert month.location is not None
    assert month.location.precision is cd.PlacePrecision.REGION  # geo_precision 3


def test_civilians_are_victims_and_associated_actors_take_part(sample: cd.Dataset) -> None:
    attack = next(e for e in sample.events if e.id == "acled-NIG1011")
    roles = [(sample.get(p.actor).name, p.role) for p in attack.participants]  # type: ignore[union-attr]
    assert roles == [
        ("Fulani Ethnic Militia (Nigeria)", cd.Role.INITIATOR),
        ("Civilians (Nigeria)", cd.Role.VICTIM),
        ("Farmers (Nigeria)", cd.Role.VICTIM),
        ("Women (Nigeria)", cd.Role.VICTIM),
    ]
    assert sample.get(attack.participants[1].actor).kind is cd.ActorKind.CIVILIANS  # type: ignore[union-attr]


def test_text_inter_codes_give_kinds_too(sample: cd.Dataset) -> None:
    last = sample.events[-1]
    kinds = [sample.get(p.actor).kind for p in last.participants]  # type: ignore[union-attr]
    assert kinds == [cd.ActorKind.ARMED_GROUP, cd.ActorKind.OTHER]


def test_actors_and_sources_are_shared_across_rows(sample: cd.Dataset) -> None:
    ids = [a.id for a in sample.actors]
    assert len(ids) == len(set(ids))
    reuters = [s for s in sample.sources if s.title == "Reuters"]
    assert len(reuters) == 1


def test_misspellings_are_kept(sample: cd.Dataset) -> None:
    riot = next(e for e in sample.events if e.classifications[2].code == "Violent demonstration")
    assert riot.classifications[0].code == "Demostrations"


def _write(tmp_path: Path, changes: dict[int, dict[str, str]]) -> Path:
    rows = _rows(SAMPLE.read_text("utf-8"))[:6]
    for index, cells in changes.items():
        rows[index].update(cells)
    path = tmp_path / "broken.csv"
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.DictWriter(out, fieldnames=acled.COLUMNS)
        writer.writeheader()
        writer.writerows(rows)
    return path


def test_bad_cells_are_named_by_row_and_column_and_good_rows_read(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        {
            0: {"latitude": "north"},
            1: {"event_date": "2020-02-30"},
            2: {"event_type": "Skirmish"},
            3: {"sub_event_type": "Catapult"},
            4: {"inter1": "9"},
        },
    )
    report = cd.validate_file(path, format="acled")
    assert [(p.code, p.location) for p in report] == [
        ("input.cell", "row 2, column latitude"),
        ("input.cell", "row 3, column event_date"),
        ("input.cell", "row 4, column event_type"),
        ("input.cell", "row 5, column sub_event_type"),
        ("input.cell", "row 6, column inter1"),
    ]
    with path.open("rb") as stream:
        assert len(acled.read(stream).data["events"]) == 1


def test_missing_columns_are_named(tmp_path: Path) -> None:
    path = tmp_path / "short.csv"
    path.write_text("event_id_cnty,event_date\nX1,2020-01-01\n", "utf-8")
    [problem] = cd.validate_file(path, format="acled")
    assert (problem.code, problem.location) == ("input.header", "row 1")
    assert problem.message == "missing ACLED columns: event_type, actor1"


@needs_schema
def test_acled_converts_to_valid_tei_and_back(tmp_path: Path, tei_schema: etree.RelaxNG) -> None:
    target = tmp_path / "acled.tei.xml"
    assert list(cd.convert(SAMPLE, target, from_format="acled")) == []
    assert_valid_tei(etree.parse(str(target)), tei_schema)
    back = tmp_path / "back.csv"
    cd.convert(target, back, to_format="acled")
    assert _rows(back.read_text("utf-8")) == _rows(SAMPLE.read_text("utf-8"))


def test_events_from_elsewhere_follow_the_crosswalk(example: cd.Dataset) -> None:
    buffer = io.BytesIO()
    [problem] = acled.write(cd.to_dict(example), buffer)
    assert problem.code == "export.lossy"
    rows = _rows(buffer.getvalue().decode("utf-8"))
    assert len(rows) == len(example.events)
    # No ACLED ids to give: the events keep their own.
    assert [r["event_id_cnty"] for r in rows] == [e.id for e in example.events]
    offensive = rows[[e.id for e in example.events].index("evt-2020-09-27-offensive")]
    assert (offensive["event_type"], offensive["sub_event_type"]) == (
        "Explosions/Remote violence",
        "Shelling/artillery/missile attack",
    )  # ASSAULT with mode heavy-weapons
    assert (offensive["event_date"], offensive["time_precision"]) == ("2020-09-27", "1")
    clash = rows[0]  # July 2020: a month, written as ACLED does, mid-month
    assert (clash["event_date"], clash["time_precision"]) == ("2020-07-15", "3")
    assert (clash["event_type"], clash["disorder_type"]) == ("Battles", "Political violence")


@given(dataset=st.datasets())
def test_any_dataset_writes_as_acled_and_reads_back_valid(dataset: cd.Dataset) -> None:
    buffer = io.BytesIO()
    acled.write(cd.to_dict(dataset), buffer)
    text = buffer.getvalue()
    rows = _rows(text.decode("utf-8"))
    assert len(rows) == len(dataset.events)
    if all(e.location is not None for e in dataset.events):
        back = cd.loads(text, format="acled")
        assert [str(e.type) for e in back.events] == [
            str(acled.CROSSWALK[(r["event_type"], r["sub_event_type"])][0]) for r in rows
        ]


def test_the_documented_event_type_table_is_the_crosswalk() -> None:
    page = (Path(__file__).parents[1] / "docs" / "interop.md").read_text("utf-8")
    table = re.findall(
        r"^\| ([A-Z][\w/ ]+) \| ([A-Z][\w/ -]+) \| ([A-Z]+) \| ?([a-z-]*) ?\|$", page, re.MULTILINE
    )
    documented = {(e, s): (t, m or None) for e, s, t, m in table}
    assert documented == acled.CROSSWALK
