"""DataFrames and Arrow tables: one row per record, typed columns, and lossless back."""

from __future__ import annotations

import datetime as dt
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import attrs
import pandas as pd
import polars as pl
import pyarrow as pa
import pytest
from hypothesis import given, settings

import conflictdata as cd
from conflictdata import frames
from conflictdata.formats._tables import TABLES

from . import strategies
from .conftest import ROOT

ToFrames = Callable[..., Any]
FromFrames = Callable[..., cd.Dataset]

BACKENDS: dict[str, tuple[ToFrames, FromFrames]] = {
    "pandas": (cd.to_pandas, cd.from_pandas),
    "polars": (cd.to_polars, cd.from_polars),
    "arrow": (cd.to_arrow, cd.from_arrow),
}


@pytest.fixture(params=sorted(BACKENDS))
def backend(request: pytest.FixtureRequest) -> tuple[ToFrames, FromFrames]:
    return BACKENDS[request.param]


def _rows(frame: Any) -> int:
    return frame.num_rows if isinstance(frame, pa.Table) else len(frame)


def _expected_rows(ds: cd.Dataset) -> dict[str, int]:
    events = ds.events
    records: list[cd.Source | cd.Actor | cd.Event | cd.Tombstone] = [
        *ds.sources,
        *ds.actors,
        *events,
        *ds.deleted,
    ]
    return {
        "metadata": 1,
        "sources": len(ds.sources),
        "source_authors": sum(len(s.authors) for s in ds.sources),
        "archives": sum(len(s.archives) for s in ds.sources),
        "actors": len(ds.actors),
        "actor_names": sum(len(a.names) for a in ds.actors),
        "actor_aliases": sum(len(a.aliases) for a in ds.actors),
        "affiliations": sum(len(a.affiliations) for a in ds.actors),
        "events": len(events),
        "event_contexts": sum(len(e.contexts) for e in events),
        "participants": sum(len(e.participants) for e in events),
        "citations": sum(len(e.citations) for e in events),
        "relations": sum(len(e.related) for e in events),
        "classifications": sum(len(e.classifications) for e in events),
        "event_tags": sum(len(e.tags) for e in events),
        "deleted": len(ds.deleted),
        "identifiers": sum(len(r.identifiers) for r in records),
        "extensions": sum(len(r.extensions) for r in records if not isinstance(r, cd.Tombstone)),
    }


def test_every_table_has_one_row_per_record_or_item(
    backend: tuple[ToFrames, FromFrames], example: cd.Dataset
) -> None:
    to, _ = backend
    tables = to(example, "all")
    assert list(tables) == list(frames.TABLES)
    assert {name: _rows(t) for name, t in tables.items()} == _expected_rows(example)
    assert _rows(to(example)) == len(example.events) == 19
    assert _rows(to(example, "participants")) == 39


def test_the_lossless_columns_are_those_of_the_csv_package(example: cd.Dataset) -> None:
    tables = cd.to_pandas(example, "all")
    for table in TABLES:
        assert list(tables[table.name].columns[: len(table.columns)]) == table.header


def test_pandas_columns_have_nullable_dtypes(example: cd.Dataset) -> None:
    events = cd.to_pandas(example)
    assert {str(events[c].dtype) for c in ("fatalities_best", "fatalities_low")} == {"Int64"}
    assert str(events["place_lat"].dtype) == "Float64"
    assert str(events["id"].dtype) == "string"
    assert str(events["when_uncertain"].dtype) == "boolean"
    assert str(events["start"].dtype) == "datetime64[ms]"
    clash = events.set_index("id").loc["evt-2020-07-border-clash"]
    assert clash["fatalities_low"] == 1
    assert clash["fatalities_best"] is pd.NA
    assert clash["start"] == pd.Timestamp("2020-07-01")
    assert clash["end"] == pd.Timestamp("2020-07-31")
    assert clash["date_precision"] == "month"
    assert events["fatalities_low"].sum() >= 1


def test_polars_and_arrow_columns_are_typed(example: cd.Dataset) -> None:
    events = cd.to_polars(example)
    assert events.schema["fatalities_best"] == pl.Int64
    assert events.schema["start"] == pl.Date
    assert events.schema["place_lat"] == pl.Float64
    table = cd.to_arrow(example)
    assert table.schema.field("fatalities_high").type == pa.int64()
    assert table.schema.field("end").type == pa.date32()
    assert table.schema.field("id").nullable is False
    assert table.column("fatalities_best").null_count > 0


