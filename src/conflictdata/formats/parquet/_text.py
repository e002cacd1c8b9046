"""A row group's rows, buffered as JSON text and read into Arrow data in C++.

A row buffered as a dict keeps a dozen containers alive, and the garbage
collector walks them again and again (and with them every object of the
process, in each full collection); building Arrow data from Python
objects also makes pyarrow import pandas. So a record waits as its JSON
text, made by orjson from the record as it came (no copy) and appended to
one buffer per file (each ``bytes`` object orjson returns holds several
times its length, so none is kept), and ``pyarrow.json`` parses the
buffer in C++.

Three kinds of column are not parsed from the text: Arrow's JSON reader
has no map type and cannot keep an object as text, so maps (identifiers,
names) are built from their keys and values, collected as the rows
arrive, and JSON text columns (extensions) from the text each value is
written as; ``position`` is the writer's count. The reader skips these
members in the text.

The rows become what ``RecordBatch.from_pylist`` makes of them as dicts,
or, where text cannot promise that, the whole row group is built from
dicts (a row that cannot be text waits as a dict, and the other rows'
text is read back into the same dicts). A row cannot be text where:

- orjson refuses what JSON cannot hold (lone surrogates, keys that are not
  strings, integers past 64 bits, other types) or what pyarrow would
  refuse (dates, dataclasses, subclasses of str and the like);
- orjson writes NaN and infinity as ``null``, so text with a ``null``
  value stays a dict (as does one with ``None`` in it);
- a map is not a dict.

The row group is built from dicts where:

- pyarrow refuses an integer past 2**53 for a float column, which the JSON
  reader would round: a float column's value that large sends the row group
  the dict way (a rounded 2**53 + 1 reads as 2**53, so that counts too);
- a map value is not text;
- the JSON reader reads every field as nullable; a required member that is
  missing from a struct that is there sends the row group the dict way.

The JSON reader refuses a value of another type than its column's, as
pyarrow does; the rows are then built from dicts, so that the error is
pyarrow's, as it always was.
"""

from __future__ import annotations

from typing import Any

import orjson

from ..json import dumps_line
from ._columns import Integers, Maps, Strings
from ._schema import POSITION, arrow, json_columns

__all__ = ["Layout", "Rows", "json_text"]

#: The smallest magnitude that may be an integer a float cannot hold exactly.
_EXACT_FLOAT = 2**53


def json_text(value: Any) -> str:
    """A JSON text column's value: the standard library's compact text, as orjson writes it."""
    return dumps_line(value).decode("utf-8")


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


class Layout:
    """What the rows of a table of ``schema`` need: which columns are parsed from text, and how."""

    def __init__(self, schema: Any) -> None:
        pa = arrow()
        self.schema = schema
        self.maps = tuple(f.name for f in schema if pa.types.is_map(f.type))
        self.json = json_columns(schema)
        self.positioned = POSITION in schema.names
        side = {*self.maps, *self.json, POSITION}
        self.parsed = [f for f in schema if f.name not in side]
        floats = _float_paths(self.parsed, ())
        #: Whether rows may wait as text at all (for the tables of this
        #: schema, always; a list of floats would need a walk of the list).
        self.enabled = floats is not None and not any(
            _holds(f.type, pa.types.is_map) for f in self.parsed
        )
        self.floats = floats or []
        fields = [f.with_type(_loose(f.type)) for f in self.parsed]
        self.options = pa.json.ParseOptions(
            explicit_schema=pa.schema(fields), unexpected_field_behavior="ignore"
        )

    def parse(self, text: bytes | bytearray) -> Any:
        """The table Arrow's JSON reader makes of ``text``, or None if it refuses it.

        One call into Arrow, which lets go of the GIL for all its work (the
        writer runs it in a thread beside the record pipeline).
        """
        pa = arrow()
        try:
            # One block, so one chunk per column. A block holds at most 2 GiB
            # (OverflowError past that): such text goes the dict way.
            options = pa.json.ReadOptions(use_threads=False, block_size=len(text) + 1)
            return pa.json.read_json(
                pa.BufferReader(pa.py_buffer(text)),
                read_options=options,
                parse_options=self.options,
            )
        except (pa.ArrowException, OverflowError):
            return None


