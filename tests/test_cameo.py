"""The CAMEO -> PLOVER crosswalk: its cases, and the documented tables are the code's."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import conflictdata as cd
from conflictdata.formats import _cameo, plover

PAGE = (Path(__file__).parents[1] / "docs" / "interop.md").read_text("utf-8")


def _section(heading: str) -> str:
    return PAGE.split(f"\n### {heading}\n", 1)[1].split("\n#", 1)[0]


def test_the_documented_cameo_table_is_the_crosswalk() -> None:
    rows = re.findall(
        r"^\| ([0-9]{2,4}) \| ([^|]+?) \| ([A-Z]+|—) \| [^|]+ \|$",
        _section("CAMEO crosswalk"),
        re.MULTILINE,
    )
    documented = {
        code: (name, None if kind == "—" else cd.EventType[kind]) for code, name, kind in rows
    }
    assert {c: v for c, v in documented.items() if len(c) == 2} == _cameo.ROOTS
    assert {c: v for c, v in documented.items() if len(c) > 2} == _cameo.EXCEPTIONS
    # Each exception is listed under its root, in code order.
    assert [code for code, *_ in rows] == sorted(code for code, *_ in rows)


def test_the_documented_draft_table_is_the_code() -> None:
    rows = re.findall(
        r"^\| ([A-Z]+) \| ([A-Z]+) \| [^|]+ \|$", _section("Draft types"), re.MULTILINE
    )
    assert {draft: cd.EventType[kind] for draft, kind in rows} == plover.DRAFT_TYPES


@pytest.mark.parametrize(
    ("root", "kind"),
    [
        # The roots the roadmap names.
        ("04", "CONSULT"),
        ("07", "AID"),
        ("12", "REJECT"),
        ("13", "THREATEN"),
        ("14", "PROTEST"),
        ("15", "MOBILIZE"),
        ("17", "COERCE"),
        ("18", "ASSAULT"),
        ("19", "ASSAULT"),
        ("20", "ASSAULT"),
    ],
)
def test_required_roots(root: str, kind: str) -> None:
    assert _cameo.plover_type(root) is cd.EventType[kind]
    assert _cameo.plover_type(root + "0") is cd.EventType[kind]


@pytest.mark.parametrize(
    ("code", "kind"),
    [
        ("042", "CONSULT"),
        ("141", "PROTEST"),
        ("190", "ASSAULT"),
        ("080", "CONCEDE"),
        ("0811", "CONCEDE"),
        ("0813", "RETREAT"),
        ("084", "RETREAT"),
        ("0841", "RETREAT"),
        ("0874", "RETREAT"),
        ("162", "SANCTION"),
        ("163", "COERCE"),
        ("1711", "COERCE"),
        ("1712", "ASSAULT"),
        ("175", "ASSAULT"),
        ("191", "COERCE"),
        ("193", "ASSAULT"),
        ("2042", "ASSAULT"),
        ("025", "REQUEST"),
    ],
)
def test_codes_map_by_their_longest_listed_prefix(code: str, kind: str) -> None:
    assert _cameo.plover_type(code) is cd.EventType[kind]


def test_public_statements_have_no_type() -> None:
    assert _cameo.plover_type("01") is None
    assert _cameo.plover_type("019") is None


@pytest.mark.parametrize("code", ["00", "21", "4", "04321", "4a", "", " 04"])
def test_what_is_not_a_cameo_code_is_refused(code: str) -> None:
    assert not _cameo.is_code(code)
    with pytest.raises(ValueError, match="not a CAMEO event code"):
        _cameo.plover_type(code)
