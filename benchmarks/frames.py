"""DataFrames from a file: JSON Lines -> validate -> pandas, polars and Arrow tables.

Writes a JSON Lines file of N generated events (default 100,000), then in a
fresh process per row builds the table and prints events/s and the
process's peak RSS. Run: ``python benchmarks/frames.py [N]``.
"""

from __future__ import annotations

import importlib
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import conflictdata as cd
from _data import events, write_jsonl

#: Row label -> (function, table), or "load" for cd.load then to_pandas.
RUNS = {
    "to_pandas (events)": ("to_pandas", "events"),
    "to_polars (events)": ("to_polars", "events"),
    "to_arrow (events)": ("to_arrow", "events"),
    "to_pandas (all tables)": ("to_pandas", "all"),
    "load, then to_pandas": ("load", "events"),
}


def write_input(path: Path, count: int) -> None:
    """A JSON Lines file of ``count`` events, written line by line."""
    write_jsonl(path, events(count), version="1.1")


def run(function: str, table: str, source: str) -> None:
    """Build one table of ``source``; print the time, the rows and the peak RSS as JSON."""
    # The library's import (a second or more for pandas) is not the conversion.
    importlib.import_module({"to_polars": "polars", "to_arrow": "pyarrow"}.get(function, "pandas"))
    start = time.perf_counter()
    if function == "load":
        frame = cd.to_pandas(cd.load(source), table)
    else:
        frame = getattr(cd, function)(source, table)
    elapsed = time.perf_counter() - start
    events = frame["events"] if table == "all" else frame
    rows = events.num_rows if function == "to_arrow" else len(events)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"seconds": elapsed, "rows": rows, "rss": peak}))


def main(count: int) -> None:
    """Write the input, then time each row in its own process."""
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "events.jsonl"
        write_input(source, count)
        size = source.stat().st_size / 1024**2
        print(f"{count:,} events, {size:,.0f} MiB of JSON Lines, Python {sys.version.split()[0]}")
        for label, (function, table) in RUNS.items():
            result = subprocess.run(  # noqa: S603 - this script, on a file it made
                [sys.executable, __file__, "--run", function, table, str(source)],
                capture_output=True,
                text=True,
                check=True,
            )
            figures = json.loads(result.stdout)
            assert figures["rows"] == count, figures  # noqa: S101 - a wrong table is no figure
            rate = count / figures["seconds"]
            print(
                f"{label:<26} {rate:>9,.0f} events/s  ({figures['seconds']:.2f} s)"
                f"   peak RSS {figures['rss']:,.0f} MiB"
            )


if __name__ == "__main__":
    if sys.argv[1:2] == ["--run"]:
        run(*sys.argv[2:5])
    else:
        main(int(sys.argv[1]) if len(sys.argv) > 1 else 100_000)
