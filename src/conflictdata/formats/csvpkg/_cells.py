"""Text cells that a spreadsheet would run as a formula, and how they are kept safe."""

from __future__ import annotations

__all__ = ["FORMULA_FIRST", "FORMULA_START", "escape", "unescape"]

FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "'")
#: The same, as a set: every start is one character, so ``text[:1] in
#: FORMULA_FIRST`` says what ``text.startswith(FORMULA_START)`` says, faster.
FORMULA_FIRST = frozenset(FORMULA_START)
if any(len(start) != 1 for start in FORMULA_START):  # pragma: no cover - a guard for edits
    raise ValueError("every formula start must be one character")


def escape(text: str) -> str:
    """Make a text cell safe to open in a spreadsheet (reversibly)."""
    return "'" + text if text[:1] in FORMULA_FIRST else text


def unescape(text: str) -> str:
    """Undo :func:`escape`."""
    return text.removeprefix("'")
