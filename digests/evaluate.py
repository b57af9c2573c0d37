"""Scoring the digest against a generated network's ground truth.

`flows/evaluation.py` generates a network, syncs it with the real connectors and calls
`score_digest`, which builds the digest for a fixed `today` and compares each section with the
ground truth person by person (addresses are mapped to people through the warehouse's identities,
so a contact's second address counts as the same person).

- reconnect: the uncapped ranked candidate list (the digest shows only the top few) against
  `reconnect_due`;
- congratulate: precision against every true signal about that person; recall against true signals
  inside the digest's windows (birthdays today..+3 days, everything else the last 14 days);
- reply_owed, awaiting_reply, promises, new_people: the digest's items against the lists.

"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

import duckdb

from kith.digests.build import build_digest
from kith.digests.congratulate import BIRTHDAY_AHEAD_DAYS, RECENT_DAYS
from kith.digests.reconnect import reconnect_candidates
from kith.models.settings import Settings
from kith.warehouse.identity import address_resolver
from kith.warehouse.people import automated_people

DEFAULT_TODAY = date(2026, 11, 20)
DEFAULT_SEEDS = (1, 2, 3)
SECTIONS = ("reconnect", "congratulate", "reply_owed", "awaiting_reply", "promises", "new_people")
TARGETS = {  # precision (and recall where stated) the digest must reach over the seeds
    "reconnect": {"precision": 0.9},
    "congratulate": {"precision": 0.9, "recall": 0.9},
    "reply_owed": {"precision": 0.9},
    "awaiting_reply": {"precision": 0.9},
    "promises": {"precision": 0.9},
    "new_people": {"precision": 0.9},
}


@dataclass
class Score:
    """Counts for one section: suggested, true among them, expected, found among those."""

    suggested: int = 0
    correct: int = 0
    expected: int = 0
    found: int = 0

    @property
    def precision(self) -> float:
        return self.correct / self.suggested if self.suggested else 1.0

    @property
    def recall(self) -> float:
        return self.found / self.expected if self.expected else 1.0

    def add(self, other: Score) -> None:
        self.suggested += other.suggested
        self.correct += other.correct
        self.expected += other.expected
        self.found += other.found

    def line(self, section: str) -> str:
        return (f"{section} precision={self.precision:.2f} recall={self.recall:.2f} "
                f"n={self.suggested} expected={self.expected}")


@dataclass
class SeedResult:
    seed: int
    scores: dict[str, Score]
    automated_suggested: list[str]
    items: int
    wrong: dict[str, list[str]]  # section -> people suggested that the ground truth does not list
    news: dict[str, Score] = field(default_factory=dict)  # congratulate per form of news (`news_scores`)


def settings_for(network: Path, home: Path, user: dict) -> Settings:
    """Settings for a generated network: its mbox folder and its .ics files as two accounts."""
    return Settings.model_validate(
        {
            "home": home,
            "user": {"name": user["name"], "addresses": user["addresses"], "timezone": user.get("timezone", "UTC")},
            "accounts": [
                {"name": "mail", "kind": "mbox", "path": str(network / "mail")},
                {"name": "calendar", "kind": "ics", "path": str(network)},
            ],
        }
    )


def score_digest(conn: duckdb.DuckDBPyConnection, settings: Settings, truth: dict, today: date,
                 seed: int = 0) -> SeedResult:
    """Build the digest for `today` and score it against `truth`."""
    person = _person_lookup(conn, truth["contacts"])
    # Sections are scored on their own decisions, before the fifteen-minute budget cuts them.
    unbudgeted = settings.model_copy(update={"digest": settings.digest.model_copy(update={"max_follow_ups": 10_000})})
    digest = build_digest(conn, settings=unbudgeted, day=today)

    def people(addresses) -> set[str]:
        return {person(a) for a in addresses}

    def section(name: str) -> set[str]:
        return {item.person_id for item in digest.items if item.section == name}

    scores: dict[str, Score] = {}
    candidates = {c.person_id for c in reconnect_candidates(conn, today, zone=settings.zone)}
    scores["reconnect"] = _score(candidates, people(truth["reconnect_due"]))

    all_true = people(s["address"] for s in truth["signals"])
    windowed = people(s["address"] for s in truth["signals"] if _in_window(s, today))
    got = section("congratulate")
    scores["congratulate"] = Score(len(got), len(got & all_true), len(windowed), len(windowed & got))
    scores["reply_owed"] = _score(section("reply_owed"), people(r["address"] for r in truth["reply_owed"]))
    scores["awaiting_reply"] = _score(section("awaiting_reply"), people(r["address"] for r in truth["awaiting_reply"]))
    scores["promises"] = _score(section("promise"), people(r["address"] for r in truth["promises"]))
    scores["new_people"] = _score(section("new_person"), people(r["address"] for r in truth["new_people"]))

    truths = {
        "reconnect": (candidates, people(truth["reconnect_due"])),
        "congratulate": (got, all_true),
        "reply_owed": (section("reply_owed"), people(r["address"] for r in truth["reply_owed"])),
        "awaiting_reply": (section("awaiting_reply"), people(r["address"] for r in truth["awaiting_reply"])),
        "promises": (section("promise"), people(r["address"] for r in truth["promises"])),
        "new_people": (section("new_person"), people(r["address"] for r in truth["new_people"])),
    }
    wrong = {name: sorted(g - e) for name, (g, e) in truths.items() if g - e}
    automated = people(s["address"] for s in truth["automated_senders"])
    flagged = automated_people(conn)
    suggested = {item.person_id for item in digest.items} | candidates
    return SeedResult(seed, scores, sorted(suggested & (automated | flagged)), len(digest.items), wrong,
                      news_scores(got, truth, person, today))


def news_scores(got: set[str], truth: dict, person, today: date) -> dict[str, Score]:
    """Congratulate recall per source of the true signals in the window (memo, list, forward, ...),
    and under "not to congratulate" the sad or already answered news the digest suggested anyway."""
    scores: dict[str, Score] = {}
    for signal in truth["signals"]:
        if _in_window(signal, today):
            who = person(signal["address"])
            scores.setdefault(signal["source"], Score()).add(Score(expected=1, found=int(who in got)))
    others = {person(s["address"]) for s in truth.get("news_not_congratulated", []) + truth.get("congratulated_already", [])}
    scores["not to congratulate"] = Score(suggested=len(others & got), correct=0, expected=len(others))
    return scores


def news_line(scores: dict[str, Score]) -> str:
    """One line: congratulate recall per source of news, then how many of the rest were suggested."""
    rest = scores.get("not to congratulate", Score())
    found = ", ".join(f"{name} {score.found}/{score.expected}" for name, score in sorted(scores.items())
                      if name != "not to congratulate")
    return f"congratulate found by source: {found}; sad or answered news suggested: {rest.suggested} of {rest.expected}"


def misses(totals: dict[str, Score]) -> list[str]:
    """The targets the totals miss, in words (empty when every target is met)."""
    out = []
    for name, wanted in TARGETS.items():
        for measure, target in wanted.items():
            value = getattr(totals[name], measure)
            if value < target:
                out.append(f"{name} {measure} {value:.2f} < {target}")
    return out


def _in_window(signal: dict, today: date) -> bool:
    day = date.fromisoformat(signal["date"])
    if signal["kind"] == "birthday":
        return today <= day <= today + timedelta(days=BIRTHDAY_AHEAD_DAYS)
    return today - timedelta(days=RECENT_DAYS) <= day <= today


def _score(got: set[str], expected: set[str]) -> Score:
    return Score(len(got), len(got & expected), len(expected), len(expected & got))


def _person_lookup(conn: duckdb.DuckDBPyConnection, contacts: list[dict] = ()):
    """Address -> person in the warehouse. The ground truth names a contact by their primary address,
    which their mail may never have used (all of it from a personal one): then any other address of
    that contact (`contacts`: the ground truth's) that the warehouse knows."""
    resolve = address_resolver(conn)
    others = {address.lower(): contact["addresses"] for contact in contacts for address in contact["addresses"]}

    def person(address: str) -> str:
        known = (resolve(a) for a in [address, *others.get(address.lower(), ())])
        return next((p for p in known if p), None) or f"unknown:{address.lower()}"

    return person
