"""UCDP GED: real rows import, validate, become valid TEI, and write back exactly."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import attrs
import pytest
from hypothesis import given
from lxml import etree

import conflictdata as cd
from conflictdata.formats import ucdp

from . import strategies as st
from .conftest import shared_path
from .test_tei import assert_valid_tei, needs_schema, tei_schema

__all__ = ["tei_schema"]  # the fixture, imported for the TEI test below

#: Three hand-made rows, one per type of violence, that need no real sample.
HAND_MADE = Path(__file__).parent / "data" / "ucdp-sample.csv"


@pytest.fixture(scope="module")
def sample() -> Path:
    """The 200 real GED 23.1 rows."""
    return shared_path("data", "ucdp-ged-23.1-sample200.csv")


def _cells(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text, newline="")))


def test_the_hand_made_rows_map_every_type_of_violence_and_write_back() -> None:
    report = cd.validate_file(HAND_MADE, format="ucdp")
    assert [(p.code, p.location) for p in report] == [("fatalities.order", "row 3")]
    dataset = cd.load(HAND_MADE, format="ucdp")
    state, one_sided, non_state = dataset.events
    assert [c.code for e in dataset.events for c in e.classifications] == ["1", "3", "2"]
    assert [p.role for p in state.participants] == [cd.Role.PARTICIPANT] * 2
    assert [p.role for p in one_sided.participants] == [cd.Role.INITIATOR, cd.Role.VICTIM]
    assert [p.role for p in non_state.participants] == [cd.Role.PARTICIPANT] * 2
    assert (str(state.when.start), state.when.end) == ("2019-03-01", None)
    assert (str(one_sided.when.end), one_sided.when.uncertain) == ("2019-03-08", True)
    assert (str(non_state.when.start), non_state.when.end) == ("2019-04", None)
    places = [e.location.precision if e.location else None for e in dataset.events]
    assert places == ["exact", "admin1", "country"]
    kinds = {a.id: a.kind for a in dataset.actors}
    assert kinds["ucdp-actor-9201"] is cd.ActorKind.GOVERNMENT
    assert kinds["ucdp-actor-1"] is cd.ActorKind.CIVILIANS
    # One named originator is the claim's attribution; "army statement" is not a name.
    assert {c.attributed_to for c in state.citations} == {None}
    assert len({c.attributed_to for c in one_sided.citations[1:]}) == 1
    assert one_sided.citations[1].attributed_to in kinds
    assert _cells(cd.dumps(dataset, format="ucdp")) == _cells(HAND_MADE.read_text("utf-8"))


def test_every_row_imports_with_warnings_only_where_figures_disagree(sample: Path) -> None:
    report = cd.validate_file(sample, format="ucdp")
    assert report.ok
    assert [(p.code, p.location) for p in report] == [
        ("fatalities.order", "row 8"),
        ("fatalities.order", "row 32"),
        ("fatalities.order", "row 121"),
        ("fatalities.order", "row 133"),
    ]
    dataset = cd.load(sample, format="ucdp")
    assert len(dataset.events) == 200
    assert cd.validate(dataset).ok


def test_every_row_writes_back_identically(sample: Path) -> None:
    original = _cells(sample.read_text("utf-8"))
    written = _cells(cd.dumps(cd.load(sample, format="ucdp"), format="ucdp"))
    assert written[0] == list(ucdp.COLUMNS) == original[0]
    assert len(written) == len(original) == 201
    for number, (before, after) in enumerate(zip(original, written, strict=True), start=1):
        assert after == before, f"row {number}"


def test_a_row_maps_to_an_event_actors_and_sources(sample: Path) -> None:
    dataset = cd.load(sample, format="ucdp")
    event = dataset.get("ucdp-ged-300380")
    assert isinstance(event, cd.Event)
    assert event.type is cd.EventType.ASSAULT
    assert str(event.when.start) == "2013-01-03"
    assert event.when.end is None
    assert event.location == cd.Place(
        name="Rami village",
        country="SY",  # from country_id 652, a Gleditsch-Ward number
        admin1="Idlib governorate",
        admin2="Ariha district",
        lat=35.763369,
        lon=36.558974,
        precision="exact",
    )
    assert event.fatalities == cd.Fatalities(best=2, low=2, high=2)
    assert [(p.actor, p.role) for p in event.participants] == [
        ("ucdp-actor-118", cd.Role.PARTICIPANT),
        ("ucdp-actor-4456", cd.Role.PARTICIPANT),
    ]
    syria = dataset.get("ucdp-actor-118")
    assert (syria.kind, syria.name) == (cd.ActorKind.GOVERNMENT, "Government of Syria")  # type: ignore[union-attr]
    cited = [dataset.get(c.source) for c in event.citations]
    assert [s.title for s in cited] == [  # type: ignore[union-attr]
        "UCDP Georeferenced Event Dataset (GED)",
        "Thursday 3 January 2013",
        "Abdul Satar Mustafa Hankosh",
    ]
    assert event.identifiers == {"ucdp.ged": "300380", "ucdp.relid": "SYR-2013-1-11973-99"}
    assert event.extensions["ucdp"]["source_original"] == "SOHR; VDC"


def test_precision_codes_map_to_honest_dates_and_places(sample: Path) -> None:
    with sample.open(encoding="utf-8", newline="") as lines:
        rows = {r["id"]: r for r in csv.DictReader(lines)}
    dataset = cd.load(sample, format="ucdp")
    for event in dataset.events:
        row = rows[event.identifiers["ucdp.ged"]]
        when = event.when
        assert when.start.earliest().isoformat() == row["date_start"]
        assert (when.end or when.start).latest().isoformat() == row["date_end"]
        if row["date_prec"] == "1" and row["date_start"] == row["date_end"]:
            assert (when.start.precision, when.end) == ("day", None)
        if row["date_prec"] in {"2", "3"}:
            assert when.uncertain
        assert event.location is not None
        assert event.location.precision == ucdp.WHERE_PRECISION[row["where_prec"]]
    angola = dataset.get("ucdp-ged-21300")  # date_prec 3: the week of 10-16 May 1989
    assert isinstance(angola, cd.Event)
    assert (str(angola.when.start), str(angola.when.end), angola.when.uncertain) == (
        "1989-05-10",
        "1989-05-16",
        True,
    )


def test_one_sided_violence_makes_the_civilians_victims(sample: Path) -> None:
    dataset = cd.load(sample, format="ucdp")
    one_sided = [e for e in dataset.events if e.classifications[0].code == "3"]
    assert len(one_sided) == 33
    for event in one_sided:
        assert [p.role for p in event.participants] == [cd.Role.INITIATOR, cd.Role.VICTIM]
        victims = dataset.get(event.participants[1].actor)
        assert victims.kind is cd.ActorKind.CIVILIANS  # type: ignore[union-attr]


def test_actors_and_sources_are_shared_across_rows(sample: Path) -> None:
    dataset = cd.load(sample, format="ucdp")
    assert len({a.id for a in dataset.actors}) == len(dataset.actors)
    assert len({s.id for s in dataset.sources}) == len(dataset.sources)
    sides = {p.actor for e in dataset.events for p in e.participants}
    assert len(sides) == 103
    originators = {c.attributed_to for e in dataset.events for c in e.citations} - {None}
    assert sides | originators == {a.id for a in dataset.actors}


def test_a_single_original_source_is_the_claims_attribution(sample: Path) -> None:
    dataset = cd.load(sample, format="ucdp")
    afghan = dataset.get("ucdp-ged-401115")  # source_original: Ministry of National Defense
    assert isinstance(afghan, cd.Event)
    gedc, news = afghan.citations
    assert gedc.attributed_to is None  # the GED itself is cited as it is
    ministry = dataset.get(str(news.attributed_to))
    assert (ministry.name, ministry.kind) == (  # type: ignore[union-attr]
        "Ministry of National Defense",
        cd.ActorKind.ORGANIZATION,
    )
    syria = dataset.get("ucdp-ged-300380")  # "SOHR; VDC": two names, no single attribution
    assert isinstance(syria, cd.Event)
    assert {c.attributed_to for c in syria.citations} == {None}


@needs_schema
def test_the_sample_converts_to_valid_tei_and_back(
    sample: Path, tmp_path: Path, tei_schema: etree.RelaxNG
) -> None:
    target = tmp_path / "ged.tei.xml"
    report = cd.convert(sample, target, from_format="ucdp")
    assert len(report.warnings) == 4
    assert_valid_tei(etree.parse(str(target)), tei_schema)
    back = tmp_path / "back.csv"
    cd.convert(target, back, to_format="ucdp")
    assert _cells(back.read_text("utf-8")) == _cells(sample.read_text("utf-8"))


def test_the_sample_streams(sample: Path) -> None:
    with cd.iter_records(sample, format="ucdp") as records:
        events = [r for r in records if isinstance(r, cd.Event)]
        assert len(events) == 200
        assert [w.location for w in records.warnings] == ["row 8", "row 32", "row 121", "row 133"]


def _broken(tmp_path: Path, sample: Path, change: dict[int, dict[str, str]]) -> Path:
    with sample.open(encoding="utf-8", newline="") as lines:
        rows = list(csv.DictReader(lines))[:6]
    for index, cells in change.items():
        rows[index].update(cells)
    path = tmp_path / "broken.csv"
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.DictWriter(out, fieldnames=ucdp.COLUMNS)
        writer.writeheader()
        writer.writerows(rows)
    return path


def test_bad_cells_are_named_by_row_and_column_and_the_other_rows_read(
    tmp_path: Path, sample: Path
) -> None:
    path = _broken(
        tmp_path,
        sample,
        {
            0: {"latitude": "north"},
            2: {"date_start": "2021-02-30"},
            3: {"type_of_violence": "9"},
            4: {"best": "many"},
        },
    )
    report = cd.validate_file(path, format="ucdp")
    assert [(p.code, p.location) for p in report] == [
        ("input.cell", "row 2, column latitude"),
        ("input.cell", "row 4, column date_start"),
        ("input.cell", "row 5, column type_of_violence"),
        ("input.cell", "row 6, column best"),
    ]
    with path.open("rb") as stream:
        decoded = ucdp.read(stream)
    assert len(decoded.data["events"]) == 2  # rows 3 and 7 were read


def test_missing_columns_and_ragged_rows(tmp_path: Path) -> None:
    header, *rows = _cells(HAND_MADE.read_text("utf-8"))
    path = tmp_path / "short.csv"
    path.write_text(",".join(c for c in header if c not in ("side_a", "date_end")) + "\n", "utf-8")
    [problem] = cd.validate_file(path, format="ucdp")
    assert (problem.code, problem.location) == ("input.header", "row 1")
    assert problem.message == "missing GED columns: side_a, date_end"
    ragged = tmp_path / "ragged.csv"
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\n")
    writer.writerows([header, rows[0][:-1], rows[1]])
    ragged.write_text(text.getvalue(), "utf-8")
    # The other row is still checked: its figures draw their warning too.
    [problem] = cd.validate_file(ragged, format="ucdp").errors
    assert (problem.code, problem.location) == ("input.row", "row 2")


def test_later_columns_are_kept_in_the_extension(tmp_path: Path) -> None:
    header, first, *_ = _cells(HAND_MADE.read_text("utf-8"))
    path = tmp_path / "newer.csv"
    text = io.StringIO()
    csv.writer(text, lineterminator="\n").writerows([[*header, "new_column"], [*first, "x"]])
    path.write_text(text.getvalue(), "utf-8")
    [event] = cd.load(path, format="ucdp").events
    assert event.extensions["ucdp"]["new_column"] == "x"


def test_events_from_elsewhere_follow_the_crosswalk_and_are_reported(
    example: cd.Dataset,
) -> None:
    buffer = io.BytesIO()
    problems = ucdp.write(cd.to_dict(example), buffer)
    [problem] = problems
    assert problem.code == "export.lossy"
    assert "19 event(s)" in problem.message
    header, *rows = _cells(buffer.getvalue().decode("utf-8"))
    row = dict(zip(header, rows[-2], strict=True))  # the offensive of 27 September
    assert row["date_start"] == row["date_end"] == "2020-09-27"
    assert row["date_prec"] == "1"
    assert (row["side_a"], row["side_b"]) == (
        "Armed Forces of Azerbaijan",
        "Armed Forces of Armenia",
    )
    assert row["type_of_violence"] == "1"
    assert row["where_prec"] == "5"
    month = dict(zip(header, rows[0], strict=True))  # the July clash: a month
    assert (month["date_start"], month["date_end"], month["date_prec"]) == (
        "2020-07-01",
        "2020-07-31",
        "4",
    )


def test_edits_in_the_model_win_over_the_kept_codes() -> None:
    dataset = cd.load(HAND_MADE, format="ucdp")
    event = dataset.events[0]
    assert event.location is not None
    moved = attrs.evolve(event, location=attrs.evolve(event.location, precision="admin1"))
    edited = attrs.evolve(dataset, events=(moved, *dataset.events[1:]))
    header, first, *_ = _cells(cd.dumps(edited, format="ucdp"))
    assert dict(zip(header, first, strict=True))["where_prec"] == "4"


def test_an_edited_date_gets_a_code_that_agrees() -> None:
    dataset = cd.load(HAND_MADE, format="ucdp")
    event = dataset.events[0]
    widened = attrs.evolve(event, when=cd.When(start="2019-01"))
    edited = attrs.evolve(dataset, events=(widened, *dataset.events[1:]))
    header, first, *_ = _cells(cd.dumps(edited, format="ucdp"))
    row = dict(zip(header, first, strict=True))
    assert (row["date_start"], row["date_end"], row["date_prec"]) == (
        "2019-01-01",
        "2019-01-31",
        "4",
    )


@given(dataset=st.datasets())
def test_any_dataset_writes_as_ged_with_one_row_per_event(dataset: cd.Dataset) -> None:
    buffer = io.BytesIO()
    ucdp.write(cd.to_dict(dataset), buffer)
    header, *rows = _cells(buffer.getvalue().decode("utf-8"))
    assert header == list(ucdp.COLUMNS)
    assert len(rows) == len(dataset.events)
    for event, row in zip(dataset.events, rows, strict=True):
        cells = dict(zip(header, row, strict=True))
        assert cells["date_start"] == event.when.start.earliest().isoformat()
        assert cells["date_end"] == (event.when.end or event.when.start).latest().isoformat()
