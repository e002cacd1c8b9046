"""Conversion to and from plain data: round trips, strictness, error paths."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given

import conflictdata as cd
from conflictdata._build import build
from conflictdata._convert import RECORD_TYPES

from . import strategies as st


def _json_only(value: Any) -> bool:
    if isinstance(value, dict):
        return all(isinstance(k, str) and _json_only(v) for k, v in value.items())
    if isinstance(value, list):
        return all(_json_only(v) for v in value)
    return value is None or type(value) in (str, int, float, bool)


@given(st.records)
def test_records_round_trip_through_plain_data(record: cd.Event | cd.Actor | cd.Source) -> None:
    plain = cd.to_dict(record)
    assert _json_only(plain)
    assert json.loads(json.dumps(plain)) == plain
    assert cd.from_dict(type(record), plain) == record


@given(st.datasets())
def test_datasets_round_trip_and_the_fast_builder_agrees(dataset: cd.Dataset) -> None:
    plain = cd.to_dict(dataset)
    assert cd.from_dict(cd.Dataset, plain) == dataset
    assert build(plain, cd.Dataset) == dataset


@given(st.records)
def test_absent_optional_fields_are_omitted(record: cd.Event | cd.Actor | cd.Source) -> None:
    plain = cd.to_dict(record)
    optional = {k: v for k, v in plain.items() if k != "participants"}
    assert None not in optional.values()
    assert [] not in optional.values()
    assert {} not in optional.values()


def test_schema_version_is_always_written() -> None:
    plain = cd.to_dict(cd.Dataset(metadata=cd.Metadata(title="t")))
    assert plain == {
        "schema_version": cd.SCHEMA_VERSION,
        "metadata": {"title": "t"},
        "sources": [],
        "actors": [],
        "events": [],
    }


@pytest.mark.parametrize(
    ("data", "path", "code"),
    [
        ({"actor": "a", "role": "boss"}, "/role", "model.value"),
        ({"actor": "a"}, "/role", "model.missing"),
        ({"actor": "a", "role": "target", "x": 1}, "/x", "model.extra-key"),
        ({"actor": 5, "role": "target"}, "/actor", "model.type"),
        ({"actor": "a b", "role": "target"}, "/actor", "model.value"),
    ],
)
def test_from_dict_reports_each_bad_field_with_its_pointer(
    data: dict[str, Any], path: str, code: str
) -> None:
    with pytest.raises(cd.DataValidationError) as info:
        cd.from_dict(cd.Participant, data)
    assert [(p.pointer, p.code) for p in info.value.report] == [(path, code)]


@pytest.mark.parametrize(
    ("value", "field"),
    [("5", "best"), (True, "best"), (2.0, "best")],
)
def test_no_silent_coercion_between_json_types(value: object, field: str) -> None:
    with pytest.raises(cd.DataValidationError):
        cd.from_dict(cd.Fatalities, {field: value})


def test_strings_are_not_split_into_lists() -> None:
    data = {"id": "a", "kind": "person", "name": "A", "aliases": "Ali"}
    with pytest.raises(cd.DataValidationError) as info:
        cd.from_dict(cd.Actor, data)
    assert [p.pointer for p in info.value.report] == ["/aliases"]


def test_extension_data_is_copied_not_shared() -> None:
    data = {"id": "s", "kind": "report", "title": "t", "extensions": {"x": {"a": [1]}}}
    source = cd.from_dict(cd.Source, data)
    data["extensions"]["x"]["a"].append(2)  # type: ignore[index]
    assert source.extensions == {"x": {"a": [1]}}


@pytest.mark.parametrize("kind", sorted(RECORD_TYPES))
def test_every_record_kind_has_a_schema_and_takes_only_its_own_records(
    kind: str, example: cd.Dataset
) -> None:
    records = {
        "dataset": example,
        "event": example.events[0],
        "actor": example.actors[0],
        "source": example.sources[0],
        "tombstone": cd.Tombstone(id="acled-X1", deleted="2024-03-01T09:30:00Z"),
    }
    record = records[kind]
    assert type(record) is RECORD_TYPES[kind]
    assert kind in cd.schemas.names()
    plain = cd.to_dict(record)
    assert cd.validate(plain, kind=kind).ok
    assert cd.validate(record).ok
    assert cd.from_dict(RECORD_TYPES[kind], plain) == record
    for other in set(RECORD_TYPES) - {kind}:
        assert not cd.validate(plain, kind=other).ok, other


def test_nested_errors_have_deep_pointers(example_dict: dict[str, Any]) -> None:
    example_dict["events"][3]["citations"][0]["stance"] = "maybe"
    example_dict["actors"][2]["names"]["english"] = "x"
    with pytest.raises(cd.DataValidationError) as info:
        cd.from_dict(cd.Dataset, example_dict)
    assert sorted(p.pointer for p in info.value.report) == [
        "/actors/2/names/english",
        "/events/3/citations/0/stance",
    ]
