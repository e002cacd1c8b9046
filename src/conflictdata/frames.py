"""Datasets as pandas or polars DataFrames and Arrow tables, and back.

The tables are those of the CSV data package (one row per record, per list
item, per map member; joinable by id) plus a one-row ``metadata`` table, so
``from_pandas(to_pandas(ds, "all")) == ds``. The events table also has view
columns for analysis: ``start``/``end`` days, ``date_precision``, the actors
of each side and the codes of well-known schemes. See ``docs/analysis.md``.

pandas, polars and pyarrow are imported on first use, each behind an extra
(``conflictdata[pandas]``, ``conflictdata[polars]``, ``conflictdata[parquet]``).
Records are read as plain data, chunk by chunk, without building records.
"""

from __future__ import annotations

import functools
import importlib
import os
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from types import ModuleType
from typing import TYPE_CHECKING, Any, Literal, overload

from ._convert import to_dict
from ._errors import DataValidationError, MissingDependencyError
from ._frame_layout import FRAME_TABLES, FrameTable, RowBuilder, frame_table
from ._frame_read import Columns, read_frames
from ._io import collect
from ._stream import RecordStream
from .model import Dataset, Metadata, RecordKind

if TYPE_CHECKING:
    import pandas as pd
    import polars as pl
    import pyarrow as pa

__all__ = [
    "TABLES",
    "from_arrow",
    "from_pandas",
    "from_polars",
    "to_arrow",
    "to_pandas",
    "to_polars",
]

#: The names of the tables, in the order ``table="all"`` gives them.
TABLES: tuple[str, ...] = tuple(FRAME_TABLES)

#: Rows of one table collected before they become a batch (an Arrow record
#: batch, a DataFrame): the lists in between stay small.
CHUNK_ROWS = 65_536

Data = Dataset | RecordStream | str | os.PathLike[str]
Plain = dict[str, Any]


def _require(module: str, extra: str, user: str) -> ModuleType:
    """Import an optional dependency, or say which extra brings it."""
    try:
        return importlib.import_module(module)
    except ImportError:
        raise MissingDependencyError(
            f"{user}() needs {module}, which is not installed: pip install 'conflictdata[{extra}]'"
        ) from None


# --- Where the records come from ---------------------------------------------


def _dataset_records(dataset: Dataset) -> Iterator[tuple[str, Plain]]:
    for kind in RecordKind:
        for record in getattr(dataset, kind.member):
            yield kind.value, to_dict(record)


@contextmanager
def _plain_records(
    data: Data,
    format: str | None,  # noqa: A002 - as in load()
) -> Iterator[tuple[Plain, Iterator[tuple[str, Plain]]]]:
    """The metadata and the plain records of a dataset, a stream or a file."""
    if isinstance(data, Dataset):
        yield to_dict(data.metadata), _dataset_records(data)
    elif isinstance(data, RecordStream):
        with data:
            yield to_dict(data.metadata), ((k.value, d) for k, d in data.plain())
    elif isinstance(data, (str, os.PathLike)):
        with RecordStream(data, format=format) as stream:
            yield to_dict(stream.metadata), ((k.value, d) for k, d in stream.plain())
    else:
        raise TypeError(
            f"expected a Dataset, a path or a record stream, not {type(data).__name__}"
        )


def _names(table: str) -> list[str]:
    if table == "all":
        return list(FRAME_TABLES)
    frame_table(table)  # an unknown name is refused before anything is read
    return [table]


def _build(
    data: Data,
    table: str,
    batch: Callable[[FrameTable, dict[str, list[Any]]], Any],
    concat: Callable[[FrameTable, list[Any]], Any],
    format: str | None,  # noqa: A002 - as in load()
) -> Any:
    """One pass over the records, filling every wanted table a chunk at a time."""
    names = _names(table)
    builders = [RowBuilder(FRAME_TABLES[name]) for name in names]
    kinds = ("dataset", *(kind.value for kind in RecordKind))
    takers = {kind: [b for b in builders if b.takes(kind)] for kind in kinds}
    batches: dict[str, list[Any]] = {name: [] for name in names}
    with _plain_records(data, format) as (metadata, records):
        for builder in takers["dataset"]:
            builder.add(metadata)
        for kind, record in records:
            for builder in takers[kind]:
                builder.add(record)
                if builder.rows >= CHUNK_ROWS:
                    batches[builder.frame.name].append(batch(builder.frame, builder.take()))
    for builder in builders:
        if builder.rows or not batches[builder.frame.name]:
            batches[builder.frame.name].append(batch(builder.frame, builder.take()))
    frames = {name: concat(FRAME_TABLES[name], batches[name]) for name in names}
    return frames if table == "all" else frames[table]


