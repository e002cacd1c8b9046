"""GDELT event file layouts: the columns of 2.0, of 1.0, and what the model makes of them.

The column lists follow the GDELT 2.0 Event Codebook and the GDELT 1.0
Event Codebook (Leetaru and Schrodt): 2.0 files have 61 columns; 1.0 files
57, or 58 once ``SOURCEURL`` was added (April 2013). 1.0 has no
``ADM2Code`` in its three geographies. BigQuery exports of either use the
same names, as a header row or none.
"""

from __future__ import annotations

from typing import Any

__all__ = [
    "ACTOR_FIELDS",
    "COLUMNS_1",
    "COLUMNS_1_URL",
    "COLUMNS_2",
    "DATASET_SOURCE",
    "GEO_TYPES",
    "MODEL_COLUMNS",
    "SCHEME",
    "columns_for",
]

SCHEME = "gdelt"

#: The attributes each actor has, after ``Actor1``/``Actor2``.
ACTOR_FIELDS = (
    "Code",
    "Name",
    "CountryCode",
    "KnownGroupCode",
    "EthnicCode",
    "Religion1Code",
    "Religion2Code",
    "Type1Code",
    "Type2Code",
    "Type3Code",
)

_EVENT = (
    "IsRootEvent",
    "EventCode",
    "EventBaseCode",
    "EventRootCode",
    "QuadClass",
    "GoldsteinScale",
    "NumMentions",
    "NumSources",
    "NumArticles",
    "AvgTone",
)


def _geo(prefix: str, *, adm2: bool) -> tuple[str, ...]:
    fields = ("Type", "FullName", "CountryCode", "ADM1Code", *(("ADM2Code",) if adm2 else ()))
    return tuple(f"{prefix}_{f}" for f in (*fields, "Lat", "Long", "FeatureID"))


def _columns(*, adm2: bool, url: bool) -> tuple[str, ...]:
    return (
        "GLOBALEVENTID",
        "SQLDATE",
        "MonthYear",
        "Year",
        "FractionDate",
        *(f"Actor1{f}" for f in ACTOR_FIELDS),
        *(f"Actor2{f}" for f in ACTOR_FIELDS),
        *_EVENT,
        *_geo("Actor1Geo", adm2=adm2),
        *_geo("Actor2Geo", adm2=adm2),
        *_geo("ActionGeo", adm2=adm2),
        "DATEADDED",
        *(("SOURCEURL",) if url else ()),
    )


#: GDELT 2.0 (61 columns).
COLUMNS_2 = _columns(adm2=True, url=True)
#: GDELT 1.0 before April 2013 (57 columns).
COLUMNS_1 = _columns(adm2=False, url=False)
#: GDELT 1.0 with ``SOURCEURL`` (58 columns).
COLUMNS_1_URL = _columns(adm2=False, url=True)

_BY_COUNT = {len(c): c for c in (COLUMNS_2, COLUMNS_1, COLUMNS_1_URL)}


def columns_for(count: int) -> tuple[str, ...] | None:
    """The layout of a row of ``count`` cells, or None if GDELT has none that long."""
    return _BY_COUNT.get(count)


#: The columns the model holds (the others are kept in the ``gdelt`` extension).
MODEL_COLUMNS = frozenset(
    {
        "GLOBALEVENTID",
        "SQLDATE",
        "Actor1Code",
        "Actor1Name",
        "Actor2Code",
        "Actor2Name",
        "EventCode",
        "EventBaseCode",
        "EventRootCode",
        "QuadClass",
        "ActionGeo_Type",
        "ActionGeo_FullName",
        "ActionGeo_ADM1Code",
        "ActionGeo_ADM2Code",
        "ActionGeo_Lat",
        "ActionGeo_Long",
        "SOURCEURL",
    }
)

#: ``*Geo_Type`` codes -> place precision. GDELT places a city at its
#: centroid: the town itself, as ACLED's precision 1 says.
GEO_TYPES = {
    "1": "country",  # COUNTRY
    "2": "admin1",  # USSTATE
    "3": "exact",  # USCITY
    "4": "exact",  # WORLDCITY
    "5": "admin1",  # WORLDSTATE
}

#: Precision -> the ``*Geo_Type`` written for a place from elsewhere.
GEO_CODE = {
    "country": "1",
    "admin1": "5",
    "region": "5",
    "admin2": "4",
    "near": "4",
    "exact": "4",
}

#: CAMEO actor type codes (``Type1Code``) -> actor kind; others are "other".
ACTOR_KINDS = {
    "GOV": "government",
    "COP": "government",
    "JUD": "government",
    "LEG": "government",
    "ELI": "government",
    "MIL": "military",
    "SPY": "military",
    "REB": "armed_group",
    "INS": "armed_group",
    "SEP": "armed_group",
    "UAF": "armed_group",
    "PTY": "political_party",
    "OPP": "political_party",
    "IGO": "international_organization",
    "NGO": "organization",
    "NGM": "organization",
    "BUS": "organization",
    "MNC": "organization",
    "EDU": "organization",
    "MED": "media",
    "CVL": "civilians",
    "REF": "civilians",
    "LAB": "civilians",
    "HLH": "organization",
    "CRM": "other",
}

#: The source record every event from GDELT without a ``SOURCEURL`` cites.
DATASET_SOURCE: dict[str, Any] = {
    "id": "gdelt-dataset",
    "kind": "dataset",
    "title": "GDELT Event Database",
    "publisher": "The GDELT Project",
    "url": "https://www.gdeltproject.org/",
}
