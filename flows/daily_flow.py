"""The daily flow: sync every account, then build and deliver the day's digest (two subflows).

The sync subflow announces itself with `kith.account.synced` and `kith.sync.finished` (see
flows/sync_flow.py), the event the `kith-digest` deployment is triggered by. A failed sync does not cost the user the
digest: it is built from what the warehouse holds, and the run then ends failed.
"""

from __future__ import annotations

from prefect import flow, get_run_logger
from prefect.runtime import flow_run

from kith.flows.digest_flow import digest_flow, parse_day
from kith.flows.sync_flow import SYNC_EVENTS, sync_flow  # noqa: F401 (SYNC_EVENTS re-exported)
from kith.models.settings import load_settings


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
    if not synced:
        logger.warning("sync failed (%s); building the digest from what is already stored", sync_state.message)
    digest = digest_flow(day=when, dry_run=dry_run, settings=settings)
    if not synced:
        sync_state.result()  # re-raise: the run is failed, the digest still went out
    return {"day": when, "digest": digest}
