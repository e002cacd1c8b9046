"""ACLED's columns and code tables, and the crosswalk to PLOVER."""

from __future__ import annotations

from typing import Any

#: The columns of an ACLED export, in order.
COLUMNS = (
    "event_id_cnty", "event_date", "year", "time_precision", "disorder_type",
    "event_type", "sub_event_type", "actor1", "assoc_actor_1", "inter1", "actor2",
    "assoc_actor_2", "inter2", "interaction", "civilian_targeting", "iso", "region",
    "country", "admin1", "admin2", "admin3", "location", "latitude", "longitude",
    "geo_precision", "source", "source_scale", "notes", "fatalities", "tags", "timestamp",
)  # fmt: skip
#: Columns of older exports (removed in 2023), written after the others when kept.
LEGACY_COLUMNS = ("data_id", "event_id_no_cnty", "iso3")
#: The columns a file must have to be read; any others may be absent, and
#: columns the format does not know are kept.
REQUIRED_COLUMNS = ("event_id_cnty", "event_date", "event_type", "actor1")
#: Older names of columns, as the 2016 API wrote them.
RENAMED = {"ally_actor_1": "assoc_actor_1", "ally_actor_2": "assoc_actor_2"}
#: R's spelling of a missing value (``write.csv``), read as an empty cell.
MISSING = "NA"

#: The extension scheme of ACLED fields.
SCHEME = "acled"

# The columns kept verbatim in the extension: those the model does not
# hold, and the raw text of those it holds in part (codes, names, lists).
_KEPT = (
    "event_date", "year", "time_precision", "disorder_type", "event_type", "actor1",
    "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2", "interaction",
    "civilian_targeting", "iso", "region", "country", "admin3", "geo_precision", "source",
    "source_scale", "fatalities", "tags", "timestamp",
)  # fmt: skip

#: Event types read without a sub-event type: those of exports before 2019
#: (and of files without the ``sub_event_type`` column) -> the current
#: event type and sub-event type a current-layout file gets, the PLOVER type
#: and mode. The type as written stays the event's ``acled.event_type``.
TYPES_ALONE: dict[str, tuple[str, str, str, str | None]] = {
    "Battle-No change of territory": ("Battles", "Armed clash", "ASSAULT", None),
    "Battle-Government regains territory":
        ("Battles", "Government regains territory", "ASSAULT", None),
    "Battle-Non-state actor overtakes territory":
        ("Battles", "Non-state actor overtakes territory", "ASSAULT", None),
    "Riots/Protests": ("Protests", "Peaceful protest", "PROTEST", None),
    "Remote violence":
        ("Explosions/Remote violence", "Shelling/artillery/missile attack", "ASSAULT", None),
    "Violence against civilians": ("Violence against civilians", "Attack", "ASSAULT", None),
    "Strategic development": ("Strategic developments", "Other", "COERCE", None),
    "Non-violent transfer of territory":
        ("Strategic developments", "Non-violent transfer of territory", "RETREAT", None),
    "Headquarters or base established":
        ("Strategic developments", "Headquarters or base established", "MOBILIZE", None),
    "Battles": ("Battles", "Armed clash", "ASSAULT", None),
    "Explosions/Remote violence":
        ("Explosions/Remote violence", "Shelling/artillery/missile attack", "ASSAULT", None),
    "Protests": ("Protests", "Peaceful protest", "PROTEST", None),
    "Riots": ("Riots", "Violent demonstration", "PROTEST", "riot"),
    "Strategic developments": ("Strategic developments", "Other", "COERCE", None),
}  # fmt: skip
#: "Riots/Protests" by rioters (``inter1`` 5): a riot.
_RIOTERS = ("Riots", "Violent demonstration", "PROTEST", "riot")
_ALONE = {name.casefold(): name for name in TYPES_ALONE}

#: ``inter`` codes: number, ACLED's label, and the actor kind they map to.
INTER: dict[str, tuple[str, str]] = {
    "1": ("State forces", "military"),
    "2": ("Rebel group", "armed_group"),
    "3": ("Political militia", "armed_group"),
    "4": ("Identity militia", "armed_group"),
    "5": ("Rioters", "protesters"),
    "6": ("Protesters", "protesters"),
    "7": ("Civilians", "civilians"),
    "8": ("External/Other forces", "other"),
}
_INTER_BY_LABEL = {label.casefold(): code for code, (label, _) in INTER.items()}
_INTER_BY_LABEL.update({"rebel groups": "2", "political militias": "3", "identity militias": "4"})
_KIND_CODE = {"military": "1", "armed_group": "2", "protesters": "6", "civilians": "7"}

