"""Hypothesis strategies for every conflictdata record.

Extend these with every new field: the round-trip and schema-agreement
properties are only as strong as what is generated here.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from typing import Any

from hypothesis import strategies as st

import conflictdata as cd

_CONTROLS = "".join(chr(c) for c in range(32) if chr(c) not in "\t\n\r")
# Text of the region's scripts and the characters that break naive writers.
_ALPHABET = st.one_of(
    # Tab, LF and CR are the only control characters text may hold.
    st.characters(
        codec="utf-8", exclude_categories=("Cs", "Co", "Cn"), exclude_characters=_CONTROLS
    ),
    st.sampled_from("ƏəİıŞşÇçĞğÖöÜü"),  # Azerbaijani Latin
    st.sampled_from("Աբգդեզէըթժիլխծկհձղճմյնշոչպջռսվտրցւփքօֆ"),  # Armenian
    st.sampled_from("АБВГДежзийклмнопрстуфхцчшщъыьэюя"),  # Cyrillic
    st.sampled_from("\"'<>&\n\r\t,;=+-@\u2028\u2029\u00a0"),  # quoting, CSV, XML
)


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


texts = st.text(_ALPHABET, min_size=1, max_size=40).map(_nfc).filter(bool)
ids = st.from_regex(r"\A[A-Za-z_][A-Za-z0-9_.-]{0,24}\Z")
schemes = st.from_regex(r"\A[a-z][a-z0-9_.-]{0,12}\Z")
tokens = st.from_regex(r"\A[a-z0-9][a-z0-9_-]{0,12}\Z")
countries = st.sampled_from(["AZ", "AM", "GE", "RU", "TR", "RS", "US", "XK"])
languages = st.sampled_from(["en", "az", "hy", "ru", "ka", "az-Latn", "sr-Cyrl", "en-GB"])
urls = st.builds(
    "https://{}/{}".format,
    st.sampled_from(["eurasianet.org", "example.org", "xn--80ak6aa92e.com"]),
    st.from_regex(r"\A[a-z0-9_~-]{0,20}\Z"),
) | st.sampled_from(["urn:isbn:0451450523", "https://example.org/a?b=c#d", "mailto:a@b.org"])
counts = st.integers(min_value=0, max_value=10**6)


@st.composite
def partial_dates(draw: st.DrawFn, after: cd.PartialDate | None = None) -> cd.PartialDate:
    """A partial date of any precision, not earlier than ``after`` when given."""
    low = after.latest() if after else dt.date(1900, 1, 1)
    day = draw(st.dates(min_value=low, max_value=dt.date(2100, 12, 31)))
    precision = draw(st.sampled_from(["year", "month", "day"]))
    if precision == "year":
        return cd.PartialDate(day.year)
    if precision == "month":
        return cd.PartialDate(day.year, day.month)
    return cd.PartialDate.from_date(day)


@st.composite
def whens(draw: st.DrawFn) -> cd.When:
    start = draw(partial_dates())
    end = draw(st.none() | partial_dates(after=start))
    return cd.When(start=start, end=end, uncertain=draw(st.booleans()))


def _optional(strategy: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.none() | strategy


@st.composite
def places(draw: st.DrawFn) -> cd.Place:
    coordinates = draw(
        _optional(
            st.tuples(
                st.floats(-90, 90, allow_nan=False) | st.integers(-90, 90).map(float),
                st.floats(-180, 180, allow_nan=False),
            )
        )
    )
    lat, lon = coordinates or (None, None)
    return cd.Place(
        name=draw(texts),
        country=draw(_optional(countries)),
        admin1=draw(_optional(texts)),
        admin2=draw(_optional(texts)),
        lat=lat,
        lon=lon,
        precision=draw(_optional(st.sampled_from(cd.PlacePrecision))),
        geonames_id=draw(_optional(st.integers(1, 10**8))),
    )


@st.composite
def fatalities(draw: st.DrawFn) -> cd.Fatalities:
    best, low, high = draw(st.tuples(_optional(counts), _optional(counts), _optional(counts)))
    if best is None and low is None and high is None:
        best = draw(counts)
    return cd.Fatalities(best=best, low=low, high=high)


json_scalars = st.none() | st.booleans() | st.integers(-(2**53 - 1), 2**53 - 1) | texts
json_values = st.recursive(
    json_scalars,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(texts, inner, max_size=3),
    max_leaves=8,
)
identifiers = st.dictionaries(schemes, texts, max_size=3)
extensions = st.dictionaries(schemes, st.dictionaries(texts, json_values, max_size=3), max_size=2)


date_times = st.builds(
    lambda moment, zone: moment.strftime("%Y-%m-%dT%H:%M:%S") + zone,
    # Naive moments: the zone is written out separately, as text.
    st.datetimes(
        min_value=dt.datetime(1990, 1, 1),  # noqa: DTZ001
        max_value=dt.datetime(2100, 1, 1),  # noqa: DTZ001
    ),
    st.sampled_from(["Z", "+04:00", "-05:30", "+00:00"]),
)
archives = st.builds(
    cd.Archive,
    url=urls,
    captured=date_times,
    sha256=st.from_regex(r"\A[0-9a-f]{64}\Z"),
    tool=_optional(texts),
)


def sources(source_id: st.SearchStrategy[str] = ids) -> st.SearchStrategy[cd.Source]:
    return st.builds(
        cd.Source,
        id=source_id,
        kind=st.sampled_from(cd.SourceKind),
        title=texts,
        authors=st.lists(texts, max_size=3).map(tuple),
        publisher=_optional(texts),
        published=_optional(partial_dates()),
        url=_optional(urls),
        language=_optional(languages),
        accessed=_optional(partial_dates()),
        notes=_optional(texts),
        archives=st.lists(archives, max_size=2).map(tuple),
        identifiers=identifiers,
        extensions=extensions,
    )


def tombstones(tombstone_id: st.SearchStrategy[str] = ids) -> st.SearchStrategy[cd.Tombstone]:
    return st.builds(
        cd.Tombstone,
        id=tombstone_id,
        deleted=partial_dates().map(str) | date_times,
        identifiers=identifiers,
        reason=_optional(texts),
    )


def affiliations(actor_ids: st.SearchStrategy[str]) -> st.SearchStrategy[cd.Affiliation]:
    @st.composite
    def affiliation(draw: st.DrawFn) -> cd.Affiliation:
        start = draw(_optional(partial_dates()))
        end = draw(_optional(partial_dates(after=start)))
        return cd.Affiliation(
            actor=draw(actor_ids), role=draw(_optional(texts)), start=start, end=end
        )

    return affiliation()


def actors(
    actor_id: st.SearchStrategy[str] = ids, others: st.SearchStrategy[str] = ids
) -> st.SearchStrategy[cd.Actor]:
    return st.builds(
        cd.Actor,
        id=actor_id,
        kind=st.sampled_from(cd.ActorKind),
        name=texts,
        names=st.dictionaries(languages, texts, max_size=3),
        aliases=st.lists(texts, max_size=3).map(tuple),
        country=_optional(countries),
        affiliations=st.lists(affiliations(others), max_size=2).map(tuple),
        identifiers=identifiers,
        description=_optional(texts),
        extensions=extensions,
    )


def events(
    event_id: st.SearchStrategy[str] = ids,
    actor_ids: st.SearchStrategy[str] = ids,
    source_ids: st.SearchStrategy[str] = ids,
    event_ids: st.SearchStrategy[str] = ids,
) -> st.SearchStrategy[cd.Event]:
    citations = st.builds(
        cd.Citation,
        source=source_ids,
        quote=_optional(texts),
        locator=_optional(texts),
        attributed_to=_optional(actor_ids),
        stance=_optional(st.sampled_from(cd.Stance)),
        fatalities=_optional(fatalities()),
    )
    return st.builds(
        cd.Event,
        id=event_id,
        type=st.sampled_from(cd.EventType),
        mode=_optional(tokens),
        contexts=st.lists(tokens, max_size=3, unique=True).map(tuple),
        title=texts,
        description=_optional(texts),
        when=whens(),
        location=_optional(places()),
        participants=st.lists(
            st.builds(
                cd.Participant,
                actor=actor_ids,
                role=st.sampled_from(cd.Role),
                side=_optional(st.sampled_from(cd.Side)),
            ),
            max_size=3,
        ).map(tuple),
        fatalities=_optional(fatalities()),
        status=st.sampled_from(cd.Status),
        citations=st.lists(citations, min_size=1, max_size=3).map(tuple),
        related=st.lists(
            st.builds(
                cd.EventRelation, event=event_ids, relation=st.sampled_from(cd.RelationType)
            ),
            max_size=2,
        ).map(tuple),
        classifications=st.lists(
            st.builds(cd.Classification, scheme=schemes, code=texts, label=_optional(texts)),
            max_size=2,
        ).map(tuple),
        identifiers=identifiers,
        tags=st.lists(texts, max_size=3, unique=True).map(tuple),
        notes=_optional(texts),
        extensions=extensions,
    )


metadata = st.builds(
    cd.Metadata,
    title=texts,
    description=_optional(texts),
    license=_optional(st.sampled_from(["CC-BY-4.0", "CC0-1.0", "https://example.org/licence"])),
    creators=st.lists(texts, max_size=2).map(tuple),
    created=_optional(partial_dates()),
    version=_optional(texts),
)


@st.composite
def datasets(draw: st.DrawFn, max_events: int = 6) -> cd.Dataset:
    """A dataset whose ids are unique and whose references all resolve."""
    all_ids = draw(st.lists(ids, min_size=3, max_size=5 + 2 * max_events, unique=True))
    n_sources = draw(st.integers(1, max(1, len(all_ids) // 3)))
    n_actors = draw(st.integers(0, len(all_ids) - n_sources - 1))
    source_ids = all_ids[:n_sources]
    actor_ids = all_ids[n_sources : n_sources + n_actors]
    rest = all_ids[n_sources + n_actors :]
    n_deleted = draw(st.integers(0, min(2, len(rest) - 1)))
    deleted_ids, event_ids = rest[:n_deleted], rest[n_deleted:][:max_events]
    actor_ref = st.sampled_from(actor_ids) if actor_ids else st.nothing()
    source_list = [draw(sources(st.just(i))) for i in source_ids]
    actor_list = [draw(actors(st.just(i), actor_ref)) for i in actor_ids]

    def other_events(own: str) -> st.SearchStrategy[str]:
        others = [e for e in event_ids if e != own]
        return st.sampled_from(others) if others else st.nothing()

    event_list = [
        draw(
            events(
                st.just(i),
                actor_ref,
                st.sampled_from(source_ids),
                other_events(i),
            )
        )
        for i in event_ids
    ]
    return cd.Dataset(
        metadata=draw(metadata),
        sources=source_list,
        actors=actor_list,
        events=event_list,
        deleted=[draw(tombstones(st.just(i))) for i in deleted_ids],
    )


#: Any record that can stand alone in a file, for per-record properties.
records = st.one_of(sources(), actors(), events(), tombstones())


# GDELT event rows: every column's cell as GDELT (or a BigQuery export) writes it.
_GDELT_TEXT = st.text(
    st.one_of(st.sampled_from("ABCXYZ abc,'\"-.()/"), st.sampled_from("ƏəАБВ")), max_size=12
)


@st.composite
def gdelt_rows(draw: st.DrawFn) -> dict[str, str]:
    """A GDELT 2.0 row, cell by column name."""
    from conflictdata.formats.gdelt import COLUMNS_2  # noqa: PLC0415 - a format's tables

    row = {c: draw(_GDELT_TEXT) for c in COLUMNS_2}
    row["GLOBALEVENTID"] = str(draw(st.integers(1, 10**10)))
    day = draw(st.dates(dt.date(1979, 1, 1), dt.date(2030, 12, 31)))
    row["SQLDATE"] = day.strftime("%Y%m%d")
    root = draw(st.integers(1, 20))
    code = f"{root:02d}" + draw(st.from_regex(r"\A[0-9]{0,2}\Z"))
    row.update(EventCode=code, EventBaseCode=code[:3], EventRootCode=code[:2])
    row["QuadClass"] = draw(st.sampled_from(["1", "2", "3", "4", ""]))
    for number in ("1", "2"):
        if draw(st.booleans()):
            row[f"Actor{number}Code"] = row[f"Actor{number}Name"] = ""
    kind = draw(st.sampled_from(["0", "1", "2", "3", "4", "5"]))
    row["ActionGeo_Type"] = kind
    geo = [c for c in COLUMNS_2 if c.startswith("ActionGeo_") and c != "ActionGeo_Type"]
    if kind == "0":
        row.update(dict.fromkeys(geo, ""))
    else:
        for column, limit in (("ActionGeo_Lat", 90), ("ActionGeo_Long", 180)):
            value = draw(st.floats(-limit, limit, allow_nan=False))
            style = draw(st.sampled_from(["{:.4f}", "{!r}", "{:.0f}"]))
            row[column] = style.format(value)
    row["SOURCEURL"] = draw(
        st.sampled_from(["", "BBC Monitoring", "https://example.org/a b", "https://example.org/x"])
    )
    return row
