"""Update a dataset from a newer export of its upstream source, with deletions.

Upstream datasets overwrite events in place and publish deletions apart:
ACLED keeps an event's ``event_id_cnty`` when it revises it and lists
withdrawn ones in its deletions endpoint (``event_id_cnty,deleted_timestamp``);
UCDP replaces candidate events with the final release. An update matches
events by their **source identifier** (``identifiers[key]``), not by record
id, so it works whatever ids the records were given.
"""

from __future__ import annotations

import csv
import datetime as dt
import os
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from ._changes import DELETED, Changes, ChangesError, Input, Plain
from ._diff import diff, read_document
from ._errors import DataValidationError, InputError
from ._io import collect
from ._pipeline import document_entries
from .model import Dataset, RecordKind

__all__ = ["PREFERRED_KEYS", "Deletions", "merge", "read_deletions", "update", "update_changes"]

#: Identifier schemes an update matches by, first found first: ACLED's
#: ``event_id_cnty``, UCDP GED's ``id``, GDELT's ``GLOBALEVENTID``.
PREFERRED_KEYS = ("acled", "ucdp.ged", "ucdp", "gdelt")

#: Withdrawn records: a path to a CSV in ACLED's deletions layout, a mapping
#: from identifier to when it was deleted (Unix seconds, or an ISO 8601 date
#: or date-time), or identifiers alone (deleted today).
Deletions = str | os.PathLike[str] | Mapping[str, Any] | Iterable[str]

_EVENTS = RecordKind.EVENT.member


def update(  # noqa: PLR0913 - keyword-only options, as load() and convert() take
    dataset: Input,
    newer: Input,
    *,
    deletions: Deletions | None = None,
    key: str | None = None,
    format: str | None = None,  # noqa: A002 - as in load()
    newer_format: str | None = None,
) -> Dataset:
    """``dataset`` brought up to date with the newer export ``newer``.

    Events of ``newer`` replace the events of ``dataset`` that have the same
    identifier under ``key`` (keeping the older record's id, so references
    to it still resolve) and the others are added after them; events
    without that identifier are matched by record id. Actors and sources
    are merged by id, the newer version winning. Each event listed in
    ``deletions`` is removed and becomes a tombstone in ``deleted``
    (``{"id", "deleted", "identifiers"}``), and relations to it are
    dropped; an event that comes back in ``newer`` loses its tombstone.
    Records of ``dataset`` keep their order; new ones follow in the order
    of ``newer``.

    Args:
        dataset: The dataset to update (a :class:`Dataset`, a plain
            document, or a path); it is never changed or overwritten.
        newer: The newer export, likewise (an ACLED CSV with
            ``newer_format="acled"``).
        deletions: See :data:`Deletions`.
        key: The identifier scheme to match events by; by default the one
            every newer event carries (``acled``, ``ucdp.ged``, ``gdelt``).
        format: The format of ``dataset`` when it is a path.
        newer_format: The format of ``newer`` when it is a path.

    :func:`update_changes` gives what changed, as :class:`Changes`, and
    ``patch(dataset, update_changes(...))`` equals the result.

    Raises:
        ChangesError: no scheme to match by, or one identifier on two events.
        InputError: the deletions file is not in ACLED's layout.
        DataValidationError: an input or the updated dataset is not valid.
    """
    result = _updated(dataset, newer, deletions, key, format, newer_format)[1]
    report, built = collect(document_entries(result))
    if built is None:
        raise DataValidationError(report, "the updated dataset")
    return built


def update_changes(  # noqa: PLR0913 - the same options as update()
    dataset: Input,
    newer: Input,
    *,
    deletions: Deletions | None = None,
    key: str | None = None,
    format: str | None = None,  # noqa: A002
    newer_format: str | None = None,
) -> Changes:
    """What :func:`update` changes, as :class:`Changes` (same arguments).

    >>> import conflictdata as cd
    >>> base = cd.examples.load("karabakh-2020")
    >>> print(cd.update_changes(base, base).summary())
    no changes
    """
    base, result = _updated(dataset, newer, deletions, key, format, newer_format)
    return diff(base, result)


