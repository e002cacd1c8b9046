"""Write the data-model reference pages in docs/reference/ from the published schemas.

Run ``python docs/generate_reference.py`` after changing a schema; a test
fails while the pages and the schemas disagree.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from conflictdata import schemas

OUT = Path(__file__).resolve().parent / "reference"

# One page per record: (page, schema, JSON Pointer inside it, Python class).
PAGES: list[tuple[str, str, str, str]] = [
    ("dataset", "dataset", "", "Dataset"),
    ("metadata", "dataset", "/$defs/metadata", "Metadata"),
    ("source", "source", "", "Source"),
    ("actor", "actor", "", "Actor"),
    ("affiliation", "actor", "/$defs/affiliation", "Affiliation"),
    ("event", "event", "", "Event"),
    ("participant", "event", "/$defs/participant", "Participant"),
    ("citation", "event", "/$defs/citation", "Citation"),
    ("event-relation", "event", "/$defs/relation", "EventRelation"),
    ("when", "defs", "/$defs/when", "When"),
    ("place", "defs", "/$defs/place", "Place"),
    ("fatalities", "defs", "/$defs/fatalities", "Fatalities"),
    ("classification", "defs", "/$defs/classification", "Classification"),
    ("archive", "source", "/$defs/archive", "Archive"),
    ("tombstone", "tombstone", "", "Tombstone"),
]
DEFINITIONS = [
    "id",
    "text",
    "count",
    "partial_date",
    "date_time",
    "country_code",
    "language_tag",
    "scheme",
    "token",
    "url",
    "identifiers",
    "extensions",
    "acled_extension",
    "plover_extension",
    "ucdp_extension",
    "row_layout",
]


def _resolve(schema: str, pointer: str) -> dict[str, Any]:
    node = schemas.get(schema)
    for part in filter(None, pointer.split("/")):
        node = node[part]
    return node


def _type(prop: dict[str, Any]) -> str:
    if "enum" in prop:
        return "one of " + ", ".join(f"`{v}`" for v in prop["enum"])
    if "const" in prop:
        return f"`{prop['const']}`"
    ref = prop.get("$ref")
    if ref:
        name = ref.rsplit("/", 1)[-1].removesuffix(".schema.json")
        target = {
            "when": "when",
            "place": "place",
            "fatalities": "fatalities",
            "classification": "classification",
            "participant": "participant",
            "citation": "citation",
            "relation": "event-relation",
            "affiliation": "affiliation",
            "metadata": "metadata",
            "source": "source",
            "actor": "actor",
            "event": "event",
            "archive": "archive",
            "tombstone": "tombstone",
        }.get(name)
        return (
            f"[{name}]({target}.md)"
            if target
            else f"[{name}](definitions.md#{name.replace('_', '-')})"
        )
    if prop.get("type") == "array":
        return "list of " + _type(prop["items"])
    if prop.get("type") == "object" and "additionalProperties" in prop:
        keys = prop.get("propertyNames", {}).get("$ref", "").rsplit("/", 1)[-1]
        return f"map of {keys or 'string'} to " + _type(prop["additionalProperties"])
    return str(prop.get("type", "any"))


def _page(schema: str, pointer: str, cls: str) -> str:
    node = _resolve(schema, pointer)
    required = set(node.get("required", ()))
    lines = [
        f"# {node.get('title', cls)}",
        "",
        node["description"],
        "",
        f"Python: `conflictdata.{cls}`. Schema: `{schemas.uri(schema)}#{pointer}`.",
        "",
        "| field | type | required | description |",
        "|---|---|---|---|",
    ]
    for name, prop in node["properties"].items():
        description = prop.get("description", "").replace("|", "\\|")
        lines.append(
            f"| `{name}` | {_type(prop)} | {'yes' if name in required else 'no'} | {description} |"
        )
    extra = []
    if "dependentRequired" in node:
        pairs = ", ".join(
            f"`{k}` needs `{'`, `'.join(v)}`" for k, v in node["dependentRequired"].items()
        )
        extra.append(f"Together: {pairs}.")
    if "minProperties" in node:
        extra.append(f"At least {node['minProperties']} field(s) must be given.")
    lines.extend(["", *extra] if extra else [])
    examples = node.get("examples")
    if examples:
        lines += [
            "",
            "## Example",
            "",
            "```json",
            json.dumps(examples[0], ensure_ascii=False, indent=2),
            "```",
        ]
    return "\n".join(lines) + "\n"


def _definitions() -> str:
    defs = schemas.get("defs")["$defs"]
    lines = ["# Shared definitions", "", schemas.get("defs")["description"], ""]
    for name in DEFINITIONS:
        node = defs[name]
        lines += [
            f"## {name.replace('_', '-')}",
            "",
            f"**{node['title']}.** {node['description']}",
            "",
        ]
        if "pattern" in node:
            lines += [f"Pattern: `{node['pattern']}`", ""]
        if "format" in node:
            lines += [f"Format: `{node['format']}`", ""]
        if "examples" in node:
            shown = ", ".join(f"`{json.dumps(e, ensure_ascii=False)}`" for e in node["examples"])
            lines += [f"Examples: {shown}", ""]
    return "\n".join(lines)


def render() -> dict[str, str]:
    """Every reference page, by file name."""
    pages = {f"{page}.md": _page(schema, pointer, cls) for page, schema, pointer, cls in PAGES}
    pages["definitions.md"] = _definitions()
    index = ["# Data model reference", "", "Generated from the JSON Schemas in `schemas/`.", ""]
    index += [f"- [{cls}]({page}.md)" for page, _, _, cls in PAGES]
    index += ["- [Shared definitions](definitions.md)", ""]
    pages["index.md"] = "\n".join(index)
    return pages


def main() -> int:
    """Write the pages; with --check, only report whether they are current."""
    check = "--check" in sys.argv
    stale = []
    for name, text in render().items():
        path = OUT / name
        if not path.exists() or path.read_text("utf-8") != text:
            stale.append(name)
            if not check:
                path.write_text(text, "utf-8")
    if check and stale:
        print("out of date:", ", ".join(stale))
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
