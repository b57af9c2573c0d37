"""Every multi-statement write is all or nothing, and a failure reports itself, not a second error.

DuckDB 2.0.1, measured on a 3 MB tmpfs: a COMMIT that cannot write its log raises
`TransactionException: Failed to commit: ... No space left on device` and ends the transaction;
a ROLLBACK after it raises "cannot rollback - no transaction is active", which hid the real error.
`CommitFails` reproduces exactly that without filling a disk.
"""

from __future__ import annotations

from datetime import date, datetime

import duckdb
import pytest

from kith.digests.items import Digest, DigestItem
from kith.digests.memory import save_digest
from kith.models import Address, Batch, Message
from kith.warehouse.errors import WarehouseFull
from kith.warehouse.load import save_batch
from kith.warehouse.overrides import mute, split
from kith.warehouse.people import refresh_people
from kith.warehouse.schema import ensure_schema

ME = "me@example.com"
FULL = 'TransactionContext Error: Failed to commit: Could not write file "kith.duckdb.wal": No space left on device'


class CommitFails:
    """A connection whose COMMIT fails as DuckDB's does on a full disk: the transaction ends, unwritten."""

    def __init__(self, conn: duckdb.DuckDBPyConnection) -> None:
        self._conn = conn

    def execute(self, sql: str, *args):
        if sql.strip().upper() == "COMMIT":
            self._conn.execute("ROLLBACK")
            raise duckdb.TransactionException(FULL)
        return self._conn.execute(sql, *args)

    def __getattr__(self, name: str):
        return getattr(self._conn, name)


def message(n: int, sender: str, to: str) -> Message:
    return Message(account="m", source_id=f"<{n}@x>", stream="s", message_id=f"<{n}@x>", subject=f"Note {n}",
                   sent_at=datetime(2026, 11, n), sender=Address(email=sender, name="Ann Lee" if sender != ME else None),
                   to=[Address(email=to)])


@pytest.fixture
def conn() -> duckdb.DuckDBPyConnection:
    conn = duckdb.connect()
    ensure_schema(conn)
    save_batch(conn, Batch(account="m", stream="s", messages=[message(1, "ann@example.com", ME), message(2, ME, "ann@example.com")]),
               kind="mbox")
    refresh_people(conn, [ME])
    return conn


def everything(conn: duckdb.DuckDBPyConnection) -> dict[str, list[tuple]]:
    tables = [row[0] for row in conn.execute("SELECT table_name FROM duckdb_tables() ORDER BY 1").fetchall()]
    return {table: conn.execute(f"SELECT * FROM {table} ORDER BY ALL").fetchall() for table in tables}


DIGEST = Digest(day=date(2026, 11, 20), user_name="Me",
                items=[DigestItem(section="reconnect", person_id="ann@example.com", name="Ann Lee", reason="why")])
WRITES = {
    "save_batch": lambda c: save_batch(c, Batch(account="m", stream="s", messages=[message(3, "bo@example.com", ME)],
                                                cursor={"offset": 3}), kind="mbox"),
    "refresh_people": lambda c: refresh_people(c, [ME, "ann@example.com"]),
    "mute": lambda c: mute(c, "ann@example.com"),
    "split": lambda c: split(c, "ann@example.com"),
    "save_digest": lambda c: save_digest(c, DIGEST, "text", "<p>html</p>"),
}


@pytest.mark.parametrize("write", WRITES)
def test_a_commit_that_fails_reports_itself_and_keeps_nothing(conn, write):
    before = everything(conn)
    expected = WarehouseFull if write == "save_batch" else duckdb.TransactionException
    with pytest.raises(expected) as failure:
        WRITES[write](CommitFails(conn))
    assert "No space left on device" in str(failure.value) + str(failure.value.__cause__)
    assert everything(conn) == before
    WRITES[write](conn)  # the connection is not left in a transaction, and the write goes through when it can
    assert everything(conn) != before


def test_a_failed_statement_rolls_back_the_whole_block(conn):
    from kith.warehouse.transaction import in_transaction, transaction_active

    before = everything(conn)
    with pytest.raises(duckdb.ConstraintException):
        with in_transaction(conn):
            conn.execute("INSERT INTO person_overrides (address, muted, updated_at) VALUES ('x@y', true, now())")
            conn.execute("INSERT INTO person_overrides (address, muted, updated_at) VALUES ('x@y', true, now())")
    assert not transaction_active(conn)
    assert everything(conn) == before


def test_an_error_in_python_rolls_back_too(conn):
    from kith.warehouse.transaction import in_transaction

    before = everything(conn)
    with pytest.raises(KeyError):
        with in_transaction(conn):
            conn.execute("DELETE FROM messages")
            raise KeyError("stop")
    assert everything(conn) == before


def test_transaction_active_tells_the_three_states(conn):
    from kith.warehouse.transaction import transaction_active

    assert not transaction_active(conn)
    conn.execute("BEGIN")
    assert transaction_active(conn)
    with pytest.raises(duckdb.CatalogException):
        conn.execute("SELECT * FROM no_such_table")
    assert transaction_active(conn)  # aborted, still open
    conn.execute("ROLLBACK")
    assert not transaction_active(conn)
