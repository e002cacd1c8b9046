"""The installed wheel works on its own: package data, version, schemas."""

from __future__ import annotations

import ast
import importlib
import os
import subprocess
import sys
from pathlib import Path

import pytest

import conflictdata as cd
from conflictdata import formats
from conflictdata.formats import _base

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


#: Modules ``import conflictdata`` leaves for first use, with what each added
#: to the import (cumulative, best of 10 on a busy machine) when it was eager.
LEFT_FOR_LATER = (
    "attr",  # the attrs record classes: ~17 ms
    "attrs",
    "cattrs",  # ~11 ms
    "csv",  # ~1 ms
    "importlib.metadata",  # format discovery, a fifth of the import time once
    "importlib.resources",  # the schemas and examples: ~11 ms
    "jsonschema",
    "jsonschema_rs",
    "lxml",
    "orjson",  # ~2 ms
    "sqlite3",
    "typing",  # ~12 ms, most of what was left
)

NEW_MODULES = (
    "import sys; before = set(sys.modules); import {module}; "
    "print(*sorted(set(sys.modules) - before))"
)


def imported_by(module: str) -> set[str]:
    """The modules that importing ``module`` in a new interpreter imports."""
    result = subprocess.run(
        [sys.executable, "-c", NEW_MODULES.format(module=module)],
        capture_output=True,
        text=True,
        check=True,
    )
    return set(result.stdout.split())


def test_importing_the_package_leaves_the_heavy_modules_for_later() -> None:
    imported = imported_by("conflictdata")
    assert "conflictdata" in imported
    assert sorted(imported & set(LEFT_FOR_LATER)) == []
    assert sorted(m for m in imported if m.startswith("conflictdata.")) == []


@pytest.mark.parametrize(
    "module",
    [
        # Each of these imports the record model, whose validators import
        # formats/, whose _base imports the model: none may need another first.
        "conflictdata.model",
        "conflictdata._validators",
        "conflictdata.formats",
        "conflictdata.formats._base",
        "conflictdata.formats.json",
        "conflictdata.examples",
        "conflictdata._io",
    ],
)
def test_a_module_imports_on_its_own(module: str) -> None:
    assert module in imported_by(module)


def test_listing_the_examples_leaves_the_reader_for_later() -> None:
    assert "conflictdata._io" not in imported_by("conflictdata.examples")


RESOLVE = """
import conflictdata as cd
for name in cd.__all__:
    getattr(cd, name)
star = {}
exec("from conflictdata import *", star)
assert sorted(set(cd.__all__) - set(star)) == [], set(cd.__all__) - set(star)
print("resolved", len(cd.__all__))
"""


def test_every_public_name_resolves_in_a_new_interpreter() -> None:
    result = subprocess.run(
        [sys.executable, "-c", RESOLVE], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("resolved")


def type_checking_imports(path: Path) -> set[tuple[str, str]]:
    """``(module, name)`` of each import under ``if TYPE_CHECKING:`` in ``path``."""
    found: set[tuple[str, str]] = set()
    for node in ast.parse(path.read_text("utf-8")).body:
        if isinstance(node, ast.If) and ast.unparse(node.test) == "TYPE_CHECKING":
            for statement in node.body:
                assert isinstance(statement, ast.ImportFrom), ast.unparse(statement)
                found.update((statement.module or "", alias.name) for alias in statement.names)
    return found


def test_the_lazy_names_are_the_ones_type_checkers_see() -> None:
    init = Path(cd.__file__)
    lazy = {(module, name) for name, module in cd._LAZY.items()}
    submodules = {("", name) for name in cd._SUBMODULES}
    assert type_checking_imports(init) == lazy | submodules
    assert len(set(cd.__all__)) == len(cd.__all__)
    assert set(cd.__all__) == {*cd._LAZY, *cd._SUBMODULES, "__version__"}
    assert set(cd.__all__) <= set(dir(cd))


@pytest.mark.parametrize("name", sorted(cd._LAZY))
def test_a_lazy_name_is_its_module_s(name: str) -> None:
    module = importlib.import_module(f"conflictdata.{cd._LAZY[name]}")
    assert getattr(cd, name) is getattr(module, name)


def test_the_formats_names_resolve() -> None:
    for name in formats.__all__:
        assert getattr(formats, name) is not None
    assert set(formats.__all__) <= set(dir(formats))
    assert formats.Format is _base.Format
    with pytest.raises(AttributeError, match="no attribute 'nothing'"):
        _ = formats.nothing
    with pytest.raises(AttributeError, match="no attribute 'nothing'"):
        _ = cd.nothing
