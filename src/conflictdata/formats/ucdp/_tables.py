"""GED columns, the codes of its cells, and the dataset as a source."""

from __future__ import annotations

from typing import Any

from .. import _gwno

#: The GED CSV columns, in order.
COLUMNS = (
    "id", "relid", "year", "active_year", "code_status", "type_of_violence",
    "conflict_dset_id", "conflict_new_id", "conflict_name", "dyad_dset_id",
    "dyad_new_id", "dyad_name", "side_a_dset_id", "side_a_new_id", "side_a",
    "side_b_dset_id", "side_b_new_id", "side_b", "number_of_sources",
    "source_article", "source_office", "source_date", "source_headline",
    "source_original", "where_prec", "where_coordinates", "where_description",
    "adm_1", "adm_2", "latitude", "longitude", "geom_wkt", "priogrid_gid",
    "country", "country_id", "region", "event_clarity", "date_prec",
    "date_start", "date_end", "deaths_a", "deaths_b", "deaths_civilians",
    "deaths_unknown", "best", "high", "low", "gwnoa", "gwnob",
)  # fmt: skip

#: The columns a file must have to be read (GED 19.1 lacks ``relid``,
#: ``code_status``, the ``*_dset_id`` columns and ``where_description``).
REQUIRED_COLUMNS = (
    "id", "type_of_violence", "side_a_new_id", "side_a", "side_b_new_id", "side_b",
    "date_start", "date_end",
)  # fmt: skip
#: Columns of the UCDP/PRIO Armed Conflict Dataset, which is not GED: it has
#: a row per conflict and year, not per event.
_ACD_COLUMNS = ("conflict_id", "incompatibility", "intensity_level", "type_of_conflict")

#: Gleditsch-Ward number of each ISO country, for rows written from other data.
_GWNO = {alpha2: number for number, alpha2 in sorted(_gwno.ALPHA2.items(), reverse=True)}

#: The extension scheme of GED fields.
SCHEME = "ucdp"

#: The columns the model does not hold, kept in the event's ``ucdp``
#: extension. The two precision codes and the source lists are kept too:
#: the model's precisions are coarser than GED's codes, and a source list
#: item may lack the date or headline that a source record needs.
EXTENSION_COLUMNS = (
    "year", "active_year", "code_status", "conflict_dset_id", "conflict_new_id",
    "conflict_name", "dyad_dset_id", "dyad_new_id", "dyad_name", "side_a_dset_id",
    "side_b_dset_id", "number_of_sources", "source_article", "source_office",
    "source_date", "source_headline", "source_original", "where_prec",
    "where_description", "geom_wkt", "priogrid_gid", "country", "country_id",
    "region", "event_clarity", "date_prec", "deaths_a", "deaths_b",
    "deaths_civilians", "deaths_unknown", "gwnoa", "gwnob",
)  # fmt: skip

#: The source record every imported event cites first: the GED itself.
DATASET_SOURCE: dict[str, Any] = {
    "id": "ucdp-ged",
    "kind": "dataset",
    "title": "UCDP Georeferenced Event Dataset (GED)",
    "publisher": "Uppsala Conflict Data Program",
    "url": "https://ucdp.uu.se/downloads/",
}

#: ``type_of_violence`` codes and their names.
VIOLENCE = {"1": "state-based conflict", "2": "non-state conflict", "3": "one-sided violence"}
#: ``where_prec`` codes -> place precision, and back (the first code of each).
WHERE_PRECISION = {
    "1": "exact",
    "2": "near",
    "3": "admin2",
    "4": "admin1",
    "5": "region",
    "6": "country",
    "7": "region",
}
_PRECISION_CODE = {"exact": "1", "near": "2", "admin2": "3", "admin1": "4", "region": "5"}
_PRECISION_CODE["country"] = "6"


#: Values of the writer's ``layout`` option.
