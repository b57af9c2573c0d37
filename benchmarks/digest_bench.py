"""Digest benchmark: generate ~1,000,000 messages, sync them, time `build_digest` (goal < 2 s, < 1 GiB).

    PYTHONPATH=. .venv/bin/python benchmarks/digest_bench.py [--messages N] [--cache /tmp/kith-bench]

The generated network and the warehouse are cached under --cache and reused when present.
"""

from __future__ import annotations

import argparse
import json
import resource
import time
from datetime import date
from pathlib import Path

import duckdb

from digests.build import build_digest
from digests.evaluate import settings_for
from flows.syncing import sync_accounts
from warehouse.schema import ensure_schema

TODAY = date(2026, 11, 20)
GOAL_SECONDS = 2.0
GOAL_RSS_MIB = 1024


def peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=1_000_000)
    parser.add_argument("--cache", type=Path, default=Path("/tmp/kith-bench"))
    args = parser.parse_args()
    network = args.cache / f"network-{args.messages}"
    database = args.cache / f"warehouse-{args.messages}.duckdb"
    truth_file = network / "ground_truth.json"
    if not truth_file.exists():
        from generator import generate_network

        started = time.perf_counter()
        generate_network(network, seed=1, today=TODAY, messages=args.messages)
        print(f"generated {args.messages:,} messages in {time.perf_counter() - started:.1f} s")
    truth = json.loads(truth_file.read_text())
    settings = settings_for(network, args.cache / "home", truth["user"])
    if not database.exists():
        conn = duckdb.connect(str(database))
        ensure_schema(conn)
        started = time.perf_counter()
        sync_accounts(conn, settings)
        seconds = time.perf_counter() - started
        count = conn.execute("SELECT count(*) FROM messages").fetchone()[0]
        print(f"ingest: {count:,} messages in {seconds:.1f} s ({count / seconds:,.0f}/s), "
              f"peak RSS {peak_rss_mib():,.0f} MiB")
        conn.close()
    rss_before = peak_rss_mib()
    conn = duckdb.connect(str(database), read_only=True)
    runs = []
    for _ in range(3):
        started = time.perf_counter()
        digest = build_digest(conn, settings, TODAY)
        runs.append(time.perf_counter() - started)
    best, first = min(runs), runs[0]
    rss = peak_rss_mib()
    verdict = "ok" if first < GOAL_SECONDS and rss < GOAL_RSS_MIB else "OVER GOAL"
    print(f"build_digest: first {first:.2f} s, best of 3 {best:.2f} s, {len(digest.items)} items; "
          f"peak RSS {rss:,.0f} MiB (before building {rss_before:,.0f} MiB) "
          f"[goal < {GOAL_SECONDS} s, < {GOAL_RSS_MIB} MiB: {verdict}]")


if __name__ == "__main__":
    main()
