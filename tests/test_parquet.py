"""The parquet format: lossless, streaming, atomic, from the JSON Schema, read by engines."""

from __future__ import annotations

import io
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings

import conflictdata as cd
from conflictdata import schemas
from conflictdata.cli import main
from conflictdata.model import RecordKind

from . import strategies as st

pa = pytest.importorskip("pyarrow")
pq = pytest.importorskip("pyarrow.parquet")
ds = pytest.importorskip("pyarrow.dataset")

from conflictdata.formats import parquet  # noqa: E402 - after the skip
from conflictdata.formats.parquet import _schema  # noqa: E402
from conflictdata.formats.parquet._writer import (  # noqa: E402
    MAX_BUFFERED_GROUPS,
    NULL_PARTITION,
    DatasetWriter,
)


def _dump(dataset: cd.Dataset, path: Path, **options: Any) -> Path:
    assert list(cd.dump(dataset, path, options=options or None)) == []
    return path


def _event(number: int, start: str, *, source: str = "src-1") -> dict[str, Any]:
    return {
        "id": f"evt-{number}",
        "type": "ASSAULT",
        "title": f"Event {number}",
        "when": {"start": start},
        "participants": [],
        "status": "reported",
        "citations": [{"source": source}],
    }


def _dataset(events: list[dict[str, Any]]) -> cd.Dataset:
    return cd.loads(
        json.dumps(
            {
                "schema_version": schemas.SCHEMA_VERSION,
                "metadata": {"title": "Years"},
                "sources": [{"id": "src-1", "kind": "report", "title": "A report"}],
                "actors": [],
                "events": events,
            }
        )
    )


# Round trips


def test_the_example_round_trips(tmp_path: Path, example: cd.Dataset) -> None:
    path = _dump(example, tmp_path / "karabakh.parquet")
    assert cd.load(path) == example
    assert cd.load(path, format="parquet") == example


@settings(max_examples=40)
@given(dataset=st.datasets())
def test_any_dataset_round_trips(dataset: cd.Dataset) -> None:
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "data.parquet"
        cd.dump(dataset, path)
        assert cd.load(path) == dataset


@settings(max_examples=15)
@given(dataset=st.datasets(max_events=12))
def test_any_dataset_round_trips_in_small_row_groups(dataset: cd.Dataset) -> None:
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "data.parquet"
        cd.dump(dataset, path, options={"row_group_size": 2})
        assert cd.load(path) == dataset


def test_events_keep_their_order_across_years(tmp_path: Path) -> None:
    starts = ["2021-03", "1999", "2021-01-05", "0850", "1999-12-31", "2021"]
    dataset = _dataset([_event(i, s) for i, s in enumerate(starts)])
    path = _dump(dataset, tmp_path / "years.parquet", row_group_size=1)
    assert [e.id for e in cd.load(path).events] == [f"evt-{i}" for i in range(len(starts))]
    years = sorted(p.name for p in (path / "events").iterdir())
    assert years == ["year=0850", "year=1999", "year=2021"]
    # Three events of 2021, one per row group.
    assert pq.ParquetFile(path / "events/year=2021/part-0.parquet").num_row_groups == 3


def test_buffers_stay_bounded(tmp_path: Path) -> None:
    starts = [f"{2000 + i % 12}-01" for i in range(60)]
    document = cd.to_dict(_dataset([_event(i, s) for i, s in enumerate(starts)]))
    header = {k: document[k] for k in ("schema_version", "metadata")}
    writer = DatasetWriter(tmp_path / "b.parquet", header, row_group_size=2)
    most = 0
    for kind in ("source", "event"):
        for record in document[f"{kind}s"]:
            writer.write(kind, record)
            most = max(most, writer._buffered)
    writer.close()
    # Twelve years, none reaching a row group of its own before all are written.
    assert most <= MAX_BUFFERED_GROUPS * 2
    for path in (tmp_path / "b.parquet/events").rglob("*.parquet"):
        metadata = pq.ParquetFile(path).metadata
        sizes = [metadata.row_group(i).num_rows for i in range(metadata.num_row_groups)]
        assert sum(sizes) == 5
        assert max(sizes) <= 2
    assert cd.to_dict(cd.load(tmp_path / "b.parquet")) == document


