"""The exception tree: one base, leaves that are also the builtin a caller expects."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ._report import Path, Problem, Report

__all__ = [
    "ConflictDataError",
    "DataValidationError",
    "FieldValueError",
    "InputError",
    "MissingDependencyError",
    "OptionError",
    "TargetExistsError",
    "UnknownFormatError",
]


class ConflictDataError(Exception):
    """Base of every error conflictdata raises on purpose."""


class DataValidationError(ConflictDataError, ValueError):
    """Data is invalid; :attr:`report` says every place where and why.

    To keep the records that are valid, read with :func:`conflictdata.read`,
    which never raises for bad records.
    """

    def __init__(self, report: Report, source: str | None = None) -> None:
        self.report = report
        self.source = source
        errors = report.errors
        head = f"{source}: " if source else ""
        first = f"; first: {report.best_match()}" if errors else ""
        # Only a file has records to keep: say how.
        hint = " (conflictdata.read() keeps the valid records)" if source else ""
        super().__init__(f"{head}{len(errors)} error(s){first}{hint}")


class InputError(ConflictDataError, ValueError):
    """Input that a reader cannot read at all.

    Readers raise it; the pipeline turns it into one problem of this ``code``
    (see :meth:`as_problem`), so :func:`conflictdata.load` raises
    :class:`DataValidationError` and :func:`conflictdata.validate_file`
    reports it.
    """

    def __init__(
        self, code: str, message: str, *, path: Path = (), location: str | None = None
    ) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.path = path
        self.location = location

    def as_problem(self) -> Problem:
        """The error-severity problem that stands for this input."""
        from ._report import error  # noqa: PLC0415 - _report imports nothing of ours

        return error(self.path, self.code, self.message, self.location)


class FieldValueError(ConflictDataError, ValueError):
    """A field of a record holds a value the model does not allow.

    Attributes:
        field: The attribute name.
        value: The offending value.
        reason: Why it is refused.
        key: For mapping fields, the offending key (``None`` otherwise).
        index: For sequence fields, the offending index (``None`` otherwise).
    """

    def __init__(
        self,
        field: str,
        value: object,
        reason: str,
        *,
        key: str | None = None,
        index: int | None = None,
    ) -> None:
        where = field
        if key is not None:
            where += f"[{key!r}]"
        if index is not None:
            where += f"[{index}]"
        super().__init__(f"{where}: {reason} (got {value!r})")
        self.field = field
        self.value = value
        self.key = key
        self.index = index
        self.reason = reason


class UnknownFormatError(ConflictDataError, ValueError):
    """No format of that name, or none matches the file; the message lists the candidates."""


class TargetExistsError(ConflictDataError, FileExistsError):
    """The target exists (or is the input) and may not be replaced."""


class OptionError(ConflictDataError, TypeError):
    """A writer option the format does not take; the message names those it takes."""


class MissingDependencyError(ConflictDataError, ImportError):
    """An optional dependency is not installed; the message names the extra to install."""


# Tracebacks name the errors where users import them from.
for _error in list(globals().values()):
    if isinstance(_error, type) and issubclass(_error, ConflictDataError):
        _error.__module__ = "conflictdata"
