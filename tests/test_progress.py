"""Streaming validation: the same report as before, progress as it reads, bounded memory."""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest

import conflictdata as cd
from conflictdata import _io, _progress, cli, formats

DATA = Path(__file__).parent / "data"

FIXTURES = [
    "acled-2016-api-pandas.csv",
    "acled-ambiguous-dates.csv",
    "acled-date-styles.csv",
    "acled-deletions.csv",
    "acled-legacy.csv",
    "acled-sample.csv",
    "acled-upper-r-export.csv",
    "plover-gold.json",
    "plover-gsr-2016.json",
    "plover-icews.jsonl",
    "plover-manual.jsonl",
    "plover-minimal.json",
    "ucdp-ged191-hdx-hxl.csv",
    "ucdp-ged191.csv",
    "ucdp-sample.csv",
    "v0.1/example-csv",
    "v0.1/example.json",
    "v0.1/example.jsonl",
    "v0.1/example.tei.xml",
    "v0.1/small-csv",
    "v0.1/small.tei.xml",
]


def _collected(path: Path, name: str) -> cd.Report:
    """The report as validate_file made it before it streamed: through collect()."""
    with _io.open_entries(formats.get(name), path) as entries:
        return _io.collect(entries, build_records=False)[0]


class _Calls:
    def __init__(self) -> None:
        self.calls: list[tuple[int, int | None]] = []

    def __call__(self, entries: int, position: int | None) -> None:
        self.calls.append((entries, position))


@pytest.mark.parametrize("fixture", FIXTURES)
def test_the_report_is_the_same_as_through_collect(fixture: str) -> None:
    path = DATA / fixture
    prefix = fixture.split("-", 1)[0]
    name = prefix if prefix in {"acled", "plover", "ucdp"} else formats.for_input(path).name
    calls = _Calls()
    streamed = cd.validate_file(path, format=name, progress=calls)
    assert streamed == _collected(path, name)
    assert streamed == cd.validate_file(path, format=name)
    assert calls.calls, "progress is called at least once, at the end"


def _broken(document: dict[str, Any]) -> dict[str, Any]:
    document["events"][2]["citations"][0]["source"] = "src-missing"
    document["events"][4]["when"] = {"start": "2020-07", "end": "2020-06-30"}
    document["events"][5]["status"] = "rumoured"
    document["events"][6]["id"] = document["events"][7]["id"]
    document["actors"][0]["kind"] = "warlord"
    return document


@pytest.mark.parametrize("name", ["json", "jsonl", "csv", "tei"])
def test_a_broken_file_reports_the_same_problems_and_places(
    tmp_path: Path, example_dict: dict[str, Any], name: str
) -> None:
    document = _broken(example_dict)
    fmt = formats.get(name)
    path = tmp_path / f"broken{fmt.suffixes[0] if fmt.suffixes and not fmt.directory else ''}"
    # Written without checks: a writer takes plain data as it is.
    assert fmt.writer is not None
    header = formats._base.header_of(document)
    if fmt.directory:
        writer = fmt.writer(path, header)
    else:
        stream = path.open("wb")
        writer = fmt.writer(stream, header)
    formats._base.write_document(writer, document)
    if not fmt.directory:
        stream.close()
    streamed = cd.validate_file(path, format=name, progress=_Calls())
    assert streamed == _collected(path, name)
    assert len(streamed.errors) >= 4
    assert all(p.location or p.pointer for p in streamed)


def test_progress_counts_entries_and_ends_at_the_file_size(
    tmp_path: Path, example: cd.Dataset
) -> None:
    path = tmp_path / "k.jsonl"
    cd.dump(example, path)
    calls = _Calls()
    cd.validate_file(path, progress=calls)
    # The end record is checked by the reader, not passed on as an entry.
    lines = len(path.read_bytes().splitlines()) - 1
    assert calls.calls[-1] == (lines, path.stat().st_size)
    csv = tmp_path / "k-csv"
    cd.dump(example, csv, format="csv")
    calls = _Calls()
    cd.validate_file(csv, format="csv", progress=calls)
    # A directory: a count, no bytes.
    assert calls.calls[-1][1] is None
    assert calls.calls[-1][0] > 0


def test_progress_is_called_every_so_many_entries(tmp_path: Path) -> None:
    path = _generated(tmp_path / "big.jsonl", 2 * _io.PROGRESS_EVERY)
    calls = _Calls()
    assert cd.validate_file(path, progress=calls).ok
    counts = [n for n, _ in calls.calls]
    assert counts[:2] == [_io.PROGRESS_EVERY, 2 * _io.PROGRESS_EVERY]
    positions = [p for _, p in calls.calls]
    assert all(p is not None for p in positions)
    assert positions == sorted(positions)  # type: ignore[type-var]
    assert positions[-1] == path.stat().st_size


