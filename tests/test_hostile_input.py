"""Hostile input is refused as located problems: never a traceback, never silently read."""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import sys
import zipfile
from pathlib import Path
from typing import Any

import pytest

import conflictdata as cd
from conflictdata.cli import main
from conflictdata.formats import csvpkg

DATA = Path(__file__).parent / "data"
LONG = "9" * 5000  # past Python's 4,300-digit limit on int("...")


def _codes(path: Path, fmt: str | None = None) -> list[tuple[str, str | None]]:
    return [(p.code, p.location) for p in cd.validate_file(path, format=fmt).errors]


def _run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


# Numbers of more digits than Python converts.


@pytest.mark.parametrize(
    ("name", "fmt", "text"),
    [
        ("big.json", None, '{"schema_version": "1.1",\n "metadata": {"title": %s}}'),
        ("big.jsonl", None, '{"type": "dataset", "schema_version": "1.1",\n "x": %s}\n'),
        ("big.json", "plover", '{"id": "a",\n "event": ["ASSAULT"], "dead": %s}\n'),
    ],
)
def test_a_number_of_thousands_of_digits_is_a_located_problem(
    tmp_path: Path, name: str, fmt: str | None, text: str
) -> None:
    path = tmp_path / name
    path.write_text(text % LONG, "utf-8")
    assert _codes(path, fmt)[0][0] == "input.size"
    assert "line 2" in (_codes(path, fmt)[0][1] or "")
    code, out, _ = _run("validate", str(path), *(("--format", fmt) if fmt else ()))
    assert code == 1
    assert "[input.size]" in out


@pytest.fixture
def package(tmp_path: Path) -> Path:
    path = tmp_path / "pkg"
    cd.dump(cd.examples.load("karabakh-2020"), path)
    return path


def _edit_cell(table: Path, column: str, value: str) -> None:
    with table.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    rows[1][rows[0].index(column)] = value
    with table.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows)


@pytest.mark.parametrize("value", ["1_000", "\u0661\u0662", " 12", LONG, "9007199254740992"])
def test_package_integer_cells_are_ascii_digits_within_range(package: Path, value: str) -> None:
    _edit_cell(package / "events.csv", "fatalities_best", value)
    assert _codes(package) == [("input.cell", "events.csv row 2 column fatalities_best")]


@pytest.mark.parametrize("value", ["4_0.5", "\u0664\u0660", "nan", "inf", "1e999", LONG])
def test_package_number_cells_are_finite_ascii_decimals(package: Path, value: str) -> None:
    _edit_cell(package / "events.csv", "place_lat", value)
    problems = _codes(package)
    assert problems[0][0] == "input.cell"
    assert problems[0][1] is not None
    assert problems[0][1].endswith("column place_lat")


