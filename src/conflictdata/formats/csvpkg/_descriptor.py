"""The Frictionless ``datapackage.json`` descriptor, made from the table layout."""

from __future__ import annotations

import re
import zipfile
import zlib
from typing import IO, Any

from ..._errors import InputError
from ...model import RECORD_LISTS as _LISTS
from ...model import SCHEMA_VERSION
from .. import json as _json
from .._tables import DATE_PATTERN, TABLES, Column, Table

__all__ = ["PACKAGE", "package_descriptor", "read_descriptor"]

#: The descriptor's file name.
PACKAGE = "datapackage.json"


def package_descriptor(
    header: dict[str, Any], *, bom: bool, escape_formulas: bool
) -> dict[str, Any]:
    """The Frictionless Data Package descriptor for a package with ``header``."""
    metadata = header["metadata"]
    descriptor: dict[str, Any] = {
        "profile": "tabular-data-package",
        "name": re.sub(r"[^a-z0-9._-]+", "-", metadata["title"].lower()).strip("-._")
        or "conflictdata",
        "title": metadata["title"],
    }
    if "description" in metadata:
        descriptor["description"] = metadata["description"]
    if "license" in metadata:
        descriptor["licenses"] = [
            {"name": metadata["license"]}
            if "/" not in metadata["license"]
            else {"path": metadata["license"]}
        ]
    if metadata.get("creators"):
        descriptor["contributors"] = [{"title": c, "role": "author"} for c in metadata["creators"]]
    if "version" in metadata:
        descriptor["version"] = metadata["version"]
    descriptor["resources"] = [_resource(t, bom) for t in TABLES]
    # Everything needed to read the package back exactly.
    descriptor["conflictdata"] = {
        "schema_version": header.get("schema_version", SCHEMA_VERSION),
        "metadata": metadata,
        "formula_escape": "'" if escape_formulas else None,
    }
    return descriptor


def _field(column: Column) -> dict[str, Any]:
    field: dict[str, Any] = {
        "name": column.name,
        "type": _TABLE_SCHEMA_TYPES.get(column.type, column.type),
    }
    constraints: dict[str, Any] = {}
    if column.required:
        constraints["required"] = True
    if column.enum:
        constraints["enum"] = list(column.enum)
    if column.type == "date":
        constraints["pattern"] = DATE_PATTERN
    elif column.pattern is not None:
        constraints["pattern"] = column.pattern
    if column.type == "boolean":
        field["trueValues"] = ["true"]
        field["falseValues"] = ["false"]
    if constraints:
        field["constraints"] = constraints
    return field


_TABLE_SCHEMA_TYPES = {"json": "string", "date": "string"}


def _foreign_keys(table: Table) -> list[dict[str, Any]]:
    if table.shape == "record":
        return []
    keys = []
    owner = table.columns[0].name
    if table.owner != "any":
        keys.append(
            {"fields": owner, "reference": {"resource": _LISTS[table.owner], "fields": "id"}}
        )
    if table.shape == "list":
        for column in table.columns[1:]:
            if column.references is not None:
                target = _LISTS[column.references]
                keys.append(
                    {"fields": column.name, "reference": {"resource": target, "fields": "id"}}
                )
    return keys


def _resource(table: Table, bom: bool) -> dict[str, Any]:
    primary = ["id"] if table.shape == "record" else [table.columns[0].name, table.columns[1].name]
    schema: dict[str, Any] = {
        "fields": [_field(c) for c in table.columns],
        "missingValues": [""],
        "primaryKey": primary,
    }
    foreign = _foreign_keys(table)
    if foreign:
        schema["foreignKeys"] = foreign
    return {
        "name": table.name,
        "path": table.file,
        "profile": "tabular-data-resource",
        "description": table.description,
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8-sig" if bom else "utf-8",
        "dialect": {
            "delimiter": ",",
            "lineTerminator": "\r\n",
            "quoteChar": '"',
            "doubleQuote": True,
            "header": True,
        },
        "schema": schema,
    }


#: The longest descriptor read, in bytes (one holds the metadata and
#: the table schemas: some tens of kilobytes).
MAX_DESCRIPTOR = 16 * 1024**2


def read_descriptor(handle: IO[bytes] | None) -> tuple[dict[str, Any], frozenset[str]]:
    """What a package's descriptor says: its ``conflictdata`` member and the tables it lists.

    The ``conflictdata`` member holds the header and how the package was
    written; the tables are the ``path`` of each resource.
    """
    if handle is None:
        raise InputError("input.syntax", f"{PACKAGE} is missing: this is not a CSV data package")
    try:
        text = handle.read(MAX_DESCRIPTOR + 1)
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError) as exc:
        reason = str(exc) or type(exc).__name__
        raise InputError(
            "input.syntax", f"{PACKAGE}: a zip member that cannot be read: {reason}",
            location=PACKAGE,
        ) from None  # fmt: skip
    if len(text) > MAX_DESCRIPTOR:
        raise InputError(
            "input.size", f"{PACKAGE} is longer than {MAX_DESCRIPTOR:,} bytes", location=PACKAGE
        )
    try:
        descriptor = _json.loads(text)
    except InputError as exc:
        raise InputError(
            exc.code, exc.message, location=f"{PACKAGE} {exc.location or ''}".strip()
        ) from None
    own = descriptor.get("conflictdata") if isinstance(descriptor, dict) else None
    if not isinstance(own, dict) or "metadata" not in own:
        raise InputError(
            "input.syntax",
            f"{PACKAGE} has no conflictdata member: not written by conflictdata",
            location=PACKAGE,
        )
    resources = descriptor.get("resources")
    listed = frozenset(
        r["path"]
        for r in (resources if isinstance(resources, list) else ())
        if isinstance(r, dict) and isinstance(r.get("path"), str)
    )
    if not listed & {t.file for t in TABLES if t.shape == "record"}:
        raise InputError(
            "input.file",
            f"{PACKAGE} lists none of the record tables (resources with a path)",
            location=PACKAGE,
        )
    return own, listed
