"""A batch that cannot be written leaves the warehouse as it was, and says what to do; so does
a migration. The full disk is a real one (`small_disk` in tests/conftest.py)."""

from __future__ import annotations

import shutil
from datetime import datetime, timedelta
from pathlib import Path

import duckdb
import pytest

from kith.warehouse import load, schema
from kith.models import Address, Batch, Message
from kith.warehouse import open_warehouse
from kith.warehouse.errors import WarehouseFull
from kith.warehouse.load import load_cursor, save_batch
from kith.warehouse.schema import ensure_schema

FULL = (
    "the disk holding the warehouse is full; free space and run the sync again "
    "(nothing of the interrupted batch was kept)"
)


def batch(n: int, cursor: dict) -> Batch:
    message = Message(
        account="mail", source_id=f"<{n}@x>", stream="inbox", message_id=f"<{n}@x>", subject=f"Note {n}",
        sent_at=datetime(2026, 11, n), sender=Address(email="ann@example.com"), to=[Address(email="me@example.com")],
    )  # fmt: skip
    return Batch(account="mail", stream="inbox", messages=[message], cursor=cursor)


def test_a_full_disk_keeps_what_was_stored_and_says_so(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with open_warehouse(tmp_path / "kith.duckdb") as wh:
        save_batch(wh.conn, batch(1, {"offset": 1}), kind="mbox")
        before = wh.query("SELECT * FROM messages ORDER BY ALL"), wh.query("SELECT * FROM message_addresses ORDER BY ALL")

        def disk_full(conn, table, rows):
            raise duckdb.IOException('IO Error: Could not write file "kith.duckdb.wal": No space left on device')

        monkeypatch.setattr(load, "_append", disk_full)
        with pytest.raises(WarehouseFull) as failure:
            save_batch(wh.conn, batch(2, {"offset": 2}), kind="mbox")
        assert str(failure.value) == FULL
        after = wh.query("SELECT * FROM messages ORDER BY ALL"), wh.query("SELECT * FROM message_addresses ORDER BY ALL")
        assert after == before
        assert load_cursor(wh.conn, "mail", "inbox") == {"offset": 1}


def notes(first: int, count: int = 500) -> Batch:
    """A batch of `count` messages numbered from `first`; its cursor is where the next starts."""
    messages = [
        Message(
            account="mail", source_id=f"<{n}@x>", stream="inbox", message_id=f"<{n}@x>", subject=f"Note {n} " + "x" * 100,
            sent_at=datetime(2026, 1, 1) + timedelta(minutes=n), sender=Address(email="ann@example.com"),
            to=[Address(email="me@example.com")],
        )  # fmt: skip
        for n in range(first, first + count)
    ]
    return Batch(account="mail", stream="inbox", messages=messages, cursor={"offset": first + count})


def test_a_really_full_disk_is_one_line_and_keeps_every_stored_batch(small_disk: Path, tmp_path: Path) -> None:
    stored = 0
    with pytest.raises(WarehouseFull) as failure:  # on main: "cannot rollback - no transaction is active"
        with open_warehouse(small_disk / "kith.duckdb") as wh:
            for _ in range(100):
                save_batch(wh.conn, notes(stored), kind="mbox")
                stored += 500
    assert str(failure.value) == FULL
    assert stored > 0

    room = tmp_path / "room"  # the files as the full disk left them, opened where there is space
    room.mkdir()
    for part in small_disk.glob("kith.duckdb*"):
        shutil.copy(part, room / part.name)
    with open_warehouse(room / "kith.duckdb") as wh:
        assert wh.query("SELECT source_id, subject FROM messages ORDER BY sent_at") == [
            (f"<{n}@x>", f"Note {n} " + "x" * 100) for n in range(stored)
        ]
        assert load_cursor(wh.conn, "mail", "inbox") == {"offset": stored}


def test_a_migration_that_fails_leaves_nothing_behind(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    open_warehouse(tmp_path / "kith.duckdb").close()
    read_sql = schema.read_sql
    released = list(schema.MIGRATIONS)
    broken = "CREATE TABLE half_done (x INTEGER); SELECT no_such_column FROM half_done;"
    monkeypatch.setattr(schema, "MIGRATIONS", [*schema.MIGRATIONS, (99, "099_broken.sql")])
    monkeypatch.setattr(schema, "read_sql", lambda name: broken if name == "099_broken.sql" else read_sql(name))
    conn = duckdb.connect(str(tmp_path / "kith.duckdb"))
    with pytest.raises(duckdb.BinderException):
        ensure_schema(conn)
    # the same connection goes on (on main: "Current transaction is aborted"), without the half step
    assert conn.execute("SELECT count(*) FROM duckdb_tables() WHERE table_name = 'half_done'").fetchall() == [(0,)]
    assert conn.execute("SELECT version, name FROM schema_migrations ORDER BY version").fetchall() == released
    conn.close()


def test_a_migration_on_a_full_disk_is_one_line(small_disk: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    open_warehouse(small_disk / "kith.duckdb").close()
    filler = small_disk / "filler"
    with filler.open("wb") as out:  # take all the room that is left
        try:
            while True:
                out.write(b"\0" * 65536)
                out.flush()
        except OSError:
            pass
    read_sql = schema.read_sql
    released = [(version,) for version, _ in schema.MIGRATIONS]
    big = "CREATE TABLE big AS SELECT range AS n, repeat('y', 100) AS y FROM range(100000);"
    monkeypatch.setattr(schema, "MIGRATIONS", [*schema.MIGRATIONS, (99, "099_big.sql")])
    monkeypatch.setattr(schema, "read_sql", lambda name: big if name == "099_big.sql" else read_sql(name))
    conn = duckdb.connect(str(small_disk / "kith.duckdb"))
    with pytest.raises(WarehouseFull) as failure:  # on main: DuckDB's TransactionException
        ensure_schema(conn)
    assert str(failure.value) == (
        "the disk holding the warehouse is full; free space and run kith again "
        "(nothing of the failed upgrade step was kept)"
    )
    conn.close()
    filler.unlink()
    conn = duckdb.connect(str(small_disk / "kith.duckdb"))
    assert conn.execute("SELECT version FROM schema_migrations ORDER BY version").fetchall() == released
    assert conn.execute("SELECT count(*) FROM duckdb_tables() WHERE table_name = 'big'").fetchall() == [(0,)]
    conn.close()
