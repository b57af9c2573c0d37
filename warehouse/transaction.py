"""One way to write several statements all or nothing: `with in_transaction(conn): ...`.

A failure inside rolls back what is open. A COMMIT that fails (a full disk) has already ended the
transaction in DuckDB, and after a fatal write error DuckDB refuses every statement: a ROLLBACK
then would raise "no transaction is active" and hide the real error, so it is only tried while a
transaction is open. With `if_full`, a full disk becomes one `WarehouseFull` line.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import duckdb

from kith.warehouse.errors import WarehouseFull

# What the system says when a write finds no room: a full disk, or the user's quota spent.
_NO_ROOM = ("No space left on device", "Disk quota exceeded")


@contextmanager
def in_transaction(conn: duckdb.DuckDBPyConnection, *, if_full: str | None = None) -> Iterator[duckdb.DuckDBPyConnection]:
    """BEGIN, run the block, COMMIT; on any failure keep nothing of it and raise what happened.

    `if_full` ends the line a full disk gives: what to do and what was kept, e.g. "free space
    and run the sync again (nothing of the interrupted batch was kept)".
    """
    conn.execute("BEGIN")
    try:
        yield conn
    except BaseException as exc:  # Ctrl-C or a bug too: never leave the transaction open
        if transaction_active(conn):
            roll_back(conn)
        _raise_if_disk_full(exc, if_full)
        raise
    try:
        conn.execute("COMMIT")
    except duckdb.Error as exc:
        _raise_if_disk_full(exc, if_full)
        raise


def transaction_active(conn: duckdb.DuckDBPyConnection) -> bool:
    """Whether `conn` is inside an explicit transaction (an aborted one included)."""
    probe = "SELECT current_transaction_id()"
    try:
        # Outside a transaction every statement runs in its own, with a new id.
        return conn.execute(probe).fetchall() == conn.execute(probe).fetchall()
    except duckdb.TransactionException:
        return True  # "Current transaction is aborted (please ROLLBACK)"
    except duckdb.Error:
        return False  # the database cannot run anything (a fatal error): nothing to roll back


def roll_back(conn: duckdb.DuckDBPyConnection) -> None:
    """End the open transaction, keeping nothing; a refusal changes nothing, so it is not the
    error to report."""
    try:
        conn.execute("ROLLBACK")
    except duckdb.Error:
        pass


def disk_is_full(error: BaseException) -> bool:
    """Whether a DuckDB (or OS) error says the disk holding the warehouse has no room left."""
    return any(words in str(error) for words in _NO_ROOM)


def _raise_if_disk_full(error: BaseException, if_full: str | None) -> None:
    if if_full is not None and isinstance(error, duckdb.Error | OSError) and disk_is_full(error):
        raise WarehouseFull(f"the disk holding the warehouse is full; {if_full}") from error
