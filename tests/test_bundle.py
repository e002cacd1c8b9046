"""The bundled schema: one self-contained document that other validators use offline."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import jsonschema
import pytest

import conflictdata as cd
from conflictdata import cli, schemas

from .test_cli import run


def test_the_bundle_holds_every_schema_it_refers_to() -> None:
    bundled = schemas.bundle("dataset")
    assert set(bundled["$defs"]) >= {schemas.uri(n) for n in schemas.names() if n != "dataset"}
    # No registry: every reference resolves inside the document.
    validator = jsonschema.Draft202012Validator(
        bundled, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )
    example = cd.to_dict(cd.examples.load("karabakh-2020"))
    assert list(validator.iter_errors(example)) == []
    example["events"][0]["when"]["start"] = "2020-09-31"
    assert [e.json_path for e in validator.iter_errors(example)] == ["$.events[0].when.start"]


def test_the_command_prints_the_bundle() -> None:
    result = run("schema", "--bundle", "event")
    assert result.code == cli.EXIT_OK
    assert json.loads(result.out) == schemas.bundle("event")
    assert run("schema", "--bundle", "--version", "1.0").code == cli.EXIT_OK
    assert run("schema", "--version", "0.9").code == cli.EXIT_USAGE


@pytest.mark.slow
def test_check_jsonschema_validates_offline_with_the_bundle(tmp_path: Path) -> None:
    tool = shutil.which("check-jsonschema")
    if tool is None:
        if os.environ.get("CI"):
            pytest.fail("check-jsonschema is missing: it comes with the test extra")
        pytest.skip("check-jsonschema is not installed (pip install '.[test]')")
    bundle = tmp_path / "conflictdata.schema.json"
    bundle.write_text(json.dumps(schemas.bundle()), "utf-8")
    document = tmp_path / "karabakh.json"
    cd.dump(cd.examples.load("karabakh-2020"), document)
    # Any attempt to reach the network fails at once.
    env = {**os.environ, "HTTPS_PROXY": "http://127.0.0.1:9", "HTTP_PROXY": "http://127.0.0.1:9"}
    command = [tool, "--schemafile", str(bundle), str(document)]
    good = subprocess.run(command, capture_output=True, text=True, env=env, check=False)
    assert good.returncode == 0, good.stdout + good.stderr
    text = document.read_text("utf-8").replace('"2020-09-27"', '"2020-09-31"', 1)
    document.write_text(text, "utf-8")
    bad = subprocess.run(command, capture_output=True, text=True, env=env, check=False)
    assert bad.returncode == 1
    assert "'2020-09-31' is not a 'date'" in bad.stdout
