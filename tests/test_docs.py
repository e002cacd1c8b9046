"""The documentation stays true: generated pages current, every code listed."""

from __future__ import annotations

import importlib.util
import re
from types import ModuleType

import conflictdata as cd

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


def test_every_problem_code_is_documented() -> None:
    text = (ROOT / "docs" / "validation.md").read_text("utf-8")
    listed = set(re.findall(r"^\| `([a-zA-Z.-]+)` \|", text, flags=re.MULTILINE))
    assert listed == set(cd.CODES)


def test_every_public_name_has_a_docstring() -> None:
    for name in cd.__all__:
        obj = getattr(cd, name)
        if callable(obj) or isinstance(obj, type):
            assert obj.__doc__, name


def test_local_links_in_docs_resolve() -> None:
    for page in [ROOT / "README.md", *(ROOT / "docs").rglob("*.md")]:
        for target in re.findall(r"\]\(([^)#:]+)(?:#[^)]*)?\)", page.read_text("utf-8")):
            assert (page.parent / target).exists(), f"{page.name} links to missing {target}"
