"""A progress bar on stderr while a command reads its input (tqdm, imported on first use).

The bar follows the bytes of the input file read so far, so it shows a
percentage and an estimate of the time left; for a directory or an archive,
whose reading order is the reader's own, it counts records instead. It is
shown only on a terminal, and only for runs longer than :data:`DELAY`.
"""

from __future__ import annotations

import os
from pathlib import Path
from types import TracebackType
from typing import IO, Any, TypeVar

from . import formats

__all__ = ["DELAY", "REDRAW", "Bar", "bar"]

_Self = TypeVar("_Self")

#: Seconds before the bar appears: short runs print nothing extra.
DELAY = 1.0
#: Seconds between redraws at most (tqdm's ``mininterval``).
REDRAW = 0.2


class Bar:
    """Called as a ``progress`` callback: ``bar(entries, position)``.

    ``position`` is the bytes of the input read so far, of ``size`` in all;
    with ``size`` None the bar counts entries.
    """

    def __init__(
        self,
        stream: IO[str],
        label: str,
        size: int | None,
        *,
        enabled: bool,
        delay: float = DELAY,
    ) -> None:
        self._bar: Any = None
        self._size = size
        if not enabled:
            return
        from tqdm import tqdm  # noqa: PLC0415 - only a terminal needs it

        common: dict[str, Any] = {
            "desc": Path(label).name or label,
            "file": stream,
            "delay": delay,
            "mininterval": REDRAW,
            "leave": False,
        }
        # A terminal that reports no size (a pseudo-terminal nobody sized)
        # would get no bar at all from tqdm: give it the usual 80x24.
        if _width(stream):
            common["dynamic_ncols"] = True
        else:
            common.update(ncols=80, nrows=24)
        if self._size is None:
            self._bar = tqdm(unit=" records", unit_scale=True, **common)
        else:
            self._bar = tqdm(
                total=self._size, unit="B", unit_scale=True, unit_divisor=1024, **common
            )

    def __call__(self, entries: int, position: int | None) -> None:
        if self._bar is None:
            return
        if self._size is None:
            self._bar.update(entries - self._bar.n)
            return
        if position is not None:
            self._bar.update(min(position, self._size) - self._bar.n)
        self._bar.set_postfix_str(f"{entries:,} records", refresh=False)

    @property
    def shown(self) -> bool:
        """True when the bar is drawn (on a terminal, not quiet)."""
        return self._bar is not None

    def close(self) -> None:
        """Take the bar off the terminal."""
        if self._bar is not None:
            self._bar.close()
            self._bar = None

    def __enter__(self: _Self) -> _Self:  # noqa: PYI019 - typing.Self is 3.11+
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()


def bar(  # noqa: PLR0913 - keyword-only options
    stream: IO[str],
    label: str,
    path: Path,
    format_name: str,
    *,
    quiet: bool,
    delay: float | None = None,
) -> Bar:
    """A :class:`Bar` for reading ``path``, drawn only on a terminal and when not ``quiet``.

    ``delay`` defaults to :data:`DELAY`.
    """
    # A directory format (or its zip archive) is read member by member in the
    # reader's own order, so only a count of records is known.
    size = None if formats.get(format_name).directory else _size(path)
    enabled = not quiet and _is_terminal(stream)
    return Bar(stream, label, size, enabled=enabled, delay=DELAY if delay is None else delay)


def _size(path: Path) -> int | None:
    try:
        return path.stat().st_size
    except OSError:
        return None


def _width(stream: IO[str]) -> int:
    try:
        return os.get_terminal_size(stream.fileno()).columns
    except (AttributeError, OSError, ValueError):
        return 0


def _is_terminal(stream: IO[str]) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False
