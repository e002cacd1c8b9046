"""The benchmarks run end to end on CI-sized inputs (times are not checked)."""

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


@pytest.mark.slow
def test_the_parquet_benchmark_prints_every_figure() -> None:
    pytest.importorskip("pyarrow")
    pytest.importorskip("duckdb")
    result = subprocess.run(
        [sys.executable, "parquet.py", "2000", "3000", "--repeat", "2"],
        cwd=ROOT / "benchmarks",
        capture_output=True,
        text=True,
        check=True,
    )
    lines = result.stdout.splitlines()
    assert sum("jsonl -> parquet" in line for line in lines) == 2
    assert any(line.startswith("parquet / jsonl over 2 rounds: median") for line in lines)
    assert lines[-1].startswith("DuckDB country-month fatalities over 3,000 events")
