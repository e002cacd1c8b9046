"""Validation: peak memory and time of ``conflictdata validate`` on files, and each stage's speed.

``python benchmarks/validate.py files [N]`` writes N generated events
(default 200,000) as JSON Lines and as an ACLED CSV, then runs
``conflictdata validate`` and ``conflictdata info`` on each in a child
process of its own, and prints each one's peak RSS and wall time.

``python benchmarks/validate.py stages [N]`` prints events/s for each stage
of ``validate()`` on N events in memory (default 100,000), and the peak
memory of the process. Without a mode, both run.
"""

from __future__ import annotations

import gc
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import conflictdata as cd
from _data import dataset, event
from conflictdata import _schemacheck, _semantic
from conflictdata._convert import structure_trusted

# Run in a fresh interpreter, so that its peak RSS is the command's own. On
# Linux, VmHWM is that process's alone; ru_maxrss would also count the
# parent's, which Linux carries over into a process it starts.
_CHILD = """
import resource, sys, time
from pathlib import Path
from conflictdata import cli
start = time.perf_counter()
code = cli.main(sys.argv[1:])
elapsed = time.perf_counter() - start
status = Path("/proc/self/status")
if status.exists():
    line = next(x for x in status.read_text().splitlines() if x.startswith("VmHWM:"))
    peak = int(line.split()[1])
else:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    peak = peak // 1024 if sys.platform == "darwin" else peak
print(code, elapsed, peak, file=sys.stderr)
"""


def timed(label: str, count: int, fn: Callable[[], Any]) -> Any:
    """Run ``fn`` once, print events/s, return its result."""
    start = time.perf_counter()
    result = fn()
    elapsed = time.perf_counter() - start
    print(f"{label:<32} {count / elapsed:>12,.0f} events/s   ({elapsed:.2f} s)")
    return result


def write_jsonl(path: Path, count: int) -> None:
    """``count`` generated events as JSON Lines, written one at a time."""
    rng = random.Random(2020)
    empty = dataset(0)
    with path.open("w", encoding="utf-8") as out:
        header = {key: empty[key] for key in ("schema_version", "metadata")}
        out.write(json.dumps({"record": "dataset", **header}) + "\n")
        for kind in ("source", "actor"):
            for record in empty[f"{kind}s"]:
                out.write(json.dumps({"record": kind, **record}, ensure_ascii=False) + "\n")
        for i in range(count):
            out.write(json.dumps({"record": "event", **event(i, rng)}, ensure_ascii=False) + "\n")


def run_command(*argv: str) -> tuple[float, float]:
    """Wall time (s) and peak RSS (MiB) of ``conflictdata ARGV`` in a child process."""
    done = subprocess.run(  # noqa: S603 - this interpreter, on our own code
        [sys.executable, "-c", _CHILD, *argv],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        check=False,
    )
    code, elapsed, peak = done.stderr.split()[-3:]
    if code != "0":
        raise SystemExit(f"conflictdata {' '.join(argv)} exited {code}:\n{done.stderr}")
    return float(elapsed), int(peak) / 1024


def files(count: int) -> None:
    """Validate and summarise ``count`` events as JSON Lines and ACLED CSV."""
    with tempfile.TemporaryDirectory(prefix="conflictdata-bench-") as directory:
        jsonl = Path(directory) / "events.jsonl"
        acled = Path(directory) / "events.csv"
        write_jsonl(jsonl, count)
        cd.convert(jsonl, acled, to_format="acled")
        print(f"{count:,} events, Python {sys.version.split()[0]}")
        for path, fmt in ((jsonl, "jsonl"), (acled, "acled")):
            size = path.stat().st_size / 2**20
            for command in ("validate", "info"):
                elapsed, peak = run_command("-q", command, str(path), "--format", fmt)
                print(
                    f"{command:<8} {fmt:<6} {size:>7,.0f} MiB file   "
                    f"peak RSS {peak:>6,.0f} MiB   {elapsed:>7.1f} s   "
                    f"{count / elapsed:>8,.0f} events/s"
                )


def stages(count: int) -> None:
    """Time each stage of validating ``count`` events in memory."""
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


def main() -> None:
    """Run the modes asked for (``files``, ``stages``), each with an optional count."""
    args = sys.argv[1:]
    mode = args.pop(0) if args and not args[0].isdigit() else None
    count = int(args[0]) if args else None
    if mode not in (None, "files", "stages"):
        raise SystemExit("usage: python benchmarks/validate.py [files|stages] [N]")
    if mode in (None, "files"):
        files(count or 200_000)
    if mode in (None, "stages"):
        stages(count or 100_000)


if __name__ == "__main__":
    main()
