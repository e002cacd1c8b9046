"""Every format: lossless round trips, streaming, locations in the format's terms."""

from __future__ import annotations

import json
import math
import re
import tempfile
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import given

import conflictdata as cd
from conflictdata import _ids, formats
from conflictdata._ids import IdIndex
from conflictdata.formats import jsonl

from . import strategies as st

LOSSLESS = ["json", "jsonl", "csv", "csv-zip", "tei"]
SUFFIX = {
    "json": ".json",
    "jsonl": ".jsonl",
    "csv": "",
    "csv-zip": ".zip",
    "tei": ".tei.xml",
    "geojson": ".geojson",
}
FORMAT = {"csv-zip": "csv"}


@pytest.fixture(params=LOSSLESS)
def lossless(request: pytest.FixtureRequest) -> str:
    name: str = request.param
    return name


def test_the_example_round_trips(tmp_path: Path, example: cd.Dataset, lossless: str) -> None:
    path = tmp_path / f"karabakh{SUFFIX[lossless]}"
    assert list(cd.dump(example, path)) == []
    assert cd.load(path) == example


@pytest.mark.parametrize("lossless", LOSSLESS)
@given(dataset=st.datasets())
def test_any_dataset_round_trips(lossless: str, dataset: cd.Dataset) -> None:
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / f"data{SUFFIX[lossless]}"
        cd.dump(dataset, path)
        assert cd.load(path) == dataset
        assert cd.load(path, format=FORMAT.get(lossless, lossless)) == dataset


def test_every_format_is_documented() -> None:
    docs = Path(__file__).parents[1] / "docs"
    text = (docs / "formats.md").read_text("utf-8")
    for name in formats.names():
        link = re.search(rf"^\| \[`{name}`\]\(([^)#]+)(#[^)]*)?\) \|", text, re.MULTILINE)
        assert link, name
        assert (docs / link.group(1)).is_file(), name


# JSON Lines


def _jsonl(
    tmp_path: Path, lines: list[Any], name: str = "data.jsonl", *, end: bool = True
) -> Path:
    """A JSON Lines file of ``lines``, with an end record that counts them (``end``)."""
    path = tmp_path / name
    text = "".join(line if isinstance(line, str) else json.dumps(line) + "\n" for line in lines)
    if end:
        text += _end_line(text)
    path.write_text(text, "utf-8")
    return path


def _end_line(text: str) -> str:
    counts: dict[str, int] = {}
    for line in text.split("\n"):
        try:
            kind = json.loads(line).get("record")
        except (ValueError, AttributeError):
            continue
        if kind in {k.value for k in cd.RecordKind}:
            counts[kind] = counts.get(kind, 0) + 1
    return json.dumps({"record": "end", "counts": counts}) + "\n"


def _lines(example: cd.Dataset, tmp_path: Path) -> list[str]:
    """The lines of ``example`` as JSON Lines, less the end record."""
    path = tmp_path / "k.jsonl"
    cd.dump(example, path)
    return path.read_text("utf-8").splitlines(keepends=True)[:-1]


def test_jsonl_has_a_header_then_one_record_per_line(tmp_path: Path, example: cd.Dataset) -> None:
    lines = _lines(example, tmp_path)
    assert len(lines) == 1 + len(example.sources) + len(example.actors) + len(example.events)
    records = [json.loads(line)["record"] for line in lines]
    assert records[0] == "dataset"
    assert records[1:] == sorted(records[1:], key=["source", "actor", "event"].index)
    assert all(line.endswith("\n") and not line.endswith("\r\n") for line in lines)


def test_line_separators_inside_text_survive(tmp_path: Path, example: cd.Dataset) -> None:
    event = example.events[0]
    title = "line\u2028separator\u2029paragraph\x85next"
    changed = cd.Dataset(
        metadata=example.metadata,
        sources=example.sources,
        actors=example.actors,
        events=[attrs.evolve(event, title=title), *example.events[1:]],
    )
    path = tmp_path / "sep.jsonl"
    cd.dump(changed, path)
    assert len(path.read_bytes().split(b"\n")) == 3 + len(example.sources) + len(
        example.actors
    ) + len(example.events)
    assert cd.load(path).events[0].title == title


def test_crlf_and_blank_lines_are_tolerated(tmp_path: Path, example: cd.Dataset) -> None:
    lines = _lines(example, tmp_path)
    path = tmp_path / "crlf.jsonl"
    path.write_bytes(b"\n".join(line.rstrip("\n").encode() + b"\r" for line in lines) + b"\n\n")
    assert cd.load(path) == example


