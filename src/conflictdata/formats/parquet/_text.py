"""Rows buffered as JSON text, and read into Arrow data by Arrow's JSON reader.

A row buffered as a dict keeps a dozen containers alive, and the garbage
collector walks them again and again (and with them every object of the
process, in each full collection); building Arrow data from Python
objects also makes pyarrow import pandas. JSON text is a ``bytes`` object
the collector never looks at, and ``pyarrow.json`` parses it in C++.

A row is kept as text only when its text reads back to what
``RecordBatch.from_pylist`` makes of the dict; otherwise it stays a dict,
and its chunk is built from dicts as before (:meth:`RowText.decode` turns
the chunk's text back into the same dicts):

- orjson refuses what JSON cannot hold (lone surrogates, keys that are not
  strings, integers past 64 bits, other types);
- orjson writes NaN and infinity as ``null``, so text with a ``null`` stays
  a dict (as does one with ``None`` in it);
- pyarrow refuses an integer past 2**53 for a float column, which the JSON
  reader would round: such a row stays a dict;
- the JSON reader has no map type, so a map goes as a list of key/value
  objects, read as a list and rebuilt as the map (the same buffers);
- the JSON reader reads every field as nullable; a required member that is
  missing from a struct that is there makes the chunk go the dict way.

The JSON reader refuses a value of another type than its column's, as
pyarrow does; the chunk is then built from dicts, so that the error is
pyarrow's, as it always was.
"""

from __future__ import annotations

from typing import Any

import orjson

from ._schema import arrow

__all__ = ["RowText"]

#: The largest integer magnitude that pyarrow turns into a float exactly.
_EXACT_FLOAT = 2**53


def _holds(kind: Any, test: Any) -> bool:
    """Whether ``kind``, or a type inside it, passes ``test``."""
    inner = (kind.field(i).type for i in range(kind.num_fields))
    return bool(test(kind)) or any(_holds(each, test) for each in inner)


def _float_paths(fields: Any, where: tuple[str, ...]) -> list[tuple[str, ...]] | None:
    """The paths of the float columns through structs; None if one is inside a list or map."""
    pa = arrow()
    paths: list[tuple[str, ...]] = []
    for field in fields:
        path = (*where, field.name)
        if pa.types.is_floating(field.type):
            paths.append(path)
        elif pa.types.is_struct(field.type):
            inner = _float_paths(field.type, path)
            if inner is None:
                return None
            paths.extend(inner)
        elif _holds(field.type, pa.types.is_floating):
            return None
    return paths


class RowText:
    """Turns the rows of one table into JSON text and chunks of that text into Arrow data."""

    def __init__(self, schema: Any) -> None:
        pa = arrow()
        self.schema = schema
        self._maps = tuple(f.name for f in schema if pa.types.is_map(f.type))
        floats = _float_paths(schema, ())
        # Only top-level maps are turned into lists and back.
        nested_map = any(
            _holds(f.type.field(0).type if f.name in self._maps else f.type, pa.types.is_map)
            for f in schema
        )
        #: Whether rows may be kept as text at all (for the tables of this
        #: schema, always; a list of floats would need a walk of the list).
        self.enabled = floats is not None and not nested_map
        self._floats = floats or []
        fields = [f.with_type(_loose(f.type)) for f in schema]
        self._options = pa.json.ParseOptions(
            explicit_schema=pa.schema(fields), unexpected_field_behavior="ignore"
        )

    def encode(self, row: dict[str, Any]) -> bytes | None:
        """The row as one line of JSON text, or None if it must stay a dict.

        The maps of ``row`` (the writer's own copy) are replaced while the
        text is made, and put back.
        """
        if not self.enabled or not self._exact_floats(row):
            return None
        replaced: dict[str, Any] = {}
        for name in self._maps:
            value = row.get(name)
            if value is None:
                continue
            if not isinstance(value, dict):
                row.update(replaced)
                return None
            replaced[name] = value
            row[name] = [{"key": k, "value": v} for k, v in value.items()]
        try:
            text = orjson.dumps(row)
        except (orjson.JSONEncodeError, TypeError):
            text = None
        row.update(replaced)
        if text is None or b"null" in text:
            return None
        return text

    def _exact_floats(self, row: dict[str, Any]) -> bool:
        for path in self._floats:
            value: Any = row
            for key in path:
                value = value.get(key) if isinstance(value, dict) else None
                if value is None:
                    break
            # A float (nearly always) needs no range check; bool is an int.
            if (
                type(value) is not float
                and isinstance(value, int)
                and not -_EXACT_FLOAT <= value <= _EXACT_FLOAT
            ):
                return False
        return True

    def decode(self, text: bytes) -> dict[str, Any]:
        """The row that :meth:`encode` made ``text`` of, as pyarrow sees it."""
        row: dict[str, Any] = orjson.loads(text)
        for name in self._maps:
            pairs = row.get(name)
            if pairs is not None:
                row[name] = {pair["key"]: pair["value"] for pair in pairs}
        return row

    def read(self, texts: list[bytes]) -> Any:
        """The rows of ``texts`` as one record batch, or None if the JSON reader refuses them."""
        pa = arrow()
        data = b"\n".join(texts)
        # One block, so one chunk: the rows' order and the batch sizes stay the writer's.
        options = pa.json.ReadOptions(use_threads=False, block_size=len(data) + 1)
        try:
            table = pa.json.read_json(
                pa.BufferReader(data), read_options=options, parse_options=self._options
            )
            columns = []
            for field, column in zip(self.schema, table.columns, strict=True):
                array = _strict(column.chunk(0), field.type)
                if not field.nullable and array.null_count:
                    return None
                columns.append(array)
            return pa.RecordBatch.from_arrays(columns, schema=self.schema)
        except (pa.ArrowException, _MissingError):
            return None


