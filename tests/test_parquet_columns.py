"""Arrays built from buffers equal the arrays pyarrow builds from the values."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as hs

import conflictdata as cd

pa = pytest.importorskip("pyarrow")

from conflictdata.formats.parquet import _writer  # noqa: E402 - after the skip
from conflictdata.formats.parquet._columns import Integers, Maps, Strings  # noqa: E402
from conflictdata.formats.parquet._schema import arrow_schema  # noqa: E402
from conflictdata.model import RecordKind  # noqa: E402

texts = hs.text(hs.characters(codec="utf-8"), max_size=8)


@given(values=hs.lists(hs.none() | texts, max_size=40))
def test_strings_are_the_array_of_their_values(values: list[str | None]) -> None:
    column = Strings()
    for value in values:
        column.add(value)
    array = column.array()
    assert array is not None
    array.validate(full=True)
    assert array.equals(pa.array(values, pa.string()))
    assert [column.get(i) for i in range(len(values))] == values


@given(values=hs.lists(hs.none() | hs.dictionaries(texts, texts, max_size=4), max_size=40))
def test_maps_are_the_array_of_their_values(values: list[dict[str, str] | None]) -> None:
    kind = pa.map_(pa.string(), pa.string())
    column = Maps()
    for value in values:
        column.add(value)
    array = column.array(kind)
    assert array is not None
    array.validate(full=True)
    expected = pa.array([None if v is None else list(v.items()) for v in values], kind)
    assert array.equals(expected)


def test_a_map_value_that_is_not_text_makes_no_array() -> None:
    column = Maps()
    column.add({"acled": "AZE1"})
    column.add({"ucdp": 5})
    assert column.array(pa.map_(pa.string(), pa.string())) is None


@given(values=hs.lists(hs.integers(-(2**63), 2**63 - 1), max_size=40))
def test_integers_are_the_array_of_their_values(values: list[int]) -> None:
    column = Integers()
    column.values.extend(values)
    assert column.array().equals(pa.array(values, pa.int64()))


def _events(count: int) -> cd.Dataset:
    source = cd.Source(id="src-1", kind="news_article", title="Report")
    actor = cd.Actor(id="act-1", kind="armed_group", name="Group")
    events = [
        cd.Event(
            id=f"evt-{i}",
            type="ASSAULT",
            title="Shelling",
            when=cd.When(start=f"{2000 + i % 7}-01-02"),
            participants=[cd.Participant(actor="act-1", role="initiator")],
            status="reported",
            citations=[cd.Citation(source="src-1")],
            identifiers={"acled": f"AZE{i}"},
        )
        for i in range(count)
    ]
    return cd.Dataset(
        metadata=cd.Metadata(title="T"), sources=[source], actors=[actor], events=events
    )


def test_a_failed_write_is_an_error_and_leaves_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def full(self: Any, table: Any, row_group_size: Any = None) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(pa.parquet.ParquetWriter, "write_table", full)
    before = threading.active_count()
    with pytest.raises(OSError, match="No space left"):
        cd.dump(_events(50), tmp_path / "x.parquet", options={"row_group_size": 4})
    assert list(tmp_path.iterdir()) == []
    assert threading.active_count() == before


def test_the_threads_end_with_the_writer(tmp_path: Path) -> None:
    before = threading.active_count()
    cd.dump(_events(50), tmp_path / "x.parquet", options={"row_group_size": 4})
    assert threading.active_count() == before
    assert cd.load(tmp_path / "x.parquet") == _events(50)


def test_rows_being_parsed_stay_bounded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    most = 0
    finish = _writer.DatasetWriter._finish

    def counted(self: Any) -> None:
        nonlocal most
        most = max(most, self._parsing_rows)
        finish(self)

    monkeypatch.setattr(_writer.DatasetWriter, "_finish", counted)
    cd.dump(_events(200), tmp_path / "x.parquet", options={"row_group_size": 4})
    # The newest part (at most a row group) beside IN_FLIGHT row groups' worth.
    assert 0 < most <= (_writer.IN_FLIGHT + 1) * 4


def test_only_repeating_values_are_dictionary_encoded(tmp_path: Path) -> None:
    cd.dump(_events(30), tmp_path / "x.parquet")
    path = next((tmp_path / "x.parquet/events").rglob("*.parquet"))
    group = pa.parquet.ParquetFile(path).metadata.row_group(0)
    encodings = {
        group.column(i).path_in_schema: group.column(i).encodings for i in range(group.num_columns)
    }
    for column in ("id", "title", "position", "identifiers.key_value.value"):
        assert "RLE_DICTIONARY" not in encodings[column], column
    for column in ("type", "status", "participants.list.element.actor"):
        assert "RLE_DICTIONARY" in encodings[column], column


def test_every_plain_column_is_a_column() -> None:
    leaves = {
        leaf
        for kind in RecordKind
        for field in arrow_schema(kind)
        for leaf in _writer._leaves(field.name, field.type)
    }
    assert not _writer.PLAIN_COLUMNS - leaves


def test_a_row_group_holds_at_most_its_bytes_of_text(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(_writer, "MAX_TEXT_BYTES", 600)
    dataset = _events(70)
    cd.dump(dataset, tmp_path / "x.parquet")
    sizes = [
        pa.parquet.ParquetFile(path).metadata.num_row_groups
        for path in (tmp_path / "x.parquet/events").rglob("*.parquet")
    ]
    # Ten events a year, each about 200 bytes of text: more than one row group each.
    assert min(sizes) > 1
    assert cd.load(tmp_path / "x.parquet") == dataset


def test_the_word_null_in_a_text_leaves_the_row_text(tmp_path: Path) -> None:
    record = cd.to_dict(_events(1))["events"][0]
    record["title"] = "Results declared null and void"
    record["notes"] = "annulled, Nullah"
    part = _writer._Part(tmp_path / "p.parquet", RecordKind.EVENT, {})
    part.add(record, 0)
    assert part.rows.all_text


def test_text_too_long_for_one_block_is_built_from_dicts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def too_long(**options: Any) -> Any:
        raise OverflowError("value too large to convert to int32_t")

    monkeypatch.setattr(pa.json, "ReadOptions", too_long)
    dataset = _events(20)
    cd.dump(dataset, tmp_path / "x.parquet")
    assert cd.load(tmp_path / "x.parquet") == dataset


@pytest.mark.parametrize("text", ["[null", "x,null", '"a":null'])
def test_a_null_a_value_could_follow_makes_the_row_a_dict(text: str, tmp_path: Path) -> None:
    # Inside a string, "null" after these bytes is taken for a value: the
    # row is safe as a dict, only slower.
    record = cd.to_dict(_events(1))["events"][0]
    record["notes"] = text
    part = _writer._Part(tmp_path / "p.parquet", RecordKind.EVENT, {})
    part.add(record, 0)
    assert not part.rows.all_text
