"""The tables of the CSV data package: which columns hold which fields.

The layout is data, so that the writer, the reader, the Table Schemas in
``datapackage.json`` and the documentation all come from one description.
"""

from __future__ import annotations

from typing import Any

import attrs

from .._vocab import (
    ActorKind,
    EventType,
    PlacePrecision,
    RelationType,
    Role,
    Side,
    SourceKind,
    Stance,
    Status,
)

__all__ = ["TABLES", "Column", "Table"]

#: Column paths whose last part is not the record's key (it names the
#: owner column elsewhere in the same table).
RENAMED = {"actor_ref": "actor", "event_ref": "event"}
#: Partial dates as Table Schema strings (Table Schema dates need a day).
DATE_PATTERN = "[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?"
#: RFC 3339 date-times (Table Schema's ``datetime`` takes no fractions or offsets).
DATE_TIME_PATTERN = (
    "[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]+)?(Z|[+-][0-9]{2}:[0-9]{2})"
)


@attrs.frozen
class Column:
    """One column: its name, where its value sits in the plain record, its type."""

    name: str
    path: tuple[str, ...]
    type: str = "string"  # string, integer, number, boolean, date, json
    required: bool = False
    enum: tuple[str, ...] | None = None
    description: str = ""
    #: The kind of record whose id a list table's column holds (a foreign key).
    references: str | None = None
    #: A pattern the text must match (Table Schema ``constraints.pattern``).
    pattern: str | None = None
    #: The schema version that added the column: packages written before
    #: it may lack the column, which then means "absent" in every row.
    since: str | None = None


@attrs.frozen
class Table:
    """One CSV file.

    ``kind`` says which records it holds: a record table has one row per
    source, actor, event or tombstone; a list table one row per item of the list at
    ``field`` of such a record (with its position, so that order survives);
    a map table one row per member of the object at ``field``.
    """

    name: str
    owner: str  # "source", "actor", "event", "tombstone", or "any" (identifiers, extensions)
    shape: str  # "record", "list", "map"
    columns: tuple[Column, ...]
    field: str | None = None
    description: str = ""

    @property
    def file(self) -> str:
        """The CSV file name."""
        return f"{self.name}.csv"

    @property
    def header(self) -> list[str]:
        """The column names, in order."""
        return [c.name for c in self.columns]


def _values(vocabulary: Any) -> tuple[str, ...]:
    return tuple(member.value for member in vocabulary)


def _place_and_figures(prefix: tuple[str, ...] = ()) -> tuple[Column, ...]:
    return (
        Column("fatalities_best", (*prefix, "fatalities", "best"), "integer"),
        Column("fatalities_low", (*prefix, "fatalities", "low"), "integer"),
        Column("fatalities_high", (*prefix, "fatalities", "high"), "integer"),
    )


_OWNER = Column(
    "record",
    ("record",),
    required=True,
    description="Id of the source, actor, event or tombstone.",
)

