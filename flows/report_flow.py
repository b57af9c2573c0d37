"""The report flow: once per period (`[report] every` in kith.toml), build the network report, keep
it under KITH_HOME/reports/, and mail it through the digest's delivery, exactly once per recipient.

It is safe to run it more often than its period (the `kith-report` deployment runs every morning):
a run whose period has gone out to every recipient does nothing, without building anything.

Events (payloads hold no address, only the recipient's domain):

    kith.report.sent     resource kith.report.<period start>   payload: every, period_start, recipient_domain, method, attempts
    kith.report.failed   resource kith.report.<period start>   payload: every, period_start, recipient_domain, method, attempts, error
"""

from __future__ import annotations

from datetime import date

from prefect import flow, get_run_logger, task
from prefect.cache_policies import NONE
from prefect.events import emit_event
from prefect.runtime import flow_run

from kith.digests.delivery import Delivery, DeliveryError, build_sender, digest_recipients, recipient_address
from kith.digests.report_mail import LEDGER, deliver_report, period_start
from kith.flows.digest_flow import DeliveryFailed, retry_transient, parse_day, redact
from kith.flows.senders import API_SENDERS
from kith.models.settings import Settings, load_settings
from kith.warehouse import open_warehouse
from kith.warehouse.deliveries import gone_out

REPORT_EVENTS = ("kith.report.sent", "kith.report.failed")


def _run_name() -> str:
    parameters = flow_run.parameters or {}
    return f"report {parameters.get('day') or 'today'}" + (" (dry run)" if parameters.get("dry_run") else "")


def _resource(start: date) -> dict[str, str]:
    return {"prefect.resource.id": f"kith.report.{start.isoformat()}", "prefect.resource.name": f"report {start.isoformat()}"}


@task(task_run_name="report sent for {start}?", cache_policy=NONE, retries=3, retry_delay_seconds=[10, 30, 90],
      retry_condition_fn=retry_transient)
def all_sent_task(settings: Settings, start: date) -> bool:
    """True when every recipient has had (or is being sent) the report of the period starting `start`."""
    wanted = {recipient_address(r) for r in digest_recipients(settings)}
    with open_warehouse(settings.database) as wh:  # as a writer: an older file gets the ledger table
        return wanted <= gone_out(wh.conn, start, ledger=LEDGER)


@task(task_run_name="build report {day}", cache_policy=NONE, retries=3, retry_delay_seconds=[10, 30, 90],
      retry_condition_fn=retry_transient)
def build_report_task(settings: Settings, day: date):
    """Build and keep the report of `day` (KITH_HOME/reports/<day>.html)."""
    from kith.flows.commands_report import keep_report

    kept = keep_report(settings, day)
    print(f"report of {day} kept in {kept.path}")
    return kept


@task(task_run_name="deliver report {start}", cache_policy=NONE, retries=2, retry_delay_seconds=[120, 600],
      retry_condition_fn=retry_transient)
def deliver_report_task(settings: Settings, kept, start: date) -> list[Delivery]:
    """Mail the kept report to whoever has not had this period's; raise `DeliveryFailed` if anyone is left."""
    logger = get_run_logger()
    every = settings.report.every
    try:
        sender = build_sender(settings, API_SENDERS)
    except DeliveryError as exc:
        raise DeliveryFailed(str(exc), transient=False) from None
    with open_warehouse(settings.database) as wh:
        results = deliver_report(wh.conn, kept.report, kept.page, settings, sender)
    for result in results:
        logger.info("report of %s %s to a recipient at %s: %s", every, start, result.domain, result.status)
        if result.status in ("sent", "failed"):
            payload = {"every": every, "period_start": start.isoformat(), "recipient_domain": result.domain,
                       "method": sender.method, "attempts": result.attempts}
            if result.status == "failed":
                payload["error"] = redact(result.error or "")
            emit_event(f"kith.report.{result.status}", resource=_resource(start), payload=payload)
    failed = [r for r in results if r.status == "failed"]
    if failed:
        error = "; ".join(redact(r.error or "unknown error") for r in failed)
        raise DeliveryFailed(f"the report of {every} {start} did not go out: {error}", transient=True)
    return results


@flow(name="kith-report", flow_run_name=_run_name, log_prints=True)
def report_flow(day: str | None = None, dry_run: bool = False, settings: Settings | None = None) -> dict:
    """Mail the network report of `day` (default today in the user's zone) unless this period's has
    gone out; `dry_run` builds and keeps it, sends nothing. Does nothing when `[report] every` is unset."""
    settings = settings or load_settings(require_file=True)
    when = parse_day(day, settings)
    every = settings.report.every
    if every is None and not dry_run:
        print("the report is not mailed: set [report] every = \"week\" (or \"day\", \"month\") in kith.toml")
        return {"day": when.isoformat(), "status": "off", "deliveries": []}
    start = period_start(when, every or "day")
    summary = {"day": when.isoformat(), "every": every, "period_start": start.isoformat()}
    if not dry_run and all_sent_task(settings, start):
        print(f"the report of {every} {start} has gone out already")
        return {**summary, "status": "already_sent", "deliveries": []}
    kept = build_report_task(settings, when)
    if dry_run:
        return {**summary, "status": "dry_run", "path": str(kept.path), "deliveries": []}
    results = deliver_report_task(settings, kept, start)
    return {**summary, "status": "delivered", "path": str(kept.path),
            "deliveries": [{"recipient_domain": r.domain, "status": r.status, "attempts": r.attempts} for r in results]}
