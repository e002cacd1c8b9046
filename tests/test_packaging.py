"""The installed wheel works on its own: package data, version, schemas."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import ROOT

CHECK = """
import json, sys, hashlib
from pathlib import Path
import conflictdata as cd
root, prefix = Path(sys.argv[1]), Path(sys.argv[2])
assert Path(cd.__file__).resolve().is_relative_to(prefix.resolve()), cd.__file__
folders = sorted(p.name for p in (root / "schemas").iterdir() if p.is_dir())
assert cd.schemas.versions() == tuple(folders)
for version in cd.schemas.versions():
    files = cd.schemas.files(version)
    canonical = sorted(root.joinpath("schemas", version).glob("*.schema.json"))
    assert sorted(files) == [p.name.removesuffix(".schema.json") for p in canonical]
    for name, entry in files.items():
        assert Path(str(entry)).resolve().is_relative_to(prefix.resolve()), entry
        expected = root / "schemas" / version / f"{name}.schema.json"
        assert entry.read_bytes() == expected.read_bytes(), name
assert cd.__version__
assert cd.validate(cd.examples.load("karabakh-2020")).ok
print("installed ok", cd.__version__)
"""


@pytest.mark.slow
def test_the_wheel_installs_and_carries_its_schemas(tmp_path: Path) -> None:
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(tmp_path / "dist"),
            str(ROOT),
        ],
        check=True,
    )
    (wheel,) = (tmp_path / "dist").glob("conflictdata-*.whl")
    target = tmp_path / "site"
    # Only conflictdata is installed there; its dependencies come from this
    # environment. PYTHONPATH puts the installed copy before any other.
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "-q",
            "--no-deps",
            "--target",
            str(target),
            str(wheel),
        ],
        check=True,
    )
    result = subprocess.run(
        [sys.executable, "-c", CHECK, str(ROOT), str(target)],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(target)},
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "installed ok" in result.stdout


def test_importing_the_package_leaves_the_heavy_modules_for_later() -> None:
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", "import conflictdata"],
        capture_output=True,
        text=True,
        check=True,
    )
    imported = {line.rsplit("|", 1)[-1].strip() for line in result.stderr.splitlines()}
    assert "conflictdata" in imported
    for heavy in ("jsonschema", "jsonschema_rs", "lxml", "sqlite3", "importlib.metadata"):
        assert heavy not in imported
