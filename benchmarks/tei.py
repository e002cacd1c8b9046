"""JSON Lines -> TEI: events/s and peak RSS, each conversion in a fresh process.

Writes a JSON Lines file of N generated events (default: 50,000, 200,000
and 1,000,000), converts it to TEI in a fresh process, and prints events/s
and that process's peak RSS: RSS should stay flat as N grows.
Run: ``python benchmarks/tei.py [N ...]``.
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import conflictdata as cd
from _data import events, write_jsonl


def write_input(path: Path, count: int) -> None:
    """A JSON Lines file of ``count`` events, written line by line."""
    write_jsonl(path, events(count))


def convert(source: str, target: str) -> None:
    """Convert ``source`` into ``target``; print the time and peak RSS as JSON."""
    start = time.perf_counter()
    cd.convert(source, target)
    elapsed = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"seconds": elapsed, "rss": peak}))


def main() -> None:
    """Generate each input, convert it in its own process, print the figures."""
    if sys.argv[1:2] == ["--convert"]:
        convert(*sys.argv[2:4])
        return
    counts = [int(a) for a in sys.argv[1:]] or [50_000, 200_000, 1_000_000]
    print(f"Python {sys.version.split()[0]}; JSON Lines -> TEI, each in a fresh process")
    print(f"{'events':>9}  {'events/s':>10} {'peak RSS':>12}")
    with tempfile.TemporaryDirectory() as directory:
        for count in counts:
            source = Path(directory) / f"in-{count}.jsonl"
            target = Path(directory) / f"out-{count}.tei.xml"
            write_input(source, count)
            result = subprocess.run(  # noqa: S603 - this script, on files it made
                [sys.executable, __file__, "--convert", str(source), str(target)],
                check=True,
                capture_output=True,
                text=True,
            )
            figures = json.loads(result.stdout)
            rate = count / figures["seconds"]
            print(f"{count:>9,}  {rate:>10,.0f} {figures['rss']:>8,.0f} MiB", flush=True)
            source.unlink()
            target.unlink()


if __name__ == "__main__":
    main()
