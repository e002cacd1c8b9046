"""Formats are plug-ins: built-in ones are entry points, and a third party's works everywhere."""

from __future__ import annotations

import importlib.metadata
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest

import conflictdata as cd
from conflictdata import cli, formats

from .test_cli import run

PLUGIN = textwrap.dedent(
    '''
    """A third party's format: one record per line, ``kind<TAB>json``."""

    import json

    from conflictdata.formats import Format


    def read(stream):
        for number, raw in enumerate(stream, start=1):
            kind, _, text = raw.decode("utf-8").rstrip("\\n").partition("\\t")
            yield kind, json.loads(text), f"line {number}", False


    class Writer:
        def __init__(self, stream, header):
            self.stream = stream
            self.write("dataset", header)

        def write(self, kind, data):
            line = kind + "\\t" + json.dumps(data, ensure_ascii=False) + "\\n"
            self.stream.write(line.encode("utf-8"))

        def close(self):
            return []

        def abort(self):
            pass


    FORMAT = Format(
        name="tabbed",
        description="kind, a tab, the record as JSON",
        lossless=True,
        suffixes=(".tabbed",),
        reader=read,
        writer=Writer,
    )
    '''
)


@pytest.fixture
def plugin(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A distribution ``tabbed-plugin`` on ``sys.path`` that registers the format ``tabbed``."""
    site = tmp_path / "site"
    site.mkdir()
    (site / "tabbed_plugin.py").write_text(PLUGIN, "utf-8")
    info = site / "tabbed_plugin-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: tabbed-plugin\nVersion: 1.0\n")
    (info / "entry_points.txt").write_text(
        "[conflictdata.formats]\ntabbed = tabbed_plugin:FORMAT\n", "utf-8"
    )
    monkeypatch.syspath_prepend(str(site))
    formats._entry_points.cache_clear()
    formats._load.cache_clear()
    yield site
    formats._entry_points.cache_clear()
    formats._load.cache_clear()


def test_every_built_in_format_is_an_entry_point() -> None:
    registered = {e.name for e in importlib.metadata.entry_points(group=formats.GROUP)}
    built_in = {"json", "jsonl", "csv", "csv-flat", "tei", "acled", "ucdp", "plover", "geojson"}
    assert built_in <= registered
    for name in built_in:
        assert formats.get(name).name == name


def test_a_third_party_format_works_through_load_dump_convert_and_the_cli(
    plugin: Path, tmp_path: Path, example: cd.Dataset
) -> None:
    assert "tabbed" in formats.names()
    assert formats.for_path("x.tabbed").name == "tabbed"
    target = tmp_path / "karabakh.tabbed"
    cd.dump(example, target)
    assert cd.load(target) == example
    jsonl = tmp_path / "karabakh.jsonl"
    cd.convert(target, jsonl)
    assert cd.load(jsonl) == example
    back = tmp_path / "back.tabbed"
    result = run("convert", str(jsonl), str(back))
    assert result.code == cli.EXIT_OK, result.err
    assert back.read_bytes() == target.read_bytes()
    assert run("validate", str(back)).code == cli.EXIT_OK
    assert "tabbed" in run("convert", "--help").out


def test_a_bad_registration_is_a_clear_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = tmp_path / "site"
    (site / "broken_plugin-1.0.dist-info").mkdir(parents=True)
    (site / "broken_plugin.py").write_text("FORMAT = 'not a format'\n", "utf-8")
    (site / "broken_plugin-1.0.dist-info" / "METADATA").write_text(
        "Metadata-Version: 2.1\nName: broken-plugin\nVersion: 1.0\n"
    )
    (site / "broken_plugin-1.0.dist-info" / "entry_points.txt").write_text(
        "[conflictdata.formats]\nbroken = broken_plugin:FORMAT\n"
    )
    monkeypatch.syspath_prepend(str(site))
    formats._entry_points.cache_clear()
    formats._load.cache_clear()
    try:
        with pytest.raises(cd.UnknownFormatError, match=r"is not a conflictdata\.formats\.Format"):
            formats.get("broken")
    finally:
        formats._entry_points.cache_clear()
        formats._load.cache_clear()


def test_import_is_light() -> None:
    code = (
        "import sys, conflictdata\n"
        "heavy = [m for m in ('lxml', 'jsonschema', 'sqlite3', 'cattrs.preconf') "
        "if m in sys.modules]\n"
        "print(heavy)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "[]"
