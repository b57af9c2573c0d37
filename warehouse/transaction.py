"""One way to write several statements all or nothing: `with in_transaction(conn): ...`."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import duckdb


@contextmanager
def in_transaction(conn: duckdb.DuckDBPyConnection) -> Iterator[duckdb.DuckDBPyConnection]:
    """Run the block in one transaction: COMMIT when it ends, ROLLBACK when it raises.

    The caller sees the error that happened. A COMMIT that fails (a full disk) has already ended
    the transaction in DuckDB, so nothing is rolled back after it: a ROLLBACK there would raise
    "no transaction is active" and hide the real error. A failed statement inside the block leaves
    the transaction open (aborted), and that one is rolled back.
    """
    conn.execute("BEGIN")
    try:
        yield conn
    except BaseException:
        if transaction_active(conn):
            conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


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
