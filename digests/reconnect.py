"""Reconnect: people the user is drifting away from, ranked by how overdue and how close they are.

Per person with a real two-way history (one-way contact counts as no relationship):

- typical gap: the median gap between the starts of contact episodes (contact days closer than
  `EPISODE_DAYS` are one episode, so a burst counts once);
- strength: recency-decayed sum of interaction weights (meetings > 1:1 mail > group mail; see the
  `interactions` view), half-life about `STRENGTH_DECAY_DAYS * ln 2`;
- overdue ratio: days since the last contact / typical gap.

Cold start (fewer than `MIN_EPISODES` episodes): the gap comes from a closeness tier by strength
rank (top 5 weekly, next 10 monthly, next 35 quarterly, the rest yearly). A user's cadence
(`person_overrides.cadence_days`) always wins; muted and snoozed people are never suggested.
Guards: nobody contacted in the last `GUARD_DAYS`, nobody suggested in the last `GUARD_DAYS`,
nobody who left the user's last `IGNORED_MESSAGES` messages unanswered, no automated sender,
never the user. Everything is computed as of the digest day: later rows are ignored.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

import duckdb

from kith.digests import wording
from kith.digests.items import DigestItem

EPISODE_DAYS = 2
MIN_EPISODES = 3
STRENGTH_DECAY_DAYS = 180.0
GUARD_DAYS = 14
IGNORED_MESSAGES = 3
OVERDUE_MIN = 1.5  # learned or tier rhythm: nudge at 1.5x the usual gap (ties fade near 8x)
PINNED_OVERDUE_MIN = 1.0  # the user's own cadence: nudge as soon as it is passed
TIERS = ((5, 7, "closest"), (15, 30, "monthly"), (50, 91, "quarterly"), (None, 365, "yearly"))

RECONNECT_SQL = f"""
WITH contact AS (
    -- genuine contacts' interactions before the cutoff (see digests.build.contact_table)
    SELECT person_id, happened_at, kind, direction, weight, title, link FROM __CONTACT__
),
days AS (
    SELECT DISTINCT person_id, happened_at::DATE AS day FROM contact
),
marked AS (
    SELECT person_id, day,
           coalesce(day - lag(day) OVER (PARTITION BY person_id ORDER BY day), 9999) > {EPISODE_DAYS} AS starts
    FROM days
),
starts AS (
    SELECT person_id, day - lag(day) OVER (PARTITION BY person_id ORDER BY day) AS gap
    FROM marked WHERE starts
),
rhythm AS (
    SELECT person_id, count(*) AS episodes, median(gap) AS learned_gap FROM starts GROUP BY person_id
),
figures AS (
    SELECT person_id,
           max(happened_at) AS last_contact,
           arg_max(kind, happened_at) AS last_kind,
           arg_max(title, happened_at) AS last_title,
           arg_max(link, happened_at) AS last_link,
           count(*) FILTER (WHERE direction = 'sent') AS sent,
           count(*) FILTER (WHERE direction = 'received') AS received,
           count(*) FILTER (WHERE kind = 'meeting') AS meetings,
           max(happened_at) FILTER (WHERE direction <> 'sent') AS last_heard,
           sum(weight * exp(-date_diff('day', happened_at::DATE, $day) / {STRENGTH_DECAY_DAYS})) AS strength
    FROM contact GROUP BY person_id
),
ignored AS (
    SELECT c.person_id, count(*) AS unanswered
    FROM contact c JOIN figures f USING (person_id)
    WHERE c.direction = 'sent' AND c.happened_at > coalesce(f.last_heard, TIMESTAMP '1900-01-01')
    GROUP BY c.person_id
),
overrides AS (
    SELECT i.person_id, bool_or(o.muted) AS muted, max(o.cadence_days) AS cadence_days,
           max(o.snoozed_until) AS snoozed_until
    FROM person_overrides o JOIN identities i ON i.address = o.address
    GROUP BY i.person_id
),
recently_suggested AS (
    SELECT DISTINCT person_id FROM digest_items
    WHERE person_id IS NOT NULL AND digest_date < $day AND digest_date >= $day - INTERVAL {GUARD_DAYS} DAY
),
ranked AS (
    SELECT f.*, r.episodes, r.learned_gap,
           (f.sent > 0 OR f.meetings > 0) AND (f.received > 0 OR f.meetings > 0) AS two_way,
           row_number() OVER (ORDER BY f.strength DESC, f.person_id) AS strength_rank
    FROM figures f LEFT JOIN rhythm r USING (person_id)
    WHERE (f.sent > 0 OR f.meetings > 0) AND (f.received > 0 OR f.meetings > 0)
)
SELECT r.person_id, p.display_name, p.primary_address,
       r.last_contact, r.last_kind, r.last_title, r.last_link, r.strength, r.episodes, r.learned_gap,
       r.strength_rank, o.cadence_days, coalesce(o.muted, false) AS muted, o.snoozed_until,
       coalesce(g.unanswered, 0) AS unanswered, s.person_id IS NOT NULL AS recently_suggested,
       date_diff('day', r.last_contact::DATE, $day) AS days_since
FROM ranked r
JOIN people p USING (person_id)
LEFT JOIN overrides o USING (person_id)
LEFT JOIN ignored g USING (person_id)
LEFT JOIN recently_suggested s USING (person_id)
"""


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


def reconnect_candidates(conn: duckdb.DuckDBPyConnection, day: date, *, contact: str | None = None) -> list[Candidate]:
    """Everyone overdue as of `day`, past every guard, best first (uncapped). `contact`: the
    digest's contact table when the caller has one (see `digests.build.contact_table`)."""
    if contact is None:
        from kith.digests.build import contact_table

        with contact_table(conn, day) as contact:
            return reconnect_candidates(conn, day, contact=contact)
    cursor = conn.execute(RECONNECT_SQL.replace("__CONTACT__", contact), {"day": day})
    columns = [d[0] for d in cursor.description]
    out = []
    for values in cursor.fetchall():
        row = dict(zip(columns, values))
        if row["muted"] or row["recently_suggested"] or row["unanswered"] >= IGNORED_MESSAGES:
            continue
        if row["snoozed_until"] is not None and row["snoozed_until"] >= day:
            continue
        if row["days_since"] < GUARD_DAYS:
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
            )
        )
    out.sort(key=lambda c: (-c.score, c.person_id))
    return out


def rhythm_of(row: dict) -> tuple[int, str]:
    """(gap in days, basis): the user's cadence, else the learned gap, else the closeness tier."""
    if row["cadence_days"]:
        return int(row["cadence_days"]), "pinned"
    if (row["episodes"] or 0) >= MIN_EPISODES and row["learned_gap"]:
        return max(1, round(float(row["learned_gap"]))), "learned"
    rank = row["strength_rank"]
    for limit, gap, name in TIERS:
        if limit is None or rank <= limit:
            return gap, name
    raise AssertionError("unreachable")


def reconnect_items(conn: duckdb.DuckDBPyConnection, day: date, limit: int, *,
                    contact: str | None = None) -> list[DigestItem]:
    """The top `limit` reconnects for the digest of `day`."""
    return [c.item() for c in reconnect_candidates(conn, day, contact=contact)[:limit]]
