"""Row readers mark records built from plain cells so the pipeline skips their text scan.

The mark (an entry's ``ascii_text``) must never hide a problem: checking
every entry with the mark and with it taken away reports the same
problems and accepts the same records.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, BinaryIO

import pytest
from hypothesis import given
from hypothesis import strategies as st

from conflictdata._pipeline import Pipeline
from conflictdata._report import Problem
from conflictdata.formats._base import Entry
from conflictdata.formats._rows import plain_text
from conflictdata.formats.acled import _reader as acled
from conflictdata.formats.ucdp import _reader as ucdp

from .conftest import SHARED

DATA = Path(__file__).parent / "data"
REAL = SHARED / "data" / "real"
Reader = Callable[[BinaryIO], Iterator[Entry]]

# Text that the text check has something to say about, and text it has not.
_TEXT = st.lists(
    st.sampled_from(
        [
            *("a", "Z", "7", " ", ";", "-", "\t", "\n", "\r", "\x01", "\x1f", "\x7f"),
            *("\u00e9", "e\u0301", "\u202e", "\ufffe", "\u0663", "\U0001f600"),
        ]
    ),
    max_size=6,
).map("".join)


def _outcome(entries: Iterator[Entry], *, keep_mark: bool) -> tuple[list[Any], list[Problem]]:
    def marked() -> Iterator[Entry]:
        for entry in entries:
            if isinstance(entry, Problem) or keep_mark:
                yield entry
            else:
                yield (*entry[:3], False)

    pipeline = Pipeline(marked())
    try:
        records = [(kind.value, data) for kind, data in pipeline]
    finally:
        pipeline.close()
    return records, list(pipeline.log.report().problems)


def _agree(reader: Reader, data: bytes) -> None:
    fast = _outcome(reader(io.BytesIO(data)), keep_mark=True)
    slow = _outcome(reader(io.BytesIO(data)), keep_mark=False)
    assert fast == slow


def _with_cell(path: Path, row: int, column: int, text: str) -> bytes:
    rows = list(csv.reader(io.StringIO(path.read_text("utf-8"), newline="")))
    number = 1 + row % (len(rows) - 1)
    rows[number][column % len(rows[0])] = text
    out = io.StringIO(newline="")
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue().encode("utf-8")


@pytest.mark.parametrize(
    ("reader", "name"),
    [(acled.iter_items, "acled-sample.csv"), (ucdp.iter_items, "ucdp-sample.csv")],
    ids=["acled", "ucdp"],
)
@given(row=st.integers(0, 1000), column=st.integers(0, 100), text=_TEXT)
def test_any_cell_checks_the_same_with_the_mark_or_without(
    reader: Reader, name: str, row: int, column: int, text: str
) -> None:
    _agree(reader, _with_cell(DATA / name, row, column, text))


@pytest.mark.parametrize(
    ("reader", "name"),
    [(acled.iter_items, "acled-sample.csv"), (ucdp.iter_items, "ucdp-sample.csv")],
    ids=["acled", "ucdp"],
)
@given(column=st.integers(0, 100), text=_TEXT)
def test_any_header_name_checks_the_same_with_the_mark_or_without(
    reader: Reader, name: str, column: int, text: str
) -> None:
    lines = (DATA / name).read_text("utf-8").splitlines(keepends=True)
    header = next(csv.reader([lines[0]]))
    header[column % len(header)] += text
    out = io.StringIO(newline="")
    csv.writer(out, lineterminator="\n").writerow(header)
    _agree(reader, (out.getvalue() + "".join(lines[1:])).encode("utf-8"))


@pytest.mark.parametrize("name", ["acled-sample.csv", "ucdp-sample.csv"])
def test_plain_sample_rows_are_marked(name: str) -> None:
    reader = acled.iter_items if name.startswith("acled") else ucdp.iter_items
    with (DATA / name).open("rb") as stream:
        marks = [e[3] for e in reader(stream) if not isinstance(e, Problem)]
    assert all(marks)


def test_a_header_name_not_in_nfc_is_reported_in_the_layout_too() -> None:
    data = "event_id_cnty,event_date,event_type,actor1,cafe\u0301\nX1,2020-01-02,Battles,Army,\n"
    _, problems = _outcome(acled.iter_items(io.BytesIO(data.encode())), keep_mark=True)
    assert [(p.code, p.path[:2]) for p in problems] == [
        ("text.not-nfc", ("sources", 0)),
        ("text.not-nfc", ("events", 0)),
    ]


@pytest.mark.parametrize(
    ("reader", "name"),
    [
        (acled.iter_items, "acled/acled-afghanistan-2020-03.csv"),
        (acled.iter_items, "acled/acled-multi-2020-05-excel-first1000.csv"),
        (ucdp.iter_items, "ucdp/ucdp-ged191-hdx-bgd-hxl.csv"),
    ],
)
def test_real_exports_check_the_same_with_the_mark_or_without(reader: Reader, name: str) -> None:
    path = REAL / name
    if not path.is_file():
        pytest.skip(f"a real export is missing: {path}")
    _agree(reader, path.read_bytes())


@pytest.mark.parametrize(
    ("cells", "plain"),
    [
        (["a", "b c", ""], True),
        (["line\nbreak", "tab\there", "cr\r"], True),
        (["\x7f"], True),  # DEL is ASCII text the schema allows
        (["caf\u00e9"], False),
        (["bell\x07"], False),
        (["\x1f"], False),
        ([], True),
    ],
)
def test_plain_text_is_ascii_without_control_characters(cells: list[str], plain: bool) -> None:
    assert plain_text(cells) is plain
