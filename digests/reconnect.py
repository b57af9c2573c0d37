"""Reconnect: people the user is drifting away from, ranked by how overdue and how close they are.

Per person with a real two-way history (one-way contact counts as no relationship), from the
warehouse's `contact_figures` (warehouse/sql/rules.sql), which `kith person` reads too:

- rhythm: the typical gap, the median gap between the starts of contact episodes (a burst counts
  once), known from 2 episodes; overdue from 3 episodes past 1.5x the median with the silence so
  far counted as one more gap, past 2x with only one gap to go by, and past a year after a single
  episode (see `contact_figures`);
- strength: recency-decayed sum of interaction weights (meetings > 1:1 mail > group mail; see the
  `interactions` view);
- overdue ratio: days since the last contact / the gap; the ranking is overdue ratio x strength.

A user's cadence (`person_overrides.cadence_days`) always wins, due as soon as it is passed. Who may
be suggested at all (not muted, not snoozed, not automated, not the user) is the warehouse's
`suggestible_people`. Guards: nobody contacted in the last `GUARD_DAYS`, nobody suggested in the
last `GUARD_DAYS`, nobody who left the user's last `IGNORED_MESSAGES` messages unanswered.
Everything is computed as of the digest day in the user's time zone: later rows are ignored.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

import duckdb

from kith.digests import wording
from kith.digests.items import DigestItem
from kith.warehouse.queries import Zone, day_end, interactions_as_of, local_time, run_query, zone_name

GUARD_DAYS = 14
IGNORED_MESSAGES = 3


@dataclass(frozen=True)
class Candidate:
    person_id: str
    name: str
    address: str
    gap_days: int
    basis: str  # pinned, or contact_figures' rhythm: usual, twice, once
    days_since: int
    overdue: float
    strength: float
    last_kind: str | None
    last_title: str | None
    last_at: datetime
    link: str | None

    @property
    def score(self) -> float:
        return self.overdue * self.strength

    def item(self) -> DigestItem:
        return DigestItem(
            section="reconnect",
            person_id=self.person_id,
            name=self.name,
            address=self.address,
            reason=wording.reconnect_reason(self.gap_days, self.days_since, self.basis),
            last_interaction=wording.last_interaction(self.last_kind, self.last_title, self.last_at),
            link=self.link,
            score=round(self.score, 4),
        )


def reconnect_candidates(conn: duckdb.DuckDBPyConnection, day: date, *, contact: str | None = None,
                         zone: Zone = "UTC") -> list[Candidate]:
    """Everyone overdue as of `day` (the user's day in `zone`), past every guard, best first
    (uncapped). `contact`: the digest's snapshot of the interactions when the caller has one (see
    `warehouse.queries.interactions_as_of`)."""
    if contact is None:
        with interactions_as_of(conn, day, zone) as contact:
            return reconnect_candidates(conn, day, contact=contact, zone=zone)
    params = {"contact": contact, "day": day, "cutoff": day_end(day, zone), "zone": zone_name(zone),
              "guard_days": GUARD_DAYS}
    out = []
    for row in run_query(conn, "reconnect_candidates", params):
        if row["recently_suggested"] or row["unanswered"] >= IGNORED_MESSAGES or row["days_since"] < GUARD_DAYS:
            continue
        if row["days_since"] < row["overdue_after_days"]:
            continue
        gap, basis = row["gap_days"], row["basis"]
        overdue = row["days_since"] / gap
        out.append(
            Candidate(
                person_id=row["person_id"],
                name=wording.shown_name(row["display_name"], row["primary_address"]),
                address=row["primary_address"],
                gap_days=gap,
                basis=basis,
                days_since=row["days_since"],
                overdue=overdue,
                strength=float(row["strength"]),
                last_kind=row["last_kind"],
                last_title=row["last_title"],
                last_at=local_time(row["last_contact"], zone),
                link=row["last_link"],
            )
        )
    out.sort(key=lambda c: (-c.score, c.person_id))
    return out


def reconnect_items(conn: duckdb.DuckDBPyConnection, day: date, limit: int, *,
                    contact: str | None = None, zone: Zone = "UTC") -> list[DigestItem]:
    """The top `limit` reconnects for the digest of `day` (the user's day in `zone`)."""
    return [c.item() for c in reconnect_candidates(conn, day, contact=contact, zone=zone)[:limit]]
