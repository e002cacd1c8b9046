"""load/dump for JSON: strict reading, atomic writing, nothing overwritten."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given

import conflictdata as cd
from conflictdata import formats
from conflictdata.formats import json as json_format

from . import strategies as st


def _write(path: Path, text: str | bytes) -> Path:
    if isinstance(text, str):
        path.write_text(text, "utf-8")
    else:
        path.write_bytes(text)
    return path


def _problem(path: Path) -> cd.Problem:
    with pytest.raises(cd.DataValidationError) as info:
        cd.load(path)
    assert str(path) in str(info.value)
    (problem,) = info.value.report
    return problem


def test_example_round_trips_through_a_file(tmp_path: Path, example: cd.Dataset) -> None:
    target = tmp_path / "karabakh.json"
    cd.dump(example, target)
    assert cd.load(target) == example
    assert json.loads(target.read_text("utf-8")) == cd.to_dict(example)


@given(st.datasets())
def test_any_dataset_round_trips_through_json_text(dataset: cd.Dataset) -> None:
    assert cd.loads(cd.dumps(dataset)) == dataset


def test_json_text_is_readable_utf8(example: cd.Dataset) -> None:
    text = cd.dumps(example)
    assert "İlham Əliyev" in text
    assert text.endswith("}\n")


@pytest.mark.parametrize(
    ("content", "code", "location"),
    [
        ('{"a": 1, "a": 2}', "input.duplicate-key", None),
        ('{"best": NaN}', "input.constant", None),
        ('{"best": Infinity}', "input.constant", None),
        # Python 3.13 points at the comma, earlier versions just after it.
        ('{"a": [1, 2,]}', "input.syntax", r"line 1, column 1[23]"),
        ('{\n  "a": 1\n  "b": 2\n}', "input.syntax", r"line 3, column 3"),
        ("", "input.syntax", r"line 1, column 1"),
        (b'{"a": "\xff"}', "input.encoding", r"byte 7"),
        ('{"a": "\\ud800"}', "input.encoding", None),
        ("[" * 100 + "]" * 100, "schema.type", None),
        ("[" * 100_000 + "]" * 100_000, "input.depth", None),
    ],
)
def test_malformed_json_is_a_clear_error(
    tmp_path: Path, content: str | bytes, code: str, location: str | None
) -> None:
    problem = _problem(_write(tmp_path / "bad.json", content))
    assert problem.code == code
    if location is None:
        assert problem.location is None
    else:
        assert problem.location is not None
        assert re.fullmatch(location, problem.location)


def test_deep_extension_data_in_a_file_is_refused(
    tmp_path: Path, example_dict: dict[str, Any]
) -> None:
    example_dict["events"][0]["extensions"] = {"x": json.loads("[" * 80 + "]" * 80)}
    problem = _problem(_write(tmp_path / "deep.json", json.dumps(example_dict)))
    assert (problem.code, problem.pointer) == ("input.depth", "/events/0/extensions/x" + "/0" * 60)


def test_escaped_deep_text_is_normalised_and_depth_checked(tmp_path: Path) -> None:
    content = '{"a": "\\u00e9", "b": ' + "[" * 80 + "]" * 80 + "}"
    assert _problem(_write(tmp_path / "deep.json", content)).code == "input.depth"


def test_a_bom_is_tolerated(tmp_path: Path, example: cd.Dataset) -> None:
    path = _write(tmp_path / "bom.json", b"\xef\xbb\xbf" + cd.dumps(example).encode())
    assert cd.load(path) == example


def test_text_is_normalised_to_nfc_on_reading(
    tmp_path: Path, example_dict: dict[str, Any]
) -> None:
    example_dict["events"][0]["title"] = "Cafe\u0301"
    path = _write(tmp_path / "nfd.json", json.dumps(example_dict))
    assert cd.load(path).events[0].title == "Caf\u00e9"


def test_invalid_data_raises_with_the_whole_report(
    tmp_path: Path, example_dict: dict[str, Any]
) -> None:
    example_dict["events"][0]["type"] = "FIGHT"
    example_dict["events"][1]["status"] = "likely"
    path = _write(tmp_path / "invalid.json", json.dumps(example_dict))
    with pytest.raises(cd.DataValidationError) as info:
        cd.load(path)
    assert isinstance(info.value, ValueError)
    assert [p.pointer for p in info.value.report] == ["/events/0/type", "/events/1/status"]


def test_warnings_do_not_stop_loading(tmp_path: Path, example_dict: dict[str, Any]) -> None:
    example_dict["events"][0]["fatalities"] = {"low": 18, "best": 18, "high": 17}
    path = _write(tmp_path / "warn.json", json.dumps(example_dict))
    assert cd.load(path).events[0].fatalities == cd.Fatalities(low=18, best=18, high=17)


def test_dump_refuses_to_overwrite(tmp_path: Path, example: cd.Dataset) -> None:
    source = tmp_path / "karabakh.json"
    cd.dump(example, source)
    before = source.read_bytes()
    loaded = cd.load(source)
    smaller = cd.Dataset(metadata=loaded.metadata)
    with pytest.raises(FileExistsError, match="overwrite=True"):
        cd.dump(smaller, source)
    assert source.read_bytes() == before
    cd.dump(smaller, source, overwrite=True)
    assert cd.load(source) == smaller


def test_a_failed_dump_leaves_no_file_and_the_old_one_intact(
    tmp_path: Path, example: cd.Dataset, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "out.json"
    target.write_text("previous", "utf-8")

    def explode(self: Any, _kind: str, _data: Any) -> None:
        self._stream.write(b'{"half": ')
        raise OSError("disk full")

    monkeypatch.setattr(json_format.Writer, "write", explode)
    with pytest.raises(OSError, match="disk full"):
        cd.dump(example, target, overwrite=True)
    assert target.read_text("utf-8") == "previous"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.json"]


def test_written_files_get_ordinary_permissions(tmp_path: Path, example: cd.Dataset) -> None:
    target = tmp_path / "out.json"
    cd.dump(example, target)
    umask = os.umask(0)
    os.umask(umask)
    assert target.stat().st_mode & 0o777 == 0o666 & ~umask


def test_formats_are_found_by_name_and_extension() -> None:
    assert formats.for_path("a/b/KARABAKH.JSON").name == "json"
    assert formats.get("JSON").name == "json"
    assert formats.for_path("k.tei.xml").name == "tei"
    assert formats.for_path("k.xml").name == "tei"
    known = (
        "known formats: acled, csv, csv-flat, gdelt, geojson, icews, json, jsonl, parquet, "
        "plover, tei, ucdp"
    )
    with pytest.raises(cd.UnknownFormatError, match=known):
        formats.get("yaml")
    with pytest.raises(cd.UnknownFormatError, match="cannot tell the format"):
        formats.for_path("notes.txt")


def test_load_names_unknown_formats_before_reading(tmp_path: Path) -> None:
    with pytest.raises(cd.UnknownFormatError):
        cd.load(tmp_path / "missing.yaml")
    with pytest.raises(FileNotFoundError):
        cd.load(tmp_path / "missing.json")
