"""Writing without leaving anything behind: atomic files and staging folders.

Staging files and folders are named ``.<target name>.conflictdata-<pid>-<random>``
with a kind suffix (``.tmp``, ``.staging``, ``.old``), so that a later write
to the same target recognises what a dead process of ours left and removes it.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import secrets
import shutil
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, BinaryIO

from ._errors import TargetExistsError

__all__ = ["StagingDirectory", "atomic_writer", "remove_stale_staging"]

PathArg = str | os.PathLike[str]

_STAGING = re.compile(r"\.conflictdata-(\d+)-[a-z0-9_]+\.(?:tmp|staging|old)\Z")


def _staging_prefix(target: Path) -> str:
    return f".{target.name}.conflictdata-{os.getpid()}-"


def _umask() -> int:
    umask = os.umask(0)
    os.umask(umask)
    return umask


def _alive(pid: int) -> bool:
    # On Windows os.kill(pid, 0) would send CTRL_C_EVENT: never probe there,
    # and so never remove anything as stale.
    if pid == os.getpid() or sys.platform == "win32":
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        # It exists but belongs to someone else (EPERM): leave its files.
        return True
    return True


def remove_stale_staging(target: PathArg) -> list[Path]:
    """Remove what writers of ``target`` in processes that have died left beside it.

    Only names this library makes are touched, and only those whose process
    is gone. Returns what was removed.
    """
    target = Path(target)
    prefix = f".{target.name}"
    removed: list[Path] = []
    try:
        names = [entry.name for entry in target.parent.iterdir()]
    except OSError:
        return removed
    for name in names:
        if not name.startswith(prefix):
            continue
        found = _STAGING.match(name, len(prefix))
        if found is None or _alive(int(found.group(1))):
            continue
        stale = target.parent / name
        if stale.is_dir() and not stale.is_symlink():
            shutil.rmtree(stale, ignore_errors=True)
        else:
            with contextlib.suppress(OSError):
                stale.unlink()
        removed.append(stale)
    return removed


def _discard(stream: BinaryIO) -> None:
    """Close ``stream`` without writing what is still buffered.

    On a full disk flushing fails again; the error path must not.
    """
    raw = getattr(stream, "raw", None)
    with contextlib.suppress(OSError, ValueError):
        if raw is not None:
            raw.close()
    with contextlib.suppress(OSError, ValueError):
        stream.close()


def _anonymous_file(directory: Path) -> int | None:
    """An unnamed file in ``directory`` (Linux ``O_TMPFILE``), or None where refused.

    It vanishes with the process, whatever ends it, until it is linked in.
    """
    flag = getattr(os, "O_TMPFILE", None)
    if flag is None or not Path("/proc/self/fd").is_dir():
        return None
    try:
        return os.open(directory, flag | os.O_RDWR | getattr(os, "O_CLOEXEC", 0), 0o666)
    except OSError as exc:
        if exc.errno in (errno.EOPNOTSUPP, errno.EISDIR, errno.EINVAL, errno.ENOENT):
            return None
        raise


@contextmanager
def atomic_writer(path: PathArg, *, overwrite: bool = False) -> Iterator[BinaryIO]:
    """A binary stream whose content replaces ``path`` only if the block succeeds.

    On Linux the content goes to an unnamed file in the target's directory,
    linked into place at the end: a crash, even ``SIGKILL``, leaves nothing.
    Elsewhere it goes to a hidden file beside the target, removed on any
    error, and removed by the next write to the same target if the process
    was killed.
    """
    target = Path(path)
    if not overwrite and target.exists():
        raise TargetExistsError(f"{target} exists; pass overwrite=True to replace it")
    directory = target.parent
    remove_stale_staging(target)
    fd = _anonymous_file(directory)
    if fd is None:
        with _named_writer(target, overwrite=overwrite) as stream:
            yield stream
        return
    stream = os.fdopen(fd, "wb")
    try:
        yield stream
        stream.flush()
        os.fsync(fd)
        _link_into_place(fd, target, overwrite=overwrite)
    except BaseException:
        _discard(stream)
        raise
    stream.close()


def _link_into_place(fd: int, target: Path, *, overwrite: bool) -> None:
    try:
        _link(fd, target, overwrite=overwrite)
    except TargetExistsError:
        raise
    except OSError:
        # /proc or linkat refused (an unusual mount): copy into a named file instead.
        os.lseek(fd, 0, os.SEEK_SET)
        with _named_writer(target, overwrite=overwrite) as copy:
            while chunk := os.read(fd, 1 << 20):
                copy.write(chunk)


def _link(fd: int, target: Path, *, overwrite: bool) -> None:
    anonymous = f"/proc/self/fd/{fd}"
    # A directory fd makes os.link use linkat(AT_SYMLINK_FOLLOW), which links
    # the open file itself rather than the /proc symbolic link.
    directory = os.open(target.parent, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    try:
        if not overwrite:
            # linkat fails if the target appeared meanwhile: no race with another writer.
            try:
                os.link(anonymous, target.name, dst_dir_fd=directory)
            except FileExistsError:
                raise TargetExistsError(
                    f"{target} exists; pass overwrite=True to replace it"
                ) from None
            return
        # A name first, then a rename over the target: rename replaces atomically.
        name = f"{_staging_prefix(target)}{secrets.token_hex(4)}.tmp"
        os.link(anonymous, name, dst_dir_fd=directory)
        try:
            os.replace(name, target.name, src_dir_fd=directory, dst_dir_fd=directory)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(name, dir_fd=directory)
            raise
    finally:
        os.close(directory)


@contextmanager
def _named_writer(target: Path, *, overwrite: bool) -> Iterator[BinaryIO]:
    fd, name = tempfile.mkstemp(prefix=_staging_prefix(target), suffix=".tmp", dir=target.parent)
    temporary = Path(name)
    stream = os.fdopen(fd, "wb")
    try:
        yield stream
        stream.flush()
        os.fsync(fd)
        stream.close()
        # mkstemp makes the file private (0600); give it the usual mode.
        temporary.chmod(0o666 & ~_umask())
        if overwrite:
            temporary.replace(target)
        else:
            _publish_without_clobbering(temporary, target)
    except BaseException:
        _discard(stream)
        temporary.unlink(missing_ok=True)
        raise


def _publish_without_clobbering(temporary: Path, target: Path) -> None:
    # A hard link fails if the target appeared meanwhile: no race with
    # another writer. File systems without hard links fall back to a check.
    try:
        os.link(temporary, target)
    except FileExistsError:
        raise TargetExistsError(f"{target} exists; pass overwrite=True to replace it") from None
    except OSError:
        if target.exists():
            raise TargetExistsError(
                f"{target} exists; pass overwrite=True to replace it"
            ) from None
        temporary.replace(target)
        return
    temporary.unlink()


class StagingDirectory:
    """A hidden folder beside ``target`` where a directory format is written.

    :meth:`publish` renames it into place (with the usual permissions, not
    the private ones of a temporary folder); :meth:`discard` removes it,
    closing its files without flushing them, so that it works on a full
    disk. A folder left by a killed process is removed by the next write
    to the same target.
    """

    def __init__(self, target: PathArg) -> None:
        self.target = Path(target)
        remove_stale_staging(self.target)
        self.path = Path(
            tempfile.mkdtemp(
                prefix=_staging_prefix(self.target), suffix=".staging", dir=self.target.parent
            )
        )
        self._files: list[IO[str]] = []

    def open(self, name: str, *, encoding: str = "utf-8") -> IO[str]:
        """A text file ``name`` in the folder, closed by :meth:`close_files` or :meth:`discard`."""
        handle = (self.path / name).open("w", encoding=encoding, newline="")
        self._files.append(handle)
        return handle

    def close_files(self) -> None:
        """Close the files opened with :meth:`open`, writing what they hold."""
        while self._files:
            self._files.pop().close()

    def publish(self, *, overwrite: bool = False) -> None:
        """Move the folder into place; an existing target only with ``overwrite``."""
        self.close_files()
        self.path.chmod(0o777 & ~_umask())
        target = self.target
        if not target.exists():
            self.path.replace(target)
            return
        if not overwrite:
            raise TargetExistsError(f"{target} exists; pass overwrite=True to replace it")
        if not target.is_dir():
            raise NotADirectoryError(f"{target} is not a directory")
        # Swap, then delete the old one: the target is never half-written.
        old = Path(
            tempfile.mkdtemp(prefix=_staging_prefix(target), suffix=".old", dir=target.parent)
        )
        target.replace(old / "package")
        self.path.replace(target)
        shutil.rmtree(old, ignore_errors=True)

    def discard(self) -> None:
        """Remove the folder and everything in it, without flushing open files."""
        while self._files:
            handle = self._files.pop()
            buffer = getattr(handle, "buffer", None)
            if buffer is not None:
                _discard(buffer)
            with contextlib.suppress(OSError, ValueError):
                handle.close()
        shutil.rmtree(self.path, ignore_errors=True)
