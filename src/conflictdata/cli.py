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
import contextlib
import json
import os
import signal
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from types import FrameType
from typing import IO, Any, NoReturn

from . import __version__, _cli_changes, _staging, examples, formats, schemas
from ._cli_common import Progress, Streams, UsageError, open_input, print_problems
from ._cli_common import label as label_of
from ._errors import DataValidationError, MissingDependencyError, UnknownFormatError
from ._io import dump, validate_file
from ._migrations import MigrationError
from ._report import Report
from ._staging import ReapedTemporaryDirectory
from ._stream import convert, migrate_file
from ._summary import summarise
from .model import RecordKind

__all__ = ["EXIT_INVALID", "EXIT_OK", "EXIT_USAGE", "JSON_OUTPUT_VERSION", "main", "run"]

EXIT_OK = 0
EXIT_INVALID = 1
EXIT_USAGE = 2
#: The version of ``validate --output-format json``; it changes only when
#: members are removed or change meaning.
JSON_OUTPUT_VERSION = 1


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
    conv.add_argument(
        "--skip-invalid",
        action="store_true",
        help="write the records that pass, report each one left out, and exit 1",
    )

    migrate = command(
        "migrate",
        "Write a dataset in another schema version (the current one by default).",
        "conflictdata migrate karabakh.json karabakh-1.0.json --to 1.0",
    )
    migrate.add_argument("source", metavar="IN", help="the file to read")
    migrate.add_argument("target", metavar="OUT", help="the file to write")
    migrate.add_argument(
        "--to", dest="version", help=f"the schema version (default: {schemas.SCHEMA_VERSION})"
    )
    migrate.add_argument("--from", dest="from_format", help="the input format (default: from IN)")
    migrate.add_argument(
        "--format", dest="to_format", help="the output format (default: from OUT)"
    )
    migrate.add_argument(
        "--drop-new",
        action="store_true",
        help="leave out what the older version cannot hold, instead of refusing",
    )
    migrate.add_argument("--force", action="store_true", help="replace OUT if it exists")

    schema = command(
        "schema",
        "Print a JSON Schema of the data model, or where the installed file is.",
        "conflictdata schema event > event.schema.json",
    )
    schema.add_argument("name", nargs="?", default="dataset", help="default: dataset")
    schema.add_argument("--path", action="store_true", help="print the installed file's path")
    schema.add_argument("--list", action="store_true", help="list the schemas and their $id")
    schema.add_argument(
        "--bundle",
        action="store_true",
        help="one self-contained schema, the ones it refers to embedded (for offline validators)",
    )
    schema.add_argument(
        "--arrow",
        action="store_true",
        help="the Arrow schema of the parquet format's tables (of every table for dataset)",
    )
    schema.add_argument("--version", dest="schema_version", help="a published schema version")

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

    _cli_changes.add_commands(command)

    info = command(
        "info",
        "Summarise a dataset: counts, dates, event types, statuses, countries, fatalities.",
        "conflictdata info karabakh.json",
    )
    info.add_argument("path", metavar="PATH", help="the file to summarise; - for stdin")
    info.add_argument("--format", help="the file's format (default: from its name)")
    info.add_argument("--json", action="store_true", help="print the summary as JSON")
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
    run_command: Callable[[argparse.Namespace, Streams], int] = _COMMANDS[args.command]
    try:
        return run_command(args, Streams(stdin, stdout, stderr))
    except UsageError as exc:
        stderr.write(f"conflictdata {args.command}: {exc}\n")
        return EXIT_USAGE
    except (
        UnknownFormatError,
        MissingDependencyError,
        FileExistsError,
        FileNotFoundError,
        IsADirectoryError,
    ) as exc:
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


def _on_signal(signum: int, _frame: FrameType | None) -> None:
    # Once only: a second signal must not interrupt the clean-up this one starts.
    for name in (signal.SIGINT, signal.SIGTERM):
        signal.signal(name, signal.SIG_IGN)
    _staging.stop(signum)