@pytest.mark.parametrize(
    ("lines", "code", "location"),
    [
        ([{"record": "event", "id": "e"}], "input.record-type", "line 1"),
        ([], "input.record-type", "line 1"),
        (
            [
                {"record": "dataset", "schema_version": "1.1", "metadata": {"title": "t"}},
                {"record": "place"},
            ],
            "input.record-type",
            "line 2",
        ),
        (
            [
                {"record": "dataset", "schema_version": "1.1", "metadata": {"title": "t"}},
                "[1, 2]\n",
            ],
            "input.syntax",
            "line 2",
        ),
        (
            [
                {"record": "dataset", "schema_version": "1.1", "metadata": {"title": "t"}},
                '{"record": "source",}\n',
            ],
            "input.syntax",
            r"line 2, column \d+",
        ),
        (
            [
                {"record": "dataset", "schema_version": "1.1", "metadata": {"title": "t"}},
                '{"a": 1, "a": 2}\n',
            ],
            "input.duplicate-key",
            "line 2",
        ),
    ],
)
def test_unreadable_lines_are_named(
    tmp_path: Path, lines: list[Any], code: str, location: str
) -> None:
    with pytest.raises(cd.DataValidationError) as info:
        cd.load(_jsonl(tmp_path, lines))
    (problem,) = info.value.report
    assert problem.code == code
    assert problem.location is not None
    assert re.fullmatch(location, problem.location)


def test_invalid_records_are_located_by_line(tmp_path: Path, example: cd.Dataset) -> None:
    lines = _lines(example, tmp_path)
    index = 1 + len(example.sources) + len(example.actors) + 4  # the fifth event
    record = json.loads(lines[index])
    record["type"] = "FIGHT"
    lines[index] = json.dumps(record, ensure_ascii=False) + "\n"
    with pytest.raises(cd.DataValidationError) as info:
        cd.load(_jsonl(tmp_path, lines, "bad.jsonl"))
    (problem,) = info.value.report
    assert (problem.pointer, problem.location) == ("/events/4/type", f"line {index + 1}")


def test_overlong_lines_are_refused(
    tmp_path: Path, example: cd.Dataset, monkeypatch: pytest.MonkeyPatch
) -> None:
    lines = _lines(example, tmp_path)
    monkeypatch.setattr(jsonl, "MAX_LINE_BYTES", 200)
    with pytest.raises(cd.DataValidationError) as info:
        cd.load(_jsonl(tmp_path, lines, "long.jsonl"))
    assert info.value.report.problems[0].code == "input.size"


# Streaming


def test_records_stream_in_file_order(tmp_path: Path, example: cd.Dataset) -> None:
    path = tmp_path / "k.jsonl"
    cd.dump(example, path)
    with cd.iter_records(path) as records:
        assert records.metadata == example.metadata
        assert records.schema_version == "1.1"
        streamed = list(records)
    assert streamed == [*example.sources, *example.actors, *example.events]
    assert records.warnings == []


def test_streaming_stops_at_the_first_bad_record(tmp_path: Path, example: cd.Dataset) -> None:
    lines = _lines(example, tmp_path)
    bad = 1 + len(example.sources)
    record = json.loads(lines[bad])
    record["kind"] = "alien"
    lines[bad] = json.dumps(record) + "\n"
    records = cd.iter_records(_jsonl(tmp_path, lines, "bad.jsonl"))
    got: list[cd.Source | cd.Actor | cd.Event | cd.Tombstone] = []
    with pytest.raises(cd.DataValidationError) as info:
        got.extend(records)
    assert len(got) == len(example.sources)
    (problem,) = info.value.report
    assert (problem.pointer, problem.location) == ("/actors/0/kind", f"line {bad + 1}")


def test_streaming_checks_ids_and_references(tmp_path: Path) -> None:
    header = {"record": "dataset", "schema_version": "1.1", "metadata": {"title": "t"}}
    source = {"record": "source", "id": "s", "kind": "report", "title": "r"}

    def event(event_id: str, **extra: Any) -> dict[str, Any]:
        return {
            "record": "event",
            "id": event_id,
            "type": "ASSAULT",
            "title": "x",
            "when": {"start": "2020"},
            "participants": [],
            "status": "reported",
            "citations": [{"source": "s"}],
            **extra,
        }

    # A relation to a later event is fine.
    forward = [
        header,
        source,
        event("e1", related=[{"event": "e2", "relation": "follows"}]),
        event("e2"),
    ]
    assert len(list(cd.iter_records(_jsonl(tmp_path, forward, "f.jsonl")))) == 3
    # One that never appears is reported when the stream ends.
    dangling = [header, source, event("e1", related=[{"event": "e9", "relation": "follows"}])]
    with pytest.raises(cd.DataValidationError) as info:
        list(cd.iter_records(_jsonl(tmp_path, dangling, "d.jsonl")))
    assert [(p.code, p.pointer, p.location) for p in info.value.report] == [
        ("ref.unresolved", "/events/0/related/0/event", "line 3")
    ]
    duplicate = [header, source, event("s")]
    with pytest.raises(cd.DataValidationError) as info:
        list(cd.iter_records(_jsonl(tmp_path, duplicate, "dup.jsonl")))
    assert [(p.code, p.pointer) for p in info.value.report] == [("id.duplicate", "/events/0/id")]


