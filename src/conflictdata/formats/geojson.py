"""GeoJSON export (RFC 7946): events with coordinates as Point features.

Lossy by nature: one Feature per event that has coordinates, with the
event's fields flattened into properties for GIS tools. Events without
coordinates are not in the file: each is reported as a warning, and their
number is kept in the collection's ``conflictdata`` member.
"""

from __future__ import annotations

import json
from typing import Any, BinaryIO

from .._report import Problem, warning
from ._base import Format, header_of, write_document

__all__ = ["Writer", "feature", "write"]

#: Joins several values in one property ("mil-az (initiator); mil-am (target)").
JOIN = "; "


def feature(event: dict[str, Any], actor_names: dict[str, str]) -> dict[str, Any] | None:
    """The Feature of a plain event, or None when it has no coordinates."""
    place = event.get("location") or {}
    if "lat" not in place:
        return None
    when = event["when"]
    figures = event.get("fatalities", {})
    participants = event["participants"]
    properties = {
        "id": event["id"],
        "type": event["type"],
        "mode": event.get("mode"),
        "title": event["title"],
        "description": event.get("description"),
        "when_start": when["start"],
        "when_end": when.get("end"),
        "when_uncertain": when.get("uncertain", False),
        "status": event["status"],
        "place": place["name"],
        "country": place.get("country"),
        "admin1": place.get("admin1"),
        "admin2": place.get("admin2"),
        "precision": place.get("precision"),
        "geonames_id": place.get("geonames_id"),
        "fatalities_best": figures.get("best"),
        "fatalities_low": figures.get("low"),
        "fatalities_high": figures.get("high"),
        "actors": JOIN.join(p["actor"] for p in participants) or None,
        "actor_names": JOIN.join(actor_names.get(p["actor"], p["actor"]) for p in participants)
        or None,
        "roles": JOIN.join(p["role"] for p in participants) or None,
        "sources": JOIN.join(dict.fromkeys(c["source"] for c in event["citations"])),
    }
    return {
        "type": "Feature",
        "id": event["id"],
        # RFC 7946: longitude first.
        "geometry": {"type": "Point", "coordinates": [place["lon"], place["lat"]]},
        "properties": properties,
    }


class Writer:
    """Writes a FeatureCollection feature by feature."""

    def __init__(self, stream: BinaryIO, header: dict[str, Any]) -> None:
        self._stream = stream
        self._names: dict[str, str] = {}
        self._events = 0
        self._missing: list[Problem] = []
        self._first = True
        title = json.dumps(header["metadata"]["title"], ensure_ascii=False)
        stream.write(f'{{"type":"FeatureCollection","name":{title},"features":[\n'.encode())

    def write(self, kind: str, data: dict[str, Any]) -> None:
        """Keep actor names; write events that have coordinates."""
        if kind == "actor":
            self._names[data["id"]] = data["name"]
        if kind != "event":
            return
        index = self._events
        self._events += 1
        item = feature(data, self._names)
        if item is None:
            self._missing.append(
                warning(
                    ("events", index),
                    "export.no-coordinates",
                    f"event {data['id']!r} has no coordinates and is not in the GeoJSON file",
                )
            )
            return
        text = json.dumps(item, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
        self._stream.write((("" if self._first else ",\n") + text).encode("utf-8"))
        self._first = False

    def abort(self) -> None:
        """Nothing to undo here: whoever owns the stream discards it."""

    def close(self) -> list[Problem]:
        """End the collection, with the count of events left out."""
        summary = {"events": self._events, "events_without_coordinates": len(self._missing)}
        self._stream.write(f'\n],"conflictdata":{json.dumps(summary)}}}\n'.encode())
        return self._missing


def write(data: dict[str, Any], stream: BinaryIO) -> list[Problem]:
    """Write a whole plain document as a FeatureCollection."""
    return write_document(Writer(stream, header_of(data)), data)


FORMAT = Format(
    name="geojson",
    suffixes=(".geojson",),
    description="GeoJSON FeatureCollection of the events that have coordinates (export).",
    lossless=False,
    writer=Writer,
)
