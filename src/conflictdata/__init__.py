"""conflictdata: structured records of armed-conflict and political events.

>>> import conflictdata as cd
>>> ds = cd.examples.load("karabakh-2020")
>>> cd.validate(ds).ok
True
"""

# Not ``typing.TYPE_CHECKING``: importing typing would be most of what
# ``import conflictdata`` costs. Type checkers read any ``TYPE_CHECKING`` as true.
TYPE_CHECKING = False
if TYPE_CHECKING:
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
    from .frames import from_arrow, from_pandas, from_polars, to_arrow, to_pandas, to_polars
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

#: The package's version; ``tests/test_docs.py`` holds it to ``pyproject.toml``
#: (read from packaging metadata, it cost a fifth of the import time).
__version__ = "0.1.0"

#: The module each public name comes from, imported on its first use: building
#: the attrs classes and importing cattrs, orjson and the formats cost about a
#: hundred milliseconds, which ``import conflictdata`` need not pay. The imports
#: above say the same to type checkers; a test holds them equal.
_SOURCES = {
    "_changes": ("Changes", "ChangesError", "PatchConflictError"),
    "_convert": ("from_dict", "make_converter", "to_dict"),
    "_dates": ("PartialDate",),
    "_diff": ("diff", "patch"),
    "_errors": (
        "ConflictDataError",
        "DataValidationError",
        "FieldValueError",
        "InputError",
        "MissingDependencyError",
        "OptionError",
        "TargetExistsError",
        "UnknownFormatError",
    ),
    "_io": ("ReadResult", "dump", "dumps", "load", "loads", "read", "validate_file"),
    "_migrations": ("MigrationError", "migrate"),
    "_report": ("CODES", "Problem", "Report", "Severity"),
    "_stream": ("DatasetWriter", "RecordStream", "convert", "iter_records", "open_writer"),
    "_update": ("update", "update_changes"),
    "_validate": ("validate",),
    "_vocab": (
        "ActorKind",
        "EventType",
        "PlacePrecision",
        "RelationType",
        "Role",
        "Side",
        "SourceKind",
        "Stance",
        "Status",
    ),
    # frames imports pandas, polars or pyarrow only when a function is called.
    "frames": ("from_arrow", "from_pandas", "from_polars", "to_arrow", "to_pandas", "to_polars"),
    "model": (
        "SCHEMA_VERSION",
        "Actor",
        "Affiliation",
        "Archive",
        "Citation",
        "Classification",
        "Dataset",
        "Event",
        "EventRelation",
        "Fatalities",
        "Metadata",
        "Participant",
        "Place",
        "RecordKind",
        "Source",
        "Tombstone",
        "When",
    ),
}
_LAZY = {name: module for module, names in _SOURCES.items() for name in names}
#: Subpackages and modules that are public names themselves.
_SUBMODULES = frozenset(("examples", "formats", "schemas"))


def __getattr__(name: str) -> object:
    # Only called for names not yet in the module's namespace.
    if name in _LAZY or name in _SUBMODULES:
        from importlib import import_module  # noqa: PLC0415 - only for the lazy names

        if name in _SUBMODULES:
            value = import_module(f".{name}", __name__)
        else:
            value = getattr(import_module(f".{_LAZY[name]}", __name__), name)
        # Kept, so that later uses are plain attribute lookups.
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    # The lazy names are not in globals() until used: list them all the same.
    return sorted({*globals(), *__all__})


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
