"""Changes between two datasets, record by record, as data with a JSON form.

Records are matched by kind and id, never by position. A changed record is
described by operations on its plain form, each at a path inside the record
(a JSON Pointer) with the old and the new value: objects are compared
member by member, lists of equal length item by item, and a list whose
length changed is replaced whole. Tombstones (the dataset's ``deleted``
list) are records of kind ``"tombstone"`` and are matched by id the same way.
:func:`conflictdata.diff` makes :class:`Changes`; :func:`conflictdata.patch`
applies them.
"""

from __future__ import annotations

import json
import os
import reprlib
from collections.abc import Iterable, Mapping
from typing import Any, Final

import attrs

from ._errors import ConflictDataError
from ._report import Path as DocPath
from ._report import pointer
from .model import Dataset, RecordKind

__all__ = [
    "FORMAT",
    "Added",
    "Changed",
    "Changes",
    "ChangesError",
    "Operation",
    "PatchConflictError",
    "Removed",
    "canonical",
    "operations",
    "same",
]

#: The ``format`` member of the JSON form of :class:`Changes`.
FORMAT: Final = "conflictdata-changes/1"
#: The member of a dataset that holds its tombstones.
DELETED: Final = RecordKind.TOMBSTONE.member
#: Kinds in the order changes list them.
KINDS: Final = tuple(kind.value for kind in RecordKind)

Plain = dict[str, Any]
Input = Dataset | Mapping[str, Any] | str | os.PathLike[str]


class ChangesError(ConflictDataError, ValueError):
    """Changes that cannot be read, made or applied (a bad changes document, no key)."""


class PatchConflictError(ChangesError):
    """The dataset does not hold what a change expects; names the record and the place."""

    def __init__(self, kind: str, record_id: str | None, path: DocPath, message: str) -> None:
        self.kind = kind
        self.record_id = record_id
        self.path = path
        where = f"{kind} {record_id}" if record_id is not None else kind
        at = f" at {pointer(*path)}" if path else ""
        super().__init__(f"{where}{at}: {message}")

    @property
    def pointer(self) -> str:
        """The JSON Pointer, inside the record, of the value in conflict."""
        return pointer(*self.path)


for _error in (ChangesError, PatchConflictError):
    _error.__module__ = "conflictdata"


class _Absent:
    """The value of a member that is not there (distinct from JSON null)."""

    def __repr__(self) -> str:
        return "ABSENT"


#: The old value of a member an operation adds, the new value of one it removes.
ABSENT: Final = _Absent()


def _kind(value: str) -> str:
    if value not in KINDS:
        raise ChangesError(f"unknown kind {value!r}; use one of {', '.join(KINDS)}")
    return RecordKind(value).value


def _path(items: Iterable[str | int]) -> DocPath:
    return tuple(items)


@attrs.frozen(kw_only=True)
class Operation:
    """One value that changed at ``path`` inside a record (or the header)."""

    #: Member names and list indexes, outermost first.
    path: DocPath = attrs.field(converter=_path)
    #: The value before, or :data:`ABSENT` when the member is added.
    old: Any = ABSENT
    #: The value after, or :data:`ABSENT` when the member is removed.
    new: Any = ABSENT

    @property
    def pointer(self) -> str:
        """The JSON Pointer of :attr:`path` (``/when/start``)."""
        return pointer(*self.path)

    def as_dict(self) -> Plain:
        """The JSON form: ``pointer``, ``path``, and ``old`` and ``new`` where present."""
        data: Plain = {"pointer": self.pointer, "path": list(self.path)}
        if self.old is not ABSENT:
            data["old"] = self.old
        if self.new is not ABSENT:
            data["new"] = self.new
        return data

    @classmethod
    def from_dict(cls, data: Any) -> Operation:
        """The operation of a JSON form made by :meth:`as_dict`."""
        path = _member(data, "path", list)
        if not all(isinstance(p, (str, int)) and not isinstance(p, bool) for p in path):
            raise ChangesError(f"an operation's path holds names and indexes only: {path!r}")
        if "pointer" in data and data["pointer"] != pointer(*path):
            raise ChangesError(f"pointer {data['pointer']!r} does not match path {path!r}")
        return cls(path=path, old=data.get("old", ABSENT), new=data.get("new", ABSENT))

    def describe(self) -> str:
        """``/when/start '2020-07' -> '2020-07-12'``."""
        return f"{self.pointer or '/'} {show(self.old)} -> {show(self.new)}"


