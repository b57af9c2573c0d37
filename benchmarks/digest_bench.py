"""Digest benchmark: generate ~1,000,000 messages, sync them, time `build_digest` (goal < 2 s, < 1 GiB).

    PYTHONPATH=. .venv/bin/python benchmarks/digest_bench.py [--messages N] [--seed S]
        [--cache /tmp/kith-bench-1m] [--processes 3]

The generated network and the synced warehouse are cached under --cache, keyed by seed and size
(`network-seed<S>-<N>/`, `warehouse-seed<S>-<N>.duckdb`), and made again only when missing. Before
measuring, the warehouse's views are recreated from the current `views.sql` (as opening the
warehouse does), so a cached file always measures the current code.

Each build is measured in a fresh subprocess (cold DuckDB caches, no memory left over from ingest):
the process builds the digest three times and reports the first build, the median of the three,
and its own peak RSS. With --processes K that is repeated in K fresh processes; the summary gives
the median over processes.
"""

from __future__ import annotations

import json
import statistics
import time
from datetime import date
from pathlib import Path

TODAY = date(2026, 11, 20)
GOAL_SECONDS = 2.0
GOAL_RSS_MIB = 1024
ROOT = Path(__file__).resolve().parent.parent

from measure import cold_start_main, peak_rss_mib  # noqa: E402 (benchmarks/ is on the path when run as a script)


def paths(cache: Path, seed: int, messages: int) -> tuple[Path, Path]:
    return cache / f"network-seed{seed}-{messages}", cache / f"warehouse-seed{seed}-{messages}.duckdb"


def prepare(cache: Path, seed: int, messages: int) -> None:
    """Generate and sync when missing (printing the ingest figures); refresh the views."""
    import duckdb

    from kith.digests.evaluate import settings_for
    from kith.flows.syncing import sync_accounts
    from kith.warehouse.schema import ensure_schema

    network, database = paths(cache, seed, messages)
    truth_file = network / "ground_truth.json"
    if not truth_file.exists():
        from kith.generator import generate_network

        started = time.perf_counter()
        generate_network(network, seed=seed, today=TODAY, messages=messages)
        print(f"generated {messages:,} messages in {time.perf_counter() - started:.1f} s")
        database.unlink(missing_ok=True)
    truth = json.loads(truth_file.read_text())
    settings = settings_for(network, cache / "home", truth["user"])
    if not database.exists():
        partial = database.with_suffix(".partial")
        partial.unlink(missing_ok=True)
        conn = duckdb.connect(str(partial))
        ensure_schema(conn)
        started = time.perf_counter()
        sync_accounts(conn, settings)
        seconds = time.perf_counter() - started
        count = conn.execute("SELECT count(*) FROM messages").fetchone()[0]
        print(f"ingest: {count:,} messages in {seconds:.1f} s ({count / seconds:,.0f}/s), "
              f"peak RSS {peak_rss_mib():,.0f} MiB")
        conn.close()
        partial.rename(database)
    conn = duckdb.connect(str(database))
    ensure_schema(conn)  # the current views.sql, as opening the warehouse does
    conn.close()


def child(cache: Path, seed: int, messages: int, runs: int) -> None:
    """In a fresh process: build `runs` times, print one JSON line with the figures."""
    import duckdb

    from kith.digests.build import build_digest
    from kith.digests.evaluate import settings_for

    network, database = paths(cache, seed, messages)
    truth = json.loads((network / "ground_truth.json").read_text())
    settings = settings_for(network, cache / "home", truth["user"])
    rss_before = peak_rss_mib()
    conn = duckdb.connect(str(database), read_only=True)
    times, items = [], 0
    for _ in range(runs):
        started = time.perf_counter()
        digest = build_digest(conn, settings, TODAY)
        times.append(time.perf_counter() - started)
        items = len(digest.items)
    print(json.dumps({"times": times, "items": items, "rss_mib": peak_rss_mib(), "rss_before_mib": rss_before}))


def main() -> None:
    args, results = cold_start_main(__doc__, __file__, prepare=prepare, child=child, cwd=ROOT, what="builds")
    if args.child:
        return
    for result in results:
        t = result["times"]
        print(f"  process: builds {', '.join(f'{x:.2f}' for x in t)} s; {result['items']} items; "
              f"peak RSS {result['rss_mib']:,.0f} MiB (before building {result['rss_before_mib']:,.0f} MiB)")
    first = statistics.median(r["times"][0] for r in results)
    median = statistics.median(statistics.median(r["times"]) for r in results)
    rss = statistics.median(r["rss_mib"] for r in results)
    rss_max = max(r["rss_mib"] for r in results)
    verdict = "ok" if first < GOAL_SECONDS and rss_max < GOAL_RSS_MIB else "OVER GOAL"
    print(f"build_digest ({args.messages:,} messages, seed {args.seed}, {len(results)} fresh processes): "
          f"first {first:.2f} s, median of {args.runs} {median:.2f} s; "
          f"peak RSS {rss:,.0f} MiB (max {rss_max:,.0f}) "
          f"[goal < {GOAL_SECONDS} s, < {GOAL_RSS_MIB} MiB: {verdict}]")


if __name__ == "__main__":
    main()
