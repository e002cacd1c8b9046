"""Checks across records, and over all text, that a JSON Schema cannot express.

They run on plain data that has passed the schema, so its shape is known:
``validate()`` never builds records only to throw them away, and records are
checked by way of their plain form.
"""

from __future__ import annotations

import functools
import math
import re
import unicodedata
from collections.abc import Iterator
from typing import Any

from . import schemas
from ._dates import PartialDate
from ._report import Path, Problem, error, warning
from .formats._numbers import MAX_INTEGER
from .formats.json import MAX_DEPTH

__all__ = ["check_metadata", "check_record", "reference_problem", "references"]

# Invisible characters that reorder text on screen (the "Trojan Source"
# set): they can make a quote or an id display differently from what it is.
_BIDI_CONTROLS = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
_BIDI = re.compile(f"[{_BIDI_CONTROLS}]")
# Python strings (not JSON text) can hold halves of surrogate pairs, which
# are not Unicode: no UTF-8 writer can write them.
_SURROGATE = re.compile("[\ud800-\udfff]")
# Control characters other than tab, line feed and carriage return, and the
# noncharacters U+FFFE and U+FFFF, as the schema's text pattern has them: no
# XML can hold them, and in identifiers and codes they are damage.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")

JSON = dict[str, Any]


def check_record(record: JSON, kind: str, *, ascii_text: bool = False) -> list[Problem]:
    """The problems of one schema-valid record that its schema cannot express.

    Paths are relative to the record. References to other records are not
    resolved here (see :func:`references`): only the whole document knows
    which ids exist. ``ascii_text`` says the caller knows all text is ASCII
    (no text checks needed).
    """
    problems: list[Problem] = []
    _check_record(record, kind, (), problems, text=not ascii_text)
    return problems


def check_metadata(metadata: Any) -> list[Problem]:
    """Text problems of a dataset's schema-valid ``metadata``."""
    problems: list[Problem] = []
    _check_text(metadata, ("metadata",), problems)
    return problems


def references(record: JSON, kind: str) -> Iterator[tuple[str, str, Path]]:
    """Every id a schema-valid record refers to: (id, kind it must be, path in the record)."""
    if kind == "actor":
        for index, affiliation in enumerate(record.get("affiliations", ())):
            yield affiliation["actor"], "actor", ("affiliations", index, "actor")
    elif kind == "event":
        for index, participant in enumerate(record["participants"]):
            yield participant["actor"], "actor", ("participants", index, "actor")
        for index, citation in enumerate(record["citations"]):
            yield citation["source"], "source", ("citations", index, "source")
            if "attributed_to" in citation:
                yield citation["attributed_to"], "actor", ("citations", index, "attributed_to")
        for index, relation in enumerate(record.get("related", ())):
            if relation["event"] != record["id"]:
                yield relation["event"], "event", ("related", index, "event")


def reference_problem(target: str, expected: str, found: str | None, path: Path) -> Problem:
    """The problem of a reference to ``target`` that is ``found`` (a kind or None)."""
    message = (
        f"no {expected} has the id {target!r}"
        if found is None
        else f"{target!r} is {a(found)}, not {a(expected)}"
    )
    return error(path, "ref.unresolved", message)


def _check_record(
    record: JSON, kind: str, path: Path, problems: list[Problem], *, text: bool = True
) -> None:
    if text:
        _check_text(record, path, problems)
    extensions = record.get("extensions")
    if extensions:
        _check_extensions(extensions, (*path, "extensions"), problems)
    if kind == "event":
        _check_event(record, path, problems)
    elif kind == "actor":
        for index, affiliation in enumerate(record.get("affiliations", ())):
            here = (*path, "affiliations", index)
            start, end = affiliation.get("start"), affiliation.get("end")
            if start and end and _ends_before(start, end):
                problems.append(
                    error(
                        (*here, "end"),
                        "date.order",
                        f"the affiliation ends ({end}) before it starts ({start})",
                    )
                )


def _check_event(event: JSON, path: Path, problems: list[Problem]) -> None:
    when = event["when"]
    end = when.get("end")
    if end is not None and _ends_before(when["start"], end):
        problems.append(
            error(
                (*path, "when", "end"),
                "date.order",
                f"the event ends ({end}) before it starts ({when['start']})",
            )
        )
    fatalities = event.get("fatalities")
    if fatalities is not None:
        _check_fatalities(fatalities, (*path, "fatalities"), problems)
    for index, citation in enumerate(event["citations"]):
        figures = citation.get("fatalities")
        if figures is not None:
            _check_fatalities(figures, (*path, "citations", index, "fatalities"), problems)
    for index, relation in enumerate(event.get("related", ())):
        if relation["event"] == event["id"]:
            problems.append(
                error(
                    (*path, "related", index, "event"),
                    "ref.unresolved",
                    "an event cannot be related to itself",
                )
            )


@functools.cache
def _known_schemes() -> frozenset[str]:
    return schemas.extension_schemes()


@functools.lru_cache(maxsize=1 << 12)
def _ends_before(start: str, end: str) -> bool:
    return PartialDate.parse(end).latest() < PartialDate.parse(start).earliest()


def a(noun: str) -> str:
    """The noun with its indefinite article: ``a("event") == "an event"``."""
    return f"an {noun}" if noun[0] in "aeiou" else f"a {noun}"


