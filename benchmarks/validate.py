"""Throughput of validation on 100,000 generated events.

Prints events/s for each stage of ``validate()`` and for the whole, and the
peak memory of the process. Run: ``python benchmarks/validate.py [N]``.
"""

from __future__ import annotations

import gc
import resource
import sys
import time
from collections.abc import Callable
from typing import Any

import conflictdata as cd
from _data import dataset
from conflictdata import _schemacheck, _semantic
from conflictdata._convert import structure_trusted


def timed(label: str, count: int, fn: Callable[[], Any]) -> Any:
    """Run ``fn`` once, print events/s, return its result."""
    start = time.perf_counter()
    result = fn()
    elapsed = time.perf_counter() - start
    print(f"{label:<32} {count / elapsed:>12,.0f} events/s   ({elapsed:.2f} s)")
    return result


def main() -> None:
    """Generate the data and time each stage."""
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    doc = dataset(count)
    print(f"{count:,} events, Python {sys.version.split()[0]}")
    timed(
        "schema check (fast)",
        count,
        lambda: [_schemacheck.check(e, "event") for e in doc["events"]],
    )
    timed(
        "semantic and text checks",
        count,
        lambda: [_semantic.check_record(e, "event") for e in doc["events"]],
    )
    ds = timed("structuring (trusted)", count, lambda: structure_trusted(doc, cd.Dataset))
    gc.collect()
    report = timed("validate() on a dict", count, lambda: cd.validate(doc))
    if not report.ok:
        raise SystemExit(f"generated data should be valid:\n{report}")
    timed("validate() on a Dataset", count, lambda: cd.validate(ds))
    timed("to_dict()", count, lambda: cd.to_dict(ds))
    text = cd.dumps(ds)
    timed("loads() (parse+validate+build)", count, lambda: cd.loads(text))
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS {peak:,.0f} MiB")


if __name__ == "__main__":
    main()