class _MissingError(Exception):
    """A member that may not be missing is."""


def _loose(kind: Any) -> Any:
    """``kind`` with every field nullable and maps as lists, for the JSON reader.

    The reader refuses a null in a field that is not nullable even where its
    struct is null (an event without a location), which pyarrow allows.
    """
    pa = arrow()
    if pa.types.is_map(kind):
        return pa.list_(pa.field("entries", _loose(kind.field(0).type)))
    if pa.types.is_struct(kind):
        return pa.struct([pa.field(f.name, _loose(f.type), metadata=f.metadata) for f in kind])
    if pa.types.is_list(kind):
        item = kind.value_field
        return pa.list_(pa.field(item.name, _loose(item.type), metadata=item.metadata))
    return kind


def _strict(array: Any, kind: Any) -> Any:
    """The array the JSON reader made with :func:`_loose` types, as one of type ``kind``.

    A field that may not be null is null only where its struct is: there it
    is made valid (its value is empty, and under a null struct it is never
    read), as in the arrays pyarrow builds from dicts. A null anywhere else
    raises :class:`_MissingError`.
    """
    pa = arrow()
    if kind.num_fields == 0:
        return array
    children = []
    for i in range(kind.num_fields):
        field = kind.field(i)
        child = array.field(i) if pa.types.is_struct(kind) else array.values
        child = _strict(child, field.type)
        if not field.nullable and child.null_count:
            if not _null_only_in_null_structs(child, array):
                raise _MissingError
            child = _valid(child)
        children.append(child)
    return _rebuild(array, kind, array.buffers()[0], children)


def _null_only_in_null_structs(child: Any, array: Any) -> bool:
    """Whether ``child``, a member of ``array``, is null only where ``array`` is a null struct."""
    pa = arrow()
    if not pa.types.is_struct(array.type) or not array.null_count:
        return False
    where = pa.compute.and_(child.is_null(), array.is_valid())
    return not pa.compute.any(where).as_py()


def _children(array: Any) -> list[Any] | None:
    pa = arrow()
    if pa.types.is_struct(array.type):
        return [array.field(i) for i in range(array.type.num_fields)]
    if array.type.num_fields:
        return [array.values]
    return None


def _valid(array: Any) -> Any:
    """``array`` without its validity bitmap: every value valid."""
    return _rebuild(array, array.type, None, _children(array))


def _rebuild(array: Any, kind: Any, validity: Any, children: list[Any] | None) -> Any:
    pa = arrow()
    buffers = [validity, *array.buffers()[1 : kind.num_buffers]]
    return pa.Array.from_buffers(
        kind,
        len(array),
        buffers,
        null_count=array.null_count if validity is not None else 0,
        offset=array.offset,
        children=children,
    )
