"""Streaming conversion in bounded memory: JSON Lines -> validate -> CSV, TEI, GeoJSON.

Writes a JSON Lines file of N generated events (default: 50,000 and
200,000), then converts it in a fresh process per path, then reads the TEI
file back into JSON Lines, and prints events/s and each process's peak RSS.
Run: ``python benchmarks/stream.py [N ...]``.
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

import conflictdata as cd
from _data import actors, event, sources

TARGETS = {
    "csv package": "out",
    "csv zip": "out.zip",
    "geojson": "out.geojson",
    "jsonl": "out.jsonl",
    "tei": "out.tei.xml",
}


def write_input(path: Path, count: int) -> None:
    """A JSON Lines file of ``count`` events, written line by line."""
    rng = random.Random(2020)
    with path.open("w", encoding="utf-8") as out:
        header = {"record": "dataset", "schema_version": "1.0", "metadata": {"title": "Benchmark"}}
        out.write(json.dumps(header) + "\n")
        for kind, records in (("source", sources()), ("actor", actors())):
            for record in records:
                out.write(json.dumps({"record": kind, **record}, ensure_ascii=False) + "\n")
        for i in range(count):
            line = json.dumps({"record": "event", **event(i, rng)}, ensure_ascii=False)
            out.write(line + "\n")


def convert(source: str, target: str, from_format: str | None = None) -> None:
    """Stream ``source`` into ``target``; print the time and peak RSS as JSON."""
    start = time.perf_counter()
    cd.convert(source, target, from_format=from_format)
    elapsed = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"seconds": elapsed, "rss": peak}))


def measure(
    count: int, label: str, source: Path, target: Path, from_format: str | None = None
) -> None:
    """Run one conversion in a fresh process and print its figures."""
    extra = [from_format] if from_format else []
    result = subprocess.run(  # noqa: S603 - this script, on files it made
        [sys.executable, __file__, "--convert", str(source), str(target), *extra],
        check=True,
        capture_output=True,
        text=True,
    )
    figures = json.loads(result.stdout)
    rate = count / figures["seconds"]
    print(f"{count:>8,}  {label:<12} {rate:>10,.0f} {figures['rss']:>7,.0f} MiB", flush=True)


def main() -> None:
    """Generate the inputs and measure each conversion in its own process."""
    if sys.argv[1:2] == ["--convert"]:
        convert(*sys.argv[2:5])
        return
    counts = [int(a) for a in sys.argv[1:]] or [50_000, 200_000]
    print(f"Python {sys.version.split()[0]}; each conversion in a fresh process")
    print(f"{'events':>8}  {'path':<12} {'events/s':>10} {'peak RSS':>10}")
    with tempfile.TemporaryDirectory() as directory:
        for count in counts:
            source = Path(directory) / f"in-{count}.jsonl"
            write_input(source, count)
            for label, name in TARGETS.items():
                measure(count, label, source, Path(directory) / f"{count}-{name}")
            tei = Path(directory) / f"{count}-{TARGETS['tei']}"
            measure(count, "tei -> jsonl", tei, Path(directory) / f"{count}-back.jsonl")


if __name__ == "__main__":
    main()
