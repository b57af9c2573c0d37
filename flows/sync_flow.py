"""The sync flow: every account (or one), one task per stream, then people are re-resolved."""

from __future__ import annotations

from prefect import flow, get_run_logger, task
from prefect.events import emit_event
from prefect.cache_policies import NONE

from connectors.errors import AuthFailed, ResyncRequired, SourceRefused
from connectors.registry import build_connector
from flows.syncing import OnBatch, StreamReport, sync_stream
from models.settings import Settings, load_settings
from warehouse import open_warehouse
from warehouse.people import refresh_people


def _retry_io_only(task, task_run, state) -> bool:
    """Retry network trouble; never a refused login, a refused command or a resync signal."""
    try:
        state.result()
    except (AuthFailed, SourceRefused, ResyncRequired):
        return False
    except Exception:
        return True
    return False


@task(
    task_run_name="sync {account_name}: {stream}",
    retries=3,
    retry_delay_seconds=[5, 30, 120],
    retry_condition_fn=_retry_io_only,
    cache_policy=NONE,
)
def sync_stream_task(conn, settings: Settings, account_name: str, stream: str, on_batch: OnBatch | None = None) -> StreamReport:
    connector = build_connector(settings.account(account_name), settings)
    try:
        return sync_stream(conn, connector, stream, settings, on_batch)
    finally:
        connector.close()


@task(cache_policy=NONE)
def list_streams(settings: Settings, account_name: str) -> list[str]:
    connector = build_connector(settings.account(account_name), settings)
    try:
        return connector.streams()
    finally:
        connector.close()


@flow(name="kith-sync", flow_run_name="sync {account}", log_prints=True)
def sync_flow(account: str | None = None, settings: Settings | None = None, on_batch: OnBatch | None = None) -> dict:
    """Sync all accounts (or `account`) into the warehouse and return counts per account."""
    settings = settings or load_settings(require_file=True)
    logger = get_run_logger()
    names = [account] if account else [a.name for a in settings.accounts]
    totals: dict[str, dict[str, int]] = {}
    with open_warehouse(settings.database) as wh:
        for name in names:
            counts = totals.setdefault(name, {"messages": 0, "meetings": 0, "skipped": 0})
            for stream in list_streams(settings, name):
                report = sync_stream_task(wh.conn, settings, name, stream, on_batch)
                counts["messages"] += report.messages
                counts["meetings"] += report.meetings
                counts["skipped"] += report.skipped
            logger.info("account %s synced: %s", name, counts)
        people = refresh_people(wh.conn, settings.user.addresses)
    result = {"accounts": totals, **people}
    emit_sync_events(result)
    return result


SYNC_EVENTS = ("kith.account.synced", "kith.sync.finished")


def emit_sync_events(result: dict) -> None:
    """One kith.account.synced per account, then kith.sync.finished with the totals.

    `kith.sync.finished` is what the `kith-digest` deployment in prefect.yaml is triggered by.
    """
    totals = {"messages": 0, "meetings": 0, "skipped": 0}
    for name, counts in result["accounts"].items():
        emit_event(
            "kith.account.synced",
            resource={"prefect.resource.id": f"kith.account.{name}", "prefect.resource.name": name},
            payload=dict(counts),
        )
        for key in totals:
            totals[key] += counts.get(key, 0)
    people = {key: result[key] for key in ("people", "automated", "own_addresses") if key in result}
    emit_event(
        "kith.sync.finished",
        resource={"prefect.resource.id": "kith.sync", "prefect.resource.name": "kith sync"},
        payload={"accounts": len(result["accounts"]), **totals, **people},
    )
