"""validate(): the invalid table, cross-record checks, and fast/reference agreement."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from typing import Any

import jsonschema
import jsonschema_rs
import pytest
from hypothesis import given
from hypothesis import strategies as hst

import conflictdata as cd
from conflictdata import _schemacheck, schemas

from . import strategies as st

Doc = dict[str, Any]


def _set(path: str, value: Any) -> Callable[[Doc], None]:
    def mutate(doc: Doc) -> None:
        *parents, last = [int(p) if p.isdigit() else p for p in path.strip("/").split("/")]
        node: Any = doc
        for part in parents:
            node = node[part]
        node[last] = value

    return mutate


def _delete(path: str) -> Callable[[Doc], None]:
    def mutate(doc: Doc) -> None:
        *parents, last = [int(p) if p.isdigit() else p for p in path.strip("/").split("/")]
        node: Any = doc
        for part in parents:
            node = node[part]
        del node[last]

    return mutate


# Each row: what is wrong, how to break the example, the exact (code, path).
INVALID: list[tuple[str, Callable[[Doc], None], str, str]] = [
    ("missing title", _delete("/events/0/title"), "schema.required", "/events/0/title"),
    (
        "missing citations",
        _delete("/events/1/citations"),
        "schema.required",
        "/events/1/citations",
    ),
    ("no citation", _set("/events/1/citations", []), "schema.minItems", "/events/1/citations"),
    (
        "unknown member",
        _set("/events/2/weather", "rain"),
        "schema.additionalProperties",
        "/events/2/weather",
    ),
    ("unknown type", _set("/events/0/type", "FIGHT"), "schema.enum", "/events/0/type"),
    ("bad status", _set("/events/0/status", "likely"), "schema.enum", "/events/0/status"),
    ("id with space", _set("/actors/0/id", "state az"), "schema.pattern", "/actors/0/id"),
    ("id with digit first", _set("/sources/0/id", "1src"), "schema.pattern", "/sources/0/id"),
    ("id with newline", _set("/sources/0/id", "src\n"), "schema.pattern", "/sources/0/id"),
    (
        "padded month",
        _set("/events/0/when/start", "2020-07-00"),
        "schema.pattern",
        "/events/0/when/start",
    ),
    (
        "no such day",
        _set("/events/0/when/start", "2021-02-29"),
        "schema.format",
        "/events/0/when/start",
    ),
    ("year zero", _set("/events/0/when/start", "0000"), "schema.pattern", "/events/0/when/start"),
    ("date as number", _set("/events/0/when/start", 2020), "schema.type", "/events/0/when/start"),
    (
        "lat without lon",
        _set("/events/3/location", {"name": "Baku", "lat": 40.4}),
        "schema.dependentRequired",
        "/events/3/location/lon",
    ),
    (
        "latitude out of range",
        _set("/events/3/location/lat", 95),
        "schema.maximum",
        "/events/3/location/lat",
    ),
    (
        "longitude out of range",
        _set("/events/3/location/lon", -181),
        "schema.minimum",
        "/events/3/location/lon",
    ),
    (
        "negative deaths",
        _set("/events/0/fatalities", {"best": -1}),
        "schema.minimum",
        "/events/0/fatalities/best",
    ),
    (
        "deaths as text",
        _set("/events/0/fatalities", {"best": "2"}),
        "schema.type",
        "/events/0/fatalities/best",
    ),
    (
        "empty fatalities",
        _set("/events/0/fatalities", {}),
        "schema.minProperties",
        "/events/0/fatalities",
    ),
    ("lower-case country", _set("/actors/0/country", "az"), "schema.pattern", "/actors/0/country"),
    (
        "bad language key",
        _set("/actors/0/names", {"Azeri": "x"}),
        "schema.propertyNames",
        "/actors/0/names/Azeri",
    ),
    ("not a uri", _set("/sources/1/url", "eurasianet dot org"), "schema.format", "/sources/1/url"),
    ("empty title", _set("/sources/0/title", ""), "schema.minLength", "/sources/0/title"),
    ("duplicate tag", _set("/events/0/tags", ["a", "a"]), "schema.uniqueItems", "/events/0/tags"),
    ("wrong version", _set("/schema_version", "2.0"), "schema.const", "/schema_version"),
    ("missing metadata", _delete("/metadata"), "schema.required", "/metadata"),
    (
        "boolean as flag text",
        _set("/events/5/when/uncertain", "yes"),
        "schema.type",
        "/events/5/when/uncertain",
    ),
    (
        "extension not an object",
        _set("/events/0/extensions", {"ucdp": 5}),
        "schema.type",
        "/events/0/extensions/ucdp",
    ),
    # cross-record checks
    (
        "duplicate id",
        _set("/events/18/id", "evt-2020-09-25-embassy-warnings"),
        "id.duplicate",
        "/events/18/id",
    ),
    ("id shared across kinds", _set("/events/1/id", "state-az"), "id.duplicate", "/events/1/id"),
    (
        "unknown actor",
        _set("/events/0/participants/0/actor", "nobody"),
        "ref.unresolved",
        "/events/0/participants/0/actor",
    ),
    (
        "actor where a source belongs",
        _set("/events/0/citations/0/source", "state-az"),
        "ref.unresolved",
        "/events/0/citations/0/source",
    ),
    (
        "unknown claimant",
        _set("/events/1/citations/0/attributed_to", "nobody"),
        "ref.unresolved",
        "/events/1/citations/0/attributed_to",
    ),
    (
        "unknown related event",
        _set("/events/1/related/0/event", "evt-nope"),
        "ref.unresolved",
        "/events/1/related/0/event",
    ),
    (
        "self relation",
        _set("/events/1/related/0/event", "evt-2020-07-az-blames-am"),
        "ref.unresolved",
        "/events/1/related/0/event",
    ),
    (
        "unknown affiliation",
        _set("/actors/7/affiliations/0/actor", "nobody"),
        "ref.unresolved",
        "/actors/7/affiliations/0/actor",
    ),
    (
        "end before start",
        _set("/events/4/when", {"start": "2020-07", "end": "2020-06-30"}),
        "date.order",
        "/events/4/when/end",
    ),
    (
        "affiliation ends first",
        _set("/actors/13/affiliations/0/end", "1999"),
        "date.order",
        "/actors/13/affiliations/0/end",
    ),
    ("control character", _set("/events/0/title", "a\x0bb"), "schema.pattern", "/events/0/title"),
    ("noncharacter", _set("/sources/0/title", "a\uffff"), "schema.pattern", "/sources/0/title"),
    ("lone surrogate", _set("/events/0/title", "a\ud800b"), "text.surrogate", "/events/0/title"),
]

WARNINGS: list[tuple[str, Callable[[Doc], None], str, str]] = [
    (
        "low above best",
        _set("/events/0/fatalities", {"low": 18, "best": 18, "high": 17}),
        "fatalities.order",
        "/events/0/fatalities",
    ),
    (
        "citation figures",
        _set("/events/0/citations/2/fatalities", {"low": 3, "best": 1}),
        "fatalities.order",
        "/events/0/citations/2/fatalities",
    ),
    ("decomposed text", _set("/events/0/title", "Cafe\u0301"), "text.not-nfc", "/events/0/title"),
    (
        "bidi override",
        _set("/events/0/citations/0/quote", "abc\u202edef"),
        "text.bidi-control",
        "/events/0/citations/0/quote",
    ),
    (
        "unknown extension",
        _set("/events/0/extensions", {"mine": {"x": 1}}),
        "extension.unknown-scheme",
        "/events/0/extensions/mine",
    ),
]


@pytest.mark.parametrize(("what", "mutate", "code", "path"), INVALID, ids=[r[0] for r in INVALID])
def test_invalid_documents_give_the_exact_problem(
    example_dict: Doc, what: str, mutate: Callable[[Doc], None], code: str, path: str
) -> None:
    mutate(example_dict)
    report = cd.validate(example_dict)
    assert not report.ok, what
    best = report.best_match()
    assert best is not None
    assert (best.code, best.pointer) == (code, path)
    # A changed id also leaves the references to the old one unresolved:
    # every problem is reported in one run.
    others = [(p.code, p.pointer) for p in report.errors if p is not best]
    assert all(c == "ref.unresolved" for c, _ in others), others
    assert not others or what.startswith("id with")


def test_a_bad_date_and_an_unknown_actor_are_both_reported(example_dict: Doc) -> None:
    example_dict["events"][0]["when"]["start"] = "2020-09-31"
    example_dict["events"][1]["participants"][0]["actor"] = "nobody"
    report = cd.validate(example_dict)
    assert [(p.code, p.pointer) for p in report.errors] == [
        ("schema.format", "/events/0/when/start"),
        ("ref.unresolved", "/events/1/participants/0/actor"),
    ]


@pytest.mark.parametrize(
    ("what", "mutate", "code", "path"), WARNINGS, ids=[r[0] for r in WARNINGS]
)
def test_doubtful_documents_give_the_exact_warning(
    example_dict: Doc, what: str, mutate: Callable[[Doc], None], code: str, path: str
) -> None:
    mutate(example_dict)
    report = cd.validate(example_dict)
    assert report.ok, what
    assert [(p.code, p.pointer, p.severity) for p in report] == [(code, path, cd.Severity.WARNING)]


def test_text_checks_reach_extension_keys(example_dict: Doc) -> None:
    example_dict["events"][0]["extensions"] = {"mine": {"Cafe\u0301": 1}}
    assert [(p.code, p.pointer) for p in cd.validate(example_dict)] == [
        ("extension.unknown-scheme", "/events/0/extensions/mine"),
        ("text.not-nfc", "/events/0/extensions/mine/Cafe\u0301"),
    ]


def test_the_example_has_no_problems(example: cd.Dataset, example_dict: Doc) -> None:
    assert list(cd.validate(example)) == []
    assert list(cd.validate(example_dict)) == []


def test_many_problems_are_all_reported_in_document_order(example_dict: Doc) -> None:
    for _, mutate, _, _ in (INVALID[4], INVALID[6], INVALID[20]):
        mutate(example_dict)
    report = cd.validate(example_dict)
    # The renamed actor's old id no longer resolves: reported too, in order.
    assert [p.pointer for p in report if p.code != "ref.unresolved"] == [
        "/actors/0/id",
        "/actors/0/names/Azeri",
        "/events/0/type",
    ]
    assert [p.pointer for p in report] == sorted(
        (p.pointer for p in report),
        key=lambda text: [int(x) if x.isdigit() else x for x in text.split("/")],
    )


def test_single_records_validate_by_kind(example_dict: Doc) -> None:
    event = example_dict["events"][0]
    assert cd.validate(event, kind="event").ok
    # A lone record's references cannot be resolved, so they are not checked.
    event["participants"][0]["actor"] = "nobody"
    assert cd.validate(event, kind="event").ok
    del event["status"]
    assert [p.pointer for p in cd.validate(event, kind="event")] == ["/status"]
    with pytest.raises(ValueError, match="unknown kind"):
        cd.validate(event, kind="place")


def test_records_validate_as_themselves(example: cd.Dataset) -> None:
    assert cd.validate(example.events[0]).ok
    assert cd.validate(example.actors[0]).ok
    with pytest.raises(ValueError, match="cannot be validated"):
        cd.validate(example.actors[0], kind="event")


def test_report_as_data_is_json(example_dict: Doc) -> None:
    example_dict["events"][0]["type"] = "FIGHT"
    data = cd.validate(example_dict).as_dict()
    assert json.loads(json.dumps(data)) == data
    assert data["ok"] is False
    assert data["errors"] == 1
    assert data["problems"][0]["code"] == "schema.enum"
    assert data["problems"][0]["severity"] == "error"
    assert data["problems"][0]["location"] is None
    assert data["problems"][0]["path"] == "/events/0/type"


def test_report_reads_as_text(example_dict: Doc) -> None:
    example_dict["events"][0]["type"] = "FIGHT"
    text = str(cd.validate(example_dict))
    assert text.splitlines()[0].startswith("/events/0/type: error: 'FIGHT' is not one of")
    assert text.endswith("1 error(s), 0 warning(s)")


def test_deep_extension_data_is_an_error_not_a_crash(example_dict: Doc) -> None:
    deep: dict[str, Any] = {}
    node = deep
    for _ in range(200):
        node["a"] = {}
        node = node["a"]
    example_dict["events"][0]["extensions"] = {"x": deep}
    codes = {p.code for p in cd.validate(example_dict).errors}
    assert codes == {"input.depth"}


def test_absurd_nesting_where_the_schema_compares_items_is_a_problem(example_dict: Doc) -> None:
    nested: Any = []
    for _ in range(5000):
        nested = [nested]
    example_dict["events"][0]["tags"] = [nested, nested]
    report = cd.validate(example_dict)
    assert not report.ok


@given(st.json_values)
def test_any_json_gives_a_report_never_a_traceback(value: Any) -> None:
    for kind in ("dataset", "event", "actor", "source"):
        assert isinstance(cd.validate(value, kind=kind), cd.Report)


# The fast validator decides and python-jsonschema explains: the two must
# agree on every document, or valid data would be refused (or the reverse).


def _agree(document: Any, kind: str) -> None:
    fast = _schemacheck.fast_is_valid(kind)(document)
    reference = _schemacheck._explainer(kind).is_valid(document)
    assert fast == reference, json.dumps(document, ensure_ascii=False)[:500]


@given(st.datasets())
def test_fast_and_reference_validators_agree_on_valid_data(dataset: cd.Dataset) -> None:
    _agree(cd.to_dict(dataset), "dataset")


# A lone surrogate cannot reach the fast validator at all (tested below).
_COMPARABLE = [row for row in INVALID + WARNINGS if row[2] != "text.surrogate"]


@pytest.mark.parametrize(
    ("what", "mutate", "code", "path"), _COMPARABLE, ids=[r[0] for r in _COMPARABLE]
)
def test_fast_and_reference_validators_agree_on_the_table(
    example_dict: Doc, what: str, mutate: Callable[[Doc], None], code: str, path: str
) -> None:
    mutate(example_dict)
    _agree(example_dict, "dataset")


def test_a_lone_surrogate_is_reported_not_raised(example_dict: Doc) -> None:
    # jsonschema-rs cannot encode the string; the check must fall back, not crash.
    example_dict["sources"][0]["title"] = "\udc00"
    report = cd.validate(example_dict)
    assert [(p.code, p.pointer) for p in report] == [("text.surrogate", "/sources/0/title")]


EDGE_STRINGS = [
    "",
    " ",
    "a",
    "\n",
    "A\n",
    "2020\n",
    "٢٠٢٠",
    "2020-02-29",
    "2021-02-29",
    "2020-7",
    "0000-01",
    "https://exa mple.org",
    "http://[::1]/",
    "https://例え.jp/パス",
    "urn:x",
    "//no-scheme",
    "a:b",
    "https://eurasianet.org/%zz",
    "mailto:",
    "x" * 129,
    "_x." + "y" * 125,
    "az-Latn-AZ",
    "EN",
    "en-",
    "aze",
    "e\u0301",
    "\u202e",
    "AZ\n",
    "Q227",
]


@given(
    hst.sampled_from(
        ["id", "partial_date", "country_code", "language_tag", "url", "scheme", "token", "text"]
    ),
    hst.sampled_from(EDGE_STRINGS) | hst.text(max_size=12),
)
def test_fast_and_reference_validators_agree_on_edge_strings(definition: str, value: str) -> None:
    schema = {"$ref": f"{schemas.uri('defs')}#/$defs/{definition}"}
    registry = jsonschema_rs.Registry([(schemas.uri(n), schemas.get(n)) for n in schemas.names()])
    fast = jsonschema_rs.validator_for(schema, registry=registry, validate_formats=True)
    reference = jsonschema.Draft202012Validator(
        schema,
        registry=schemas.registry,
        format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER,
    )
    assert fast.is_valid(value) == reference.is_valid(value), repr(value)


@given(st.datasets(max_events=3), hst.data())
def test_schema_invalid_records_are_refused_by_schema_and_converter(
    dataset: cd.Dataset, data: hst.DataObject
) -> None:
    document = cd.to_dict(dataset)
    _, mutate, _, path = data.draw(hst.sampled_from(_STRUCTURAL))
    broken = copy.deepcopy(document)
    if not broken["events"]:
        return
    mutate(broken)
    report = cd.validate(broken)
    assert not report.ok
    assert path in {p.pointer for p in report.errors}
    with pytest.raises(cd.DataValidationError) as info:
        cd.from_dict(cd.Dataset, broken)
    assert any(p.pointer.startswith(path) for p in info.value.report)


# Single-field breakages that apply to any generated dataset with an event.
_STRUCTURAL = [
    ("no title", _delete("/events/0/title"), "", "/events/0/title"),
    ("bad type", _set("/events/0/type", "FIGHT"), "", "/events/0/type"),
    ("bad id", _set("/events/0/id", "0"), "", "/events/0/id"),
    ("extra", _set("/events/0/extra", 1), "", "/events/0/extra"),
    ("bad date", _set("/events/0/when/start", "2020-02-30"), "", "/events/0/when/start"),
    (
        "bad role",
        _set("/events/0/citations/0/stance", "claims"),
        "",
        "/events/0/citations/0/stance",
    ),
    ("no citations", _set("/events/0/citations", []), "", "/events/0/citations"),
    ("bad title type", _set("/metadata/title", 7), "", "/metadata/title"),
    (
        "bad fatalities",
        _set("/events/0/fatalities", {"best": 1.5}),
        "",
        "/events/0/fatalities/best",
    ),
]
