"""Problem codes: ``CODES`` lists exactly the codes the library emits.

The source is read with :mod:`ast`: every code given to a constructor of
problems is collected, so a code cannot be emitted undocumented, nor stay
documented once nothing emits it.
"""

from __future__ import annotations

import ast
import json
import re
from collections.abc import Iterator
from typing import Any

import conflictdata as cd

from .conftest import ROOT

SOURCE = ROOT / "src" / "conflictdata"
CODE = re.compile(r"[a-z]+\.[a-zA-Z-]+")
#: The constructors of problems and the position of their ``code`` argument
#: (``None``: keyword only). Subclasses of ``InputError`` that take a code,
#: and functions that pass their ``code`` parameter on to a constructor, are
#: found in the source and added.
MAKERS: dict[str, int | None] = {"error": 1, "warning": 1, "Problem": None, "InputError": 0}
#: Keywords that only hold subschemas, identify or annotate: an error is
#: never reported under their name.
NOT_ASSERTIONS = frozenset(
    {
        *("$schema", "$id", "$ref", "$defs", "$comment", "$anchor"),
        *("title", "description", "examples", "default", "deprecated"),
        *("properties", "patternProperties", "items", "prefixItems", "contains"),
        *("if", "then", "else", "allOf", "anyOf", "oneOf", "not"),
    }
)
_ONE_SUBSCHEMA = frozenset(
    {"items", "additionalProperties", "propertyNames", "if", "then", "else", "not", "contains"}
)
_SUBSCHEMA_MAPS = frozenset({"properties", "patternProperties", "$defs", "dependentSchemas"})
_SUBSCHEMA_LISTS = frozenset({"allOf", "anyOf", "oneOf", "prefixItems"})


