"""Report benchmark: time `kith report`'s build and render on a large generated warehouse (goal < 3 s).

    PYTHONPATH=. .venv/bin/python benchmarks/report_bench.py [--messages N] [--seed S]
        [--cache /tmp/kith-bench-1m] [--processes 3]

The warehouse is the digest benchmark's (benchmarks/digest_bench.py: generated, synced and cached
under --cache, views refreshed). Each measurement runs in a fresh process on a read-only
connection: the first report (pygal imported, cold DuckDB caches) and the median of three.
"""

from __future__ import annotations

import json
import os
import statistics
import time
from pathlib import Path

from digest_bench import ROOT, TODAY, paths, prepare  # noqa: E402 (benchmarks/ is on the path as a script)
from measure import cold_start_main, peak_rss_mib  # noqa: E402

GOAL_SECONDS = 3.0


def child(cache: Path, seed: int, messages: int, runs: int) -> None:
    """In a fresh process: build and render the report `runs` times, print one JSON line."""
    import duckdb

    from kith.digests.report import build_report, render_report

    _, database = paths(cache, seed, messages)
    conn = duckdb.connect(str(database), read_only=True)
    times, cpu, size = [], [], 0
    for _ in range(runs):
        started, cpu_started = time.perf_counter(), time.process_time()
        size = len(render_report(build_report(conn, TODAY)))
        times.append(time.perf_counter() - started)
        cpu.append(time.process_time() - cpu_started)  # every thread's, DuckDB's included
    print(json.dumps({"times": times, "cpu": cpu, "bytes": size, "rss_mib": peak_rss_mib(),
                      "load": os.getloadavg()[0]}))


def main() -> None:
    args, results = cold_start_main(__doc__, __file__, prepare=prepare, child=child, cwd=ROOT, what="reports")
    if args.child:
        return
    for result in results:
        print(f"  process: reports {', '.join(f'{x:.2f}' for x in result['times'])} s "
              f"(CPU {', '.join(f'{x:.2f}' for x in result['cpu'])} s); {result['bytes']:,} bytes; "
              f"peak RSS {result['rss_mib']:,.0f} MiB; load {result['load']:.1f}")
    first = statistics.median(r["times"][0] for r in results)
    median = statistics.median(statistics.median(r["times"]) for r in results)
    first_cpu = statistics.median(r["cpu"][0] for r in results)
    verdict = "ok" if first < GOAL_SECONDS else "OVER GOAL"
    # The machine is shared: the wall time follows its load, the CPU time much less.
    print(f"report ({args.messages:,} messages, seed {args.seed}, {len(results)} fresh processes, "
          f"{os.cpu_count()} cores, load {os.getloadavg()[0]:.1f}): first {first:.2f} s (CPU {first_cpu:.2f} s), "
          f"median of {args.runs} {median:.2f} s [goal < {GOAL_SECONDS} s: {verdict}]")


if __name__ == "__main__":
    main()
