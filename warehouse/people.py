"""Derived people: rebuilt after every sync from identities, messages and meetings."""

from __future__ import annotations

import duckdb

from kith.warehouse.identity import rebuild_identities
from kith.warehouse.schema import read_sql
from kith.warehouse.store import bounded_memory
from kith.warehouse.transaction import in_transaction


def refresh_people(conn: duckdb.DuckDBPyConnection, user_addresses: list[str]) -> dict[str, int]:
    """Re-resolve identities and people in one transaction; returns counts for the summary."""
    with bounded_memory(conn, "256MB"):  # at 1M messages: 633 MiB peak uncapped, 366 MiB capped
        with in_transaction(conn):
            rebuild_identities(conn, user_addresses)
            conn.execute(read_sql("people.sql"))
    people, automated, own = conn.execute(
        "SELECT count(*) FILTER (NOT is_automated AND NOT is_self), count(*) FILTER (is_automated), "
        "coalesce(max(address_count) FILTER (is_self), 0) FROM people"
    ).fetchall()[0]
    return {"people": people, "automated": automated, "own_addresses": own}
