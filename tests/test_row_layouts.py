"""Every ACLED and GED layout variant, from hand-written fixtures in ``tests/data``.

- ``acled-2016-api-pandas.csv``: the 2016 API columns as pandas saved them
  (an unnamed index column first, ``ally_actor_*``, ``gwno``, no
  ``sub_event_type`` or ``iso``), one row per event type of that time;
- ``acled-upper-r-export.csv``: upper-case header, R's ``NA``, Kosovo as
  ``iso`` 0, ``31-12-19`` dates whose first row (``05-06-20``) only a later
  row decides, an extra column, and an id given twice;
- ``acled-date-styles.csv``: one row per date style; ``acled-ambiguous-dates.csv``:
  all-numeric dates that nothing in the column decides;
- ``ucdp-ged191.csv``: the 42 columns of GED 19.1, ``number_of_sources`` -1, a
  former state's Gleditsch-Ward number; ``ucdp-ged191-hdx-hxl.csv``: the HDX copy,
  with ``iso3``, ``start_year`` and an HXL hashtag row.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import attrs
import pytest

import conflictdata as cd
from conflictdata.formats import _days, _rows, acled, ucdp

from .conftest import ROOT

DATA = Path(__file__).parent / "data"
API_2016 = DATA / "acled-2016-api-pandas.csv"
UPPER_R = DATA / "acled-upper-r-export.csv"
STYLES = DATA / "acled-date-styles.csv"
AMBIGUOUS = DATA / "acled-ambiguous-dates.csv"
GED_191 = DATA / "ucdp-ged191.csv"
GED_HXL = DATA / "ucdp-ged191-hdx-hxl.csv"
FIXTURES = [
    (API_2016, "acled"),
    (UPPER_R, "acled"),
    (STYLES, "acled"),
    (GED_191, "ucdp"),
    (GED_HXL, "ucdp"),
]


def _cells(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text, newline="")))


def _rows_of(data: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8"), newline="")))


@pytest.mark.parametrize(("path", "fmt"), FIXTURES, ids=[p.stem for p, _ in FIXTURES])
def test_each_variant_writes_back_byte_for_byte(path: Path, fmt: str) -> None:
    assert cd.dumps(cd.load(path, format=fmt), format=fmt).encode("utf-8") == path.read_bytes()


@pytest.mark.parametrize(("path", "fmt"), FIXTURES, ids=[p.stem for p, _ in FIXTURES])
def test_each_variant_keeps_its_layout_through_json_lines(
    tmp_path: Path, path: Path, fmt: str
) -> None:
    middle = tmp_path / "middle.jsonl"
    cd.dump(cd.load(path, format=fmt), middle)
    assert cd.dumps(cd.load(middle), format=fmt).encode("utf-8") == path.read_bytes()


def test_the_2016_api_layout_maps_every_event_type_of_its_time() -> None:
    dataset = cd.load(API_2016, format="acled")
    found = [
        (
            e.classifications[1].code,
            str(e.type),
            e.mode,
            e.location.country if e.location else None,
        )
        for e in dataset.events
    ]
    assert found == [
        ("Riots/Protests", "PROTEST", None, "KE"),
        ("Riots/Protests", "PROTEST", "riot", "KE"),  # rioters: inter1 5
        ("Battle-No change of territory", "ASSAULT", None, "SO"),
        ("Battle-Government regains territory", "ASSAULT", None, "SO"),
        ("Battle-Non-state actor overtakes territory", "ASSAULT", None, "SO"),
        ("Remote violence", "ASSAULT", None, "NG"),
        ("Violence against civilians", "ASSAULT", None, "NG"),
        ("Strategic development", "COERCE", None, "NG"),
        ("Non-violent transfer of territory", "RETREAT", None, "SD"),
        ("Headquarters or base established", "MOBILIZE", None, "SS"),
    ]
    first = dataset.events[0]
    teachers = dataset.get(first.participants[1].actor)  # ally_actor_1
    assert isinstance(teachers, cd.Actor)
    assert teachers.name == "Teachers (Kenya)"
    assert first.extensions["acled"][""] == "0"  # the index column
    assert first.extensions["acled"]["gwno"] == "501"


def test_the_current_layout_gives_current_types_and_todays_columns() -> None:
    buffer = io.BytesIO()
    acled.write(cd.to_dict(cd.load(API_2016, format="acled")), buffer, layout="current")
    header, *_ = _cells(buffer.getvalue().decode("utf-8"))
    assert header == [*acled.COLUMNS, "data_id", "event_id_no_cnty", "gwno"]
    rows = _rows_of(buffer.getvalue())
    assert [(r["event_type"], r["sub_event_type"]) for r in rows[:3]] == [
        ("Protests", "Peaceful protest"),
        ("Riots", "Violent demonstration"),
        ("Battles", "Armed clash"),
    ]
    assert rows[0]["iso"] == "404"  # Kenya, from the model's country
    back = cd.loads(buffer.getvalue(), format="acled")
    assert len(back.events) == 10


def test_the_documented_table_of_older_event_types_is_the_code() -> None:
    page = (Path(__file__).parents[1] / "docs" / "interop.md").read_text("utf-8")
    table = re.findall(
        r"^\| ([A-Z][\w/ -]+) \| ([A-Z][\w/ ]+) \| ([A-Z][\w/ -]+) \| ([A-Z]+) \| ?([a-z-]*) ?\|$",
        page,
        re.MULTILINE,
    )
    documented = {w: (e, s, t, m or None) for w, e, s, t, m in table}
    assert documented == acled.TYPES_ALONE


def test_r_missing_values_are_missing_and_kosovo_is_xk() -> None:
    dataset = cd.load(UPPER_R, format="acled")
    assert "NA" not in {a.name for a in dataset.actors}
    assert all("NA" not in e.tags for e in dataset.events)
    second = dataset.events[1]
    assert second.description is None  # notes NA
    assert second.location is not None
    assert second.location.country == "XK"  # iso 0
    assert second.extensions["acled"]["population_best"] == "5000"  # an extra column


def test_an_all_numeric_date_column_is_read_as_its_dates_show_and_said_so() -> None:
    report = cd.validate_file(UPPER_R, format="acled")
    assert [(p.code, p.severity, p.location, p.message) for p in report] == [
        (
            "input.cell",
            cd.Severity.WARNING,
            "row 2, column EVENT_DATE",
            (
                "EVENT_DATE: '05-06-20' read as day-month-year (2020-06-05), "
                "as the column's '31-12-19' shows"
            ),
        ),
        (
            "id.duplicate",
            cd.Severity.WARNING,
            "row 5",
            (
                "acled-SRB2001 is the id of an earlier row too; both are kept, "
                "this one as acled-SRB2001-2"
            ),
        ),
    ]
    dataset = cd.load(UPPER_R, format="acled")
    # The first row waited for row 4 to decide, and still comes first.
    assert [(e.id, str(e.when.start)) for e in dataset.events] == [
        ("acled-XKX1001", "2020-06-05"),
        ("acled-XKX1002", "2020-06-12"),
        ("acled-SRB2001", "2019-12-31"),
        ("acled-SRB2001-2", "2019-12-31"),
    ]
    assert dataset.events[3].identifiers == {"acled": "SRB2001"}


def test_every_date_style_is_read() -> None:
    dataset = cd.load(STYLES, format="acled")
    assert [str(e.when.start) for e in dataset.events] == [
        "2020-09-27",
        "2020-12-03",
        "2015-01-01",
        "2020-05-09",
        "2019-12-31",
        "2020-06-05",
    ]


def test_a_column_that_stays_ambiguous_is_refused_row_by_row() -> None:
    report = cd.validate_file(AMBIGUOUS, format="acled")
    assert [(p.code, p.location) for p in report] == [
        ("input.cell", "row 2, column event_date"),
        ("input.cell", "row 3, column event_date"),
    ]
    assert "no date of the column shows which" in report.errors[0].message
    with AMBIGUOUS.open("rb") as stream:
        assert [e["id"] for e in acled.read(stream).data["events"]] == ["acled-AZE3"]


def test_an_edited_date_is_written_in_the_files_style() -> None:
    dataset = cd.load(UPPER_R, format="acled")
    event = dataset.events[1]
    moved = attrs.evolve(event, when=cd.When(start="2020-06-07"))
    edited = attrs.evolve(dataset, events=(dataset.events[0], moved, *dataset.events[2:]))
    rows = _rows_of(cd.dumps(edited, format="acled").encode("utf-8"))
    assert rows[1]["EVENT_DATE"] == "07-06-20"
    assert rows[1]["ADMIN3"] == "NA"  # the rest of the row as it was


def test_fatalities_are_the_headline_and_the_lower_bound() -> None:
    dataset = cd.load(API_2016, format="acled")
    assert dataset.events[2].fatalities == cd.Fatalities(best=4, low=4)
    assert dataset.events[7].fatalities is None  # an empty cell is unknown


def test_ged_191_reads_without_the_later_columns() -> None:
    dataset = cd.load(GED_191, format="ucdp")
    first, second, third = dataset.events
    assert first.identifiers == {"ucdp.ged": "900001"}  # 19.1 has no relid
    assert [e.location.country if e.location else None for e in dataset.events] == [
        "MM",
        "BD",
        None,  # 265, the German Democratic Republic, has no ISO country today
    ]
    assert first.extensions["ucdp"]["number_of_sources"] == "-1"
    assert third.location is not None
    assert third.location.name == "German Democratic Republic"  # where_coordinates empty
    assert [p.role for p in second.participants] == [cd.Role.INITIATOR, cd.Role.VICTIM]


def test_ged_current_layout_has_the_49_columns() -> None:
    buffer = io.BytesIO()
    ucdp.write(cd.to_dict(cd.load(GED_HXL, format="ucdp")), buffer, layout="current")
    header, *rows = _cells(buffer.getvalue().decode("utf-8"))
    assert header == [*ucdp.COLUMNS, "iso3", "start_year"]
    assert len(rows) == 2  # no HXL row


def test_the_hxl_row_is_set_aside_and_kept() -> None:
    dataset = cd.load(GED_HXL, format="ucdp")
    assert len(dataset.events) == 2
    layout = dataset.sources[0].extensions["ucdp"]["layout"]
    assert layout["hxl"][:2] == ["#id", "#date+year"]
    assert dataset.events[0].extensions["ucdp"]["iso3"] == "MMR"


def test_an_unknown_layout_option_is_refused() -> None:
    with pytest.raises(ValueError, match="layout must be one of own, current"):
        acled.Writer(io.BytesIO(), {}, layout="2016")


def test_participants_keep_their_side() -> None:
    assert _rows.participant("acled-actor-x", "initiator", "a") == {
        "actor": "acled-actor-x",
        "role": "initiator",
        "side": "a",
    }


def test_every_actor_of_a_battle_keeps_its_side() -> None:
    dataset = cd.load(ROOT / "tests" / "data" / "acled-sample.csv", format="acled")
    battles = [
        e for e in dataset.events if e.type is cd.EventType.ASSAULT and len(e.participants) > 1
    ]
    assert battles
    for event in battles:
        sides = {p.side for p in event.participants}
        assert sides <= {cd.Side.A, cd.Side.B}
        assert None not in sides


@pytest.mark.parametrize(
    ("cell", "day", "style"),
    [
        ("2020-12-03", "2020-12-03", "%Y-%m-%d"),
        ("03 December 2020", "2020-12-03", "%d %B %Y"),
        ("01-January-2015", "2015-01-01", "%d-%B-%Y"),
        ("9-May-20", "2020-05-09", "%-d-%b-%y"),
        ("31-12-19", "2019-12-31", "%d-%m-%y"),
        ("12/31/2019", "2019-12-31", "%m/%d/%Y"),
        ("9-May-97", "1997-05-09", "%-d-%b-%y"),  # 69-99 are the 1900s, as strptime reads them
    ],
)
def test_each_date_style_reads_and_writes_its_own_cells(cell: str, day: str, style: str) -> None:
    column = _days.DayColumn("event_date")
    found, guessed = column.read(cell)
    assert (found.isoformat(), column.style, guessed) == (day, style, False)
    assert _days.format_day(found, style) == cell


@pytest.mark.parametrize(
    # Arabic-Indic and fullwidth digits, written as escapes.
    "cell",
    ["\u0662\u0660\u0662\u0660-\u0660\u0666-\u0660\u0665", "05-June-\uff12\uff10\uff12\uff10"],
)
def test_a_date_in_other_digits_is_a_bad_cell(cell: str) -> None:
    with pytest.raises(_rows.RowError):
        _days.DayColumn("event_date").read(cell)


def test_a_date_against_the_columns_order_is_a_bad_cell() -> None:
    column = _days.DayColumn("event_date")
    column.read("31-12-19")
    assert column.order == "dm"
    assert column.read("05-06-20")[0].isoformat() == "2020-06-05"
    with pytest.raises(_rows.RowError, match="is not day-month-year"):
        column.read("12-31-19")


def test_a_row_that_fails_still_decides_the_rows_before_it(tmp_path: Path) -> None:
    header, *rows = _cells(STYLES.read_text("utf-8"))
    ambiguous, decisive = rows[5], rows[4]  # 05-06-20, then 31-12-19
    decisive[header.index("latitude")] = "north"
    path = tmp_path / "decided-late.csv"
    text = io.StringIO()
    csv.writer(text).writerows([header, ambiguous, decisive])
    path.write_text(text.getvalue(), "utf-8")
    report = cd.validate_file(path, format="acled")
    assert [(p.code, p.severity, p.location) for p in report] == [
        ("input.cell", cd.Severity.WARNING, "row 2, column event_date"),
        ("input.cell", cd.Severity.ERROR, "row 3, column latitude"),
    ]
    with path.open("rb") as stream:
        [event] = acled.read(stream).data["events"]
    assert event["when"] == {"start": "2020-06-05"}
