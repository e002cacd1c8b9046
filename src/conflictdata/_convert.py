"""Conversion between records and plain JSON data, with one private cattrs converter.

Structuring is strict: unknown keys are refused (like the schema's
``additionalProperties: false``), and strings, numbers and booleans are never
coerced into one another (cattrs' default would turn ``"5"`` into ``5`` and
``"false"`` into ``True``).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from typing import Any, TypeVar, get_args, get_origin

import cattrs
from cattrs.cols import homogenous_tuple_structure_factory
from cattrs.errors import (
    AttributeValidationNote,
    ClassValidationError,
    ForbiddenExtraKeysError,
    IterableValidationError,
)
from cattrs.gen import make_dict_unstructure_fn, override

from . import _build, _validators
from ._build import copy_json
from ._dates import PartialDate
from ._errors import DataValidationError
from ._report import Problem, Report, error
from ._vocab import _Vocabulary
from .model import Actor, Dataset, Event, Source, Tombstone

__all__ = ["from_dict", "make_converter", "structure_trusted", "to_dict"]

T = TypeVar("T")
JSON = Any


def _strict(kind: type | tuple[type, ...], name: str) -> Callable[[object, type], Any]:
    def structure(value: object, _: type) -> Any:
        if isinstance(value, kind) and not (
            isinstance(value, bool) and bool not in _as_tuple(kind)
        ):
            return value
        raise TypeError(f"expected {name}, got {_json_type(value)}")

    return structure


def _as_tuple(kind: type | tuple[type, ...]) -> tuple[type, ...]:
    return kind if isinstance(kind, tuple) else (kind,)


def _structure_float(value: object, _: type) -> float:
    if isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value):
        return float(value)
    raise TypeError(f"expected a finite number, got {_json_type(value)}")


def _structure_date(value: object, _: type) -> PartialDate:
    if not isinstance(value, str):
        raise TypeError(f"expected a date string, got {_json_type(value)}")
    return PartialDate.parse(value)


def _structure_vocabulary(value: object, cl: type[_Vocabulary]) -> _Vocabulary:
    if not isinstance(value, str):
        raise TypeError(f"expected a string, got {_json_type(value)}")
    try:
        return cl(value)
    except ValueError:
        allowed = ", ".join(m.value for m in cl)
        raise ValueError(f"{value!r} is not one of: {allowed}") from None


def _structure_extensions(value: object, _: type) -> dict[str, dict[str, JSON]]:
    if not isinstance(value, dict) or not all(isinstance(v, dict) for v in value.values()):
        raise TypeError(f"expected an object of objects, got {_json_type(value)}")
    return {k: copy_json(v) for k, v in value.items()}


def _is_extensions(t: Any) -> bool:
    return get_origin(t) is dict and get_args(t) == (str, dict[str, Any])


def _is_homogeneous_tuple(t: Any) -> bool:
    args = get_args(t)
    return get_origin(t) is tuple and len(args) == 2 and args[1] is Ellipsis


def _sequence_factory(t: Any, converter: cattrs.Converter) -> Callable[[object, type], Any]:
    inner = homogenous_tuple_structure_factory(t, converter)

    def structure(value: object, cl: type) -> Any:
        # Without this a string would be structured as a tuple of characters.
        if not isinstance(value, (list, tuple)):
            raise TypeError(f"expected an array, got {_json_type(value)}")
        return inner(value, cl)

    return structure


def _json_type(value: object) -> str:
    names = {dict: "an object", list: "an array", str: "a string", bool: "a boolean"}
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return f"the number {value!r}"
    return names.get(type(value), type(value).__name__)


def make_converter() -> cattrs.Converter:
    """The converter conflictdata uses; a new one each call (never cattrs' global one)."""
    converter = cattrs.Converter(forbid_extra_keys=True, omit_if_default=True)
    converter.register_structure_hook(str, _strict(str, "a string"))
    converter.register_structure_hook(int, _strict(int, "an integer"))
    converter.register_structure_hook(bool, _strict(bool, "a boolean"))
    converter.register_structure_hook(float, _structure_float)
    # Registered on the base class so that it wins over the str hook for
    # these str-based enums.
    converter.register_structure_hook(_Vocabulary, _structure_vocabulary)
    converter.register_unstructure_hook(_Vocabulary, lambda member: member.value)
    converter.register_structure_hook(PartialDate, _structure_date)
    converter.register_unstructure_hook(PartialDate, str)
    converter.register_structure_hook_func(_is_extensions, _structure_extensions)
    converter.register_unstructure_hook_func(_is_extensions, copy_json)
    converter.register_structure_hook_factory(_is_homogeneous_tuple, _sequence_factory)
    # JSON has arrays, not tuples.
    converter.register_unstructure_hook_func(
        _is_homogeneous_tuple, lambda seq: [converter.unstructure(x) for x in seq]
    )
    # A document always holds the members of schema 1.0, although Python has
    # defaults; later lists (tombstones) only when there are any.
    converter.register_unstructure_hook(
        Dataset,
        make_dict_unstructure_fn(
            Dataset,
            converter,
            _cattrs_omit_if_default=False,
            deleted=override(omit_if_default=True),
        ),
    )
    return converter


_CONVERTER = make_converter()


def to_dict(record: Any) -> Any:
    """Plain JSON data for a record: only JSON types, absent optional fields omitted.

    >>> from conflictdata import Fatalities
    >>> to_dict(Fatalities(best=2, high=5))
    {'best': 2, 'high': 5}
    """
    return _CONVERTER.unstructure(record)


def structure_trusted(data: Any, cls: type[T]) -> T:
    """Build records from data that has already passed the JSON Schema.

    The schema covers every single-field constraint, so the attrs validators
    are not run again (the "validate once" rule).
    """
    return _build.build(data, cls)


def from_dict(cls: type[T], data: Any) -> T:
    """Build a record of type ``cls`` from plain data, checking every field.

    Raises:
        DataValidationError: with one problem per bad field, each with its
            JSON Pointer.

    >>> from conflictdata import Participant
    >>> from_dict(Participant, {"actor": "mil-az", "role": "initiator"})
    Participant(actor='mil-az', role=<Role.INITIATOR: 'initiator'>, side=None)
    >>> from_dict(Participant, {"actor": "mil-az", "role": "boss"})
    Traceback (most recent call last):
    ...
    conflictdata.DataValidationError: 1 error(s); first: /role: error: ...
    """
    try:
        return _CONVERTER.structure(data, cls)
    except Exception as exc:  # noqa: BLE001 - every failure becomes a report
        raise DataValidationError(Report.of(structuring_problems(exc))) from None


def structuring_problems(
    exc: BaseException, path: tuple[str | int, ...] = ()
) -> Iterator[Problem]:
    """Problems, each with its JSON Pointer, for an error raised while structuring."""
    if isinstance(exc, (ClassValidationError, IterableValidationError)):
        noted, unnoted = exc.group_exceptions()
        for sub, note in noted:
            step = note.name if isinstance(note, AttributeValidationNote) else note.index
            yield from structuring_problems(sub, (*path, step))
        for sub in unnoted:
            yield from structuring_problems(sub, path)
        return
    if isinstance(exc, ForbiddenExtraKeysError):
        for key in sorted(exc.extra_fields):
            yield error((*path, key), "model.extra-key", f"unexpected member {key!r}")
        return
    if isinstance(exc, _validators.FieldValueError):
        steps = [p for p in (exc.field, exc.key, exc.index) if p is not None]
        yield error((*path, *steps), "model.value", str(exc.reason))
        return
    if isinstance(exc, KeyError):
        # cattrs has already noted the missing attribute's name in ``path``.
        yield error(path, "model.missing", f"missing member {exc.args[0]!r}")
        return
    if isinstance(exc, TypeError):
        yield error(path, "model.type", str(exc))
        return
    yield error(path, "model.value", str(exc))


# Record kinds that can stand alone, by the name used in schemas and JSON Lines.
RECORD_TYPES: dict[str, type[Any]] = {
    "dataset": Dataset,
    "event": Event,
    "actor": Actor,
    "source": Source,
    "tombstone": Tombstone,
}
