"""``validate()``: every problem of a document or record, through the one pipeline."""

from __future__ import annotations

from typing import Any

from . import _schemacheck, _semantic
from ._build import build, paused_gc
from ._convert import to_dict
from ._errors import ConflictDataError
from ._io import collect
from ._pipeline import document_entries
from ._report import Report, document_order, error
from .formats.json import MAX_DEPTH
from .model import Actor, Dataset, Event, RecordKind, Source, Tombstone

__all__ = ["validate", "validate_plain"]

Record = Dataset | Event | Actor | Source | Tombstone
_KINDS = ("dataset", *(kind.value for kind in RecordKind))


class _KindError(ConflictDataError, ValueError):
    """``validate`` was asked for a kind of record that does not exist."""


def validate(obj: Any, kind: str | None = None) -> Report:
    """Check a document or record and report every problem, with where it is.

    It never raises for bad data: any value is judged, and what is wrong
    with it is in the report.

    Args:
        obj: Plain data (a dataset document, or a single record when
            ``kind`` says which), or a :class:`Dataset`, :class:`Event`,
            :class:`Actor`, :class:`Source` or :class:`Tombstone`.
        kind: For plain data: ``"dataset"`` (the default), ``"event"``,
            ``"actor"``, ``"source"`` or ``"tombstone"``. Records carry
            their own kind.

    Returns:
        A :class:`Report` in document order; ``report.ok`` is true when
        there are no errors. A single record's references are not resolved:
        only a dataset knows which ids exist.

    >>> import conflictdata as cd
    >>> cd.validate({"schema_version": "1.0", "metadata": {"title": "t"},
    ...              "sources": [], "actors": [], "events": [{"id": "e1"}]}).ok
    False
    """
    if isinstance(obj, Dataset):
        record_kind = "dataset"
    elif isinstance(obj, (Event, Actor, Source, Tombstone)):
        record_kind = RecordKind.of(obj).value
    else:
        record_kind = None
    if record_kind is not None:
        if kind not in (None, record_kind):
            raise _KindError(f"a {type(obj).__name__} cannot be validated as {kind!r}")
        return validate_plain(to_dict(obj), record_kind, build_record=False)[0]
    if kind is None:
        kind = "dataset"
    if kind not in _KINDS:
        raise _KindError(f"unknown kind {kind!r}; use one of {', '.join(_KINDS)}")
    return validate_plain(obj, kind, build_record=False)[0]


def validate_plain(
    data: Any, kind: str, *, build_record: bool = True
) -> tuple[Report, Record | None]:
    """Validate plain data; with ``build_record``, also return the record it makes when valid."""
    try:
        if kind == "dataset":
            return collect(document_entries(data), build_records=build_record)
        with paused_gc():
            return _validate_record(data, RecordKind(kind), build_record=build_record)
    except RecursionError:
        # Only absurdly nested input gets here (e.g. arrays in arrays
        # where the schema compares items); it is a problem, not a crash.
        problem = error((), "input.depth", f"nesting deeper than {MAX_DEPTH} levels")
        return Report.of([problem]), None


def _validate_record(
    data: Any, kind: RecordKind, *, build_record: bool
) -> tuple[Report, Record | None]:
    problems = _schemacheck.check(data, kind)
    if not problems:
        problems = _semantic.check_record(data, kind)
    report = Report.of(sorted(problems, key=document_order))
    if not report.ok or not build_record:
        return report, None
    return report, build(data, kind.record_type)
