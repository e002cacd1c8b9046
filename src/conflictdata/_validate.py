"""``validate()``: the JSON Schema gate, then checks across records."""

from __future__ import annotations

from typing import Any

from . import _schemacheck, _semantic
from ._build import paused_gc
from ._convert import RECORD_TYPES, structure_trusted, to_dict
from ._report import Problem, Report, error
from .formats.json import MAX_DEPTH
from .model import Actor, Dataset, Event, Source

__all__ = ["validate", "validate_plain"]

Record = Dataset | Event | Actor | Source
_KIND_OF_TYPE = {cls: kind for kind, cls in RECORD_TYPES.items()}


def validate(obj: Any, kind: str | None = None) -> Report:
    """Check a document or record and report every problem, with where it is.

    Args:
        obj: A plain ``dict`` (a dataset document, or a single record when
            ``kind`` says which), or a :class:`Dataset`, :class:`Event`,
            :class:`Actor` or :class:`Source`.
        kind: For plain data: ``"dataset"`` (the default), ``"event"``,
            ``"actor"`` or ``"source"``. Records carry their own kind.

    Returns:
        A :class:`Report`; ``report.ok`` is true when there are no errors.
        A single record's references are not resolved: only a dataset
        knows which ids exist.

    >>> import conflictdata as cd
    >>> cd.validate({"schema_version": "1.0", "metadata": {"title": "t"},
    ...              "sources": [], "actors": [], "events": [{"id": "e1"}]}).ok
    False
    """
    record_kind = _KIND_OF_TYPE.get(type(obj))
    if record_kind is not None:
        if kind not in (None, record_kind):
            raise ValueError(f"a {type(obj).__name__} cannot be validated as {kind!r}")
        report, _ = validate_plain(to_dict(obj), record_kind, build=False)
        return report
    if kind is None:
        kind = "dataset"
    if kind not in RECORD_TYPES:
        raise ValueError(f"unknown kind {kind!r}; use one of {', '.join(RECORD_TYPES)}")
    report, _ = validate_plain(obj, kind, build=False)
    return report


def validate_plain(data: Any, kind: str, *, build: bool = True) -> tuple[Report, Record | None]:
    """Validate plain data; with ``build``, also return the record it makes when valid."""
    with paused_gc():
        try:
            return _validate_plain(data, kind, build=build)
        except RecursionError:
            # Only absurdly nested input gets here (e.g. arrays in arrays
            # where the schema compares items); it is a problem, not a crash.
            problem = error("", "input.depth", f"nesting deeper than {MAX_DEPTH} levels")
            return Report.of([problem]), None


def _validate_plain(data: Any, kind: str, *, build: bool) -> tuple[Report, Record | None]:
    problems: list[Problem] = _schemacheck.check(data, kind)
    if not problems:
        problems = _semantic.check(data, kind)
        # Document order makes reports easy to read next to the data.
        problems.sort(key=_document_order)
    report = Report.of(problems)
    if not report.ok or not build:
        return report, None
    return report, structure_trusted(data, RECORD_TYPES[kind])


def _document_order(problem: Problem) -> list[Any]:
    return [int(p) if p.isdigit() else p for p in problem.path.split("/")]