def _updated(  # noqa: PLR0913, PLR0917 - update()'s arguments, passed on
    dataset: Input,
    newer: Input,
    deletions: Deletions | None,
    key: str | None,
    fmt: str | None,
    newer_fmt: str | None,
) -> tuple[Plain, Plain]:
    base = read_document(dataset, fmt)
    fresh = read_document(newer, newer_fmt)
    withdrawn = read_deletions(deletions) if deletions is not None else []
    return base, merge(base, fresh, deletions=withdrawn, key=key)


def choose_key(*event_lists: list[Plain]) -> str | None:
    """The scheme every event of the first non-empty list carries (preferring known ones).

    None when they share none: events are then matched by record id.
    """
    for events in event_lists:
        if not events:
            continue
        schemes: set[str] = set(events[0].get("identifiers", {}))
        for event in events[1:]:
            schemes &= set(event.get("identifiers", {}))
        for scheme in PREFERRED_KEYS:
            if scheme in schemes:
                return scheme
        if len(schemes) > 1:
            raise ChangesError(
                "cannot tell which identifier to match events by (shared schemes: "
                f"{', '.join(sorted(schemes))}); pass key="
            )
        return schemes.pop() if schemes else None
    return None


def merge(
    base: Plain, fresh: Plain, *, deletions: list[tuple[str, str]], key: str | None = None
) -> Plain:
    """The plain document of ``base`` updated from ``fresh``, as :func:`update` describes.

    ``deletions`` are ``(identifier, deleted)`` pairs; neither input is changed.
    """
    if key is None:
        key = choose_key(fresh[_EVENTS], base[_EVENTS])
    result: Plain = {k: v for k, v in base.items() if k != DELETED}
    for kind in (RecordKind.SOURCE, RecordKind.ACTOR):
        by_id = {record["id"]: record for record in base[kind.member]}
        by_id.update((record["id"], record) for record in fresh[kind.member])
        result[kind.member] = list(by_id.values())
    events = _merge_events(base[_EVENTS], fresh[_EVENTS], key)
    stones = list(base.get(DELETED, []))
    stoned = {stone["id"] for stone in stones}
    stones.extend(stone for stone in fresh.get(DELETED, []) if stone["id"] not in stoned)
    if deletions:
        events, stones = _delete(events, stones, deletions, key)
    live = {event["id"] for event in events}
    stones = [stone for stone in stones if stone["id"] not in live]
    result[_EVENTS] = events
    if stones:
        result[DELETED] = stones
    return result


def _identifier(event: Plain, key: str | None) -> str | None:
    """The event's identifier under ``key``; without a key, its record id."""
    if key is None:
        return str(event["id"])
    value = event.get("identifiers", {}).get(key)
    return None if value is None else str(value)


def _merge_events(older: list[Plain], newer: list[Plain], key: str | None) -> list[Plain]:
    events = list(older)
    slots: dict[str, int] = {}
    for position, event in enumerate(events):
        ident = _identifier(event, key)
        if ident is None:
            continue
        if ident in slots:
            first = events[slots[ident]]["id"]
            raise ChangesError(
                f"events {first} and {event['id']} both have the {key} identifier {ident!r}"
            )
        slots[ident] = position
    by_id = {event["id"]: position for position, event in enumerate(events)}
    renamed: dict[str, str] = {}
    seen: set[str] = set()
    for event in newer:
        ident = _identifier(event, key)
        if ident is not None:
            if ident in seen:
                raise ChangesError(f"the newer export has two events with {key} {ident!r}")
            seen.add(ident)
        slot: int | None = slots.get(ident) if ident is not None else by_id.get(event["id"])
        if slot is None:
            events.append(event)
            continue
        kept_id = events[slot]["id"]
        if event["id"] != kept_id:
            renamed[event["id"]] = kept_id
            event = {**event, "id": kept_id}  # noqa: PLW2901 - the replacement keeps the old id
        events[slot] = event
    if renamed:
        events = [_relink(event, renamed) for event in events]
    return events


