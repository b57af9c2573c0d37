"""Reconnect: people the user is drifting away from, ranked by how overdue and how close they are.

Per person with a real two-way history (one-way contact counts as no relationship), from the
warehouse's `contact_figures` (warehouse/sql/rules.sql), which `kith person` reads too:

- typical gap: the median gap between the starts of contact episodes (a burst counts once), known
  once there are 3 episodes;
- strength: recency-decayed sum of interaction weights (meetings > 1:1 mail > group mail; see the
  `interactions` view);
- overdue ratio: days since the last contact / typical gap.

Cold start (no typical gap yet): the gap comes from a closeness tier by strength rank (top 5
weekly, next 10 monthly, next 35 quarterly, the rest yearly). A user's cadence
(`person_overrides.cadence_days`) always wins. Who may be suggested at all (not muted, not
snoozed, not automated, not the user) is the warehouse's `suggestible_people`. A tier is named
in the reason ("one of your closest contacts") only when enough days in touch back it. Guards: nobody
contacted in the last `GUARD_DAYS`, nobody suggested in the last `GUARD_DAYS`, nobody who left the
user's last `IGNORED_MESSAGES` messages unanswered. Everything is computed as of the digest day:
later rows are ignored.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

import duckdb

from kith.digests import wording
from kith.digests.items import DigestItem
from kith.warehouse.queries import day_end, interactions_as_of, run_query

GUARD_DAYS = 14
IGNORED_MESSAGES = 3
OVERDUE_MIN = 1.5  # learned or tier rhythm: nudge at 1.5x the usual gap (ties fade near 8x)
PINNED_OVERDUE_MIN = 1.0  # the user's own cadence: nudge as soon as it is passed
TIERS = ((5, 7, "closest"), (15, 30, "monthly"), (50, 91, "quarterly"), (None, 365, "yearly"))


@dataclass(frozen=True)
class Candidate:
    person_id: str
    name: str
    address: str
    gap_days: int
    basis: str  # learned, pinned, or a tier name
    days_since: int
    overdue: float
    strength: float
    last_kind: str | None
    last_title: str | None
    last_at: datetime
    link: str | None
    contact_days: int | None = None  # days in touch: the evidence a closeness tier needs

    @property
    def score(self) -> float:
        return self.overdue * self.strength

    def item(self) -> DigestItem:
        return DigestItem(
            section="reconnect",
            person_id=self.person_id,
            name=self.name,
            address=self.address,
            reason=wording.reconnect_reason(self.gap_days, self.days_since, self.basis, self.contact_days),
            last_interaction=wording.last_interaction(self.last_kind, self.last_title, self.last_at),
            link=self.link,
            score=round(self.score, 4),
        )


def reconnect_candidates(conn: duckdb.DuckDBPyConnection, day: date, *, contact: str | None = None) -> list[Candidate]:
    """Everyone overdue as of `day`, past every guard, best first (uncapped). `contact`: the
    digest's snapshot of the interactions when the caller has one (see
    `warehouse.queries.interactions_as_of`)."""
    if contact is None:
        with interactions_as_of(conn, day) as contact:
            return reconnect_candidates(conn, day, contact=contact)
    params = {"contact": contact, "day": day, "cutoff": day_end(day), "guard_days": GUARD_DAYS}
    out = []
    for row in run_query(conn, "reconnect_candidates", params):
        if row["recently_suggested"] or row["unanswered"] >= IGNORED_MESSAGES or row["days_since"] < GUARD_DAYS:
            continue
        gap, basis = rhythm_of(row)
        overdue = row["days_since"] / gap
        if overdue < (PINNED_OVERDUE_MIN if basis == "pinned" else OVERDUE_MIN):
            continue
        out.append(
            Candidate(
                person_id=row["person_id"],
                name=row["display_name"] or row["primary_address"],
                address=row["primary_address"],
                gap_days=gap,
                basis=basis,
                days_since=row["days_since"],
                overdue=overdue,
                strength=float(row["strength"]),
                last_kind=row["last_kind"],
                last_title=row["last_title"],
                last_at=row["last_contact"],
                link=row["last_link"],
                contact_days=row["days_with_contact"],
            )
        )
    out.sort(key=lambda c: (-c.score, c.person_id))
    return out


def rhythm_of(row: dict) -> tuple[int, str]:
    """(gap in days, basis): the user's cadence, else the typical gap, else the closeness tier."""
    if row["cadence_days"]:
        return int(row["cadence_days"]), "pinned"
    if row["typical_gap_days"] is not None:
        return int(row["typical_gap_days"]), "learned"
    rank = row["strength_rank"]
    for limit, gap, name in TIERS:
        if limit is None or rank <= limit:
            return gap, name
    raise AssertionError("unreachable")


def reconnect_items(conn: duckdb.DuckDBPyConnection, day: date, limit: int, *,
                    contact: str | None = None) -> list[DigestItem]:
    """The top `limit` reconnects for the digest of `day`."""
    return [c.item() for c in reconnect_candidates(conn, day, contact=contact)[:limit]]
