"""The sync flow: every account (or one), one task per stream, then people are re-resolved."""

from __future__ import annotations

from contextlib import nullcontext

from prefect import flow, get_run_logger, task
from prefect.events import emit_event
from prefect.cache_policies import NONE

from kith.connectors.errors import SourceUnavailable
from kith.flows.syncing import OnBatch, StreamReport, sync_account, sync_stream
from kith.models.settings import Settings, load_settings
from kith.warehouse import Warehouse, open_warehouse
from kith.warehouse.people import refresh_people


def _retry_io_only(task, task_run, state) -> bool:
    """Retry network trouble only: never a refused login or command, a resync signal, or a bug."""
    try:
        state.result()
    except SourceUnavailable:
        return True
    except Exception:
        return False
    return False


@task(
    task_run_name="sync {connector.account}: {stream}",
    retries=3,
    retry_delay_seconds=[5, 30, 120],
    retry_condition_fn=_retry_io_only,
    cache_policy=NONE,
)
def sync_stream_task(conn, connector, stream: str, settings: Settings, on_batch: OnBatch | None = None) -> StreamReport:
    """One stream, from its stored cursor: a retry resumes after the last stored batch."""
    return sync_stream(conn, connector, stream, settings, on_batch)


@flow(name="kith-sync", flow_run_name="sync {account}", log_prints=True)
def sync_flow(
    account: str | None = None,
    settings: Settings | None = None,
    on_batch: OnBatch | None = None,
    warehouse: Warehouse | None = None,
) -> dict:
    """Sync all accounts (or `account`) into the warehouse and return counts per account.

    A stream that still fails after its retries is reported in `errors` and the others go on.
    `warehouse` is one the caller opened already (and closes); by default the flow opens it.
    """
    settings = settings or load_settings(require_file=True)
    logger = get_run_logger()
    names = [account] if account else [a.name for a in settings.accounts]
    totals: dict[str, dict[str, int]] = {}
    errors: list[str] = []
    with nullcontext(warehouse) if warehouse else open_warehouse(settings.database) as wh:
        for name in names:
            reports = sync_account(wh.conn, settings, name, on_batch, run_stream=sync_stream_task)
            totals[name] = {
                "messages": sum(r.messages for r in reports),
                "meetings": sum(r.meetings for r in reports),
                "skipped": sum(r.skipped for r in reports),
            }
            errors += [r.error for r in reports if r.error]
            logger.info("account %s synced: %s", name, totals[name])
        people = refresh_people(wh.conn, settings.user.addresses)
    result = {"accounts": totals, "errors": errors, **people}
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
        payload={"accounts": len(result["accounts"]), "errors": len(result.get("errors", [])), **totals, **people},
    )
