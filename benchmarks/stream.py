"""Streaming conversion against the floor of reading and writing the same lines with orjson.

Writes a JSON Lines file of N generated events (default 200,000) and an
ACLED CSV of N rows, then, each in a fresh process: the floor (every line
through ``orjson.dumps(orjson.loads(line))`` and nothing else), JSON Lines
to JSON Lines, to a CSV package and to TEI, and ACLED to JSON Lines. Each
conversion is printed as events/s and as a multiple of the floor measured
in the same run (the machine is shared, so only those ratios compare from
run to run; each conversion runs ``--repeat`` times, default 3, each time
after a run of the floor, and is compared with the fastest floor of its own
rounds). Then the peak RSS of every conversion at each ``--rss`` size
(default 50,000, 200,000 and 1,000,000), and its growth from the first size
to the last.

Run: ``python benchmarks/stream.py [--events N] [--rss N ...]``.
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import orjson

import conflictdata as cd
from _data import events, write_jsonl

#: The conversions measured, as (label, input, output name).
CONVERSIONS = (
    ("JSON Lines -> JSON Lines", "jsonl", "out.jsonl"),
    ("JSON Lines -> CSV package", "jsonl", "out"),
    ("JSON Lines -> TEI", "jsonl", "out.tei.xml"),
    ("ACLED CSV -> JSON Lines", "acled", "acled-out.jsonl"),
)


def write_input(path: Path, count: int) -> None:
    """A JSON Lines file of ``count`` events, written line by line."""
    write_jsonl(path, events(count))


def floor(source: str, target: str) -> None:
    """Read and write every line with orjson alone; print the time as JSON."""
    start = time.perf_counter()
    with Path(source).open("rb") as lines, Path(target).open("wb") as out:
        for line in lines:  # noqa: FURB122 - a write per line, as the writers do
            out.write(orjson.dumps(orjson.loads(line)) + b"\n")
    _figures(start)


def convert(source: str, target: str, from_format: str) -> None:
    """Stream ``source`` into ``target``; print the time, records and peak RSS as JSON."""
    start = time.perf_counter()
    cd.convert(source, target, from_format=from_format or None, overwrite=True)
    _figures(start)


def _figures(start: float) -> None:
    elapsed = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"seconds": elapsed, "rss": peak}))


def run(*arguments: str) -> dict[str, float]:
    """One step in a fresh process; its figures."""
    result = subprocess.run(  # noqa: S603 - this script, on files it made
        [sys.executable, __file__, *arguments], check=True, capture_output=True, text=True
    )
    figures: dict[str, float] = json.loads(result.stdout.splitlines()[-1])
    return figures


def measure(
    count: int, label: str, source: Path, target: Path, from_format: str | None = None
) -> None:
    """Run one conversion in a fresh process and print its rate and peak RSS."""
    figures = run("--convert", str(source), str(target), from_format or "")
    rate = count / figures["seconds"]
    print(f"{count:>8,}  {label:<12} {rate:>10,.0f} {figures['rss']:>7,.0f} MiB", flush=True)


def speeds(folder: Path, count: int, repeat: int) -> None:
    """Print each conversion's rate and its multiple of the floor, at ``count`` events."""
    from interop import write_input as write_acled  # noqa: PLC0415 - see main()

    source, acled_source = folder / "in.jsonl", folder / "in.csv"
    write_input(source, count)
    write_acled(acled_source, count)
    # Records: the header line does not count, sources and actors do.
    records = sum(1 for _ in source.open("rb")) - 1
    # The floor runs again before each run of a conversion, and each
    # conversion is compared with the floors of its own rounds: the machine
    # is shared, and a slow spell slows both alike. The best of several runs
    # counts: one slow run of the floor would flatter a ratio, one of a
    # conversion would wrong it.
    floor_args = ("--floor", str(source), str(folder / "floor.jsonl"))
    results = []
    for label, kind, name in CONVERSIONS:
        given = acled_source if kind == "acled" else source
        floors, runs = [], []
        for _ in range(repeat):
            floors.append(run(*floor_args))
            runs.append(run("--convert", str(given), str(folder / name), kind))
        results.append((label, kind, floors, runs))
    base = min((f for *_, floors, _ in results for f in floors), key=lambda f: f["seconds"])
    print(f"{'step':<28} {'records/s':>10} {'x floor':>8} {'peak RSS':>10}")
    floor_rate = records / base["seconds"]
    print(f"{'orjson floor':<28} {floor_rate:>10,.0f} {1:>8.1f} {base['rss']:>6,.0f} MiB")
    for label, kind, floors, runs in results:
        fastest = min(runs, key=lambda f: f["seconds"])
        # An ACLED row counts once, like an event (actors and sources come with it).
        rate = (count if kind == "acled" else records) / fastest["seconds"]
        ratio = records / min(f["seconds"] for f in floors) / rate
        print(f"{label:<28} {rate:>10,.0f} {ratio:>8.1f} {fastest['rss']:>6,.0f} MiB")


def memory(folder: Path, sizes: list[int]) -> None:
    """Print each conversion's peak RSS at each size, and its growth from the first to the last."""
    from interop import write_input as write_acled  # noqa: PLC0415 - see main()

    print("peak RSS by input size (events, or ACLED rows), each in a fresh process")
    print(f"{'step':<28}" + "".join(f"{size:>12,}" for size in sizes) + f"{'growth':>9}")
    peaks: dict[str, list[float]] = {label: [] for label, _, _ in CONVERSIONS}
    for size in sizes:
        sized = {"jsonl": folder / f"rss-{size}.jsonl", "acled": folder / f"rss-{size}.csv"}
        write_input(sized["jsonl"], size)
        write_acled(sized["acled"], size)
        for label, kind, name in CONVERSIONS:
            target = folder / f"rss-{size}-{name}"
            figures = run("--convert", str(sized[kind]), str(target), kind)
            peaks[label].append(figures["rss"])
            shutil.rmtree(target) if target.is_dir() else target.unlink()
        for path in sized.values():
            path.unlink()
    for label, values in peaks.items():
        growth = f"{values[-1] / values[0] - 1:+.0%}"
        cells = "".join(f"{value:>8,.0f} MiB" for value in values)
        print(f"{label:<28}{cells}{growth:>9}", flush=True)


def main(argv: list[str] | None = None) -> None:
    """Generate the inputs, measure the floor and each conversion, then peak RSS."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=200_000)
    parser.add_argument("--rss", type=int, nargs="*", default=[50_000, 200_000, 1_000_000])
    parser.add_argument("--repeat", type=int, default=3, help="runs per step; the best counts")
    parser.add_argument("--floor", nargs=2, help=argparse.SUPPRESS)
    parser.add_argument("--convert", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.floor:
        floor(*args.floor)
        return
    if args.convert:
        convert(*args.convert)
        return
    # interop.py imports this module for measure(), so speeds() and memory()
    # import its writer when they run, once both modules exist.
    print(f"Python {sys.version.split()[0]}; {args.events:,} events; each step in a fresh process")
    with tempfile.TemporaryDirectory() as directory:
        speeds(Path(directory), args.events, args.repeat)
        if args.rss:
            memory(Path(directory), args.rss)


if __name__ == "__main__":
    main()
