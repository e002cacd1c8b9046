"""Diff throughput: two JSON Lines files of N generated events, about 1% changed, added, removed.

Writes the older file and a newer one in which every hundredth event is
removed, every hundredth (another one) changed and one in a hundred new
events is added, then runs ``cd.diff`` on the two paths (streamed against a
temporary SQLite index) and on the two documents read into memory (a dict
index), each in a fresh process, and prints records/s (records of both
inputs) and each process's peak RSS.
Run: ``python benchmarks/diff.py [N ...]`` (default 200,000).
"""

from __future__ import annotations

import json
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import conflictdata as cd
from _data import actors, event, sources


def _line(kind: str, record: dict[str, Any]) -> str:
    return json.dumps({"record": kind, **record}, ensure_ascii=False) + "\n"


def write_pair(older: Path, newer: Path, count: int) -> int:
    """The two files; returns how many records they hold together."""
    rng = random.Random(2020)
    header = {"record": "dataset", "schema_version": "1.1", "metadata": {"title": "Benchmark"}}
    records = 0
    with older.open("w", encoding="utf-8") as a, newer.open("w", encoding="utf-8") as b:
        for out in (a, b):
            out.write(json.dumps(header) + "\n")
            for kind, items in (("source", sources()), ("actor", actors())):
                out.writelines(_line(kind, item) for item in items)
                records += len(items)
        for i in range(count):
            record = event(i, rng)
            a.write(_line("event", record))
            records += 1
            if i % 100 == 0:
                continue
            if i % 100 == 1:
                record = {**record, "status": "disputed", "fatalities": {"best": 9}}
            b.write(_line("event", record))
            records += 1
            if i % 100 == 2:
                b.write(_line("event", {**event(count + i, rng), "id": f"evt-new-{i}"}))
                records += 1
    return records


def _read_plain(path: Path) -> dict[str, Any]:
    document: dict[str, Any] = {"sources": [], "actors": [], "events": []}
    with path.open(encoding="utf-8") as stream:
        for line in stream:
            data = json.loads(line)
            kind = data.pop("record")
            if kind == "dataset":
                document.update(data)
            else:
                document[kind + "s"].append(data)
    return document


def run(mode: str, older: str, newer: str) -> None:
    """Diff the two files (``paths`` or ``memory``); print time, RSS and counts as JSON."""
    start = time.perf_counter()
    if mode == "paths":
        changes = cd.diff(older, newer)
    else:
        changes = cd.diff(_read_plain(Path(older)), _read_plain(Path(newer)))
    elapsed = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    counts = [len(changes.added), len(changes.removed), len(changes.changed)]
    print(json.dumps({"seconds": elapsed, "rss": peak, "counts": counts}))


def measure(count: int, records: int, mode: str, older: Path, newer: Path) -> None:
    """Run one diff in a fresh process and print its figures."""
    result = subprocess.run(  # noqa: S603 - this script, on files it made
        [sys.executable, __file__, "--run", mode, str(older), str(newer)],
        check=True,
        capture_output=True,
        text=True,
    )
    figures = json.loads(result.stdout)
    rate = records / figures["seconds"]
    added, removed, changed = figures["counts"]
    print(
        f"{count:>8,}  {mode:<7} {rate:>10,.0f} {figures['seconds']:>8.1f} s"
        f" {figures['rss']:>7,.0f} MiB   +{added:,} -{removed:,} ~{changed:,}",
        flush=True,
    )


def main() -> None:
    """Generate the inputs and measure each way of diffing in its own process."""
    if sys.argv[1:2] == ["--run"]:
        run(*sys.argv[2:5])
        return
    counts = [int(a) for a in sys.argv[1:]] or [200_000]
    print(f"Python {sys.version.split()[0]}; each diff in a fresh process")
    print(f"{'events':>8}  {'index':<7} {'records/s':>10} {'time':>10} {'peak RSS':>11}   changes")
    with tempfile.TemporaryDirectory() as directory:
        for count in counts:
            older = Path(directory) / f"older-{count}.jsonl"
            newer = Path(directory) / f"newer-{count}.jsonl"
            records = write_pair(older, newer, count)
            for mode in ("paths", "memory"):
                measure(count, records, mode, older, newer)


if __name__ == "__main__":
    main()