class _Codes(ast.NodeVisitor):
    """Collects the codes given to problem constructors in one module."""

    def __init__(self, module: str, makers: dict[str, int | None]) -> None:
        self.module = module
        self.makers = makers
        self.codes: set[str] = set()
        self.schema_family = False
        self.unresolved: list[str] = []
        #: Functions that hand their ``code`` parameter to a constructor.
        self.passing_on: dict[str, int | None] = {}
        self._functions: list[ast.FunctionDef | ast.AsyncFunctionDef] = []
        self._classes: list[ast.ClassDef] = []

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        self._classes.append(node)
        self.generic_visit(node)
        self._classes.pop()

    def visit_FunctionDef(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        self._functions.append(node)
        self.generic_visit(node)
        self._functions.pop()

    def visit_AsyncFunctionDef(self, node: ast.AsyncFunctionDef) -> None:
        self.visit_FunctionDef(node)

    def visit_Call(self, node: ast.Call) -> None:
        argument = self._code_argument(node)
        if argument is not None:
            self._collect(argument)
        self.generic_visit(node)

    def _maker(self, func: ast.expr) -> str | None:
        if isinstance(func, ast.Name):
            return func.id
        if not isinstance(func, ast.Attribute):
            return None
        is_super = (
            isinstance(func.value, ast.Call)
            and isinstance(func.value.func, ast.Name)
            and func.value.func.id == "super"
        )
        if func.attr == "__init__" and is_super and self._classes:
            # super().__init__(...) in a subclass: the code goes to the base.
            bases = [b.id for b in self._classes[-1].bases if isinstance(b, ast.Name)]
            return next((b for b in bases if b in self.makers), None)
        return func.attr

    def _code_argument(self, node: ast.Call) -> ast.expr | None:
        name = self._maker(node.func)
        if name not in self.makers:
            return None
        for keyword in node.keywords:
            if keyword.arg == "code":
                return keyword.value
        position = self.makers[name]
        if position is not None and len(node.args) > position:
            return node.args[position]
        self.unresolved.append(f"{self.module}:{node.lineno}: {name}() without a code")
        return None

    def _collect(self, value: ast.expr) -> None:
        where = f"{self.module}:{value.lineno}"
        if isinstance(value, ast.Constant) and isinstance(value.value, str):
            if CODE.fullmatch(value.value):
                self.codes.add(value.value)
            else:
                self.unresolved.append(f"{where}: {value.value!r} is not group.name")
        elif isinstance(value, ast.IfExp):
            self._collect(value.body)
            self._collect(value.orelse)
        elif isinstance(value, ast.JoinedStr) and _starts_with(value, "schema."):
            self.schema_family = True
        elif isinstance(value, ast.Attribute) and value.attr == "code":
            pass  # the code of a problem or error made elsewhere, passed on
        elif isinstance(value, ast.Name) and self._functions:
            self._collect_name(value, where)
        else:
            self.unresolved.append(f"{where}: {ast.unparse(value)}")

    def _collect_name(self, value: ast.Name, where: str) -> None:
        function = self._functions[-1]
        positional = [a.arg for a in function.args.args]
        if positional[:1] in (["self"], ["cls"]):
            positional = positional[1:]
        # A parameter is passed through: the callers' codes are collected.
        if value.id in positional:
            self.passing_on[function.name] = positional.index(value.id)
        elif value.id in {a.arg for a in function.args.kwonlyargs}:
            self.passing_on[function.name] = None
        else:
            assigned = list(_assignments(function, value.id))
            if not assigned:
                self.unresolved.append(f"{where}: {value.id} is never assigned")
            for expression in assigned:
                self._collect(expression)


def _starts_with(value: ast.JoinedStr, prefix: str) -> bool:
    first = value.values[0] if value.values else None
    return isinstance(first, ast.Constant) and str(first.value).startswith(prefix)


def _assignments(function: ast.AST, name: str) -> Iterator[ast.expr]:
    for node in ast.walk(function):
        if isinstance(node, ast.Assign):
            if any(isinstance(t, ast.Name) and t.id == name for t in node.targets):
                yield node.value
        elif (
            isinstance(node, ast.AnnAssign)
            and node.value is not None
            and isinstance(node.target, ast.Name)
            and node.target.id == name
        ):
            yield node.value


def _input_error_subclasses(trees: dict[str, ast.Module]) -> dict[str, int | None]:
    """Subclasses of ``InputError`` whose ``__init__`` takes a code, with its position."""
    found: dict[str, int | None] = {}
    known = {"InputError"}
    classes = [c for tree in trees.values() for c in ast.walk(tree) if isinstance(c, ast.ClassDef)]
    for _ in classes:  # bases may be defined after their subclasses
        for cls in classes:
            if cls.name in known or not any(
                isinstance(b, ast.Name) and b.id in known for b in cls.bases
            ):
                continue
            known.add(cls.name)
            for item in cls.body:
                if isinstance(item, ast.FunctionDef) and item.name == "__init__":
                    names = [a.arg for a in item.args.args[1:]]
                    kwonly = [a.arg for a in item.args.kwonlyargs]
                    if "code" in names:
                        found[cls.name] = names.index("code")
                    elif "code" in kwonly:
                        found[cls.name] = None
    return found


def _scan() -> _Codes:
    trees = {
        str(path.relative_to(SOURCE)): ast.parse(path.read_text("utf-8"), str(path))
        for path in sorted(SOURCE.rglob("*.py"))
    }
    makers = {**MAKERS, **_input_error_subclasses(trees)}
    while True:
        total = _Codes("", makers)
        for module, tree in trees.items():
            visitor = _Codes(module, makers)
            visitor.visit(tree)
            total.codes |= visitor.codes
            total.schema_family |= visitor.schema_family
            total.unresolved += visitor.unresolved
            total.passing_on |= visitor.passing_on
        if total.passing_on.keys() <= makers.keys():
            return total
        makers = {**total.passing_on, **makers}


def _keywords(schema: Any) -> Iterator[str]:
    if not isinstance(schema, dict):
        return
    for keyword, value in schema.items():
        yield keyword
        if keyword in _SUBSCHEMA_MAPS:
            for subschema in value.values():
                yield from _keywords(subschema)
        elif keyword in _ONE_SUBSCHEMA:
            yield from _keywords(value)
        elif keyword in _SUBSCHEMA_LISTS:
            for subschema in value:
                yield from _keywords(subschema)


def _assertion_keywords() -> set[str]:
    """The keywords of the shipped schemas that a document can fail."""
    used = {
        keyword
        for path in (ROOT / "schemas" / cd.SCHEMA_VERSION).glob("*.schema.json")
        for keyword in _keywords(json.loads(path.read_text("utf-8")))
    }
    return used - NOT_ASSERTIONS


def test_the_scan_finds_codes_however_they_are_given() -> None:
    source = """
def check(value, code):
    yield error("", code, "passed through")
    report("input.header")
    kind = "input.size" if value else "input.depth"
    yield warning("", kind, "either")
    raise InputError(code="input.syntax", message="keyword")
def other():
    yield Problem(path="", code=f"schema.{keyword}", severity=s, message="m")
class _Layout(InputError):
    def __init__(self, message):
        super().__init__("input.tei-layout", message)
def broken():
    yield error("", make_code(), "m")
    yield error("", "no-group", "m")
"""
    tree = ast.parse(source)
    visitor = _Codes("sample.py", MAKERS)
    visitor.visit(tree)
    assert visitor.codes == {"input.size", "input.depth", "input.syntax", "input.tei-layout"}
    assert visitor.schema_family
    assert visitor.passing_on == {"check": 1}
    assert visitor.unresolved == [
        "sample.py:14: make_code()",
        "sample.py:15: 'no-group' is not group.name",
    ]
    # A function passing its code on is a constructor too.
    again = _Codes("sample.py", {**MAKERS, "report": 0})
    again.visit(tree)
    assert again.codes - visitor.codes == {"input.header"}


def test_codes_are_exactly_the_codes_the_library_emits() -> None:
    scan = _scan()
    assert scan.unresolved == [], "a code the scan cannot read: make it a literal"
    assert scan.schema_family, "schema errors are no longer coded by keyword"
    # Schema errors are coded "schema.<keyword>", one code per keyword the
    # published schemas use (others would fall back to "schema.invalid").
    emitted = scan.codes | {f"schema.{k}" for k in _assertion_keywords()}
    assert emitted - set(cd.CODES) == set(), "emitted but not in CODES"
    assert set(cd.CODES) - emitted == set(), "in CODES but never emitted"
