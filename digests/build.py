"""Building the day's digest: every section, read from the warehouse as of the digest day."""

from __future__ import annotations

from datetime import date

import duckdb

from kith.digests.congratulate import congratulate_items
from kith.digests.follow_through import awaiting_reply_items, new_person_items, promise_items, reply_owed_items
from kith.digests.items import Digest, DigestItem
from kith.digests.reconnect import reconnect_items
from kith.models.settings import Settings
from kith.warehouse.queries import interactions_as_of, use_meeting_size_limit

NEW_CONNECTIONS_GOAL = 1


def build_digest(conn: duckdb.DuckDBPyConnection, settings: Settings, day: date) -> Digest:
    """The digest for `day`: all of today's congratulations, the most pressing follow-ups, and a
    handful of reconnects. Reads only (a TEMP table, dropped again); data dated after `day` is ignored.
    `day` is the user's, in their time zone (`settings.zone`): its windows start and end at their
    midnights, and "days ago" count their days. Every section reads one snapshot of the
    interactions as of `day` (see `interactions_as_of`)."""
    use_meeting_size_limit(conn, settings.meetings.size_limit)
    with interactions_as_of(conn, day, settings.zone) as contact:
        return _build(conn, settings, day, contact)


def _build(conn: duckdb.DuckDBPyConnection, settings: Settings, day: date, contact: str) -> Digest:
    zone = settings.zone
    congratulate = congratulate_items(conn, day, contact=contact, zone=zone)
    taken = {item.person_id for item in congratulate}
    reply_owed = reply_owed_items(conn, day, contact=contact, zone=zone)
    promises = promise_items(conn, day, contact=contact, zone=zone)
    awaiting = awaiting_reply_items(conn, day, contact=contact, zone=zone)
    new_people, new_connections = new_person_items(conn, day, contact=contact, zone=zone)
    for item in (*reply_owed, *promises, *awaiting, *new_people):
        taken.add(item.person_id)
    # The fifteen-minute budget: the most pressing follow-ups first (someone waiting on you, then
    # your promises, people just met, your unanswered questions); the rest come up on later days.
    shown = {id(item) for item in [*reply_owed, *promises, *new_people, *awaiting][: settings.digest.max_follow_ups]}
    reply_owed, promises, new_people, awaiting = (
        [item for item in section if id(item) in shown] for section in (reply_owed, promises, new_people, awaiting)
    )
    # A person already in today's digest for something else is not also a reconnect.
    reconnect = [
        item
        for item in reconnect_items(conn, day, settings.digest.max_reconnects + len(taken), contact=contact,
                                    zone=zone)
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
