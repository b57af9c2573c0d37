"""Building the day's digest: every section, read from the warehouse as of the digest day."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime, timedelta

import duckdb

from digests.congratulate import congratulate_items
from digests.follow_through import awaiting_reply_items, new_person_items, promise_items, reply_owed_items
from digests.items import Digest, DigestItem
from digests.reconnect import reconnect_items
from models.settings import Settings

NEW_CONNECTIONS_GOAL = 1

# Every interaction with a genuine contact (not the user, not automated) before the cutoff: exactly
# `interactions JOIN people WHERE NOT is_self AND NOT is_automated AND happened_at < $cutoff`, but
# built from the messages that can yield such a row (sent by the user, or by a genuine contact),
# so the whole mailbox (mostly automated mail) is neither deduplicated nor joined to its addresses.
# Every section reads it instead of the `interactions` view (see `contact_table`).
CONTACT_SQL = """
WITH ident AS (
    SELECT i.address, i.person_id, p.is_self, NOT p.is_self AND NOT p.is_automated AS genuine
    FROM identities i JOIN people p USING (person_id)
),
wanted AS (
    -- keys of the messages that can yield such a row: from the user or a genuine contact
    SELECT coalesce(m.message_id, m.account || m.source_id) AS message_key
    FROM messages m
    WHERE m.sent_at < $cutoff
      AND m.from_address IN (SELECT address FROM ident WHERE is_self OR genuine)
),
kept AS (
    -- as in `unique_messages`: one row per message, its first copy by (account, source_id)
    SELECT m.account, m.source_id, m.from_address, m.sent_at, m.subject, m.link
    FROM messages m
    WHERE m.sent_at IS NOT NULL
      AND coalesce(m.message_id, m.account || m.source_id) IN (SELECT message_key FROM wanted)
    QUALIFY row_number() OVER (PARTITION BY coalesce(m.message_id, m.account || m.source_id)
                               ORDER BY m.account, m.source_id) = 1
),
mail AS (
    SELECT k.account, k.source_id, s.person_id AS sender_id, s.is_self AS from_self, k.sent_at, k.subject, k.link
    FROM kept k JOIN ident s ON s.address = k.from_address
    WHERE (s.is_self OR s.genuine) AND k.sent_at < $cutoff
),
parts AS (
    SELECT DISTINCT a.account, a.source_id, i.person_id, i.is_self, i.genuine, a.role = 'from' AS is_sender
    FROM message_addresses a
    JOIN mail USING (account, source_id)
    JOIN ident i ON i.address = a.address
),
counted AS (
    SELECT account, source_id, count(*) AS others FROM parts WHERE NOT is_self GROUP BY ALL
),
sent AS (
    SELECT m.*, p.person_id, c.others
    FROM mail m
    JOIN parts p USING (account, source_id)
    JOIN counted c USING (account, source_id)
    WHERE m.from_self AND NOT p.is_self AND NOT p.is_sender AND p.genuine
),
received AS (
    SELECT m.*, m.sender_id AS person_id, c.others
    FROM mail m JOIN counted c USING (account, source_id)
    WHERE NOT m.from_self
),
meeting_people AS (
    SELECT g.account, g.source_id, g.title, g.start_at, g.link, i.person_id, i.is_self, i.genuine,
           coalesce(a.response, 'accepted') AS response
    FROM meetings g
    JOIN meeting_attendees a ON a.account = g.account AND a.source_id = g.source_id
    JOIN ident i ON i.address = a.address
    WHERE g.status <> 'cancelled' AND g.event_type = 'default' AND NOT g.all_day
),
met AS (
    SELECT mp.*, count(*) OVER (PARTITION BY mp.account, mp.source_id) AS others
    FROM meeting_people mp
    WHERE NOT mp.is_self AND mp.response <> 'declined'
      AND NOT EXISTS (SELECT 1 FROM meeting_people me
                      WHERE me.account = mp.account AND me.source_id = mp.source_id
                        AND me.is_self AND me.response = 'declined')
)
SELECT person_id, sent_at AS happened_at, 'email' AS kind, 'sent' AS direction,
       CASE WHEN others > 1 THEN 0.5 ELSE 1.0 END AS weight, account, source_id, subject AS title, link
FROM sent
UNION ALL
SELECT person_id, sent_at, 'email', 'received', CASE WHEN others > 1 THEN 0.5 ELSE 1.0 END,
       account, source_id, subject, link
FROM received
UNION ALL
SELECT person_id, start_at, 'meeting', 'both', CASE WHEN others > 1 THEN 1.5 ELSE 3.0 END,
       account, source_id, title, link
FROM met WHERE genuine AND start_at < $cutoff
"""
_names = itertools.count()


@contextmanager
def contact_table(conn: duckdb.DuckDBPyConnection, day: date) -> Iterator[str]:
    """A TEMP table of `CONTACT_SQL` as of `day` (contact before the next midnight), dropped after."""
    name = f"digest_contact_{next(_names)}"
    cutoff = datetime.combine(day + timedelta(days=1), datetime.min.time())
    conn.execute(f"CREATE OR REPLACE TEMP TABLE {name} AS {CONTACT_SQL}", {"cutoff": cutoff})
    try:
        yield name
    finally:
        conn.execute(f"DROP TABLE IF EXISTS temp.{name}")


def build_digest(conn: duckdb.DuckDBPyConnection, settings: Settings, day: date) -> Digest:
    """The digest for `day`: all of today's congratulations, the most pressing follow-ups, and a
    handful of reconnects. Reads only (a TEMP table, dropped again); data dated after `day` is ignored."""
    with contact_table(conn, day) as contact:
        return _build(conn, settings, day, contact)


def _build(conn: duckdb.DuckDBPyConnection, settings: Settings, day: date, contact: str) -> Digest:
    congratulate = congratulate_items(conn, day, contact=contact)
    taken = {item.person_id for item in congratulate}
    reply_owed = reply_owed_items(conn, day, contact=contact)
    promises = promise_items(conn, day, contact=contact)
    awaiting = awaiting_reply_items(conn, day, contact=contact)
    new_people, new_connections = new_person_items(conn, day, contact=contact)
    for item in (*reply_owed, *promises, *awaiting, *new_people):
        taken.add(item.person_id)
    # A person already in today's digest for something else is not also a reconnect.
    reconnect = [
        item
        for item in reconnect_items(conn, day, settings.digest.max_reconnects + len(taken), contact=contact)
        if item.person_id not in taken
    ][: settings.digest.max_reconnects]
    items: list[DigestItem] = [*congratulate, *reply_owed, *promises, *awaiting, *new_people, *reconnect]
    return Digest(
        day=day,
        user_name=settings.user.name,
        items=items,
        new_connections_this_week=new_connections,
        new_connections_goal=NEW_CONNECTIONS_GOAL,
    )