def _with_views(example: cd.Dataset) -> cd.Dataset:
    first, second, *rest = example.events
    actors = [a.id for a in example.actors]
    first = attrs.evolve(
        first,
        when=cd.When(start=cd.PartialDate(2020), end=cd.PartialDate(2021, 2)),
        participants=[
            cd.Participant(actor=actors[0], role="initiator", side="a"),
            cd.Participant(actor=actors[1], role="initiator", side="a"),
            cd.Participant(actor=actors[2], role="target", side="b"),
        ],
        classifications=[
            cd.Classification(scheme="acled.event_type", code="Battles"),
            cd.Classification(scheme="ucdp.type_of_violence", code="1"),
            cd.Classification(scheme="cameo", code="190"),
            cd.Classification(scheme="cameo", code="193"),
        ],
    )
    second = attrs.evolve(second, when=cd.When(start=cd.PartialDate(2020, 7, 12)))
    return attrs.evolve(example, events=[first, second, *rest])


def test_event_views_give_days_sides_and_codes(example: cd.Dataset) -> None:
    ds = _with_views(example)
    events = cd.to_polars(ds)
    first, second = events.row(0, named=True), events.row(1, named=True)
    assert (first["start"], first["end"], first["date_precision"]) == (
        dt.date(2020, 1, 1),
        dt.date(2021, 2, 28),
        "year",
    )
    assert (second["start"], second["end"], second["date_precision"]) == (
        dt.date(2020, 7, 12),
        dt.date(2020, 7, 12),
        "day",
    )
    actors = [a.id for a in ds.actors]
    assert first["side_a"] == f"{actors[0]};{actors[1]}"
    assert first["side_b"] == actors[2]
    assert second["side_a"] is None
    assert first["acled_event_type"] == "Battles"
    assert first["ucdp_type_of_violence"] == "1"
    assert first["cameo_code"] == "190"  # the first; all are in the classifications table
    assert first["acled_sub_event_type"] is None
    assert cd.from_polars(cd.to_polars(ds, "all")) == ds


def test_round_trip_of_the_example(
    backend: tuple[ToFrames, FromFrames], example: cd.Dataset
) -> None:
    to, back = backend
    assert back(to(example, "all")) == example


# Making datasets costs more than the round trips: one example serves all three.
@pytest.mark.slow
@settings(max_examples=30)
@given(strategies.datasets())
def test_round_trip_of_generated_datasets(ds: cd.Dataset) -> None:
    assert cd.from_pandas(cd.to_pandas(ds, "all")) == ds
    assert cd.from_arrow(cd.to_arrow(ds, "all")) == ds
    assert cd.from_polars(cd.to_polars(ds, "all")) == ds


@pytest.mark.parametrize("suffix", [".jsonl", ".json", ".zip"])
def test_a_path_or_a_stream_gives_the_same_tables(
    tmp_path: Path, example: cd.Dataset, suffix: str
) -> None:
    path = tmp_path / f"example{suffix}"
    cd.dump(example, path)
    expected = cd.to_pandas(example, "all")
    from_path = cd.to_pandas(path, "all")
    with cd.iter_records(path) as stream:
        from_stream = cd.to_pandas(stream, "all")
    for name, frame in expected.items():
        pd.testing.assert_frame_equal(from_path[name], frame)
        pd.testing.assert_frame_equal(from_stream[name], frame)


def test_chunks_make_the_same_table(monkeypatch: pytest.MonkeyPatch, example: cd.Dataset) -> None:
    whole: dict[str, dict[str, Any]] = {
        "pandas": cd.to_pandas(example, "all"),
        "polars": cd.to_polars(example, "all"),
        "arrow": cd.to_arrow(example, "all"),
    }
    monkeypatch.setattr(frames, "CHUNK_ROWS", 4)
    chunked_pandas = cd.to_pandas(example, "all")
    for name, frame in whole["pandas"].items():
        pd.testing.assert_frame_equal(chunked_pandas[name], frame)
    chunked_polars = cd.to_polars(example, "all")
    assert all(chunked_polars[n].equals(f) for n, f in whole["polars"].items())
    chunked_arrow = cd.to_arrow(example, "all")
    assert all(chunked_arrow[n].equals(f) for n, f in whole["arrow"].items())
    assert chunked_arrow["events"].column("id").num_chunks == 5


def test_an_invalid_file_raises_with_where(tmp_path: Path, example: cd.Dataset) -> None:
    path = tmp_path / "bad.jsonl"
    cd.dump(example, path)
    lines = path.read_text("utf-8").splitlines()
    # The last line is the end record; the one before it the last event.
    lines[-2] = lines[-2].replace('"status":"confirmed"', '"status":"rumoured"')
    path.write_text("\n".join(lines) + "\n", "utf-8")
    with pytest.raises(cd.DataValidationError) as caught:
        cd.to_pandas(path)
    assert [p.location for p in caught.value.report.errors] == ["line 51"]


