"""Example datasets shipped with conflictdata.

>>> from conflictdata import examples
>>> examples.names()
('karabakh-2020',)
>>> len(examples.load("karabakh-2020").events)
19
"""

from __future__ import annotations

import importlib.resources
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    # importlib.resources.abc is 3.11+; importlib.abc has it on 3.10.
    from importlib.abc import Traversable

    from ..model import Dataset

__all__ = ["load", "names", "path"]

_SUFFIX = ".json"


def names() -> tuple[str, ...]:
    """Names of the bundled example datasets."""
    return tuple(
        sorted(
            entry.name.removesuffix(_SUFFIX)
            for entry in importlib.resources.files(__package__).iterdir()
            if entry.name.endswith(_SUFFIX)
        )
    )


def path(name: str) -> Traversable:
    """The packaged JSON file of the example ``name``."""
    if name not in names():
        raise KeyError(f"no example called {name!r}; there are: {', '.join(names())}")
    return importlib.resources.files(__package__) / f"{name}{_SUFFIX}"


def load(name: str) -> Dataset:
    """Load, validate and return the example dataset ``name``."""
    # Imported here: ``_io`` brings the model, the pipeline and every format,
    # which listing or locating the examples does not need.
    from .._io import loads  # noqa: PLC0415

    return loads(path(name).read_bytes())
