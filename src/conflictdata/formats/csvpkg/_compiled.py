"""Row functions compiled from the table layout, one per table.

Each table's columns are turned once into the source of one Python function
that reads a plain record and returns its row (or its rows), with every
cell written out inline: writing a record then costs no call per cell.

The rows are lists that :func:`csv.writer` writes. Two documented rules of
the csv module let most values go into a row as they are: ``None`` is
written as an empty cell (an absent value), and any other value that is not
text is written as ``str(value)``, which for the ints and floats of valid
numbers is ``repr(value)`` (a float's repr reads back as the same float).

Only names from :mod:`.._tables` (constants of this package, never data)
go into the generated source, as Python literals.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from functools import partial
from typing import Any, cast

from .._tables import RENAMED, Column, Table
from ._cells import FORMULA_FIRST, escape

__all__ = ["ItemsRows", "RecordRow", "compile_items", "compile_record", "source_of"]

#: The row of a record table, from the plain record.
RecordRow = Callable[[dict[str, Any]], list[Any]]
#: The rows of a list or map table, from the owner's cell and the list or object.
ItemsRows = Callable[[str, Any], list[list[Any]]]

_json_text = partial(json.dumps, ensure_ascii=False, separators=(",", ":"))
#: What the generated functions see besides their arguments.
_NAMESPACE: dict[str, Any] = {
    "FORMULA_FIRST": FORMULA_FIRST,
    "EMPTY": {},  # an absent object: only ever read
    "escape": escape,
    "json_text": _json_text,
}


def _cell(column: Column, read: str, formulas: bool) -> str:
    """The expression of one cell of ``column``, whose value the expression ``read`` reads."""
    if column.type in ("integer", "number"):
        return read
    if column.type == "boolean":
        return f'"" if (v := {read}) is None else "true" if v else "false"'
    if column.type == "json":
        text = "escape(json_text(v))" if formulas else "json_text(v)"
        return f'"" if (v := {read}) is None else {text}'
    if not formulas:
        return read
    # escape() inline: text cells are most cells, and most need no quote.
    return f'v if (v := {read}) is None or v[:1] not in FORMULA_FIRST else "\'" + v'


def _reads(columns: Iterable[Column], name: str) -> tuple[list[str], list[str]]:
    """Expressions reading each column's value from the object ``name``.

    Returns the statements that look up the nested objects first (once per
    row, however many columns read from them) and one expression per column.
    """
    nested: list[str] = []
    reads = []
    for column in columns:
        keys = [RENAMED.get(part, part) for part in column.path]
        if len(keys) == 1:
            reads.append(f"{name}.get({keys[0]!r})")
            continue
        first, second = keys
        inner = f"{name}_{first}"
        statement = f"{inner} = {name}.get({first!r}) or EMPTY"
        if statement not in nested:
            nested.append(statement)
        reads.append(f"{inner}.get({second!r})")
    return nested, reads


def source_of(table: Table, formulas: bool) -> str:
    """The Python source of ``table``'s row function (named ``row`` or ``rows``)."""
    if table.shape == "record":
        nested, reads = _reads(table.columns, "record")
        cells = [_cell(c, r, formulas) for c, r in zip(table.columns, reads, strict=True)]
        body = [*nested, "return [", *(f"    {cell}," for cell in cells), "]"]
        return "def row(record):\n" + "".join(f"    {line}\n" for line in body)
    # The owner's cell is made once per record; the position goes in as an int.
    # A loop, not a comprehension: most lists hold one or two items, and a
    # comprehension costs a function call of its own (before Python 3.12).
    if table.shape == "map":
        loop = "for key, value in members.items():"
        nested, reads = [], ["key", "value"]
    elif table.columns[2].path == ("value",):
        loop = "for position, item in enumerate(members):"
        nested, reads = [], ["position", "item"]
    else:
        loop = "for position, item in enumerate(members):"
        nested, reads = _reads(table.columns[2:], "item")
        reads = ["position", *reads]
    cells = [_cell(c, r, formulas) for c, r in zip(table.columns[1:], reads, strict=True)]
    body = [loop, *(f"    {line}" for line in nested), "    append(["]
    body += ["        owner,", *(f"        {cell}," for cell in cells), "    ])"]
    return (
        "def rows(owner, members):\n"
        "    rows = []\n"
        "    append = rows.append\n"
        + "".join(f"    {line}\n" for line in body)
        + "    return rows\n"
    )


def _compile(table: Table, formulas: bool, name: str) -> Any:
    namespace = dict(_NAMESPACE)
    code = compile(source_of(table, formulas), f"<csv table {table.name}>", "exec")
    exec(code, namespace)  # noqa: S102 - source_of() builds the code from the table layout alone
    return namespace[name]


def compile_record(table: Table, formulas: bool) -> RecordRow:
    """The function that makes the row of a record table."""
    return cast("RecordRow", _compile(table, formulas, "row"))


def compile_items(table: Table, formulas: bool) -> ItemsRows:
    """The function that makes the rows of a list or map table."""
    return cast("ItemsRows", _compile(table, formulas, "rows"))
