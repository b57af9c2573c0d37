"""Opening the warehouse: one writer at a time (a file lock), any number of readers."""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb

from kith.warehouse.errors import WarehouseBusy, WarehouseError
from kith.warehouse.schema import ensure_schema

BUSY = "kith is already syncing ({detail}); try again when it finishes"


class Warehouse:
    """A DuckDB connection plus, for a writer, the lock that keeps other writers out."""

    def __init__(self, conn: duckdb.DuckDBPyConnection, path: Path, lock_handle=None):
        self.conn = conn
        self.path = path
        self._lock_handle = lock_handle

    def close(self) -> None:
        self.conn.close()
        if self._lock_handle is not None:
            fcntl.flock(self._lock_handle, fcntl.LOCK_UN)
            self._lock_handle.close()
            self._lock_handle = None

    def __enter__(self) -> Warehouse:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def query(self, sql: str, params: list | None = None) -> list[tuple]:
        return self.conn.execute(sql, params or []).fetchall()


# DuckDB's default cap is 80% of RAM, and a long load keeps every page it wrote cached up to it:
# peak memory then grows with the mailbox. During a load the cached pages are never read again.
LOAD_MEMORY_LIMIT = os.environ.get("KITH_LOAD_MEMORY_LIMIT", "128MB")


@contextmanager
def bounded_memory(conn: duckdb.DuckDBPyConnection, limit: str = LOAD_MEMORY_LIMIT) -> Iterator[None]:
    """Cap DuckDB's memory while loading, then restore what it was."""
    previous = conn.execute("SELECT current_setting('memory_limit')").fetchall()[0][0]
    conn.execute(f"SET memory_limit = '{limit}'")
    try:
        yield
    finally:
        conn.execute(f"SET memory_limit = '{previous}'")


def ensure_not_busy(path: Path) -> None:
    """Raise `WarehouseBusy` now if another process is writing, before any slow start-up."""
    open_warehouse(path).close()


def open_warehouse(path: Path, *, read_only: bool = False) -> Warehouse:
    """Open (creating and upgrading as needed) the DuckDB file at `path`.

    A writer takes `<path>.lock`; a second writer gets `WarehouseBusy` at once instead of
    waiting or failing deep inside DuckDB.
    """
    path = Path(path)
    if read_only:
        if not path.exists():
            raise WarehouseError(f"no warehouse at {path}; run `kith sync` (or `kith demo`) first")
        try:
            return Warehouse(duckdb.connect(str(path), read_only=True), path)
        except duckdb.IOException as exc:
            raise WarehouseBusy(BUSY.format(detail="the warehouse is open for writing")) from exc
    path.parent.mkdir(parents=True, exist_ok=True)
    handle = open(f"{path}.lock", "a+")
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        handle.seek(0)
        holder = handle.read().strip() or "another process"
        handle.close()
        raise WarehouseBusy(BUSY.format(detail=f"pid {holder}")) from None
    handle.seek(0)
    handle.truncate()
    handle.write(str(os.getpid()))
    handle.flush()
    try:
        conn = duckdb.connect(str(path))
        # Checkpoint after 64 MB of log instead of DuckDB's 16: a load commits every batch, and the
        # smaller threshold spent a seventh of ingest time checkpointing.
        conn.execute("SET checkpoint_threshold = '64MB'")
        ensure_schema(conn)
    except duckdb.IOException as exc:
        fcntl.flock(handle, fcntl.LOCK_UN)
        handle.close()
        raise WarehouseBusy(BUSY.format(detail=str(exc).splitlines()[0])) from exc
    return Warehouse(conn, path, handle)
