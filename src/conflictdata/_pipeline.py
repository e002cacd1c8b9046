"""The record pipeline: every record of every input is checked the same way.

Readers turn bytes into *entries*: the dataset header, then records, each
with where it was in the file, and problems the reader found on its own (a
bad row, a skipped document record). :class:`Pipeline` puts every record
through one :class:`Checker` (the schema gate, then the checks the schema
cannot express, the id index and references to records not seen yet) and
hands on the records that passed. ``validate``, ``load``, ``read``,
``validate_file``, ``iter_records`` and ``convert`` are all loops over it, so
streaming and whole-document checks cannot disagree, and one run reports
every problem: schema and reference problems alike.

A record the schema rejects is not checked further (its shape is unknown),
but every other record still is. Problems past :data:`PROBLEM_CAP` of one
code are counted, not kept, so invalid input of any size is reported in
bounded memory.
"""

from __future__ import annotations

import csv
import zipfile
import zlib
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any

import attrs

from . import _migrations, _schemacheck, _semantic, schemas
from ._errors import InputError
from ._ids import IdIndex
from ._report import (
    PROBLEM_CAP,
    Path,
    Problem,
    Report,
    Severity,
    document_order,
    error,
    warning,
)
from .formats._base import BadRecordsError, Entry, Where
from .model import RecordKind

__all__ = [
    "PROBLEM_CAP",
    "Checker",
    "Pipeline",
    "ProblemLog",
    "document_entries",
    "unreadable",
]

Plain = dict[str, Any]


class ProblemLog:
    """Problems as they are found: up to ``cap`` of each code kept, the rest counted."""

    def __init__(self, cap: int = PROBLEM_CAP) -> None:
        self._cap = cap
        self._kept: list[Problem] = []
        self._seen: Counter[str] = Counter()
        self._dropped: Counter[str] = Counter()
        self.errors = 0

    def add(self, problem: Problem) -> None:
        """Note one problem."""
        if problem.severity is Severity.ERROR:
            self.errors += 1
        self._seen[problem.code] += 1
        if self._seen[problem.code] > self._cap:
            self._dropped[problem.code] += 1
        else:
            self._kept.append(problem)

    def extend(self, problems: Iterable[Problem]) -> None:
        """Note several problems."""
        for problem in problems:
            self.add(problem)

    def count(self, dropped: Mapping[str, int]) -> None:
        """Note errors a reader counted without keeping, by code."""
        for code, number in dropped.items():
            self.errors += number
            self._seen[code] += number
            self._dropped[code] += number

    @property
    def warnings(self) -> list[Problem]:
        """The warnings kept so far."""
        return [p for p in self._kept if p.severity is Severity.WARNING]

    def report(self, *, ordered: bool = False) -> Report:
        """The report of everything noted; ``ordered`` sorts it in document order."""
        problems = sorted(self._kept, key=document_order) if ordered else self._kept
        return Report(tuple(problems), dict(self._dropped))


#: What a reader's libraries raise on bad bytes: decoding, zip and zlib
#: damage, a truncated or encrypted zip member, number conversion, memory.
_UNREADABLE = (
    UnicodeError,
    zipfile.BadZipFile,
    zlib.error,
    EOFError,
    NotImplementedError,
    RuntimeError,
    MemoryError,
    OverflowError,
    csv.Error,
    ValueError,
)


def unreadable(exc: BaseException) -> Problem:
    """The problem that stands for an exception a reader raised on bad input."""
    if isinstance(exc, InputError):
        return exc.as_problem()
    if isinstance(exc, UnicodeDecodeError):
        return error((), "input.encoding", f"not UTF-8: {exc.reason} at byte {exc.start}")
    if isinstance(exc, (MemoryError, OverflowError)) or "digits" in str(exc):
        return error((), "input.size", f"a value too large to read ({type(exc).__name__})")
    if isinstance(exc, (zipfile.BadZipFile, zlib.error, EOFError)):
        return error((), "input.syntax", f"a damaged zip archive: {exc}")
    if isinstance(exc, (NotImplementedError, RuntimeError)):
        # zipfile's words for a member it cannot open: encrypted, or an
        # unsupported compression method.
        return error((), "input.syntax", f"a zip member that cannot be read: {exc}")
    return error((), "input.syntax", f"unreadable input: {exc}")


