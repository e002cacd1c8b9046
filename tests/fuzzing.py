"""Fuzzing harnesses for every reader: mutated bytes give records or located problems.

Each reader's harness takes seed inputs (the bundled example, the files in
``tests/data``), mutates their bytes with Hypothesis, reads the result
with :func:`conflictdata.validate_file` and :func:`conflictdata.read`, and
accepts only a report, a dataset or a :class:`conflictdata.ConflictDataError`:
any other exception, or a read slower than :data:`TIME_LIMIT`, is a finding.
``tests/test_fuzz.py`` runs each harness briefly; ``fuzz/run.py`` runs one
for as long as you like and keeps what it finds in ``tests/data/fuzz/``.
"""

from __future__ import annotations

import contextlib
import io
import signal
import tempfile
import zipfile
from collections.abc import Callable, Iterator
from functools import cache
from pathlib import Path
from typing import Any

import attrs
from hypothesis import strategies as st

import conflictdata as cd

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "data"
CORPUS = DATA / "fuzz"
#: Seconds one input may take to read before it counts as a hang.
TIME_LIMIT = 30.0

#: A file's bytes, or a CSV package's files by name.
Input = bytes | dict[str, bytes]


class HangError(Exception):
    """An input took longer than the time limit to read."""


@attrs.frozen
class Reader:
    """One reader's harness: its format, where an input is written, and its seeds."""

    name: str
    format: str
    #: The file name an input is written to (a directory for a package).
    filename: str
    seeds: Callable[[], list[Input]]

    def write(self, data: Input, directory: Path) -> Path:
        """Put ``data`` where the reader reads it; return that path."""
        path = directory / self.filename
        if isinstance(data, bytes):
            path.write_bytes(data)
            return path
        if self.filename.endswith(".zip"):
            path.write_bytes(zip_of(data))
            return path
        path.mkdir()
        for name, content in data.items():
            (path / name).write_bytes(content)
        return path


