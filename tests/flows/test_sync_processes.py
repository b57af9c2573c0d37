"""`kith sync` as a shell runs it, in a process of its own: killed, it takes Prefect's temporary
server with it (issue 8, item 10); a second sync started meanwhile says one line (item 11).

Both happen while Prefect's server starts (12-22 s here), where they used to go wrong; the tests
act as soon as the server process exists, so they do not wait for it to be ready.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

KITH = Path(sys.executable).with_name("kith")
SERVER = "prefect.server.api.server:create_app"  # in the command line of the temporary server


def mbox(count: int) -> str:
    """`count` messages from Ann, each its own."""
    return "".join(
        f"From a@example.org Mon Sep  1 09:00:00 2026\nFrom: Ann <ann@example.org>\nTo: Me <me@example.com>\n"
        f"Date: Mon, 1 Sep 2026 09:{n % 60:02d}:00 +0000\nMessage-ID: <{n}@example.org>\nSubject: Note {n} on {n * 7919}\n\nHi.\n\n"
        for n in range(count)
    )


@pytest.fixture
def kith_env(tmp_path: Path) -> dict[str, str]:
    """The environment of a `kith` process syncing one small mbox, with a home of its own."""
    home = tmp_path / "home"
    home.mkdir()
    (tmp_path / "mail.mbox").write_text(mbox(50))
    (home / "kith.toml").write_text(
        '[user]\nname = "Me"\naddresses = ["me@example.com"]\n\n'
        f'[[accounts]]\nname = "mail"\nkind = "mbox"\npath = "{tmp_path / "mail.mbox"}"\n'
    )
    return {**os.environ, "KITH_HOME": str(home), "PREFECT_HOME": str(tmp_path / "prefect")}


@pytest.fixture
def servers() -> Iterator[list[int]]:
    """Server pids a test saw; any still running afterwards is stopped (a failing test leaks none)."""
    seen: list[int] = []
    yield seen
    for pid in seen:
        if state(pid) not in ("gone", "Z"):
            os.kill(pid, signal.SIGKILL)


def start_sync(env: dict[str, str], errors: Path) -> subprocess.Popen:
    """`kith sync` in the background, its stderr into `errors` (a pipe would stay open as long
    as a server that inherited it lives on)."""
    with errors.open("w") as stderr:
        return subprocess.Popen([str(KITH), "sync"], env=env, stdout=subprocess.DEVNULL, stderr=stderr)


def server_of(process: subprocess.Popen, seen: list[int], timeout: float = 180) -> int:
    """The pid of the temporary Prefect server `process` starts, as soon as it exists."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for pid in _children(process.pid):
            if SERVER in _command_line(pid):
                seen.append(pid)
                return pid
        assert process.poll() is None, f"kith sync ended with {process.returncode} before starting a server"
        time.sleep(0.05)
    raise AssertionError(f"no Prefect server started within {timeout} s")


def state(pid: int) -> str:
    """A process's state letter (`Z` for a zombie that nobody reaped yet), or "gone"."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return "gone"


def ended_within(pid: int, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while state(pid) not in ("gone", "Z"):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.1)
    return True


def _children(parent: int) -> list[int]:
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == parent:
                found.append(int(entry))
    return found


def _command_line(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return ""


needs_proc = pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="these tests find processes through /proc (Linux)")


@needs_proc
@pytest.mark.slow
@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGKILL], ids=["terminated", "killed"])
def test_a_stopped_sync_takes_its_prefect_server_with_it(
    kith_env: dict, servers: list[int], stop: signal.Signals, tmp_path: Path
) -> None:
    sync = start_sync(kith_env, tmp_path / "errors")
    server = server_of(sync, servers)
    sync.send_signal(stop)
    sync.wait(timeout=60)
    assert (sync.returncode, (tmp_path / "errors").read_text()) == (-stop if stop == signal.SIGKILL else 128 + stop, "")
    assert ended_within(server, 10), f"the Prefect server {server} outlived `kith sync` ({state(server)})"


@needs_proc
@pytest.mark.slow
def test_a_second_sync_during_the_first_ones_start_says_one_line(kith_env: dict, servers: list[int], tmp_path: Path) -> None:
    first = start_sync(kith_env, tmp_path / "errors")
    server_of(first, servers)  # the first is starting Prefect's server: it takes 12-22 s
    second = subprocess.run([str(KITH), "sync"], env=kith_env, capture_output=True, text=True, timeout=300)
    first.send_signal(signal.SIGTERM)
    first.wait(timeout=60)
    assert (second.returncode, second.stdout, second.stderr) == (
        1,
        "",
        f"kith: kith sync is writing the warehouse (pid {first.pid}); try again when it finishes, "
        "usually within a minute (a first sync takes longer)\n",
    )


@pytest.mark.slow
def test_a_full_disk_stops_the_sync_with_one_line(kith_env: dict, small_disk: Path, tmp_path: Path) -> None:
    (small_disk / "kith.toml").write_text((Path(kith_env["KITH_HOME"]) / "kith.toml").read_text())
    (tmp_path / "mail.mbox").write_text(mbox(30_000))  # more than 2 MiB of warehouse
    done = subprocess.run(
        [str(KITH), "sync"], env={**kith_env, "KITH_HOME": str(small_disk)}, capture_output=True, text=True, timeout=600
    )
    full = (
        "kith: the disk holding the warehouse is full; free space and run the sync again "
        "(nothing of the interrupted batch was kept)"
    )
    assert (done.returncode, done.stdout, done.stderr) == (1, "", full + "\n")  # one line: Prefect and the progress add nothing