def _generated(path: Path, events: int) -> Path:
    """A valid JSON Lines file of ``events`` events, written line by line."""
    document: dict[str, Any] = json.loads(cd.examples.path("karabakh-2020").read_text("utf-8"))
    template = next(e for e in document["events"] if not e.get("related"))
    with path.open("w", encoding="utf-8") as out:
        header = {"schema_version": document["schema_version"], "metadata": document["metadata"]}
        out.write(json.dumps({"record": "dataset", **header}) + "\n")
        for kind in ("source", "actor"):
            for record in document[f"{kind}s"]:
                out.write(json.dumps({"record": kind, **record}) + "\n")
        for i in range(events):
            out.write(json.dumps({"record": "event", **template, "id": f"gen-{i}"}) + "\n")
        counts = {"source": len(document["sources"]), "actor": len(document["actors"])}
        out.write(json.dumps({"record": "end", "counts": {**counts, "event": events}}) + "\n")
    return path


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_no_bar_when_stderr_is_not_a_terminal_or_quiet(tmp_path: Path) -> None:
    path = tmp_path / "k.jsonl"
    cd.dump(cd.examples.load("karabakh-2020"), path)
    assert not _progress.bar(io.StringIO(), "k", path, "jsonl", quiet=False).shown
    assert not _progress.bar(_Terminal(), "k", path, "jsonl", quiet=True).shown
    assert _progress.bar(_Terminal(), "k", path, "jsonl", quiet=False).shown
    out, err = io.StringIO(), io.StringIO()
    assert cli.main(["validate", str(path)], stdout=out, stderr=err) == 0
    assert err.getvalue() == ""


def test_the_bar_on_a_terminal_shows_a_percentage_and_changes_nothing_else(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _generated(tmp_path / "big.jsonl", 3 * _io.PROGRESS_EVERY)
    monkeypatch.setattr(_progress, "DELAY", 0.0)
    # Every update redrawn: a fast run would otherwise end before the first.
    monkeypatch.setattr(_progress, "REDRAW", 0.0)
    plain_out = io.StringIO()
    assert cli.main(["validate", str(path)], stdout=plain_out, stderr=io.StringIO()) == 0
    out, terminal = io.StringIO(), _Terminal()
    assert cli.main(["validate", str(path)], stdout=out, stderr=terminal) == 0
    # A percentage, and elapsed<remaining time.
    assert re.search(r"\d+%\|.*<", terminal.getvalue())
    assert "records" in terminal.getvalue()
    assert out.getvalue() == plain_out.getvalue()
    quiet = _Terminal()
    assert cli.main(["validate", "-q", str(path)], stdout=io.StringIO(), stderr=quiet) == 0
    assert quiet.getvalue() == ""
    info = _Terminal()
    assert cli.main(["info", str(path)], stdout=io.StringIO(), stderr=info) == 0
    assert "%" in info.getvalue()


def test_a_directory_counts_records(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "k-csv"
    cd.dump(cd.examples.load("karabakh-2020"), path, format="csv")
    monkeypatch.setattr(_progress, "DELAY", 0.0)
    terminal = _Terminal()
    assert cli.main(["validate", str(path)], stdout=io.StringIO(), stderr=terminal) == 0
    assert "records" in terminal.getvalue()
    assert "%" not in terminal.getvalue()


@pytest.mark.skipif(sys.platform == "win32", reason="pseudo-terminals are POSIX")
def test_a_pseudo_terminal_gets_a_percentage(tmp_path: Path) -> None:
    path = _generated(tmp_path / "big.jsonl", 2 * _io.PROGRESS_EVERY)
    primary, secondary = os.openpty()
    try:
        with open(secondary, "w", encoding="utf-8", closefd=False) as terminal:
            with _progress.bar(terminal, "big", path, "jsonl", quiet=False, delay=0) as bar:
                assert bar.shown
                cd.validate_file(path, progress=bar)
            terminal.flush()
        os.set_blocking(primary, False)
        shown = b""
        while True:
            try:
                chunk = os.read(primary, 65536)
            except BlockingIOError:
                break
            if not chunk:
                break
            shown += chunk
    finally:
        os.close(primary)
        os.close(secondary)
    assert re.search(rb"\d+%\|", shown)
    assert b"big" in shown


@pytest.mark.slow
def test_validating_a_large_jsonl_file_stays_in_bounded_memory(tmp_path: Path) -> None:
    # 60,000 events (~60 MB of JSON Lines): held whole, they take ~350 MB.
    path = _generated(tmp_path / "large.jsonl", 60_000)
    # The peak of the child's own memory: ru_maxrss would also count the
    # pytest worker's, which Linux carries over into a process it starts.
    child = textwrap.dedent(
        f"""
        import resource, sys
        from pathlib import Path
        import conflictdata as cd
        report = cd.validate_file({str(path)!r})
        assert report.ok, report
        status = Path("/proc/self/status")
        if status.exists():
            line = next(x for x in status.read_text().splitlines() if x.startswith("VmHWM:"))
            print(int(line.split()[1]) / 1024)
        else:
            peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
            print(peak / 1024 / (1024 if sys.platform == "darwin" else 1))
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", child], capture_output=True, text=True, check=True
    )
    peak_mib = float(done.stdout.split()[-1])
    assert peak_mib < 150, f"peak RSS {peak_mib:.0f} MiB"
