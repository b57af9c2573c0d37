"""A batch that cannot be written leaves the warehouse as it was, and says what to do."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import duckdb
import pytest

from kith.warehouse import load
from kith.models import Address, Batch, Message
from kith.warehouse import open_warehouse
from kith.warehouse.errors import WarehouseFull
from kith.warehouse.load import load_cursor, save_batch


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
        assert str(failure.value) == (
            "the disk holding the warehouse is full; free space and run the sync again "
            "(nothing of the interrupted batch was kept)"
        )
        after = wh.query("SELECT * FROM messages ORDER BY ALL"), wh.query("SELECT * FROM message_addresses ORDER BY ALL")
        assert after == before
        assert load_cursor(wh.conn, "mail", "inbox") == {"offset": 1}
