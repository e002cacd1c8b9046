"""One pipeline: validate never raises, and streams and whole documents report the same."""

from __future__ import annotations

import copy
import json
import unicodedata
from pathlib import Path
from typing import Any

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

import conflictdata as cd
from conflictdata import cli, formats
from conflictdata._io import open_entries
from conflictdata.formats._base import KindFilter, header_of, read_items, write_document

from . import strategies as cst
from .conftest import ROOT
from .test_cli import run

DATA = ROOT / "tests" / "data"

# Any JSON value at all, with text that is not NFC, keys that look like
# indexes, and numbers of every kind.
_any_text = st.text(max_size=6) | st.sampled_from(["e\u0301", "1", "0", "a", "\u202e"])
any_json = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | _any_text,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(_any_text, inner, max_size=4),
    max_leaves=12,
)


@given(any_json)
def test_validate_never_raises_on_any_json_value(value: Any) -> None:
    for kind in ("dataset", "event", "actor", "source"):
        report = cd.validate(value, kind=kind)
        assert isinstance(report, cd.Report)
        assert all(isinstance(p.path, tuple) for p in report)


_MEMBERS = [
    ("events", 0, "extensions"),
    ("events", 0, "when"),
    ("events", 0, "participants", 0),
    ("events", 1),
    ("actors", 0, "names"),
    ("sources", 0),
    ("metadata",),
    (),
]


@given(st.sampled_from(_MEMBERS), _any_text, any_json)
def test_validate_never_raises_on_a_document_with_anything_anywhere(
    where: tuple[str | int, ...], key: str, value: Any
) -> None:
    document = json.loads(cd.examples.path("karabakh-2020").read_text("utf-8"))
    target = document
    for step in where:
        target = target.setdefault(step, {}) if isinstance(step, str) else target[step]
    target[key] = value
    report = cd.validate(document)
    assert report.ok or report.errors


def test_extension_keys_that_look_like_indexes_beside_names_are_sorted(
    example_dict: dict[str, Any],
) -> None:
    # Sorting "1" against "a" in the paths of non-NFC text once raised TypeError.
    example_dict["events"][0]["extensions"] = {"x": {"1": "e\u0301", "a": "e\u0301"}}
    report = cd.validate(example_dict)
    assert [(p.code, p.pointer) for p in report if p.code == "text.not-nfc"] == [
        ("text.not-nfc", "/events/0/extensions/x/1"),
        ("text.not-nfc", "/events/0/extensions/x/a"),
    ]


def test_the_command_line_reports_a_bad_date_and_an_unknown_actor_in_one_run(
    tmp_path: Path, example_dict: dict[str, Any]
) -> None:
    example_dict["events"][0]["when"]["start"] = "2020-09-31"
    example_dict["events"][1]["participants"][0]["actor"] = "nobody"
    path = tmp_path / "broken.json"
    path.write_text(json.dumps(example_dict), "utf-8")
    result = run("validate", str(path))
    assert result.code == cli.EXIT_INVALID
    assert "/events/0/when/start: error: '2020-09-31' is not a valid date" in result.out
    assert "/events/1/participants/0/actor: error: no actor has the id 'nobody'" in result.out


# Damage a valid document in the ways only the whole document shows.
def _dangle(doc: dict[str, Any]) -> None:
    if doc["events"]:
        doc["events"][-1]["citations"][0]["source"] = "no-such-source"


def _duplicate(doc: dict[str, Any]) -> None:
    if doc["events"] and doc["actors"]:
        doc["events"][0]["id"] = doc["actors"][0]["id"]


def _wrong_kind(doc: dict[str, Any]) -> None:
    if doc["events"] and doc["actors"]:
        doc["events"][0]["citations"][0]["source"] = doc["actors"][-1]["id"]


def _decompose(doc: dict[str, Any]) -> None:
    doc["metadata"]["title"] = unicodedata.normalize("NFD", "Café ") + doc["metadata"]["title"]


def _forward(doc: dict[str, Any]) -> None:
    # A relation to a later event: resolved only at the end of a stream.
    if len(doc["events"]) > 1:
        doc["events"][0]["related"] = [{"event": doc["events"][-1]["id"], "relation": "follows"}]


_DAMAGE = [_dangle, _duplicate, _wrong_kind, _decompose, _forward]


def _plain_of(path: Path, name: str) -> Any:
    """The file's plain document, read without any check."""
    with open_entries(formats.get(name), path) as entries:
        return read_items(e for e in entries if not isinstance(e, cd.Problem)).data


def _seen(report: cd.Report) -> list[tuple[str, str, str]]:
    return sorted((p.code, p.pointer, p.message) for p in report)


# The lossless formats hold any generated dataset; the row formats and
# PLOVER are proven on their fixtures below.
@pytest.mark.parametrize("name", ["json", "jsonl", "csv", "tei"])
@given(
    dataset=cst.datasets(),
    damage=st.lists(st.sampled_from(_DAMAGE), max_size=3, unique=True),
)
def test_streaming_and_whole_document_validation_agree(
    tmp_path_factory: pytest.TempPathFactory,
    name: str,
    dataset: cd.Dataset,
    damage: list[Any],
) -> None:
    document = copy.deepcopy(cd.to_dict(dataset))
    for step in damage:
        step(document)
    fmt = formats.get(name)
    path = tmp_path_factory.mktemp(name) / f"data{(fmt.suffixes or ('.csv',))[0]}"
    assert fmt.writer is not None
    if fmt.directory:
        writer = KindFilter(fmt.writer(path, header_of(document)), fmt.kinds, name)
        write_document(writer, document)
    else:
        with path.open("wb") as stream:
            writer = KindFilter(fmt.writer(stream, header_of(document)), fmt.kinds, name)
            write_document(writer, document)
    streamed = cd.validate_file(path, format=name)
    # Where the format itself cannot hold the damage (a CSV row whose key is
    # taken twice), its reader refuses the file: there is no document to compare.
    assume(not any(p.code.startswith("input.") for p in streamed))
    whole = cd.validate(_plain_of(path, name))
    assert _seen(streamed) == _seen(whole)
    if set(damage) <= {_decompose, _forward}:
        assert streamed.ok, streamed


@pytest.mark.parametrize(
    "fixture",
    [
        "plover-gold.json",
        "plover-manual.jsonl",
        "plover-minimal.json",
        "plover-icews.jsonl",
        "acled-legacy.csv",
        "ucdp-ged191.csv",
    ],
)
def test_streaming_and_whole_document_agree_on_every_reader_fixture(fixture: str) -> None:
    path = DATA / fixture
    name = formats.for_input(path).name
    streamed = cd.validate_file(path)
    whole = cd.validate(_plain_of(path, name))
    # The reader's own problems (skipped records) are in the stream only.
    reader_codes = {"import.skipped", "import.duplicate-id", "import.unquoted-date",
                    "import.trailing-comma", "id.duplicate", "input.cell"}  # fmt: skip
    assert [p for p in _seen(streamed) if p[0] not in reader_codes] == _seen(whole)
