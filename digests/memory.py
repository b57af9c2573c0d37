"""What the digests suggested: saved per day, read back by the guards, and whether the user acted."""

from __future__ import annotations

from datetime import date, datetime, timezone

import duckdb
import pyarrow as pa

from kith.digests.items import Digest


def save_digest(conn: duckdb.DuckDBPyConnection, digest: Digest, text_body: str, html_body: str) -> None:
    """Store the digest and its items; building the same day again replaces both."""
    items = digest.items
    rows = pa.table(
        {
            "digest_date": pa.array([digest.day] * len(items), pa.date32()),
            "position": pa.array(range(len(items)), pa.int32()),
            "section": [i.section for i in items],
            "person_id": pa.array([i.person_id for i in items], pa.string()),
            "name": pa.array([i.name for i in items], pa.string()),
            "address": pa.array([i.address for i in items], pa.string()),
            "reason": pa.array([i.reason for i in items], pa.string()),
            "last_interaction": pa.array([i.last_interaction for i in items], pa.string()),
            "account": pa.array([i.account for i in items], pa.string()),
            "source_id": pa.array([i.source_id for i in items], pa.string()),
            "link": pa.array([i.link for i in items], pa.string()),
            "score": pa.array([i.score for i in items], pa.float64()),
        }
    )
    built_at = datetime.now(timezone.utc).replace(tzinfo=None)
    conn.execute("BEGIN")
    try:
        conn.execute("DELETE FROM digest_items WHERE digest_date = ?", [digest.day])
        conn.execute(
            "INSERT OR REPLACE INTO digests (digest_date, built_at, item_count, new_connections, text_body, html_body) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            [digest.day, built_at, len(items), digest.new_connections_this_week, text_body, html_body],
        )
        if items:
            conn.register("new_digest_items", rows)
            try:
                conn.execute("INSERT INTO digest_items BY NAME SELECT * FROM new_digest_items")
            finally:
                conn.unregister("new_digest_items")
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise


def suggested_since(conn: duckdb.DuckDBPyConnection, since: date, before: date, section: str | None = None) -> set[str]:
    """People suggested in digests dated `since` <= day < `before` (optionally in one section)."""
    sql = "SELECT DISTINCT person_id FROM digest_items WHERE person_id IS NOT NULL AND digest_date >= ? AND digest_date < ?"
    params: list = [since, before]
    if section:
        sql += " AND section = ?"
        params.append(section)
    return {row[0] for row in conn.execute(sql, params).fetchall()}


def acted_share(conn: duckdb.DuckDBPyConnection, since: date, before: date) -> tuple[int, int]:
    """(items acted on, items) for digests dated `since` <= day < `before`: acted means any contact
    with that person after the digest day (see the `digest_outcomes` view)."""
    acted, total = conn.execute(
        "SELECT count(*) FILTER (WHERE acted), count(*) FROM digest_outcomes WHERE digest_date >= ? AND digest_date < ?",
        [since, before],
    ).fetchall()[0]
    return int(acted), int(total)
