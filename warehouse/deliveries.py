"""The delivery ledger: one `deliveries` row per digest day and recipient, moving
pending -> sending -> sent | failed (see digests/delivery.py for the protocol around it)."""

from __future__ import annotations

from datetime import date, datetime

import duckdb

_ADD = (
    "INSERT INTO deliveries (digest_date, recipient, method, status, attempts) VALUES (?, ?, ?, 'pending', 0) "
    "ON CONFLICT DO NOTHING"
)
_SENDING = "SELECT recipient FROM deliveries WHERE digest_date = ? AND status = 'sending'"
_CLAIM = (
    "UPDATE deliveries SET status = 'sending', attempts = attempts + 1, method = ? "
    "WHERE digest_date = ? AND recipient = ? AND status IN ('pending', 'failed') RETURNING attempts"
)
_SENT = (
    "UPDATE deliveries SET status = 'sent', message_id = ?, sent_at = ?, last_error = NULL "
    "WHERE digest_date = ? AND recipient = ? AND status = 'sending'"
)
_FAILED = (
    "UPDATE deliveries SET status = 'failed', last_error = ? "
    "WHERE digest_date = ? AND recipient = ? AND status = 'sending'"
)
_STATUS = "SELECT status, attempts, last_error, message_id FROM deliveries WHERE digest_date = ? AND recipient = ?"


def add_delivery(conn: duckdb.DuckDBPyConnection, day: date, recipient: str, method: str) -> None:
    """A pending row for (day, recipient) unless it has one."""
    try:
        conn.execute(_ADD, [day, recipient, method])
    except (duckdb.ConstraintException, duckdb.TransactionException):
        pass  # another connection added it at the same instant


def sending_recipients(conn: duckdb.DuckDBPyConnection, day: date) -> set[str]:
    """Recipients whose copy of `day`'s digest is marked as being sent."""
    return {recipient for (recipient,) in conn.execute(_SENDING, [day]).fetchall()}


def claim_delivery(conn: duckdb.DuckDBPyConnection, day: date, recipient: str, method: str) -> int | None:
    """Take the row for sending (the attempt's number), or None when it is sent or taken."""
    try:
        rows = conn.execute(_CLAIM, [method, day, recipient]).fetchall()
    except duckdb.TransactionException:  # another connection claimed it at the same instant
        return None
    return rows[0][0] if rows else None


def mark_sent(conn: duckdb.DuckDBPyConnection, day: date, recipient: str, message_id: str, sent_at: datetime) -> None:
    """The copy being sent went out (`sent_at` naive UTC)."""
    conn.execute(_SENT, [message_id, sent_at, day, recipient])


def mark_failed(conn: duckdb.DuckDBPyConnection, day: date, recipient: str, error: str) -> None:
    """The copy being sent did not go out; `error` is one line, never a secret."""
    conn.execute(_FAILED, [error, day, recipient])


def delivery_status(conn: duckdb.DuckDBPyConnection, day: date, recipient: str) -> tuple[str, int, str | None, str | None]:
    """(status, attempts, last_error, message_id) of one row."""
    return conn.execute(_STATUS, [day, recipient]).fetchall()[0]


def database_path(conn: duckdb.DuckDBPyConnection) -> str:
    """The file behind `conn` ("" in memory): claims are per database."""
    rows = conn.execute("SELECT path FROM duckdb_databases() WHERE database_name = current_database()").fetchall()
    return str(rows[0][0]) if rows else ""
