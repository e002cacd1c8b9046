"""The ``conflictdata`` command: validate, convert, inspect and fetch schemas.

Every command is :func:`main` with a list of arguments and the three
standard streams, so it runs the same in a terminal and in tests. Data go to
stdout, messages to stderr. Exit codes: :data:`EXIT_OK` (0),
:data:`EXIT_INVALID` (1: the data have errors, or warnings under
``--strict``) and :data:`EXIT_USAGE` (2: bad arguments, unreadable or
unwritable files).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any, NoReturn

from . import __version__, examples, formats, schemas
from ._dates import PartialDate
from ._errors import DataValidationError, UnknownFormatError
from ._io import dump, validate_file
from ._report import Report
from ._stream import convert, iter_records
from .model import Actor, Event, Source, Tombstone

__all__ = ["EXIT_INVALID", "EXIT_OK", "EXIT_USAGE", "JSON_OUTPUT_VERSION", "main", "run"]

EXIT_OK = 0
EXIT_INVALID = 1
EXIT_USAGE = 2
#: The version of ``validate --output-format json``; it changes only when
#: members are removed or change meaning.
JSON_OUTPUT_VERSION = 1


class _UsageError(Exception):
    """Bad arguments or files: exit code 2, with a message and no traceback."""


class _Parser(argparse.ArgumentParser):
    """An argument parser that writes to given streams and raises instead of exiting."""

    def __init__(self, *args: Any, streams: tuple[IO[str], IO[str]], **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", argparse.RawDescriptionHelpFormatter)
        super().__init__(*args, **kwargs)
        self.streams = streams

    def _print_message(self, message: str, file: Any = None) -> None:
        if message:
            (self.streams[1] if file is sys.stderr else self.streams[0]).write(message)

    def exit(self, status: int = 0, message: str | None = None) -> NoReturn:
        if message:
            self.streams[1].write(message)
        raise SystemExit(status)

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message}\n")


class _Progress:
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


def _formats_help() -> str:
    rows = []
    for fmt in formats.all_formats():
        endings = ", ".join(("a directory", *fmt.suffixes) if fmt.directory else fmt.suffixes)
        rows.append(f"  {fmt.name:<9} {endings:<18} {fmt.description}")
    return "\n".join(rows)


def _build_parser(stdout: IO[str], stderr: IO[str]) -> _Parser:
    streams = (stdout, stderr)
    parser = _Parser(
        prog="conflictdata",
        description="Validate, convert and inspect conflict-event datasets.",
        epilog="Exit codes: 0 success, 1 invalid data, 2 usage or I/O error.\n"
        "Run 'conflictdata COMMAND --help' for a command's options and an example.",
        streams=streams,
    )
    parser.add_argument("--version", action="version", version=f"conflictdata {__version__}")
    parser.add_argument(
        "-q", "--quiet", action="store_true", help="no progress display and no summaries"
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def command(name: str, summary: str, example: str) -> _Parser:
        sub: _Parser = commands.add_parser(
            name,
            help=summary,
            description=summary,
            epilog=f"Example:\n  {example}\n\nFormats:\n{_formats_help()}",
            streams=streams,
        )
        sub.add_argument("-q", "--quiet", action="store_true", default=argparse.SUPPRESS,
                         help="no progress display and no summaries")  # fmt: skip
        return sub

    validate = command(
        "validate",
        "Check files against the schemas and the cross-record rules.",
        "conflictdata validate karabakh.json events.jsonl --strict",
    )
    validate.add_argument("paths", nargs="+", metavar="PATH", help="files to check; - for stdin")
    validate.add_argument("--format", help="the files' format (default: from each name)")
    validate.add_argument(
        "--output-format",
        choices=("text", "json"),
        default="text",
        help="text for people (default), json for programs",
    )
    validate.add_argument("--strict", action="store_true", help="warnings fail too")

    conv = command(
        "convert",
        "Convert a dataset to another format, validating it on the way.",
        "conflictdata convert karabakh.json karabakh.tei.xml",
    )
    conv.add_argument("source", metavar="IN", help="the file to read; - for stdin")
    conv.add_argument("target", metavar="OUT", help="the file to write; - for stdout")
    conv.add_argument("--from", dest="from_format", help="the input format (default: from IN)")
    conv.add_argument("--to", dest="to_format", help="the output format (default: from OUT)")
    conv.add_argument("--force", action="store_true", help="replace OUT if it exists")

    schema = command(
        "schema",
        "Print a JSON Schema of the data model, or where the installed file is.",
        "conflictdata schema event > event.schema.json",
    )
    schema.add_argument("name", nargs="?", default="dataset", help="default: dataset")
    schema.add_argument("--path", action="store_true", help="print the installed file's path")
    schema.add_argument("--list", action="store_true", help="list the schemas and their $id")

    example = command(
        "example",
        "Write a bundled example dataset (JSON to stdout without -o).",
        "conflictdata example -o karabakh.json -o karabakh-csv -o karabakh.tei.xml",
    )
    example.add_argument("name", nargs="?", default="karabakh-2020", help="default: %(default)s")
    example.add_argument(
        "-o",
        "--output",
        action="append",
        default=[],
        metavar="OUT",
        help="a file to write; the format comes from its name (repeatable)",
    )
    example.add_argument("--to", dest="to_format", help="the format of every OUT")
    example.add_argument("--force", action="store_true", help="replace files that exist")
    example.add_argument("--list", action="store_true", help="list the bundled examples")

    info = command(
        "info",
        "Summarise a dataset: counts, date range, event types, statuses, countries.",
        "conflictdata info karabakh.json",
    )
    info.add_argument("path", metavar="PATH", help="the file to summarise; - for stdin")
    info.add_argument("--format", help="the file's format (default: from its name)")
    return parser


def main(
    argv: Sequence[str] | None = None,
    *,
    stdin: IO[str] | None = None,
    stdout: IO[str] | None = None,
    stderr: IO[str] | None = None,
) -> int:
    """Run the command line with ``argv``; return the exit code."""
    stdin = stdin or sys.stdin
    stdout = stdout or sys.stdout
    stderr = stderr or sys.stderr
    parser = _build_parser(stdout, stderr)
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:
        return exc.code if isinstance(exc.code, int) else EXIT_USAGE
    run_command: Callable[[argparse.Namespace, _Streams], int] = _COMMANDS[args.command]
    try:
        return run_command(args, _Streams(stdin, stdout, stderr))
    except _UsageError as exc:
        stderr.write(f"conflictdata {args.command}: {exc}\n")
        return EXIT_USAGE
    except (UnknownFormatError, FileExistsError, FileNotFoundError, IsADirectoryError) as exc:
        stderr.write(f"conflictdata {args.command}: {_message(exc)}\n")
        return EXIT_USAGE
    except BrokenPipeError:
        raise
    except OSError as exc:
        stderr.write(f"conflictdata {args.command}: {_message(exc)}\n")
        return EXIT_USAGE


def _message(exc: BaseException) -> str:
    if isinstance(exc, OSError) and exc.strerror and exc.filename:
        return f"{exc.filename}: {exc.strerror}"
    return str(exc)


def run() -> None:
    """The console script: run :func:`main` and exit with its code."""
    try:
        code = main()
        sys.stdout.flush()
    except BrokenPipeError:
        # The reader of stdout went away (``| head``): not an error of ours.
        # Python would complain again flushing stdout at exit; point it nowhere.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        code = EXIT_OK
    sys.exit(code)


class _Streams:
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
def _input(path: str, format_name: str | None, streams: _Streams) -> Iterator[tuple[Path, str]]:
    """A readable path and its format; stdin (``-``) is first copied to a temporary file."""
    if path != "-":
        yield Path(path), (format_name or formats.for_path(path).name)
        return
    fmt = formats.get(format_name or "json")
    if not fmt.readable:
        raise _UsageError(f"the {fmt.name} format cannot be read")
    suffix = (fmt.suffixes or (".data",))[0]
    with tempfile.TemporaryDirectory(prefix="conflictdata-") as directory:
        spooled = Path(directory) / f"stdin{suffix}"
        spooled.write_bytes(streams.read_bytes())
        yield spooled, fmt.name


def _label(path: str) -> str:
    return "<stdin>" if path == "-" else path


# validate


def _validate(args: argparse.Namespace, streams: _Streams) -> int:
    results = []
    for path in args.paths:
        with _input(path, args.format, streams) as (readable, name):
            results.append((_label(path), validate_file(readable, format=name)))
    failed = any(report.errors or (args.strict and report.warnings) for _, report in results)
    if args.output_format == "json":
        json.dump(
            _json_report(results, strict=args.strict), streams.stdout, ensure_ascii=False, indent=2
        )
        streams.stdout.write("\n")
    else:
        for label, report in results:
            for problem in report:
                streams.stdout.write(f"{label}: {problem}\n")
            if not args.quiet:
                verdict = (
                    "invalid" if report.errors or (args.strict and report.warnings) else "valid"
                )
                streams.stdout.write(
                    f"{label}: {verdict}: {len(report.errors)} error(s), "
                    f"{len(report.warnings)} warning(s)\n"
                )
    return EXIT_INVALID if failed else EXIT_OK


def _json_report(results: list[tuple[str, Report]], *, strict: bool) -> dict[str, Any]:
    files = [
        {
            "path": label,
            "valid": not report.errors and not (strict and report.warnings),
            "errors": len(report.errors),
            "warnings": len(report.warnings),
            "problems": [p.as_dict() for p in report],
        }
        for label, report in results
    ]
    return {
        "version": JSON_OUTPUT_VERSION,
        "valid": all(f["valid"] for f in files),
        "strict": strict,
        "files": files,
    }


# convert


def _convert(args: argparse.Namespace, streams: _Streams) -> int:
    if args.target == "-" and not args.to_format:
        raise _UsageError("say the output format with --to when writing to stdout")
    if (
        args.target != "-"
        and args.source != "-"
        and Path(args.target).resolve() == Path(args.source).resolve()
    ):
        raise _UsageError(f"{args.target} is the input: conflictdata never overwrites its input")
    with _input(args.source, args.from_format, streams) as (readable, source_format):
        progress = _Progress(streams.stderr, "converting", enabled=not args.quiet)
        try:
            if args.target == "-":
                report = _convert_to_stdout(
                    readable, source_format, args.to_format, streams, progress
                )
            else:
                report = convert(
                    readable,
                    args.target,
                    from_format=source_format,
                    to_format=args.to_format,
                    overwrite=args.force,
                    progress=progress,
                )
        except DataValidationError as exc:
            progress.done()
            _print_problems(_label(args.source), exc.report, streams.stderr)
            return EXIT_INVALID
        except FileExistsError:
            raise _UsageError(f"{args.target} exists; use --force to replace it") from None
        progress.done()
    _print_problems(_label(args.source), report, streams.stderr)
    return EXIT_OK


def _convert_to_stdout(
    source: Path, source_format: str, target_format: str, streams: _Streams, progress: _Progress
) -> Report:
    fmt = formats.get(target_format)
    if not fmt.writable or fmt.directory:
        raise _UsageError(
            f"the {fmt.name} format is a directory or an archive: write it to a file, not stdout"
            if fmt.directory
            else f"the {fmt.name} format cannot be written"
        )
    with tempfile.TemporaryDirectory(prefix="conflictdata-") as directory:
        staged = Path(directory) / f"out{(fmt.suffixes or ('.data',))[0]}"
        report = convert(
            source, staged, from_format=source_format, to_format=fmt.name, progress=progress
        )
        streams.write_bytes(staged.read_bytes())
    return report


def _print_problems(label: str, report: Report, stream: IO[str]) -> None:
    for problem in report:
        stream.write(f"{label}: {problem}\n")
    if report.errors:
        counts = f"{len(report.errors)} error(s), {len(report.warnings)} warning(s)"
        stream.write(f"{label}: {counts}; nothing was written\n")


# schema


def _schema(args: argparse.Namespace, streams: _Streams) -> int:
    if args.list:
        for name in schemas.names():
            streams.stdout.write(f"{name:<8} {schemas.uri(name)}\n")
        return EXIT_OK
    if args.name not in schemas.names():
        raise _UsageError(
            f"no schema called {args.name!r}; there are: {', '.join(schemas.names())}"
        )
    if args.path:
        streams.stdout.write(f"{schemas.files()[args.name]}\n")
        return EXIT_OK
    streams.stdout.write(schemas.files()[args.name].read_text("utf-8"))
    return EXIT_OK


# example


def _example(args: argparse.Namespace, streams: _Streams) -> int:
    if args.list:
        for name in examples.names():
            streams.stdout.write(f"{name}\n")
        return EXIT_OK
    if args.name not in examples.names():
        raise _UsageError(
            f"no example called {args.name!r}; there are: {', '.join(examples.names())}"
        )
    if not args.output:
        if args.to_format and args.to_format != "json":
            raise _UsageError("without -o the example is written to stdout as JSON")
        streams.write_bytes(examples.path(args.name).read_bytes())
        return EXIT_OK
    dataset = examples.load(args.name)
    for output in args.output:
        try:
            report = dump(dataset, output, format=args.to_format, overwrite=args.force)
        except FileExistsError:
            raise _UsageError(f"{output} exists; use --force to replace it") from None
        _print_problems(output, report, streams.stderr)
        if not args.quiet:
            streams.stderr.write(
                f"wrote {output} ({(args.to_format or formats.for_path(output).name)})\n"
            )
    return EXIT_OK


# info


def _info(args: argparse.Namespace, streams: _Streams) -> int:
    with _input(args.path, args.format, streams) as (readable, name):
        try:
            summary = _summarise(readable, name)
        except DataValidationError as exc:
            _print_problems(_label(args.path), exc.report, streams.stderr)
            return EXIT_INVALID
    streams.stdout.write(summary.render(_label(args.path)))
    return EXIT_OK


class _Summary:
    def __init__(self, title: str) -> None:
        self.title = title
        self.counts: Counter[str] = Counter()
        self.types: Counter[str] = Counter()
        self.statuses: Counter[str] = Counter()
        self.countries: Counter[str] = Counter()
        self.first: PartialDate | None = None
        self.last: PartialDate | None = None
        self.fatalities = 0
        self.with_fatalities = 0

    def add(self, record: Source | Actor | Event) -> None:
        self.counts[type(record).__name__] += 1
        if not isinstance(record, Event):
            return
        self.types[str(record.type)] += 1
        self.statuses[str(record.status)] += 1
        self.countries[(record.location and record.location.country) or "(none)"] += 1
        start, end = record.when.start, record.when.end or record.when.start
        if self.first is None or start.earliest() < self.first.earliest():
            self.first = start
        if self.last is None or end.latest() > self.last.latest():
            self.last = end
        if record.fatalities and record.fatalities.best is not None:
            self.fatalities += record.fatalities.best
            self.with_fatalities += 1

    def render(self, label: str) -> str:
        def ranked(counter: Counter[str]) -> str:
            return ", ".join(f"{key} {n}" for key, n in counter.most_common()) or "-"

        span = f"{self.first} to {self.last}" if self.first else "-"
        rows = [
            ("file", label),
            ("title", self.title),
            ("events", f"{self.counts['Event']:,}"),
            ("actors", f"{self.counts['Actor']:,}"),
            ("sources", f"{self.counts['Source']:,}"),
            ("dates", span),
            ("event types", ranked(self.types)),
            ("statuses", ranked(self.statuses)),
            ("countries", ranked(self.countries)),
            (
                "fatalities",
                f"{self.fatalities:,} (best figures of {self.with_fatalities:,} events)"
                if self.with_fatalities
                else "- (no event gives a best figure)",
            ),
        ]
        width = max(len(key) for key, _ in rows)
        return "".join(f"{key:<{width}}  {value}\n" for key, value in rows)


def _summarise(path: Path, format_name: str) -> _Summary:
    # Streamed: a summary of a large file needs no more memory than the counts.
    with iter_records(path, format=format_name) as records:
        summary = _Summary(records.metadata.title)
        for record in records:
            if not isinstance(record, Tombstone):
                summary.add(record)
    return summary


_COMMANDS: dict[str, Callable[[argparse.Namespace, _Streams], int]] = {
    "validate": _validate,
    "convert": _convert,
    "schema": _schema,
    "example": _example,
    "info": _info,
}