def _at(where: Where, path: Path) -> str | None:
    return where(path) if callable(where) else where


@attrs.define
class _Held:
    """A record waiting for records it refers to (when bad records are skipped)."""

    kind: RecordKind
    data: Plain
    prefix: Path
    where: str | None
    targets: list[tuple[str, str, Path]]


class Checker:
    """Checks one document's records one at a time, remembering what it must.

    It remembers the ids seen (to find duplicates and resolve references)
    and the references to records not seen yet. With ``skip_invalid``, a
    record is accepted only once everything it refers to has been accepted:
    records that refer ahead wait until the end, and references to skipped
    records are problems of their own, so what is accepted is valid as a
    whole.
    """

    def __init__(self, log: ProblemLog, *, skip_invalid: bool = False) -> None:
        self.log = log
        self._skip = skip_invalid
        self._ids = IdIndex()
        self._pending: list[tuple[str, str, Path, str | None]] = []
        self._held: list[_Held] = []
        self._counts = dict.fromkeys(RecordKind, 0)
        #: The schema version records are checked against: the document's own.
        self.version = schemas.SCHEMA_VERSION
        #: Per kind, the schema gate of :attr:`version`: None for a kind the
        #: version cannot hold.
        self._gates: dict[RecordKind, Callable[[Any], bool] | None] = {}

    def _note(self, problems: Iterable[Problem], prefix: Path, where: Where) -> bool:
        """Note problems found at ``prefix``; True when none is an error."""
        ok = True
        for problem in problems:
            if problem.severity is Severity.ERROR:
                ok = False
            self.log.add(
                attrs.evolve(
                    problem,
                    path=(*prefix, *problem.path),
                    location=problem.location or _at(where, problem.path),
                )
            )
        return ok

    def header(self, data: Any, where: Where = None) -> bool:
        """Check the dataset's own members (``schema_version``, ``metadata``).

        A document of an older published version is checked against its own
        version's schemas, and a warning says it is migrated.
        """
        declared = data.get("schema_version") if isinstance(data, dict) else None
        if isinstance(declared, str) and declared in schemas.versions():
            self.version = declared
            self._gates.clear()
        # Record lists are checked record by record; a member that is not a
        # list stays in, for the schema to report.
        envelope = (
            {**{k: [] for k in ("sources", "actors", "events")}, **data}
            if isinstance(data, dict)
            else data
        )
        problems = _schemacheck.check(envelope, "dataset", self.version)
        if not problems:
            problems = _semantic.check_metadata(data["metadata"])
            if self.version != schemas.SCHEMA_VERSION:
                problems.append(
                    warning(
                        ("schema_version",),
                        "schema.migrated",
                        f"a schema {self.version} document, read as schema "
                        f"{schemas.SCHEMA_VERSION} (nothing in it changes meaning)",
                    )
                )
        return self._note(problems, (), where)

    def _gate(self, kind: RecordKind) -> Callable[[Any], bool] | None:
        if kind not in self._gates:
            known = kind.value in schemas.names(self.version)
            self._gates[kind] = _schemacheck.fast_is_valid(kind, self.version) if known else None
        return self._gates[kind]

    def _schema_valid(self, kind: RecordKind, data: Any, prefix: Path, where: Where) -> bool:
        """Whether the record passes its schema; its problems noted when not."""
        is_valid = self._gate(kind)
        if is_valid is None:
            self._note(
                [
                    error(
                        (),
                        "input.record-type",
                        f"a schema {self.version} document cannot hold {kind.value} records",
                    )
                ],
                prefix,
                where,
            )
            return False
        try:
            if is_valid(data):
                return True
        except UnicodeEncodeError:
            # A lone surrogate cannot cross into Rust: the full check explains.
            pass
        problems = _schemacheck.check(data, kind, self.version)
        if not problems:
            return True
        self._note(problems, prefix, where)
        if not self._skip and isinstance(data, dict) and isinstance(data.get("id"), str):
            # Its id exists in the document: references to it are not
            # also reported as unresolved.
            self._ids.add(data["id"], kind)
        return False

    def record(
        self, kind: RecordKind, data: Any, where: Where = None, *, ascii_text: bool = False
    ) -> bool:
        """Check one record; True when it is accepted now."""
        index = self._counts[kind]
        self._counts[kind] = index + 1
        prefix: Path = (kind.member, index)
        if not self._schema_valid(kind, data, prefix, where):
            return False
        problems = _semantic.check_record(data, kind, ascii_text=ascii_text)
        record_id = data["id"]
        ids = self._ids
        first = ids.get(record_id) if self._skip else ids.add(record_id, kind)
        if first is not None:
            problems.append(
                error(
                    ("id",),
                    "id.duplicate",
                    f"id {record_id!r} is already used by {_semantic.a(first)}",
                )
            )
        waiting: list[tuple[str, str, Path]] = []
        for target, expected, path in _semantic.references(data, kind):
            found = ids.get(target)
            if found is None:
                if self._skip:
                    waiting.append((target, expected, path))
                else:
                    self._pending.append((target, expected, (*prefix, *path), _at(where, path)))
            elif found != expected:
                problems.append(_semantic.reference_problem(target, expected, found, path))
        if problems and not self._note(problems, prefix, where):
            return False
        if not self._skip:
            return True
        if waiting:
            self._held.append(_Held(kind, data, prefix, _at(where, ()), waiting))
            return False
        ids.add(record_id, kind)
        return True

    def finish(self) -> list[tuple[RecordKind, Plain]]:
        """Resolve what was waiting: problems of references that never resolved.

        Returns the records that waited and are now accepted (only when
        skipping invalid records; otherwise every valid record was already
        accepted).
        """
        for target, expected, path, location in self._pending:
            found = self._ids.get(target)
            if found != expected:
                problem = _semantic.reference_problem(target, expected, found, path)
                self.log.add(attrs.evolve(problem, location=location))
        self._pending.clear()
        accepted: list[tuple[RecordKind, Plain]] = []
        progress = True
        while progress and self._held:
            progress = False
            for held in list(self._held):
                if all(self._ids.get(t) == expected for t, expected, _ in held.targets):
                    self._ids.add(held.data["id"], held.kind)
                    accepted.append((held.kind, held.data))
                    self._held.remove(held)
                    progress = True
        for held in self._held:
            for target, expected, path in held.targets:
                found = self._ids.get(target)
                if found != expected:
                    problem = _semantic.reference_problem(target, expected, found, path)
                    self._note([problem], held.prefix, held.where)
        self._held.clear()
        return accepted

    def close(self) -> None:
        """Drop the id index."""
        self._ids.close()


