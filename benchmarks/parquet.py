"""Parquet at scale: JSON Lines -> Parquet against JSON Lines -> JSON Lines, and a DuckDB query.

Writes a JSON Lines file of N generated events (default 200,000) over ten
years and eight countries, converts it to JSON Lines and to Parquet, each
in a fresh process, and prints each conversion's time, CPU time and peak
RSS, and the ratio of the times. The two conversions take turns,
``--repeat`` rounds of them (default 5): a shared machine's speed moves
from one minute to the next, so each ratio compares neighbours, and the
median ratio is the figure. Then writes a Parquet dataset of M events
(default 1,000,000) and times a country-month fatality query over it in
DuckDB. Run: ``python benchmarks/parquet.py [N [M]] [--repeat R]``.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import conflictdata as cd
from _data import actors, event, sources, write_jsonl
from conflictdata.formats.parquet._writer import DatasetWriter

COUNTRIES = ["AZ", "AM", "GE", "UA", "SY", "ML", "MM", "CO"]
QUERY = """
SELECT location.country AS country, substr("when".start, 1, 7) AS month,
       sum(fatalities.best) AS killed, count(*) AS events
FROM read_parquet(?, hive_partitioning = true)
GROUP BY ALL ORDER BY ALL
"""


def spread_events(count: int) -> Iterator[dict[str, Any]]:
    """``count`` generated events, spread over 2015-2024 and eight countries."""
    rng = random.Random(2020)
    for i in range(count):
        record = event(i, rng)
        year = 2015 + rng.randrange(10)
        record["when"] = {"start": f"{year}{record['when']['start'][4:]}"}
        record["location"]["country"] = rng.choice(COUNTRIES)
        yield record


def write_input(path: Path, count: int) -> None:
    """A JSON Lines file of ``count`` events, written line by line."""
    write_jsonl(path, spread_events(count), version="1.1")


def convert(source: str, target: str) -> None:
    """Stream ``source`` into ``target``; print the time and peak RSS as JSON."""
    start = time.perf_counter()
    cd.convert(source, target)
    elapsed = time.perf_counter() - start
    usage = resource.getrusage(resource.RUSAGE_SELF)
    # CPU time as well: on a shared machine the wall clock measures the neighbours.
    cpu = usage.ru_utime + usage.ru_stime
    print(json.dumps({"seconds": elapsed, "cpu": cpu, "rss": usage.ru_maxrss / 1024}))


def measure(source: Path, target: Path) -> dict[str, float]:
    """Run one conversion in a fresh process; its figures."""
    result = subprocess.run(  # noqa: S603 - this script, on files it made
        [sys.executable, __file__, "--convert", str(source), str(target)],
        check=True,
        capture_output=True,
        text=True,
    )
    figures: dict[str, float] = json.loads(result.stdout)
    return figures


def query(directory: Path, count: int) -> None:
    """Write ``count`` events as Parquet (unvalidated: the data is known good), time a query."""
    import duckdb  # noqa: PLC0415 - an optional dependency

    target = directory / f"{count}.parquet"
    start = time.perf_counter()
    writer = DatasetWriter(target, {"schema_version": "1.1", "metadata": {"title": "Benchmark"}})
    for kind, records in (("source", sources()), ("actor", actors())):
        for record in records:
            writer.write(kind, record)
    for record in spread_events(count):
        writer.write("event", record)
    writer.close()
    written = time.perf_counter() - start
    size = sum(p.stat().st_size for p in target.rglob("*.parquet")) / 1024**2
    print(f"wrote {count:,} events as Parquet in {written:.1f} s ({size:,.0f} MiB)")
    glob = f"{target}/events/**/*.parquet"
    connection = duckdb.connect()
    timings = []
    for _ in range(3):
        start = time.perf_counter()
        rows = connection.execute(QUERY, [glob]).fetchall()
        timings.append(time.perf_counter() - start)
    print(
        f"DuckDB country-month fatalities over {count:,} events: {len(rows)} rows, "
        f"best of 3 {min(timings):.3f} s (first {timings[0]:.3f} s)"
    )


def main() -> None:
    """Generate the inputs and measure each step."""
    if sys.argv[1:2] == ["--convert"]:
        convert(*sys.argv[2:4])
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("count", nargs="?", type=int, default=200_000, help="events converted")
    parser.add_argument("large", nargs="?", type=int, default=1_000_000, help="events queried")
    parser.add_argument("--repeat", type=int, default=5, help="rounds of both conversions")
    options = parser.parse_args()
    count = options.count
    print(f"Python {sys.version.split()[0]}; each conversion in a fresh process")
    with tempfile.TemporaryDirectory() as name:
        directory = Path(name)
        source = directory / "in.jsonl"
        write_input(source, count)
        ratios, cpus, peak = [], [], 0.0
        for round_ in range(1, options.repeat + 1):
            jsonl = measure(source, directory / f"out-{round_}.jsonl")
            parquet = measure(source, directory / f"out-{round_}.parquet")
            for label, figures in (("jsonl -> jsonl", jsonl), ("jsonl -> parquet", parquet)):
                rate = count / figures["seconds"]
                print(
                    f"{round_:>2} {count:>9,} events  {label:<17} {figures['seconds']:>6.1f} s "
                    f"(CPU {figures['cpu']:>5.1f} s) {rate:>8,.0f} events/s  "
                    f"peak RSS {figures['rss']:>4,.0f} MiB"
                )
            ratios.append(parquet["seconds"] / jsonl["seconds"])
            cpus.append(parquet["cpu"] / jsonl["cpu"])
            peak = max(peak, parquet["rss"])
            print(f"   parquet / jsonl: {ratios[-1]:.2f}x the time, {cpus[-1]:.2f}x the CPU time")
            for path in directory.glob(f"out-{round_}.*"):
                shutil.rmtree(path) if path.is_dir() else path.unlink()
        print(
            f"parquet / jsonl over {len(ratios)} rounds: median {statistics.median(ratios):.2f}x "
            f"the time (from {min(ratios):.2f} to {max(ratios):.2f}), "
            f"{statistics.median(cpus):.2f}x the CPU time; peak RSS {peak:,.0f} MiB"
        )
        query(directory, options.large)


if __name__ == "__main__":
    main()
