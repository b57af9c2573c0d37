"""Storing batches: rows go in through Arrow, each batch and its cursor in one transaction."""

from __future__ import annotations

import contextlib

import json
import re
from collections.abc import Iterable
from datetime import datetime, timezone

import duckdb
import pyarrow as pa

from kith.models import Batch, Message, Signal
from kith.warehouse.transaction import in_transaction

FULL = "free space and run the sync again (nothing of the interrupted batch was kept)"
_LOTUS_NAME = re.compile(r"^\s*\"?([^/<>@\"]+?)\"?\s*(?:/|<|$)")


def utc_now() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None)


def save_batch(
    conn: duckdb.DuckDBPyConnection,
    batch: Batch,
    *,
    kind: str,
    signals: Iterable[Signal] = (),
    keep_subjects: bool = True,
) -> None:
    """Upsert the batch's records, its signals, its skips and its cursor, all or nothing.

    A replayed batch changes nothing: rows are keyed on the source's natural key and the rows
    that hang off a record (addresses, attendees, signals) are replaced with it.
    """
    now = utc_now()
    with in_transaction(conn, if_full=FULL):
        conn.execute(
            "INSERT INTO accounts VALUES (?, ?, ?, ?) ON CONFLICT (name) DO UPDATE SET last_synced_at = excluded.last_synced_at",
            [batch.account, kind, now, now],
        )
        if batch.reset:
            _clear_stream(conn, batch.account, batch.stream)
        if batch.deleted:
            _delete_records(conn, batch.account, batch.stream, batch.deleted)
        if batch.messages:
            _save_messages(conn, batch.messages, keep_subjects)
        if batch.meetings:
            _save_meetings(conn, batch)
        signal_rows = list(signals)
        if signal_rows:
            _save_signals(conn, signal_rows, keep_evidence=keep_subjects)
        if batch.skips:
            _upsert(
                conn,
                "skipped_records",
                pa.table(
                    {
                        "account": [batch.account] * len(batch.skips),
                        "stream": [batch.stream] * len(batch.skips),
                        "location": [s.location for s in batch.skips],
                        "reason": [s.reason for s in batch.skips],
                        "seen_at": pa.array([now] * len(batch.skips), pa.timestamp("us")),
                    }
                ),
            )
        if batch.cursor is not None:
            conn.execute(
                """
                INSERT INTO sync_state VALUES (?, ?, ?, ?, ?)
                ON CONFLICT (account, stream) DO UPDATE SET
                    cursor = excluded.cursor,
                    last_full_sync = coalesce(excluded.last_full_sync, sync_state.last_full_sync),
                    last_success = excluded.last_success
                """,
                [batch.account, batch.stream, json.dumps(batch.cursor), now if batch.reset else None, now],
            )


def load_cursor(conn: duckdb.DuckDBPyConnection, account: str, stream: str) -> dict | None:
    row = conn.execute(
        "SELECT cursor FROM sync_state WHERE account = ? AND stream = ?", [account, stream]
    ).fetchall()
    return json.loads(row[0][0]) if row and row[0][0] else None


def forget_cursor(conn: duckdb.DuckDBPyConnection, account: str, stream: str) -> None:
    conn.execute("DELETE FROM sync_state WHERE account = ? AND stream = ?", [account, stream])


def _with_rows(conn: duckdb.DuckDBPyConnection, rows: pa.Table, sql: str) -> list[tuple]:
    """Run `sql` with `rows` visible to it as `incoming`. Results are read fully: a half-read
    result makes the next `register()` on the connection fail."""
    conn.register("incoming", rows)
    try:
        result = conn.execute(sql).fetchall()
    except duckdb.Error:
        # The failed statement aborted the transaction, and unregistering would fail on that,
        # hiding the error that says what went wrong (out of memory, disk full).
        with contextlib.suppress(duckdb.Error):
            conn.unregister("incoming")
        raise
    conn.unregister("incoming")
    return result


def _upsert(conn: duckdb.DuckDBPyConnection, table: str, rows: pa.Table) -> None:
    _with_rows(conn, rows, f"INSERT OR REPLACE INTO {table} BY NAME SELECT * FROM incoming")


def _append(conn: duckdb.DuckDBPyConnection, table: str, rows: pa.Table) -> None:
    _with_rows(conn, rows, f"INSERT INTO {table} BY NAME SELECT * FROM incoming")


