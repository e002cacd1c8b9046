"""Extension data is checked for depth without visiting every flat object's values.

The check skips objects and arrays of text and numbers alone above the
depth limit; it must report what a walk over every value reports.
"""

from __future__ import annotations

from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from conflictdata._report import Path, Problem, error
from conflictdata._semantic import _check_extensions
from conflictdata.formats.json import MAX_DEPTH

_SCALARS = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), st.text(max_size=3))
_SHALLOW = st.recursive(
    _SCALARS,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=2), inner, max_size=3)
    ),
    max_leaves=8,
)


def _every_value(extensions: dict[str, Any], path: Path) -> list[Problem]:
    """The depth problems found by visiting every value (the walk the check stands for)."""
    problems: list[Problem] = []
    for scheme, value in extensions.items():
        stack: list[tuple[Any, Path]] = [(value, (*path, scheme))]
        while stack:
            item, where = stack.pop()
            if len(where) + 2 >= MAX_DEPTH:
                problems.append(
                    error(where, "input.depth", f"nesting deeper than {MAX_DEPTH} levels")
                )
            elif isinstance(item, dict):
                stack.extend((v, (*where, k)) for k, v in item.items())
            elif isinstance(item, list):
                stack.extend((v, (*where, i)) for i, v in enumerate(item))
    return problems


@st.composite
def _nested(draw: st.DrawFn) -> Any:
    """A value nested close to the depth limit, with flat and mixed levels on the way."""
    # Flat values inside, often: they are what the check does not walk.
    flat = st.one_of(
        st.lists(_SCALARS, min_size=1, max_size=3),
        st.dictionaries(st.text(max_size=2), _SCALARS, min_size=1, max_size=3),
    )
    value = draw(st.one_of(flat, _SHALLOW))
    # Values around the limit: the wrappers and the value start two levels down.
    for _ in range(draw(st.integers(MAX_DEPTH - 8, MAX_DEPTH - 2))):
        beside = draw(st.lists(_SCALARS, max_size=2))
        if draw(st.booleans()):
            value = {**{f"k{i}": v for i, v in enumerate(beside)}, "in": value}
        else:
            value = [*beside, value]
    return value


@given(value=_nested(), flat=st.dictionaries(st.text(max_size=3), _SCALARS, max_size=4))
def test_the_depth_check_reports_what_a_walk_over_every_value_does(
    value: Any, flat: dict[str, Any]
) -> None:
    extensions = {"acled": value, "ucdp": flat}
    found: list[Problem] = []
    _check_extensions(extensions, ("extensions",), found)
    assert [p for p in found if p.code == "input.depth"] == _every_value(
        extensions, ("extensions",)
    )
