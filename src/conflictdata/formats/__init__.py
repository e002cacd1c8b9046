"""The file formats conflictdata reads and writes, found by name, file name or content.

Formats are :class:`Format` values registered as entry points in the group
``conflictdata.formats``; the built-in ones are registered the same way, in
conflictdata's own ``pyproject.toml``. A format module is imported only
when its format is looked up, and its heavy dependencies (lxml) only when a
file is read or written, so a third-party package adds a format with no
change here (see ``CONTRIBUTING.md``).

>>> from conflictdata import formats
>>> "tei" in formats.names()
True
>>> formats.for_path("karabakh.json").name
'json'
"""

from __future__ import annotations

import functools
from os import PathLike
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

from .._errors import UnknownFormatError

if TYPE_CHECKING:
    import importlib.metadata

    from ._base import Decoded, Entry, Format, Item, RecordWriter, Where, lazy

__all__ = [
    "GROUP",
    "Decoded",
    "Entry",
    "Format",
    "Item",
    "RecordWriter",
    "Where",
    "all_formats",
    "detect",
    "for_input",
    "for_path",
    "get",
    "lazy",
    "names",
]

#: The entry-point group formats are registered in.
GROUP = "conflictdata.formats"

#: How many bytes of a file :func:`detect` looks at.
DETECT_BYTES = 64 * 1024

#: The names defined in ``_base``, imported on first use: ``_base`` needs the
#: record model, and the model's validators need ``formats._numbers``, so
#: importing it here would make the model and this package import each other.
_FROM_BASE = frozenset(("Decoded", "Entry", "Format", "Item", "RecordWriter", "Where", "lazy"))


def __getattr__(name: str) -> Any:
    if name in _FROM_BASE:
        from . import _base  # noqa: PLC0415 - see _FROM_BASE

        value = getattr(_base, name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})


@functools.cache
def _entry_points() -> dict[str, importlib.metadata.EntryPoint]:
    # Imported here: importlib.metadata costs a fifth of the package's import time.
    import importlib.metadata  # noqa: PLC0415

    found: dict[str, importlib.metadata.EntryPoint] = {}
    for entry in importlib.metadata.entry_points(group=GROUP):
        # The first registration of a name wins (an editable install and a
        # stale copy of the same package may both be on the path).
        found.setdefault(entry.name.lower(), entry)
    return found


@functools.cache
def _load(name: str) -> Format:
    from ._base import Format  # noqa: PLC0415 - see _FROM_BASE

    entry = _entry_points()[name]
    try:
        value = entry.load()
    except Exception as exc:
        raise UnknownFormatError(
            f"the {name!r} format is registered ({entry.value}) but cannot be loaded: {exc}"
        ) from exc
    if not isinstance(value, Format):
        raise UnknownFormatError(
            f"the entry point {name!r} ({entry.value}) is not a conflictdata.formats.Format"
        )
    if value.name != name:
        raise UnknownFormatError(
            f"the entry point {name!r} ({entry.value}) is a format called {value.name!r}"
        )
    return value


def names() -> tuple[str, ...]:
    """Names of the registered formats, sorted."""
    return tuple(sorted(_entry_points()))


def get(name: str) -> Format:
    """The format called ``name``; :class:`UnknownFormatError` if there is none."""
    key = name.lower()
    if key not in _entry_points():
        raise UnknownFormatError(f"unknown format {name!r}; known formats: {', '.join(names())}")
    return _load(key)


def all_formats() -> tuple[Format, ...]:
    """Every registered format (this imports their modules, not their dependencies)."""
    return tuple(get(name) for name in names())


def for_path(path: str | PathLike[str]) -> Format:
    """The format a file name implies, by its longest matching ending.

    A path with no known ending may be claimed by a directory format (a CSV
    data package is a directory, or a name without an ending).
    """
    name = Path(path).name.lower()
    matches = [(len(s), f) for f in all_formats() for s in f.suffixes if name.endswith(s)]
    if matches:
        return max(matches, key=lambda m: m[0])[1]
    for fmt in all_formats():
        if fmt.claims_path is not None and fmt.claims_path(Path(path)):
            return fmt
    raise UnknownFormatError(
        f"cannot tell the format of {str(path)!r} from its name; give one of: {', '.join(names())}"
    )


def detect(head: bytes) -> tuple[Format, ...]:
    """The readable formats whose content test the first bytes of a file pass."""
    return tuple(
        fmt for fmt in all_formats() if fmt.detect is not None and fmt.reader and fmt.detect(head)
    )


def for_input(path: str | PathLike[str]) -> Format:
    """The format to read ``path`` with: by its name when its content agrees, else by content.

    ACLED, UCDP GED and GDELT files end in ``.csv``, PLOVER files in
    ``.json``: the first bytes of the file decide which reader takes them.
    When nothing decides, the error lists the formats it could be.
    """
    target = Path(path)
    if not target.exists():
        # Nothing to look into: the name decides, or the error says it cannot.
        return for_path(target)
    try:
        by_name: Format | None = for_path(target)
    except UnknownFormatError:
        by_name = None
    if target.is_dir() or (by_name is not None and by_name.directory):
        if by_name is None:
            raise UnknownFormatError(f"cannot tell the format of the directory {str(path)!r}")
        return by_name
    with target.open("rb") as stream:
        head = stream.read(DETECT_BYTES)
    if (
        by_name is not None
        and by_name.reader is not None
        and (by_name.detect is None or by_name.detect(head))
    ):
        return by_name
    found = detect(head)
    if len(found) == 1:
        return found[0]
    if not found and by_name is not None and by_name.reader is not None:
        # Its reader will say what is wrong with it.
        return by_name
    return _undecided(path, by_name, found)


def _undecided(
    path: str | PathLike[str], by_name: Format | None, found: tuple[Format, ...]
) -> NoReturn:
    named = ""
    if by_name is not None:
        can = "reads" if by_name.reader is not None else "writes but cannot read"
        named = f"its name says {by_name.name}, which conflictdata {can}; "
    if found:
        fits = f"its content fits {len(found)} formats"
        could = ", ".join(f.name for f in found)
    else:
        fits = "its content fits none of the formats it can tell by content"
        could = ", ".join(f.name for f in all_formats() if f.reader is not None)
    raise UnknownFormatError(
        f"cannot tell the format of {str(path)!r}: {named}{fits}; it could be {could}: "
        "say which with format=... (--format or --from on the command line)"
    )
