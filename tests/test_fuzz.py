"""Every reader, fed mutated bytes, gives records or located problems: never a crash or a hang.

A short run here (``CONFLICTDATA_FUZZ_EXAMPLES`` inputs per reader); long
runs with ``python fuzz/run.py READER --minutes N``. The inputs those runs
found are kept in ``tests/data/fuzz/`` and read again here.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from . import fuzzing

EXAMPLES = int(os.environ.get("CONFLICTDATA_FUZZ_EXAMPLES", "20"))

#: Findings not fixed yet, by reader: the exceptions they raise and whose they
#: are. Their reproducers (and the reader's run above) may raise only these;
#: delete an entry once the fix has landed (the tests then pass, reported as
#: XPASS until the entry goes).
KNOWN: dict[str, tuple[tuple[type[BaseException], ...], str]] = {}


def _known(reader: str) -> list[pytest.MarkDecorator]:
    if reader not in KNOWN:
        return []
    raises, reason = KNOWN[reader]
    return [pytest.mark.xfail(raises=raises, reason=reason, strict=False)]


@pytest.mark.fuzz
@pytest.mark.parametrize(
    "name", [pytest.param(name, marks=_known(name)) for name in sorted(fuzzing.READERS)]
)
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,
    # The same inputs every run: a red build is a regression, not luck.
    derandomize=True,
    report_multiple_bugs=False,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(data=st.data())
def test_mutated_input_is_read_or_refused(name: str, data: st.DataObject) -> None:
    reader = fuzzing.READERS[name]
    fuzzing.check(reader, data.draw(fuzzing.inputs(reader), label="input"))


def _reproducers() -> list[object]:
    params: list[object] = []
    for path in sorted(fuzzing.CORPUS.glob("*/*")):
        marks = _known(path.parent.name)
        params.append(pytest.param(path, id=f"{path.parent.name}/{path.name}", marks=marks))
    return params


@pytest.mark.parametrize("path", _reproducers())
def test_a_kept_reproducer_is_read_or_refused(path: Path) -> None:
    fuzzing.check(fuzzing.READERS[path.parent.name], fuzzing.load_reproducer(path))


def test_every_reader_has_seeds() -> None:
    for reader in fuzzing.READERS.values():
        seeds = reader.seeds()
        assert seeds, reader.name
        for seed in seeds:
            fuzzing.check(reader, seed)


def test_a_slow_read_counts_as_a_hang(monkeypatch: pytest.MonkeyPatch) -> None:
    import time  # noqa: PLC0415

    import conflictdata as cd  # noqa: PLC0415

    monkeypatch.setattr(cd, "validate_file", lambda *_a, **_k: time.sleep(5))
    with pytest.raises(fuzzing.HangError):
        fuzzing.check(fuzzing.READERS["json"], b"{}", seconds=0.2)
