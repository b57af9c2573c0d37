"""What every benchmark measures the same way."""

from __future__ import annotations

import argparse
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


def cold_start_main(doc: str, script: str, *, prepare, child, cwd: Path, what: str) -> tuple[argparse.Namespace, list[dict]]:
    """The shared command line of the 1M-warehouse benchmarks: build (or reuse) the cached
    warehouse with `prepare`, then time `child` in fresh processes; returns the arguments and
    each process's result, or runs `child` itself when called as one (then the list is empty)."""
    parser = argparse.ArgumentParser(description=doc.splitlines()[0])
    parser.add_argument("--messages", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--cache", type=Path, default=Path("/tmp/kith-bench-1m"))
    parser.add_argument("--processes", type=int, default=3, help=f"fresh processes, each timing {what}")
    parser.add_argument("--runs", type=int, default=3, help=f"{what} per process")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.cache, args.seed, args.messages, args.runs)
        return args, []
    prepare(args.cache, args.seed, args.messages)
    child_args = ["--cache", str(args.cache), "--seed", str(args.seed), "--messages", str(args.messages),
                  "--runs", str(args.runs)]
    return args, run_children(script, child_args, processes=args.processes, cwd=cwd)