_shorten = reprlib.Repr()
_shorten.maxstring = 40
_shorten.maxother = 40
_shorten.maxlist = _shorten.maxdict = 4


def show(value: Any) -> str:
    return "(absent)" if value is ABSENT else _shorten.repr(value)


# Named, typed converters (not ``tuple``), so that type checkers see what
# each constructor argument accepts.
def _operations(items: Iterable[Operation]) -> tuple[Operation, ...]:
    return tuple(items)


def _added(items: Iterable[Added]) -> tuple[Added, ...]:
    return tuple(items)


def _removed(items: Iterable[Removed]) -> tuple[Removed, ...]:
    return tuple(items)


def _changed(items: Iterable[Changed]) -> tuple[Changed, ...]:
    return tuple(items)


@attrs.frozen(kw_only=True)
class Added:
    """A record that only the newer dataset has, with its index in that kind's list."""

    kind: str = attrs.field(converter=_kind)
    index: int
    record: Plain = attrs.field(hash=False)

    @property
    def id(self) -> str:
        """The record's id."""
        return str(self.record["id"])


@attrs.frozen(kw_only=True)
class Removed:
    """A record that only the older dataset has, as it was."""

    kind: str = attrs.field(converter=_kind)
    id: str
    record: Plain = attrs.field(hash=False)


@attrs.frozen(kw_only=True)
class Changed:
    """A record both datasets hold, and what changed inside it."""

    kind: str = attrs.field(converter=_kind)
    id: str
    operations: tuple[Operation, ...] = attrs.field(converter=_operations)


def _ordered(order: Mapping[str, Any]) -> dict[str, tuple[str, ...]]:
    return {_kind(kind): tuple(ids) for kind, ids in order.items()}