def _replace_children(conn: duckdb.DuckDBPyConnection, table: str, keys: pa.Table) -> None:
    _with_rows(
        conn, keys,
        f"DELETE FROM {table} t USING incoming k WHERE t.account = k.account AND t.source_id = k.source_id",
    )  # fmt: skip


def _any_stored(conn: duckdb.DuckDBPyConnection, table: str, keys: pa.Table) -> bool:
    """Whether any of these keys is in `table` already. One scan of the keys; on a first load
    (the common case) it spares the deletes, which would scan the much larger child tables."""
    return _with_rows(
        conn, keys,
        f"SELECT EXISTS (SELECT 1 FROM {table} t SEMI JOIN incoming k "
        "ON t.account = k.account AND t.source_id = k.source_id)",
    )[0][0]  # fmt: skip


# The rows that hang off a record, by the record's table: they go when the record goes.
_HANGING = {"messages": ("message_addresses", "signals"), "meetings": ("meeting_attendees", "signals")}


def _clear_stream(conn: duckdb.DuckDBPyConnection, account: str, stream: str) -> None:
    """Remove every record of one stream, the rows hanging off them and the stream's skips."""
    _remove_records(conn, pa.table({"account": [account], "stream": [stream]}), "")
    conn.execute("DELETE FROM skipped_records WHERE account = ? AND stream = ?", [account, stream])


def _delete_records(conn: duckdb.DuckDBPyConnection, account: str, stream: str, source_ids: list[str]) -> None:
    """Remove the records a stream's source no longer has: that stream's rows only, since one
    message may be kept in several files or folders of an account."""
    count = len(source_ids)
    keys = pa.table({"account": [account] * count, "stream": [stream] * count, "source_id": source_ids})
    _remove_records(conn, keys, " AND p.source_id = k.source_id")


def _remove_records(conn: duckdb.DuckDBPyConnection, keys: pa.Table, match_id: str) -> None:
    """Delete the records that `keys` names (account and stream, plus `match_id`'s condition),
    children first: they are found through their record."""
    scope = "p.account = k.account AND p.stream = k.stream" + match_id
    for parent, children in _HANGING.items():
        for child in children:
            _with_rows(
                conn, keys,
                f"DELETE FROM {child} c USING {parent} p, incoming k "
                f"WHERE {scope} AND c.account = p.account AND c.source_id = p.source_id",
            )  # fmt: skip
        _with_rows(conn, keys, f"DELETE FROM {parent} p USING incoming k WHERE {scope}")


MESSAGE_COLUMNS = (
    "account", "source_id", "stream", "message_id", "in_reply_to", "thread_id", "subject", "sent_at",
    "from_address", "recipient_count", "folder", "list_id", "list_unsubscribe", "precedence",
    "auto_submitted", "link",
)  # fmt: skip


def _save_messages(conn: duckdb.DuckDBPyConnection, messages: list[Message], keep_subjects: bool) -> None:
    if len({m.source_id for m in messages}) < len(messages):
        messages = list({m.source_id: m for m in messages}.values())  # one copy per key: the last
    addresses: list[tuple] = []  # (account, source_id, role, position, address, name)
    add = addresses.extend
    rows: list[tuple] = []  # one tuple per message in MESSAGE_COLUMNS order, transposed below
    for m in messages:
        account, source_id, sender, to, cc, bcc = m.account, m.source_id, m.sender, m.to, m.cc, m.bcc
        rows.append((
            account, source_id, m.stream, m.message_id, m.in_reply_to, m.thread_id, m.subject, m.sent_at,
            sender.email if sender is not None else None, len(to) + len(cc) + len(bcc), m.folder, m.list_id,
            m.list_unsubscribe, m.precedence, m.auto_submitted, m.link,
        ))  # fmt: skip
        if sender is not None:
            addresses.append((account, source_id, "from", 0, sender.email, sender.name or _display_name(m.x_from)))
        if m.x_to and (to_names := _lotus_names(m.x_to, len(to))):
            add((account, source_id, "to", i, a.email, a.name or to_names[i]) for i, a in enumerate(to))
        elif to:
            add((account, source_id, "to", i, a.email, a.name) for i, a in enumerate(to))
        if cc:
            add((account, source_id, "cc", i, a.email, a.name) for i, a in enumerate(cc))
        if bcc:
            add((account, source_id, "bcc", i, a.email, a.name) for i, a in enumerate(bcc))
    columns = dict(zip(MESSAGE_COLUMNS, map(list, zip(*rows))))
    columns["sent_at"] = pa.array(columns["sent_at"], pa.timestamp("us"))
    columns["recipient_count"] = pa.array(columns["recipient_count"], pa.int32())
    if not keep_subjects:
        columns["subject"] = pa.nulls(len(rows), pa.string())
    accounts, ids = columns["account"], columns["source_id"]
    addr_account, addr_id, roles, positions, emails, names = (
        map(list, zip(*addresses)) if addresses else ([] for _ in range(6))
    )
    rows = pa.table(columns)
    keys = pa.table({"account": accounts, "source_id": ids})
    if _any_stored(conn, "messages", keys):  # a replay: replace the stored rows, signals too
        for table in ("message_addresses", "signals", "messages"):
            _replace_children(conn, table, keys)
    _append(conn, "messages", rows)
    _append(
        conn,
        "message_addresses",
        pa.table(
            {
                "account": addr_account,
                "source_id": addr_id,
                "role": roles,
                "position": pa.array(positions, pa.int16()),
                "address": emails,
                "name": names,
            }
        ),
    )


