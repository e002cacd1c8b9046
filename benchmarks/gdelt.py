"""GDELT import speed: generated GDELT 2.0 rows streamed to JSON Lines (and Parquet).

Writes a GDELT 2.0 event file of N generated rows (default: 100,000) with
varied actors, CAMEO codes, places and URLs, converts it in a fresh
process per target, and prints rows/s and each process's peak RSS. The
Parquet target is measured when ``conflictdata.formats.parquet`` exists.
Run: ``python benchmarks/gdelt.py [N ...]``.
"""

from __future__ import annotations

import importlib.util
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import conflictdata as cd
from conflictdata.formats._cameo import ROOTS
from conflictdata.formats.gdelt import COLUMNS_2

_ACTORS = [
    ("USA", "UNITED STATES", "USA", ""),
    ("SYRGOV", "SYRIA", "SYR", "GOV"),
    ("SYRREB", "REBEL", "SYR", "REB"),
    ("GBRPOL", "LONDON", "GBR", "COP"),
    ("CVL", "CIVILIAN", "", "CVL"),
    ("NGAMIL", "NIGERIA", "NGA", "MIL"),
    ("", "", "", ""),
]
_PLACES = [
    ("4", "Idlib, Idlib, Syria", "SY", "SY07", "35.9306", "36.6339", "-2887890"),
    ("2", "Virginia, United States", "US", "USVA", "37.768", "-78.2057", "VA"),
    ("1", "Nigeria", "NI", "NI", "10", "8", "NI"),
    ("0", "", "", "", "", "", ""),
]


def row(number: int, rng: random.Random) -> list[str]:
    """One GDELT 2.0 row of 61 cells."""
    cells = dict.fromkeys(COLUMNS_2, "")
    day = f"2019{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}"
    cells.update(GLOBALEVENTID=str(800_000_000 + number), SQLDATE=day, MonthYear=day[:6])
    cells.update(Year=day[:4], FractionDate="2019.5000", IsRootEvent=str(rng.randint(0, 1)))
    for side in ("1", "2"):
        code, name, country, kind = rng.choice(_ACTORS)
        cells.update({f"Actor{side}Code": code, f"Actor{side}Name": name})
        cells.update({f"Actor{side}CountryCode": country, f"Actor{side}Type1Code": kind})
    root = rng.choice(sorted(ROOTS))
    code = root + str(rng.randint(0, 4))
    cells.update(EventCode=code, EventBaseCode=code, EventRootCode=root)
    cells.update(QuadClass="1", GoldsteinScale="-2.0", NumMentions="4", NumSources="1")
    cells.update(NumArticles="4", AvgTone=f"{rng.uniform(-10, 10):.4f}")
    for prefix in ("Actor1Geo", "Actor2Geo", "ActionGeo"):
        kind, name, country, adm1, lat, lon, feature = rng.choice(_PLACES)
        cells.update({f"{prefix}_Type": kind, f"{prefix}_FullName": name})
        cells.update({f"{prefix}_CountryCode": country, f"{prefix}_ADM1Code": adm1})
        cells.update({f"{prefix}_Lat": lat, f"{prefix}_Long": lon, f"{prefix}_FeatureID": feature})
    cells["DATEADDED"] = day + "111500"
    cells["SOURCEURL"] = f"https://news.example.org/{rng.randint(0, 20_000)}/story.html"
    return [cells[c] for c in COLUMNS_2]


def write_input(path: Path, count: int) -> None:
    """A GDELT 2.0 file of ``count`` rows."""
    rng = random.Random(2019)
    with path.open("w", encoding="utf-8", newline="") as out:
        for number in range(count):
            out.write("\t".join(row(number, rng)) + "\n")


def convert(source: str, target: str) -> None:
    """Stream ``source`` into ``target``; print the time and peak RSS as JSON."""
    start = time.perf_counter()
    cd.convert(source, target)
    elapsed = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"seconds": elapsed, "rss": peak}))


def measure(count: int, label: str, source: Path, target: Path) -> None:
    """Run one conversion in a fresh process and print its figures."""
    result = subprocess.run(  # noqa: S603 - this script, on files it made
        [sys.executable, __file__, "--convert", str(source), str(target)],
        check=True,
        capture_output=True,
        text=True,
    )
    figures = json.loads(result.stdout)
    rate = count / figures["seconds"]
    print(f"{count:>8,}  {label:<8} {rate:>10,.0f} {figures['rss']:>7,.0f} MiB", flush=True)


def main() -> None:
    """Generate the inputs and measure each conversion in its own process."""
    if sys.argv[1:2] == ["--convert"]:
        convert(*sys.argv[2:4])
        return
    counts = [int(a) for a in sys.argv[1:]] or [100_000]
    parquet = importlib.util.find_spec("conflictdata.formats.parquet") is not None
    print(f"Python {sys.version.split()[0]}; each conversion in a fresh process")
    if not parquet:
        print("parquet: skipped (conflictdata.formats.parquet is not installed)")
    print(f"{'rows':>8}  {'target':<8} {'rows/s':>10} {'peak RSS':>10}")
    with tempfile.TemporaryDirectory() as directory:
        for count in counts:
            source = Path(directory) / f"{count}.export.CSV"
            write_input(source, count)
            measure(count, "jsonl", source, Path(directory) / f"{count}.jsonl")
            if parquet:
                measure(count, "parquet", source, Path(directory) / f"{count}.parquet")


if __name__ == "__main__":
    main()
