"""PLOVER records to items, streaming or whole."""

from __future__ import annotations

from collections.abc import Iterator
from typing import BinaryIO

from ..._ids import IdIndex
from ..._report import Problem, error, warning
from ...model import SCHEMA_VERSION
from .._base import Decoded, Entry, Item, read_items
from ._framing import (
    _records,
)
from ._records import (
    _event,
    _is_document,
    _NoTypeError,
    _RecordError,
)
from ._tables import (
    _DATASET_SOURCE,
    SCHEME,
)


def iter_items(stream: BinaryIO) -> Iterator[Entry]:
    """The header, then each record's new actors and source, then its event.

    Problems (records it could not read, records it skipped on purpose) come
    in the stream as they are found.
    """
    problems: list[Problem] = []
    for item in _items(stream, problems):
        if problems:
            yield from problems
            problems.clear()
        yield item
    yield from problems


def _items(stream: BinaryIO, problems: list[Problem]) -> Iterator[Item]:
    yield "dataset", {"schema_version": SCHEMA_VERSION, "metadata": {
        "title": "PLOVER events (imported)"}}, "line 1", True  # fmt: skip
    yield "source", dict(_DATASET_SOURCE), "line 1", True
    seen = IdIndex()
    try:
        for record, where in _records(stream, problems):
            if record is None:
                problems.append(
                    error((), "input.record-type", "a record must be a JSON object", where)
                )
                continue
            if _is_document(record):
                message = "describes a document, not an event: skipped"
                problems.append(warning((), "import.skipped", message, where))
                continue
            try:
                event, actors, source = _event(record)
            except _NoTypeError as exc:
                message = f"CAMEO {exc.code} has no PLOVER event type: skipped"
                problems.append(warning((), "import.skipped", message, f"{where}, member event"))
                continue
            except _RecordError as exc:
                problems.append(
                    error(
                        (),
                        "input.cell",
                        f"{exc.member}: {exc.message}",
                        f"{where}, member {exc.member}",
                    )
                )
                continue
            for kind, item in (("source", source), *(("actor", a) for a in actors)):
                if item is not None and seen.add(item["id"], kind) is None:
                    yield kind, item, where, False
            first = event["id"]
            copy = 1
            while seen.add(event["id"], "event") is not None:
                # Both records are kept: a file that repeats an id (the gold
                # standard does) still means two events.
                copy += 1
                event["id"] = f"{first}-{copy}"
            if copy > 1:
                message = (
                    f"record id {event['identifiers'][SCHEME]!r} again: "
                    f"kept as event {event['id']!r}"
                )
                problems.append(warning((), "import.duplicate-id", message, f"{where}, member id"))
            yield "event", event, where, False
    finally:
        seen.close()


def read(stream: BinaryIO) -> Decoded:
    """Read a whole PLOVER file; every unreadable record is reported, the others read."""
    problems: list[Problem] = []
    decoded = read_items(list(_items(stream, problems)))
    return Decoded(decoded.data, decoded.locations, problems=tuple(problems))
