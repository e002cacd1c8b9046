"""The file formats conflictdata reads and writes, found by name or by file name.

Every format module offers the same verbs: ``read(stream)`` gives plain
data, ``write(data, stream)`` writes it; neither validates (that is the job
of :func:`conflictdata.load`, which hands what ``read`` gives to
:func:`conflictdata.validate`).

>>> from conflictdata import formats
>>> formats.names()
('json',)
>>> formats.for_path("karabakh.json").name
'json'
"""

from __future__ import annotations

from collections.abc import Callable
from os import PathLike
from pathlib import PurePath
from typing import Any, BinaryIO

import attrs

from .._errors import UnknownFormatError
from . import json as _json

__all__ = ["Format", "for_path", "get", "names"]


@attrs.frozen(kw_only=True)
class Format:
    """A file format: its name, the file name endings it claims, and its verbs."""

    name: str
    suffixes: tuple[str, ...]
    description: str
    read: Callable[[BinaryIO], Any] | None
    write: Callable[[Any, BinaryIO], None] | None


_FORMATS: dict[str, Format] = {
    f.name: f
    for f in (
        Format(
            name="json",
            suffixes=(".json",),
            description="One dataset document (lossless).",
            read=_json.read,
            write=_json.write,
        ),
    )
}


def names() -> tuple[str, ...]:
    """Names of the known formats."""
    return tuple(_FORMATS)


def get(name: str) -> Format:
    """The format called ``name``; :class:`UnknownFormatError` if there is none."""
    try:
        return _FORMATS[name.lower()]
    except KeyError:
        raise UnknownFormatError(
            f"unknown format {name!r}; known formats: {', '.join(names())}"
        ) from None


def for_path(path: str | PathLike[str]) -> Format:
    """The format a file name implies, by its longest matching ending."""
    name = PurePath(path).name.lower()
    matches = [(len(s), f) for f in _FORMATS.values() for s in f.suffixes if name.endswith(s)]
    if not matches:
        raise UnknownFormatError(
            f"cannot tell the format of {str(path)!r} from its name; "
            f"give one of: {', '.join(names())}"
        )
    return max(matches, key=lambda m: m[0])[1]
