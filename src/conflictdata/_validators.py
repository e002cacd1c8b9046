"""Small named validator factories for the model's attrs classes.

Each validator raises :class:`FieldValueError`, which names the field and
the bad value, so that problems can point at the exact place. Data that has
passed the JSON Schema is built without them (see ``_build``).
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Callable, Mapping
from typing import Any

import attrs

from ._errors import FieldValueError
from .formats._numbers import MAX_INTEGER

__all__ = [
    "FieldValueError",
    "at_least",
    "each",
    "finite_between",
    "mapping",
    "matches",
    "min_items",
    "non_empty",
    "uri",
]

Validator = Callable[[Any, "attrs.Attribute[Any]", Any], None]


@functools.cache
def _uri_checker() -> Any:
    # The same checker the schema uses, so that model and schema agree on
    # "uri"; made on first use, as jsonschema is slow to import.
    import jsonschema  # noqa: PLC0415

    return jsonschema.FormatChecker(["uri"])


def _checker(check: Callable[[Any], str | None]) -> Validator:
    """Turn ``check(value) -> reason or None`` into an attrs validator."""

    def validate(_instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
        if value is None:
            return
        reason = check(value)
        if reason is not None:
            raise FieldValueError(attribute.name, value, reason)

    return validate


def matches(pattern: str, what: str) -> Validator:
    """A validator: the string matches ``pattern`` entirely."""
    regex = re.compile(pattern)

    def check(value: object) -> str | None:
        if isinstance(value, str) and regex.fullmatch(value):
            return None
        return f"not a valid {what}"

    return _checker(check)


def non_empty() -> Validator:
    """A validator: a non-empty string."""

    def check(value: object) -> str | None:
        return None if isinstance(value, str) and value else "must be a non-empty string"

    return _checker(check)


def at_least(minimum: int) -> Validator:
    """A validator: an integer (not a bool) no less than ``minimum`` and at most 2**53 - 1.

    The upper bound is the largest integer every JSON reader holds exactly.
    """

    def check(value: object) -> str | None:
        if not isinstance(value, int) or isinstance(value, bool) or value < minimum:
            return f"must be an integer >= {minimum}"
        if value > MAX_INTEGER:
            return f"must be an integer <= {MAX_INTEGER} (2**53 - 1)"
        return None

    return _checker(check)


def finite_between(low: float, high: float) -> Validator:
    """A validator: a finite number in ``[low, high]``."""

    def check(value: object) -> str | None:
        if (
            isinstance(value, (int, float))
            and not isinstance(value, bool)
            and math.isfinite(value)
            and low <= value <= high
        ):
            return None
        return f"must be a number from {low:g} to {high:g}"

    return _checker(check)


def uri() -> Validator:
    """A validator: an absolute URI (RFC 3986), checked as the schema checks it."""

    def check(value: object) -> str | None:
        ok = isinstance(value, str) and _uri_checker().conforms(value, "uri")
        return None if ok else "not an absolute URI"

    return _checker(check)


def each(item: Validator, *, unique: bool = False) -> Validator:
    """A validator for a tuple: every item passes ``item``, optionally all distinct."""

    def validate(instance: object, attribute: attrs.Attribute[Any], value: Any) -> None:
        for index, element in enumerate(value):
            try:
                item(instance, attribute, element)
            except FieldValueError as exc:  # noqa: PERF203 - fails at most once
                raise FieldValueError(attribute.name, element, exc.reason, index=index) from None
        if unique and len(set(value)) != len(value):
            raise FieldValueError(attribute.name, value, "items must be unique")

    return validate


def min_items(minimum: int) -> Validator:
    """A validator: a collection of at least ``minimum`` items."""

    def validate(_instance: object, attribute: attrs.Attribute[Any], value: Any) -> None:
        if len(value) < minimum:
            raise FieldValueError(attribute.name, value, f"needs at least {minimum} item(s)")

    return validate


def mapping(key: Validator, value: Validator | None = None) -> Validator:
    """A validator for a mapping: every key passes ``key``, every value ``value``."""

    def validate(instance: object, attribute: attrs.Attribute[Any], mapping: Any) -> None:
        if not isinstance(mapping, Mapping):
            raise FieldValueError(attribute.name, mapping, "must be a mapping")
        for k, v in mapping.items():
            try:
                key(instance, attribute, k)
            except FieldValueError as exc:
                raise FieldValueError(attribute.name, k, f"key {exc.reason}", key=k) from None
            if value is not None:
                try:
                    value(instance, attribute, v)
                except FieldValueError as exc:
                    raise FieldValueError(attribute.name, v, exc.reason, key=k) from None

    return validate
