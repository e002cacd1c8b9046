"""JSON Schema checks: a fast validator decides, python-jsonschema explains.

jsonschema-rs checks a 20-field event ~100x faster than python-jsonschema,
so it answers "is this valid?" for every record. Only records it rejects are
handed to python-jsonschema, whose errors carry the paths and the
``best_match`` messages that problems are made of. A differential test
proves the two agree.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING, Any

from . import schemas
from ._report import CODES, Problem, error

if TYPE_CHECKING:
    import jsonschema
    from jsonschema.exceptions import ValidationError

__all__ = ["check", "explain", "fast_is_valid"]


@functools.cache
def _explainer(kind: str, version: str | None = None) -> jsonschema.Draft202012Validator:
    # python-jsonschema only explains failures: imported when one happens.
    import jsonschema  # noqa: PLC0415

    return jsonschema.Draft202012Validator(
        schemas.get(kind, version),
        registry=schemas.registry,
        format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER,
    )


@functools.cache
def fast_is_valid(kind: str, version: str | None = None) -> Callable[[Any], bool]:
    """The fastest available ``is_valid`` for the schema ``kind`` of ``version``."""
    try:
        import jsonschema_rs  # noqa: PLC0415 - optional accelerator
    except ImportError:  # pragma: no cover - platforms without a wheel
        return _explainer(kind, version).is_valid
    registry = jsonschema_rs.Registry(
        [(schemas.uri(n, version), schemas.get(n, version)) for n in schemas.names(version)]
    )
    validator = jsonschema_rs.validator_for(
        schemas.get(kind, version), registry=registry, validate_formats=True
    )
    return validator.is_valid


def _passes(kind: str, instance: Any, version: str | None) -> bool:
    try:
        return fast_is_valid(kind, version)(instance)
    except UnicodeEncodeError:
        # A lone surrogate cannot cross into Rust; the reference validator
        # judges the record and the text checks report the surrogate.
        return False


def check(instance: Any, kind: str = "dataset", version: str | None = None) -> list[Problem]:
    """Schema problems of ``instance`` against the schema ``kind``; [] when valid.

    Paths are relative to ``instance``. Datasets are checked record by
    record by the pipeline, so ``instance`` is one record or a dataset's
    own members.
    """
    if _passes(kind, instance, version):
        return []
    return list(explain(instance, kind, version=version))


def explain(
    instance: Any, kind: str, prefix: tuple[str | int, ...] = (), *, version: str | None = None
) -> Iterator[Problem]:
    """One problem per schema error of ``instance``, in document order."""
    errors = sorted(
        _explainer(kind, version).iter_errors(instance), key=lambda e: list(map(str, e.path))
    )
    seen: set[tuple[str | int, ...]] = set()
    for err in errors:
        for problem in _problems(_most_relevant(err), prefix):
            # One problem per place: "2020-07-00" breaks both the pattern and
            # the date format, and each of several "required" errors names
            # every missing member.
            if problem.path not in seen:
                seen.add(problem.path)
                yield problem


def _most_relevant(err: ValidationError) -> ValidationError:
    from jsonschema.exceptions import best_match  # noqa: PLC0415

    # A combinator error ("not valid under any of...") says little; its best
    # sub-error says what to fix.
    if err.context:
        return best_match(err.context) or err
    return err


def _problems(err: ValidationError, prefix: tuple[str | int, ...]) -> Iterable[Problem]:
    keyword = str(err.validator)
    code = f"schema.{keyword}" if f"schema.{keyword}" in CODES else "schema.invalid"
    path = (*prefix, *err.absolute_path)
    instance = err.instance
    if "propertyNames" in err.relative_schema_path and isinstance(instance, str):
        # The error is about a key: point at the member that has it.
        title = _title(err) or "name"
        message = f"{instance!r} is not a valid {title.lower()} (as a member name)"
        yield error((*path, instance), "schema.propertyNames", message)
        return
    if keyword == "required" and isinstance(instance, dict):
        # Point at the member that is missing, not at its parent.
        for name in _missing(err.validator_value, instance):
            yield error((*path, name), code, f"{name!r} is required")
        return
    if keyword == "dependentRequired" and isinstance(instance, dict):
        for needed in _missing_dependencies(err.validator_value, instance):
            yield error((*path, needed), code, err.message)
        return
    if keyword == "additionalProperties" and isinstance(instance, dict):
        known = err.schema.get("properties", {}) if isinstance(err.schema, dict) else {}
        for name in sorted(k for k in instance if k not in known):
            yield error((*path, name), code, f"{name!r} is not a member of this record")
        return
    yield error(path, code, _message(err, keyword))


def _title(err: ValidationError) -> str | None:
    schema = err.schema
    title = schema.get("title") if isinstance(schema, dict) else None
    return title if isinstance(title, str) else None


def _message(err: ValidationError, keyword: str) -> str:
    title = _title(err)
    if keyword in {"pattern", "format"} and title:
        # "'1x' is not a valid identifier" beats a regular expression.
        return f"{err.instance!r} is not a valid {title.lower()}"
    if keyword == "format":
        return f"{err.instance!r} is not a valid {err.validator_value}"
    return err.message


def _missing(required: Any, instance: dict[str, Any]) -> list[str]:
    return [name for name in required if name not in instance]


def _missing_dependencies(dependencies: Any, instance: dict[str, Any]) -> list[str]:
    return sorted(
        {need for have, needs in dependencies.items() if have in instance for need in needs}
        - instance.keys()
    )
