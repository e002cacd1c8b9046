"""Fuzz one reader for a while; keep each new finding as a reproducer.

    python fuzz/run.py tei --minutes 5
    python fuzz/run.py --list

Inputs are the byte-level mutations of ``tests/fuzzing.py``. A finding (an
exception other than ``ConflictDataError``, or a hang) is shrunk by
Hypothesis, saved in ``tests/data/fuzz/READER/`` and printed with where it
was raised; the run goes on looking for findings raised elsewhere.
``tests/test_fuzz.py`` reads every kept reproducer again.
"""

from __future__ import annotations

import argparse
import hashlib
import sys
import time
import traceback
from pathlib import Path

from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests import fuzzing


def _signature(exc: BaseException) -> str:
    """Where in conflictdata (or the library below it) an exception was raised."""
    frames = traceback.extract_tb(exc.__traceback__)
    ours = [f for f in frames if "conflictdata" in f.filename and "tests" not in f.filename]
    frame = (ours or frames)[-1]
    return f"{type(exc).__name__} at {Path(frame.filename).name}:{frame.lineno}"


def fuzz(name: str, minutes: float, *, seconds: float) -> int:
    """Run ``name``'s harness for ``minutes``; the number of new findings."""
    reader = fuzzing.READERS[name]
    strategy = fuzzing.inputs(reader)
    known: set[str] = set()
    failing: list[tuple[fuzzing.Input, BaseException]] = []
    stop = time.monotonic() + minutes * 60
    examples = 0

    @settings(
        max_examples=100,
        deadline=None,
        database=None,
        phases=[Phase.generate, Phase.shrink],
        suppress_health_check=list(HealthCheck),
    )
    @given(data=st.data())
    def attempt(data: st.DataObject) -> None:
        nonlocal examples
        examples += 1
        value = data.draw(strategy)
        try:
            fuzzing.check(reader, value, seconds=seconds)
        except Exception as exc:
            if _signature(exc) in known:
                return
            failing.append((value, exc))
            raise

    found = 0
    while time.monotonic() < stop:
        failing.clear()
        try:
            attempt()
        except Exception:  # noqa: BLE001 - every finding is reported, then the run goes on
            # Hypothesis replays the shrunk example last.
            value, exc = failing[-1]
            signature = _signature(exc)
            known.add(signature)
            digest = hashlib.sha256(repr(value).encode()).hexdigest()[:10]
            path = fuzzing.keep(reader, value, f"{type(exc).__name__.lower()}-{digest}")
            found += 1
            print(f"{name}: {signature}: {exc!s:.200}\n  kept as {path}", flush=True)
    print(f"{name}: {examples} inputs in {minutes:g} min, {found} new finding(s)")
    return found


def main() -> int:
    """The command line."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("readers", nargs="*", metavar="READER", help="default: all of them")
    parser.add_argument("--minutes", type=float, default=2.0, help="per reader (default: 2)")
    parser.add_argument(
        "--hang", type=float, default=10.0, help="seconds that count as a hang (default: 10)"
    )
    parser.add_argument("--list", action="store_true", help="list the readers")
    args = parser.parse_args()
    if args.list:
        print("\n".join(fuzzing.READERS))
        return 0
    unknown = sorted(set(args.readers) - set(fuzzing.READERS))
    if unknown:
        parser.error(f"no reader {', '.join(unknown)}; there are: {', '.join(fuzzing.READERS)}")
    found = sum(
        fuzz(name, args.minutes, seconds=args.hang) for name in args.readers or fuzzing.READERS
    )
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