def run() -> None:
    """The console script: run :func:`main` and exit with its code.

    SIGINT and SIGTERM stop it with one line on stderr and exit codes 130
    and 143, after the file being written has been removed.
    """
    for name in (signal.SIGINT, signal.SIGTERM):
        signal.signal(name, _on_signal)
    try:
        code = main()
        sys.stdout.flush()
    except BrokenPipeError:
        # The reader of stdout went away (``| head``): not an error of ours.
        code = EXIT_OK
        _silence_stdout()
    except (_staging.Stopped, KeyboardInterrupt) as exc:
        signum = exc.signum if isinstance(exc, _staging.Stopped) else signal.SIGINT
        code = 128 + signum
        with contextlib.suppress(OSError, ValueError):
            sys.stderr.write(f"conflictdata: stopped by {signal.Signals(signum).name}\n")
            sys.stderr.flush()
        try:
            sys.stdout.flush()
        except (OSError, ValueError):
            _silence_stdout()
    sys.exit(code)


def _silence_stdout() -> None:
    # Python would complain again flushing stdout at exit; point it nowhere.
    with contextlib.suppress(OSError, ValueError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())


# validate


def _validate(args: argparse.Namespace, streams: Streams) -> int:
    from . import _progress  # noqa: PLC0415 - kept out of the import of the CLI

    results = []
    for path in args.paths:
        with (
            open_input(path, args.format, streams) as (readable, name),
            _progress.bar(streams.stderr, label_of(path), readable, name, quiet=args.quiet) as bar,
        ):
            results.append((label_of(path), validate_file(readable, format=name, progress=bar)))
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
            for code, count in report.dropped.items():
                streams.stdout.write(f"{label}: ... and {count:,} more {code} problem(s)\n")
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
            "dropped": dict(report.dropped),
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


def _convert(args: argparse.Namespace, streams: Streams) -> int:
    if args.target == "-" and not args.to_format:
        raise UsageError("say the output format with --to when writing to stdout")
    if (
        args.target != "-"
        and args.source != "-"
        and Path(args.target).resolve() == Path(args.source).resolve()
    ):
        raise UsageError(f"{args.target} is the input: conflictdata never overwrites its input")
    with open_input(args.source, args.from_format, streams) as (readable, source_format):
        progress = Progress(streams.stderr, "converting", enabled=not args.quiet)
        try:
            if args.target == "-":
                report = _convert_to_stdout(
                    readable,
                    source_format,
                    args.to_format,
                    streams,
                    progress,
                    skip_invalid=args.skip_invalid,
                )
            else:
                report = convert(
                    readable,
                    args.target,
                    from_format=source_format,
                    to_format=args.to_format,
                    overwrite=args.force,
                    progress=progress,
                    skip_invalid=args.skip_invalid,
                )
        except DataValidationError as exc:
            progress.done()
            print_problems(label_of(args.source), exc.report, streams.stderr)
            return EXIT_INVALID
        except FileExistsError:
            raise UsageError(f"{args.target} exists; use --force to replace it") from None
        progress.done()
    print_problems(label_of(args.source), report, streams.stderr, skipped=args.skip_invalid)
    return EXIT_INVALID if report.errors else EXIT_OK


def _convert_to_stdout(  # noqa: PLR0913 - the options of convert(), passed on
    source: Path,
    source_format: str,
    target_format: str,
    streams: Streams,
    progress: Progress,
    *,
    skip_invalid: bool = False,
) -> Report:
    fmt = formats.get(target_format)
    if not fmt.writable or fmt.directory:
        raise UsageError(
            f"the {fmt.name} format is a directory or an archive: write it to a file, not stdout"
            if fmt.directory
            else f"the {fmt.name} format cannot be written"
        )
    with ReapedTemporaryDirectory(prefix="conflictdata-") as directory:
        staged = Path(directory) / f"out{(fmt.suffixes or ('.data',))[0]}"
        report = convert(
            source,
            staged,
            from_format=source_format,
            to_format=fmt.name,
            progress=progress,
            skip_invalid=skip_invalid,
        )
        streams.write_bytes(staged.read_bytes())
    return report


# schema


def _schema(args: argparse.Namespace, streams: Streams) -> int:
    version = args.schema_version
    if version is not None and version not in schemas.versions():
        raise UsageError(
            f"no schema version {version!r}; there are: {', '.join(schemas.versions())}"
        )
    if args.list:
        for name in schemas.names(version):
            streams.stdout.write(f"{name:<9} {schemas.uri(name, version)}\n")
        return EXIT_OK
    if args.name not in schemas.names(version):
        raise UsageError(
            f"no schema called {args.name!r}; there are: {', '.join(schemas.names(version))}"
        )
    if args.arrow:
        return _arrow_schema(args.name, version, streams)
    if args.bundle:
        json.dump(schemas.bundle(args.name, version), streams.stdout, ensure_ascii=False, indent=2)
        streams.stdout.write("\n")
        return EXIT_OK
    if args.path:
        streams.stdout.write(f"{schemas.files(version)[args.name]}\n")
        return EXIT_OK
    streams.stdout.write(schemas.files(version)[args.name].read_text("utf-8"))
    return EXIT_OK


