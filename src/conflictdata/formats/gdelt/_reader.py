"""GDELT event rows to records: events, the actors they name and the articles they cite."""

from __future__ import annotations

import csv
import datetime as dt
import functools
import io
import itertools
import urllib.parse
from collections.abc import Iterator
from typing import Any, BinaryIO

from ..._errors import InputError
from ..._ids import IdIndex
from ..._report import Problem, error
from ..._validators import uri
from ...model import SCHEMA_VERSION
from .. import _cameo
from .._base import Decoded, Entry, raise_errors, read_collecting
from .._iso3166 import FROM_ALPHA3
from .._rows import RowError, cell, coordinate, plain_text, slug_id
from ._fips import FIPS
from ._tables import (
    ACTOR_KINDS,
    COLUMNS_2,
    DATASET_SOURCE,
    GEO_TYPES,
    MODEL_COLUMNS,
    SCHEME,
    columns_for,
)

__all__ = [
    "actor_id",
    "fallback_name",
    "iter_items",
    "model_cells",
    "read",
    "records",
    "source_id",
]

#: How BigQuery exports spell a missing value.
NULL = "NULL"
#: What a URI may hold unescaped, of the characters ``quote`` would escape.
_URI_SAFE = "!#$%&'()*+,/:;=?@[]~"
_BY_NAME = {c.casefold(): c for c in COLUMNS_2}


@functools.lru_cache(maxsize=65536)
def actor_id(code: str, name: str) -> str:
    """The id of the actor record for a GDELT actor: its CAMEO code and name."""
    return slug_id("gdelt-actor", f"{code} {name}".strip())


@functools.lru_cache(maxsize=65536)
def source_id(url: str) -> str:
    """The id of the source record for a ``SOURCEURL``."""
    return slug_id("gdelt-src", url)


@functools.lru_cache(maxsize=4096)
def _is_uri(text: str) -> bool:
    try:
        uri()(None, _URL_ATTRIBUTE, text)
    except ValueError:
        return False
    return True


class _Attribute:
    name = "url"


_URL_ATTRIBUTE: Any = _Attribute()


def _day(raw: str, column: str) -> dt.date:
    text = raw.strip()
    if len(text) != 8 or not (text.isascii() and text.isdigit()):
        raise RowError(column, f"not a date YYYYMMDD: {raw!r}")
    try:
        return dt.date(int(text[:4]), int(text[4:6]), int(text[6:]))
    except ValueError:
        raise RowError(column, f"not a date: {raw!r}") from None


def _place(row: dict[str, str]) -> dict[str, Any] | None:
    kind = row["ActionGeo_Type"].strip()
    lat, lon = row["ActionGeo_Lat"].strip(), row["ActionGeo_Long"].strip()
    name = row["ActionGeo_FullName"].strip()
    if kind in ("", "0") and not (lat or lon or name):
        return None
    if kind not in GEO_TYPES:
        raise RowError("ActionGeo_Type", f"unknown code {kind!r} (1-5)")
    place: dict[str, Any] = {
        "name": row["ActionGeo_FullName"] if name else fallback_name(row["ActionGeo_CountryCode"]),
        "precision": GEO_TYPES[kind],
    }
    country = FIPS.get(row["ActionGeo_CountryCode"].strip())
    if country is not None:
        place["country"] = country
    for column, key in (("ActionGeo_ADM1Code", "admin1"), ("ActionGeo_ADM2Code", "admin2")):
        if row.get(column, "").strip():
            place[key] = row[column]
    if lat or lon:
        place["lat"] = coordinate(row, "ActionGeo_Lat", 90)
        place["lon"] = coordinate(row, "ActionGeo_Long", 180)
    return place


def fallback_name(country: str) -> str:
    """The name of a place whose ``FullName`` is empty: its country code, if it has one."""
    code = "" if country == NULL else country.strip()
    return code or "unnamed place"


