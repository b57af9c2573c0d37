"""What every benchmark measures the same way."""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
from pathlib import Path


def peak_rss_mib() -> float:
    """This process's peak resident memory in MiB.

    VmHWM, not ru_maxrss: Linux carries ru_maxrss across fork and exec, so a phase run in a child
    process would report its parent's peak (the parent holds the generated mail).
    """
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_children(script: str, args: list[str], *, processes: int, cwd: Path) -> list[dict]:
    """Run `script --child ARGS` in `processes` fresh interpreters, one after the other, and
    return the JSON each printed last: a cold start per process is what a user's command pays."""
    results = []
    for _ in range(processes):
        done = subprocess.run(
            [sys.executable, script, "--child", *args], cwd=cwd, capture_output=True, text=True, check=True,
            env={**os.environ, "PYTHONPATH": str(cwd)},
        )
        results.append(json.loads(done.stdout.strip().splitlines()[-1]))
    return results