def test_reading_goes_batch_by_batch(
    tmp_path: Path, example: cd.Dataset, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _dump(example, tmp_path / "k.parquet", row_group_size=4)
    monkeypatch.setattr(parquet, "BATCH_SIZE", 1)
    assert cd.load(path) == example


def test_iter_records_streams_back_in_order(tmp_path: Path, example: cd.Dataset) -> None:
    path = _dump(example, tmp_path / "k.parquet", row_group_size=3)
    with cd.iter_records(path) as records:
        kinds = [type(r).__name__ for r in records]
        assert records.metadata == example.metadata
    expected = ["Source"] * len(example.sources) + ["Actor"] * len(example.actors)
    expected += ["Event"] * len(example.events) + ["Tombstone"] * len(example.deleted)
    assert kinds == expected


def test_convert_from_json_lines_and_back(tmp_path: Path, example: cd.Dataset) -> None:
    cd.dump(example, tmp_path / "k.jsonl")
    assert list(cd.convert(tmp_path / "k.jsonl", tmp_path / "k.parquet")) == []
    assert list(cd.convert(tmp_path / "k.parquet", tmp_path / "back.jsonl")) == []
    # The same records; members come in the schema's order.
    lines = [(tmp_path / n).read_text("utf-8").splitlines() for n in ("back.jsonl", "k.jsonl")]
    assert [json.loads(line) for line in lines[0]] == [json.loads(line) for line in lines[1]]


# Layout


def test_layout_metadata_and_tables(tmp_path: Path, example: cd.Dataset) -> None:
    path = _dump(example, tmp_path / "k.parquet")
    for table in ("sources", "actors", "deleted"):
        assert (path / table / "part-0.parquet").is_file()
    assert all(p.name.startswith("year=") for p in (path / "events").iterdir())
    metadata = pq.read_schema(path / "actors/part-0.parquet").metadata
    assert metadata[b"conflictdata.schema_version"] == schemas.SCHEMA_VERSION.encode()
    header = json.loads(metadata[b"conflictdata.dataset"])
    assert header["metadata"]["title"] == example.metadata.title
    events = ds.dataset(path / "events", partitioning="hive").to_table()
    assert events.num_rows == len(example.events)
    assert sorted(events.column("position").to_pylist()) == list(range(len(example.events)))


def test_tombstones_are_a_table(tmp_path: Path, example: cd.Dataset) -> None:
    dataset = cd.loads(
        json.dumps(
            {
                **cd.to_dict(example),
                "deleted": [{"id": "gone-1", "deleted": "2024-03-01T09:30:00Z"}],
            }
        )
    )
    path = _dump(dataset, tmp_path / "k.parquet")
    table = pq.read_table(path / "deleted/part-0.parquet")
    assert table.column("id").to_pylist() == ["gone-1"]
    assert cd.load(path).deleted == dataset.deleted


def test_an_empty_dataset(tmp_path: Path) -> None:
    dataset = cd.Dataset(metadata=cd.Metadata(title="Empty"))
    path = _dump(dataset, tmp_path / "empty.parquet")
    assert list((path / "events").iterdir()) == []
    assert cd.load(path) == dataset


def test_an_event_without_a_year_goes_to_the_null_partition(tmp_path: Path) -> None:
    writer = DatasetWriter(tmp_path / "raw.parquet", {"schema_version": "1.1", "metadata": {}})
    writer.write("event", {**_event(1, "2020"), "when": {"start": "unknown"}})
    writer.close()
    assert (tmp_path / "raw.parquet/events" / f"year={NULL_PARTITION}/part-0.parquet").is_file()


def test_extensions_are_json_text(tmp_path: Path) -> None:
    event = {**_event(1, "2020"), "extensions": {"plover": {"a": [1, {"b": None}], "é": "x"}}}
    path = _dump(_dataset([event]), tmp_path / "x.parquet")
    column = pq.read_table(path / "events").column("extensions").to_pylist()
    assert json.loads(column[0]) == event["extensions"]
    assert cd.load(path).events[0].extensions == event["extensions"]


# Writing atomically


def test_the_target_is_not_replaced_without_overwrite(tmp_path: Path, example: cd.Dataset) -> None:
    path = _dump(example, tmp_path / "k.parquet")
    with pytest.raises(FileExistsError, match="overwrite=True"):
        cd.dump(example, path)
    cd.dump(cd.Dataset(metadata=cd.Metadata(title="New")), path, overwrite=True)
    assert cd.load(path).metadata.title == "New"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["k.parquet"]


def test_an_aborted_write_leaves_nothing(tmp_path: Path, example: cd.Dataset) -> None:
    def write_then_fail() -> None:
        with cd.open_writer(tmp_path / "k.parquet", example.metadata) as writer:
            for source in example.sources:
                writer.write(source)
            raise RuntimeError("stop")

    with pytest.raises(RuntimeError, match="stop"):
        write_then_fail()
    assert list(tmp_path.iterdir()) == []


def test_a_bad_row_group_size_is_refused(tmp_path: Path, example: cd.Dataset) -> None:
    with pytest.raises(ValueError, match="row_group_size"):
        cd.dump(example, tmp_path / "k.parquet", options={"row_group_size": 0})
    assert list(tmp_path.iterdir()) == []


def test_a_number_parquet_cannot_hold_is_an_error_not_a_partial_file(tmp_path: Path) -> None:
    event = {**_event(1, "2020"), "fatalities": {"best": 2**64}}
    # Validation refuses it before the writer sees it (no writer could hold it).
    with pytest.raises(cd.DataValidationError, match="maximum"):
        cd.dump(_dataset([event]), tmp_path / "big.parquet")
    assert list(tmp_path.iterdir()) == []


# The Arrow schema and the JSON Schema


def _resolved(node: dict[str, Any], resolver: Any) -> tuple[dict[str, Any], Any]:
    while "$ref" in node:
        found = resolver.lookup(node["$ref"])
        node, resolver = found.contents, found.resolver
    return node, resolver


def _agrees(field: Any, node: dict[str, Any], resolver: Any, where: str) -> None:
    """Check one Arrow field against its JSON Schema node, written out case by case."""
    node, resolver = _resolved(node, resolver)
    kind = field.type
    if "anyOf" in node or "enum" in node or node.get("type") == "string":
        assert kind == pa.string(), where
    elif node.get("type") == "integer":
        assert kind == pa.int64(), where
    elif node.get("type") == "number":
        assert kind == pa.float64(), where
    elif node.get("type") == "boolean":
        assert kind == pa.bool_(), where
    elif node.get("type") == "array":
        assert pa.types.is_list(kind), where
        _agrees(kind.value_field, node["items"], resolver, f"{where}[]")
    elif node.get("additionalProperties") is False:
        assert pa.types.is_struct(kind), where
        assert [f.name for f in kind] == list(node["properties"]), where
        for child in kind:
            assert child.nullable == (child.name not in node.get("required", ())), where
            _agrees(child, node["properties"][child.name], resolver, f"{where}.{child.name}")
    elif "properties" not in node and "additionalProperties" in node:
        assert kind == pa.map_(pa.string(), pa.string()), where
    else:
        assert kind == pa.string(), where
        assert field.metadata == {b"conflictdata.encoding": b"json"}, where


@pytest.mark.parametrize("kind", list(RecordKind))
def test_the_arrow_schema_follows_the_json_schema(kind: RecordKind) -> None:
    name = {"source": "source", "actor": "actor", "event": "event", "tombstone": "tombstone"}[kind]
    node = schemas.get(name)
    resolver = schemas.registry.resolver(schemas.uri(name))
    arrow = _schema.arrow_schema(kind)
    extra = ["position"] if kind is RecordKind.EVENT else []
    assert arrow.names == [*node["properties"], *extra]
    for field in arrow:
        if field.name == "position":
            assert field.type == pa.int64()
            assert not field.nullable
            continue
        assert field.nullable == (field.name not in node["required"]), field.name
        _agrees(field, node["properties"][field.name], resolver, field.name)
    assert arrow.metadata[b"conflictdata.schema_version"] == schemas.SCHEMA_VERSION.encode()


def test_nested_fields_are_lists_of_structs() -> None:
    events = _schema.arrow_schema(RecordKind.EVENT)
    for name in ("participants", "citations", "classifications", "related"):
        kind = events.field(name).type
        assert pa.types.is_list(kind)
        assert pa.types.is_struct(kind.value_type), name
    assert _schema.json_columns(RecordKind.EVENT) == ("extensions",)


def test_the_files_have_the_published_schema(tmp_path: Path, example: cd.Dataset) -> None:
    path = _dump(example, tmp_path / "k.parquet")
    read = pq.read_schema(path / "sources/part-0.parquet")
    assert read.remove_metadata().equals(_schema.arrow_schema(RecordKind.SOURCE).remove_metadata())


def test_cli_prints_the_arrow_schema() -> None:
    out, err = io.StringIO(), io.StringIO()
    assert main(["schema", "--arrow"], stdout=out, stderr=err) == 0
    text = out.getvalue()
    for header in ("# sources/", "# actors/", "# events/year=YYYY/", "# deleted/"):
        assert header in text
    assert "participants: list<item: struct<actor: string not null" in text
    out = io.StringIO()
    assert main(["schema", "event", "--arrow"], stdout=out, stderr=err) == 0
    assert out.getvalue().startswith("# events/year=YYYY/*.parquet\nid: string not null\n")
    assert main(["schema", "defs", "--arrow"], stdout=out, stderr=err) == 2
    assert "no Parquet table holds 'defs' records" in err.getvalue()


def test_import_does_not_load_pyarrow() -> None:
    code = (
        "import sys, conflictdata\n"
        "conflictdata.formats.get('parquet')\n"
        "print([m for m in ('pyarrow', 'duckdb', 'polars', 'pandas') if m in sys.modules])\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "[]"


def test_without_pyarrow_the_error_says_what_to_install(tmp_path: Path) -> None:
    code = (
        "import sys\n"
        "sys.modules['pyarrow'] = None\n"
        "from conflictdata.cli import main\n"
        f"sys.exit(main(['example', '-o', {str(tmp_path / 'k.parquet')!r}]))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False
    )
    assert done.returncode == 2
    assert "pip install 'conflictdata[parquet]'" in done.stderr
    assert "Traceback" not in done.stderr


def test_the_command_line_converts_to_parquet(tmp_path: Path, example: cd.Dataset) -> None:
    cd.dump(example, tmp_path / "k.jsonl")
    out, err = io.StringIO(), io.StringIO()
    code = main(
        ["convert", str(tmp_path / "k.jsonl"), str(tmp_path / "k.parquet")], stdout=out, stderr=err
    )
    assert code == 0, err.getvalue()
    assert cd.load(tmp_path / "k.parquet") == example


def test_the_format_is_chosen_by_its_suffix(tmp_path: Path) -> None:
    assert cd.formats.for_path(tmp_path / "new.parquet").name == "parquet"
    assert parquet.FORMAT.streams


# Untrusted input


def _problems(path: Path) -> list[tuple[str, str | None]]:
    return [(p.code, p.location) for p in cd.validate_file(path, format="parquet").errors]


def test_a_broken_file_is_a_located_problem(tmp_path: Path, example: cd.Dataset) -> None:
    path = _dump(example, tmp_path / "k.parquet")
    target = next((path / "events").rglob("*.parquet"))
    target.write_bytes(b"PAR1 not really parquet PAR1")
    where = target.relative_to(path).as_posix()
    assert _problems(path) == [("input.syntax", where)]
    with pytest.raises(cd.DataValidationError, match="not a readable Parquet file"):
        cd.load(path)


def test_a_truncated_file_is_a_located_problem(tmp_path: Path, example: cd.Dataset) -> None:
    path = _dump(example, tmp_path / "k.parquet")
    target = path / "sources/part-0.parquet"
    target.write_bytes(target.read_bytes()[:-100])
    assert _problems(path) == [("input.syntax", "sources/part-0.parquet")]


def test_a_directory_that_is_not_a_dataset(tmp_path: Path) -> None:
    (tmp_path / "x.parquet").mkdir()
    assert _problems(tmp_path / "x.parquet") == [("input.structure", "x.parquet/sources")]
    (tmp_path / "f.parquet").write_bytes(b"PAR1")
    assert _problems(tmp_path / "f.parquet") == [("input.structure", "f.parquet")]


def test_foreign_columns_are_refused(tmp_path: Path, example: cd.Dataset) -> None:
    path = _dump(example, tmp_path / "k.parquet")
    target = path / "actors/part-0.parquet"
    table = pq.read_table(target)
    pq.write_table(table.append_column("secret", pa.array(["x"] * table.num_rows)), target)
    assert _problems(path) == [("input.structure", "actors/part-0.parquet")]
    pq.write_table(table.drop_columns(["kind"]), target)
    assert _problems(path) == [("input.structure", "actors/part-0.parquet")]


def test_a_column_of_another_type_is_refused(tmp_path: Path, example: cd.Dataset) -> None:
    path = _dump(example, tmp_path / "k.parquet")
    target = path / "actors/part-0.parquet"
    table = pq.read_table(target)
    index = table.schema.get_field_index("name")
    pq.write_table(table.set_column(index, "name", pa.array([[1]] * table.num_rows)), target)
    assert _problems(path) == [("input.syntax", "actors/part-0.parquet")]


def test_bad_values_are_located_by_file_and_row(tmp_path: Path) -> None:
    dataset = _dataset([_event(1, "2020"), _event(2, "2020")])
    path = _dump(dataset, tmp_path / "k.parquet")
    target = path / "events/year=2020/part-0.parquet"
    table = pq.read_table(target)
    table = table.set_column(
        table.schema.get_field_index("extensions"),
        table.schema.field("extensions"),
        pa.array([None, "{not json"], pa.string()),
    )
    table = table.set_column(
        table.schema.get_field_index("type"),
        table.schema.field("type"),
        pa.array(["BOOM", "ASSAULT"]),
    )
    pq.write_table(table, target)
    problems = dict(_problems(path))
    assert problems["schema.enum"] == "events/year=2020/part-0.parquet, row 1"
    assert str(problems["input.syntax"]).startswith(
        "events/year=2020/part-0.parquet, row 2, extensions"
    )


def test_files_spark_leaves_beside_the_data_are_ignored(
    tmp_path: Path, example: cd.Dataset
) -> None:
    path = _dump(example, tmp_path / "k.parquet")
    (path / "events/_SUCCESS").write_bytes(b"")
    (path / "events/.part-0.parquet.crc").write_bytes(b"\0")
    (path / "events/_committed.parquet").write_bytes(b"junk")
    assert cd.load(path) == example


# Engines read the files as they are


def _country_months(tmp_path: Path) -> Path:
    events = [
        {**_event(1, "2020-09-27"), "location": {"name": "A", "country": "AZ"}},
        {**_event(2, "2020-09-28"), "location": {"name": "B", "country": "AZ"}},
        {**_event(3, "2020-10-01"), "location": {"name": "C", "country": "AM"}},
        {**_event(4, "2021-01"), "location": {"name": "D", "country": "AM"}},
    ]
    for event, best in zip(events, [3, 4, 5, 6], strict=True):
        event["fatalities"] = {"best": best}
        event["participants"] = [{"actor": "mil-az", "role": "initiator"}]
    document = cd.to_dict(_dataset([]))
    document["actors"] = [{"id": "mil-az", "kind": "military", "name": "Azerbaijani army"}]
    document["events"] = events
    return _dump(cd.loads(json.dumps(document)), tmp_path / "cm.parquet")


EXPECTED = [("AM", "2020-10", 5), ("AM", "2021-01", 6), ("AZ", "2020-09", 7)]


def test_duckdb_reads_the_files(tmp_path: Path) -> None:
    duckdb = pytest.importorskip("duckdb")
    path = _country_months(tmp_path)
    glob = f"{path}/events/**/*.parquet"
    rows = duckdb.execute(
        """
        SELECT location.country, substr(\"when\".start, 1, 7) AS month,
               sum(fatalities.best)::INTEGER AS killed
        FROM read_parquet(?, hive_partitioning = true)
        GROUP BY ALL ORDER BY ALL
        """,
        [glob],
    ).fetchall()
    assert rows == EXPECTED
    actors = duckdb.execute(
        """
        SELECT year, p.actor, p.role FROM (
            SELECT year, unnest(participants) AS p
            FROM read_parquet(?, hive_partitioning = true)
        ) ORDER BY year LIMIT 1
        """,
        [glob],
    ).fetchall()
    assert actors == [(2020, "mil-az", "initiator")]


def test_polars_scans_the_files(tmp_path: Path) -> None:
    pl = pytest.importorskip("polars")
    path = _country_months(tmp_path)
    frame = (
        pl.scan_parquet(path / "events", hive_partitioning=True)
        .select(
            pl.col("location").struct.field("country"),
            pl.col("when").struct.field("start").str.slice(0, 7).alias("month"),
            pl.col("fatalities").struct.field("best"),
        )
        .group_by("country", "month")
        .agg(pl.col("best").sum())
        .sort("country", "month")
        .collect()
    )
    assert frame.rows() == EXPECTED
    years = pl.scan_parquet(path / "events", hive_partitioning=True).select("year").collect()
    assert sorted(years["year"].to_list()) == [2020, 2020, 2020, 2021]


def test_pandas_reads_the_files(tmp_path: Path) -> None:
    pd = pytest.importorskip("pandas")
    path = _country_months(tmp_path)
    frame = pd.read_parquet(path / "events")
    frame["country"] = frame["location"].map(lambda place: place["country"])
    frame["month"] = frame["when"].map(lambda when: when["start"][:7])
    frame["best"] = frame["fatalities"].map(lambda figures: figures["best"])
    table = frame.groupby(["country", "month"])["best"].sum()
    assert [(c, m, int(b)) for (c, m), b in table.items()] == EXPECTED
    assert sorted(frame["year"].astype(int)) == [2020, 2020, 2020, 2021]


@pytest.mark.slow
def test_spark_reads_the_files(tmp_path: Path) -> None:
    if shutil.which("java") is None:
        pytest.skip("Spark needs Java, which is not installed")
    pytest.importorskip("pyspark", reason="pyspark is not installed")
    from pyspark.sql import SparkSession  # noqa: PLC0415 - only where pyspark is

    path = _country_months(tmp_path)
    spark = (
        SparkSession.builder.master("local[1]")
        .appName("conflictdata-test")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "1")
        .getOrCreate()
    )
    try:
        spark.read.parquet(str(path / "events")).createOrReplaceTempView("events")
        rows = spark.sql(
            """
            SELECT location.country, substr(`when`.start, 1, 7) AS month,
                   CAST(sum(fatalities.best) AS INT) AS killed
            FROM events GROUP BY 1, 2 ORDER BY 1, 2
            """
        ).collect()
        assert [tuple(r) for r in rows] == EXPECTED
        first = spark.sql(
            "SELECT year, p.actor FROM events LATERAL VIEW explode(participants) t AS p "
            "ORDER BY year LIMIT 1"
        ).collect()
        assert tuple(first[0]) == (2020, "mil-az")
        # What Spark writes back (its own file names, lists and nullability), conflictdata reads.
        back = tmp_path / "back.parquet"
        spark.table("events").write.partitionBy("year").parquet(str(back / "events"))
        for table in ("sources", "actors", "deleted"):
            shutil.copytree(path / table, back / table)
        assert cd.load(back) == cd.load(path)
    finally:
        spark.stop()
