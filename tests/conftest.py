"""Shared fixtures, Hypothesis profiles, and the files kept in ``../shared``."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, settings

import conflictdata as cd

settings.register_profile(
    "default",
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
# CI runs more examples; `-p` style override: HYPOTHESIS_PROFILE=ci.
settings.register_profile("ci", parent=settings.get_profile("default"), max_examples=150)
settings.load_profile(
    os.environ.get("HYPOTHESIS_PROFILE", "ci" if os.environ.get("CI") else "default")
)

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"


def shared_path(*parts: str, env: str | None = None) -> Path:
    """The file ``SHARED / parts`` (or the one the variable ``env`` names, when set).

    Outside CI a missing file skips the calling test or fixture, with the path
    as the reason; under CI (``CI`` set) it fails it, since CI runs with
    ``../shared`` beside the clone.
    """
    chosen = os.environ.get(env) if env else None
    path = Path(chosen) if chosen else SHARED.joinpath(*parts)
    if not path.exists():
        hint = f" (or set {env})" if env else ""
        message = f"{path} is missing{hint}"
        if os.environ.get("CI"):
            pytest.fail(f"{message}: CI must run with ../shared beside the clone")
        pytest.skip(message)
    return path


@pytest.fixture
def example() -> cd.Dataset:
    """The bundled example dataset."""
    return cd.examples.load("karabakh-2020")


@pytest.fixture
def example_dict() -> dict[str, Any]:
    """The bundled example as a fresh plain document (safe to mutate)."""
    data: dict[str, Any] = json.loads(cd.examples.path("karabakh-2020").read_text("utf-8"))
    return data