class Pipeline:
    """The records of a stream of entries that pass the checks, in stream order.

    Iterating yields ``(kind, plain record)`` for each accepted record. The
    header (``schema_version`` and ``metadata``) is checked first and kept
    in :attr:`header`. Input a reader cannot read any further ends the
    stream with a problem. :meth:`failed` turns true at the first error;
    without ``skip_invalid`` the caller decides what an error means
    (``iter_records`` stops, ``convert`` stops writing and reads on to report
    everything). :attr:`log` holds every problem.
    """

    def __init__(
        self,
        entries: Iterator[Entry],
        *,
        skip_invalid: bool = False,
        log: ProblemLog | None = None,
    ) -> None:
        self.log = log if log is not None else ProblemLog()
        self._entries = entries
        self._checker = Checker(self.log, skip_invalid=skip_invalid)
        self.header: Plain | None = None
        self._finished = False
        self._steps: list[_migrations.Migration] = []

    def failed(self) -> bool:
        """True once any error has been found."""
        return self.log.errors > 0

    def read_header(self) -> Plain | None:
        """Read and check the header; None when the input has none that is valid."""
        if self.header is not None or self._finished:
            return self.header
        for entry in self._next_entries():
            kind, data, where, _ = entry
            if kind != "dataset":
                self.log.add(
                    error(
                        (), "input.record-type", "the input does not start with a dataset header"
                    )
                )
                self._end()
                return None
            if self._checker.header(data, where) and isinstance(data, dict):
                self._steps = _migrations.steps(self._checker.version, schemas.SCHEMA_VERSION)
                header = data
                for step in self._steps:
                    header = step.header(header)
                self.header = header
            else:
                self._end()
            return self.header
        self._end()
        return None

    def _next_entries(self) -> Iterator[tuple[str, Any, Where, bool]]:
        """The stream's items; reader problems are noted on the way."""
        while not self._finished:
            try:
                entry = next(self._entries)
            except StopIteration:
                return
            except BadRecordsError as exc:
                self.log.extend(exc.problems)
                self.log.count(exc.dropped)
                return
            except InputError as exc:
                self.log.add(exc.as_problem())
                return
            except RecursionError:
                self.log.add(error((), "input.depth", "nesting too deep to read"))
                return
            except _UNREADABLE as exc:
                # The last line of defence: readers turn these into located
                # problems where they know the place; any that escapes still
                # ends the input with a problem, not a traceback.
                self.log.add(unreadable(exc))
                return
            if isinstance(entry, Problem):
                self.log.add(entry)
                continue
            yield entry

    def __iter__(self) -> Iterator[tuple[RecordKind, Plain]]:
        if self.read_header() is None:
            return
        checker = self._checker
        try:
            for kind, data, where, ascii_text in self._next_entries():
                if kind == "dataset":
                    self.log.add(
                        error((), "input.record-type", "a second dataset header in one input")
                    )
                    continue
                member = RecordKind.named(kind)
                try:
                    accepted = checker.record(member, data, where, ascii_text=ascii_text)
                except RecursionError:
                    self.log.add(error((), "input.depth", "nesting too deep to check"))
                    accepted = False
                if accepted:
                    yield self._migrated(member, data) if self._steps else (member, data)
            for kind_, data_ in checker.finish():
                yield self._migrated(kind_, data_)
        finally:
            self._end()

    @property
    def source_version(self) -> str:
        """The schema version the input was written in (records come out in the current one)."""
        return self._checker.version

    def _migrated(self, kind: RecordKind, data: Plain) -> tuple[RecordKind, Plain]:
        for step in self._steps:
            # Going up never loses anything: every step adds.
            moved, _ = step.record(kind, data, ())
            if moved is not None:
                data = moved
        return kind, data

    def _end(self) -> None:
        if not self._finished:
            self._finished = True
            self._checker.close()
            close: Callable[[], None] | None = getattr(self._entries, "close", None)
            if close is not None:
                close()

    def close(self) -> None:
        """Stop reading; release the id index."""
        self._end()


def document_entries(
    document: Any, locate: Callable[[Path], str | None] | None = None
) -> Iterator[Entry]:
    """The entries of a whole plain document: its header, then every record.

    ``locate`` gives the file location of a path in the document, for formats
    that know one (a CSV table's row and column).
    """
    if not isinstance(document, dict):
        yield "dataset", document, None, False
        return
    header = {k: v for k, v in document.items() if not (k in _MEMBERS and isinstance(v, list))}
    yield "dataset", header, _prefixed(locate, ()), False
    for kind in RecordKind:
        records = document.get(kind.member)
        if isinstance(records, list):
            for index, record in enumerate(records):
                yield kind, record, _prefixed(locate, (kind.member, index)), False


_MEMBERS = frozenset(k.member for k in RecordKind)


def _prefixed(locate: Callable[[Path], str | None] | None, prefix: Path) -> Where:
    if locate is None:
        return None
    return lambda path: locate((*prefix, *path))
