"""Writing without leaving anything behind: atomic files and staging folders.

Staging files and folders are named ``.<target name>.conflictdata-<pid>-<random>``
with a kind suffix (``.tmp``, ``.staging``, ``.old``), so that a later write
to the same target recognises what a dead process of ours left and removes it.
Folders, which the kernel cannot make unnamed as it does files, are watched
by a reaper, a small child process that removes them if this one dies.
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
from types import TracebackType
from typing import IO, TYPE_CHECKING, BinaryIO

from ._errors import TargetExistsError

if TYPE_CHECKING:
    import subprocess

__all__ = [
    "ReapedTemporaryDirectory",
    "Reaper",
    "StagingDirectory",
    "Stopped",
    "atomic_writer",
    "remove_stale_staging",
    "stop",
]

PathArg = str | os.PathLike[str]


class Stopped(BaseException):
    """A signal asked the program to stop (raised where it was, so every clean-up runs)."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


#: The signal that asked the program to stop, once one has.
_stop_signal: list[int] = []


def stop(signum: int) -> None:
    """Stop on ``signum``: raise :class:`Stopped`, and publish nothing from now on.

    Python swallows an exception raised while a finaliser runs; the check
    before each file or folder is put in place stops the write even then.
    """
    _stop_signal.append(signum)
    raise Stopped(signum)


def _check_not_stopped() -> None:
    if _stop_signal:
        raise Stopped(_stop_signal[0])


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


# The reaper reads NUL-separated paths until end of input, which comes when
# its parent closes the pipe or dies however it dies (the kernel closes the
# pipe then), and removes those paths that are still there. It runs in a
# session of its own, so Ctrl-C at the terminal does not reach it, and it
# ignores SIGINT and SIGTERM: the parent's death ends it, nothing else.
_REAPER = """\
import os
try:
    import _signal as signal  # the C module: importing signal's enums takes longer
except ImportError:
    import signal
for name in ("SIGINT", "SIGTERM", "SIGHUP", "SIGQUIT", "SIGTSTP"):
    if hasattr(signal, name):
        signal.signal(getattr(signal, name), signal.SIG_IGN)
data = b""
while True:
    try:
        chunk = os.read(0, 65536)
    except InterruptedError:
        continue
    except OSError:
        break
    if not chunk:
        break
    data += chunk
for path in data.split(b"\\0"):
    if path and os.path.lexists(path):
        if os.path.isdir(path) and not os.path.islink(path):
            import shutil  # only now: most of the time nothing is left to remove
            shutil.rmtree(path, ignore_errors=True)
        else:
            try:
                os.unlink(path)
            except OSError:
                pass
"""


class Reaper:
    """A child process that removes the paths it watches if this process dies.

    :meth:`watch` hands it a path; :meth:`close` ends it, and it then removes
    those of its paths that still exist, so close only once they are renamed
    away or removed. Where no child can be started (no POSIX, no Python
    executable, a frozen application) it does nothing, and what a killed
    process leaves stays behind as it would without it.
    """

    def __init__(self) -> None:
        self._child: subprocess.Popen[bytes] | None = _start_reaper()

    def watch(self, path: PathArg) -> None:
        """Remove ``path`` (a folder or a file) if this process dies before :meth:`close`."""
        child = self._child
        if child is None or child.stdin is None:
            return
        try:
            child.stdin.write(os.fsencode(Path(path).absolute()) + b"\0")
            child.stdin.flush()
        except (OSError, ValueError):
            # The child is gone: carry on without it.
            self.close()

    def close(self) -> None:
        """End the child, which removes whatever it watches that is still there."""
        child, self._child = self._child, None
        if child is None:
            return
        with contextlib.suppress(OSError, ValueError):
            if child.stdin is not None:
                child.stdin.close()
        import subprocess  # noqa: PLC0415 - only directory writes start a reaper

        with contextlib.suppress(subprocess.TimeoutExpired):
            child.wait(timeout=30)


def _start_reaper() -> subprocess.Popen[bytes] | None:
    if os.name != "posix" or not sys.executable or getattr(sys, "frozen", False):
        return None
    import subprocess  # noqa: PLC0415 - only directory writes start a reaper

    try:
        # -I -S: no site, no environment and not the current directory on
        # the module path, so that no file there is imported in its place.
        return subprocess.Popen(  # noqa: S603 - our own interpreter and script
            [sys.executable, "-I", "-S", "-c", _REAPER],
            stdin=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            close_fds=True,
            start_new_session=True,
            cwd="/",
        )
    except (OSError, ValueError, subprocess.SubprocessError):
        return None


class ReapedTemporaryDirectory:
    """A :class:`tempfile.TemporaryDirectory` that is removed even if this process is killed.

    As a context manager it gives the folder's name; :meth:`cleanup`
    removes it.
    """

    def __init__(self, prefix: str) -> None:
        self._reaper = Reaper()
        try:
            self._folder = tempfile.TemporaryDirectory(prefix=prefix)
        except BaseException:
            self._reaper.close()
            raise
        self.name = self._folder.name
        self._reaper.watch(self.name)

    def cleanup(self) -> None:
        """Remove the folder and end its reaper."""
        try:
            self._folder.cleanup()
        finally:
            self._reaper.close()

    def __enter__(self) -> str:
        return self.name

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.cleanup()


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
        _check_not_stopped()
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
        _check_not_stopped()
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
    disk. If the process is killed, its :class:`Reaper` removes the folder;
    where there is none, the next write to the same target does.
    """

    def __init__(self, target: PathArg) -> None:
        self.target = Path(target)
        remove_stale_staging(self.target)
        self._reaper = Reaper()
        try:
            self.path = Path(
                tempfile.mkdtemp(
                    prefix=_staging_prefix(self.target), suffix=".staging", dir=self.target.parent
                )
            )
        except BaseException:
            self._reaper.close()
            raise
        self._reaper.watch(self.path)
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
        _check_not_stopped()
        target = self.target
        if not target.exists():
            self.path.replace(target)
            self._reaper.close()
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
        # Only now: until the new folder is in place the old one is all there is.
        self._reaper.watch(old)
        shutil.rmtree(old, ignore_errors=True)
        self._reaper.close()

    def discard(self) -> None:
        """Remove the folder and everything in it, without flushing open files."""
        while self._files:
            handle = self._files.pop()
            buffer = getattr(handle, "buffer", None)
            if buffer is not None:
                _discard(buffer)
            with contextlib.suppress(OSError, ValueError):
                handle.close()
        try:
            shutil.rmtree(self.path, ignore_errors=True)
        finally:
            self._reaper.close()