def _save_meetings(conn: duckdb.DuckDBPyConnection, batch: Batch) -> None:
    meetings = batch.meetings
    keys = pa.table({"account": [m.account for m in meetings], "source_id": [m.source_id for m in meetings]})
    rows = pa.table(
        {
            "account": [m.account for m in meetings],
            "source_id": [m.source_id for m in meetings],
            "stream": [m.stream for m in meetings],
            "ical_uid": [m.ical_uid for m in meetings],
            "recurrence_id": pa.array([m.recurrence_id for m in meetings], pa.timestamp("us")),
            "calendar": [m.calendar for m in meetings],
            "title": [m.title for m in meetings],
            "start_at": pa.array([m.start for m in meetings], pa.timestamp("us")),
            "end_at": pa.array([m.end for m in meetings], pa.timestamp("us")),
            "all_day": [m.all_day for m in meetings],
            "status": [m.status for m in meetings],
            "organizer_address": [m.organizer.email if m.organizer else None for m in meetings],
            "event_type": [m.event_type for m in meetings],
            "link": [m.link for m in meetings],
        }
    )
    attendees = [(m, i, a) for m in meetings for i, a in enumerate(m.attendees)]
    _replace_children(conn, "meeting_attendees", keys)
    _replace_children(conn, "signals", keys)  # the batch's signals are all of these meetings' signals
    _upsert(conn, "meetings", rows)
    if attendees:
        _append(
            conn,
            "meeting_attendees",
            pa.table(
                {
                    "account": [m.account for m, _, _ in attendees],
                    "source_id": [m.source_id for m, _, _ in attendees],
                    "position": pa.array([i for _, i, _ in attendees], pa.int16()),
                    "address": [a.email for _, _, a in attendees],
                    "name": [a.name for _, _, a in attendees],
                    "response": [a.response for _, _, a in attendees],
                    "is_organizer": [a.is_organizer for _, _, a in attendees],
                    "is_optional": [a.optional for _, _, a in attendees],
                }
            ),
        )


def _save_signals(conn: duckdb.DuckDBPyConnection, signals: list[Signal], keep_evidence: bool) -> None:
    rows = pa.table(
        {
            "account": [s.account for s in signals],
            "source_id": [s.source_id for s in signals],
            "kind": [s.kind for s in signals],
            "address": [s.address for s in signals],
            "happened_on": pa.array([s.happened_on for s in signals], pa.date32()),
            "evidence": [s.evidence for s in signals] if keep_evidence else pa.nulls(len(signals), pa.string()),
            "confidence": [s.confidence for s in signals],
            "company": [s.company for s in signals],
            "title": [s.title for s in signals],
        }
    )
    _upsert(conn, "signals", rows)


def _display_name(x_header: str | None) -> str | None:
    """The person's name in an Exchange/Lotus `X-From`: 'Allen, Phillip K. </O=ENRON/...>'."""
    if not x_header:
        return None
    match = _LOTUS_NAME.match(x_header)
    return match.group(1).strip() or None if match else None


def _lotus_names(x_to: str, count: int) -> list[str | None] | None:
    """Names from an `X-To` list when it pairs one-to-one with the To addresses."""
    parts = [p for p in re.split(r",(?![^<]*>)", x_to) if p.strip()]
    if len(parts) != count:
        return None
    return [_display_name(p) for p in parts]
