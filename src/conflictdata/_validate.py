"""``validate()``: every problem of a document or record, through the one pipeline."""

from __future__ import annotations

import math
from collections.abc import Iterator
from typing import Any

from . import _schemacheck, _semantic
from ._build import build, paused_gc
from ._convert import to_dict
from ._errors import ConflictDataError
from ._io import collect
from ._pipeline import document_entries
from ._report import Path, Problem, Report, document_order, error
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
    >>> cd.validate({"schema_version": "1.1", "metadata": {"title": "t"},
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
    foreign = list(_not_json(data))
    if foreign:
        return Report.of(foreign), None
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


#: The Python types of JSON values; subclasses are not (an int subclass may
#: print as anything, and a bool is its own JSON type).
_JSON_SCALARS = frozenset({str, int, float, bool, type(None)})


def _not_json(data: Any) -> Iterator[Problem]:
    """A problem for each value in ``data`` that no JSON document could hold."""
    stack: list[tuple[Any, Path]] = [(data, ())]
    while stack:
        value, path = stack.pop()
        kind = type(value)
        if kind is dict:
            for key, item in value.items():
                if type(key) is not str:
                    yield error(
                        path,
                        "input.type",
                        f"a member name that is not a string: {_shown(key)}",
                    )
                    continue
                stack.append((item, (*path, key)))
        elif kind is list or kind is tuple:
            stack.extend((item, (*path, index)) for index, item in enumerate(value))
        elif kind is float:
            if not math.isfinite(value):
                yield error(path, "input.constant", f"{value} is not a number JSON can hold")
        elif kind not in _JSON_SCALARS:
            yield error(path, "input.type", f"{_shown(value)} is not a JSON value")
        if len(path) > MAX_DEPTH:
            yield error(path, "input.depth", f"nesting deeper than {MAX_DEPTH} levels")
            return


def _shown(value: Any) -> str:
    name = type(value).__name__
    try:
        text = repr(value)
    except Exception:  # noqa: BLE001 - a repr of the caller's object may fail any way
        return f"a {name}"
    return f"a {name} ({text[:40]})"


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
