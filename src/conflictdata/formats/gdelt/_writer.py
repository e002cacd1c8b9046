"""The GDELT writer: a row per event, in the imported file's layout or GDELT 2.0's."""

from __future__ import annotations

import csv
import io
import json
from typing import Any, BinaryIO

from ..._dates import PartialDate
from ..._ids import IdIndex
from ..._report import Problem, warning
from ..._vocab import EventType
from .. import _cameo
from .._iso3166 import FROM_ALPHA3
from .._rows import LAYOUTS, cell
from ._fips import TO_FIPS
from ._reader import NULL, _actor_cells, fallback_name, model_cells
from ._tables import COLUMNS_2, DATASET_SOURCE, GEO_TYPES, MODEL_COLUMNS, SCHEME, columns_for

__all__ = ["Writer"]

_ALPHA3 = {alpha2: alpha3 for alpha3, alpha2 in FROM_ALPHA3.items()}
_BY_NAME = {c.casefold(): c for c in COLUMNS_2}
_STRIPPED = frozenset(
    {"GLOBALEVENTID", "SQLDATE", "EventCode", "EventBaseCode", "EventRootCode", "QuadClass"}
)


class Writer:
    """Writes GDELT rows: one per event, from the model and the ``gdelt`` extension.

    An imported file is written in its own layout (kept on the dataset's
    source record); events from elsewhere, or ``layout="current"``, give
    GDELT 2.0's 61 tab-separated columns without a header. Events from
    elsewhere are numbered from 1, as GDELT ids are numbers.
    """

    def __init__(self, stream: BinaryIO, header: dict[str, Any], *, layout: str = "own") -> None:
        del header  # GDELT files have no dataset metadata
        if layout not in LAYOUTS:
            raise ValueError(f"layout must be one of {', '.join(LAYOUTS)}, not {layout!r}")
        self._current = layout == "current"
        self._layout: dict[str, Any] | None = None
        self._columns: tuple[str, ...] | None = None
        self._text = io.TextIOWrapper(stream, encoding="utf-8", newline="", write_through=True)
        self._csv: Any = None
        self._end = "\n"
        self._missing = ""
        #: Actor id -> its code, name and country; source id -> its SOURCEURL.
        self._records = IdIndex()
        self._numbered = 0
        self._foreign = 0
        self._first_foreign: str | None = None

    def write(self, kind: str, data: dict[str, Any]) -> None:
        """Remember actors and sources (rows name them); write a row per event."""
        if kind == "actor":
            code, name = _actor_cells(data)
            country = _ALPHA3.get(data.get("country") or "", "")
            self._records.add(data["id"], json.dumps([code, name, country]))
        elif kind == "source":
            written = data.get("extensions", {}).get(SCHEME, {}).get("SOURCEURL")
            url = written if isinstance(written, str) else data.get("url") or data["title"]
            self._records.add(data["id"], json.dumps([url]))
            layout = data.get("extensions", {}).get(SCHEME, {}).get("layout")
            if self._layout is None and isinstance(layout, dict) and not self._current:
                self._layout = layout
        elif kind == "event":
            if self._columns is None:
                self._start()
            self._row(data)

    def _start(self) -> None:
        layout = self._layout or {}
        header = layout.get("header")
        columns = columns_for(int(layout.get("columns", 0) or 0)) or COLUMNS_2
        if isinstance(header, list):
            columns = tuple(_BY_NAME.get(str(c).strip().casefold(), "") for c in header)
        self._columns = columns
        self._end = "\r\n" if layout.get("line_end") == "\r\n" else "\n"
        self._missing = NULL if layout.get("missing") == NULL else ""
        if layout.get("delimiter") == ",":
            if layout.get("quoted"):
                self._csv = csv.writer(self._text, lineterminator=self._end, quoting=csv.QUOTE_ALL)
            else:
                self._csv = csv.writer(self._text, lineterminator=self._end)
        if isinstance(header, list):
            self._emit([str(c) for c in header])

    def _emit(self, cells: list[str]) -> None:
        if self._csv is not None:
            self._csv.writerow(cells)
            return
        # A tab-separated GDELT row cannot hold a tab or a line break.
        clean = [c.replace("\t", " ").replace("\r", " ").replace("\n", " ") for c in cells]
        self._text.write("\t".join(clean) + self._end)

    def _actor(self, actor_id: str) -> tuple[str, str]:
        found = self._records.get(actor_id)
        if found is None:
            return "", ""
        code, name, _ = json.loads(found)
        return str(code), str(name)

    def _row(self, event: dict[str, Any]) -> None:
        kept: dict[str, Any] = event.get("extensions", {}).get(SCHEME, {})
        if not kept:
            self._foreign += 1
            self._first_foreign = self._first_foreign or event["id"]
        url = ""
        for citation in event.get("citations", ()):
            found = self._records.get(citation["source"])
            if citation["source"] != DATASET_SOURCE["id"] and found is not None:
                url = str(json.loads(found)[0])
                break
        derived = model_cells(event, self._actor, url)
        self._derive(event, derived, kept)
        row: list[str] = []
        for column in self._columns or ():
            raw = kept.get(column)
            value = derived.get(column, "")
            if isinstance(raw, str) and (
                column not in MODEL_COLUMNS or _reads_as(column, raw, derived, kept) == value
            ):
                value = raw
            elif not value and not kept:
                value = self._missing
            row.append(value)
        self._emit(row)

    def _derive(self, event: dict[str, Any], row: dict[str, str], kept: dict[str, Any]) -> None:
        """The cells an event from elsewhere (or one whose type changed) needs."""
        if not row["GLOBALEVENTID"]:
            self._numbered += 1
            row["GLOBALEVENTID"] = str(self._numbered)
        day = PartialDate.parse(str(event["when"]["start"])).earliest()
        row["SQLDATE"] = day.strftime("%Y%m%d")
        code = row["EventCode"]
        if not (_cameo.is_code(code) and _cameo.event_type(code).value == event["type"]):
            code = _cameo.code_for(EventType(event["type"]))
            row.update(EventCode=code, EventBaseCode=code[:3], EventRootCode=code[:2])
            row["QuadClass"] = _cameo.quad_class(code)
        if kept:
            return
        row["MonthYear"], row["Year"] = day.strftime("%Y%m"), str(day.year)
        row["FractionDate"] = f"{day.year + int(day.strftime('%j')) / 365:.4f}"
        row["IsRootEvent"] = "1"
        by_side = {p.get("side"): p["actor"] for p in event.get("participants", ())}
        for number, side in (("1", "a"), ("2", "b")):
            found = self._records.get(by_side.get(side, ""))
            if found is not None:
                row[f"Actor{number}CountryCode"] = str(json.loads(found)[2])
        place = event.get("location") or {}
        if place:
            row["ActionGeo_CountryCode"] = TO_FIPS.get(place.get("country") or "", "")
            for geo in ("Lat", "Long"):
                row[f"ActionGeo_{geo}"] = cell(place.get("lat" if geo == "Lat" else "lon"))

    def close(self) -> list[Problem]:
        """Finish the file; say how many events did not come from GDELT."""
        if self._columns is None and self._layout is not None:
            self._start()  # a BigQuery export's header, even without rows
        self._text.flush()
        self._text.detach()
        self._records.close()
        if not self._foreign:
            return []
        return [
            warning(
                ("events",),
                "export.lossy",
                f"{self._foreign} event(s) did not come from GDELT (the first: "
                f"{self._first_foreign}); their rows hold what the CAMEO crosswalk and the "
                "model give, numbered from 1",
            )
        ]

    def abort(self) -> None:
        """Drop the record index; whoever owns the stream discards the file."""
        self._records.close()
        self._text.detach()


def _reads_as(column: str, raw: str, row: dict[str, str], kept: dict[str, Any]) -> str:
    """What the reader makes of a kept cell of a model column, as the writer writes it."""
    if raw == NULL or not raw.strip():
        if column == "ActionGeo_FullName" and row["ActionGeo_Type"]:
            return fallback_name(str(kept.get("ActionGeo_CountryCode", "")))
        return ""
    if column in ("ActionGeo_Lat", "ActionGeo_Long"):
        try:
            return cell(float(raw))
        except ValueError:
            return raw
    if column == "ActionGeo_Type":
        precision = GEO_TYPES.get(raw.strip())
        codes = [k for k, v in GEO_TYPES.items() if v == precision]
        return codes[-1] if codes else ""
    return raw.strip() if column in _STRIPPED else raw
