"""What the row-per-event importers (ACLED, UCDP GED) share."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from typing import Any

from .._errors import InputError

__all__ = ["cell", "rows"]


def rows(reader: Any) -> Iterator[list[str]]:
    """The rows of a ``csv.reader``, with CSV and encoding errors as located problems."""
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except (csv.Error, UnicodeDecodeError) as exc:
            raise InputError("input.syntax", str(exc), location=f"row {reader.line_num}") from None
        yield cells


def cell(value: Any) -> str:
    """A model value as a CSV cell: empty for None, ``repr`` for floats (exact)."""
    if value is None:
        return ""
    if isinstance(value, float):
        return repr(value)
    return str(value)
