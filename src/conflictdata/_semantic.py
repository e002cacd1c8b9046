"""Checks across records, and over all text, that a JSON Schema cannot express."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from typing import Any

from ._report import Problem, error, pointer, warning
from .formats.json import MAX_DEPTH
from .model import Actor, Dataset, Event, Fatalities, Source

__all__ = ["KNOWN_EXTENSION_SCHEMES", "check_dataset", "check_record", "check_text"]

#: Extension schemes whose objects the schema describes; others draw a warning.
KNOWN_EXTENSION_SCHEMES: frozenset[str] = frozenset()

# Invisible characters that reorder text on screen (the "Trojan Source"
# set): they can make a quote or an id display differently from what it is.
_BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")

Path = tuple[str | int, ...]


def check_dataset(dataset: Dataset) -> Iterator[Problem]:
    """Cross-record problems: duplicate ids, dangling references, order of figures."""
    kinds: dict[str, str] = {}
    lists: tuple[tuple[str, tuple[Source | Actor | Event, ...]], ...] = (
        ("sources", dataset.sources),
        ("actors", dataset.actors),
        ("events", dataset.events),
    )
    for key, records in lists:
        for index, record in enumerate(records):
            if record.id in kinds:
                yield error(
                    pointer(key, index, "id"),
                    "id.duplicate",
                    f"id {record.id!r} is already used by {_a(kinds[record.id])}",
                )
            else:
                kinds[record.id] = key[:-1]
    for key, records in lists:
        for index, record in enumerate(records):
            yield from check_record(record, (key, index), kinds)


def check_record(
    record: Source | Actor | Event, path: Path = (), kinds: dict[str, str] | None = None
) -> Iterator[Problem]:
    """Problems of one record; references are checked when ``kinds`` maps ids to kinds."""
    for scheme in record.extensions:
        if scheme not in KNOWN_EXTENSION_SCHEMES:
            yield warning(
                pointer(*path, "extensions", scheme),
                "extension.unknown-scheme",
                f"extension scheme {scheme!r} is not described by the conflictdata schema; "
                "its data is kept as it is",
            )
    if isinstance(record, Actor):
        yield from _check_actor(record, path, kinds)
    elif isinstance(record, Event):
        yield from _check_event(record, path, kinds)


def _check_actor(actor: Actor, path: Path, kinds: dict[str, str] | None) -> Iterator[Problem]:
    for index, affiliation in enumerate(actor.affiliations):
        here = (*path, "affiliations", index)
        yield from _reference(affiliation.actor, "actor", (*here, "actor"), kinds)
        if (
            affiliation.start
            and affiliation.end
            and affiliation.end.latest() < affiliation.start.earliest()
        ):
            yield error(
                pointer(*here, "end"),
                "date.order",
                f"affiliation ends ({affiliation.end}) before it starts ({affiliation.start})",
            )


def _check_event(event: Event, path: Path, kinds: dict[str, str] | None) -> Iterator[Problem]:
    when = event.when
    if when.end is not None and when.end.latest() < when.start.earliest():
        yield error(
            pointer(*path, "when", "end"),
            "date.order",
            f"the event ends ({when.end}) before it starts ({when.start})",
        )
    if event.fatalities is not None:
        yield from _check_fatalities(event.fatalities, (*path, "fatalities"))
    for index, participant in enumerate(event.participants):
        yield from _reference(
            participant.actor, "actor", (*path, "participants", index, "actor"), kinds
        )
    for index, citation in enumerate(event.citations):
        here = (*path, "citations", index)
        yield from _reference(citation.source, "source", (*here, "source"), kinds)
        if citation.attributed_to is not None:
            yield from _reference(citation.attributed_to, "actor", (*here, "attributed_to"), kinds)
        if citation.fatalities is not None:
            yield from _check_fatalities(citation.fatalities, (*here, "fatalities"))
    for index, relation in enumerate(event.related):
        here = (*path, "related", index, "event")
        yield from _reference(relation.event, "event", here, kinds)
        if relation.event == event.id:
            yield error(pointer(*here), "ref.unresolved", "an event cannot be related to itself")


def _reference(
    target: str, kind: str, path: Path, kinds: dict[str, str] | None
) -> Iterator[Problem]:
    if kinds is None:
        return
    found = kinds.get(target)
    if found is None:
        yield error(pointer(*path), "ref.unresolved", f"no {kind} has the id {target!r}")
    elif found != kind:
        yield error(pointer(*path), "ref.unresolved", f"{target!r} is {_a(found)}, not {_a(kind)}")


def _a(noun: str) -> str:
    return f"an {noun}" if noun[0] in "aeiou" else f"a {noun}"


def _check_fatalities(figures: Fatalities, path: Path) -> Iterator[Problem]:
    low, best, high = figures.low, figures.best, figures.high
    pairs = (("low", low, "best", best), ("best", best, "high", high), ("low", low, "high", high))
    for small_name, small, big_name, big in pairs:
        if small is not None and big is not None and small > big:
            yield warning(
                pointer(*path),
                "fatalities.order",
                f"{small_name} ({small}) is greater than {big_name} ({big})",
            )
            return


def check_text(data: Any, path: Path = ()) -> Iterator[Problem]:
    """Problems anywhere in plain data: nesting too deep, text not NFC, bidi controls."""
    stack: list[tuple[Any, Path]] = [(data, path)]
    while stack:
        value, here = stack.pop()
        if isinstance(value, str):
            # ASCII text is always NFC and has no bidi controls: the common case.
            if not value.isascii():
                yield from _check_string(value, here)
        elif isinstance(value, (dict, list)):
            if len(here) >= MAX_DEPTH:
                yield error(
                    pointer(*here), "input.depth", f"nesting deeper than {MAX_DEPTH} levels"
                )
                continue
            if isinstance(value, dict):
                for key, item in reversed(value.items()):
                    if isinstance(key, str) and not key.isascii():
                        yield from _check_string(key, (*here, key))
                    stack.append((item, (*here, key)))
            else:
                stack.extend((item, (*here, i)) for i, item in reversed(list(enumerate(value))))


def _check_string(text: str, path: Path) -> Iterator[Problem]:
    if not unicodedata.is_normalized("NFC", text):
        yield warning(
            pointer(*path),
            "text.not-nfc",
            "text is not in Unicode normalisation form C (readers normalise it on load)",
        )
    found = sorted({f"U+{ord(c):04X}" for c in text if c in _BIDI_CONTROLS})
    if found:
        yield warning(
            pointer(*path),
            "text.bidi-control",
            f"text holds invisible bidirectional control characters ({', '.join(found)})",
        )
