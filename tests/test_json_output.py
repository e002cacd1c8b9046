"""JSON and JSON Lines read and write exactly what the standard library would."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import conflictdata as cd
from conflictdata._errors import InputError
from conflictdata.formats import json as cd_json
from conflictdata.formats import jsonl

from .strategies import datasets

_SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(),
)
_PLAIN = st.recursive(
    _SCALARS,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=6), inner, max_size=4)
    ),
    max_leaves=20,
)


def _surrogate_free(value: Any) -> bool:
    text = json.dumps(value)
    try:
        json.loads(text)
        json.dumps(value, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


@settings(max_examples=400)
@given(_PLAIN.filter(_surrogate_free))
def test_output_bytes_are_the_standard_librarys(value: Any) -> None:
    compact = json.dumps(value, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
    assert cd_json.dumps_line(value) == compact.encode("utf-8")
    indented = json.dumps(value, ensure_ascii=False, indent=2, allow_nan=False) + "\n"
    assert cd_json.dumps(value) == indented


@settings(max_examples=400)
@given(_PLAIN.filter(_surrogate_free))
def test_reading_agrees_with_the_standard_library(value: Any) -> None:
    for text in (json.dumps(value), json.dumps(value, ensure_ascii=False, indent=1)):
        assert cd_json.loads(text.encode("utf-8")) == cd_json.loads(text)


@settings(max_examples=10, deadline=None)
@given(datasets())
def test_generated_datasets_write_the_same_bytes(dataset: cd.Dataset) -> None:
    data = cd.to_dict(dataset)
    out = io.BytesIO()
    jsonl.write(data, out)
    # Not splitlines(): U+2028 and friends stay inside their strings.
    for line in out.getvalue().decode("utf-8").split("\n")[:-1]:
        again = json.dumps(
            json.loads(line), ensure_ascii=False, allow_nan=False, separators=(",", ":")
        )
        assert line == again
    whole = io.BytesIO()
    cd_json.write(data, whole)
    text = whole.getvalue().decode("utf-8")
    assert text == json.dumps(json.loads(text), ensure_ascii=False, indent=2) + "\n"


@pytest.mark.parametrize(
    "text",
    [
        b'{"a":1,"b":{"c":2,"c":3}}',
        b'{"k":"said \\":\\" twice","k":1}',
        b'{"a" :1,"a":2}',
        b'{"\\u0061":1,"a":2}',
        b'{"a":{"x":"1:2"},"b" : 3,"a":4}',
        b'{"a" : 1, "a" : {"b:c" : "d:e"}}',
        b'[{"t":"a:b"},{"t":1,"t":2}]',
    ],
)
def test_a_repeated_member_is_found_on_every_path(text: bytes) -> None:
    with pytest.raises(InputError) as caught:
        cd_json.loads(text)
    assert caught.value.code == "input.duplicate-key"


@settings(max_examples=300)
@given(
    st.lists(
        st.one_of(
            st.floats(allow_nan=False, allow_infinity=False),
            st.from_regex(r"[0-9a-f]{1,4}[eE][0-9]{1,3}|null|0\.0000[0-9]", fullmatch=True),
        ),
        max_size=5,
    )
)
def test_numbers_and_number_like_text_write_the_same_bytes(values: list[Any]) -> None:
    # Text such as hexadecimal ids (``3e4a``) looks like a number to the
    # quick search; only values decide which writer runs, and both agree.
    for value in (values, {"v": values}, *values):
        compact = json.dumps(value, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
        assert cd_json.dumps_line(value) == compact.encode("utf-8")


def test_big_integers_and_nan_read_as_before() -> None:
    # orjson reads integers past 64 bits as floats; they stay integers.
    assert cd_json.loads(b'{"n":123456789012345678901234567890}') == {
        "n": 123456789012345678901234567890
    }
    assert cd_json.dumps_line({"n": 2**70}) == b'{"n":1180591620717411303424}'
    with pytest.raises(InputError) as caught:
        cd_json.loads(b'{"n":NaN}')
    assert caught.value.code == "input.constant"
    with pytest.raises(ValueError, match="not JSON compliant"):
        cd_json.dumps_line({"n": float("nan")})


def _jsonl_lines(dataset: cd.Dataset) -> list[bytes]:
    return cd.dumps(dataset, format="jsonl").encode("utf-8").splitlines(keepends=True)


def _problems(lines: list[bytes]) -> list[tuple[str, str | None]]:
    return [
        (entry.code, entry.location)
        for entry in jsonl.iter_entries(io.BytesIO(b"".join(lines)))
        if isinstance(entry, cd.Problem)
    ]


def test_the_end_record_counts_each_kind_and_follows_its_schema() -> None:
    import jsonschema  # noqa: PLC0415 - only this test needs it

    lines = _jsonl_lines(cd.examples.load("karabakh-2020"))
    end = json.loads(lines[-1])
    assert end == {"record": "end", "counts": {"source": 9, "actor": 22, "event": 19}}
    defs = json.loads(cd.schemas.files("1.1")["defs"].read_text("utf-8"))
    jsonschema.Draft202012Validator({**defs, "$ref": "#/$defs/jsonl_end"}).validate(end)
    assert _problems(lines) == []


def test_a_file_cut_short_is_found() -> None:
    lines = _jsonl_lines(cd.examples.load("karabakh-2020"))
    # A whole line lost before the end: the counts disagree, at the end line.
    assert _problems([*lines[:-2], lines[-1]]) == [("input.end", f"line {len(lines) - 1}")]
    # Lost with the end record: a warning only, as for files of 0.1.
    assert _problems(lines[:-1]) == [("input.incomplete", f"line {len(lines) - 1}")]
    with pytest.raises(InputError) as caught:
        list(jsonl.iter_entries(io.BytesIO(b"".join([*lines, lines[1]]))))
    assert (caught.value.code, caught.value.location) == ("input.end", f"line {len(lines) + 1}")
    bad = b'{"record":"end","counts":{"event":-1}}\n'
    assert _problems([*lines[:-1], bad]) == [("input.end", f"line {len(lines)}")]


def test_files_of_version_0_1_read_with_a_warning() -> None:
    result = cd.read(Path(__file__).parent / "data" / "v0.1" / "example.jsonl")
    assert [p.code for p in result.report.warnings if p.code.startswith("input.")] == [
        "input.incomplete"
    ]
