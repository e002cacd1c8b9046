"""Safe parsing: the prolog screen and the parser's settings.

Nothing outside the file is ever fetched, and no DTD or entity is ever
processed: a DOCTYPE is refused before the parser sees a byte of it.
"""

from __future__ import annotations

import re
from typing import Any, BinaryIO

from lxml import etree

from ..._errors import InputError
from .. import tei as _limits
from ._layout import TEI_NS, T

_DECLARED_ENCODING = re.compile(rb"""encoding\s*=\s*["']([A-Za-z0-9._-]+)["']""")
_FORBIDDEN = (
    "the file has a DOCTYPE (a DTD or entity declarations), which is refused: "
    "it could read other files or expand without bound"
)


class _Replay:
    """A stream that gives the bytes already read again, then the rest."""

    def __init__(self, head: bytes, stream: BinaryIO) -> None:
        self._head = head
        self._stream = stream

    def read(self, size: int = -1) -> bytes:
        if not self._head:
            return self._stream.read(size)
        if size < 0:
            data, self._head = self._head + self._stream.read(), b""
            return data
        data, self._head = self._head[:size], self._head[size:]
        return data


def _screen(stream: BinaryIO) -> _Replay:
    """Refuse a DOCTYPE, or text that is not UTF-8, before the parser sees anything.

    libxml2 would read a DTD (and count its entities) before the first
    element: refusing it here means no declaration is ever processed.
    """
    head = b""
    while True:
        chunk = stream.read(64 * 1024)
        head += chunk
        verdict = _prolog(head)
        if verdict is not None or not chunk or len(head) > _limits.PROLOG_LIMIT:
            break
    if verdict is not None and verdict >= 0:
        line = head.count(b"\n", 0, verdict) + 1
        raise InputError("input.xml-forbidden", _FORBIDDEN, location=f"line {line}")
    return _Replay(head, stream)


def _prolog(head: bytes) -> int | None:
    """Where a DOCTYPE starts, -1 if the root element comes first, None if unknown yet."""
    if head.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in head[:4]:
        raise InputError("input.encoding", "TEI files are read as UTF-8", location="line 1")
    i = 3 if head.startswith(b"\xef\xbb\xbf") else 0
    while True:
        while i < len(head) and head[i] in b" \t\r\n":
            i += 1
        if head.startswith(b"<?", i) or head.startswith(b"<!--", i):
            close = b"?>" if head.startswith(b"<?", i) else b"-->"
            end = head.find(close, i)
            if end < 0:
                return None
            if head.startswith(b"<?xml", i):
                _check_declaration(head[i:end])
            i = end + len(close)
            continue
        if len(head) - i < 4:
            return None
        # In the prolog, "<!" not opening a comment can only be a DOCTYPE.
        return i if head.startswith(b"<!", i) else -1


def _check_declaration(declaration: bytes) -> None:
    found = _DECLARED_ENCODING.search(declaration)
    if found and found.group(1).lower() not in (b"utf-8", b"utf8"):
        raise InputError(
            "input.encoding",
            f"TEI files are read as UTF-8, not {found.group(1).decode('ascii')}",
            location="line 1",
        )


def parse(stream: BinaryIO) -> Any:
    """The elements of ``stream`` as each one ends, once its prolog passed the screen."""
    return etree.iterparse(
        _screen(stream),
        events=("end",),
        resolve_entities=False,
        load_dtd=False,
        no_network=True,
        dtd_validation=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
    )


def syntax_error(exc: etree.ParseError) -> InputError:
    """The problem a parser error stands for."""
    line, column = exc.position
    # libxml2's own limits (text nodes over 10 MB, nesting over 256 levels,
    # entity amplification) are size and depth problems, not syntax.
    message = str(exc.msg)
    code = "input.syntax"
    if "huge" in message.lower() or "amplification" in message.lower():
        code = "input.size"
    elif "depth" in message.lower():
        code = "input.depth"
    return InputError(code, message, location=f"line {max(line, 1)}, column {column}")


def check_root(root: etree._Element) -> None:
    """Refuse a document with a DOCTYPE the screen could not see, or a root not <TEI>."""
    # _screen refuses a DOCTYPE in the first PROLOG_LIMIT bytes; one behind a
    # longer prolog reaches the parser, which neither loads nor expands it,
    # and is refused here, before any element is read.
    info = root.getroottree().docinfo
    if info.doctype or info.internalDTD is not None or info.externalDTD is not None:
        raise InputError("input.xml-forbidden", _FORBIDDEN, location="line 1")
    if root.tag != T + "TEI":
        raise InputError(
            "input.tei-layout",
            f"the root element must be <TEI> in the TEI namespace ({TEI_NS}), not {root.tag!r}",
            location=f"line {root.sourceline}",
        )
