"""The published schemas: well-formed, portable, offline, and in agreement with the model."""

from __future__ import annotations

import hashlib
import json
import re
import socket
from collections.abc import Iterator
from typing import Any

import attrs
import jsonschema
import pytest
import referencing.exceptions
from hypothesis import given

import conflictdata as cd
from conflictdata import model, schemas
from conflictdata._convert import RECORD_TYPES

from . import strategies as st
from .conftest import ROOT

RECORD_SCHEMAS = ["dataset", "event", "actor", "source", "tombstone"]


def _validator(name: str) -> jsonschema.Draft202012Validator:
    return jsonschema.Draft202012Validator(
        schemas.get(name),
        registry=schemas.registry,
        format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER,
    )


def _walk(node: Any, path: str = "") -> Iterator[tuple[str, dict[str, Any]]]:
    if isinstance(node, dict):
        yield path, node
        for key, value in node.items():
            yield from _walk(value, f"{path}/{key}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _walk(value, f"{path}/{index}")


@pytest.mark.parametrize("name", schemas.names())
def test_every_schema_is_a_valid_draft_2020_12_schema(name: str) -> None:
    schema = schemas.get(name)
    jsonschema.Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert (
        schema["$id"] == f"https://conflictdata.org/schemas/{cd.SCHEMA_VERSION}/{name}.schema.json"
    )
    assert schema["title"]
    assert schema["description"]


@pytest.mark.parametrize("name", schemas.names())
def test_every_property_has_a_description(name: str) -> None:
    missing = [
        f"{path}/properties/{prop}"
        for path, node in _walk(schemas.get(name))
        for prop, sub in node.get("properties", {}).items()
        if isinstance(node.get("properties"), dict) and "description" not in sub
    ]
    assert missing == []


@pytest.mark.parametrize("name", RECORD_SCHEMAS)
def test_schema_examples_are_valid(name: str) -> None:
    schema = schemas.get(name)
    assert schema["examples"]
    for example in schema["examples"]:
        _validator(name).validate(example)


def test_definition_examples_are_valid() -> None:
    definitions = schemas.get("defs")["$defs"]
    for name, definition in definitions.items():
        validator = jsonschema.Draft202012Validator(
            {"$ref": f"{schemas.uri('defs')}#/$defs/{name}"},
            registry=schemas.registry,
            format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER,
        )
        for example in definition.get("examples", []):
            validator.validate(example)


def _patterns() -> list[str]:
    return [
        node["pattern"]
        for name in schemas.names()
        for _, node in _walk(schemas.get(name))
        if isinstance(node.get("pattern"), str)
    ]


@pytest.mark.parametrize("pattern", sorted(set(_patterns())))
def test_patterns_are_portable(pattern: str) -> None:
    # ECMA-262 and other engines: no Unicode property classes, no shorthand
    # classes whose meaning differs between engines (\d matches Arabic digits
    # in Python), and an end anchor that no engine lets a newline slip past.
    assert not re.search(r"\\[pPdDwWsS]", pattern)
    assert pattern.startswith("^")
    assert pattern.endswith("$(?!\\n)")


@pytest.mark.parametrize(
    ("definition", "value"),
    [("id", "evt-1"), ("partial_date", "2020"), ("country_code", "AZ"), ("language_tag", "en")],
)
def test_a_trailing_newline_never_matches(definition: str, value: str) -> None:
    validator = jsonschema.Draft202012Validator(
        {"$ref": f"{schemas.uri('defs')}#/$defs/{definition}"}, registry=schemas.registry
    )
    assert validator.is_valid(value)
    assert not validator.is_valid(value + "\n")


def test_schemas_resolve_offline(
    monkeypatch: pytest.MonkeyPatch, example_dict: dict[str, Any]
) -> None:
    def no_network(*_: object, **__: object) -> None:
        raise AssertionError("the schemas tried to reach the network")

    monkeypatch.setattr(socket.socket, "connect", no_network)
    _validator("dataset").validate(example_dict)
    assert cd.validate(example_dict).ok


def test_unknown_references_are_not_fetched() -> None:
    validator = jsonschema.Draft202012Validator(
        {"$ref": "https://conflictdata.org/schemas/1.0/nowhere.schema.json"},
        registry=schemas.registry,
    )
    with pytest.raises(referencing.exceptions.Unresolvable):
        validator.validate({})


def test_get_returns_a_copy() -> None:
    schemas.get("event")["title"] = "changed"
    assert schemas.get("event")["title"] == "Event"
    with pytest.raises(KeyError, match="no schema called"):
        schemas.get("nope")


def test_installed_schema_files_are_the_canonical_ones() -> None:
    for version in schemas.versions():
        for name, entry in schemas.files(version).items():
            canonical = ROOT / "schemas" / version / f"{name}.schema.json"
            assert entry.read_bytes() == canonical.read_bytes()


@given(st.datasets())
def test_model_output_is_schema_valid(dataset: cd.Dataset) -> None:
    _validator("dataset").validate(cd.to_dict(dataset))


@given(st.records)
def test_every_record_validates_against_its_own_schema(record: Any) -> None:
    kind = {v: k for k, v in RECORD_TYPES.items()}[type(record)]
    _validator(kind).validate(cd.to_dict(record))


def _node(schema: str, pointer: str) -> Any:
    node: Any = schemas.get(schema)
    for part in filter(None, pointer.split("/")):
        node = node[part]
    return node


@pytest.mark.parametrize(
    ("cls", "schema", "pointer"),
    [
        (cd.Dataset, "dataset", ""),
        (cd.Metadata, "dataset", "/$defs/metadata"),
        (cd.Source, "source", ""),
        (cd.Actor, "actor", ""),
        (cd.Affiliation, "actor", "/$defs/affiliation"),
        (cd.Event, "event", ""),
        (cd.Participant, "event", "/$defs/participant"),
        (cd.Citation, "event", "/$defs/citation"),
        (cd.EventRelation, "event", "/$defs/relation"),
        (cd.When, "defs", "/$defs/when"),
        (cd.Place, "defs", "/$defs/place"),
        (cd.Fatalities, "defs", "/$defs/fatalities"),
        (cd.Classification, "defs", "/$defs/classification"),
        (cd.Archive, "source", "/$defs/archive"),
        (cd.Tombstone, "tombstone", ""),
    ],
)
def test_model_fields_and_schema_properties_agree(cls: type, schema: str, pointer: str) -> None:
    node = _node(schema, pointer)
    fields = attrs.fields(cls)
    assert {f.name for f in fields} == set(node["properties"])
    required_in_model = {f.name for f in fields if f.default is attrs.NOTHING}
    if cls is cd.Dataset:
        # Defaults in Python for convenience, but always written in documents
        # (the tombstones of 1.1 only when there are any).
        required_in_model = {f.name for f in fields} - {"deleted"}
    assert required_in_model == set(node.get("required", ()))


@pytest.mark.parametrize(
    ("enum", "schema", "pointer"),
    [
        (cd.EventType, "event", "/properties/type"),
        (cd.Status, "event", "/properties/status"),
        (cd.Role, "event", "/$defs/participant/properties/role"),
        (cd.RelationType, "event", "/$defs/relation/properties/relation"),
        (cd.Stance, "event", "/$defs/citation/properties/stance"),
        (cd.SourceKind, "source", "/properties/kind"),
        (cd.ActorKind, "actor", "/properties/kind"),
        (cd.PlacePrecision, "defs", "/$defs/place/properties/precision"),
    ],
)
def test_vocabularies_match_the_schema_enums(enum: type, schema: str, pointer: str) -> None:
    node = _node(schema, pointer)
    assert [m.value for m in enum] == node["enum"]  # type: ignore[attr-defined]


def test_model_patterns_match_the_schema() -> None:
    definitions = schemas.get("defs")["$defs"]
    for definition, python in [
        ("id", model.ID_PATTERN),
        ("country_code", model.COUNTRY_PATTERN),
        ("language_tag", model.LANGUAGE_PATTERN),
        ("scheme", model.SCHEME_PATTERN),
        ("token", model.TOKEN_PATTERN),
        ("text", model.TEXT_PATTERN),
    ]:
        schema_pattern = definitions[definition]["pattern"]
        assert schema_pattern == "^" + python.replace("(?:", "(") + "$(?!\\n)"


def test_schema_files_are_formatted_json() -> None:
    for path in (ROOT / "schemas").glob("*/*.schema.json"):
        json.loads(path.read_text("utf-8"))


def test_published_schema_files_never_change_without_a_new_version() -> None:
    # Like OpenLineage's check: a schema file that changes must come with a
    # new version (or belong to the version being prepared), its checksum
    # and a changelog entry.
    sums = {}
    for line in (ROOT / "schemas" / "SHA256SUMS").read_text("utf-8").splitlines():
        digest, name = line.split()
        sums[name] = digest
    found = {
        f"{path.parent.name}/{path.name}": hashlib.sha256(path.read_bytes()).hexdigest()
        for path in (ROOT / "schemas").glob("*/*.schema.json")
    }
    assert found == sums, "a schema file changed: record it in schemas/SHA256SUMS (sha256sum)"
    changelog = (ROOT / "CHANGELOG.md").read_text("utf-8")
    for version in schemas.versions():
        assert f"Schema {version}" in changelog or f"Schemas {version}" in changelog, version