def zip_of(files: dict[str, bytes]) -> bytes:
    """A zip archive of ``files``."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def _files(pattern: str) -> list[Input]:
    return [path.read_bytes() for path in sorted(DATA.glob(pattern))]


@cache
def _example() -> cd.Dataset:
    return cd.examples.load("karabakh-2020")


def _dumped(fmt: str) -> bytes:
    return cd.dumps(_example(), format=fmt).encode("utf-8")


def _package(directory: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted(directory.iterdir())}


def _packages() -> list[Input]:
    with tempfile.TemporaryDirectory() as folder:
        cd.dump(_example(), Path(folder) / "pkg", format="csv")
        made = _package(Path(folder) / "pkg")
    return [made, _package(DATA / "v0.1" / "small-csv")]


READERS: dict[str, Reader] = {
    reader.name: reader
    for reader in [
        Reader(
            "json",
            "json",
            "in.json",
            lambda: [_dumped("json"), *_files("v0.1/example.json")],
        ),
        Reader(
            "jsonl",
            "jsonl",
            "in.jsonl",
            lambda: [_dumped("jsonl"), *_files("v0.1/example.jsonl")],
        ),
        Reader("csv", "csv", "pkg", _packages),
        Reader("csv-zip", "csv", "pkg.zip", _packages),
        Reader(
            "tei",
            "tei",
            "in.tei.xml",
            lambda: [_dumped("tei"), *_files("v0.1/example.tei.xml")],
        ),
        Reader("acled", "acled", "in.csv", lambda: _files("acled-*.csv")),
        Reader("ucdp", "ucdp", "in.csv", lambda: _files("ucdp-*.csv")),
        Reader("plover", "plover", "in.json", lambda: _files("plover-*.json")),
        Reader("plover-lines", "plover", "in.jsonl", lambda: _files("plover-*.jsonl")),
        Reader(
            "gdelt",
            "gdelt",
            "in.tsv",
            lambda: [*_files("gdelt/*.tsv"), *_files("gdelt/*.CSV"), *_files("gdelt/*.csv")],
        ),
        Reader("icews", "icews", "in.tab", lambda: _files("icews/events.tab")),
    ]
}

# What breaks parsers: delimiters, encodings, escapes, numbers out of range,
# XML declarations and entities, CSV quoting, formulas, deep nesting.
TOKENS = [
    b'"',
    b"'",
    b",",
    b";",
    b"\t",
    b"\n",
    b"\r",
    b"\r\n",
    b"\x00",
    b"\xff",
    b"\xc3",
    b"\xed\xa0\x80",
    b"\xef\xbb\xbf",
    b"\xe2\x80\xa8",
    b"{",
    b"}",
    b"[",
    b"]",
    b":",
    b"null",
    b"true",
    b"NaN",
    b"Infinity",
    b"-Infinity",
    b"1e999",
    b"-0",
    b"9" * 400,
    b"\\u0000",
    b"\\ud800",
    b'"\\',
    b"[" * 5000,
    b'{"a":' * 2000,
    b"<",
    b">",
    b"</",
    b"&amp;",
    b"&x;",
    b"&#0;",
    b"&#xD800;",
    b"<!DOCTYPE TEI [<!ENTITY x 'y'>]>",
    b'<!DOCTYPE TEI SYSTEM "file:///etc/passwd">',
    b"<?xml version='1.0' encoding='utf-16'?>",
    b"<![CDATA[",
    b'xml:id="',
    b"=HYPERLINK(",
    b"-1",
    b"0000-00-00",
    b"2020-02-30",
    b"9999-12-31T25:61:61Z",
    b'""',
    b'"a""b"',
    b"<a:b>",
    b' xmlns:a="urn:a"',
    b"1_000",
    "\uff11\uff12".encode(),  # full-width digits, which int() accepts
    "\u0661\u0662".encode(),  # Arabic-Indic digits, likewise
    b"4" * 4301,
    b"nan",
    b"inf",
]


@st.composite
def mutated_bytes(draw: st.DrawFn, seed: bytes) -> bytes:
    """``seed`` with a few byte-level mutations."""
    data = bytearray(seed)
    for _ in range(draw(st.integers(1, 6))):
        where = draw(st.integers(0, len(data)))
        op = draw(st.sampled_from(["flip", "byte", "delete", "repeat", "token", "truncate"]))
        if op == "flip" and data:
            data[min(where, len(data) - 1)] ^= 1 << draw(st.integers(0, 7))
        elif op == "byte":
            data[where:where] = bytes([draw(st.integers(0, 255))])
        elif op == "delete":
            del data[where : where + draw(st.integers(1, 64))]
        elif op == "repeat":
            piece = data[where : where + draw(st.integers(1, 64))]
            data[where:where] = piece * draw(st.integers(1, 8))
        elif op == "token":
            data[where:where] = draw(st.sampled_from(TOKENS))
        elif op == "truncate":
            del data[where:]
    return bytes(data)


@st.composite
def mutated_package(draw: st.DrawFn, seed: dict[str, bytes]) -> dict[str, bytes]:
    """A CSV package with one or two files mutated, or one left out."""
    files = dict(seed)
    for _ in range(draw(st.integers(1, 2))):
        name = draw(st.sampled_from(sorted(files)))
        if draw(st.integers(0, 9)) == 0:
            del files[name]
            if not files:
                break
            continue
        files[name] = draw(mutated_bytes(files[name]))
    return files


def inputs(reader: Reader) -> st.SearchStrategy[Input]:
    """Mutations of the reader's seeds (a zip's bytes are mutated too)."""
    seeds = reader.seeds()
    packages = [s for s in seeds if isinstance(s, dict)]
    if not packages:
        return st.sampled_from([s for s in seeds if isinstance(s, bytes)]).flatmap(mutated_bytes)
    members = st.sampled_from(packages).flatmap(mutated_package)
    if reader.filename.endswith(".zip"):
        whole = st.sampled_from([zip_of(p) for p in packages]).flatmap(mutated_bytes)
        return st.one_of(members.map(zip_of), whole)
    return members


@contextlib.contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Raise :class:`HangError` after ``seconds`` (where SIGALRM exists)."""
    if not hasattr(signal, "setitimer"):
        yield
        return

    def expire(_signum: int, _frame: Any) -> None:
        raise HangError(f"reading took more than {seconds:g} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


@cache
def _warm_up() -> None:
    # Explaining a first schema error imports python-jsonschema and builds its
    # format checkers: seconds, once, that are no hang of the reader's.
    cd.validate({"schema_version": "1.1", "events": [{"id": 1}]})


def check(reader: Reader, data: Input, *, seconds: float = TIME_LIMIT) -> None:
    """Read ``data`` both ways; raise whatever is neither a result nor our error."""
    _warm_up()
    with tempfile.TemporaryDirectory(prefix="conflictdata-fuzz-") as folder:
        path = reader.write(data, Path(folder))
        with time_limit(seconds):
            try:
                report = cd.validate_file(path, format=reader.format)
            except cd.ConflictDataError:
                report = None
            try:
                result = cd.read(path, format=reader.format)
            except cd.DataValidationError as exc:
                if report is not None and not report.errors:
                    msg = f"validate_file found no error, read() refused: {exc}"
                    raise AssertionError(msg) from exc
                return
            except cd.ConflictDataError:
                return
            assert isinstance(result.dataset, cd.Dataset)


def load_reproducer(path: Path) -> Input:
    """A kept input: a file's bytes, or a package directory's files."""
    return _package(path) if path.is_dir() else path.read_bytes()


def keep(reader: Reader, data: Input, name: str) -> Path:
    """Save ``data`` as reproducer ``name`` of ``reader`` in the corpus."""
    folder = CORPUS / reader.name
    folder.mkdir(parents=True, exist_ok=True)
    if isinstance(data, dict) and not reader.filename.endswith(".zip"):
        path = folder / name
        path.mkdir()
        for member, content in data.items():
            (path / member).write_bytes(content)
        return path
    path = folder / f"{name}{Path(reader.filename).suffix}"
    path.write_bytes(zip_of(data) if isinstance(data, dict) else data)
    return path
