"""The ACLED writer: a row per event, from the model and the ``acled`` extension."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any, BinaryIO

from ..._dates import PartialDate
from ..._report import Problem
from .._base import header_of, write_document
from .._days import ISO, DayColumn, format_day
from .._iso3166 import ALPHA2, NUMERIC
from .._rows import (
    Hold,
    RowError,
    RowWriter,
    cell,
)
from ._reader import (
    _inter,
    _model_cells,
    _split,
    canonical,
)
from ._tables import (
    _ALONE,
    _AS_WRITTEN,
    _BY_MODE,
    _DATASET_SOURCE,
    _DEFAULT_ACLED,
    _DISORDER,
    _GEO_CODE,
    _KIND_CODE,
    _RIOTERS,
    COLUMNS,
    GEO_PRECISION,
    LEGACY_COLUMNS,
    MISSING,
    SCHEME,
    TYPES_ALONE,
)


class Writer(RowWriter):
    """Writes ACLED rows: one per event, from the model and the ``acled`` extension.

    An imported file is written in its own layout (the header, line ending
    and date style kept on the dataset's source record); ``layout="current"``
    writes today's columns instead, as for events from elsewhere.
    """

    DATASET = "ACLED"
    FOREIGN_ROWS = "what the crosswalk derives from the model"

    def __init__(self, stream: BinaryIO, header: dict[str, Any], *, layout: str = "own") -> None:
        del header  # ACLED has no dataset metadata
        super().__init__(stream, layout=layout)
        self._dates = DayColumn("event_date")
        self._style = ISO

    def write(self, kind: str, data: dict[str, Any]) -> None:
        """Remember actors and sources (rows name them); write a row per event."""
        if kind == "actor":
            self._records.add(data["id"], json.dumps([data["name"], data["kind"]]))
        elif kind == "source":
            self._records.add(data["id"], json.dumps([data.get("publisher") or data["title"], ""]))
            layout = data.get("extensions", {}).get(SCHEME, {}).get("layout")
            if self._layout is None and isinstance(layout, dict) and not self._current:
                self._layout = layout
        elif kind == "event":  # rows hold events only; other kinds are left out
            kept: dict[str, Any] = data.get("extensions", {}).get(SCHEME, {})
            if self._columns is None:
                self._start(kept)
            row = self._row(data, kept)
            self._csv.writerow([row.get(c, "") for c in self._columns or ()])

    def _start(self, kept: dict[str, Any]) -> None:
        """Write the header: the file's own, or today's columns and the first event's others."""
        if self._layout is not None and isinstance(self._layout.get("header"), list):
            header = [str(name) for name in self._layout["header"]]
            self._columns = tuple(canonical(name) for name in header)
            self.line_end(str(self._layout.get("line_end", "")))
            self._style = str(self._layout.get("date_style") or ISO)
            self._dates = DayColumn("event_date", self._layout.get("date_order"))
            self._csv.writerow(header)
            return
        # The first event decides: legacy columns follow the current ones, then others.
        others = [c for c in kept if c not in COLUMNS and c not in LEGACY_COLUMNS and c]
        self._columns = (*COLUMNS, *(c for c in LEGACY_COLUMNS if c in kept), *others)
        self._csv.writerow(self._columns)

    def _name(self, record_id: str) -> tuple[str, str]:
        found = self._records.get(record_id)
        if found is None:
            return "", "other"
        name, kind = json.loads(found)
        return str(name), str(kind)

    def _row(self, event: dict[str, Any], kept: dict[str, Any]) -> dict[str, str]:
        if not kept:
            self.note_foreign(event["id"])
        row = {column: cell(value) for column, value in kept.items()}
        # An event from elsewhere keeps its own id, so the row can come back.
        identifiers = event.get("identifiers", {})
        if SCHEME in identifiers or "event_id_cnty" not in row:
            row["event_id_cnty"] = identifiers.get(SCHEME, event["id"])
        self._types(event, row)
        self._dates_of(event["when"], row)
        self._actors(event, row)
        place = event.get("location") or {}
        model = _model_cells(event)
        fallback = (place.get("admin1") or "").strip() or str(kept.get("country", "")).strip()
        for column in _AS_WRITTEN:
            raw = kept.get(column)
            # The cell as the file wrote it, while the model still says the same.
            if raw is None or _reads_as(column, str(raw), fallback) != model[column]:
                row[column] = model[column]
        if GEO_PRECISION.get(row.get("geo_precision", "")) != place.get("precision"):
            _derived(row, "geo_precision", _GEO_CODE.get(place.get("precision", ""), ""))
        _iso(place.get("country"), row)
        cited = [
            self._name(c["source"])[0]
            for c in event.get("citations", ())
            if c["source"] != _DATASET_SOURCE["id"]
        ]
        kept_sources = "" if row.get("source") == MISSING else row.get("source", "")
        if _split(kept_sources) != cited:
            row["source"] = "; ".join(cited)
        tags = event.get("tags", [])
        kept_tags = "" if row.get("tags") == MISSING else row.get("tags", "")
        if list(dict.fromkeys(_split(kept_tags))) != tags:
            row["tags"] = "; ".join(tags)
        figures = event.get("fatalities", {})
        deaths = figures.get("best", figures.get("low"))
        kept_deaths = row.get("fatalities", "").strip()
        if not (kept_deaths.lstrip("-").isdigit() and int(kept_deaths) == deaths):
            _derived(row, "fatalities", cell(deaths) if deaths is not None else "")
        if not kept and self._layout is not None and self._layout.get("missing"):
            spelling = str(self._layout["missing"])
            row = {k: v or spelling for k, v in row.items()}
        return row

    def _types(self, event: dict[str, Any], row: dict[str, str]) -> None:
        codes = {c["scheme"]: c["code"] for c in event.get("classifications", ())}
        event_type = codes.get("acled.event_type")
        sub_type = codes.get("acled.sub_event_type")
        alone = _ALONE.get((event_type or "").casefold()) if sub_type is None else None
        if alone is not None:
            current, default_sub, _, _ = TYPES_ALONE[alone]
            if alone == "Riots/Protests" and _inter(row, "inter1") == "5":
                current, default_sub, _, _ = _RIOTERS
            if self._current:
                event_type, sub_type = current, default_sub
            row["event_type"] = event_type or alone
            if sub_type is not None:
                row["sub_event_type"] = sub_type
        else:
            if event_type is None or sub_type is None:
                event_type, sub_type = _from_model(event)
            row["event_type"], row["sub_event_type"] = event_type, sub_type
            current = event_type
        row["disorder_type"] = (
            codes.get("acled.disorder_type")
            or row.get("disorder_type")
            or _DISORDER.get(current, _DISORDER["Strategic developments"])
        )

    def _dates_of(self, when: dict[str, Any], row: dict[str, str]) -> None:
        start = PartialDate.parse(when["start"])
        if when.get("uncertain") and "end" in when:
            first, last = start.earliest(), PartialDate.parse(when["end"]).latest()
            derived, code = first + dt.timedelta(days=(last - first).days // 2), "2"
        elif start.precision == "month" and "end" not in when:
            derived, code = dt.date(start.year, start.month or 1, 15), "3"
        else:
            derived, code = start.earliest(), "1"
        try:
            kept_day: dt.date | None = (
                self._dates.read(row["event_date"])[0] if row.get("event_date") else None
            )
        except (RowError, Hold):
            kept_day = None
        if code == "3":
            # Any day of the month stands in for it; keep the one the file had.
            agrees = kept_day is not None and kept_day.replace(day=15) == derived
        else:
            agrees = kept_day == derived
        if not (agrees and (row.get("time_precision", "").strip() or "1") == code):
            row["event_date"] = format_day(derived, self._style)
            row["time_precision"] = code
            row["year"] = str(derived.year)

    def _actors(self, event: dict[str, Any], row: dict[str, str]) -> None:
        names = [self._name(p["actor"]) for p in event.get("participants", ())]
        kept = [
            name
            for column in ("actor1", "assoc_actor_1", "actor2", "assoc_actor_2")
            for name in _split("" if row.get(column) == MISSING else row.get(column, ""))
        ]
        if sorted(name for name, _ in names) == sorted(kept):
            return  # the kept sides and associated actors still describe the event
        first, second = names[:1], names[1:2]
        row["actor1"] = first[0][0] if first else ""
        row["actor2"] = second[0][0] if second else ""
        row["assoc_actor_1"] = "; ".join(name for name, _ in names[2:])
        row["assoc_actor_2"] = ""
        row["inter1"] = _KIND_CODE.get(first[0][1], "8") if first else ""
        row["inter2"] = _KIND_CODE.get(second[0][1], "8") if second else ""
        row["interaction"] = "".join(sorted(c for c in (row["inter1"], row["inter2"]) if c))

    def close(self) -> list[Problem]:
        """Finish the file (a header even without events); report foreign events."""
        if self._columns is None:
            if self._layout is not None:
                self._start({})
            else:
                self._csv.writerow(COLUMNS)
        return super().close()


def _reads_as(column: str, raw: str, fallback: str) -> str:
    """What the reader makes of a cell of :data:`_AS_WRITTEN`, written as the model's."""
    raw = "" if raw == MISSING else raw
    if column in ("latitude", "longitude"):
        try:
            return cell(float(raw)) if raw.strip() else ""
        except ValueError:
            return raw
    if column == "location":
        return raw.strip() or fallback
    return raw if raw.strip() else ""


def _iso(country: str | None, row: dict[str, str]) -> None:
    """The ``iso`` cell: the kept one while it names the model's country."""
    kept_iso = row.get("iso", "").strip()
    kept = "XK" if kept_iso == "0" else (ALPHA2.get(int(kept_iso)) if kept_iso.isdigit() else None)
    if country is None and kept is not None:
        row["iso"] = ""
    elif country is not None and kept != country:
        row["iso"] = "0" if country == "XK" else str(NUMERIC.get(country, ""))


def _derived(row: dict[str, str], column: str, value: str) -> None:
    """Set a cell the model gives, keeping the file's NA where the model has nothing."""
    if value or row.get(column) != MISSING:
        row[column] = value


def _from_model(event: dict[str, Any]) -> tuple[str, str]:
    """ACLED's event and sub-event type for an event that did not come from ACLED."""
    mode_key = _BY_MODE.get((event["type"], event.get("mode")))
    if mode_key is not None:
        return mode_key
    if event["type"] == "ASSAULT" and any(
        p["role"] == "victim" for p in event.get("participants", ())
    ):
        return "Violence against civilians", "Attack"
    return _DEFAULT_ACLED.get(event["type"], ("Strategic developments", "Other"))


def write(data: dict[str, Any], stream: BinaryIO, *, layout: str = "own") -> list[Problem]:
    """Write a whole plain document as ACLED CSV: the imported file's layout, or ``"current"``."""
    return write_document(Writer(stream, header_of(data), layout=layout), data)
