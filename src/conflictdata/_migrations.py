"""Schema versions and the migrations between them, as a registry.

One registered :class:`Migration` per pair of adjacent versions, in the
manner of nbformat's ``convert`` and pystac's ``migrate_to_latest``: a
step for the header and a step for each record, so that streams migrate
record by record. Readers migrate older documents up on the way in (with a
``schema.migrated`` warning); :func:`migrate` moves a whole document to any
version, down as well as up. Going down refuses data the older version
cannot hold, naming the fields, unless told to drop them.
"""

from __future__ import annotations

import copy
import itertools
from collections.abc import Callable, Iterator
from typing import Any

import attrs

from . import schemas
from ._errors import ConflictDataError
from ._report import Path, pointer
from .model import RecordKind

__all__ = ["Migration", "MigrationError", "migrate", "migration", "steps"]

Plain = dict[str, Any]


class MigrationError(ConflictDataError, ValueError):
    """The target version cannot hold some of the data; :attr:`fields` says which."""

    def __init__(self, target: str, fields: list[tuple[str, Path]]) -> None:
        self.target = target
        self.fields = fields
        names = sorted({name for name, _ in fields})
        first = {name: pointer(*path) for name, path in reversed(fields)}
        listed = "; ".join(f"{name} (first at {first[name] or '/'})" for name in names)
        super().__init__(
            f"schema {target} cannot hold {listed}: leave them out with drop_new=True "
            "(conflictdata migrate --drop-new), or keep the newer version"
        )


@attrs.frozen
class Migration:
    """One step between adjacent versions.

    ``record(kind, data, path)`` returns the record in the target version and
    the fields the target cannot hold (name and path), having removed them;
    ``header(data)`` does the same for the dataset's own members.
    """

    source: str
    target: str
    record: Callable[[RecordKind, Plain, Path], tuple[Plain | None, list[tuple[str, Path]]]]
    header: Callable[[Plain], Plain]


_REGISTRY: dict[tuple[str, str], Migration] = {}


def migration(
    source: str, target: str
) -> Callable[
    [Callable[[RecordKind, Plain, Path], tuple[Plain | None, list[tuple[str, Path]]]]],
    Migration,
]:
    """Register the record step of the migration from ``source`` to ``target``."""

    def register(
        record: Callable[[RecordKind, Plain, Path], tuple[Plain | None, list[tuple[str, Path]]]],
    ) -> Migration:
        step = Migration(
            source, target, record, lambda header: {**header, "schema_version": target}
        )
        _REGISTRY[source, target] = step
        return step

    return register


def steps(source: str, target: str) -> list[Migration]:
    """The registered steps from ``source`` to ``target``, in order ([] when equal)."""
    order = schemas.versions()
    if source not in order or target not in order:
        known = ", ".join(order)
        raise KeyError(f"no schema version {source if source not in order else target!r}: {known}")
    start, end = order.index(source), order.index(target)
    path = order[start : end + 1] if end >= start else order[end : start + 1][::-1]
    return [_REGISTRY[a, b] for a, b in itertools.pairwise(path)]


@migration("1.0", "1.1")
def _up_1_1(_kind: RecordKind, data: Plain, _path: Path) -> tuple[Plain, list[tuple[str, Path]]]:
    # 1.1 only adds optional members: every 1.0 record is a 1.1 record.
    return data, []


@migration("1.1", "1.0")
def _down_1_0(
    kind: RecordKind, data: Plain, path: Path
) -> tuple[Plain | None, list[tuple[str, Path]]]:
    lost: list[tuple[str, Path]] = []
    if kind is RecordKind.TOMBSTONE:
        return None, [("Dataset.deleted (tombstones)", path)]
    if kind is RecordKind.SOURCE and "archives" in data:
        data = {k: v for k, v in data.items() if k != "archives"}
        lost.append(("Source.archives", (*path, "archives")))
    if kind is RecordKind.EVENT and any("side" in p for p in data["participants"]):
        participants = []
        for index, participant in enumerate(data["participants"]):
            if "side" in participant:
                lost.append(("Participant.side", (*path, "participants", index, "side")))
                participant = {k: v for k, v in participant.items() if k != "side"}  # noqa: PLW2901
            participants.append(participant)
        data = {**data, "participants": participants}
    return data, lost


def migrate_records(
    records: Iterator[tuple[RecordKind, Plain]],
    source: str,
    target: str,
    *,
    drop_new: bool = False,
    lost: list[tuple[str, Path]] | None = None,
) -> Iterator[tuple[RecordKind, Plain]]:
    """Move each record from ``source`` to ``target``, refusing what cannot be held.

    With ``lost``, what cannot be held is dropped and noted there instead.
    """
    chain = steps(source, target)
    counts = dict.fromkeys(RecordKind, 0)
    for kind, data in records:
        path: Path = (kind.member, counts[kind])
        counts[kind] += 1
        moved: Plain | None = data
        for step in chain:
            if moved is None:
                break
            moved, dropped = step.record(kind, moved, path)
            if lost is not None:
                lost.extend(dropped)
            elif dropped and not drop_new:
                raise MigrationError(step.target, dropped)
        if moved is not None:
            yield kind, moved


def migrate(document: Any, to: str | None = None, *, drop_new: bool = False) -> Plain:
    """The plain document (or :class:`Dataset`) in schema version ``to`` (by default the current).

    The document is validated in its own version first, and the result in
    the target version: a migration never makes valid data invalid.

    >>> import conflictdata as cd
    >>> old = cd.migrate(cd.examples.load("karabakh-2020"), to="1.0")
    >>> old["schema_version"], cd.migrate(old)["schema_version"]
    ('1.0', '1.1')

    Raises:
        DataValidationError: the document is not valid in its own version.
        MigrationError: going down, the data uses fields the target version
            does not have, and ``drop_new`` is false.
    """
    from ._convert import to_dict  # noqa: PLC0415 - the converter imports the model
    from ._errors import DataValidationError  # noqa: PLC0415
    from ._validate import validate_plain  # noqa: PLC0415

    plain = to_dict(document) if not isinstance(document, dict) else copy.deepcopy(document)
    source = plain.get("schema_version")
    target = to or schemas.SCHEMA_VERSION
    if source not in schemas.versions():
        raise DataValidationError(validate_plain(plain, "dataset", build_record=False)[0])
    report, _ = validate_plain(plain, "dataset", build_record=False)
    if not report.ok:
        raise DataValidationError(report)
    chain = steps(source, target)
    header = {k: v for k, v in plain.items() if k not in _MEMBERS}
    for step in chain:
        header = step.header(header)
    lists: dict[RecordKind, list[Plain]] = {kind: [] for kind in RecordKind}
    records = ((kind, r) for kind in RecordKind for r in plain.get(kind.member, ()))
    lost: list[tuple[str, Path]] = []
    for kind, record in migrate_records(records, source, target, lost=lost):
        lists[kind].append(record)
    if lost and not drop_new:
        raise MigrationError(target, lost)
    result = {**header, **{k.member: lists[k] for k in RecordKind if k.member in _REQUIRED}}
    if lists[RecordKind.TOMBSTONE]:
        result[RecordKind.TOMBSTONE.member] = lists[RecordKind.TOMBSTONE]
    after, _ = validate_plain(result, "dataset", build_record=False)
    if not after.ok:
        raise DataValidationError(after)
    return result


_MEMBERS = frozenset(kind.member for kind in RecordKind)
# The lists every version requires; later ones are written only when used.
_REQUIRED = frozenset(("sources", "actors", "events"))


MigrationError.__module__ = "conflictdata"
