"""The Arrow schema of each table, derived from the JSON Schema of its record.

A JSON Schema type becomes one Arrow type:

- ``string`` (and enums, dates, ids) is ``string``; ``integer`` is
  ``int64``, ``number`` ``float64``, ``boolean`` ``bool``;
- an array is a ``list`` of its items' type (``list<struct>`` for objects);
- an object whose members are all known (``additionalProperties: false``)
  is a ``struct``, its required members not nullable;
- an object of free keys and text values (``identifiers``, ``names``) is a
  ``map<string, string>``;
- any other object (``extensions``, whose PLOVER part is free-form JSON) is
  a ``string`` of JSON text, marked ``conflictdata.encoding: json`` in the
  field's metadata.

Events carry one more column, ``position``: the event's place in the
dataset, which partitioning by year would otherwise lose.
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING, Any

from ... import schemas
from ...model import RecordKind

if TYPE_CHECKING:
    import pyarrow as pa

__all__ = [
    "JSON_ENCODING",
    "POSITION",
    "SCHEMA_KEY",
    "TABLES",
    "VERSION_KEY",
    "arrow",
    "arrow_schema",
    "describe",
    "json_columns",
]

#: The table (directory) of each record kind.
TABLES: dict[RecordKind, str] = {kind: kind.member for kind in RecordKind}
#: The extra column of events that keeps their order.
POSITION = "position"
#: File metadata keys: the dataset header as JSON, and the schema version.
SCHEMA_KEY = b"conflictdata.dataset"
VERSION_KEY = b"conflictdata.schema_version"
#: Field metadata of a column that holds JSON text.
JSON_ENCODING = {b"conflictdata.encoding": b"json"}
_SCHEMA_NAMES = {
    RecordKind.SOURCE: "source",
    RecordKind.ACTOR: "actor",
    RecordKind.EVENT: "event",
    RecordKind.TOMBSTONE: "tombstone",
}


def arrow() -> Any:
    """The ``pyarrow`` module, or an error that says how to install it."""
    try:
        import pyarrow as pa  # noqa: PLC0415 - an optional dependency, imported on first use
        import pyarrow.compute  # noqa: PLC0415 - makes pa.compute available
        import pyarrow.json  # noqa: PLC0415 - makes pa.json available
        import pyarrow.parquet  # noqa: PLC0415 - makes pa.parquet available
    except ImportError as exc:
        from ..._errors import MissingDependencyError  # noqa: PLC0415

        raise MissingDependencyError(
            "the parquet format needs pyarrow: pip install 'conflictdata[parquet]'"
        ) from exc
    return pa


def _resolve(node: dict[str, Any], resolver: Any) -> tuple[dict[str, Any], Any]:
    while "$ref" in node:
        resolved = resolver.lookup(node["$ref"])
        node, resolver = resolved.contents, resolved.resolver
    return node, resolver


def _type(node: dict[str, Any], resolver: Any, *, top: bool) -> pa.Field:
    """The Arrow type of a JSON Schema node, as an unnamed field (for its metadata)."""
    pa = arrow()
    node, resolver = _resolve(node, resolver)
    if "anyOf" in node:
        kinds = {_type(n, resolver, top=top).type for n in node["anyOf"]}
        if len(kinds) != 1:
            raise TypeError(f"no single Arrow type for {node['anyOf']!r}")
        return pa.field("", kinds.pop())
    if "enum" in node or "const" in node:
        return pa.field("", pa.string())
    kind = node.get("type")
    scalars = {
        "string": pa.string(),
        "integer": pa.int64(),
        "number": pa.float64(),
        "boolean": pa.bool_(),
    }
    if kind in scalars:
        return pa.field("", scalars[kind])
    if kind == "array":
        return pa.field("", pa.list_(_type(node["items"], resolver, top=False).type))
    if kind == "object":
        return _object(node, resolver, top=top)
    raise TypeError(f"no Arrow type for {node!r}")


def _object(node: dict[str, Any], resolver: Any, *, top: bool) -> pa.Field:
    pa = arrow()
    extra = node.get("additionalProperties", True)
    if extra is False:
        required = set(node.get("required", ()))
        return pa.field("", pa.struct(_fields(node["properties"], required, resolver)))
    if isinstance(extra, dict) and "properties" not in node:
        value, _ = _resolve(extra, resolver)
        if value.get("type") == "string":
            return pa.field("", pa.map_(pa.string(), pa.string()))
    if not top:
        # The readers and writers turn JSON text back and forth at the top level only.
        raise TypeError(f"a free-form object inside a column: {node!r}")
    return pa.field("", pa.string(), metadata=JSON_ENCODING)


def _fields(
    properties: dict[str, Any],
    required: set[str],
    resolver: Any,
    *,
    top: bool = False,
) -> list[pa.Field]:
    fields = []
    for name, node in properties.items():
        field = _type(node, resolver, top=top)
        fields.append(field.with_name(name).with_nullable(name not in required))
    return fields


@functools.cache
def arrow_schema(kind: RecordKind) -> pa.Schema:
    """The Arrow schema of the table of ``kind``, derived from its JSON Schema."""
    pa = arrow()
    name = _SCHEMA_NAMES[kind]
    uri = schemas.uri(name)
    resolver = schemas.registry.resolver(uri)
    node = schemas.get(name)
    fields = _fields(node["properties"], set(node.get("required", ())), resolver, top=True)
    if kind is RecordKind.EVENT:
        fields.append(pa.field(POSITION, pa.int64(), nullable=False))
    return pa.schema(fields, metadata={VERSION_KEY: schemas.SCHEMA_VERSION.encode()})


def json_columns(kind: RecordKind | pa.Schema) -> tuple[str, ...]:
    """The columns of ``kind``'s table (or of an Arrow schema of one) that hold JSON text."""
    schema = arrow_schema(kind) if isinstance(kind, RecordKind) else kind
    return tuple(f.name for f in schema if f.metadata == JSON_ENCODING)


def describe(kind: RecordKind | None = None) -> str:
    """The Arrow schema of one table, or of every table, as text."""
    kinds = list(RecordKind) if kind is None else [kind]
    parts = []
    for each in kinds:
        schema = arrow_schema(each)
        where = f"{TABLES[each]}/year=YYYY/*.parquet" if each is RecordKind.EVENT else None
        where = where or f"{TABLES[each]}/*.parquet"
        text = schema.to_string(show_field_metadata=True, show_schema_metadata=False)
        parts.append(f"# {where}\n{text}\n")
    return "\n".join(parts)
