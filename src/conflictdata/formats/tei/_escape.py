"""Escaping text and attribute values as libxml2 does; refusing what XML cannot hold."""

from __future__ import annotations

import re
from collections.abc import Callable

__all__ = ["NOT_XML", "Escaped", "Often", "RefusedError", "attribute", "cannot_hold", "text"]

#: What XML 1.0 cannot hold: C0 controls but tab, newline and return; lone
#: surrogates; U+FFFE and U+FFFF.
_BAD = "\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff"
NOT_XML = re.compile(f"[{_BAD}]")
#: What needs an escape, or is refused, in text and in attribute values.
_TEXT_SPECIAL = re.compile(f"[&<>\r{_BAD}]").search
_ATTRIBUTE_SPECIAL = re.compile(f'[&<>"\n\r\t{_BAD}]').search
#: Most values an :class:`Escaped` keeps, and the longest one.
_OFTEN_SIZE = 4096
_OFTEN_LENGTH = 128


class RefusedError(Exception):
    """A value TEI cannot hold, at ``pointer`` within the record being written."""

    def __init__(self, pointer: str, value: object, reason: str) -> None:
        super().__init__(reason)
        self.pointer = pointer
        self.value = value
        self.reason = reason


def cannot_hold(character: str) -> str:
    """Why ``character`` is refused."""
    return f"XML 1.0 cannot hold U+{ord(character):04X}"


def text(value: str) -> str:
    """``value`` escaped as element content."""
    # Most text needs no escape: one search finds out (and finds what XML
    # cannot hold), where the replacements would each scan it.
    if _TEXT_SPECIAL(value) is None:
        return value
    _check(value)
    return (
        value.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("\r", "&#13;")
    )


def attribute(value: str) -> str:
    """``value`` escaped as a double-quoted attribute value."""
    if _ATTRIBUTE_SPECIAL(value) is None:
        return value
    _check(value)
    return (
        value.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace('"', "&quot;")
        .replace("\n", "&#10;")
        .replace("\r", "&#13;")
        .replace("\t", "&#9;")
    )


def _check(value: str) -> None:
    found = NOT_XML.search(value)
    if found is not None:
        # Where the value is, the writer of the record finds out.
        raise RefusedError("", value, cannot_hold(found.group()))


class Escaped(dict[str, str]):
    """Values that recur from record to record, each with its escaped form, in bounded memory.

    Codes, roles, dates, place names and the ids records refer to are drawn
    from small sets: looking the escaped form up (``escaped[value]``) costs
    less than searching the value again. A value missing is escaped by
    ``escape``, as it would be without this, and one refused is never kept,
    so the result (or the error) is the one ``escape`` gives. Long values are
    not kept, and all are forgotten when there are too many.
    """

    def __init__(self, escape: Callable[[str], str]) -> None:
        super().__init__()
        self._escape = escape

    def __missing__(self, value: str) -> str:
        escaped = self._escape(value)
        if len(value) <= _OFTEN_LENGTH:
            if len(self) >= _OFTEN_SIZE:
                self.clear()
            self[value] = escaped
        return escaped


class Often:
    """The attribute values and the texts that recur, escaped."""

    def __init__(self) -> None:
        self.attributes = Escaped(attribute)
        self.texts = Escaped(text)
