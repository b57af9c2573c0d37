"""The daily flow: sync every account, then build and deliver the day's digest (two subflows).

It announces the sync with `kith.account.synced` (one per account, resource kith.account.<name>,
payload: the account's counts) and `kith.sync.finished` (resource kith.sync, payload: totals), the
event the `kith-digest` deployment is triggered by. A failed sync does not cost the user the
digest: it is built from what the warehouse holds, and the run then ends failed.
"""

from __future__ import annotations

from prefect import flow, get_run_logger
from prefect.events import emit_event
from prefect.runtime import flow_run

from flows.digest_flow import digest_flow, parse_day
from flows.sync_flow import sync_flow
from models.settings import load_settings

SYNC_EVENTS = ("kith.account.synced", "kith.sync.finished")


def emit_sync_events(result: dict) -> None:
    """One kith.account.synced per account, then kith.sync.finished with the totals."""
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


def _run_name() -> str:
    parameters = flow_run.parameters or {}
    return f"daily {parameters.get('day') or 'today'}" + (" (dry run)" if parameters.get("dry_run") else "")


@flow(name="kith-daily", flow_run_name=_run_name, log_prints=True)
def daily_flow(day: str | None = None, dry_run: bool = False) -> dict:
    """Sync, then the digest of `day` (default: today in the user's time zone), sent unless `dry_run`."""
    settings = load_settings(require_file=True)
    when = parse_day(day, settings).isoformat()
    logger = get_run_logger()
    sync_state = sync_flow(settings=settings, return_state=True)
    synced = sync_state.is_completed()
    if synced:
        emit_sync_events(sync_state.result())
    else:
        logger.warning("sync failed (%s); building the digest from what is already stored", sync_state.message)
    digest = digest_flow(day=when, dry_run=dry_run, settings=settings)
    if not synced:
        sync_state.result()  # re-raise: the run is failed, the digest still went out
    return {"day": when, "digest": digest}
