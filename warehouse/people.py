"""Derived people: rebuilt after every sync from identities, messages and meetings, together with
the mail part of `interactions` (`mail_contacts`), which depends on messages and people only."""

from __future__ import annotations

import duckdb
import pyarrow as pa

from kith.models.automated import AUTOMATED_LOCAL, ROLE_LOCAL, is_bulk
from kith.models.names import display_name
from kith.warehouse.identity import rebuild_identities
from kith.warehouse.schema import DERIVED, read_sql
from kith.warehouse.store import bounded_memory
from kith.warehouse.transaction import in_transaction

# The header combinations in `messages` (a few dozen in a real mailbox), for `is_bulk` to judge.
_HEADER_COMBINATIONS = """
    SELECT DISTINCT list_id IS NOT NULL AS has_list_id, list_unsubscribe, precedence, auto_submitted FROM messages
"""

_NAME_SPELLINGS = """
    SELECT name FROM message_addresses WHERE name IS NOT NULL
    UNION SELECT name FROM meeting_attendees WHERE name IS NOT NULL
"""


def refresh_people(conn: duckdb.DuckDBPyConnection, user_addresses: list[str]) -> dict[str, int]:
    """Re-resolve identities and people, and rebuild `mail_contacts` from them, in one transaction;
    returns counts for the summary."""
    with bounded_memory(conn, "256MB"):  # at 1M messages: 633 MiB peak uncapped, 366 MiB capped
        with in_transaction(conn):
            rebuild_identities(conn, user_addresses)
            conn.register("bulk_headers", bulk_verdicts(conn))
            conn.register("written_names", written_names(conn))
            try:
                conn.execute(read_sql("people.sql"), {"automated_local": AUTOMATED_LOCAL, "role_local": ROLE_LOCAL})
            finally:
                conn.unregister("written_names")
                conn.unregister("bulk_headers")
            for name in DERIVED:  # what depends on messages and people only, e.g. `mail_contacts`
                conn.execute(read_sql(name))
    people, automated, own = conn.execute(
        "SELECT count(*) FILTER (NOT is_automated AND NOT is_self), count(*) FILTER (is_automated), "
        "coalesce(max(address_count) FILTER (is_self), 0) FROM people"
    ).fetchall()[0]
    return {"people": people, "automated": automated, "own_addresses": own}


def automated_people(conn: duckdb.DuckDBPyConnection) -> set[str]:
    """The people marked as automated senders."""
    return {person_id for (person_id,) in conn.execute("SELECT person_id FROM people WHERE is_automated").fetchall()}


def written_names(conn: duckdb.DuckDBPyConnection) -> pa.Table:
    """Each name spelling in mail headers and calendars (raw) with the form people write it in (name),
    by the one rule for it (`display_name`); spellings that leave no name are left out."""
    raws = [raw for (raw,) in conn.execute(_NAME_SPELLINGS).fetchall()]
    pairs = [(raw, name) for raw in raws if (name := display_name(raw))]
    return pa.table({"raw": pa.array([r for r, _ in pairs], pa.string()),
                     "name": pa.array([n for _, n in pairs], pa.string())})


def bulk_verdicts(conn: duckdb.DuckDBPyConnection) -> pa.Table:
    """Each combination of list/bulk headers in `messages` with `is_bulk`'s verdict on it."""
    rows = conn.execute(_HEADER_COMBINATIONS).fetchall()
    columns = list(zip(*rows)) if rows else [(), (), (), ()]
    return pa.table(
        {
            "has_list_id": pa.array(columns[0], pa.bool_()),
            "list_unsubscribe": pa.array(columns[1], pa.bool_()),
            "precedence": pa.array(columns[2], pa.string()),
            "auto_submitted": pa.array(columns[3], pa.string()),
            "bulk": pa.array([is_bulk(*row) for row in rows], pa.bool_()),
        }
    )
