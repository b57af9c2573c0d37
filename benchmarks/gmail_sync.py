"""Gmail first-sync benchmark: 50,000 messages from the loopback fake Google under Gmail's quota.

    python benchmarks/gmail_sync.py [--messages 50000] [--scale 20]

The fake (tests/google/fake_google.py, in its own process) holds the mailbox and enforces Gmail's
per-user limit of 15,000 quota units a minute in a rolling window, answering 429
rateLimitExceeded beyond it. Time is scaled down by `--scale`: the fake's "minute" lasts
60/scale seconds and the account's `quota_units_per_minute` is 15,000 x scale, so the run keeps
the same proportions in a fraction of the time. kith syncs the account as `kith sync` does
(privacy mode "metadata": headers only, so every message costs one `messages.get`) into a new
DuckDB file, through the real googleapiclient with batches of 50.

It prints the quota floor (units the sync needs / units allowed a second), the measured time,
their ratio (goal: within 1.2x) and the number of 429 answers (goal: a handful at most).
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import sys
import tempfile
import time
import urllib.request
from datetime import datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "google"))

GMAIL_UNITS_PER_MINUTE = 15_000
PEOPLE = 400


def serve(messages: int, scale: float, pipe) -> None:
    """The fake Google with `messages` messages, in a process of its own."""
    from fake_google import CALENDAR_READONLY, GMAIL, FakeGoogle

    fake = FakeGoogle(address="alex@example.com")
    start = datetime(2023, 1, 1, tzinfo=timezone.utc)
    for n in range(messages):
        person = n % PEOPLE
        sent = start + timedelta(minutes=17 * n)
        fake.add_message({
            "From": f"Person {person} <person{person}@example.org>",
            "To": "Alex <alex@example.com>",
            "Subject": f"Re: project {n % 97} update {n}",
            "Date": sent.strftime("%a, %d %b %Y %H:%M:%S +0000"),
            "Message-ID": f"<bench-{n}@example.org>",
        }, thread_id=f"t{n // 3:x}", record=False)
    fake.units_per_minute = GMAIL_UNITS_PER_MINUTE
    fake.minute = 60.0 / scale
    token = fake.grant([GMAIL + "metadata", CALENDAR_READONLY])
    fake.start()
    pipe.send((fake.url, token))
    pipe.recv()  # until the benchmark is done
    fake.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--messages", type=int, default=50_000)
    parser.add_argument("--scale", type=float, default=20.0, help="how many times faster than real time")
    args = parser.parse_args()

    ours, theirs = multiprocessing.Pipe()
    server = multiprocessing.Process(target=serve, args=(args.messages, args.scale, theirs), daemon=True)
    server.start()
    url, token = ours.recv()
    os.environ["KITH_BENCH_GOOGLE_TOKEN"] = token

    from kith.flows.syncing import sync_accounts
    from kith.models.settings import GoogleAccount, Settings
    from kith.warehouse import open_warehouse

    units_per_minute = GMAIL_UNITS_PER_MINUTE * args.scale
    account = GoogleAccount(name="google", kind="google", address="alex@example.com", calendars=[], api_endpoint=url,
                            token_env="KITH_BENCH_GOOGLE_TOKEN", quota_units_per_minute=int(units_per_minute))
    with tempfile.TemporaryDirectory() as folder:
        settings = Settings(home=Path(folder), accounts=[account], privacy={"mode": "metadata"})
        with open_warehouse(Path(folder) / "kith.duckdb") as warehouse:
            started = time.perf_counter()
            reports = sync_accounts(warehouse.conn, settings)
            seconds = time.perf_counter() - started
            stored = warehouse.query("SELECT count(*), count(DISTINCT source_id) FROM messages")[0]
    stats = json.loads(urllib.request.urlopen(url + "_stats", timeout=10).read())  # the fake needs no token here
    ours.send("done")
    server.join(10)

    pages = -(-args.messages // 500)
    needed = 1 + pages * 5 + args.messages * 5  # profile, list pages, one get per message
    floor = needed / (units_per_minute / 60.0)
    print(f"messages: {args.messages:,} in the fake, {stored[0]:,} stored ({stored[1]:,} distinct); "
          f"errors: {[r.error for r in reports if r.error]}")
    print(f"time scale: {args.scale:g}x (the fake's quota minute lasts {60 / args.scale:.1f} s)")
    print(f"quota units needed: {needed:,} (fake counted {stats['units']:,}); allowed: {units_per_minute / 60:,.0f}/s scaled "
          f"= {GMAIL_UNITS_PER_MINUTE:,}/min real")
    print(f"floor: {floor:.1f} s scaled = {floor * args.scale / 60:.1f} min real")
    print(f"kith:  {seconds:.1f} s scaled = {seconds * args.scale / 60:.1f} min real  ({seconds / floor:.2f}x the floor, "
          f"{args.messages / seconds * 60 / args.scale:,.0f} messages a real minute)")
    print(f"429 rateLimitExceeded answers: {stats['rate_limited']}; calls: {stats['calls']}")


if __name__ == "__main__":
    main()