TABLES: tuple[Table, ...] = (
    Table(
        "sources",
        "source",
        "record",
        description="One row per source.",
        columns=(
            Column("id", ("id",), required=True),
            Column("kind", ("kind",), required=True, enum=_values(SourceKind)),
            Column("title", ("title",), required=True),
            Column("publisher", ("publisher",)),
            Column("published", ("published",), "date"),
            Column("url", ("url",)),
            Column("language", ("language",)),
            Column("accessed", ("accessed",), "date"),
            Column("notes", ("notes",)),
        ),
    ),
    Table(
        "source_authors",
        "source",
        "list",
        field="authors",
        description="Authors of sources, in order.",
        columns=(
            Column("source", ("source",), required=True),
            Column("position", ("position",), "integer", required=True),
            Column("author", ("value",), required=True),
        ),
    ),
    Table(
        "archives",
        "source",
        "list",
        field="archives",
        description="Preserved copies of sources, in order (since schema 1.1).",
        columns=(
            Column("source", ("source",), required=True),
            Column("position", ("position",), "integer", required=True),
            Column("url", ("url",), required=True),
            Column("captured", ("captured",), required=True, pattern=DATE_TIME_PATTERN),
            Column("sha256", ("sha256",), required=True, pattern="[0-9a-f]{64}"),
            Column("tool", ("tool",)),
        ),
    ),
    Table(
        "actors",
        "actor",
        "record",
        description="One row per actor.",
        columns=(
            Column("id", ("id",), required=True),
            Column("kind", ("kind",), required=True, enum=_values(ActorKind)),
            Column("name", ("name",), required=True),
            Column("country", ("country",)),
            Column("description", ("description",)),
        ),
    ),
    Table(
        "actor_names",
        "actor",
        "map",
        field="names",
        description="Names of actors by BCP 47 language tag.",
        columns=(
            Column("actor", ("actor",), required=True),
            Column("language", ("key",), required=True),
            Column("name", ("value",), required=True),
        ),
    ),
    Table(
        "actor_aliases",
        "actor",
        "list",
        field="aliases",
        description="Other names of actors, in order.",
        columns=(
            Column("actor", ("actor",), required=True),
            Column("position", ("position",), "integer", required=True),
            Column("alias", ("value",), required=True),
        ),
    ),
    Table(
        "affiliations",
        "actor",
        "list",
        field="affiliations",
        description="Actors' memberships of other actors.",
        columns=(
            Column("actor", ("actor",), required=True),
            Column("position", ("position",), "integer", required=True),
            Column("affiliated_with", ("actor_ref",), required=True, references="actor"),
            Column("role", ("role",)),
            Column("start", ("start",), "date"),
            Column("end", ("end",), "date"),
        ),
    ),
    Table(
        "events",
        "event",
        "record",
        description="One row per event.",
        columns=(
            Column("id", ("id",), required=True),
            Column("type", ("type",), required=True, enum=_values(EventType)),
            Column("mode", ("mode",)),
            Column("title", ("title",), required=True),
            Column("description", ("description",)),
            Column("when_start", ("when", "start"), "date", required=True),
            Column("when_end", ("when", "end"), "date"),
            Column("when_uncertain", ("when", "uncertain"), "boolean"),
            Column("place_name", ("location", "name")),
            Column("place_country", ("location", "country")),
            Column("place_admin1", ("location", "admin1")),
            Column("place_admin2", ("location", "admin2")),
            Column("place_lat", ("location", "lat"), "number"),
            Column("place_lon", ("location", "lon"), "number"),
            Column("place_precision", ("location", "precision"), enum=_values(PlacePrecision)),
            Column("place_geonames_id", ("location", "geonames_id"), "integer"),
            *_place_and_figures(),
            Column("status", ("status",), required=True, enum=_values(Status)),
            Column("notes", ("notes",)),
        ),
    ),
    Table(
        "event_contexts",
        "event",
        "list",
        field="contexts",
        description="PLOVER contexts of events, in order.",
        columns=(
            Column("event", ("event",), required=True),
            Column("position", ("position",), "integer", required=True),
            Column("context", ("value",), required=True),
        ),
    ),
    Table(
        "participants",
        "event",
        "list",
        field="participants",
        description="Actors taking part in events, with their roles.",
        columns=(
            Column("event", ("event",), required=True),
            Column("position", ("position",), "integer", required=True),
            Column("actor", ("actor",), required=True, references="actor"),
            Column("role", ("role",), required=True, enum=_values(Role)),
            Column("side", ("side",), enum=_values(Side), since="1.1"),
        ),
    ),
    Table(
        "citations",
        "event",
        "list",
        field="citations",
        description="Evidence for events: source, quote, claimant.",
        columns=(
            Column("event", ("event",), required=True),
            Column("position", ("position",), "integer", required=True),
            Column("source", ("source",), required=True, references="source"),
            Column("quote", ("quote",)),
            Column("locator", ("locator",)),
            Column("attributed_to", ("attributed_to",)),
            Column("stance", ("stance",), enum=_values(Stance)),
            *_place_and_figures(),
        ),
    ),
    Table(
        "relations",
        "event",
        "list",
        field="related",
        description="Links between events.",
        columns=(
            Column("event", ("event",), required=True),
            Column("position", ("position",), "integer", required=True),
            Column("related_event", ("event_ref",), required=True, references="event"),
            Column("relation", ("relation",), required=True, enum=_values(RelationType)),
        ),
    ),
    Table(
        "classifications",
        "event",
        "list",
        field="classifications",
        description="Codes of external taxonomies.",
        columns=(
            Column("event", ("event",), required=True),
            Column("position", ("position",), "integer", required=True),
            Column("scheme", ("scheme",), required=True),
            Column("code", ("code",), required=True),
            Column("label", ("label",)),
        ),
    ),
    Table(
        "event_tags",
        "event",
        "list",
        field="tags",
        description="Free keywords of events, in order.",
        columns=(
            Column("event", ("event",), required=True),
            Column("position", ("position",), "integer", required=True),
            Column("tag", ("value",), required=True),
        ),
    ),
    Table(
        "deleted",
        "tombstone",
        "record",
        description="One row per record an upstream dataset withdrew (since schema 1.1).",
        columns=(
            Column("id", ("id",), required=True),
            Column(
                "deleted",
                ("deleted",),
                required=True,
                pattern=f"({DATE_PATTERN})|({DATE_TIME_PATTERN})",
                description="A date (YYYY[-MM[-DD]]) or an RFC 3339 date-time.",
            ),
            Column("reason", ("reason",)),
        ),
    ),
    Table(
        "identifiers",
        "any",
        "map",
        field="identifiers",
        description="External identifiers of sources, actors, events and tombstones.",
        columns=(
            _OWNER,
            Column("scheme", ("key",), required=True),
            Column("identifier", ("value",), required=True),
        ),
    ),
    Table(
        "extensions",
        "any",
        "map",
        field="extensions",
        description="Foreign-dataset fields, one JSON object per record and scheme.",
        columns=(
            _OWNER,
            Column("scheme", ("key",), required=True),
            Column("data", ("value",), "json", required=True),
        ),
    ),
)
