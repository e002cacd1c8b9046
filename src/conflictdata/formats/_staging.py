"""Directory formats: write into a hidden folder beside the target, then swap it in."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from .._errors import TargetExistsError

__all__ = ["publish_directory", "staging_directory"]


def staging_directory(target: Path, *, overwrite: bool) -> Path:
    """A new hidden folder beside ``target``, after checking that it may be written."""
    if target.exists() and not overwrite:
        raise TargetExistsError(f"{target} exists; pass overwrite=True to replace it")
    return Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=target.parent))


def publish_directory(staging: Path, target: Path, *, overwrite: bool) -> None:
    """Put the finished folder ``staging`` at ``target``; it is never seen half-written."""
    if target.exists():
        if not overwrite:
            raise TargetExistsError(f"{target} exists; pass overwrite=True to replace it")
        if not target.is_dir():
            raise NotADirectoryError(f"{target} is not a directory")
        # Swap, then delete the old one: the target is never half-written.
        old = Path(tempfile.mkdtemp(prefix=f".{target.name}.old.", dir=target.parent))
        target.replace(old / "package")
        staging.replace(target)
        shutil.rmtree(old)
    else:
        staging.replace(target)
