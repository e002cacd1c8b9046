"""Invalid input of any size is refused in bounded memory (each run in a fresh process)."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

import conflictdata as cd

DATA = Path(__file__).parent / "data"

# Runs the CLI, then prints the process's peak resident set in bytes.
_MEASURED = """
import resource, sys
from conflictdata.cli import main
code = main(sys.argv[1:])
# Linux keeps ru_maxrss across exec (the forking test process's own size),
# so the high-water mark of this process's memory is read where it is kept.
try:
    with open("/proc/self/status") as status:
        peak = next(int(l.split()[1]) * 1024 for l in status if l.startswith("VmHWM:"))
except OSError:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # bytes on macOS
print(code, peak, file=sys.stderr)
"""


def _peak(*argv: str) -> tuple[int, int, str]:
    """The CLI's exit code, its peak memory in bytes and what it printed."""
    done = subprocess.run(
        [sys.executable, "-c", _MEASURED, *argv],
        capture_output=True,
        text=True,
        check=False,
        timeout=900,
    )
    code, peak = done.stderr.strip().splitlines()[-1].split()
    return int(code), int(peak), done.stdout + done.stderr


pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(sys.platform == "win32", reason="the resource module is POSIX only"),
]


@pytest.mark.parametrize("command", ["validate", "convert"])
def test_a_million_bad_rows_take_under_200_mb(tmp_path: Path, command: str) -> None:
    header = (DATA / "acled-sample.csv").read_text("utf-8").splitlines()[0]
    path = tmp_path / "bad.csv"
    path.write_text(header + "\n" + "x,y\n" * 1_000_000, "utf-8")
    argv = (
        ("validate", str(path), "--format", "acled")
        if command == "validate"
        else (
            "convert",
            str(path),
            str(tmp_path / "out.jsonl"),
            "--from",
            "acled",
            "--skip-invalid",
        )
    )
    code, peak, printed = _peak(*argv)
    assert code == 1
    assert peak < 200 * 1024**2, f"{peak / 1024**2:.0f} MB"
    assert "999,000 more input.row problem(s)" in printed
    assert printed.count("[input.row]") == 1000


def test_a_one_gib_zip_member_is_refused_in_under_300_mb(tmp_path: Path) -> None:
    package = tmp_path / "pkg"
    cd.dump(cd.examples.load("karabakh-2020"), package)
    archive = tmp_path / "big.zip"
    # Mostly one letter, one in 25 bytes another: some 20:1 compressed,
    # well under the ratio guard, and no line break after the header.
    blocks = [
        os.urandom(1024**2).translate(
            bytes(b"bcdefghijk"[i % 10] if i < 10 else 97 for i in range(256))
        )
        for _ in range(4)
    ]
    with zipfile.ZipFile(archive, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as out:
        for file in sorted(package.iterdir()):
            if file.name != "events.csv":
                out.write(file, file.name)
        with out.open("events.csv", "w", force_zip64=True) as member:
            member.write((package / "events.csv").read_bytes().split(b"\n")[0] + b"\n")
            for index in range(1024):
                member.write(blocks[index % 4])
    with zipfile.ZipFile(archive) as check:
        info = check.getinfo("events.csv")
        assert info.file_size > 1024**3
        assert info.file_size < 200 * info.compress_size
    code, peak, printed = _peak("validate", str(archive))
    assert code == 1
    assert "[input.size]" in printed
    assert peak < 300 * 1024**2, f"{peak / 1024**2:.0f} MB"