#: (event_type, sub_event_type) -> (PLOVER type, mode or None).
CROSSWALK: dict[tuple[str, str], tuple[str, str | None]] = {
    ("Battles", "Armed clash"): ("ASSAULT", "firearms"),
    ("Battles", "Government regains territory"): ("ASSAULT", None),
    ("Battles", "Non-state actor overtakes territory"): ("ASSAULT", None),
    ("Explosions/Remote violence", "Chemical weapon"): ("ASSAULT", "unconventional"),
    ("Explosions/Remote violence", "Air/drone strike"): ("ASSAULT", "aerial"),
    ("Explosions/Remote violence", "Suicide bomb"): ("ASSAULT", "suicide-attack"),
    ("Explosions/Remote violence", "Shelling/artillery/missile attack"):
        ("ASSAULT", "heavy-weapons"),
    ("Explosions/Remote violence", "Remote explosive/landmine/IED"): ("ASSAULT", "explosives"),
    ("Explosions/Remote violence", "Grenade"): ("ASSAULT", "explosives"),
    ("Violence against civilians", "Sexual violence"): ("ASSAULT", "sexual"),
    ("Violence against civilians", "Attack"): ("ASSAULT", "targeted"),
    ("Violence against civilians", "Abduction/forced disappearance"): ("ASSAULT", "abduct"),
    ("Protests", "Peaceful protest"): ("PROTEST", "demo"),
    ("Protests", "Protest with intervention"): ("PROTEST", "demo"),
    ("Protests", "Excessive force against protesters"): ("ASSAULT", "crowd-control"),
    ("Riots", "Violent demonstration"): ("PROTEST", "riot"),
    ("Riots", "Mob violence"): ("ASSAULT", "beat"),
    ("Strategic developments", "Agreement"): ("AGREE", None),
    ("Strategic developments", "Arrests"): ("COERCE", "arrest"),
    ("Strategic developments", "Change to group/activity"): ("MOBILIZE", None),
    ("Strategic developments", "Disrupted weapons use"): ("COERCE", "seize"),
    ("Strategic developments", "Headquarters or base established"): ("MOBILIZE", "troops"),
    ("Strategic developments", "Looting/property destruction"): ("ASSAULT", "destroy"),
    ("Strategic developments", "Non-violent transfer of territory"): ("RETREAT", None),
    ("Strategic developments", "Other"): ("COERCE", None),
}  # fmt: skip
_SUB_TYPES = {(event.casefold(), sub.casefold()): (event, sub) for event, sub in CROSSWALK}
#: PLOVER type -> (event_type, sub_event_type) for events that did not come from ACLED.
_DEFAULT_ACLED = {
    "ASSAULT": ("Battles", "Armed clash"),
    "PROTEST": ("Protests", "Peaceful protest"),
    "AGREE": ("Strategic developments", "Agreement"),
    "RETREAT": ("Strategic developments", "Non-violent transfer of territory"),
    "MOBILIZE": ("Strategic developments", "Headquarters or base established"),
    "COERCE": ("Strategic developments", "Arrests"),
}
_BY_MODE: dict[tuple[str, str | None], tuple[str, str]] = {
    (plover, mode): key for key, (plover, mode) in CROSSWALK.items() if mode is not None
}
_DISORDER = {
    "Battles": "Political violence",
    "Explosions/Remote violence": "Political violence",
    "Violence against civilians": "Political violence",
    "Protests": "Demonstrations",
    "Riots": "Demonstrations",
    "Strategic developments": "Strategic developments",
}
#: ``geo_precision`` codes -> place precision.
GEO_PRECISION = {"1": "exact", "2": "near", "3": "region"}
_GEO_CODE = {
    "exact": "1",
    "near": "2",
    "admin2": "3",
    "admin1": "3",
    "region": "3",
    "country": "3",
}


#: The source cited by events whose row names no source; an imported file's
#: layout is kept in its ``acled`` extension.
_DATASET_SOURCE: dict[str, Any] = {
    "id": "acled",
    "kind": "dataset",
    "title": "Armed Conflict Location & Event Data (ACLED)",
    "publisher": "ACLED",
    "url": "https://acleddata.com/",
}

#: Values of the writer's ``layout`` option.

#: Columns the model holds whose cells are kept too where the model's value
#: would not write them back as they were (spaces, R's NA, ``11`` for 11.0).
_AS_WRITTEN = ("location", "admin1", "admin2", "latitude", "longitude", "notes")
