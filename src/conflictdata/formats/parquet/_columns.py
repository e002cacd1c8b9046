"""Arrow arrays built from their buffers as values arrive, keeping no Python object per value.

Two reasons. A Python object kept per row pins the memory of the whole
record it came from: the allocator hands out memory in pools shared by a
record's objects, and a pool with one object alive is not given back (a
buffered string of each record cost more memory than the record's text).
And ``pyarrow.array()`` imports pandas (where it is installed) to ask
whether its argument is a pandas object, which a conversion should not pay
for.
"""

from __future__ import annotations

import array
from typing import Any

from ._schema import arrow

__all__ = ["Integers", "Maps", "Strings"]

#: The largest offset of a string array (32-bit offsets).
_MAX_OFFSET = 2**31 - 1
#: Bytes 0 and 1 as the binary digits "0" and "1".
_BINARY = bytes.maketrans(b"\x00\x01", b"01")
#: Flag bytes turned over.
_NOT = bytes.maketrans(b"\x00\x01", b"\x01\x00")


def _bitmap(flags: bytearray) -> Any:
    """Arrow's bitmap of ``flags`` (a byte 0 or 1 each): bit i, lowest first, is flag i."""
    pa = arrow()
    # The flags as one binary numeral, the last flag its most significant digit.
    digits = flags.translate(_BINARY)[::-1]
    return pa.py_buffer(int(digits, 2).to_bytes((len(flags) + 7) // 8, "little"))


class Integers:
    """An int64 column without nulls."""

    __slots__ = ("values",)

    def __init__(self) -> None:
        self.values = array.array("q")

    def array(self) -> Any:
        pa = arrow()
        return pa.Array.from_buffers(
            pa.int64(), len(self.values), [None, pa.py_buffer(self.values)]
        )


def _strings(
    data: bytearray, ends: array.array[int], valid: bytearray | None = None, nulls: int = 0
) -> Any:
    """A string array from its UTF-8 bytes and where each value ends; ``valid`` flags, if null."""
    pa = arrow()
    count = len(ends) - 1
    if nulls == count:
        return pa.nulls(count, pa.string())
    validity = _bitmap(valid) if nulls and valid is not None else None
    offsets = pa.py_buffer(array.array("i", ends))
    buffers = [validity, offsets, pa.py_buffer(data)]
    return pa.Array.from_buffers(pa.string(), count, buffers, null_count=nulls)


class Strings:
    """A string column: UTF-8 bytes, where each value ends, and which are null."""

    __slots__ = ("_data", "_ends", "_nulls", "_valid")

    def __init__(self) -> None:
        self._data = bytearray()
        self._ends = array.array("q", [0])
        self._valid = bytearray()
        self._nulls = 0

    def add(self, value: str | None) -> None:
        """Add a value (text made by the writer, which encodes as UTF-8), or None for null."""
        if value is None:
            self._valid.append(0)
            self._nulls += 1
        else:
            self._valid.append(1)
            self._data += value.encode()
        self._ends.append(len(self._data))

    def get(self, index: int) -> str | None:
        """Value ``index``."""
        if not self._valid[index]:
            return None
        return self._data[self._ends[index] : self._ends[index + 1]].decode()

    def array(self) -> Any | None:
        """The string array, or None if the text is too long for one."""
        if self._ends[-1] > _MAX_OFFSET:
            return None
        return _strings(self._data, self._ends, self._valid, self._nulls)


class Maps:
    """A map column of text keys and values, from rows whose JSON text orjson wrote.

    orjson takes only text keys without lone surrogates, and its text has
    no ``null`` here, so keys need no check; values are checked for text.
    """

    __slots__ = ("_ends", "_keys", "_nulls", "_valid", "_values", "_values_text")

    def __init__(self) -> None:
        self._keys = (bytearray(), array.array("q", [0]))
        self._values = (bytearray(), array.array("q", [0]))
        self._values_text = True
        self._ends = array.array("q", [0])
        self._valid = bytearray()
        self._nulls = 0

    def add(self, value: dict[str, Any] | None) -> None:
        """Add a map, or None for null."""
        if value is None:
            self._valid.append(0)
            self._nulls += 1
        else:
            key_data, key_ends = self._keys
            value_data, value_ends = self._values
            for key, item in value.items():
                key_data += key.encode()
                key_ends.append(len(key_data))
                if type(item) is str:
                    value_data += item.encode()
                else:
                    self._values_text = False
                value_ends.append(len(value_data))
            self._valid.append(1)
        self._ends.append(len(self._keys[1]) - 1)

    def array(self, kind: Any) -> Any | None:
        """The map array of ``kind``, or None if a value is not text."""
        pa = arrow()
        (key_data, key_ends), (value_data, value_ends) = self._keys, self._values
        if not self._values_text or max(key_ends[-1], value_ends[-1]) > _MAX_OFFSET:
            return None
        keys = _strings(key_data, key_ends)
        values = _strings(value_data, value_ends)
        count = len(self._valid)
        mask = None
        if self._nulls:
            # The mask is true where the map is null.
            nulls = self._valid.translate(_NOT)
            mask = pa.Array.from_buffers(pa.bool_(), count, [None, _bitmap(nulls)])
        offsets = pa.Array.from_buffers(
            pa.int32(), count + 1, [None, pa.py_buffer(array.array("i", self._ends))]
        )
        return pa.MapArray.from_arrays(offsets, keys, values, type=kind, mask=mask)
