"""Building the day's digest: every section, read from the warehouse as of the digest day."""

from __future__ import annotations

from datetime import date

import duckdb

from digests.congratulate import congratulate_items
from digests.follow_through import awaiting_reply_items, new_person_items, promise_items, reply_owed_items
from digests.items import Digest, DigestItem
from digests.reconnect import reconnect_items
from models.settings import Settings

NEW_CONNECTIONS_GOAL = 1


def build_digest(conn: duckdb.DuckDBPyConnection, settings: Settings, day: date) -> Digest:
    """The digest for `day`: all of today's congratulations, the most pressing follow-ups, and a
    handful of reconnects. Reads only; data dated after `day` is ignored."""
    congratulate = congratulate_items(conn, day)
    taken = {item.person_id for item in congratulate}
    reply_owed = reply_owed_items(conn, day)
    promises = promise_items(conn, day)
    awaiting = awaiting_reply_items(conn, day)
    new_people, new_connections = new_person_items(conn, day)
    for item in (*reply_owed, *promises, *awaiting, *new_people):
        taken.add(item.person_id)
    # A person already in today's digest for something else is not also a reconnect.
    reconnect = [
        item
        for item in reconnect_items(conn, day, settings.digest.max_reconnects + len(taken))
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
