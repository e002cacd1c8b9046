"""Text cells that a spreadsheet would run as a formula, and how they are kept safe."""

from __future__ import annotations

__all__ = ["FORMULA_START", "escape", "unescape"]

FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "'")


def escape(text: str) -> str:
    """Make a text cell safe to open in a spreadsheet (reversibly)."""
    return "'" + text if text.startswith(FORMULA_START) else text


def unescape(text: str) -> str:
    """Undo :func:`escape`."""
    return text.removeprefix("'")