# Files a package directory must not read.


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="no symbolic links here")
def test_a_table_that_is_a_symbolic_link_is_not_followed(package: Path, tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("root:x:0:0:root:/root:/bin/bash\n", "utf-8")
    (package / "actors.csv").unlink()
    (package / "actors.csv").symlink_to(secret)
    report = cd.validate_file(package)
    assert [(p.code, p.location) for p in report.errors] == [("input.file", "actors.csv")]
    assert "root" not in str(report)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_a_table_that_is_a_fifo_is_refused_without_blocking(package: Path) -> None:
    (package / "sources.csv").unlink()
    os.mkfifo(package / "sources.csv")
    assert _codes(package) == [("input.file", "sources.csv")]


def test_a_table_that_is_a_directory_is_refused(package: Path) -> None:
    (package / "events.csv").unlink()
    (package / "events.csv").mkdir()
    assert _codes(package) == [("input.file", "events.csv")]


def test_a_listed_record_table_that_is_missing_is_an_error(package: Path) -> None:
    (package / "events.csv").unlink()
    assert _codes(package) == [("input.file", "events.csv")]


def test_a_package_of_only_its_descriptor_is_an_error(package: Path) -> None:
    for table in package.glob("*.csv"):
        table.unlink()
    assert {code for code, _ in _codes(package)} == {"input.file"}
    assert len(_codes(package)) == 4  # sources, actors, events, deleted


def test_a_descriptor_listing_no_tables_is_an_error(package: Path) -> None:
    descriptor = package / "datapackage.json"
    text = descriptor.read_text("utf-8").replace('"resources"', '"resourcez"')
    descriptor.write_text(text, "utf-8")
    assert _codes(package) == [("input.file", "datapackage.json")]


def test_a_listed_optional_table_that_is_missing_is_an_error(package: Path) -> None:
    (package / "event_tags.csv").unlink()
    assert _codes(package) == [("input.file", "event_tags.csv")]


def test_non_utf8_bytes_in_a_table_are_located(package: Path) -> None:
    table = package / "actors.csv"
    data = table.read_bytes()
    table.write_bytes(data.replace(b"Armenia", b"Arm\xe9nia", 1))
    at = data.index(b"Armenia")
    line = data.count(b"\n", 0, at) + 1
    column = at - data.rfind(b"\n", 0, at) - 1 + len(b"Arm") + 1
    assert _codes(package) == [("input.encoding", f"actors.csv line {line}, byte {column}")]


def test_non_utf8_bytes_in_the_descriptor_are_located(package: Path) -> None:
    descriptor = package / "datapackage.json"
    data = descriptor.read_bytes()
    descriptor.write_bytes(data.replace(b"Karabakh", b"Karab\xe4kh", 1))
    at = data.index(b"Karabakh") + len(b"Karab")
    assert _codes(package) == [("input.encoding", f"datapackage.json byte {at}")]


def test_an_endless_line_is_refused_after_the_line_limit(
    package: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(csvpkg, "MAX_LINE", 1000)
    (package / "sources.csv").write_text("id," + "x" * 5000 + "\n", "utf-8")
    assert _codes(package) == [("input.size", "sources.csv line 1")]


# Damaged zip archives.


def _zipped(package: Path, target: Path) -> Path:
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for file in sorted(package.iterdir()):
            archive.write(file, file.name)
    return target


def _damage(archive: Path, member: str, how: str) -> None:
    data = bytearray(archive.read_bytes())
    with zipfile.ZipFile(archive) as zipped:
        info = zipped.getinfo(member)
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    if how == "deflate":
        data[start : start + 8] = b"\xff" * 8
    elif how == "crc":
        data[start + info.compress_size // 2] ^= 0x55
    elif how == "encrypted":
        data[info.header_offset + 6] |= 1
        # The central directory entry says so too.
        position = data.index(b"PK\x01\x02")
        while position != -1:
            name_length = int.from_bytes(data[position + 28 : position + 30], "little")
            if data[position + 46 : position + 46 + name_length] == member.encode():
                data[position + 8] |= 1
            position = data.find(b"PK\x01\x02", position + 4)
    elif how == "truncated":
        data = data[: start + info.compress_size // 2]
    archive.write_bytes(bytes(data))


@pytest.mark.parametrize("how", ["deflate", "crc", "encrypted"])
def test_a_damaged_zip_member_is_a_located_problem(
    package: Path, tmp_path: Path, how: str
) -> None:
    archive = _zipped(package, tmp_path / "k.zip")
    _damage(archive, "events.csv", how)
    [(code, location)] = _codes(archive)
    assert code == "input.syntax"
    assert location == "events.csv"
    assert _run("validate", str(archive))[0] == 1


def test_a_truncated_zip_is_a_problem(package: Path, tmp_path: Path) -> None:
    archive = _zipped(package, tmp_path / "k.zip")
    _damage(archive, "events.csv", "truncated")
    assert _codes(archive)[0][0] == "input.syntax"


# Problems past the cap are counted, not kept.


def test_a_million_bad_rows_are_counted_not_kept(tmp_path: Path) -> None:
    header = (DATA / "acled-sample.csv").read_text("utf-8").splitlines()[0]
    path = tmp_path / "bad.csv"
    path.write_text(header + "\n" + "x\n" * 3000, "utf-8")
    report = cd.validate_file(path, format="acled")
    assert len(report.errors) == 1000
    assert report.dropped == {"input.row": 2000}
    code, out, _ = _run("validate", str(path), "--format", "acled")
    assert code == 1
    assert "... and 2,000 more input.row problem(s)" in out
    assert out.count("[input.row]") == 1000
    code, _, err = _run("convert", str(path), str(tmp_path / "out.json"), "--from", "acled",
                        "--skip-invalid")  # fmt: skip
    assert code == 1
    assert "... and 2,000 more input.row problem(s)" in err


def test_a_package_of_many_bad_rows_is_counted_not_kept(package: Path) -> None:
    table = package / "event_tags.csv"
    table.write_text(table.read_text("utf-8") + "x\r\n" * 1500, "utf-8")
    report = cd.validate_file(package)
    assert len(report.errors) == 1000
    assert report.dropped == {"input.row": 500}


def test_a_lone_surrogate_in_a_member_name_is_escaped_when_printed(tmp_path: Path) -> None:
    path = tmp_path / "s.json"
    path.write_text(
        '{"schema_version": "1.1", "metadata": {"title": "t", "\\udc80x": 1},'
        ' "sources": [], "actors": [], "events": []}',
        "utf-8",
    )
    for output in ("text", "json"):
        raw = io.BytesIO()
        # A strict UTF-8 stream, as a terminal's is: a lone surrogate cannot be written.
        stdout = io.TextIOWrapper(raw, encoding="utf-8", errors="strict")
        code = main(["validate", str(path), "--output-format", output], stdout=stdout)
        stdout.flush()
        assert code == 1
        assert "\\udc80x" in raw.getvalue().decode("utf-8").replace("\\\\", "\\")


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX file modes")
def test_problems_in_copies_are_unaffected(package: Path, tmp_path: Path) -> None:
    copy = tmp_path / "copy"
    shutil.copytree(package, copy)
    assert cd.validate_file(copy).ok


@pytest.mark.skipif(sys.platform != "linux", reason="file names of any bytes")
def test_a_file_name_that_is_not_utf8_is_escaped_when_printed(tmp_path: Path) -> None:
    path = os.fsdecode(os.fsencode(tmp_path) + b"/\xffbad.json")
    Path(path).write_text('{"x": 1}', "utf-8")
    raw = io.BytesIO()
    stdout = io.TextIOWrapper(raw, encoding="utf-8", errors="strict")
    assert main(["validate", path], stdout=stdout) == 1
    stdout.flush()
    assert "\\udcffbad.json: " in raw.getvalue().decode("utf-8")


# Values the model cannot hold are refused by validation.


@pytest.fixture
def document() -> dict[str, Any]:
    data: dict[str, Any] = cd.to_dict(cd.examples.load("karabakh-2020"))
    return data


class _Count(int):
    def __str__(self) -> str:
        return "many"


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ({1, 2}, "input.type"),
        (b"bytes", "input.type"),
        (object(), "input.type"),
        (_Count(3), "input.type"),
        (float("nan"), "input.constant"),
        (float("-inf"), "input.constant"),
    ],
)
def test_validate_judges_python_values_that_are_not_json(
    document: dict[str, Any], value: object, code: str
) -> None:
    document["events"][0]["extensions"] = {"x": {"v": value}}
    report = cd.validate(document)
    assert [(p.code, p.pointer) for p in report.errors] == [(code, "/events/0/extensions/x/v")]


def test_validate_judges_a_member_name_that_is_not_a_string(
    document: dict[str, Any],
) -> None:
    document["metadata"][1] = "one"
    assert [(p.code, p.pointer) for p in cd.validate(document).errors] == [
        ("input.type", "/metadata")
    ]


@pytest.mark.parametrize("value", [{1}, b"x", float("nan"), [object()]])
def test_validate_never_raises_for_a_whole_value(value: object) -> None:
    assert not cd.validate(value).ok
    assert not cd.validate(value, "event").ok


def test_a_nan_coordinate_is_refused(document: dict[str, Any]) -> None:
    event = document["events"][3]
    event["location"]["lat"] = float("nan")
    report = cd.validate(event, "event")
    assert [(p.code, p.pointer) for p in report.errors] == [("input.constant", "/location/lat")]


@pytest.mark.parametrize("value", [2**53, -(2**53), 10**5000], ids=["2**53", "-2**53", "10**5000"])
def test_integers_beyond_2_53_are_refused_anywhere(document: dict[str, Any], value: int) -> None:
    event = document["events"][0]
    event["extensions"] = {"x": {"n": value}}
    assert [(p.code, p.pointer) for p in cd.validate(event, "event").errors] == [
        ("value.range", "/extensions/x/n")
    ]


def test_a_count_beyond_2_53_is_refused_by_the_schema(document: dict[str, Any]) -> None:
    event = document["events"][0]
    event["fatalities"] = {"best": 2**53}
    codes = [p.code for p in cd.validate(event, "event").errors]
    assert codes == ["schema.maximum"]
    event["fatalities"] = {"best": 2**53 - 1}
    assert cd.validate(event, "event").ok


@pytest.mark.parametrize(
    ("where", "value"),
    [
        ("identifiers", {"acled": "AZE\x001"}),
        ("identifiers", {"acled": "AZE\x1b[31m"}),
        ("extensions", {"acled": {"inter1\x07": "1"}}),
        ("extensions", {"acled": {"inter1": "1\ufffe"}}),
    ],
)
def test_control_characters_are_refused_in_every_string(
    document: dict[str, Any], where: str, value: dict[str, object]
) -> None:
    event = document["events"][0]
    event[where] = value
    assert [p.code for p in cd.validate(event, "event").errors] == ["text.control"]


def test_tabs_and_line_breaks_are_not_control_damage(document: dict[str, Any]) -> None:
    event = document["events"][0]
    event["extensions"] = {"acled": {"notes": "a\tb\r\nc"}}
    assert cd.validate(event, "event").ok


# Readers refuse cells the model cannot hold, with row and column.


def _row_file(tmp_path: Path, sample: str, old: str, new: str) -> Path:
    lines = (DATA / sample).read_text("utf-8").splitlines()
    assert old in lines[1]
    lines[1] = lines[1].replace(old, new, 1)
    path = tmp_path / sample
    path.write_text("\n".join(lines) + "\n", "utf-8")
    return path


@pytest.mark.parametrize(
    ("old", "new", "column"),
    [
        ("40.9925", "nan", "latitude"),
        ("40.9925", "NaN", "latitude"),
        ("45.6284", "inf", "longitude"),
        ("40.9925", "1e999", "latitude"),
        ("40.9925", "4_0.9925", "latitude"),
        (",12,", ",1_2,", "fatalities"),
        (",12,", ",\u0661\u0662,", "fatalities"),
        (",12,", f",{LONG},", "fatalities"),
        (",12,", ",99999999999999999999,", "fatalities"),
    ],
)
def test_acled_number_cells_are_strict(tmp_path: Path, old: str, new: str, column: str) -> None:
    path = _row_file(tmp_path, "acled-sample.csv", old, new)
    assert _codes(path, "acled") == [("input.cell", f"row 2, column {column}")]


@pytest.mark.parametrize(
    ("old", "new", "column"),
    [
        ("50.1,14.5", "nan,14.5", "latitude"),
        ("50.1,14.5", "50.1,-Infinity", "longitude"),
        (",5,7,5,", ",5,7,1_0,", "low"),
        (",5,7,5,", f",{LONG},7,5,", "best"),
    ],
)
def test_ucdp_number_cells_are_strict(tmp_path: Path, old: str, new: str, column: str) -> None:
    path = _row_file(tmp_path, "ucdp-sample.csv", old, new)
    assert ("input.cell", f"row 2, column {column}") in _codes(path, "ucdp")


_PLOVER = {"id": "T1", "date": "2020-09-27", "actor": [{"code": "AZE"}],
           "recipient": [{"code": "ARM"}], "event": ["ASSAULT"]}  # fmt: skip


@pytest.mark.parametrize(
    ("members", "member"),
    [
        ({"dead": True}, "dead"),
        ({"dead": 2.5}, "dead"),
        ({"dead": 2**60}, "dead"),
        ({"event": ""}, "event"),
        ({"event": [""]}, "event"),
        ({"event_loc": {"name": "X", "lat": "nan", "lon": 1}}, "event_loc"),
        ({"event_loc": {"name": "X", "lat": 10**400, "lon": 1}}, "event_loc"),  # float() overflows
        ({"event_loc": {"name": "X", "lat": "1e999", "lon": 1}}, "event_loc"),
    ],
)
def test_plover_members_the_model_cannot_hold_are_located(
    tmp_path: Path, members: dict[str, object], member: str
) -> None:
    path = tmp_path / "p.jsonl"
    path.write_text(json.dumps({**_PLOVER, **members}) + "\n", "utf-8")
    assert _codes(path, "plover") == [("input.cell", f"line 1, member {member}")]


@pytest.mark.parametrize("text", ['{"events": 5}', '{"foo": []}', "", "[]", '{"events": []}'])
def test_plover_files_without_records_are_errors(tmp_path: Path, text: str) -> None:
    path = tmp_path / "p.json"
    path.write_text(text, "utf-8")
    codes = [code for code, _ in _codes(path, "plover")]
    assert codes
    assert set(codes) <= {"input.structure", "input.empty"}