def _each(
    tables: Any, kinds: tuple[type, ...], what: str, columns: Callable[[Any], Columns]
) -> dict[str, Columns]:
    """The tables of a ``from_*`` call, each checked to be of the library's type."""
    if not isinstance(tables, Mapping):
        raise TypeError(f"expected a dict of table names to {what}s, not {type(tables).__name__}")
    found: dict[str, Columns] = {}
    for name, table in tables.items():
        if not isinstance(table, kinds):
            raise TypeError(f"table {str(name)[:40]!r} is a {type(table).__name__}, not a {what}")
        found[name] = columns(table)
    return found


def _dataset(
    tables: Mapping[str, Columns], metadata: Metadata | Mapping[str, Any] | None
) -> Dataset:
    """Validate the tables through the pipeline; the dataset, or every located problem."""
    own = to_dict(metadata) if isinstance(metadata, Metadata) else metadata
    decoded = read_frames(tables, None if own is None else dict(own))
    report, dataset = collect(decoded.entries())
    if dataset is None:
        raise DataValidationError(report)
    return dataset


# --- Arrow -----------------------------------------------------------------------


def _arrow_schema(pa: ModuleType, frame: FrameTable) -> pa.Schema:
    types = {
        "string": pa.string(),
        "json": pa.string(),
        "integer": pa.int64(),
        "number": pa.float64(),
        "boolean": pa.bool_(),
        "date": pa.date32(),
    }
    return pa.schema(
        [pa.field(c.name, types[c.type], nullable=not c.required) for c in frame.columns]
    )


@overload
def to_arrow(
    data: Data,
    table: Literal["all"],
    *,
    format: str | None = None,
) -> dict[str, pa.Table]: ...
@overload
def to_arrow(data: Data, table: str = "events", *, format: str | None = None) -> pa.Table: ...
def to_arrow(data: Data, table: str = "events", *, format: str | None = None) -> Any:  # noqa: A002
    """One table of ``data`` as a :class:`pyarrow.Table`, or ``table="all"`` for a dict of all.

    ``data`` is a :class:`Dataset`, a path to any readable format (read and
    validated record by record) or a stream from :func:`conflictdata.iter_records`.
    The table is built from Arrow record batches of plain records.

    Raises:
        DataValidationError: the file is not valid.
        MissingDependencyError: pyarrow is not installed (``conflictdata[parquet]``).
    """
    pa = _require("pyarrow", "parquet", "to_arrow")
    schemas = {name: _arrow_schema(pa, FRAME_TABLES[name]) for name in _names(table)}
    return _build(
        data,
        table,
        lambda frame, columns: pa.RecordBatch.from_pydict(columns, schema=schemas[frame.name]),
        lambda frame, batches: pa.Table.from_batches(batches, schema=schemas[frame.name]),
        format,
    )


def _arrow_columns(table: Any) -> Columns:
    return Columns(table.column_names, table.num_rows, lambda name: table.column(name).to_pylist())


def from_arrow(
    tables: Mapping[str, pa.Table | pa.RecordBatch],
    *,
    metadata: Metadata | Mapping[str, Any] | None = None,
) -> Dataset:
    """The dataset of Arrow tables named as :func:`to_arrow` names them, validated.

    Tables left out are empty; ``metadata`` replaces the ``metadata`` table.
    View columns of the events table are ignored. Every problem is located
    as ``events row 3 column when_start`` (rows count from 0).

    Raises:
        DataValidationError: the tables do not make a valid dataset.
        MissingDependencyError: pyarrow is not installed (``conflictdata[parquet]``).
    """
    pa = _require("pyarrow", "parquet", "from_arrow")
    kinds = (pa.Table, pa.RecordBatch)
    return _dataset(_each(tables, kinds, "pyarrow Table", _arrow_columns), metadata)


# --- pandas ----------------------------------------------------------------------

_PANDAS_TYPES = {
    "string": "string",
    "json": "string",
    "integer": "Int64",
    "number": "Float64",
    "boolean": "boolean",
    "date": "datetime64[ms]",
}


