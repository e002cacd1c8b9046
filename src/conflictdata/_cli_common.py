"""What the command-line modules share: streams, input, problems, progress."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

from . import formats
from ._report import Report
from ._staging import ReapedTemporaryDirectory

__all__ = ["Progress", "Streams", "UsageError", "label", "open_input", "print_problems"]


class UsageError(Exception):
    """Bad arguments or files: exit code 2, with a message and no traceback."""


class Progress:
    """A one-line counter on stderr, shown only on a terminal and after a second."""

    DELAY = 1.0
    EVERY = 0.2

    def __init__(
        self,
        stream: IO[str],
        label: str,
        *,
        enabled: bool,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._stream = stream
        self._label = label
        self._enabled = enabled and stream.isatty()
        self._clock = clock
        self._start = clock()
        self._last = 0.0
        self._shown = False

    def __call__(self, count: int) -> None:
        if not self._enabled:
            return
        now = self._clock()
        if now - self._start < self.DELAY or now - self._last < self.EVERY:
            return
        self._last = now
        rate = count / (now - self._start)
        self._stream.write(f"\r{self._label}: {count:,} records ({rate:,.0f}/s)")
        self._stream.flush()
        self._shown = True

    def done(self) -> None:
        if self._shown:
            self._stream.write("\n")


class Streams:
    def __init__(self, stdin: IO[str], stdout: IO[str], stderr: IO[str]) -> None:
        self.stdin = stdin
        self.stdout = stdout
        self.stderr = stderr

    def read_bytes(self) -> bytes:
        buffer = getattr(self.stdin, "buffer", None)
        if buffer is not None:
            data: bytes = buffer.read()
            return data
        return self.stdin.read().encode("utf-8")

    def write_bytes(self, data: bytes) -> None:
        buffer = getattr(self.stdout, "buffer", None)
        if buffer is not None:
            buffer.write(data)
            buffer.flush()
        else:
            self.stdout.write(data.decode("utf-8"))


@contextmanager
def open_input(path: str, format_name: str | None, streams: Streams) -> Iterator[tuple[Path, str]]:
    """A readable path and its format; stdin (``-``) is first copied to a temporary file."""
    if path != "-":
        yield Path(path), (format_name or formats.for_input(path).name)
        return
    fmt = formats.get(format_name or "json")
    if not fmt.readable:
        raise UsageError(f"the {fmt.name} format cannot be read")
    suffix = (fmt.suffixes or (".data",))[0]
    with ReapedTemporaryDirectory(prefix="conflictdata-") as directory:
        spooled = Path(directory) / f"stdin{suffix}"
        spooled.write_bytes(streams.read_bytes())
        yield spooled, fmt.name


def label(path: str) -> str:
    """How a path is printed: with escapes for bytes that are not UTF-8.

    Python holds such bytes of a file name as lone surrogates, which no
    stream can write.
    """
    if path == "-":
        return "<stdin>"
    return path if path.isascii() else path.encode("utf-8", "backslashreplace").decode("utf-8")


def print_problems(label: str, report: Report, stream: IO[str], *, skipped: bool = False) -> None:
    """Each problem on a line; with errors, whether anything was written."""
    for problem in report:
        stream.write(f"{label}: {problem}\n")
    for code, count in report.dropped.items():
        stream.write(f"{label}: ... and {count:,} more {code} problem(s)\n")
    if report.errors:
        counts = f"{len(report.errors)} error(s), {len(report.warnings)} warning(s)"
        outcome = "the records with errors were left out" if skipped else "nothing was written"
        stream.write(f"{label}: {counts}; {outcome}\n")
