"""The exception tree: one base, leaves that are also the builtin a caller expects."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ._report import Report

__all__ = ["ConflictDataError", "DataValidationError", "InputError", "UnknownFormatError"]


class ConflictDataError(Exception):
    """Base of every error conflictdata raises on purpose."""


class DataValidationError(ConflictDataError, ValueError):
    """Data is invalid; :attr:`report` says every place where and why."""

    def __init__(self, report: Report, source: str | None = None) -> None:
        self.report = report
        self.source = source
        errors = report.errors
        head = f"{source}: " if source else ""
        first = f"; first: {errors[0]}" if errors else ""
        super().__init__(f"{head}{len(errors)} error(s){first}")


class InputError(ConflictDataError, ValueError):
    """Input that a reader cannot read at all.

    Readers raise it; :func:`conflictdata.load` turns it into a
    :class:`DataValidationError` with one problem of this ``code``.
    """

    def __init__(
        self, code: str, message: str, *, path: str = "", location: str | None = None
    ) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.path = path
        self.location = location


class UnknownFormatError(ConflictDataError, ValueError):
    """No format of that name, or none matches the file name."""