def test_streaming_collects_warnings(tmp_path: Path) -> None:
    lines = [
        {"record": "dataset", "schema_version": "1.1", "metadata": {"title": "t"}},
        {
            "record": "source",
            "id": "s",
            "kind": "report",
            "title": "Cafe\u0301",
            "extensions": {"mine": {}},
        },
    ]
    with cd.iter_records(_jsonl(tmp_path, lines)) as records:
        list(records)
    assert [(p.code, p.pointer) for p in records.warnings] == [
        ("extension.unknown-scheme", "/sources/0/extensions/mine")
    ]


def test_every_readable_format_can_be_iterated(tmp_path: Path, example: cd.Dataset) -> None:
    path = tmp_path / "k.json"
    cd.dump(example, path)
    with cd.iter_records(path) as records:
        assert sum(isinstance(r, cd.Event) for r in records) == len(example.events)
    flat = tmp_path / "k.csv"
    cd.dump(example, flat)
    with pytest.raises(cd.UnknownFormatError, match="csv-flat, which conflictdata writes but"):
        cd.iter_records(flat)


def test_the_stream_writer_writes_what_dump_writes(tmp_path: Path, example: cd.Dataset) -> None:
    cd.dump(example, tmp_path / "dump.jsonl")
    with cd.open_writer(tmp_path / "stream.jsonl", example.metadata) as writer:
        records: list[cd.Source | cd.Actor | cd.Event] = [
            *example.sources,
            *example.actors,
            *example.events,
        ]
        for record in records:
            writer.write(record)
    assert (tmp_path / "stream.jsonl").read_bytes() == (tmp_path / "dump.jsonl").read_bytes()


def test_a_failed_stream_write_leaves_nothing(tmp_path: Path, example: cd.Dataset) -> None:
    target = tmp_path / "out.jsonl"

    def interrupted() -> None:
        with cd.open_writer(target, example.metadata) as writer:
            writer.write(example.sources[0])
            raise RuntimeError("interrupted")

    with pytest.raises(RuntimeError):
        interrupted()
    assert list(tmp_path.iterdir()) == []
    target.write_text("keep", "utf-8")
    with pytest.raises(FileExistsError):
        cd.open_writer(target, example.metadata)
    assert target.read_text("utf-8") == "keep"


def test_jsonl_converts_to_geojson_as_a_stream(tmp_path: Path, example: cd.Dataset) -> None:
    cd.dump(example, tmp_path / "k.jsonl")
    with (
        cd.iter_records(tmp_path / "k.jsonl") as records,
        cd.open_writer(tmp_path / "k.geojson", records.metadata) as writer,
    ):
        for record in records:
            writer.write(record)
    assert len(writer.warnings) == 18
    assert (
        json.loads((tmp_path / "k.geojson").read_text("utf-8"))["features"][0]["id"]
        == "evt-2020-07-baku-demonstration"
    )


# GeoJSON


def _check_geojson(document: dict[str, Any]) -> None:
    """The parts of RFC 7946 that a FeatureCollection of points must meet."""
    assert document["type"] == "FeatureCollection"
    assert isinstance(document["features"], list)
    for feature in document["features"]:
        assert feature["type"] == "Feature"
        assert isinstance(feature["id"], str)
        assert isinstance(feature["properties"], dict)
        geometry = feature["geometry"]
        assert geometry["type"] == "Point"
        lon, lat = geometry["coordinates"]
        assert all(isinstance(x, float | int) and math.isfinite(x) for x in (lon, lat))
        assert -180 <= lon <= 180
        assert -90 <= lat <= 90
        for value in feature["properties"].values():
            assert value is None or isinstance(value, str | int | float | bool)


def test_geojson_is_valid_and_longitude_first(tmp_path: Path, example: cd.Dataset) -> None:
    path = tmp_path / "k.geojson"
    report = cd.dump(example, path)
    document = json.loads(path.read_text("utf-8"))
    _check_geojson(document)
    (feature,) = document["features"]
    assert feature["geometry"]["coordinates"] == [49.89201, 40.37767]
    assert (
        feature["properties"]["actor_names"]
        == "Pro-war demonstrators in Baku; Government of Azerbaijan"
    )
    assert document["conflictdata"] == {"events": 19, "events_without_coordinates": 18}
    assert len(report.warnings) == 18
    assert {p.code for p in report} == {"export.no-coordinates"}


