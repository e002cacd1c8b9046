"""Records: construction, single-record invariants, partial dates."""

from __future__ import annotations

import datetime as dt

import attrs
import pytest
from hypothesis import given

import conflictdata as cd
from conflictdata._validators import FieldValueError

from . import strategies as st


def _event(**changes: object) -> cd.Event:
    fields: dict[str, object] = {
        "id": "evt-1",
        "type": "ASSAULT",
        "title": "Shelling",
        "when": cd.When(start="2020-07"),
        "participants": [cd.Participant(actor="mil-am", role="initiator")],
        "status": "disputed",
        "citations": [cd.Citation(source="src-1")],
    }
    fields.update(changes)
    return cd.Event(**fields)  # type: ignore[arg-type]


def test_strings_become_enums_dates_and_tuples() -> None:
    event = _event()
    assert event.type is cd.EventType.ASSAULT
    assert event.status is cd.Status.DISPUTED
    assert event.when.start == cd.PartialDate(2020, 7)
    assert isinstance(event.participants, tuple)
    assert event.participants[0].role is cd.Role.INITIATOR


def test_records_are_frozen() -> None:
    event = _event()
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        event.title = "x"  # type: ignore[misc]


def test_records_with_mappings_are_hashable() -> None:
    a = cd.Actor(id="a", kind="person", name="A", names={"az": "Ə"})
    assert hash(a) == hash(cd.Actor(id="a", kind="person", name="A", names={"az": "Ə"}))
    assert len({a, a}) == 1


@pytest.mark.parametrize(
    ("make", "field", "reason"),
    [
        (lambda: _event(id="1st"), "id", "not a valid id"),
        (lambda: _event(title=""), "title", "non-empty"),
        (lambda: _event(citations=[]), "citations", "at least 1"),
        (lambda: _event(type="FIGHT"), None, "FIGHT"),
        (lambda: _event(tags=["a", "a"]), "tags", "unique"),
        (lambda: _event(identifiers={"Bad Scheme": "1"}), "identifiers", "scheme"),
        (lambda: cd.Place(name="Baku", lat=40.4), "lon", "both or neither"),
        (lambda: cd.Place(name="Baku", lat=91.0, lon=0.0), "lat", "-90 to 90"),
        (lambda: cd.Place(name="Baku", lat=float("nan"), lon=0.0), "lat", "-90 to 90"),
        (lambda: cd.Place(name="Baku", country="aze"), "country", "alpha-2"),
        (cd.Fatalities, "high", "at least one"),
        (lambda: cd.Fatalities(best=-1), "best", ">= 0"),
        (lambda: cd.Fatalities(best=True), "best", ">= 0"),
        (lambda: cd.When(start="2020-07", end="2020-06"), "end", "before start"),
        (lambda: cd.Source(id="s", kind="report", title="t", url="not a uri"), "url", "URI"),
        (
            lambda: cd.Actor(id="a", kind="person", name="A", names={"english": "A"}),
            "names",
            "BCP 47",
        ),
    ],
)
def test_invalid_records_are_refused_with_the_field_named(
    make: object, field: str | None, reason: str
) -> None:
    with pytest.raises(ValueError, match=reason) as info:
        make()  # type: ignore[operator]
    if field is not None:
        assert isinstance(info.value, FieldValueError)
        assert info.value.field == field


@pytest.mark.parametrize(
    ("text", "precision", "earliest", "latest"),
    [
        ("2020", "year", dt.date(2020, 1, 1), dt.date(2020, 12, 31)),
        ("2020-02", "month", dt.date(2020, 2, 1), dt.date(2020, 2, 29)),
        ("2021-02", "month", dt.date(2021, 2, 1), dt.date(2021, 2, 28)),
        ("2020-09-27", "day", dt.date(2020, 9, 27), dt.date(2020, 9, 27)),
    ],
)
def test_partial_dates_keep_their_precision(
    text: str, precision: str, earliest: dt.date, latest: dt.date
) -> None:
    date = cd.PartialDate.parse(text)
    assert (date.precision, date.earliest(), date.latest(), str(date)) == (
        precision,
        earliest,
        latest,
        text,
    )


@pytest.mark.parametrize(
    "text",
    [
        "0000",
        "2020-13",
        "2020-00",
        "2021-02-29",
        "2020-9-27",
        "20200927",
        "2020\n",
        "\uff12\uff10\uff12\uff10",
        " 2020",
        "2020-07-",
    ],
)
def test_partial_dates_refuse_what_is_not_a_calendar_date(text: str) -> None:
    with pytest.raises(ValueError, match=r"not a date|outside|no day"):
        cd.PartialDate.parse(text)


@given(st.partial_dates())
def test_partial_date_text_round_trips(date: cd.PartialDate) -> None:
    assert cd.PartialDate.parse(str(date)) == date
    assert date.earliest() <= date.latest()


def test_dataset_get_finds_any_record(example: cd.Dataset) -> None:
    assert example.get("per-ilham-aliyev").name == "Ilham Aliyev"  # type: ignore[union-attr]
    assert isinstance(example.get("evt-2020-09-27-offensive"), cd.Event)
    with pytest.raises(KeyError):
        example.get("nobody")