def _arrow_schema(name: str, version: str | None, streams: Streams) -> int:
    from .formats.parquet import _schema  # noqa: PLC0415 - needs pyarrow, an optional dependency

    if version not in (None, schemas.SCHEMA_VERSION):
        raise UsageError(f"the parquet format writes schema {schemas.SCHEMA_VERSION} only")
    tables = {"dataset": None, **{kind.value: kind for kind in RecordKind}}
    if name not in tables:
        raise UsageError(
            f"no Parquet table holds {name!r} records; give one of: {', '.join(tables)}"
        )
    streams.stdout.write(_schema.describe(tables[name]))
    return EXIT_OK


# migrate


def _migrate(args: argparse.Namespace, streams: Streams) -> int:
    target = args.version or schemas.SCHEMA_VERSION
    if target not in schemas.versions():
        raise UsageError(
            f"no schema version {target!r}; there are: {', '.join(schemas.versions())}"
        )
    if Path(args.target).resolve() == Path(args.source).resolve():
        raise UsageError(f"{args.target} is the input: conflictdata never overwrites its input")
    try:
        report = migrate_file(
            args.source,
            args.target,
            to=target,
            from_format=args.from_format,
            to_format=args.to_format,
            drop_new=args.drop_new,
            overwrite=args.force,
        )
    except DataValidationError as exc:
        print_problems(args.source, exc.report, streams.stderr)
        return EXIT_INVALID
    except MigrationError as exc:
        streams.stderr.write(f"conflictdata migrate: {exc}; nothing was written\n")
        return EXIT_INVALID
    except FileExistsError:
        raise UsageError(f"{args.target} exists; use --force to replace it") from None
    print_problems(args.source, report, streams.stderr)
    if not args.quiet:
        streams.stderr.write(f"wrote {args.target} (schema {target})\n")
    return EXIT_OK


# example


def _example(args: argparse.Namespace, streams: Streams) -> int:
    if args.list:
        for name in examples.names():
            streams.stdout.write(f"{name}\n")
        return EXIT_OK
    if args.name not in examples.names():
        raise UsageError(
            f"no example called {args.name!r}; there are: {', '.join(examples.names())}"
        )
    if not args.output:
        if args.to_format and args.to_format != "json":
            raise UsageError("without -o the example is written to stdout as JSON")
        streams.write_bytes(examples.path(args.name).read_bytes())
        return EXIT_OK
    dataset = examples.load(args.name)
    for output in args.output:
        try:
            report = dump(dataset, output, format=args.to_format, overwrite=args.force)
        except FileExistsError:
            raise UsageError(f"{output} exists; use --force to replace it") from None
        print_problems(output, report, streams.stderr)
        if not args.quiet:
            streams.stderr.write(
                f"wrote {output} ({(args.to_format or formats.for_path(output).name)})\n"
            )
    return EXIT_OK


# info


def _info(args: argparse.Namespace, streams: Streams) -> int:
    from . import _progress  # noqa: PLC0415 - kept out of the import of the CLI

    label = label_of(args.path)
    with (
        open_input(args.path, args.format, streams) as (readable, name),
        _progress.bar(streams.stderr, label, readable, name, quiet=args.quiet) as bar,
    ):
        try:
            summary = summarise(readable, name, progress=bar)
        except DataValidationError as exc:
            bar.close()
            print_problems(label, exc.report, streams.stderr)
            return EXIT_INVALID
    if args.json:
        json.dump(summary.as_dict(label), streams.stdout, ensure_ascii=False, indent=2)
        streams.stdout.write("\n")
    else:
        streams.stdout.write(summary.render(label))
    return EXIT_OK


_COMMANDS: dict[str, Callable[[argparse.Namespace, Streams], int]] = {
    "validate": _validate,
    "convert": _convert,
    "schema": _schema,
    "migrate": _migrate,
    "diff": _cli_changes.run_diff,
    "patch": _cli_changes.run_patch,
    "update": _cli_changes.run_update,
    "example": _example,
    "info": _info,
}