def _relink(event: Plain, renamed: Mapping[str, str]) -> Plain:
    related = event.get("related")
    if not related or not any(r["event"] in renamed for r in related):
        return event
    relinked = [{**r, "event": renamed.get(r["event"], r["event"])} for r in related]
    return {**event, "related": relinked}


def _delete(
    events: list[Plain], stones: list[Plain], deletions: list[tuple[str, str]], key: str | None
) -> tuple[list[Plain], list[Plain]]:
    by_ident = {ident: e for e in events if (ident := _identifier(e, key)) is not None}
    stones = list(stones)
    stoned = {stone["id"] for stone in stones}
    gone: set[str] = set()
    for ident, deleted in deletions:
        event = by_ident.pop(ident, None)
        if event is None:
            # ACLED's deletions cover every country: most are not in the dataset.
            continue
        gone.add(event["id"])
        if event["id"] not in stoned:
            stoned.add(event["id"])
            stone = {"id": event["id"], "deleted": deleted}
            if key is not None:
                stone["identifiers"] = {key: ident}
            stones.append(stone)
    kept = []
    for event in events:
        if event["id"] in gone:
            continue
        related = event.get("related")
        if related and any(r["event"] in gone for r in related):
            left = [r for r in related if r["event"] not in gone]
            event = {k: v for k, v in event.items() if k != "related"}  # noqa: PLW2901
            if left:
                event["related"] = left
        kept.append(event)
    return kept, stones


def read_deletions(deletions: Deletions) -> list[tuple[str, str]]:
    """``(identifier, deleted)`` pairs of :data:`Deletions`, ``deleted`` as ISO 8601 text.

    >>> read_deletions({"BFO4217": 1607374999, "BFO1": "2021-02-03"})
    [('BFO4217', '2020-12-07T21:03:19Z'), ('BFO1', '2021-02-03')]
    """
    if isinstance(deletions, (str, os.PathLike)):
        return _read_csv(Path(deletions))
    if isinstance(deletions, Mapping):
        return [(str(ident), _when(value, str(ident))) for ident, value in deletions.items()]
    today = dt.datetime.now(dt.timezone.utc).date().isoformat()
    return [(str(ident), today) for ident in deletions]


def _when(value: Any, where: str) -> str:
    if isinstance(value, dt.datetime):
        moment = value if value.tzinfo else value.replace(tzinfo=dt.timezone.utc)
        return moment.astimezone(dt.timezone.utc).isoformat().replace("+00:00", "Z")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value)
    if isinstance(value, int) and not isinstance(value, bool):
        moment = dt.datetime.fromtimestamp(value, dt.timezone.utc)
        return moment.isoformat().replace("+00:00", "Z")
    if isinstance(value, str):
        try:
            if len(value) == 10:
                dt.date.fromisoformat(value)
            else:
                dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            pass
        else:
            return value
    raise InputError(
        "input.cell",
        f"a deletion time is Unix seconds or an ISO 8601 date, not {value!r}",
        location=where,
    )


_COLUMNS = ("event_id_cnty", "deleted_timestamp")


def _read_csv(path: Path) -> list[tuple[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as stream:
        reader = csv.DictReader(stream)
        columns = [c.strip().lower() for c in reader.fieldnames or ()]
        missing = [c for c in _COLUMNS if c not in columns]
        if missing:
            raise InputError(
                "input.header",
                f"a deletions file needs the columns {', '.join(_COLUMNS)}; "
                f"missing: {', '.join(missing)}",
                location=f"{path}, line 1",
            )
        reader.fieldnames = columns
        pairs = []
        for row in reader:
            where = f"{path}, line {reader.line_num}"
            ident = (row.get("event_id_cnty") or "").strip()
            if not ident:
                raise InputError("input.cell", "an empty event_id_cnty", location=where)
            pairs.append((ident, _when((row.get("deleted_timestamp") or "").strip(), where)))
        return pairs
