"""Importing ACLED-shaped files in bounded memory: ACLED -> validate -> CSV package, TEI.

Writes an ACLED CSV of N generated rows (default: 25,000 and 100,000) with
a realistic spread of actors, sources, event types and precision codes,
then converts it in a fresh process per target and prints rows/s and each
process's peak RSS. Run: ``python benchmarks/interop.py [N ...]``.
"""

from __future__ import annotations

import csv
import datetime as dt
import random
import sys
import tempfile
from pathlib import Path

from conflictdata.formats import acled
from stream import measure

TARGETS = {"csv package": "out", "tei": "out.tei.xml", "jsonl": "out.jsonl"}
_COUNTRIES = [("31", "Azerbaijan"), ("51", "Armenia"), ("566", "Nigeria"), ("804", "Ukraine")]


def write_input(path: Path, count: int) -> None:
    """An ACLED CSV of ``count`` rows, written row by row."""
    rng = random.Random(2020)
    types = list(acled.CROSSWALK)
    actors = [f"Armed Group {i} (Region {i % 17})" for i in range(2000)]
    outlets = [f"Outlet {i}" for i in range(500)]
    start = dt.date(2018, 1, 1)
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(acled.COLUMNS)
        for i in range(count):
            event_type, sub_type = rng.choice(types)
            iso, country = rng.choice(_COUNTRIES)
            day = start + dt.timedelta(days=rng.randrange(1500))
            inter1, inter2 = rng.choice("12348"), rng.choice("0123478")
            row = {
                "event_id_cnty": f"BEN{i}",
                "event_date": day.isoformat(),
                "year": str(day.year),
                "time_precision": rng.choice("1112"),
                "disorder_type": "Political violence",
                "event_type": event_type,
                "sub_event_type": sub_type,
                "actor1": rng.choice(actors),
                "assoc_actor_1": rng.choice(["", rng.choice(actors)]),
                "inter1": inter1,
                "actor2": rng.choice(actors) if inter2 != "0" else "",
                "assoc_actor_2": "",
                "inter2": inter2 if inter2 != "0" else "",
                "interaction": inter1 + (inter2 if inter2 != "0" else "0"),
                "civilian_targeting": "",
                "iso": iso,
                "region": "Region",
                "country": country,
                "admin1": f"Province {rng.randrange(30)}",
                "admin2": f"District {rng.randrange(300)}",
                "admin3": "",
                "location": f"Town {rng.randrange(5000)}",
                "latitude": f"{rng.uniform(-30, 60):.4f}",
                "longitude": f"{rng.uniform(-20, 60):.4f}",
                "geo_precision": rng.choice("1123"),
                "source": "; ".join(rng.sample(outlets, rng.randrange(1, 4))),
                "source_scale": "National",
                "notes": f"On {day.isoformat()}, an event of type {sub_type} was reported.",
                "fatalities": str(rng.choice([0, 0, 0, 1, 2, 5, 12])),
                "tags": "",
                "timestamp": str(1600000000 + i),
            }
            writer.writerow([row[c] for c in acled.COLUMNS])


def main() -> None:
    """Generate the inputs and measure each import in its own process."""
    counts = [int(a) for a in sys.argv[1:]] or [25_000, 100_000]
    print(f"Python {sys.version.split()[0]}; each conversion in a fresh process")
    print(f"{'rows':>8}  {'acled ->':<12} {'rows/s':>10} {'peak RSS':>10}")
    with tempfile.TemporaryDirectory() as directory:
        for count in counts:
            source = Path(directory) / f"acled-{count}.csv"
            write_input(source, count)
            for label, name in TARGETS.items():
                target = Path(directory) / f"{count}-{name}"
                measure(count, label, source, target, from_format="acled")


if __name__ == "__main__":
    main()
