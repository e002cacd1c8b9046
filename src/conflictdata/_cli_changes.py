"""``conflictdata diff``, ``patch`` and ``update``: changes between versions of a dataset."""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from pathlib import Path

from ._changes import Changes, ChangesError
from ._cli_common import Streams, UsageError, print_problems
from ._diff import diff, patch
from ._errors import DataValidationError, InputError
from ._io import dump
from ._update import update, update_changes
from .model import Dataset

__all__ = ["add_commands", "run_diff", "run_patch", "run_update"]

#: ``diff``'s exit codes, as the Unix ``diff`` has them.
SAME, DIFFERENT, TROUBLE = 0, 1, 2


def add_commands(make: Callable[[str, str, str], argparse.ArgumentParser]) -> None:
    """Add the three commands through the parser's maker (name, summary, example)."""
    diff_ = make(
        "diff",
        "Show what changed between two versions of a dataset, record by record (keyed by id).",
        "conflictdata diff old.jsonl new.jsonl --output-format json > changes.json",
    )
    diff_.add_argument("old", metavar="A", help="the older dataset, any readable format")
    diff_.add_argument("new", metavar="B", help="the newer dataset, any readable format")
    diff_.add_argument("--format-a", help="A's format (default: from its name or content)")
    diff_.add_argument("--format-b", help="B's format (default: from its name or content)")
    diff_.add_argument(
        "--output-format",
        choices=("text", "json"),
        default="text",
        help="a summary for people (default), or the changes as JSON for 'patch'",
    )
    patch_ = make(
        "patch",
        "Apply changes (as 'diff --output-format json' writes them) to a dataset.",
        "conflictdata patch old.jsonl changes.json new.jsonl",
    )
    patch_.add_argument("old", metavar="A", help="the dataset to change")
    patch_.add_argument("changes", metavar="CHANGES", help="the changes, as JSON; - for stdin")
    patch_.add_argument("target", metavar="OUT", help="the file to write")
    patch_.add_argument("--format", dest="from_format", help="A's format (default: from A)")
    patch_.add_argument("--to", dest="to_format", help="OUT's format (default: from OUT)")
    patch_.add_argument("--force", action="store_true", help="replace OUT if it exists")
    update_ = make(
        "update",
        "Bring a dataset up to date with a newer export: replace, add, and record deletions.",
        "conflictdata update base.jsonl acled-new.csv --from acled "
        "--deletions deletions.csv -o updated.jsonl",
    )
    update_.add_argument("base", metavar="BASE", help="the dataset to update (never overwritten)")
    update_.add_argument("newer", metavar="NEWER", help="the newer export")
    update_.add_argument("--from", dest="newer_format", help="NEWER's format (default: from it)")
    update_.add_argument("--base-format", help="BASE's format (default: from its name)")
    update_.add_argument(
        "--deletions", help="a deletions file (ACLED's layout: event_id_cnty,deleted_timestamp)"
    )
    update_.add_argument("--key", help="the identifier scheme to match events by (acled, ...)")
    update_.add_argument("-o", "--output", required=True, metavar="OUT", help="the file to write")
    update_.add_argument("--force", action="store_true", help="replace OUT if it exists")


def run_diff(args: argparse.Namespace, streams: Streams) -> int:
    """``diff``: exit 0 when identical, 1 when different, 2 on trouble."""
    try:
        changes = diff(args.old, args.new, format_a=args.format_a, format_b=args.format_b)
    except DataValidationError as exc:
        print_problems(exc.source or args.old, exc.report, streams.stderr)
        return TROUBLE
    if args.output_format == "json":
        json.dump(changes.as_dict(), streams.stdout, ensure_ascii=False, indent=2)
        streams.stdout.write("\n")
    else:
        streams.stdout.write(changes.summary() + "\n")
    return DIFFERENT if changes else SAME


def run_patch(args: argparse.Namespace, streams: Streams) -> int:
    """``patch``: write A with the changes applied."""
    text = streams.read_bytes() if args.changes == "-" else Path(args.changes).read_bytes()
    try:
        changes = Changes.from_dict(json.loads(text))
    except (ValueError, ChangesError) as exc:
        raise UsageError(f"{args.changes} holds no changes conflictdata can read: {exc}") from None
    try:
        patched = patch(args.old, changes, format=args.from_format)
    except ChangesError as exc:
        streams.stderr.write(f"conflictdata patch: {exc}; nothing was written\n")
        return DIFFERENT
    except DataValidationError as exc:
        print_problems(args.old, exc.report, streams.stderr)
        return DIFFERENT
    _write(patched, args.target, args.to_format, force=args.force, streams=streams)
    return SAME


def run_update(args: argparse.Namespace, streams: Streams) -> int:
    """``update``: write BASE brought up to date, and say what changed."""
    if Path(args.output).resolve() in {Path(args.base).resolve(), Path(args.newer).resolve()}:
        raise UsageError(f"{args.output} is an input: conflictdata never overwrites its input")
    options = {
        "deletions": args.deletions,
        "key": args.key,
        "format": args.base_format,
        "newer_format": args.newer_format,
    }
    try:
        updated = update(args.base, args.newer, **options)
        changes = update_changes(args.base, args.newer, **options)
    except (ChangesError, InputError) as exc:
        streams.stderr.write(f"conflictdata update: {exc}; nothing was written\n")
        return DIFFERENT
    except DataValidationError as exc:
        print_problems(exc.source or args.newer, exc.report, streams.stderr)
        return DIFFERENT
    _write(updated, args.output, None, force=args.force, streams=streams)
    streams.stdout.write(changes.summary() + "\n")
    return SAME


def _write(
    dataset: Dataset, target: str, fmt: str | None, *, force: bool, streams: Streams
) -> None:
    try:
        report = dump(dataset, target, format=fmt, overwrite=force)
    except FileExistsError:
        raise UsageError(f"{target} exists; use --force to replace it") from None
    print_problems(target, report, streams.stderr)
