"""The published JSON Schemas (Draft 2020-12), every version, and one registry to resolve them.

The canonical files live in ``schemas/<version>/`` at the repository root
and are copied into the package (``conflictdata/_schemas``) when it is
built, so an installed conflictdata reads its own copy and never the
network. Every published version stays: documents of an older version are
migrated on reading (see :func:`conflictdata.migrate`)::

    >>> from conflictdata import schemas
    >>> schemas.versions(), schemas.SCHEMA_VERSION
    (('1.0', '1.1'), '1.1')
    >>> schemas.names()
    ('actor', 'dataset', 'defs', 'event', 'source', 'tombstone')
    >>> schemas.get("event")["$id"]
    'https://conflictdata.org/schemas/1.1/event.schema.json'
    >>> schemas.get("event", version="1.0")["$id"]
    'https://conflictdata.org/schemas/1.0/event.schema.json'
    >>> schemas.registry.contents(schemas.uri("defs"))["$defs"]["id"]["type"]
    'string'

The ``$id`` of a schema is its name, not an address: nothing is served
there, and validators must be given the files (or :func:`bundle`).
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
    "bundle",
    "extension_schemes",
    "files",
    "get",
    "names",
    "registry",
    "uri",
    "versions",
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


def _version_key(version: str) -> tuple[int, ...]:
    return tuple(int(part) for part in version.split("."))


@functools.cache
def versions() -> tuple[str, ...]:
    """Every published schema version, oldest first."""
    found = [e.name for e in _directory().iterdir() if e.is_dir() and e.name[:1].isdigit()]
    return tuple(sorted(found, key=_version_key))


def _check_version(version: str | None) -> str:
    if version is None:
        return SCHEMA_VERSION
    if version not in versions():
        raise KeyError(f"no schema version {version!r}; there are: {', '.join(versions())}")
    return version


def files(version: str | None = None) -> dict[str, Traversable]:
    """The schema files of a version (the current one by default), by name."""
    folder = _directory() / _check_version(version)
    return {
        entry.name.removesuffix(_SUFFIX): entry
        for entry in sorted(folder.iterdir(), key=lambda e: e.name)
        if entry.name.endswith(_SUFFIX)
    }


@functools.cache
def _load(version: str) -> dict[str, dict[str, Any]]:
    return {
        name: json.loads(entry.read_text(encoding="utf-8"))
        for name, entry in files(version).items()
    }


def names(version: str | None = None) -> tuple[str, ...]:
    """The names of the schemas of a version, sorted."""
    return tuple(_load(_check_version(version)))


def base_uri(version: str | None = None) -> str:
    """The base of every ``$id`` of a version: ``https://conflictdata.org/schemas/1.1/``."""
    return f"https://conflictdata.org/schemas/{_check_version(version)}/"


def uri(name: str, version: str | None = None) -> str:
    """The ``$id`` of the schema called ``name``."""
    version = _check_version(version)
    if name not in _load(version):
        raise KeyError(f"no schema called {name!r}; there are: {', '.join(names(version))}")
    return base_uri(version) + name + _SUFFIX


def get(name: str, version: str | None = None) -> dict[str, Any]:
    """A copy of the schema ``name`` of a version (the current one by default)."""
    version = _check_version(version)
    uri(name, version)
    return copy.deepcopy(_load(version)[name])


def bundle(name: str = "dataset", version: str | None = None) -> dict[str, Any]:
    """One self-contained schema: ``name`` with every schema it refers to under ``$defs``.

    Each embedded schema keeps its ``$id``, so references resolve inside the
    document, as the Draft 2020-12 specification describes bundling (its
    section 9.3): check-jsonschema, Ajv and editors can validate offline.

    >>> from conflictdata import schemas
    >>> bundled = schemas.bundle("event")
    >>> bundled["$defs"][schemas.uri("defs")]["$id"] == schemas.uri("defs")
    True
    """
    version = _check_version(version)
    root = get(name, version)
    embedded = {uri(other, version): get(other, version) for other in names(version)}
    del embedded[uri(name, version)]
    root.setdefault("$defs", {}).update(embedded)
    return root


@functools.cache
def _build_registry() -> referencing.Registry[Any]:
    import referencing  # noqa: PLC0415 - only validation that explains failures needs it
    import referencing.jsonschema  # noqa: PLC0415

    return (
        referencing.Registry()
        .with_resources(
            (schema["$id"], referencing.jsonschema.DRAFT202012.create_resource(schema))
            for version in versions()
            for schema in _load(version).values()
        )
        .crawl()
    )


def extension_schemes() -> frozenset[str]:
    """The extension schemes whose objects the schema describes (``acled``, ...)."""
    described = _load(SCHEMA_VERSION)["defs"]["$defs"]["extensions"]["properties"]
    return frozenset(described)


def __getattr__(name: str) -> Any:
    # ``registry`` is built on first use: ``import conflictdata`` stays light.
    if name == "registry":
        return _build_registry()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _current() -> str:
    # The newest folder is the current version; its dataset schema says so too.
    newest = versions()[-1]
    dataset = json.loads((_directory() / newest / f"dataset{_SUFFIX}").read_text("utf-8"))
    declared = str(dataset["properties"]["schema_version"]["const"])
    if declared != newest:
        raise RuntimeError(f"schemas/{newest}/dataset.schema.json declares version {declared}")
    return newest


#: The version of the data model and of the schemas this library writes:
#: the newest published one.
SCHEMA_VERSION: str = _current()

#: Every current schema's ``$id`` is this base, then ``NAME.schema.json``.
BASE_URI = base_uri(SCHEMA_VERSION)

#: All schemas, crawled, for ``$ref`` resolution without the network
#: (built on first use).
registry: referencing.Registry[Any]
