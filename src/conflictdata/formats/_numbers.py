"""Strict number cells: ASCII digits only, finite, and within what every format holds.

``int()`` and ``float()`` accept more than a data file means: ``1_000``,
Arabic-Indic digits (``١٢``), surrounding spaces, ``nan`` and ``inf``, and
digit strings long enough to hit Python's conversion limit. Readers parse
cells with these instead, and say which column when one is refused.
"""

from __future__ import annotations

import math
import re

__all__ = ["MAX_INTEGER", "NumberError", "check_float", "parse_float", "parse_int"]

#: The largest integer magnitude accepted anywhere (2**53 - 1): every
#: integer up to it survives a round trip through any JSON reader, which
#: stores numbers as IEEE doubles (RFC 8259 section 6, I-JSON RFC 7493).
MAX_INTEGER = 2**53 - 1

_INTEGER = re.compile(r"-?[0-9]{1,16}\Z")
_DECIMAL = re.compile(
    r"-?(?:[0-9]{1,400}(?:\.[0-9]{0,400})?|\.[0-9]{1,400})(?:[eE][-+]?[0-9]{1,4})?\Z"
)


class NumberError(ValueError):
    """A cell that is not a number of the kind asked for; the message says why."""


def parse_int(text: str) -> int:
    """The integer ``text`` writes (ASCII digits, perhaps a minus), within :data:`MAX_INTEGER`."""
    if not _INTEGER.match(text):
        if re.fullmatch(r"-?[0-9]+", text):
            raise NumberError(f"more than {MAX_INTEGER:,} in magnitude")
        raise NumberError("not a whole number in ASCII digits")
    number = int(text)
    if abs(number) > MAX_INTEGER:
        raise NumberError(f"more than {MAX_INTEGER:,} in magnitude")
    return number


def parse_float(text: str) -> float:
    """The finite number that ``text`` writes in decimal ASCII digits (no ``nan``, ``inf``)."""
    if not _DECIMAL.match(text):
        raise NumberError("not a decimal number in ASCII digits")
    number = float(text)
    if not math.isfinite(number):
        raise NumberError("not a finite number")
    return number


def check_float(value: float) -> float:
    """``value`` as a finite float; a number parsed from JSON may be too large to be one."""
    if isinstance(value, int) and abs(value) > MAX_INTEGER:
        raise NumberError(f"more than {MAX_INTEGER:,} in magnitude")
    number = float(value)
    if not math.isfinite(number):
        raise NumberError("not a finite number")
    return number
