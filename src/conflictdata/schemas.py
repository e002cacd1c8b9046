"""The published JSON Schemas (Draft 2020-12) and one registry to resolve them.

The canonical files live in ``schemas/`` at the repository root and are
copied into the package (``conflictdata/_schemas``) when it is built, so an
installed conflictdata reads its own copy and never the network::

    >>> from conflictdata import schemas
    >>> schemas.names()
    ('actor', 'dataset', 'defs', 'event', 'source')
    >>> schemas.get("event")["$id"]
    'https://conflictdata.org/schemas/1.0/event.schema.json'
    >>> schemas.registry.contents(schemas.uri("defs"))["$defs"]["id"]["type"]
    'string'
"""

from __future__ import annotations

import copy
import functools
import importlib.resources
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    # importlib.resources.abc is 3.11+; importlib.abc has it on 3.10.
    from importlib.abc import Traversable

    import referencing

__all__ = [
    "BASE_URI",
    "SCHEMA_VERSION",
    "extension_schemes",
    "files",
    "get",
    "names",
    "registry",
    "uri",
]

_SUFFIX = ".schema.json"


def _directory() -> Traversable:
    packaged = importlib.resources.files(__package__) / "_schemas"
    if packaged.is_dir():
        return packaged
    # An editable install imports the package from src/; its schemas are the
    # canonical ones at the repository root, which a wheel carries a copy of.
    checkout = Path(__file__).resolve().parents[2] / "schemas"
    if checkout.is_dir():
        return checkout
    raise RuntimeError(f"conflictdata is installed without its schemas (looked in {packaged})")


def files() -> dict[str, Traversable]:
    """The schema files, by name (``event`` -> ``.../event.schema.json``)."""
    return {
        entry.name.removesuffix(_SUFFIX): entry
        for entry in sorted(_directory().iterdir(), key=lambda e: e.name)
        if entry.name.endswith(_SUFFIX)
    }


@functools.cache
def _load() -> dict[str, dict[str, Any]]:
    return {name: json.loads(entry.read_text(encoding="utf-8")) for name, entry in files().items()}


def names() -> tuple[str, ...]:
    """The names of the published schemas, sorted."""
    return tuple(_load())


def uri(name: str) -> str:
    """The ``$id`` of the schema called ``name``."""
    if name not in _load():
        raise KeyError(f"no schema called {name!r}; there are: {', '.join(names())}")
    return BASE_URI + name + _SUFFIX


def get(name: str) -> dict[str, Any]:
    """A copy of the schema ``name``: ``event``, ``actor``, ``source``, ``dataset`` or ``defs``."""
    uri(name)
    return copy.deepcopy(_load()[name])


@functools.cache
def _build_registry() -> referencing.Registry[Any]:
    import referencing  # noqa: PLC0415 - only validation that explains failures needs it
    import referencing.jsonschema  # noqa: PLC0415

    return (
        referencing.Registry()
        .with_resources(
            (schema["$id"], referencing.jsonschema.DRAFT202012.create_resource(schema))
            for schema in _load().values()
        )
        .crawl()
    )


def extension_schemes() -> frozenset[str]:
    """The extension schemes whose objects the schema describes (``acled``, ...)."""
    described = _load()["defs"]["$defs"]["extensions"]["properties"]
    return frozenset(described)


def __getattr__(name: str) -> Any:
    # ``registry`` is built on first use: ``import conflictdata`` stays light.
    if name == "registry":
        return _build_registry()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _version() -> str:
    # The one place the schema version is written is the dataset schema.
    dataset = json.loads((_directory() / f"dataset{_SUFFIX}").read_text(encoding="utf-8"))
    return str(dataset["properties"]["schema_version"]["const"])


#: The version of the data model and of the schemas this library writes,
#: read from ``dataset.schema.json``.
SCHEMA_VERSION: str = _version()

#: Every schema's ``$id`` is this base, then ``NAME.schema.json``.
BASE_URI = f"https://conflictdata.org/schemas/{SCHEMA_VERSION}/"

#: All schemas, crawled, for ``$ref`` resolution without the network
#: (built on first use).
registry: referencing.Registry[Any]
