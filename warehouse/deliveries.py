"""The delivery ledgers: one row per day and recipient, moving pending -> sending -> sent | failed
(see digests/delivery.py for the protocol around it). Two ledgers share the shape: `deliveries`
(the digest, per digest day) and `report_deliveries` (the report by mail, per period start)."""

from __future__ import annotations

from datetime import date, datetime

import duckdb

# ledger name -> (table, column holding its day)
LEDGERS = {"digest": ("deliveries", "digest_date"), "report": ("report_deliveries", "period_start")}

_ADD = (
    "INSERT INTO {table} ({day}, recipient, method, status, attempts) VALUES (?, ?, ?, 'pending', 0) "
    "ON CONFLICT DO NOTHING"
)
_SENDING = "SELECT recipient FROM {table} WHERE {day} = ? AND status = 'sending'"
_CLAIM = (
    "UPDATE {table} SET status = 'sending', attempts = attempts + 1, method = ? "
    "WHERE {day} = ? AND recipient = ? AND status IN ('pending', 'failed') RETURNING attempts"
)
_SENT = (
    "UPDATE {table} SET status = 'sent', message_id = ?, sent_at = ?, last_error = NULL "
    "WHERE {day} = ? AND recipient = ? AND status = 'sending'"
)
_FAILED = (
    "UPDATE {table} SET status = 'failed', last_error = ? "
    "WHERE {day} = ? AND recipient = ? AND status = 'sending'"
)
_STATUS = "SELECT status, attempts, last_error, message_id FROM {table} WHERE {day} = ? AND recipient = ?"
_GONE_OUT = "SELECT recipient FROM {table} WHERE {day} = ? AND status IN ('sent', 'sending')"


def _sql(template: str, ledger: str) -> str:
    table, day = LEDGERS[ledger]
    return template.format(table=table, day=day)


def add_delivery(conn: duckdb.DuckDBPyConnection, day: date, recipient: str, method: str, *, ledger: str = "digest") -> None:
    """A pending row for (day, recipient) unless it has one."""
    try:
        conn.execute(_sql(_ADD, ledger), [day, recipient, method])
    except (duckdb.ConstraintException, duckdb.TransactionException):
        pass  # another connection added it at the same instant


def sending_recipients(conn: duckdb.DuckDBPyConnection, day: date, *, ledger: str = "digest") -> set[str]:
    """Recipients whose copy of `day` is marked as being sent."""
    return {recipient for (recipient,) in conn.execute(_sql(_SENDING, ledger), [day]).fetchall()}


def gone_out(conn: duckdb.DuckDBPyConnection, day: date, *, ledger: str = "digest") -> set[str]:
    """Recipients whose copy of `day` is sent or being sent."""
    return {recipient for (recipient,) in conn.execute(_sql(_GONE_OUT, ledger), [day]).fetchall()}


def claim_delivery(conn: duckdb.DuckDBPyConnection, day: date, recipient: str, method: str, *, ledger: str = "digest") -> int | None:
    """Take the row for sending (the attempt's number), or None when it is sent or taken."""
    try:
        rows = conn.execute(_sql(_CLAIM, ledger), [method, day, recipient]).fetchall()
    except duckdb.TransactionException:  # another connection claimed it at the same instant
        return None
    return rows[0][0] if rows else None


def mark_sent(conn: duckdb.DuckDBPyConnection, day: date, recipient: str, message_id: str, sent_at: datetime,
              *, ledger: str = "digest") -> None:
    """The copy being sent went out (`sent_at` naive UTC)."""
    conn.execute(_sql(_SENT, ledger), [message_id, sent_at, day, recipient])


def mark_failed(conn: duckdb.DuckDBPyConnection, day: date, recipient: str, error: str, *, ledger: str = "digest") -> None:
    """The copy being sent did not go out; `error` is one line, never a secret."""
    conn.execute(_sql(_FAILED, ledger), [error, day, recipient])


def delivery_status(conn: duckdb.DuckDBPyConnection, day: date, recipient: str,
                    *, ledger: str = "digest") -> tuple[str, int, str | None, str | None]:
    """(status, attempts, last_error, message_id) of one row."""
    return conn.execute(_sql(_STATUS, ledger), [day, recipient]).fetchall()[0]


def database_path(conn: duckdb.DuckDBPyConnection) -> str:
    """The file behind `conn` ("" in memory): claims are per database."""
    rows = conn.execute("SELECT path FROM duckdb_databases() WHERE database_name = current_database()").fetchall()
    return str(rows[0][0]) if rows else ""