@attrs.frozen(kw_only=True)
class Changes:
    """What :func:`diff` found; :func:`patch` applies it.

    ``bool(changes)`` is false when the datasets are the same; ``len`` counts
    the records added, removed and changed, the header operations and the
    kinds whose order changed.

    >>> import conflictdata as cd
    >>> old = cd.examples.load("karabakh-2020")
    >>> new = cd.patch(old, cd.diff(old, old))
    >>> new == old, bool(cd.diff(old, new))
    (True, False)
    """

    #: Operations on the dataset's own members (``schema_version``, ``metadata``).
    header: tuple[Operation, ...] = attrs.field(default=(), converter=_operations)
    added: tuple[Added, ...] = attrs.field(default=(), converter=_added)
    removed: tuple[Removed, ...] = attrs.field(default=(), converter=_removed)
    changed: tuple[Changed, ...] = attrs.field(default=(), converter=_changed)
    #: For a kind whose shared records were reordered: its ids in the newer order.
    order: dict[str, tuple[str, ...]] = attrs.field(factory=dict, converter=_ordered, hash=False)

    def __len__(self) -> int:
        return (
            len(self.header)
            + len(self.added)
            + len(self.removed)
            + len(self.changed)
            + len(self.order)
        )

    def __bool__(self) -> bool:
        return len(self) > 0

    def as_dict(self) -> Plain:
        """The JSON form, with ``"format": "conflictdata-changes/1"``; see ``docs/changes.md``."""
        data: Plain = {
            "format": FORMAT,
            "header": [op.as_dict() for op in self.header],
            "added": [{"kind": a.kind, "index": a.index, "record": a.record} for a in self.added],
            "removed": [{"kind": r.kind, "id": r.id, "record": r.record} for r in self.removed],
            "changed": [
                {"kind": c.kind, "id": c.id, "operations": [op.as_dict() for op in c.operations]}
                for c in self.changed
            ],
        }
        if self.order:
            data["order"] = {kind: list(ids) for kind, ids in self.order.items()}
        return data

    @classmethod
    def from_dict(cls, data: Any) -> Changes:
        """The changes of a JSON form made by :meth:`as_dict`.

        Raises:
            ChangesError: ``data`` is not in the ``conflictdata-changes/1`` form.
        """
        if not isinstance(data, Mapping) or data.get("format") != FORMAT:
            raise ChangesError(f'not a changes document: "format" must be {FORMAT!r}')
        unknown = set(data) - {"format", "header", "added", "removed", "changed", "order"}
        if unknown:
            raise ChangesError(f"unknown members in a changes document: {sorted(unknown)}")
        try:
            return cls(
                header=[Operation.from_dict(op) for op in data.get("header", [])],
                added=[
                    Added(
                        kind=_member(a, "kind", str),
                        index=_member(a, "index", int),
                        record=_member(a, "record", dict),
                    )
                    for a in data.get("added", [])
                ],
                removed=[
                    Removed(
                        kind=_member(r, "kind", str),
                        id=_member(r, "id", str),
                        record=_member(r, "record", dict),
                    )
                    for r in data.get("removed", [])
                ],
                changed=[
                    Changed(
                        kind=_member(c, "kind", str),
                        id=_member(c, "id", str),
                        operations=[
                            Operation.from_dict(op) for op in _member(c, "operations", list)
                        ],
                    )
                    for c in data.get("changed", [])
                ],
                order=_member(data, "order", dict) if "order" in data else {},
            )
        except (TypeError, AttributeError) as exc:
            raise ChangesError(f"a malformed changes document: {exc}") from None

    def summary(self) -> str:
        """A readable account: counts by kind, then one line per record.

        >>> import conflictdata as cd
        >>> old = cd.examples.load("karabakh-2020")
        >>> plain = cd.to_dict(old)
        >>> events = plain["events"]
        >>> events[0].update(status="confirmed")
        >>> _ = events.pop()
        >>> print(cd.diff(old, plain).summary())
        event: 0 added, 1 removed, 1 changed
        - event evt-2020-09-27-aliyev-address
        ~ event evt-2020-07-border-clash: /status 'disputed' -> 'confirmed'
        """
        if not self:
            return "no changes"
        lines = []
        for kind in KINDS:
            counts = [
                sum(1 for r in records if r.kind == kind)
                for records in (self.added, self.removed, self.changed)
            ]
            if any(counts) or kind in self.order:
                moved = "; order changed" if kind in self.order else ""
                lines.append(
                    f"{kind}: {counts[0]} added, {counts[1]} removed, {counts[2]} changed{moved}"
                )
        lines.extend(f"header: {op.describe()}" for op in self.header)
        lines.extend(f"+ {a.kind} {a.id}" for a in self.added)
        lines.extend(f"- {r.kind} {r.id}" for r in self.removed)
        lines.extend(
            f"~ {c.kind} {c.id}: " + "; ".join(op.describe() for op in c.operations)
            for c in self.changed
        )
        return "\n".join(lines)


def _member(data: Any, name: str, kind: type) -> Any:
    if not isinstance(data, Mapping) or name not in data:
        raise ChangesError(f"a changes entry lacks {name!r}: {data!r}")
    value = data[name]
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise ChangesError(f"{name!r} must be a {kind.__name__}, not {value!r}")
    return value


# --- comparing plain values ------------------------------------------------


def same(a: Any, b: Any) -> bool:
    """Whether two plain values are the same JSON (``1``, ``1.0`` and ``true`` differ)."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    return bool(a == b)


def operations(old: Any, new: Any, path: DocPath = ()) -> list[Operation]:
    """The operations that turn ``old`` into ``new``, members in sorted order.

    Sorted, so that the same two records give the same operations whatever
    order their members were written in.
    """
    if isinstance(old, dict) and isinstance(new, dict):
        ops: list[Operation] = []
        for key in sorted(old.keys() | new.keys()):
            if key not in new:
                ops.append(Operation(path=(*path, key), old=old[key]))
            elif key not in old:
                ops.append(Operation(path=(*path, key), new=new[key]))
            else:
                ops.extend(operations(old[key], new[key], (*path, key)))
        return ops
    if isinstance(old, list) and isinstance(new, list) and len(old) == len(new):
        return [
            op
            for i, (x, y) in enumerate(zip(old, new, strict=True))
            for op in operations(x, y, (*path, i))
        ]
    return [] if same(old, new) else [Operation(path=path, old=old, new=new)]


def canonical(record: Plain) -> str:
    """A record's JSON text with sorted members: equal texts, same records."""
    return json.dumps(record, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