@overload
def to_pandas(  # type: ignore[overload-overlap]
    data: Data,
    table: Literal["all"],
    *,
    format: str | None = None,
) -> dict[str, pd.DataFrame]: ...
@overload
def to_pandas(data: Data, table: str = "events", *, format: str | None = None) -> pd.DataFrame: ...
def to_pandas(data: Data, table: str = "events", *, format: str | None = None) -> Any:  # noqa: A002
    """One table of ``data`` as a :class:`pandas.DataFrame`, or ``table="all"`` for a dict.

    Columns have pandas' nullable dtypes: ``string``, ``Int64``,
    ``Float64``, ``boolean``; the ``start`` and ``end`` days are
    ``datetime64[ms]``. ``data`` is as for :func:`to_arrow`.

    >>> import conflictdata as cd
    >>> events = cd.to_pandas(cd.examples.load("karabakh-2020"))
    >>> len(events), str(events["fatalities_best"].dtype)
    (19, 'Int64')

    Raises:
        DataValidationError: the file is not valid.
        MissingDependencyError: pandas is not installed (``conflictdata[pandas]``).
    """
    pd = _require("pandas", "pandas", "to_pandas")

    def batch(frame: FrameTable, columns: dict[str, list[Any]]) -> Any:
        return pd.DataFrame(
            {
                c.name: pd.Series(columns[c.name], dtype=_PANDAS_TYPES[c.type])
                for c in frame.columns
            }
        )

    def concat(_frame: FrameTable, batches: list[Any]) -> Any:
        return batches[0] if len(batches) == 1 else pd.concat(batches, ignore_index=True)

    return _build(data, table, batch, concat, format)


def _pandas_columns(pd: ModuleType, frame: Any) -> Columns:
    return Columns(
        list(frame.columns),
        len(frame),
        lambda name: frame[name].tolist(),
        missing=(pd.NA, pd.NaT),
    )


def from_pandas(
    tables: Mapping[str, pd.DataFrame],
    *,
    metadata: Metadata | Mapping[str, Any] | None = None,
) -> Dataset:
    """The dataset of DataFrames named as :func:`to_pandas` names them, validated.

    Rows of list tables may be in any order: ``position`` says where each
    item goes. Missing values (``NA``, ``NaN``, ``None``, empty text) are
    absent fields. Otherwise as :func:`from_arrow`.

    >>> import conflictdata as cd
    >>> ds = cd.examples.load("karabakh-2020")
    >>> tables = cd.to_pandas(ds, "all")
    >>> cd.from_pandas(tables) == ds
    True

    Raises:
        DataValidationError: the tables do not make a valid dataset.
        MissingDependencyError: pandas is not installed (``conflictdata[pandas]``).
    """
    pd = _require("pandas", "pandas", "from_pandas")
    columns = functools.partial(_pandas_columns, pd)
    return _dataset(_each(tables, (pd.DataFrame,), "pandas DataFrame", columns), metadata)


# --- polars ----------------------------------------------------------------------


def _polars_schema(pl: ModuleType, frame: FrameTable) -> dict[str, Any]:
    types = {
        "string": pl.String,
        "json": pl.String,
        "integer": pl.Int64,
        "number": pl.Float64,
        "boolean": pl.Boolean,
        "date": pl.Date,
    }
    return {c.name: types[c.type] for c in frame.columns}


@overload
def to_polars(  # type: ignore[overload-overlap]
    data: Data,
    table: Literal["all"],
    *,
    format: str | None = None,
) -> dict[str, pl.DataFrame]: ...
@overload
def to_polars(data: Data, table: str = "events", *, format: str | None = None) -> pl.DataFrame: ...
def to_polars(data: Data, table: str = "events", *, format: str | None = None) -> Any:  # noqa: A002
    """One table of ``data`` as a :class:`polars.DataFrame`, or ``table="all"`` for a dict.

    ``data`` is as for :func:`to_arrow`.

    Raises:
        DataValidationError: the file is not valid.
        MissingDependencyError: polars is not installed (``conflictdata[polars]``).
    """
    pl = _require("polars", "polars", "to_polars")
    schemas = {name: _polars_schema(pl, FRAME_TABLES[name]) for name in _names(table)}
    return _build(
        data,
        table,
        lambda frame, columns: pl.DataFrame(columns, schema=schemas[frame.name]),
        lambda _frame, batches: pl.concat(batches, how="vertical"),
        format,
    )


def _polars_columns(frame: Any) -> Columns:
    return Columns(frame.columns, frame.height, lambda name: frame.get_column(name).to_list())


def from_polars(
    tables: Mapping[str, pl.DataFrame],
    *,
    metadata: Metadata | Mapping[str, Any] | None = None,
) -> Dataset:
    """The dataset of polars DataFrames named as :func:`to_polars` names them, validated.

    As :func:`from_arrow`.

    Raises:
        DataValidationError: the tables do not make a valid dataset.
        MissingDependencyError: polars is not installed (``conflictdata[polars]``).
    """
    pl = _require("polars", "polars", "from_polars")
    return _dataset(_each(tables, (pl.DataFrame,), "polars DataFrame", _polars_columns), metadata)
