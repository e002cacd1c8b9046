"""The command line's diff, patch and update."""

from __future__ import annotations

import json
from pathlib import Path

import conflictdata as cd
from conflictdata import cli

from .conftest import ROOT
from .test_cli import run


def _pair(tmp_path: Path) -> tuple[Path, Path]:
    example = cd.examples.load("karabakh-2020")
    old = tmp_path / "old.jsonl"
    cd.dump(example, old)
    plain = cd.to_dict(example)
    plain["events"][0]["status"] = "confirmed"
    plain["events"].pop()
    new = tmp_path / "new.json"
    new.write_text(json.dumps(plain, ensure_ascii=False), "utf-8")
    return old, new


def test_diff_exits_like_diff(tmp_path: Path) -> None:
    old, new = _pair(tmp_path)
    assert run("diff", str(old), str(old)).code == 0
    result = run("diff", str(old), str(new))
    assert result.code == 1
    assert "event: 0 added, 1 removed, 1 changed" in result.out
    missing = run("diff", str(old), str(tmp_path / "nowhere.json"))
    assert missing.code == cli.EXIT_USAGE


def test_patch_applies_what_diff_writes(tmp_path: Path) -> None:
    old, new = _pair(tmp_path)
    changes = tmp_path / "changes.json"
    result = run("diff", str(old), str(new), "--output-format", "json")
    assert result.code == 1
    changes.write_text(result.out, "utf-8")
    target = tmp_path / "patched.tei.xml"
    assert run("patch", str(old), str(changes), str(target)).code == cli.EXIT_OK
    assert cd.load(target) == cd.load(new)
    # Applied twice, the changes no longer fit.
    again = tmp_path / "again.json"
    assert run("patch", str(target), str(changes), str(again)).code == 1
    assert not again.exists()


def test_update_replaces_adds_and_records_deletions(tmp_path: Path) -> None:
    base = tmp_path / "base.jsonl"
    cd.convert(ROOT / "tests" / "data" / "acled-sample.csv", base, from_format="acled")
    events = cd.load(base).events
    deletions = tmp_path / "deletions.csv"
    gone = events[0].identifiers["acled"]
    deletions.write_text(f"event_id_cnty,deleted_timestamp\n{gone},1700000000\n", "utf-8")
    target = tmp_path / "updated.jsonl"
    result = run(
        "update", str(base), str(ROOT / "tests" / "data" / "acled-sample.csv"),
        "--from", "acled", "--deletions", str(deletions), "-o", str(target),
    )  # fmt: skip
    assert result.code == cli.EXIT_OK, result.err
    updated = cd.load(target)
    assert [t.identifiers for t in updated.deleted] == [{"acled": gone}]
    assert len(updated.events) == len(events) - 1
    assert "removed" in result.out
    assert run("update", str(base), str(base), "-o", str(base)).code == cli.EXIT_USAGE
