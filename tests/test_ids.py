"""The id index: the same answers in memory, in its batch and in its database."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from conflictdata import _ids
from conflictdata._ids import IdIndex
from conflictdata.model import RecordKind


def test_answers_are_the_same_on_every_tier() -> None:
    index = IdIndex(memory_limit=100, batch=50)
    assert index.add("a-1", RecordKind.ACTOR) is None
    for i in range(1_000):
        assert index.add(f"e-{i}", RecordKind.EVENT) is None
    # Past the limit: in the database, in the current batch, and resident.
    assert index.add("e-3", RecordKind.EVENT) == "event"
    assert index.add("e-999", RecordKind.SOURCE) == "event"
    assert index.add("a-1", RecordKind.EVENT) == "actor"
    assert index.get("e-500") == "event"
    assert index.get("e-1000") is None
    assert index.get("a-1") == "actor"
    assert index.add("e-1000", RecordKind.EVENT) is None
    index.close()
    assert index.get("e-3") is None


def test_an_sqlite_without_json_functions_gives_the_same_answers(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The batch insert falls back to binding rows one by one.
    monkeypatch.setattr(_ids, "_INSERT_JSON", "INSERT INTO ids SELECT * FROM no_such_function(?)")
    index = IdIndex(memory_limit=10, batch=10)
    for i in range(100):
        assert index.add(f"e-{i}", RecordKind.EVENT) is None
    assert index.add("e-3", RecordKind.EVENT) == "event"
    assert index.get("e-42") == "event"
    assert index.get("e-100") is None
    index.close()


def test_ids_that_differ_after_a_nul_stay_apart() -> None:
    # SQLite's JSON reader would end "b\0c" at the NUL, making it "b".
    index = IdIndex(memory_limit=2, batch=2)
    ids = ["a", "b\x00c", "b", "d\u2028", "e\U0001f600", "z", "y"]
    for record_id in ids:
        assert index.add(record_id, RecordKind.EVENT) is None
    assert [index.get(i) for i in ids] == ["event"] * len(ids)
    assert index.get("b\x00d") is None
    index.close()


_SPILL_AND_WAIT = """
import sys, time
import pytest

from conflictdata import _ids
from conflictdata._ids import IdIndex
index = IdIndex(memory_limit=10, batch=10)
for i in range(100):
    index.add(f"e-{i}", "event")
print("spilled", flush=True)
time.sleep(60)
"""


def test_nothing_is_left_behind_when_the_process_is_killed(tmp_path: Path) -> None:
    env = {**os.environ, "TMPDIR": str(tmp_path), "SQLITE_TMPDIR": str(tmp_path)}
    with subprocess.Popen(
        [sys.executable, "-c", _SPILL_AND_WAIT], stdout=subprocess.PIPE, env=env, text=True
    ) as child:
        assert child.stdout is not None
        assert child.stdout.readline() == "spilled\n"
        child.send_signal(signal.SIGKILL)
        child.wait()
    assert list(tmp_path.iterdir()) == []
