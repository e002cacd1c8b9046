"""Parquet: a directory of Parquet tables that DuckDB, Polars, pandas and Spark read as it is.

``NAME.parquet/`` holds ``sources/``, ``actors/`` and ``deleted/`` (one
file each) and ``events/``, partitioned Hive-style by the year its
``when.start`` begins (``events/year=2020/part-0.parquet``). The Arrow
schema of each table is derived from the JSON Schema of its record (see
:mod:`._schema` and ``conflictdata schema --arrow``): nested fields are
``struct`` and ``list<struct>`` columns, identifiers and names are maps,
extension data is JSON text. Every file's metadata holds the dataset's
header (``conflictdata.dataset``) and its schema version
(``conflictdata.schema_version``); events have a ``position`` column that
keeps their order across years. Nothing is lost.

Writing buffers :data:`ROW_GROUP_SIZE` records per file, then writes a row
group; reading goes batch by batch. Both need ``pyarrow``
(``pip install 'conflictdata[parquet]'``), imported on first use.
"""

from pathlib import Path

from .._base import ALL_KINDS, Format, lazy

__all__ = ["BATCH_SIZE", "FORMAT", "ROW_GROUP_SIZE"]

# The modules read these from the package each time they are needed, so a
# caller may change them.

#: Records buffered per file before they are written as one row group.
ROW_GROUP_SIZE = 10_000
#: Rows read from a file at a time.
BATCH_SIZE = 2_048


def _claims(path: Path) -> bool:
    return path.is_dir() and (path / "sources").is_dir() and (path / "events").is_dir()


FORMAT = Format(
    name="parquet",
    suffixes=(".parquet",),
    description="Parquet dataset: a directory of tables, events partitioned by year; streams.",
    lossless=True,
    directory=True,
    reader=lazy(f"{__name__}._reader", "iter_path"),
    writer=lazy(f"{__name__}._writer", "DatasetWriter"),
    options=("row_group_size",),
    claims_path=_claims,
    kinds=ALL_KINDS,
)
