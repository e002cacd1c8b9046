"""The GED writer: a row per event, from the model and the ``ucdp`` extension."""

from __future__ import annotations

import json
from typing import Any, BinaryIO

from ..._dates import PartialDate
from ..._report import Problem
from .. import _gwno
from .._base import header_of, write_document
from .._rows import (
    RowWriter,
    cell,
)
from ._reader import (
    canonical,
)
from ._tables import (
    _GWNO,
    _PRECISION_CODE,
    COLUMNS,
    DATASET_SOURCE,
    EXTENSION_COLUMNS,
    SCHEME,
    WHERE_PRECISION,
)


class Writer(RowWriter):
    """Writes GED rows: one per event, from the model and the ``ucdp`` extension.

    An imported file is written in its own layout (header, HXL row and line
    ending kept on the dataset's source record); ``layout="current"`` writes
    the 49 columns of today's GED instead, as for events from elsewhere.
    """

    DATASET = "GED"
    FOREIGN_ROWS = "only the columns the model can fill"

    def __init__(self, stream: BinaryIO, header: dict[str, Any], *, layout: str = "own") -> None:
        del header  # GED has no dataset metadata
        super().__init__(stream, layout=layout)

    def write(self, kind: str, data: dict[str, Any]) -> None:
        """Remember sources and actors (rows name them); write a row per event."""
        if kind == "source":
            keep = {k: data[k] for k in ("publisher", "published", "title") if k in data}
            self._records.add(data["id"], json.dumps(keep))
            layout = data.get("extensions", {}).get(SCHEME, {}).get("layout")
            if self._layout is None and isinstance(layout, dict) and not self._current:
                self._layout = layout
        elif kind == "actor":
            ucdp_id = data.get("identifiers", {}).get(SCHEME, "")
            self._records.add(data["id"], json.dumps({"name": data["name"], "ucdp": ucdp_id}))
        elif kind == "event":  # rows hold events only; other kinds are left out
            kept: dict[str, Any] = data.get("extensions", {}).get(SCHEME, {})
            if self._columns is None:
                self._start(kept)
            row = self._row(data, kept)
            self._csv.writerow([row.get(column, "") for column in self._columns or ()])

    def _start(self, kept: dict[str, Any]) -> None:
        """Write the header: the file's own (and its HXL row), or GED's and the event's others."""
        layout = self._layout
        if layout is not None and isinstance(layout.get("header"), list):
            header = [str(name) for name in layout["header"]]
            self._columns = tuple(canonical(name) for name in header)
            self.line_end(str(layout.get("line_end", "")))
            self._csv.writerow(header)
            if isinstance(layout.get("hxl"), list):
                self._csv.writerow([str(tag) for tag in layout["hxl"]])
            return
        self._columns = (*COLUMNS, *(c for c in kept if c not in COLUMNS))
        self._csv.writerow(self._columns)

    def close(self) -> list[Problem]:
        """Finish the file (a header even without events); report foreign events."""
        if self._columns is None:
            self._start({})
        return super().close()

    def _lookup(self, record_id: str) -> dict[str, Any]:
        found = self._records.get(record_id)
        return {} if found is None else dict(json.loads(found))

    def _row(self, event: dict[str, Any], kept: dict[str, Any]) -> dict[str, str]:
        if not kept:
            self.note_foreign(event["id"])
        row = {column: cell(kept.get(column)) for column in EXTENSION_COLUMNS}
        row.update((column, cell(value)) for column, value in kept.items())
        identifiers = event.get("identifiers", {})
        # An event from elsewhere keeps its own id, so the row can come back.
        row["id"] = identifiers.get("ucdp.ged", event["id"])
        row["relid"] = identifiers.get("ucdp.relid", "")
        codes = [
            c["code"]
            for c in event.get("classifications", ())
            if c["scheme"] == "ucdp.type_of_violence"
        ]
        victims = any(p["role"] == "victim" for p in event.get("participants", ()))
        row["type_of_violence"] = codes[0] if codes else ("3" if victims else "1")
        sides = list(event.get("participants", ()))[:2]
        for side, taking_part in zip(("a", "b"), sides, strict=False):
            actor = self._lookup(taking_part["actor"])
            row[f"side_{side}"] = actor.get("name", "")
            row[f"side_{side}_new_id"] = actor.get("ucdp", "")
        for side in ("a", "b")[len(sides) :]:
            row[f"side_{side}"] = row[f"side_{side}_new_id"] = ""
        self._dates(event["when"], row, kept)
        self._place(event.get("location"), row, kept)
        figures = event.get("fatalities", {})
        for key in ("best", "low", "high"):
            row[key] = cell(figures.get(key))
        if not kept:
            self._sources(event, row)
        return row

    @staticmethod
    def _dates(when: dict[str, Any], row: dict[str, str], kept: dict[str, Any]) -> None:
        start = PartialDate.parse(when["start"])
        end = PartialDate.parse(when.get("end") or when["start"])
        row["date_start"] = start.earliest().isoformat()
        row["date_end"] = end.latest().isoformat()
        # The kept code stands while it agrees with the model's dates.
        if "end" not in when and start.precision == "day":
            agreeing, derived = {"1", "2", "3", "4", "5"}, "1"
        elif "end" not in when:
            derived = "4" if start.precision == "month" else "5"
            agreeing = {derived}
        elif when.get("uncertain"):
            agreeing, derived = {"2", "3", "4", "5"}, "2"
        else:
            agreeing, derived = {"1"}, "1"
        if row["date_prec"] not in agreeing:
            row["date_prec"] = derived
        if not kept.get("year"):
            row["year"] = str(start.year)

    @staticmethod
    def _place(place: dict[str, Any] | None, row: dict[str, str], kept: dict[str, Any]) -> None:
        place = place or {}
        name = place.get("name", "")
        # An empty where_coordinates, whose place was named by another column, stays empty.
        fallback = str(kept.get("where_description") or kept.get("country") or "")
        if not (kept.get("where_coordinates") == "" and fallback == name):
            row["where_coordinates"] = name
        country = place.get("country")
        if country is not None and _gwno.ALPHA2.get(_number(row.get("country_id"))) != country:
            row["country_id"] = str(_GWNO.get(country, ""))
        row["adm_1"] = place.get("admin1", "")
        row["adm_2"] = place.get("admin2", "")
        for column, key in (("latitude", "lat"), ("longitude", "lon")):
            row[column] = _coordinate(kept.get(column), place.get(key))
        precision = place.get("precision")
        code = kept.get("where_prec", "")
        if precision is not None and WHERE_PRECISION.get(code) != precision:
            row["where_prec"] = _PRECISION_CODE[precision]

    def _sources(self, event: dict[str, Any], row: dict[str, str]) -> None:
        cited = [
            self._lookup(c["source"])
            for c in event.get("citations", ())
            if c["source"] != DATASET_SOURCE["id"]
        ]
        cited = [source for source in cited if source]
        row["number_of_sources"] = str(len(cited))
        row["source_office"] = ";".join(s.get("publisher", "") for s in cited)
        row["source_date"] = ";".join(s.get("published", "") for s in cited)
        row["source_headline"] = ";".join(s.get("title", "") for s in cited)


def _coordinate(kept: Any, value: float | None) -> str:
    """A coordinate cell: as the file wrote it, while the model holds the same number."""
    try:
        if isinstance(kept, str) and float(kept) == value:
            return kept
    except ValueError:
        pass
    return cell(value)


def _number(raw: str | None) -> int:
    try:
        return int(raw or "")
    except ValueError:
        return -1


def write(data: dict[str, Any], stream: BinaryIO, *, layout: str = "own") -> list[Problem]:
    """Write a whole plain document as GED CSV: the imported file's layout, or ``"current"``."""
    return write_document(Writer(stream, header_of(data), layout=layout), data)
