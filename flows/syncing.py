"""Syncing accounts into the warehouse, as plain functions the flows and tests call."""

from __future__ import annotations

import gc
import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

import duckdb

from kith.connectors.base import Connector
from kith.connectors.errors import AuthFailed, ConnectorError, ResyncRequired, SourceMissing
from kith.connectors.registry import build_connector
from kith.digests.signals import detect_signals
from kith.models import Batch
from kith.models.settings import Settings
from kith.warehouse.errors import WarehouseError
from kith.warehouse.load import forget_cursor, load_cursor, save_batch
from kith.warehouse.people import refresh_people
from kith.warehouse.store import bounded_memory, load_memory_limit

log = logging.getLogger("kith.sync")

OnBatch = Callable[[Batch], None]


@dataclass
class StreamReport:
    account: str
    stream: str
    messages: int = 0
    meetings: int = 0
    skipped: int = 0
    batches: int = 0
    resynced: bool = False
    skip_reasons: dict[str, int] = field(default_factory=dict)
    error: str | None = None  # why this stream did not finish; the run went on without it
    tenths_logged: int = 0  # progress milestones logged so far, for long first syncs

    def log_progress(self, total: int | None) -> None:
        """Log each tenth of a sync whose total the source reported (what a scheduled run shows)."""
        done = self.messages + self.meetings
        if not total or done * 10 // total <= self.tenths_logged:
            return
        self.tenths_logged = min(10, done * 10 // total)
        log.info("%s %s: %d of %d records (%d%%)", self.account, self.stream, done, total, 100 * done // total)

    def add(self, batch: Batch) -> None:
        self.messages += len(batch.messages)
        self.meetings += len(batch.meetings)
        self.skipped += len(batch.skips)
        self.batches += 1
        for skip in batch.skips:
            self.skip_reasons[skip.reason] = self.skip_reasons.get(skip.reason, 0) + 1


@contextmanager
def cyclic_gc_paused() -> Iterator[None]:
    """Pause Python's cycle collector while a stream loads.

    Ingest makes millions of small acyclic objects that reference counting frees; the collector
    kept rescanning the live batch and took a quarter of ingest time (12,100 vs 16,600
    messages/s measured). It runs once at the end instead, over the young generations only:
    what the stream made. A full collection scans the whole heap, and once per stream that was
    a minute of a 300-file calendar folder's sync.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
        gc.collect(1)


def sync_stream(
    conn: duckdb.DuckDBPyConnection,
    connector: Connector,
    stream: str,
    settings: Settings,
    on_batch: OnBatch | None = None,
) -> StreamReport:
    """Bring one stream up to date from its stored cursor; a dead cursor means a full resync."""
    report = StreamReport(connector.account, stream)
    keep_subjects = settings.privacy.mode != "metadata"
    user = settings.user.addresses

    def store(batches) -> None:
        for batch in batches:
            save_batch(conn, batch, kind=connector.kind, signals=detect_signals(batch, user), keep_subjects=keep_subjects)
            report.add(batch)
            report.log_progress(batch.total)
            if on_batch:
                on_batch(batch)
            # Released here, the batch's records go by reference counting before the collector
            # looks for what it left in cycles, so it walks only what outlives them (it walked all
            # 10,000 records of a file batch, 2 ms a thousand), never the whole heap. The API and
            # IMAP connectors hold one page of records until they fetch the next.
            del batch
            gc.collect(0)

    with cyclic_gc_paused(), bounded_memory(conn):
        try:
            store(connector.fetch(stream, load_cursor(conn, connector.account, stream)))
        except ResyncRequired as exc:
            log.warning("%s: %s; resyncing %s from the start", connector.account, exc, stream)
            forget_cursor(conn, connector.account, stream)
            report.resynced = True
            store(connector.fetch(stream, None))
    return report


RunStream = Callable[[duckdb.DuckDBPyConnection, Connector, str, Settings, "OnBatch | None"], StreamReport]


def sync_account(
    conn: duckdb.DuckDBPyConnection,
    settings: Settings,
    name: str,
    on_batch: OnBatch | None = None,
    run_stream: RunStream = sync_stream,
) -> list[StreamReport]:
    """Sync every stream of one account. A stream that fails, for whatever reason, is reported
    and the rest go on; a refused login stops the account; an account whose source cannot be
    listed is reported and nothing of it changes. Only a full or busy warehouse stops the run.
    `run_stream` lets the flow wrap each stream in a task."""
    try:
        connector = build_connector(settings.account(name), settings)
    except Exception as exc:  # noqa: BLE001 - a bad account must not stop the others
        return [_failed(name, "*", exc)]
    try:
        try:
            streams = connector.streams()
            clear_vanished_streams(conn, connector, streams)
        except WarehouseError:
            raise
        except Exception as exc:  # noqa: BLE001 - this account only
            return [_failed(name, "*", exc)]
        reports = []
        for stream in streams:
            try:
                reports.append(run_stream(conn, connector, stream, settings, on_batch))
            except WarehouseError:
                raise
            except Exception as exc:  # noqa: BLE001 - this stream only; what it stored stays
                reports.append(_failed(name, stream, exc))
                if isinstance(exc, AuthFailed):
                    break
        return reports
    finally:
        connector.close()


def _failed(account: str, stream: str, exc: Exception) -> StreamReport:
    """The report of a stream (`*`: the account) that did not finish, logged as one line.

    Connector errors say what to do; anything else is a kith bug met on some input, named with
    the stream so the rest of the run can go on and the user can report it.
    """
    if isinstance(exc, ConnectorError):
        reason = str(exc)
    elif isinstance(exc, duckdb.OutOfMemoryException):
        reason = (
            f"account {account!r}: {stream} stopped: a batch needed more memory than a load may use "
            f"({load_memory_limit()}) and was not stored; set KITH_LOAD_MEMORY_LIMIT higher (e.g. 1GB) and sync again"
        )
    else:
        detail = str(exc).strip().splitlines()[0][:300] if str(exc).strip() else "no detail"
        where = "the account" if stream == "*" else stream
        reason = f"account {account!r}: {where} stopped on {type(exc).__name__}: {detail} (a kith bug: please report it)"
        log.debug("%s", reason, exc_info=exc)
    log.error("%s", reason)
    return StreamReport(account, stream, error=reason)


def clear_vanished_streams(conn: duckdb.DuckDBPyConnection, connector: Connector, streams: list[str]) -> list[str]:
    """Remove the rows of streams the source no longer has (a deleted file or folder).

    Called only with streams the connector did list. A source that lists no stream at all while
    some were synced before is treated as out of reach (an empty mount point), not as emptied.
    """
    stored = [row[0] for row in conn.execute(
        "SELECT stream FROM sync_state WHERE account = ?", [connector.account]
    ).fetchall()]  # fmt: skip
    if stored and not streams:
        raise SourceMissing(
            f"its source lists nothing now, though {len(stored)} stream(s) were synced from it; "
            "nothing was removed: mount the drive or fix `path` in kith.toml "
            "(to drop the account, remove it from kith.toml)",
            account=connector.account,
        )
    listed = set(streams)
    gone = [stream for stream in stored if stream not in listed]
    for stream in gone:
        log.warning("%s: %s is gone from the source; removing its rows", connector.account, stream)
        save_batch(conn, Batch(account=connector.account, stream=stream, reset=True), kind=connector.kind)
        forget_cursor(conn, connector.account, stream)
    return gone


def sync_accounts(
    conn: duckdb.DuckDBPyConnection,
    settings: Settings,
    only: str | None = None,
    on_batch: OnBatch | None = None,
) -> list[StreamReport]:
    """Sync every account (or the one named), then re-resolve people. No Prefect involved."""
    names = [only] if only else [account.name for account in settings.accounts]
    reports = [report for name in names for report in sync_account(conn, settings, name, on_batch)]
    refresh_people(conn, settings.user.addresses)
    return reports
