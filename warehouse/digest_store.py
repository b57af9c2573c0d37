"""What the digests keep in the warehouse: each day's digest and its items, read back by later
runs (the reconnect guard, delivery, the outcome figures). The delivery ledger is deliveries.py."""

from __future__ import annotations

from datetime import date, datetime

import duckdb
import pyarrow as pa

from kith.warehouse.queries import rows_of
from kith.warehouse.transaction import in_transaction

ITEM_COLUMNS = (
    "section", "person_id", "name", "address", "reason", "last_interaction", "account", "source_id", "link", "score",
)  # fmt: skip

_SAVE_DIGEST = (
    "INSERT OR REPLACE INTO digests (digest_date, built_at, item_count, new_connections, text_body, html_body) "
    "VALUES (?, ?, ?, ?, ?, ?)"
)
_STORED_DIGEST = "SELECT item_count, new_connections, text_body, html_body FROM digests WHERE digest_date = ?"
_STORED_ITEMS = f"SELECT {', '.join(ITEM_COLUMNS)} FROM digest_items WHERE digest_date = ? ORDER BY position"
_SUGGESTED = (
    "SELECT DISTINCT person_id FROM digest_items WHERE person_id IS NOT NULL AND digest_date >= ? AND digest_date < ? "
    "AND (? IS NULL OR section = ?)"
)
_ACTED = (
    "SELECT count(*) FILTER (WHERE acted), count(*) FROM digest_outcomes WHERE digest_date >= ? AND digest_date < ?"
)


def save_digest(conn: duckdb.DuckDBPyConnection, day: date, items: pa.Table, new_connections: int,
                text_body: str, html_body: str, built_at: datetime) -> None:
    """Store the digest of `day` and its items (`items`: ITEM_COLUMNS, in order); building the
    same day again replaces both."""
    rows = items.append_column("digest_date", pa.array([day] * items.num_rows, pa.date32())).append_column(
        "position", pa.array(range(items.num_rows), pa.int32())
    )
    with in_transaction(conn):
        conn.execute("DELETE FROM digest_items WHERE digest_date = ?", [day])
        conn.execute(_SAVE_DIGEST, [day, built_at, items.num_rows, new_connections, text_body, html_body])
        if items.num_rows:
            conn.register("new_digest_items", rows)
            try:
                conn.execute("INSERT INTO digest_items BY NAME SELECT * FROM new_digest_items")
            finally:
                conn.unregister("new_digest_items")


def stored_digest(conn: duckdb.DuckDBPyConnection, day: date) -> tuple[dict, list[dict]] | None:
    """(the `digests` row, its items in order as dicts of ITEM_COLUMNS) of `day`; None when none was built."""
    found = rows_of(conn.execute(_STORED_DIGEST, [day]))
    if not found:
        return None
    return found[0], rows_of(conn.execute(_STORED_ITEMS, [day]))


def suggested_since(conn: duckdb.DuckDBPyConnection, since: date, before: date, section: str | None = None) -> set[str]:
    """People suggested in digests dated `since` <= day < `before` (optionally in one section)."""
    rows = conn.execute(_SUGGESTED, [since, before, section, section]).fetchall()
    return {person_id for (person_id,) in rows}


def acted_share(conn: duckdb.DuckDBPyConnection, since: date, before: date) -> tuple[int, int]:
    """(items acted on, items) for digests dated `since` <= day < `before` (see `digest_outcomes`)."""
    acted, total = conn.execute(_ACTED, [since, before]).fetchall()[0]
    return int(acted), int(total)
