"""The evaluation behind `kith eval`: generate networks with ground truth, sync them through the
real connectors, and score the digest (digests/evaluate.py) section by section."""

from __future__ import annotations

import tempfile
from datetime import date
from pathlib import Path

import duckdb

from kith.digests.congratulate import BIRTHDAY_AHEAD_DAYS, RECENT_DAYS
from kith.digests.evaluate import (DEFAULT_SEEDS, DEFAULT_TODAY, SECTIONS, Score, SeedResult, news_line, score_digest,
                                   settings_for)
from kith.flows.syncing import sync_accounts
from kith.generator import generate_network
from kith.warehouse.schema import ensure_schema


def sync_generated_network(root: Path, seed: int, today: date, messages: int | None = None):
    """Generate a network under `root`, sync it into `root/kith-<seed>.duckdb`.

    Returns (open connection, settings, ground truth); the caller closes the connection.
    """
    out = root / f"network-{seed}"
    truth = generate_network(out, seed=seed, today=today, messages=messages)
    settings = settings_for(out, root / f"home-{seed}", truth["user"])
    conn = duckdb.connect(str(root / f"kith-{seed}.duckdb"))
    ensure_schema(conn)
    sync_accounts(conn, settings)
    return conn, settings, truth


def evaluate_seed(seed: int, today: date = DEFAULT_TODAY, workdir: Path | None = None,
                  messages: int | None = None) -> SeedResult:
    """Generate, sync, build and score one network."""
    with tempfile.TemporaryDirectory(prefix="kith-eval-") as tmp:
        conn, settings, truth = sync_generated_network(Path(workdir or tmp), seed, today, messages)
        try:
            return score_digest(conn, settings, truth, today, seed)
        finally:
            conn.close()


def run_evaluation(seeds=DEFAULT_SEEDS, today: date = DEFAULT_TODAY, echo=print) -> dict[str, Score]:
    """Evaluate every seed, print one line per section and seed, then the totals; return the totals."""
    totals = {name: Score() for name in SECTIONS}
    news: dict[str, Score] = {}
    for seed in seeds:
        result = evaluate_seed(seed, today)
        echo(f"seed {seed} (today {today.isoformat()}, {result.items} digest items):")
        for name in SECTIONS:
            echo("  " + result.scores[name].line(name))
            totals[name].add(result.scores[name])
        for source, score in result.news.items():
            news.setdefault(source, Score()).add(score)
        for name, people_ in result.wrong.items():
            echo(f"    not in the ground truth ({name}): {', '.join(people_)}")
        if result.automated_suggested:
            echo(f"  AUTOMATED SENDERS SUGGESTED: {', '.join(result.automated_suggested)}")
    echo(f"all seeds ({', '.join(map(str, seeds))}):")
    for name in SECTIONS:
        echo("  " + totals[name].line(name))
    echo("  " + news_line(news))
    echo("follow-through sections are scored before the daily budget (max_follow_ups) cuts them; "
         "reconnect is scored on the uncapped ranked candidate list; congratulate recall counts true "
         f"signals inside the digest's windows (birthdays today..+{BIRTHDAY_AHEAD_DAYS} days, others "
         f"the last {RECENT_DAYS} days).")
    return totals
