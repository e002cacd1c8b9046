"""``load`` and ``dump``: any format, validated on the way in, written atomically."""

from __future__ import annotations

import functools
import io
import os
import tempfile
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any, BinaryIO

import attrs

from . import formats
from ._convert import to_dict
from ._errors import DataValidationError, InputError, UnknownFormatError
from ._report import Problem, Report, Severity, error
from ._validate import validate_plain
from .formats import Decoded, Format
from .formats._base import header_of, write_document
from .model import Dataset

__all__ = ["atomic_writer", "dump", "dumps", "load", "loads", "validate_file"]

PathArg = str | os.PathLike[str]


def _format(name: str | None, path: PathArg | None) -> Format:
    if name is not None:
        return formats.get(name)
    if path is None:
        raise ValueError("say which format: there is no file name to tell it from")
    return formats.for_path(path)


def _examine(read: Callable[[], Decoded]) -> tuple[Report, Dataset | None]:
    """Every problem of what ``read`` gives, located in the file; the dataset if valid."""
    try:
        decoded = read()
    except InputError as exc:
        return Report.of([input_problem(exc)]), None
    # Warnings from reading (a skipped record) join the report; errors end it.
    if any(p.severity is Severity.ERROR for p in decoded.problems):
        return Report.of(decoded.problems), None
    report, dataset = validate_plain(decoded.data, "dataset")
    located = Report.of(
        [
            *decoded.problems,
            *(attrs.evolve(p, location=p.location or decoded.locate(p.path)) for p in report),
        ]
    )
    return located, dataset if report.ok and isinstance(dataset, Dataset) else None


def _decode(read: Callable[[], Decoded], source: str) -> Dataset:
    report, dataset = _examine(read)
    if dataset is None:
        raise DataValidationError(report, source)
    return dataset


def _reader(fmt: Format, path: PathArg) -> Callable[[], Decoded]:
    if fmt.read_path is not None:
        return functools.partial(fmt.read_path, Path(path))
    read = fmt.read
    if read is None:
        raise UnknownFormatError(f"conflictdata cannot read the {fmt.name} format")

    def from_file() -> Decoded:
        with Path(path).open("rb") as stream:
            return read(stream)

    return from_file


def validate_file(path: PathArg, *, format: str | None = None) -> Report:  # noqa: A002
    """Read and validate the file ``path``: every problem, located in the file.

    Unlike :func:`load`, this returns the warnings of a valid file too, and
    never raises for bad data: unreadable input is a problem in the report.

    Raises:
        UnknownFormatError: the format cannot be told or is unknown.
        OSError: the file cannot be read.
    """
    return _examine(_reader(_format(format, path), path))[0]


def input_problem(exc: InputError) -> Problem:
    """The problem that stands for input a reader could not read."""
    return error(exc.path, exc.code, exc.message, exc.location)


def load(path: PathArg, *, format: str | None = None) -> Dataset:  # noqa: A002 - the natural name
    """Read, validate and return the dataset in ``path``.

    Args:
        path: The file to read.
        format: A format name (see :func:`conflictdata.formats.names`);
            by default the file name's ending decides.

    Raises:
        DataValidationError: the file is not well-formed or not valid; its
            ``report`` lists every problem with where it is.
        UnknownFormatError: the format cannot be told or is unknown.
        OSError: the file cannot be read.
    """
    return _decode(_reader(_format(format, path), path), os.fspath(path))


def loads(data: str | bytes, *, format: str = "json") -> Dataset:  # noqa: A002
    """Read, validate and return a dataset from text or bytes."""
    raw = data.encode("utf-8", "surrogatepass") if isinstance(data, str) else data
    fmt = formats.get(format)
    if fmt.read is None:
        raise UnknownFormatError(f"the {fmt.name} format cannot be read from a string")
    return _decode(functools.partial(fmt.read, io.BytesIO(raw)), "<string>")


def dumps(dataset: Dataset, *, format: str = "json") -> str:  # noqa: A002
    """The dataset as text in ``format``."""
    fmt = formats.get(format)
    if fmt.write is None:
        raise UnknownFormatError(f"conflictdata cannot write the {fmt.name} format")
    buffer = io.BytesIO()
    fmt.write(to_dict(dataset), buffer)
    return buffer.getvalue().decode("utf-8")


def dump(
    dataset: Dataset,
    path: PathArg,
    *,
    format: str | None = None,  # noqa: A002
    overwrite: bool = False,
    options: Mapping[str, Any] | None = None,
) -> Report:
    """Write ``dataset`` to ``path`` atomically.

    The file appears complete or not at all: it is written to a temporary
    file beside ``path`` and moved into place. An existing file, including
    the one the dataset was loaded from, is only replaced with
    ``overwrite=True``.

    ``options`` go to the format's writer: the CSV package takes
    ``bom=True`` (for Excel) and ``escape_formulas=False``.

    Returns:
        Warnings about what the format could not hold (for example events
        without coordinates in GeoJSON); empty for lossless formats.

    Raises:
        FileExistsError: ``path`` exists and ``overwrite`` is false.
    """
    fmt = _format(format, path)
    check_options(fmt, options)
    data = to_dict(dataset)
    if fmt.write_path is not None:
        writer = fmt.write_path(
            Path(path), header_of(data), overwrite=overwrite, **(options or {})
        )
        return Report.of(write_document(writer, data))
    if fmt.write is None:
        raise UnknownFormatError(f"conflictdata cannot write the {fmt.name} format")
    with atomic_writer(path, overwrite=overwrite) as stream:
        return Report.of(fmt.write(data, stream, **(options or {})))


def check_options(fmt: Format, options: Mapping[str, Any] | None) -> None:
    """Refuse options the format does not take, naming those it does."""
    unknown = sorted(set(options or ()) - set(fmt.options))
    if unknown:
        takes = ", ".join(fmt.options) or "none"
        raise TypeError(
            f"the {fmt.name} format takes no option {', '.join(unknown)} (it takes: {takes})"
        )


@contextmanager
def atomic_writer(path: PathArg, *, overwrite: bool = False) -> Iterator[BinaryIO]:
    """A binary stream whose content replaces ``path`` only if the block succeeds."""
    target = Path(path)
    if not overwrite and target.exists():
        raise FileExistsError(f"{target} exists; pass overwrite=True to replace it")
    directory = target.parent
    fd, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=directory)
    try:
        with os.fdopen(fd, "wb") as stream:
            yield stream
            stream.flush()
            os.fsync(stream.fileno())
        # mkstemp makes the file private (0600); give it the usual mode.
        umask = os.umask(0)
        os.umask(umask)
        Path(temporary).chmod(0o666 & ~umask)
        if overwrite:
            Path(temporary).replace(target)
        else:
            _publish_without_clobbering(Path(temporary), target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _publish_without_clobbering(temporary: Path, target: Path) -> None:
    # A hard link fails if the target appeared meanwhile: no race with
    # another writer. File systems without hard links fall back to a check.
    try:
        os.link(temporary, target)
    except FileExistsError:
        raise FileExistsError(f"{target} exists; pass overwrite=True to replace it") from None
    except OSError:
        if target.exists():
            raise FileExistsError(f"{target} exists; pass overwrite=True to replace it") from None
        temporary.replace(target)
        return
    temporary.unlink()
