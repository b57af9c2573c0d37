"""What the digests suggested: saved per day (warehouse/digest_store.py keeps it), read back by the
guards, and whether the user acted."""

from __future__ import annotations

from datetime import datetime, timezone

import duckdb
import pyarrow as pa

from kith.digests.items import Digest
from kith.warehouse import digest_store
from kith.warehouse.digest_store import acted_share, suggested_since

__all__ = ["acted_share", "save_digest", "suggested_since"]


def save_digest(conn: duckdb.DuckDBPyConnection, digest: Digest, text_body: str, html_body: str) -> None:
    """Store the digest and its items; building the same day again replaces both."""
    items = digest.items
    rows = pa.table(
        {
            "section": pa.array([i.section for i in items], pa.string()),
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
    digest_store.save_digest(conn, digest.day, rows, digest.new_connections_this_week, text_body, html_body, built_at)