def test_unknown_tables_and_inputs_are_refused(example: cd.Dataset) -> None:
    with pytest.raises(ValueError, match="no table is called 'event'; the tables are: metadata"):
        cd.to_pandas(example, "event")
    with pytest.raises(TypeError, match="expected a Dataset, a path or a record stream, not int"):
        cd.to_arrow(3)  # type: ignore[call-overload]


def test_arrow_record_batches_read_back(example: cd.Dataset) -> None:
    tables = cd.to_arrow(example, "all")
    # A table without rows has no batch: it is left out, which means empty.
    batches = {
        name: table.combine_chunks().to_batches()[0]
        for name, table in tables.items()
        if table.num_rows
    }
    assert all(isinstance(b, pa.RecordBatch) for b in batches.values())
    assert cd.from_arrow(batches) == example


def test_tables_of_another_library_are_refused(example: cd.Dataset) -> None:
    polars_tables = cd.to_polars(example, "all")
    with pytest.raises(TypeError, match="table 'metadata' is a DataFrame, not a pandas DataFrame"):
        cd.from_pandas(polars_tables)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="expected a dict of table names to polars DataFrames"):
        cd.from_polars(polars_tables["events"])  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="table 'events' is a DataFrame, not a pyarrow Table"):
        cd.from_arrow({"events": polars_tables["events"]})


def _problems(tables: dict[str, Any], **kwargs: Any) -> list[tuple[str | None, str]]:
    with pytest.raises(cd.DataValidationError) as caught:
        cd.from_pandas(tables, **kwargs)
    return [(p.location, p.code) for p in caught.value.report.errors]


@pytest.fixture
def tables(example: cd.Dataset) -> dict[str, pd.DataFrame]:
    return cd.to_pandas(example, "all")


def test_edited_values_are_validated_with_table_row_and_column(
    tables: dict[str, pd.DataFrame],
) -> None:
    tables["events"].loc[2, "fatalities_best"] = -3
    tables["events"].loc[3, "type"] = "BATTLE"
    tables["participants"].loc[0, "actor"] = "nobody"
    assert sorted(_problems(tables), key=str) == [
        ("events row 2 column fatalities_best", "schema.minimum"),
        ("events row 3 column type", "schema.enum"),
        ("participants row 0 column actor", "ref.unresolved"),
    ]
    tables["metadata"].loc[0, "title"] = pd.NA
    assert _problems(tables) == [("metadata row 0 column title", "schema.required")]


def test_a_cell_of_the_wrong_type_is_a_located_problem(
    tables: dict[str, pd.DataFrame],
) -> None:
    events = tables["events"]
    events["place_lat"] = events["place_lat"].astype(object)
    events.loc[1, "place_lat"] = "north"
    assert _problems(tables) == [("events row 1 column place_lat", "input.cell")]


def test_extension_data_must_be_json_text(tables: dict[str, pd.DataFrame]) -> None:
    events = tables["events"]
    tables["extensions"] = pd.DataFrame(
        {"record": [events.loc[0, "id"]], "scheme": ["x"], "data": ["{not json"]}
    )
    assert _problems(tables) == [("extensions row 0 column data", "input.cell")]
    tables["extensions"].loc[0, "data"] = '{"x": 1}'
    assert cd.from_pandas(tables).events[0].extensions == {"x": {"x": 1}}


def test_missing_unknown_and_repeated_columns_are_problems(
    tables: dict[str, pd.DataFrame],
) -> None:
    tables["events"] = tables["events"].drop(columns=["status"]).assign(year=2020)
    assert _problems(tables) == [
        ("events", "input.header"),
        ("events column year", "input.header"),
    ]


def test_view_columns_may_be_dropped_and_are_ignored(
    tables: dict[str, pd.DataFrame], example: cd.Dataset
) -> None:
    events = tables["events"]
    events["start"] = pd.Timestamp("1999-01-01")
    events["side_a"] = "whatever"
    assert cd.from_pandas(tables) == example
    tables["events"] = events.drop(columns=["start", "end", "side_a", "cameo_code"])
    assert cd.from_pandas(tables) == example


def test_rows_of_list_tables_may_come_in_any_order(
    tables: dict[str, pd.DataFrame], example: cd.Dataset
) -> None:
    for name in ("participants", "citations", "actor_names", "events"):
        tables[name] = tables[name].iloc[::-1].reset_index(drop=True)
    got = cd.from_pandas(tables)
    assert got.events == example.events[::-1]
    assert attrs.evolve(got, events=example.events) == example


