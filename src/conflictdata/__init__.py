"""conflictdata: structured records of armed-conflict and political events.

>>> import conflictdata as cd
>>> ds = cd.examples.load("karabakh-2020")
>>> cd.validate(ds).ok
True
"""

from typing import TYPE_CHECKING, Any

from . import examples, formats, schemas
from ._changes import Changes, ChangesError, PatchConflictError
from ._convert import from_dict, make_converter, to_dict
from ._dates import PartialDate
from ._diff import diff, patch
from ._errors import (
    ConflictDataError,
    DataValidationError,
    FieldValueError,
    InputError,
    MissingDependencyError,
    OptionError,
    TargetExistsError,
    UnknownFormatError,
)
from ._io import ReadResult, dump, dumps, load, loads, read, validate_file
from ._migrations import MigrationError, migrate
from ._report import CODES, Problem, Report, Severity
from ._stream import DatasetWriter, RecordStream, convert, iter_records, open_writer
from ._update import update, update_changes
from ._validate import validate
from ._vocab import (
    ActorKind,
    EventType,
    PlacePrecision,
    RelationType,
    Role,
    Side,
    SourceKind,
    Stance,
    Status,
)
from .model import (
    SCHEMA_VERSION,
    Actor,
    Affiliation,
    Archive,
    Citation,
    Classification,
    Dataset,
    Event,
    EventRelation,
    Fatalities,
    Metadata,
    Participant,
    Place,
    RecordKind,
    Source,
    Tombstone,
    When,
)

if TYPE_CHECKING:
    from .frames import from_arrow, from_pandas, from_polars, to_arrow, to_pandas, to_polars

#: The package's version; ``tests/test_docs.py`` holds it to ``pyproject.toml``
#: (read from packaging metadata, it cost a fifth of the import time).
__version__ = "0.1.0"

#: Functions of modules that import optional dependencies: loaded on first use.
_LAZY = dict.fromkeys(
    ("from_arrow", "from_pandas", "from_polars", "to_arrow", "to_pandas", "to_polars"), "frames"
)


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        from importlib import import_module  # noqa: PLC0415 - only for the lazy names

        return getattr(import_module(f".{_LAZY[name]}", __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "CODES",
    "SCHEMA_VERSION",
    "Actor",
    "ActorKind",
    "Affiliation",
    "Archive",
    "Changes",
    "ChangesError",
    "Citation",
    "Classification",
    "ConflictDataError",
    "DataValidationError",
    "Dataset",
    "DatasetWriter",
    "Event",
    "EventRelation",
    "EventType",
    "Fatalities",
    "FieldValueError",
    "InputError",
    "Metadata",
    "MigrationError",
    "MissingDependencyError",
    "OptionError",
    "PartialDate",
    "Participant",
    "PatchConflictError",
    "Place",
    "PlacePrecision",
    "Problem",
    "ReadResult",
    "RecordKind",
    "RecordStream",
    "RelationType",
    "Report",
    "Role",
    "Severity",
    "Side",
    "Source",
    "SourceKind",
    "Stance",
    "Status",
    "TargetExistsError",
    "Tombstone",
    "UnknownFormatError",
    "When",
    "__version__",
    "convert",
    "diff",
    "dump",
    "dumps",
    "examples",
    "formats",
    "from_arrow",
    "from_dict",
    "from_pandas",
    "from_polars",
    "iter_records",
    "load",
    "loads",
    "make_converter",
    "migrate",
    "open_writer",
    "patch",
    "read",
    "schemas",
    "to_arrow",
    "to_dict",
    "to_pandas",
    "to_polars",
    "update",
    "update_changes",
    "validate",
    "validate_file",
]