def _check_fatalities(figures: JSON, path: Path, problems: list[Problem]) -> None:
    low, best, high = figures.get("low"), figures.get("best"), figures.get("high")
    if (
        (low is None or best is None or low <= best)
        and (best is None or high is None or best <= high)
        and (low is None or high is None or low <= high)
    ):
        # In order (nearly every record): no pairs to build.
        return
    for small_name, small, big_name, big in (
        ("low", low, "best", best),
        ("best", best, "high", high),
        ("low", low, "high", high),
    ):
        if small is not None and big is not None and small > big:
            problems.append(
                warning(
                    path,
                    "fatalities.order",
                    f"{small_name} ({small}) is greater than {big_name} ({big})",
                )
            )
            return


def _check_extensions(extensions: JSON, path: Path, problems: list[Problem]) -> None:
    for scheme, value in extensions.items():
        here = (*path, scheme)
        if scheme not in _known_schemes():
            problems.append(
                warning(
                    here,
                    "extension.unknown-scheme",
                    f"extension scheme {scheme!r} is not described by the conflictdata "
                    "schema; its data is kept as it is",
                )
            )
        # The schema bounds the nesting of everything but extension objects.
        stack: list[tuple[Any, Path]] = [(value, here)]
        while stack:
            item, where = stack.pop()
            # Counted from the document: a record sits two levels down.
            if len(where) + 2 >= MAX_DEPTH:
                problems.append(
                    error(where, "input.depth", f"nesting deeper than {MAX_DEPTH} levels")
                )
            elif isinstance(item, (dict, list)):
                values = item.values() if isinstance(item, dict) else item
                # Text and numbers are too deep only at the limit: above it, an
                # object or array that holds nothing else (as a row reader's
                # cells) needs no walk.
                if len(where) + 3 < MAX_DEPTH and _SCALARS.issuperset(map(type, values)):
                    continue
                pairs = item.items() if isinstance(item, dict) else enumerate(item)
                stack.extend((v, (*where, k)) for k, v in pairs)


#: The types of plain values that hold no others.
_SCALARS = frozenset({str, int, float, bool, type(None)})


def _check_text(value: Any, path: Path, problems: list[Problem]) -> None:
    # Nearly all text is ASCII, which is NFC and has no bidi controls: the
    # quick scan finds the rare record that needs a look with paths.
    if value is not None and _suspect(value):
        problems.extend(_text_problems(value, path))


def _suspect(value: Any) -> bool:  # noqa: C901, PLR0911 - a flat scan reads best
    kind = type(value)
    if kind is str:
        return not (value.isascii() and value.isprintable()) and _bad_text(value)
    if kind is dict:
        for key, item in value.items():
            if not (key.isascii() and key.isprintable()) and _bad_text(key):
                return True
            if type(item) is not str:
                if _suspect(item):
                    return True
            elif not (item.isascii() and item.isprintable()) and _bad_text(item):
                return True
        return False
    if kind is list:
        return any(_suspect(item) for item in value)
    if kind is float:
        return not math.isfinite(value)
    if kind is int:
        return not -MAX_INTEGER <= value <= MAX_INTEGER
    return False


def _bad_text(text: str) -> bool:
    if text.isascii():
        # Tab and line breaks make text unprintable too; only controls matter.
        return _CONTROL.search(text) is not None
    return (
        _SURROGATE.search(text) is not None
        or _CONTROL.search(text) is not None
        or not unicodedata.is_normalized("NFC", text)
        or _BIDI.search(text) is not None
    )


def _text_problems(value: Any, path: Path) -> Iterator[Problem]:
    stack: list[tuple[Any, Path]] = [(value, path)]
    while stack:
        item, here = stack.pop()
        if isinstance(item, str):
            yield from _string_problems(item, here)
        elif isinstance(item, float) and not math.isfinite(item):
            yield error(here, "input.constant", f"{item} is not a number JSON can hold")
        elif isinstance(item, int) and not -MAX_INTEGER <= item <= MAX_INTEGER:
            yield error(
                here,
                "value.range",
                f"an integer of {item.bit_length()} bits, beyond ±(2^53 - 1): "
                "JSON readers cannot hold it exactly",
            )
        elif isinstance(item, dict):
            for key, child in reversed(item.items()):
                yield from _string_problems(key, (*here, key))
                stack.append((child, (*here, key)))
        elif isinstance(item, list):
            stack.extend((child, (*here, i)) for i, child in reversed(list(enumerate(item))))


def _string_problems(text: str, path: Path) -> Iterator[Problem]:
    control = _CONTROL.findall(text)
    if control:
        codes = ", ".join(sorted({f"U+{ord(c):04X}" for c in control}))
        yield error(
            path,
            "text.control",
            f"text holds control characters ({codes}), which XML cannot hold",
        )
    if text.isascii():
        return
    if _SURROGATE.search(text):
        yield error(
            path,
            "text.surrogate",
            "text holds a lone surrogate code point, which is not Unicode and cannot be written",
        )
        return
    if not unicodedata.is_normalized("NFC", text):
        yield warning(
            path,
            "text.not-nfc",
            "text is not in Unicode normalisation form C (readers normalise it on load)",
        )
    found = sorted({f"U+{ord(c):04X}" for c in _BIDI.findall(text)})
    if found:
        yield warning(
            path,
            "text.bidi-control",
            f"text holds invisible bidirectional control characters ({', '.join(found)})",
        )