def _actor(row: dict[str, str], number: str) -> dict[str, Any] | None:
    code, name = row[f"Actor{number}Code"], row[f"Actor{number}Name"]
    if not code.strip() and not name.strip():
        return None
    actor: dict[str, Any] = {
        "id": actor_id(code, name),
        "kind": ACTOR_KINDS.get(row[f"Actor{number}Type1Code"].strip(), "other"),
        "name": name if name.strip() else code,
        "extensions": {SCHEME: {"code": code, "name": name}},
    }
    country = row[f"Actor{number}CountryCode"].strip()
    if country in FROM_ALPHA3:
        actor["country"] = FROM_ALPHA3[country]
        if code.strip() == country and actor["kind"] == "other":
            actor["kind"] = "state"  # the code names the country alone
    if code.strip():
        actor["identifiers"] = {"cameo": code.strip()}
    return actor


def _source(url: str) -> dict[str, Any]:
    source: dict[str, Any] = {"id": source_id(url), "kind": "news_article", "title": url}
    # Published URLs hold spaces, quotes and non-ASCII letters a URI escapes.
    escaped = urllib.parse.quote(url.strip(), safe=_URI_SAFE)
    if _is_uri(url):
        source["url"] = url
    elif _is_uri(escaped):
        source["url"] = escaped
        source["extensions"] = {SCHEME: {"SOURCEURL": url}}
    else:
        # GDELT 1.0 names some sources ("BBC Monitoring") where others have a URL.
        source["publisher"] = url
    return source


def records(row: dict[str, str], raw: dict[str, str]) -> list[tuple[str, dict[str, Any]]]:
    """A row's records (its actors and source, then its event).

    ``row`` has every 2.0 column, missing values as empty cells; ``raw`` the
    file's own cells, which the event's extension keeps where the model
    does not hold them or would not write them back the same.
    """
    ident = row["GLOBALEVENTID"].strip()
    if not ident.isdigit():
        raise RowError("GLOBALEVENTID", f"not a number: {row['GLOBALEVENTID']!r}")
    day = _day(row["SQLDATE"], "SQLDATE")
    code = row["EventCode"].strip()
    if not _cameo.is_code(code):
        raise RowError("EventCode", f"not a CAMEO event code: {row['EventCode']!r}")
    kind = _cameo.event_type(code)
    place = _place(row)
    actors = [a for a in (_actor(row, "1"), _actor(row, "2")) if a is not None]
    participants = []
    for number, side, role in (("1", "a", "initiator"), ("2", "b", "target")):
        found = _actor(row, number)
        if found is not None:
            participants.append({"actor": found["id"], "role": role, "side": side})
    url = row.get("SOURCEURL", "")
    sources = [_source(url)] if url.strip() else []
    who = " - ".join(a["name"].strip() for a in actors) or "unidentified actors"
    where = place["name"].strip() if place else "place unknown"
    event: dict[str, Any] = {
        "id": f"gdelt-{ident}",
        "type": kind.value,
        "title": f"{_cameo.ROOTS[code[:2]][0]} ({code}): {who}, {where}",
        "when": {"start": day.isoformat()},
        "participants": participants,
        "status": "reported",
        "citations": [{"source": (sources[0] if sources else DATASET_SOURCE)["id"]}],
        "classifications": _classifications(row),
        "identifiers": {SCHEME: ident},
    }
    if place is not None:
        event["location"] = place
    event["citations"][0]["stance"] = "reports"
    names = {a["id"]: a for a in actors}
    derived = model_cells(event, lambda i: _actor_cells(names.get(i)), url)
    kept = {
        column: value
        for column, value in raw.items()
        if column not in MODEL_COLUMNS or derived[column] != value
    }
    event["extensions"] = {SCHEME: kept}
    return [*(("source", s) for s in sources), *(("actor", a) for a in actors), ("event", event)]


_CLASSIFIED = (
    ("EventCode", "cameo.event"),
    ("EventBaseCode", "cameo.base_event"),
    ("EventRootCode", "cameo.root_event"),
    ("QuadClass", "gdelt.quad_class"),
)


def _classifications(row: dict[str, str]) -> list[dict[str, str]]:
    return [
        {"scheme": scheme, "code": row[column].strip()}
        for column, scheme in _CLASSIFIED
        if row[column].strip() and row[column].strip() != NULL
    ]


