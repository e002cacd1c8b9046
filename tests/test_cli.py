"""The command line, in process through ``main()`` and end to end through the script."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

import conflictdata as cd
from conflictdata import _cli_common, cli


class Run:
    """The outcome of one command: exit code, stdout and stderr."""

    def __init__(self, code: int, out: str, err: str) -> None:
        self.code, self.out, self.err = code, out, err


def run(*argv: str, stdin: str = "", cwd: Path | None = None) -> Run:
    out, err = io.StringIO(), io.StringIO()
    args = [a if cwd is None or a.startswith("-") else _in(cwd, a) for a in argv]
    code = cli.main(args, stdin=io.StringIO(stdin), stdout=out, stderr=err)
    return Run(code, out.getvalue(), err.getvalue())


def _in(directory: Path, arg: str) -> str:
    # Paths in the arguments are relative to the test's folder.
    candidate = directory / arg
    return str(candidate) if "." in arg or arg.endswith("-csv") else arg


@pytest.fixture
def broken(tmp_path: Path, example_dict: dict[str, Any]) -> Path:
    example_dict["events"][2]["citations"][0]["source"] = "src-missing"
    example_dict["events"][4]["when"] = {"start": "2020-07", "end": "2020-06-30"}
    path = tmp_path / "broken.json"
    path.write_text(json.dumps(example_dict), "utf-8")
    return path


def test_example_writes_every_format_and_they_validate(tmp_path: Path) -> None:
    made = run("example", "-o", "k.json", "-o", "k-csv", "-o", "k.tei.xml", cwd=tmp_path)
    assert made.code == 0, made.err
    assert "wrote" in made.err
    checked = run("validate", "k.json", "k-csv", "k.tei.xml", cwd=tmp_path)
    assert checked.code == 0
    assert checked.out.count(": valid: 0 error(s), 0 warning(s)") == 3
    assert cd.load(tmp_path / "k.tei.xml") == cd.examples.load("karabakh-2020")


def test_example_to_stdout_is_the_bundled_json() -> None:
    result = run("example")
    assert result.code == 0
    assert cd.loads(result.out) == cd.examples.load("karabakh-2020")


def test_validate_reports_problems_a_person_can_act_on(broken: Path) -> None:
    result = run("validate", str(broken))
    assert result.code == cli.EXIT_INVALID
    lines = result.out.splitlines()
    assert lines[0] == (
        f"{broken}: /events/2/citations/0/source: error: "
        "no source has the id 'src-missing' [ref.unresolved]"
    )
    assert lines[1].startswith(f"{broken}: /events/4/when/end: error: ")
    assert lines[1].endswith("[date.order]")
    assert lines[-1] == f"{broken}: invalid: 2 error(s), 0 warning(s)"


def test_validate_locates_problems_in_the_file(tmp_path: Path, example: cd.Dataset) -> None:
    path = tmp_path / "k.jsonl"
    cd.dump(example, path)
    lines = path.read_text("utf-8").splitlines(keepends=True)
    # The last event; the end record follows it.
    lines[-2] = lines[-2].replace('"ACCUSE"', '"BOMBING"')
    path.write_text("".join(lines), "utf-8")
    result = run("validate", str(path))
    assert result.code == 1
    assert f"{path}: line {len(lines) - 1}: error: 'BOMBING'" in result.out


def test_validate_json_output_is_stable(broken: Path, tmp_path: Path) -> None:
    good = tmp_path / "good.json"
    cd.dump(cd.examples.load("karabakh-2020"), good)
    result = run("validate", "--output-format", "json", str(good), str(broken))
    assert result.code == 1
    document = json.loads(result.out)
    assert document["version"] == cli.JSON_OUTPUT_VERSION
    assert document["valid"] is False
    assert [f["valid"] for f in document["files"]] == [True, False]
    assert document["files"][1]["problems"][0] == {
        "severity": "error",
        "code": "ref.unresolved",
        "path": "/events/2/citations/0/source",
        "location": None,
        "message": "no source has the id 'src-missing'",
    }


def test_strict_makes_warnings_fail(tmp_path: Path, example_dict: dict[str, Any]) -> None:
    example_dict["events"][0]["fatalities"] = {"low": 5, "best": 3}
    path = tmp_path / "doubtful.json"
    path.write_text(json.dumps(example_dict), "utf-8")
    assert run("validate", str(path)).code == 0
    strict = run("validate", "--strict", str(path))
    assert strict.code == 1
    assert "warning" in strict.out
    assert strict.out.splitlines()[-1].endswith("invalid: 0 error(s), 1 warning(s)")


def test_validate_reads_stdin(example: cd.Dataset) -> None:
    text = cd.dumps(example, format="jsonl")
    assert run("validate", "--format", "jsonl", "-", stdin=text).code == 0
    bad = run("validate", "-", stdin="{")
    assert bad.code == 1
    assert bad.out.startswith("<stdin>: line 1, column 2: error:")


def test_usage_and_io_errors_exit_2(tmp_path: Path) -> None:
    missing = run("validate", str(tmp_path / "nope.json"))
    assert missing.code == cli.EXIT_USAGE
    assert "No such file or directory" in missing.err
    unknown = run("validate", str(tmp_path / "data.txt"))
    assert (unknown.code, "cannot tell the format" in unknown.err) == (2, True)
    assert run("bogus").code == 2
    assert run().code == 2
    assert run("convert", "only-one.json").code == 2


def test_convert_validates_and_writes_nothing_when_invalid(broken: Path, tmp_path: Path) -> None:
    target = tmp_path / "out.tei.xml"
    result = run("convert", str(broken), str(target))
    assert result.code == 1
    assert "nothing was written" in result.err
    assert not target.exists()


def test_convert_refuses_to_overwrite_without_force(tmp_path: Path, example: cd.Dataset) -> None:
    source, target = tmp_path / "k.json", tmp_path / "k.jsonl"
    cd.dump(example, source)
    target.write_text("keep me", "utf-8")
    refused = run("convert", str(source), str(target))
    assert refused.code == 2
    assert refused.err == f"conflictdata convert: {target} exists; use --force to replace it\n"
    assert target.read_text("utf-8") == "keep me"
    assert run("convert", "--force", str(source), str(target)).code == 0
    assert cd.load(target) == example
    same = run("convert", "--force", str(source), str(source))
    assert (same.code, "never overwrites its input" in same.err) == (2, True)


def test_convert_between_stdin_and_stdout(example: cd.Dataset) -> None:
    text = cd.dumps(example)
    result = run("convert", "-", "-", "--to", "tei", stdin=text)
    assert result.code == 0, result.err
    assert cd.loads(result.out, format="tei") == example
    assert run("convert", "-", "-", stdin=text).code == 2  # no --to
    package = run("convert", "-", "-", "--to", "csv", stdin=text)
    assert (package.code, "write it to a file" in package.err) == (2, True)


def test_convert_with_explicit_formats(tmp_path: Path, example: cd.Dataset) -> None:
    source = tmp_path / "data.txt"
    source.write_text(cd.dumps(example, format="jsonl"), "utf-8")
    target = tmp_path / "out.bin"
    assert run("convert", str(source), str(target), "--from", "jsonl", "--to", "tei").code == 0
    assert cd.load(target, format="tei") == example


def test_schema_prints_the_contract() -> None:
    listed = run("schema", "--list")
    assert (
        listed.out.splitlines()[2]
        == "defs      https://conflictdata.org/schemas/1.1/defs.schema.json"
    )
    event = json.loads(run("schema", "event").out)
    assert event == cd.schemas.get("event")
    where = Path(run("schema", "event", "--path").out.strip())
    assert json.loads(where.read_text("utf-8")) == event
    assert run("schema", "nothing").code == 2


def test_info_summarises(tmp_path: Path, example: cd.Dataset) -> None:
    path = tmp_path / "k.jsonl"
    cd.dump(example, path)
    result = run("info", str(path))
    assert result.code == 0
    rows = dict(line.split(None, 1) for line in result.out.splitlines() if line[0] != " ")
    assert rows["events"] == "19"
    assert rows["actors"] == "22"
    assert rows["sources"] == "9"
    assert rows["dates"] == "2018-05 to 2020-09"
    assert rows["statuses"] == "reported 12, unconfirmed 4, confirmed 2, disputed 1"


def test_every_command_has_help_with_an_example() -> None:
    for command in ("validate", "convert", "schema", "example", "info"):
        result = run(command, "--help")
        assert result.code == 0
        assert "Example:\n  conflictdata " + command in result.out


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_shows_only_on_a_terminal_after_a_second() -> None:
    times = iter([0.0, 0.5, 1.5, 1.6, 2.0])
    terminal = _Terminal()
    progress = _cli_common.Progress(
        terminal, "converting", enabled=True, clock=lambda: next(times)
    )
    progress(10)  # at 0.5 s: too early
    progress(3000)  # at 1.5 s: shown
    progress(3100)  # at 1.6 s: too soon after
    progress.done()
    assert terminal.getvalue() == "\rconverting: 3,000 records (2,000/s)\n"
    pipe = io.StringIO()
    quiet = _cli_common.Progress(pipe, "converting", enabled=True)
    quiet(10**6)
    assert pipe.getvalue() == ""


def _script() -> list[str]:
    script = Path(sys.executable).with_name("conflictdata")
    return [str(script)] if script.exists() else [sys.executable, "-m", "conflictdata"]


def test_the_installed_script_runs_end_to_end(tmp_path: Path) -> None:
    made = subprocess.run(
        [*_script(), "example", "-o", "k.json", "-o", "k.tei.xml"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert made.returncode == 0, made.stderr
    info = subprocess.run(
        [*_script(), "info", "k.tei.xml"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert "events       19" in info.stdout


def test_python_dash_m_and_a_closed_pipe(tmp_path: Path) -> None:
    # `conflictdata example | head -c 10`: the closed pipe is not an error.
    result = subprocess.run(  # noqa: S602 - a pipe is the point of the test
        f"{sys.executable} -m conflictdata example | head -c 10",
        shell=True,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.stdout == '{\n  "schem'
    assert "Traceback" not in result.stderr


def test_foreign_formats_convert_with_one_command(tmp_path: Path) -> None:
    sample = Path(__file__).parent / "data" / "acled-sample.csv"
    tei = tmp_path / "acled.tei.xml"
    assert run("convert", str(sample), str(tei), "--from", "acled").code == 0
    back = tmp_path / "back.csv"
    assert run("convert", str(tei), str(back), "--to", "acled").code == 0
    assert back.read_text("utf-8").replace("\r\n", "\n") == sample.read_text("utf-8")
    info = run("info", str(sample), "--format", "acled")
    assert "events       26" in info.out


@pytest.mark.parametrize(
    "name", ["acled-sample.csv", "ucdp-sample.csv", "gdelt/v2.export.CSV", "plover-icews.jsonl"]
)
def test_a_refused_target_is_one_line_and_nothing_else(tmp_path: Path, name: str) -> None:
    # The reader stopped after the header is finished while its file is
    # open: no "Exception ignored" from its clean-up afterwards.
    source = Path(__file__).parent / "data" / name
    target = tmp_path / "out.jsonl"
    target.write_text("kept", "utf-8")
    result = subprocess.run(
        [sys.executable, "-X", "dev", "-m", "conflictdata", "convert", str(source), str(target)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        f"conflictdata convert: {target} exists; use --force to replace it"
    ]
    assert target.read_text("utf-8") == "kept"
