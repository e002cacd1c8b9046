"""The streaming benchmark runs end to end on a CI-sized input (times are not checked)."""

from __future__ import annotations

import subprocess
import sys

import pytest

from .conftest import ROOT


@pytest.mark.slow
def test_the_stream_benchmark_prints_every_row() -> None:
    result = subprocess.run(
        [sys.executable, "stream.py", "--events", "3000", "--rss", "3000", "--repeat", "1"],
        cwd=ROOT / "benchmarks",
        capture_output=True,
        text=True,
        check=True,
    )
    lines = result.stdout.splitlines()
    for label in ("orjson floor", "JSON Lines -> JSON Lines", "ACLED CSV -> JSON Lines"):
        assert any(line.startswith(label) for line in lines), label
    # The memory table: one row per conversion, a figure for each size.
    assert lines[-5].startswith("step")
    assert lines[-5].split()[1] == "3,000"
    assert lines[-1].startswith("ACLED CSV -> JSON Lines")
    assert lines[-1].endswith("%")
