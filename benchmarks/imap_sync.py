"""IMAP sync throughput and memory against a local Dovecot, next to the raw imapclient floor.

    .venv/bin/python benchmarks/imap_sync.py [--messages 100000]

Starts Dovecot (tests/imap/dovecot.py), APPENDs N generated messages, then runs each phase in its
own subprocess so that peak memory (VmHWM) is the phase's own:

  floor     imapclient alone: UID SEARCH, then FETCH BODY.PEEK[HEADER.FIELDS (...)] in UID
            chunks of 5000, no parsing
  connector ImapConnector.fetch, headers only (privacy "metadata"): fetch + parse into Messages
  bodies    the same with the first 16 KiB of each body (the default privacy mode)
  stored    sync_accounts into a fresh DuckDB file (default privacy: bodies, signals, storing)
  no-op     a second ImapConnector.fetch from the stored cursor, nothing new (connector time)

Goal: the connector within 1.5x of the floor's time.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests"), str(ROOT / "tests" / "imap")]

from measure import peak_rss_mib  # noqa: E402 (benchmarks/ is on the path when run as a script)

USER, PASSWORD_ENV, FOLDER, CHUNK = "user1", "KITH_BENCH_IMAP_PASSWORD", "INBOX", 5000
GOAL = 1.5

FIRST = ["Ann", "Bob", "Carla", "Dmitri", "Erin", "Farid", "Grace", "Hiro", "Ines", "José", "Kai", "Lena"]
LAST = ["Smith", "Okafor", "Nguyen", "Müller", "Rossi", "Kowalski", "Tanaka", "Silva", "Haddad", "Berg"]
DOMAINS = ["example.com", "example.org", "acme.test", "globex.test", "initech.test"]
WORDS = "quarterly plan review budget launch dinner intro follow-up contract draft notes call".split()


# Share of list and bulk mail: the generated networks' inboxes hold 40-50% automated mail, and
# kith fetches bodies only for the rest, so the share changes what the bodies phase measures.
BULK_SHARE = 0.4


def generate_messages(count: int, seed: int = 7) -> list[bytes]:
    """`count` plausible messages: a few hundred people, replies, CCs, list mail, short bodies."""
    rng = random.Random(seed)
    people = [
        (f"{rng.choice(FIRST)} {rng.choice(LAST)}", f"{rng.choice(FIRST).lower()}.{i}@{rng.choice(DOMAINS)}")
        for i in range(400)
    ]
    start = datetime(2020, 1, 1, tzinfo=timezone.utc)
    messages = []
    for n in range(count):
        sender = rng.choice(people)
        to = rng.sample(people, rng.choice((1, 1, 1, 2, 3)))
        cc = rng.sample(people, rng.choice((0, 0, 0, 1, 4)))
        sent = start + timedelta(minutes=37 * n + rng.randrange(30))
        lines = [
            f"From: {sender[0]} <{sender[1]}>",
            "To: " + ", ".join(f"{name} <{addr}>" for name, addr in to),
            f"Subject: {'Re: ' if n % 3 == 0 else ''}{' '.join(rng.sample(WORDS, 3))}",
            f"Date: {sent.strftime('%a, %d %b %Y %H:%M:%S +0000')}",
            f"Message-ID: <bench-{n}@kith.test>",
            "MIME-Version: 1.0",
            "Content-Type: text/plain; charset=utf-8",
            "X-Mailer: kith-benchmark",
        ]
        if cc:
            lines.append("Cc: " + ", ".join(f"{name} <{addr}>" for name, addr in cc))
        if n % 3 == 0 and n:
            lines.append(f"In-Reply-To: <bench-{n - 1}@kith.test>")
            lines.append(f"References: <bench-{max(0, n - 5)}@kith.test> <bench-{n - 1}@kith.test>")
        if rng.random() < BULK_SHARE:
            lines += ["List-Id: <news.acme.test>", "List-Unsubscribe: <mailto:leave@acme.test>", "Precedence: bulk"]
        body = " ".join(rng.choice(WORDS) for _ in range(rng.randrange(20, 200)))
        messages.append(("\r\n".join(lines) + "\r\n\r\n" + body + "\r\n").encode())
    return messages


def append_all(port: int, password: str, messages: list[bytes]) -> None:
    from imapclient import IMAPClient

    client = IMAPClient("127.0.0.1", port=port, ssl=False)
    client.login(USER, password)
    for start in range(0, len(messages), 1000):
        client.multiappend(FOLDER, messages[start : start + 1000])
    client.logout()


# -- phases (each runs in a child process) --------------------------------------------------------


def account(port: int):
    from kith.models.settings import ImapAccount

    return ImapAccount(
        name="bench", kind="imap", host="127.0.0.1", port=port, security="none",
        username=USER, password_env=PASSWORD_ENV, folders=[FOLDER], batch_size=CHUNK,
    )


def phase_floor(port: int, home: Path) -> dict:
    from imapclient import IMAPClient

    from kith.connectors.mailparse import FETCHED_HEADERS

    item = "BODY.PEEK[HEADER.FIELDS ({})]".format(" ".join(FETCHED_HEADERS))
    started = time.perf_counter()
    client = IMAPClient("127.0.0.1", port=port, ssl=False)
    client.login(USER, os.environ[PASSWORD_ENV])
    client.select_folder(FOLDER, readonly=True)
    uids = client.search("ALL")
    count = 0
    for start in range(0, len(uids), CHUNK):
        count += len(client.fetch(uids[start : start + CHUNK], [item]))
    client.logout()
    return {"messages": count, "seconds": time.perf_counter() - started}


def _connector_run(port: int, with_body: bool) -> dict:
    from kith.connectors.imap import ImapConnector

    started = time.perf_counter()
    connector = ImapConnector(account(port), with_body=with_body)
    count = 0
    cursor = None
    for batch in connector.fetch(FOLDER, None):
        count += len(batch.messages)
        cursor = batch.cursor
    connector.close()
    return {"messages": count, "seconds": time.perf_counter() - started, "cursor": cursor}


def phase_connector(port: int, home: Path) -> dict:
    return _connector_run(port, with_body=False)


def phase_bodies(port: int, home: Path) -> dict:
    return _connector_run(port, with_body=True)


def phase_stored(port: int, home: Path) -> dict:
    from kith.flows.syncing import sync_accounts
    from kith.models.settings import Settings
    from kith.warehouse import open_warehouse

    settings = Settings(home=home, accounts=[account(port)])
    started = time.perf_counter()
    with open_warehouse(home / "bench.duckdb") as warehouse:
        reports = sync_accounts(warehouse.conn, settings)
    return {"messages": sum(r.messages for r in reports), "seconds": time.perf_counter() - started}


def phase_noop(port: int, home: Path) -> dict:
    from kith.connectors.imap import ImapConnector
    from kith.warehouse import open_warehouse
    from kith.warehouse.load import load_cursor

    with open_warehouse(home / "bench.duckdb") as warehouse:
        cursor = load_cursor(warehouse.conn, "bench", FOLDER)
    started = time.perf_counter()
    connector = ImapConnector(account(port), with_body=True)
    batches = list(connector.fetch(FOLDER, cursor))
    connector.close()
    return {"messages": sum(len(b) for b in batches), "seconds": time.perf_counter() - started}


PHASES = {
    "floor": phase_floor,
    "connector": phase_connector,
    "bodies": phase_bodies,
    "stored": phase_stored,
    "no-op": phase_noop,
}


def run_phase(name: str, port: int, home: Path, password: str) -> dict:
    env = {**os.environ, PASSWORD_ENV: password}
    command = [sys.executable, __file__, "--phase", name, "--port", str(port), "--home", str(home)]
    out = subprocess.run(command, env=env, check=True, capture_output=True, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--messages", type=int, default=100_000)
    parser.add_argument("--phase", choices=PHASES)
    parser.add_argument("--port", type=int)
    parser.add_argument("--home", type=Path)
    args = parser.parse_args()
    if args.phase:  # child: run one phase, print its result as JSON
        result = PHASES[args.phase](args.port, args.home)
        result.pop("cursor", None)
        result["max_rss_mib"] = peak_rss_mib()
        print(json.dumps(result))
        return

    from dovecot import start_dovecot

    server = start_dovecot(users=1)
    try:
        password = server.users[USER]
        started = time.perf_counter()
        append_all(server.port, password, generate_messages(args.messages))
        print(f"appended {args.messages:,} messages in {time.perf_counter() - started:.1f}s")
        with tempfile.TemporaryDirectory(prefix="kith-bench-") as home:
            results = {name: run_phase(name, server.port, Path(home), password) for name in PHASES}
    finally:
        server.stop()

    floor = results["floor"]["seconds"]
    print(f"\n{'phase':<10} {'messages':>9} {'seconds':>8} {'msg/s':>9} {'vs floor':>9} {'peak RSS':>9}")
    for name, r in results.items():
        rate = r["messages"] / r["seconds"] if r["messages"] else 0
        ratio = "" if name == "no-op" else f"{r['seconds'] / floor:.2f}x"
        print(
            f"{name:<10} {r['messages']:>9,} {r['seconds']:>8.2f} {rate:>9,.0f} {ratio:>9} {r['max_rss_mib']:>6.0f} MiB"
        )
    ratio = results["connector"]["seconds"] / floor
    verdict = "within" if ratio <= GOAL else "OVER"
    print(f"\nconnector (headers) is {ratio:.2f}x the floor: {verdict} the {GOAL}x goal")


if __name__ == "__main__":
    main()