@given(st.datasets())
def test_any_geojson_export_is_valid(dataset: cd.Dataset) -> None:
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "d.geojson"
        report = cd.dump(dataset, path)
        document = json.loads(path.read_text("utf-8"))
    _check_geojson(document)
    located = [e for e in dataset.events if e.location is not None and e.location.lat is not None]
    assert [f["id"] for f in document["features"]] == [e.id for e in located]
    missing = [p for p in report.warnings if p.code == "export.no-coordinates"]
    assert len(missing) == len(dataset.events) - len(located)


def test_geojson_cannot_be_read(tmp_path: Path, example: cd.Dataset) -> None:
    cd.dump(example, tmp_path / "k.geojson")
    with pytest.raises(cd.UnknownFormatError, match="cannot read"):
        cd.load(tmp_path / "k.geojson")


# Conversion


@pytest.mark.parametrize(
    "target", ["out.json", "out.jsonl", "out", "out.zip", "out.tei.xml", "out.xml", "out.geojson"]
)
def test_convert_streams_jsonl_into_every_format(
    tmp_path: Path, example: cd.Dataset, target: str
) -> None:
    cd.dump(example, tmp_path / "k.jsonl")
    report = cd.convert(tmp_path / "k.jsonl", tmp_path / target)
    if target.endswith(".geojson"):
        assert len(report.warnings) == 18
    else:
        assert list(report) == []
        assert cd.load(tmp_path / target) == example


def test_convert_from_whole_documents(tmp_path: Path, example: cd.Dataset) -> None:
    cd.dump(example, tmp_path / "k.json")
    cd.convert(tmp_path / "k.json", tmp_path / "k.zip")
    assert cd.load(tmp_path / "k.zip") == example


def test_convert_never_overwrites_its_input(tmp_path: Path, example: cd.Dataset) -> None:
    source = tmp_path / "k.jsonl"
    cd.dump(example, source)
    before = source.read_bytes()
    with pytest.raises(FileExistsError, match="is the input"):
        cd.convert(source, source, overwrite=True)
    assert source.read_bytes() == before


def test_convert_stops_on_invalid_input_and_writes_nothing(
    tmp_path: Path, example: cd.Dataset
) -> None:
    lines = _lines(example, tmp_path)
    record = json.loads(lines[-1])
    record["status"] = "rumoured"
    lines[-1] = json.dumps(record) + "\n"
    with pytest.raises(cd.DataValidationError) as info:
        cd.convert(_jsonl(tmp_path, lines, "bad.jsonl"), tmp_path / "out")
    assert [p.location for p in info.value.report] == [f"line {len(lines)}"]
    assert not (tmp_path / "out").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.jsonl", "k.jsonl"]


def test_clean_ascii_lines_skip_the_text_scan_but_escapes_do_not(tmp_path: Path) -> None:
    header = {"record": "dataset", "schema_version": "1.1", "metadata": {"title": "t"}}
    escaped = '{"record": "source", "id": "s", "kind": "report", "title": "a\\u202eb"}\n'
    with cd.iter_records(_jsonl(tmp_path, [header, escaped])) as records:
        list(records)
    assert [p.code for p in records.warnings] == ["text.bidi-control"]


def test_the_id_index_spills_to_disk_and_still_finds_everything(tmp_path: Path) -> None:
    index = IdIndex(memory_limit=3)
    for i in range(10):
        assert index.add(f"e{i}", "event") is None
    assert index._db is not None
    assert index.add("e4", "actor") == "event"
    assert index.get("e9") == "event"
    assert index.get("nope") is None
    index.close()
    assert index.get("e1") is None


def test_streams_longer_than_the_memory_limit_still_check_ids(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(_ids, "MEMORY_LIMIT", 2)
    monkeypatch.setattr(_ids.IdIndex.__init__, "__defaults__", (2, 2))
    header = {"record": "dataset", "schema_version": "1.1", "metadata": {"title": "t"}}
    sources = [
        {"record": "source", "id": f"s{i}", "kind": "report", "title": "r"} for i in range(5)
    ]
    lines = [
        header,
        *sources,
        {"record": "source", "id": "s1", "kind": "report", "title": "again"},
    ]
    with pytest.raises(cd.DataValidationError) as info:
        list(cd.iter_records(_jsonl(tmp_path, lines)))
    assert [(p.code, p.pointer, p.location) for p in info.value.report] == [
        ("id.duplicate", "/sources/5/id", "line 7")
    ]
