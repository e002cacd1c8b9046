"""JSON and JSON Lines read and write exactly what the standard library would."""

from __future__ import annotations

import io
import json
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
    ],
)
def test_a_repeated_member_is_found_on_every_path(text: bytes) -> None:
    with pytest.raises(InputError) as caught:
        cd_json.loads(text)
    assert caught.value.code == "input.duplicate-key"


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
