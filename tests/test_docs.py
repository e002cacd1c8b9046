"""The documentation stays true: generated pages current, every code listed."""

from __future__ import annotations

import contextlib
import importlib.metadata
import importlib.util
import io
import os
import re
import shlex
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import conflictdata as cd
from conflictdata import cli

from .conftest import ROOT


def _generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "generate_reference", ROOT / "docs" / "generate_reference.py"
    )
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_reference_pages_match_the_schemas() -> None:
    pages: dict[str, str] = _generator().render()
    on_disk = {p.name: p.read_text("utf-8") for p in (ROOT / "docs" / "reference").glob("*.md")}
    assert on_disk == pages, "run: python docs/generate_reference.py"


def test_every_problem_code_is_documented_with_its_meaning() -> None:
    text = (ROOT / "docs" / "validation.md").read_text("utf-8")
    rows = re.findall(r"^\| `([a-zA-Z.-]+)` \| (.+?) \|$", text, flags=re.MULTILINE)
    listed = dict(rows)
    assert len(listed) == len(rows), "a code listed twice"
    assert listed == cd.CODES


def test_every_public_name_has_a_docstring() -> None:
    for name in cd.__all__:
        obj = getattr(cd, name)
        if callable(obj) or isinstance(obj, type):
            assert obj.__doc__, name


def test_local_links_in_docs_resolve() -> None:
    root_pages = [ROOT / name for name in ("README.md", "CHANGELOG.md", "CONTRIBUTING.md")]
    for page in [*root_pages, *(ROOT / "docs").rglob("*.md")]:
        for target in re.findall(r"\]\(([^)#:]+)(?:#[^)]*)?\)", page.read_text("utf-8")):
            assert (page.parent / target).exists(), f"{page.name} links to missing {target}"


def _quick_start() -> list[str]:
    readme = (ROOT / "README.md").read_text("utf-8")
    return re.findall(r"```sh\n(.+?)\n```", readme)[:2]


def test_the_first_quick_start_command_writes_and_checks_the_example(tmp_path: Path) -> None:
    steps = _quick_start()[0].split(" && ")
    assert steps[:3] == ["python3 -m venv .venv", ". .venv/bin/activate", "pip install ."]
    commands = [shlex.split(step) for step in steps[3:]]
    assert [c[:2] for c in commands] == [
        ["conflictdata", "example"],
        ["conflictdata", "validate"],
    ]
    written = commands[0][3::2]
    assert {cd.formats.for_path(name).name for name in written} == {"json", "csv", "tei"}
    for command in commands:
        out, err = io.StringIO(), io.StringIO()
        with _chdir(tmp_path):
            assert cli.main(command[1:], stdout=out, stderr=err) == 0, err.getvalue()
    assert out.getvalue().count(": valid: 0 error(s), 0 warning(s)") == 3


@contextlib.contextmanager
def _chdir(path: Path) -> Iterator[None]:
    # contextlib.chdir is Python 3.11+.
    before = Path.cwd()
    os.chdir(path)
    try:
        yield
    finally:
        os.chdir(before)


def test_ci_runs_the_second_quick_start_command() -> None:
    steps = _quick_start()[1].split(" && ")
    assert steps[:3] == ["python3 -m venv .venv", ". .venv/bin/activate", 'pip install ".[dev]"']
    ci = (ROOT / ".ci" / "run").read_text("utf-8")
    ci_steps = [line for line in ci.splitlines() if line and not line.startswith("#")]
    checks = [step for step in ci_steps if step.split()[0] in {"ruff", "mypy", "mkdocs"}]
    assert [*checks, "pytest"] == steps[3:]
    assert 'python -m pip install --quiet ".[dev]"' in ci_steps
    assert "CI=true pytest" in ci_steps


def test_contributing_gives_the_readme_checks() -> None:
    checks = _quick_start()[1].split(" && ")[3:]
    contributing = (ROOT / "CONTRIBUTING.md").read_text("utf-8")
    assert " && ".join(checks) in re.findall(r"```sh\n(.+?)\n```", contributing)


def test_the_version_is_the_one_in_pyproject_and_the_metadata() -> None:
    installed = importlib.metadata.version("conflictdata")
    assert cd.__version__ == installed
    # The metadata is made from pyproject.toml: they differ when the
    # installation is older than the file (reinstall with pip install -e).
    pyproject = (ROOT / "pyproject.toml").read_text("utf-8")
    assert re.findall(r'^version = "(.+)"$', pyproject, re.MULTILINE) == [installed]
    citation = (ROOT / "CITATION.cff").read_text("utf-8")
    assert re.findall(r"^version: (.+)$", citation, re.MULTILINE) == [installed]
    changelog = (ROOT / "CHANGELOG.md").read_text("utf-8")
    released = re.findall(r"^## \[(\d[^]]*)\] - (\d{4}-\d{2}-\d{2})$", changelog, re.MULTILINE)
    assert [v for v, _ in released[:1]] == [installed], "the latest release in CHANGELOG.md"
    dates = re.findall(r'^date-released: "(.+)"$', citation, re.MULTILINE)
    assert dates == [released[0][1]]


def test_the_api_reference_lists_every_public_name() -> None:
    page = (ROOT / "docs" / "api.md").read_text("utf-8")
    documented = set(re.findall(r"^::: conflictdata\.(\w+)", page, re.MULTILINE))
    modules = {"examples", "formats", "schemas"}
    public = {
        n for n in cd.__all__ if not n.startswith("_") and n not in {"CODES", "SCHEMA_VERSION"}
    }
    assert public - documented == set()
    assert modules <= documented