class Rows:
    """Rows of one table, until they become Arrow data.

    :meth:`add` takes each record as it came. :meth:`text` is the rows'
    text for :meth:`Layout.parse`, and :meth:`batch` makes the record batch
    of what that parsed; when either is None, the rows are built from
    :meth:`dicts`.
    """

    def __init__(self, layout: Layout) -> None:
        self.layout = layout
        #: The rows' text, one line each. Kept in one buffer: each object
        #: orjson returns holds several times its length, and is freed at once.
        self._buffer = bytearray()
        #: Where each row's line ends in the buffer (a row kept as a dict adds none).
        self._ends: list[int] = []
        #: The rows that wait as dicts (with their JSON text columns and position), by index.
        self._dicts: dict[int, dict[str, Any]] = {}
        self._texts = {name: Strings() for name in layout.json}
        self._positions = Integers()
        self._maps = {name: Maps() for name in layout.maps}
        self._json_columns = tuple(self._texts.items())
        self._map_columns = tuple(self._maps.items())
        self._positioned = layout.positioned

    def __len__(self) -> int:
        return len(self._ends)

    @property
    def size(self) -> int:
        """The bytes of text buffered."""
        return len(self._buffer)

    @property
    def all_text(self) -> bool:
        """Whether every row waits as text."""
        return not self._dicts

    def add(self, data: dict[str, Any], position: int = 0) -> None:
        """Buffer one record; ``position`` if its table has one.

        The record is not changed. Only a row that waits as a dict keeps
        anything of it: a shallow copy, sharing its nested values.
        """
        # The hot path of a conversion to Parquet: plain loops, no generators.
        for name, texts in self._json_columns:
            value = data.get(name, _MISSING)
            texts.add(None if value is _MISSING else json_text(value))
        if self._positioned:
            self._positions.values.append(position)
        text = self._text(data)
        buffer = self._buffer
        if text is None:
            index = len(self._ends)
            self._dicts[index] = self._row(data, index)
        else:
            buffer += text
            if not self._dicts:
                for name, maps in self._map_columns:
                    maps.add(data.get(name))
        self._ends.append(len(buffer))

    def _text(self, data: dict[str, Any]) -> bytes | None:
        """``data`` as one line of JSON text, or None if the line cannot stand for it.

        A ``null`` may be NaN (or None) in a column the text is parsed for;
        inside a JSON text column, which the parser skips, it does no harm,
        so a row whose text has one is written again without those members.
        orjson passes dataclasses, dates and times and subclasses of str,
        int, dict and list over (a TypeError, so the row waits as a dict):
        it would write them as JSON where pyarrow refuses them.
        """
        if not self.layout.enabled:
            return None
        for name in self.layout.maps:
            value = data.get(name)
            if value is not None and not isinstance(value, dict):
                return None
        try:
            text = orjson.dumps(data, option=_OPTIONS)
            if _has_null(text):
                json = self.layout.json
                if any(name in data for name in json):
                    stripped = {k: v for k, v in data.items() if k not in json}
                    text = orjson.dumps(stripped, option=_OPTIONS)
        except TypeError:
            # orjson.JSONEncodeError is a TypeError.
            return None
        return None if _has_null(text) else text

    def _row(self, data: dict[str, Any], index: int) -> dict[str, Any]:
        """Row ``index`` as a dict, its members from ``data``, as ``from_pylist`` takes it."""
        row = dict(data)
        for name, texts in self._texts.items():
            value = texts.get(index)
            if value is None:
                row.pop(name, None)
            else:
                row[name] = value
        if self.layout.positioned:
            row[POSITION] = self._positions.values[index]
        return row

    def dicts(self, start: int, stop: int) -> list[dict[str, Any]]:
        """Rows ``start`` to ``stop`` as dicts, as ``from_pylist`` takes them."""
        rows = []
        ends = self._ends
        for i in range(start, min(stop, len(ends))):
            row = self._dicts.get(i)
            if row is None:
                begin = ends[i - 1] if i else 0
                row = self._row(orjson.loads(self._buffer[begin : ends[i]]), i)
            rows.append(row)
        return rows

    def text(self) -> bytearray | None:
        """The rows' text, one line each; None if some row waits as a dict.

        The buffer itself: no row may be added after.
        """
        if self._dicts or not self._ends:
            return None
        return self._buffer

    def batch(self, table: Any) -> Any:
        """The record batch of the rows, given what :meth:`Layout.parse` made of :meth:`text`.

        None if it cannot be the batch ``from_pylist`` would make.
        """
        pa = arrow()
        layout = self.layout
        columns: dict[str, Any] = {}
        try:
            for field, column in zip(layout.parsed, table.columns, strict=True):
                array = _strict(column.chunk(0), field.type)
                if not field.nullable and array.null_count:
                    return None
                columns[field.name] = array
            if not self._exact(columns):
                return None
            for name, values in self._maps.items():
                columns[name] = values.array(layout.schema.field(name).type)
        except (pa.ArrowException, _MissingError):
            return None
        for name, texts in self._texts.items():
            columns[name] = texts.array()
        if layout.positioned:
            columns[POSITION] = self._positions.array()
        if any(column is None for column in columns.values()):
            return None
        names = layout.schema.names
        return pa.RecordBatch.from_arrays([columns[n] for n in names], schema=layout.schema)

    def _exact(self, columns: dict[str, Any]) -> bool:
        """Whether no float column holds a value as large as an inexact integer could be."""
        pa = arrow()
        for path in self.layout.floats:
            array = columns[path[0]]
            for name in path[1:]:
                array = array.field(name)
            largest = pa.compute.max(pa.compute.abs(array)).as_py()
            if largest is not None and largest >= _EXACT_FLOAT:
                return False
        return True


_MISSING: Any = object()
#: What orjson writes a row with: nothing it would turn into plain JSON of its own.
_OPTIONS = (
    orjson.OPT_APPEND_NEWLINE
    | orjson.OPT_PASSTHROUGH_DATACLASS
    | orjson.OPT_PASSTHROUGH_DATETIME
    | orjson.OPT_PASSTHROUGH_SUBCLASS
)


#: The bytes a value follows in orjson's compact output.
_BEFORE_VALUE = frozenset(b":,[")


def _has_null(text: bytes) -> bool:
    """Whether ``text``, orjson's compact output, may hold a ``null`` value.

    Only a ``null`` right after ``:``, ``,`` or ``[`` can be one (orjson
    writes no spaces): the word in a string ("annulled", "null and void")
    is not, and leaves the row text.
    """
    at = text.find(b"null")
    while at != -1:
        # The text is an object, so a null is never its first byte.
        if text[at - 1] in _BEFORE_VALUE:
            return True
        at = text.find(b"null", at + 1)
    return False


class _MissingError(Exception):
    """A member that may not be missing is."""


def _loose(kind: Any) -> Any:
    """``kind`` with every field nullable, for the JSON reader.

    The reader refuses a null in a field that is not nullable even where its
    struct is null (an event without a location), which pyarrow allows.
    """
    pa = arrow()
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
