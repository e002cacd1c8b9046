"""Tests that need ``../shared`` skip without it, except under CI, where they fail."""

from __future__ import annotations

from pathlib import Path

import pytest

from . import conftest
from .conftest import shared_path


def test_a_present_file_is_found_under_shared(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "sample.csv").write_text("id\n", "utf-8")
    monkeypatch.setattr(conftest, "SHARED", tmp_path)
    assert shared_path("data", "sample.csv") == tmp_path / "data" / "sample.csv"


def test_a_missing_file_skips_with_its_path_outside_ci(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("CI", raising=False)
    monkeypatch.setattr(conftest, "SHARED", tmp_path)
    with pytest.raises(pytest.skip.Exception, match=r"data/absent\.csv is missing"):
        shared_path("data", "absent.csv")


def test_a_missing_file_fails_under_ci(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("CI", "true")
    monkeypatch.setattr(conftest, "SHARED", tmp_path)
    with pytest.raises(pytest.fail.Exception, match=r"absent\.csv is missing: CI must run"):
        shared_path("data", "absent.csv")


def test_a_variable_names_the_file_instead(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("CI", raising=False)
    chosen = tmp_path / "tei_all.rng"
    chosen.write_text("<grammar/>", "utf-8")
    monkeypatch.setenv("CONFLICTDATA_TEST_FILE", str(chosen))
    assert shared_path("tei", "absent.rng", env="CONFLICTDATA_TEST_FILE") == chosen
    monkeypatch.setenv("CONFLICTDATA_TEST_FILE", str(tmp_path / "gone.rng"))
    with pytest.raises(pytest.skip.Exception, match=r"gone\.rng is missing \(or set CONFLICTDATA"):
        shared_path("tei", "absent.rng", env="CONFLICTDATA_TEST_FILE")
