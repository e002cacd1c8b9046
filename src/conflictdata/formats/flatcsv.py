"""Flat events CSV (export): one row per event, for a spreadsheet.

Lossy by design: participants and sources are joined into single cells
with ``"; "``, and quotes, claims, relations and extension data beyond what
the columns hold are left out. The columns follow ACLED's where the meaning
is the same (``event_date``, ``actor1``, ``actor2``, ``assoc_actor``,
``latitude``, ``fatalities``...). Use the CSV data package to keep
everything.
"""

from __future__ import annotations

import csv
import io
from typing import Any, BinaryIO

from .._report import Problem
from ._base import Format, header_of, write_document
from .csvpkg._cells import escape

__all__ = ["COLUMNS", "JOIN", "Writer", "write"]

#: Joins several values in one cell.
JOIN = "; "

COLUMNS = (
    "event_id",
    "event_date",
    "event_date_end",
    "date_precision",
    "date_uncertain",
    "event_type",
    "mode",
    "status",
    "title",
    "description",
    "actor1",
    "actor2",
    "assoc_actor",
    "actor_ids",
    "country",
    "admin1",
    "admin2",
    "location",
    "latitude",
    "longitude",
    "geo_precision",
    "fatalities",
    "fatalities_low",
    "fatalities_high",
    "sources",
    "source_ids",
    "classifications",
    "tags",
    "notes",
)
_PRECISION = {4: "year", 7: "month", 10: "day"}


class Writer:
    """Writes the flat CSV event by event (actors and sources first, for their names)."""

    def __init__(
        self,
        stream: BinaryIO,
        header: dict[str, Any],  # noqa: ARG002 - the RecordWriter signature
        *,
        bom: bool = False,
        escape_formulas: bool = True,
    ) -> None:
        self._text = io.TextIOWrapper(
            stream, encoding="utf-8-sig" if bom else "utf-8", newline="", write_through=True
        )
        self._csv = csv.writer(self._text, lineterminator="\r\n")
        self._csv.writerow(COLUMNS)
        self._escape = escape if escape_formulas else str
        self._names: dict[str, str] = {}
        self._titles: dict[str, str] = {}

    def write(self, kind: str, data: dict[str, Any]) -> None:
        """Remember actor names and source titles; write one row per event."""
        if kind == "actor":
            self._names[data["id"]] = data["name"]
        elif kind == "source":
            self._titles[data["id"]] = data["title"]
        else:
            self._csv.writerow([self._cell(v) for v in self._row(data)])

    def _cell(self, value: Any) -> str:
        if value is None:
            return ""
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, (int, float)):
            return repr(value)
        return self._escape(str(value)) if value else ""

    def _row(self, event: dict[str, Any]) -> list[Any]:
        when, place = event["when"], event.get("location") or {}
        figures = event.get("fatalities") or {}
        by_role: dict[str, list[str]] = {}
        for participant in event["participants"]:
            by_role.setdefault(participant["role"], []).append(participant["actor"])
        name = self._names.get
        others = [
            f"{name(p['actor'], p['actor'])} ({p['role']})"
            for p in event["participants"]
            if p["role"] not in ("initiator", "target")
        ]
        sources = list(dict.fromkeys(c["source"] for c in event["citations"]))
        return [
            event["id"],
            when["start"],
            when.get("end"),
            _PRECISION[len(when["start"])],
            when.get("uncertain", False),
            event["type"],
            event.get("mode"),
            event["status"],
            event["title"],
            event.get("description"),
            JOIN.join(name(a, a) for a in by_role.get("initiator", [])),
            JOIN.join(name(a, a) for a in by_role.get("target", [])),
            JOIN.join(others),
            JOIN.join(p["actor"] for p in event["participants"]),
            place.get("country"),
            place.get("admin1"),
            place.get("admin2"),
            place.get("name"),
            place.get("lat"),
            place.get("lon"),
            place.get("precision"),
            figures.get("best"),
            figures.get("low"),
            figures.get("high"),
            JOIN.join(self._titles.get(s, s) for s in sources),
            JOIN.join(sources),
            JOIN.join(f"{c['scheme']}:{c['code']}" for c in event.get("classifications", ())),
            JOIN.join(event.get("tags", ())),
            event.get("notes"),
        ]

    def abort(self) -> None:
        """Nothing to undo here: whoever owns the stream discards it."""
        self._text.detach()

    def close(self) -> list[Problem]:
        """Flush; the lossy export warns about nothing in particular (see the docs)."""
        self._text.flush()
        self._text.detach()
        return []


def write(data: dict[str, Any], stream: BinaryIO, **options: bool) -> list[Problem]:
    """Write a whole plain document as a flat events CSV."""
    return write_document(Writer(stream, header_of(data), **options), data)


FORMAT = Format(
    name="csv-flat",
    suffixes=(".csv",),
    description="One row per event for spreadsheets (export; lossy).",
    lossless=False,
    writer=Writer,
    options=("bom", "escape_formulas"),
)
