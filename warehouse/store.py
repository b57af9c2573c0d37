"""Opening the warehouse: one writer at a time (a file lock), any number of readers.

DuckDB lets one process open a file for writing, or several open it read-only, never both at
once: while a sync writes, readers (`kith sql`, `kith people`) are refused too, and are told who
is writing and when to come back. A reader can read the warehouse and nothing else: its
connection has no file, network or extension access and its configuration is locked.
"""

from __future__ import annotations

import fcntl
import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb

from kith.warehouse.errors import WarehouseBusy, WarehouseCorrupt, WarehouseError, WarehouseMissing
from kith.warehouse.private import owner_only
from kith.warehouse.schema import ensure_schema

BUSY = "{holder} is writing the warehouse (pid {pid}); try again when it finishes, usually within a minute (a first sync takes longer)"
IN_USE = "{holder} (pid {pid}) has the warehouse open; try again when it has closed it"
MISSING = "no warehouse at {path}; run `kith sync` (or `kith demo`) first"
CORRUPT = (
    "the warehouse {path} is damaged or is not a DuckDB file ({detail}); move it aside "
    "(e.g. `mv {path} {path}.broken`) and run `kith sync` to rebuild it from your accounts"
)
CANNOT_OPEN = "cannot open the warehouse {path} ({detail}); check that you may read and write it and its folder"

# What a reader may do: read this one file. Set when the connection opens, then locked so that
# no statement can turn it back on (`SET enable_external_access = true` is refused).
READER_CONFIG = {
    "enable_external_access": False,
    "autoinstall_known_extensions": False,
    "autoload_known_extensions": False,
    "allow_community_extensions": False,
    "lock_configuration": True,
}

# DuckDB's own words for a file it cannot read as a database, and for a lock held elsewhere.
_DAMAGED = ("not a valid DuckDB database file", "Could not read enough bytes", "Corrupt database file")
_LOCKED = re.compile(r"Could not set lock on file .*?(?:held in (?P<program>.+?) )?\(PID (?P<pid>\d+)\)")

_holder = "kith"  # what this process calls itself in the lock file, e.g. "kith sync"


def set_holder(label: str) -> None:
    """Name this process in the writer lock (the command line sets "kith sync", "kith mute"...)."""
    global _holder
    _holder = label


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
def load_memory_limit() -> str:
    return os.environ.get("KITH_LOAD_MEMORY_LIMIT", "128MB")


@contextmanager
def bounded_memory(conn: duckdb.DuckDBPyConnection, limit: str | None = None) -> Iterator[None]:
    """Cap DuckDB's memory while loading (`KITH_LOAD_MEMORY_LIMIT`), then restore what it was."""
    limit = limit or load_memory_limit()
    previous = conn.execute("SELECT current_setting('memory_limit')").fetchall()[0][0]
    conn.execute(f"SET memory_limit = '{limit}'")
    try:
        yield
    finally:
        conn.execute(f"SET memory_limit = '{previous}'")


def ensure_not_busy(path: Path) -> None:
    """Raise `WarehouseBusy` now if another process is writing, before any slow start-up."""
    open_warehouse(path).close()


def open_warehouse(path: Path, *, read_only: bool = False, create: bool = True) -> Warehouse:
    """Open (creating and upgrading as needed) the DuckDB file at `path`.

    A writer takes `<path>.lock`; a second writer gets `WarehouseBusy` at once instead of
    waiting or failing deep inside DuckDB. A reader, and a writer with `create=False`, get
    `WarehouseMissing` when there is no file. A damaged file raises `WarehouseCorrupt`.
    """
    path = Path(path)
    if (read_only or not create) and not path.exists():
        raise WarehouseMissing(MISSING.format(path=path))
    if read_only:
        try:
            return Warehouse(duckdb.connect(str(path), read_only=True, config=READER_CONFIG), path)
        except duckdb.Error as exc:
            _raise_explained(exc, path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle = _take_writer_lock(path)
    except OSError as exc:  # a read-only or foreign KITH_HOME
        raise WarehouseError(CANNOT_OPEN.format(path=path, detail=exc.strerror or exc)) from exc
    try:
        conn = duckdb.connect(str(path))
        # Checkpoint after 64 MB of log instead of DuckDB's 16: a load commits every batch, and the
        # smaller threshold spent a seventh of ingest time checkpointing.
        conn.execute("SET checkpoint_threshold = '64MB'")
        ensure_schema(conn)
    except duckdb.Error as exc:
        fcntl.flock(handle, fcntl.LOCK_UN)
        handle.close()
        _raise_explained(exc, path)
    for own in (path, Path(f"{path}.wal"), Path(f"{path}.lock")):
        owner_only(own)  # DuckDB creates its files 0644 under a default umask
    return Warehouse(conn, path, handle)


def _take_writer_lock(path: Path):
    handle = open(f"{path}.lock", "a+")
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        pid, holder = _lock_holder(handle)
        handle.close()
        raise WarehouseBusy(BUSY.format(holder=holder, pid=pid or "unknown")) from None
    handle.seek(0)
    handle.truncate()
    handle.write(f"{os.getpid()} {_holder}")
    handle.flush()
    return handle


def _lock_holder(handle) -> tuple[str | None, str]:
    """(pid, label) written in the lock file by the process holding it."""
    handle.seek(0)
    pid, _, label = handle.read().strip().partition(" ")
    return (pid or None), (label or "kith")


def _raise_explained(exc: duckdb.Error, path: Path):
    """Raise the warehouse error a DuckDB failure at open time means (others as they are)."""
    explained = _explain(exc, path)
    if explained is None:
        raise exc
    raise explained from exc


def _explain(exc: duckdb.Error, path: Path) -> WarehouseError | None:
    detail = str(exc).splitlines()[0]
    locked = _LOCKED.search(detail)
    if locked:
        pid = locked.group("pid")
        try:
            with open(f"{path}.lock") as handle:
                kith_pid, holder = _lock_holder(handle)
        except OSError:
            kith_pid, holder = None, ""
        if kith_pid == pid:
            return WarehouseBusy(BUSY.format(holder=holder, pid=pid))
        program = os.path.basename(locked.group("program") or "") or "another program"
        return WarehouseBusy(IN_USE.format(holder=program, pid=pid))
    if any(words in detail for words in _DAMAGED):
        return WarehouseCorrupt(CORRUPT.format(path=path, detail=detail))
    if isinstance(exc, duckdb.IOException):
        return WarehouseError(CANNOT_OPEN.format(path=path, detail=detail))
    return None