def _actor_cells(actor: dict[str, Any] | None) -> tuple[str, str]:
    """An actor record's ``Code`` and ``Name`` cells."""
    if actor is None:
        return "", ""
    kept = actor.get("extensions", {}).get(SCHEME, {})
    if isinstance(kept.get("code"), str) and isinstance(kept.get("name"), str):
        return kept["code"], kept["name"]
    return actor.get("identifiers", {}).get("cameo", ""), actor["name"]


def model_cells(event: dict[str, Any], actor: Any, url: str) -> dict[str, str]:
    """The cells of :data:`MODEL_COLUMNS` as the model gives them.

    ``actor(id)`` gives an actor's code and name cells; ``url`` is the
    cited source's ``SOURCEURL``.
    """
    row: dict[str, str] = {}
    ident = event.get("identifiers", {}).get(SCHEME)
    row["GLOBALEVENTID"] = ident or ""
    start = str(event["when"]["start"])
    row["SQLDATE"] = start[:10].replace("-", "") if len(start) >= 10 else ""
    participants = event.get("participants", ())
    by_side = {p.get("side"): p["actor"] for p in participants}
    if "a" not in by_side and "b" not in by_side:
        # An event from elsewhere, whose actors have no sides: the first two, in order.
        by_side = dict(zip("ab", (p["actor"] for p in participants), strict=False))
    for number, side in (("1", "a"), ("2", "b")):
        code, name = actor(by_side[side]) if side in by_side else ("", "")
        row[f"Actor{number}Code"], row[f"Actor{number}Name"] = code, name
    codes = {c["scheme"]: c["code"] for c in event.get("classifications", ())}
    for column, scheme in _CLASSIFIED:
        row[column] = codes.get(scheme, "")
    place = event.get("location") or {}
    precision = place.get("precision")
    types = [k for k, v in GEO_TYPES.items() if v == precision]
    row["ActionGeo_Type"] = (types[-1] if types else "4") if place else ""
    row["ActionGeo_FullName"] = place.get("name", "")
    row["ActionGeo_ADM1Code"] = place.get("admin1", "")
    row["ActionGeo_ADM2Code"] = place.get("admin2", "")
    row["ActionGeo_Lat"] = cell(place.get("lat"))
    row["ActionGeo_Long"] = cell(place.get("lon"))
    row["SOURCEURL"] = url
    return row


def _header(cells: list[str]) -> tuple[str, ...]:
    """The columns a BigQuery export's header row names, checked."""
    names = tuple(_BY_NAME.get(c.strip().casefold(), "") for c in cells)
    unknown = [c for c, n in zip(cells, names, strict=True) if not n]
    if unknown:
        message = f"not GDELT event columns: {', '.join(unknown)}"
        raise InputError("input.header", message, location="row 1")
    repeated = sorted({n for n in names if names.count(n) > 1})
    if repeated:
        message = f"repeated GDELT columns: {', '.join(repeated)}"
        raise InputError("input.header", message, location="row 1")
    missing = [c for c in ("GLOBALEVENTID", "SQLDATE", "EventCode") if c not in names]
    missing += [c for c in COLUMNS_2 if c.startswith("ActionGeo_") and c not in names]
    missing = [c for c in missing if c != "ActionGeo_ADM2Code"]
    if missing:
        message = f"missing GDELT columns: {', '.join(missing)}"
        raise InputError("input.header", message, location="row 1")
    return names


def _rows(text: io.TextIOWrapper, first: str, delimiter: str) -> Iterator[list[str]]:
    """The rows of a file: tab-separated lines as GDELT writes them, or quoted CSV."""
    if delimiter == "\t":
        # GDELT's own files quote nothing: a cell may begin with a quote mark.
        for line in itertools.chain([first], text):
            yield line.rstrip("\r\n").split("\t")
        return
    reader = csv.reader(itertools.chain([first], text))
    while True:
        try:
            found = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise InputError("input.syntax", str(exc), location=f"row {reader.line_num}") from None
        yield found