def test_positions_must_run_from_zero_without_gaps(tables: dict[str, pd.DataFrame]) -> None:
    citations = tables["citations"]
    first = citations["event"] == citations.loc[0, "event"]
    citations.loc[first & (citations["position"] == 1), "position"] = 7
    problems = _problems(tables)
    assert len(problems) == 1
    location, code = problems[0]
    assert code == "input.position"
    assert location is not None
    assert location.startswith("citations row ")
    assert location.endswith(" column position")


def test_rows_of_records_that_do_not_exist(tables: dict[str, pd.DataFrame]) -> None:
    tables["identifiers"].loc[0, "record"] = "nobody"
    assert _problems(tables) == [("identifiers row 0 column record", "input.foreign-key")]


def test_tables_left_out_are_empty_and_metadata_may_be_given(
    tables: dict[str, pd.DataFrame], example: cd.Dataset
) -> None:
    kept = {n: tables[n] for n in ("sources", "actors", "events", "participants", "citations")}
    assert _problems(kept) == [("metadata", "input.structure")]
    got = cd.from_pandas(kept, metadata=cd.Metadata(title="Edited"))
    assert got.metadata == cd.Metadata(title="Edited")
    assert [e.id for e in got.events] == [e.id for e in example.events]
    assert got.events[0].tags == ()
    assert cd.from_pandas(tables, metadata={"title": "Plain"}).metadata.title == "Plain"


def test_unknown_table_and_bad_metadata_rows(tables: dict[str, pd.DataFrame]) -> None:
    tables["evnts"] = tables["events"]
    tables["metadata"] = pd.concat([tables["metadata"]] * 2, ignore_index=True)
    assert _problems(tables) == [("evnts", "input.structure"), ("metadata", "input.structure")]


def test_floats_that_are_whole_read_as_integers(
    tables: dict[str, pd.DataFrame], example: cd.Dataset
) -> None:
    # Arithmetic in pandas often turns integer columns into floats.
    events = tables["events"]
    events["fatalities_low"] = events["fatalities_low"].astype("float64")
    assert cd.from_pandas(tables) == example
    events.loc[0, "fatalities_low"] = 1.5
    assert _problems(tables) == [("events row 0 column fatalities_low", "input.cell")]


@pytest.mark.parametrize(
    ("module", "extra", "function"),
    [
        ("pandas", "pandas", cd.to_pandas),
        ("polars", "polars", cd.to_polars),
        ("pyarrow", "parquet", cd.to_arrow),
        ("pandas", "pandas", cd.from_pandas),
        ("polars", "polars", cd.from_polars),
        ("pyarrow", "parquet", cd.from_arrow),
    ],
)
def test_a_missing_extra_is_named(
    monkeypatch: pytest.MonkeyPatch,
    example: cd.Dataset,
    module: str,
    extra: str,
    function: Callable[..., Any],
) -> None:
    # A None entry in sys.modules makes the import fail as if it were absent.
    monkeypatch.setitem(sys.modules, module, None)
    with pytest.raises(cd.MissingDependencyError, match=rf"pip install 'conflictdata\[{extra}\]'"):
        function({} if function.__name__.startswith("from_") else example)
    assert issubclass(cd.MissingDependencyError, ImportError)


def test_import_does_not_load_frame_libraries() -> None:
    code = (
        "import sys, conflictdata as cd\n"
        "heavy = [m for m in ('pandas', 'polars', 'pyarrow', 'numpy') if m in sys.modules]\n"
        "assert callable(cd.to_pandas) and 'pandas' not in sys.modules\n"
        "print(heavy)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "[]"


def test_an_unknown_attribute_is_still_an_attribute_error() -> None:
    with pytest.raises(AttributeError, match="has no attribute 'to_excel'"):
        _ = cd.to_excel


def test_the_analysis_page_documents_every_table_and_event_column() -> None:
    page = (ROOT / "docs" / "analysis.md").read_text("utf-8")
    tables = re.findall(r"^\| `(\w+)` \| (?!text|whole|number|true|day|JSON)", page, re.MULTILINE)
    assert tables == list(frames.TABLES)
    section = page.split("### The events table", 1)[1].split("\n## ", 1)[0]
    columns = re.findall(r"^\| `(\w+)` \|", section, re.MULTILINE)
    assert columns == list(cd.to_arrow(cd.examples.load("karabakh-2020")).column_names)
