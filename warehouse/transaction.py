"""All or nothing: one transaction around a write, ended cleanly whatever stops it.

A failure inside rolls back what is open; a COMMIT that fails has ended the transaction itself
(DuckDB refuses a ROLLBACK then); after a fatal write error DuckDB refuses every statement and
the error that caused it is the one reported. A full disk becomes one `WarehouseFull` line.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import duckdb

from kith.warehouse.errors import WarehouseFull

# What the system says when a write finds no room: a full disk, or the user's quota spent.
_NO_ROOM = ("No space left on device", "Disk quota exceeded")


@contextmanager
def transaction(conn: duckdb.DuckDBPyConnection, *, if_full: str) -> Iterator[None]:
    """BEGIN, run the block, COMMIT; on any failure keep nothing of it.

    `if_full` ends the line a full disk gives: what to do and what was kept, e.g. "free space
    and run the sync again (nothing of the interrupted batch was kept)".
    """
    conn.execute("BEGIN")
    try:
        yield
    except BaseException as exc:  # Ctrl-C or a bug too: never leave the transaction open
        roll_back(conn)
        _raise_if_disk_full(exc, if_full)
        raise
    try:
        conn.execute("COMMIT")
    except duckdb.Error as exc:
        _raise_if_disk_full(exc, if_full)
        raise


def roll_back(conn: duckdb.DuckDBPyConnection) -> None:
    """End the open transaction, keeping nothing; a refusal (no transaction left open, or a
    database DuckDB invalidated) changes nothing, so it is not the error to report."""
    try:
        conn.execute("ROLLBACK")
    except duckdb.Error:
        pass


def disk_is_full(error: BaseException) -> bool:
    """Whether a DuckDB (or OS) error says the disk holding the warehouse has no room left."""
    return any(words in str(error) for words in _NO_ROOM)


def _raise_if_disk_full(error: BaseException, if_full: str) -> None:
    if isinstance(error, duckdb.Error | OSError) and disk_is_full(error):
        raise WarehouseFull(f"the disk holding the warehouse is full; {if_full}") from error