def iter_items(stream: BinaryIO) -> Iterator[Entry]:
    """The header, the dataset as a source, then each row's new source and actors and its event.

    Rows that cannot be read are reported with their row and column once
    the others are read (as :class:`~conflictdata.formats.BadRecordsError`).
    """
    text = io.TextIOWrapper(stream, encoding="utf-8-sig", newline="")
    try:
        try:
            first = text.readline()
        except UnicodeDecodeError as exc:
            raise InputError("input.syntax", str(exc), location="row 1") from None
        if not first.strip():
            raise InputError("input.header", "the file is empty: no GDELT rows", location="row 1")
        delimiter = "\t" if "\t" in first else ","
        layout: dict[str, Any] = {
            "delimiter": delimiter,
            "line_end": "\r\n" if first.endswith("\r\n") else "\n",
        }
        if delimiter == "," and first.startswith('"'):
            layout["quoted"] = True
        try:
            yield from _read(_rows(text, first, delimiter), layout)
        except UnicodeDecodeError as exc:
            raise InputError("input.syntax", str(exc)) from None
    finally:
        text.detach()


def _read(rows: Iterator[list[str]], layout: dict[str, Any]) -> Iterator[Entry]:  # noqa: C901, PLR0912 - one loop over the rows
    problems: list[Problem] = []
    seen = IdIndex()
    columns: tuple[str, ...] | None = None
    started = False
    try:
        for number, cells in enumerate(rows, start=1):
            where = f"row {number}"
            if number == 1 and cells and cells[0].strip().casefold() == "globaleventid":
                columns = _header(cells)
                layout["header"] = cells
                continue
            if cells in ([""], []):
                continue  # a blank line
            if columns is None:
                columns = columns_for(len(cells))
                if columns is None:
                    message = f"{len(cells)} cells: GDELT rows have 57, 58 or 61"
                    problems.append(error((), "input.row", message, where))
                    continue
            if len(cells) != len(columns):
                message = f"{len(cells)} cells, the file's rows have {len(columns)}"
                problems.append(error((), "input.row", message, where))
                continue
            if not started:
                started = True
                layout["columns"] = len(columns)
                if NULL in cells:
                    layout["missing"] = NULL
                yield from _first(layout)
            raw = dict(zip(columns, cells, strict=True))
            # Plain ASCII text needs no Unicode checks (most rows are).
            plain = all(c.isascii() for c in cells)
            try:
                found = records(_full(raw), raw)
            except RowError as exc:
                location = f"{where}, column {exc.column}"
                problems.append(error((), "input.cell", f"{exc.column}: {exc.message}", location))
                continue
            for kind, record in found:
                if kind == "event" and seen.add(record["id"], kind) is not None:
                    message = f"GLOBALEVENTID {raw['GLOBALEVENTID']} is an earlier row's too"
                    location = f"{where}, column GLOBALEVENTID"
                    problems.append(error((), "id.duplicate", message, location))
                elif kind == "event" or seen.add(record["id"], kind) is None:
                    yield kind, record, where, plain
        if not started:
            layout["columns"] = len(columns) if columns else len(COLUMNS_2)
            yield from _first(layout)
    finally:
        seen.close()
    raise_errors(problems)


def _full(raw: dict[str, str]) -> dict[str, str]:
    """Every 2.0 column (empty where the layout has none), missing values as empty cells."""
    row = dict.fromkeys(COLUMNS_2, "")
    row.update((c, "" if v == NULL else v) for c, v in raw.items())
    return row


def _first(layout: dict[str, Any]) -> list[Any]:
    source = {**DATASET_SOURCE, "extensions": {SCHEME: {"layout": layout}}}
    header = {"schema_version": SCHEMA_VERSION, "metadata": {"title": "GDELT events (imported)"}}
    # The source holds the header row as written: plain only if it is.
    plain = plain_text(layout.get("header", ()))
    return [("dataset", header, "row 1", True), ("source", source, "row 1", plain)]


def read(stream: BinaryIO) -> Decoded:
    """Read a whole GDELT file; every unreadable row is reported, the others read."""
    return read_collecting(e for e in iter_items(stream) if not isinstance(e, Problem))
