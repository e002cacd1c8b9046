"""Writes leave nothing behind: on errors, full disks, signals and kills."""

from __future__ import annotations

import contextlib
import errno
import json
import os
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

import conflictdata as cd
from conflictdata import _staging
from conflictdata._staging import StagingDirectory, atomic_writer, remove_stale_staging

LINUX = sys.platform.startswith("linux")


def _dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def _refuse_tmpfile(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make O_TMPFILE fail as a file system without it does."""
    real_open = os.open

    def fake_open(path: object, flags: int, *args: object, **kwargs: object) -> int:
        if flags & getattr(os, "O_TMPFILE", 0) == getattr(os, "O_TMPFILE", -1):
            raise OSError(errno.EOPNOTSUPP, "Operation not supported")
        return real_open(path, flags, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "open", fake_open)


@pytest.mark.skipif(not LINUX, reason="O_TMPFILE is Linux's")
def test_the_file_being_written_has_no_name(tmp_path: Path) -> None:
    target = tmp_path / "out.json"
    with atomic_writer(target) as stream:
        stream.write(b"{}")
        assert list(tmp_path.iterdir()) == []
    assert target.read_bytes() == b"{}"
    assert target.stat().st_mode & 0o777 == 0o666 & ~_umask()


@pytest.mark.skipif(not LINUX, reason="O_TMPFILE is Linux's")
def test_overwriting_through_a_name_leaves_only_the_target(tmp_path: Path) -> None:
    target = tmp_path / "out.json"
    target.write_bytes(b"old")
    with atomic_writer(target, overwrite=True) as stream:
        stream.write(b"new")
    assert target.read_bytes() == b"new"
    assert [p.name for p in tmp_path.iterdir()] == ["out.json"]


@pytest.mark.skipif(not LINUX, reason="O_TMPFILE is Linux's")
def test_a_target_that_appears_meanwhile_is_not_replaced(tmp_path: Path) -> None:
    target = tmp_path / "out.json"

    def race() -> None:
        with atomic_writer(target) as stream:
            stream.write(b"mine")
            target.write_bytes(b"theirs")

    with pytest.raises(cd.TargetExistsError):
        race()
    assert target.read_bytes() == b"theirs"
    assert [p.name for p in tmp_path.iterdir()] == ["out.json"]


@pytest.mark.skipif(not LINUX, reason="O_TMPFILE is Linux's")
def test_where_linking_the_unnamed_file_fails_it_is_copied(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(*_args: object, **_kwargs: object) -> None:
        raise OSError(errno.EXDEV, "Invalid cross-device link")

    monkeypatch.setattr(_staging, "_link", refuse)
    target = tmp_path / "out.json"
    with atomic_writer(target) as stream:
        stream.write(b"x" * 3_000_000)
    assert target.read_bytes() == b"x" * 3_000_000
    assert [p.name for p in tmp_path.iterdir()] == ["out.json"]


def test_without_o_tmpfile_a_named_file_carries_the_pid(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _refuse_tmpfile(monkeypatch)
    target = tmp_path / "out.json"
    seen: list[str] = []

    def fail() -> None:
        with atomic_writer(target) as stream:
            stream.write(b"{}")
            seen.extend(p.name for p in tmp_path.iterdir())
            raise RuntimeError

    with pytest.raises(RuntimeError):
        fail()
    (staged,) = seen
    assert staged.startswith(f".out.json.conflictdata-{os.getpid()}-")
    assert staged.endswith(".tmp")
    assert list(tmp_path.iterdir()) == []
    with atomic_writer(target) as stream:
        stream.write(b"{}")
    assert [p.name for p in tmp_path.iterdir()] == ["out.json"]
    assert target.stat().st_mode & 0o777 == 0o666 & ~_umask()


@pytest.mark.skipif(sys.platform == "win32", reason="stale staging is kept on Windows")
def test_stale_staging_of_dead_processes_is_removed_by_the_next_write(tmp_path: Path) -> None:
    dead = _dead_pid()
    stale_file = tmp_path / f".out.json.conflictdata-{dead}-abc123.tmp"
    stale_file.write_bytes(b"partial")
    stale_dir = tmp_path / f".out-pkg.conflictdata-{dead}-x_y9.staging"
    stale_dir.mkdir()
    (stale_dir / "events.csv").write_text("id\n", "utf-8")
    live = tmp_path / f".out.json.conflictdata-{os.getppid()}-abc123.tmp"
    live.write_bytes(b"someone else's, still writing")
    foreign = tmp_path / ".out.json.backup"
    foreign.write_bytes(b"not ours")
    other_target = tmp_path / f".other.json.conflictdata-{dead}-abc123.tmp"
    other_target.write_bytes(b"another target's")

    dataset = cd.examples.load("karabakh-2020")
    cd.dump(dataset, tmp_path / "out.json")
    cd.dump(dataset, tmp_path / "out-pkg", format="csv")

    assert not stale_file.exists()
    assert not stale_dir.exists()
    assert live.exists()
    assert foreign.exists()
    assert other_target.exists()
    assert remove_stale_staging(tmp_path / "other.json") == [other_target]


def test_a_staging_folder_is_published_with_the_umask_not_private(tmp_path: Path) -> None:
    old = os.umask(0o027)
    try:
        cd.dump(cd.examples.load("karabakh-2020"), tmp_path / "pkg", format="csv")
    finally:
        os.umask(old)
    assert (tmp_path / "pkg").stat().st_mode & 0o777 == 0o750


def test_discarding_a_staging_folder_does_not_flush_its_files(tmp_path: Path) -> None:
    staging = StagingDirectory(tmp_path / "pkg")
    handle = staging.open("events.csv")
    handle.write("x" * 100)

    def full_disk(*_args: object) -> int:
        raise OSError(errno.ENOSPC, "No space left on device")

    # What is still buffered would be written by a flush: on a full disk it fails.
    raw = handle.buffer.raw  # type: ignore[attr-defined]
    raw.write = full_disk
    staging.discard()
    assert list(tmp_path.iterdir()) == []


_FULL_DISK = textwrap.dedent(
    """
    import resource, signal, sys
    from pathlib import Path
    import conflictdata as cd

    dataset = cd.examples.load("karabakh-2020")
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    # Files may not grow past 4 KiB: writing fails as on a full disk.
    resource.setrlimit(resource.RLIMIT_FSIZE, (4096, resource.RLIM_INFINITY))
    try:
        cd.dump(dataset, Path(sys.argv[1]), format=sys.argv[2])
    except OSError as exc:
        print(exc.errno)
    """
)


@pytest.mark.skipif(sys.platform == "win32", reason="RLIMIT_FSIZE is POSIX")
@pytest.mark.parametrize(("name", "fmt"), [("pkg", "csv"), ("pkg.zip", "csv"), ("x.xml", "tei")])
def test_a_full_disk_leaves_nothing(tmp_path: Path, name: str, fmt: str) -> None:
    out = tmp_path / "out"
    out.mkdir()
    done = subprocess.run(
        [sys.executable, "-c", _FULL_DISK, str(out / name), fmt],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == str(errno.EFBIG)
    assert list(out.iterdir()) == []


@pytest.fixture
def full_disk(tmp_path: Path) -> Iterator[Path]:
    """A directory on a 256 KiB file system of its own (mounting needs root)."""
    folder = tmp_path / "small"
    folder.mkdir()
    mount = shutil.which("mount")
    if mount is None or not LINUX:
        pytest.skip("needs mount(8) on Linux")
    done = subprocess.run(
        [mount, "-t", "tmpfs", "-o", "size=256k", "tmpfs", str(folder)],
        capture_output=True,
        check=False,
    )
    if done.returncode != 0:
        pytest.skip(f"cannot mount a small file system here: {done.stderr.decode().strip()}")
    try:
        yield folder
    finally:
        subprocess.run(["umount", str(folder)], check=True)  # noqa: S607 - found as mount was


@pytest.mark.parametrize(("name", "fmt"), [("pkg", "csv"), ("pkg.zip", "csv"), ("x.xml", "tei")])
def test_no_space_left_leaves_nothing(
    full_disk: Path, big_source: Path, name: str, fmt: str
) -> None:
    with pytest.raises(OSError, match="No space left") as info:
        cd.convert(big_source, full_disk / name, to_format=fmt)
    assert info.value.errno == errno.ENOSPC
    assert list(full_disk.iterdir()) == []


def _umask() -> int:
    umask = os.umask(0)
    os.umask(umask)
    return umask


# Signals, through the console script in a child process.


def _big_source(path: Path, events: int) -> Path:
    """A valid JSON Lines file of ``events`` events, slow enough to interrupt."""
    lines = cd.dumps(cd.examples.load("karabakh-2020"), format="jsonl").splitlines()
    records = [json.loads(line) for line in lines]
    event = next(r for r in records if r["record"] == "event")
    event.pop("related", None)
    end = next(r for r in records if r["record"] == "end")
    end["counts"]["event"] = events
    with path.open("w", encoding="utf-8") as stream:
        for record in records:
            if record["record"] not in {"event", "end"}:
                stream.write(json.dumps(record, ensure_ascii=False) + "\n")
        for i in range(events):
            event["id"] = f"evt-{i}"
            stream.write(json.dumps(event, ensure_ascii=False) + "\n")
        stream.write(json.dumps(end) + "\n")
    return path


@pytest.fixture(scope="module")
def big_source(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _big_source(tmp_path_factory.mktemp("source") / "big.jsonl", 40_000)


_CLI = [sys.executable, "-c", "from conflictdata.cli import run; run()"]


def _start(source: Path, target: Path, tmpdir: Path) -> subprocess.Popen[str]:
    env = {**os.environ, "TMPDIR": str(tmpdir)}
    return subprocess.Popen(
        [*_CLI, "convert", str(source), str(target)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _wait_until_writing(child: subprocess.Popen[str], directory: Path) -> None:
    """Until the child holds a file open in ``directory`` (named or not)."""
    deadline = time.monotonic() + 120
    fds = Path(f"/proc/{child.pid}/fd")
    while time.monotonic() < deadline:
        assert child.poll() is None, child.communicate()
        try:
            links = [str(fd.readlink()) for fd in fds.iterdir()]
        except OSError:
            links = []
        if any(link.startswith(f"{directory}/") for link in links):
            return
        time.sleep(0.05)
    child.kill()
    pytest.fail("the conversion never started writing")


@pytest.mark.skipif(not LINUX, reason="watches /proc for the moment of writing")
@pytest.mark.parametrize("target", ["out.tei.xml", "out-pkg", "out.jsonl"])
@pytest.mark.parametrize(("signum", "code"), [(signal.SIGTERM, 143), (signal.SIGINT, 130)])
def test_a_signal_stops_the_cli_cleanly(
    tmp_path: Path, big_source: Path, target: str, signum: int, code: int
) -> None:
    out, tmpdir = tmp_path / "out", tmp_path / "tmp"
    out.mkdir()
    tmpdir.mkdir()
    child = _start(big_source, out / target, tmpdir)
    _wait_until_writing(child, out)
    child.send_signal(signum)
    stdout, stderr = child.communicate(timeout=120)
    assert child.returncode == code
    assert stderr == f"conflictdata: stopped by {signal.Signals(signum).name}\n"
    assert stdout == ""
    assert list(out.iterdir()) == []
    assert list(tmpdir.iterdir()) == []


def _wait_until_empty(*folders: Path) -> None:
    """Until ``folders`` hold nothing: the reaper works once its parent is gone."""
    deadline = time.monotonic() + 10
    while left := [p.name for folder in folders for p in folder.iterdir()]:
        if time.monotonic() > deadline:
            pytest.fail(f"left behind: {left}")
        time.sleep(0.05)


@pytest.mark.skipif(not LINUX, reason="watches /proc for the moment of writing")
def test_after_sigkill_neither_a_file_nor_a_folder_is_left(
    tmp_path: Path, big_source: Path
) -> None:
    out, tmpdir = tmp_path / "out", tmp_path / "tmp"
    out.mkdir()
    tmpdir.mkdir()
    for target in ("out.tei.xml", "out-pkg"):
        child = _start(big_source, out / target, tmpdir)
        _wait_until_writing(child, out)
        child.kill()
        child.communicate(timeout=120)
        _wait_until_empty(out, tmpdir)


@pytest.mark.skipif(not LINUX, reason="watches /proc for the moment of writing")
def test_after_sigkill_between_stdin_and_stdout_nothing_is_left(
    tmp_path: Path, big_source: Path
) -> None:
    tmpdir = tmp_path / "tmp"
    tmpdir.mkdir()
    with big_source.open("rb") as stdin:
        child = subprocess.Popen(
            [*_CLI, "convert", "-", "-", "--from", "jsonl", "--to", "jsonl"],
            env={**os.environ, "TMPDIR": str(tmpdir)},
            stdin=stdin,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
    # The copy of stdin and the output staged for stdout are both in $TMPDIR.
    _wait_until_writing(child, tmpdir)
    child.kill()
    child.communicate(timeout=120)
    _wait_until_empty(tmpdir)


def test_a_folder_of_a_killed_process_without_a_reaper_is_removed_next_time(
    tmp_path: Path,
) -> None:
    left = tmp_path / f".pkg.conflictdata-{_dead_pid()}-abc.staging"
    left.mkdir()
    (left / "events.csv").write_text("id\n")
    cd.dump(cd.examples.load("karabakh-2020"), tmp_path / "pkg", format="csv")
    assert [p.name for p in tmp_path.iterdir()] == ["pkg"]


# The reaper: a child that removes a staging folder if its parent dies.


def _reaper_of(staging: StagingDirectory) -> subprocess.Popen[bytes]:
    child = staging._reaper._child
    assert child is not None
    return child


def _ignored_signals(pid: int) -> set[int]:
    """The signals ``pid`` ignores, once its script has set them (SigIgn in /proc)."""
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        status = Path(f"/proc/{pid}/status").read_text()
        mask = int(
            next(line for line in status.splitlines() if line.startswith("SigIgn:"))[7:], 16
        )
        if mask & (1 << (signal.SIGTERM - 1)):
            return {n for n in range(1, 65) if mask & (1 << (n - 1))}
        time.sleep(0.01)
    pytest.fail("the reaper never set up its signals")


@pytest.mark.skipif(not LINUX, reason="reads /proc")
def test_the_reaper_ignores_signals_and_holds_no_other_files(tmp_path: Path) -> None:
    kept = (tmp_path / "kept.txt").open("w")
    os.set_inheritable(kept.fileno(), True)  # noqa: FBT003 - os takes no keyword
    try:
        staging = StagingDirectory(tmp_path / "pkg")
        child = _reaper_of(staging)
        assert {signal.SIGINT, signal.SIGTERM} <= _ignored_signals(child.pid)
        # A session of its own: Ctrl-C at a terminal does not reach it.
        assert os.getsid(child.pid) == child.pid != os.getsid(0)
        assert sorted(int(fd.name) for fd in Path(f"/proc/{child.pid}/fd").iterdir()) == [0, 1, 2]
        child.send_signal(signal.SIGINT)
        child.send_signal(signal.SIGTERM)
        time.sleep(0.2)
        assert child.poll() is None
        assert staging.path.is_dir()
        staging.publish()
    finally:
        kept.close()
    assert child.returncode == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["kept.txt", "pkg"]


@pytest.mark.skipif(sys.platform == "win32", reason="the reaper is POSIX's")
@pytest.mark.parametrize("overwrite", [False, True])
def test_publishing_or_discarding_ends_the_reaper(tmp_path: Path, overwrite: bool) -> None:
    target = tmp_path / "pkg"
    if overwrite:
        target.mkdir()
        (target / "old.csv").write_text("old")
    staging = StagingDirectory(target)
    (staging.path / "new.csv").write_text("new")
    child = _reaper_of(staging)
    staging.publish(overwrite=overwrite)
    assert child.returncode == 0
    assert [p.name for p in tmp_path.iterdir()] == ["pkg"]
    assert [p.name for p in target.iterdir()] == ["new.csv"]
    discarded = StagingDirectory(tmp_path / "other")
    child = _reaper_of(discarded)
    discarded.discard()
    assert child.returncode == 0
    assert [p.name for p in tmp_path.iterdir()] == ["pkg"]


@pytest.mark.skipif(sys.platform == "win32", reason="the reaper is POSIX's")
def test_a_reaped_temporary_directory_is_removed_after_a_kill(tmp_path: Path) -> None:
    script = textwrap.dedent(
        """
        import os, signal
        from conflictdata._staging import ReapedTemporaryDirectory
        folder = ReapedTemporaryDirectory(prefix="conflictdata-")
        open(os.path.join(folder.name, "x"), "w").close()
        print(folder.name, flush=True)
        os.kill(os.getpid(), signal.SIGKILL)
        """
    )
    env = {**os.environ, "TMPDIR": str(tmp_path)}
    done = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, check=False
    )
    assert done.returncode == -signal.SIGKILL
    assert Path(done.stdout.strip()).parent == tmp_path
    _wait_until_empty(tmp_path)


@pytest.mark.parametrize("how", ["no executable", "no process"])
def test_without_a_reaper_staging_works_as_before(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, how: str
) -> None:
    if how == "no executable":
        monkeypatch.setattr(sys, "executable", "")
    else:

        def refuse(*args: object, **kwargs: object) -> None:
            raise OSError(errno.EAGAIN, "Resource temporarily unavailable")

        monkeypatch.setattr(subprocess, "Popen", refuse)
    staging = StagingDirectory(tmp_path / "pkg")
    assert staging._reaper._child is None
    (staging.path / "a.csv").write_text("a")
    staging.publish()
    with _staging.ReapedTemporaryDirectory(prefix="conflictdata-") as folder:
        assert Path(folder).is_dir()
    assert not Path(folder).exists()
    assert [p.name for p in tmp_path.iterdir()] == ["pkg"]


def test_a_closed_pipe_is_no_traceback(tmp_path: Path) -> None:
    source = _big_source(tmp_path / "some.jsonl", 2000)
    child = subprocess.Popen(
        [*_CLI, "convert", str(source), "-", "--to", "jsonl"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert child.stdout is not None
    assert child.stderr is not None
    # As ``| head -c 10`` does: read a little, then go away.
    assert len(child.stdout.read(10)) == 10
    child.stdout.close()
    with child.stderr:
        stderr = child.stderr.read()
    assert child.wait(timeout=120) == 0
    assert stderr == b""


@pytest.mark.parametrize("target", ["out.jsonl", "out-pkg"])
def test_nothing_is_published_after_a_stop_even_if_its_exception_was_swallowed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, target: str
) -> None:
    # As when the signal lands in a finaliser, where Python prints and drops
    # the exception: the write must still not be put in place.
    monkeypatch.setattr(_staging, "_stop_signal", [])
    with contextlib.suppress(_staging.Stopped):
        _staging.stop(15)
    with pytest.raises(_staging.Stopped):
        cd.dump(cd.examples.load("karabakh-2020"), tmp_path / target)
    assert list(tmp_path.iterdir()) == []
