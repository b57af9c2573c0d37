"""Prefect's temporary server ends with the kith command that started it, however it ends.

With no Prefect API configured, the first flow run starts a temporary server (a `python -m
uvicorn ... prefect.server.api.server:create_app` subprocess, ~200 MB) and stops it from an
`atexit` hook. Python runs that hook when the command returns, fails or gets Ctrl-C, but not
when it is terminated (SIGTERM, SIGHUP: Python's default is to die at once) or killed (SIGKILL:
nothing runs). So, for a command about to run flows:

- SIGTERM and SIGHUP become a normal exit (`SystemExit`), which unwinds the command (an open
  transaction is rolled back) and runs the `atexit` hooks;
- every process the command starts carries `KITH_RUN_ID=<id>` in its environment, and a
  watchdog (a small process of its own) waits for the command to end, then stops whatever still
  carries the id: the server when the command was killed, nothing when it ended normally.

The watchdog learns of the end from a pipe only the command holds: the system closes it
however the command ends. It finds processes through /proc, so it works on Linux; elsewhere
only the signal handling applies.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import uuid
from pathlib import Path
from types import FrameType

RUN_ID = "KITH_RUN_ID"
STOP_SIGNALS = (signal.SIGTERM, signal.SIGHUP)

# Runs as `python -I -S -c WATCHDOG <run id>`. Reads stdin until EOF (the command has ended),
# then sends SIGTERM to every process carrying the run id, and SIGKILL to any still there 5 s on.
WATCHDOG = r"""
import os, signal, sys, time
signal.signal(signal.SIGINT, signal.SIG_IGN)
mark = ("KITH_RUN_ID=" + sys.argv[1]).encode()
while sys.stdin.buffer.read(4096):
    pass

def carrying():
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit() and int(entry) != os.getpid():
            try:
                with open("/proc/%s/environ" % entry, "rb") as environ:
                    if mark in environ.read().split(b"\0"):
                        found.append(int(entry))
            except OSError:
                pass
    return found

def send(number):
    for pid in carrying():
        try:
            os.kill(pid, number)
        except OSError:
            pass

send(signal.SIGTERM)
for _ in range(50):
    if not carrying():
        break
    time.sleep(0.1)
send(signal.SIGKILL)
"""

_watchdog: subprocess.Popen | None = None  # held for the life of the process: its pipe is the signal


def tie_to_this_process() -> None:
    """Make whatever this command starts from now on (Prefect's temporary server) end with it.

    Idempotent; call before the first flow runs. Signal handlers are only installed from the
    main thread, and the watchdog only where /proc lists processes (Linux).
    """
    global _watchdog
    if _watchdog is not None:
        return
    if sys.platform.startswith("linux") and Path("/proc/self/environ").exists():
        run_id = uuid.uuid4().hex
        _watchdog = subprocess.Popen(
            [sys.executable, "-I", "-S", "-c", WATCHDOG, run_id],
            stdin=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,  # a Ctrl-C or a hang-up of the terminal is not its end
        )
        os.environ[RUN_ID] = run_id  # inherited by every process started from now on
    if threading.current_thread() is threading.main_thread():  # where Python runs handlers
        for number in STOP_SIGNALS:
            if signal.getsignal(number) in (signal.SIG_DFL, None):
                signal.signal(number, _exit_normally)


def _exit_normally(number: int, frame: FrameType | None) -> None:
    """Turn a termination signal into SystemExit, so that `finally` blocks and `atexit` run."""
    raise SystemExit(128 + number)
