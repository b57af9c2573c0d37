"""The digest flow: build the day's digest, keep it (DuckDB + files), deliver it exactly once.

Events (all names in `DIGEST_EVENTS`; payloads never hold a full address or a secret, only the
recipient's domain, so a user's automations can route on them without leaking who the user is):

    kith.digest.built      resource kith.digest.<day>    payload: day, items, sections, rebuilt
    kith.signal.detected   resource kith.person.<id>     payload: day, kind, person (display name)
    kith.digest.sent       resource kith.digest.<day>    payload: day, recipient_domain, method, attempts, message_id
    kith.digest.failed     resource kith.digest.<day>    payload: day, recipient_domain, method, attempts, error

A digest is rebuilt on every run until it has gone out to someone; from then on it is frozen, so
what is recorded in `digests`/`digest_items` is what the user received.
"""

from __future__ import annotations

import re
from datetime import date

from prefect import flow, get_run_logger, task
from prefect.cache_policies import NONE
from prefect.events import emit_event
from prefect.runtime import flow_run

from kith.digests.delivery import DeliveryError, Delivery, build_sender, deliver_digest, load_stored_digest
from kith.flows.senders import API_SENDERS
from kith.models.settings import Settings, load_settings
from kith.warehouse import WarehouseBusy, open_warehouse
from kith.warehouse.deliveries import gone_out

DIGEST_EVENTS = ("kith.digest.built", "kith.signal.detected", "kith.digest.sent", "kith.digest.failed")
SQL_SIGNAL_KIND = (
    "SELECT kind FROM signals WHERE account = ? AND source_id = ? AND kind NOT IN ('question', 'promise') "
    "ORDER BY confidence DESC LIMIT 1"
)
_ADDRESS = re.compile(r"[\w.+-]+@([\w-]+\.[\w.-]+)")


class DeliveryFailed(Exception):
    """Some recipient did not get the digest in this run; `transient` when a later try may work."""

    def __init__(self, message: str, *, transient: bool) -> None:
        super().__init__(message)
        self.transient = transient


def retry_transient(task, task_run, state) -> bool:
    """Retry a busy warehouse or a server that was down; never a refused login or address."""
    try:
        state.result()
    except WarehouseBusy:
        return True
    except DeliveryFailed as exc:
        return exc.transient
    except Exception:
        return False
    return False


def parse_day(day: str | date | None, settings: Settings) -> date:
    if day is None:
        return settings.today()
    if isinstance(day, date):
        return day
    try:
        return date.fromisoformat(day)
    except ValueError:
        raise ValueError(f"day {day!r} is not a date; write it as YYYY-MM-DD") from None


def _run_name() -> str:
    parameters = flow_run.parameters or {}
    day = parameters.get("day") or "today"
    return f"digest {day}" + (" (dry run)" if parameters.get("dry_run") else "")


def redact(text: str) -> str:
    """Replace every address in `text` by `***@domain` (for event payloads and logs)."""
    return _ADDRESS.sub(lambda m: f"***@{m.group(1)}", text)


@task(task_run_name="build digest {day}", cache_policy=NONE, retries=3, retry_delay_seconds=[10, 30, 90], retry_condition_fn=retry_transient)
def build_digest_task(settings: Settings, day: date) -> dict:
    """Build, render, record and write the digest of `day`, unless it has already gone out."""
    with open_warehouse(settings.database) as wh:
        stored = load_stored_digest(wh.conn, day, settings.user.name) if gone_out(wh.conn, day) else None
    if stored is not None:
        return {"digest": stored.digest, "text": stored.text, "rebuilt": False, "kinds": {}}
    from kith.digests.render import digest_subject
    from kith.flows.commands_digest import build_and_keep

    built = build_and_keep(settings, day)
    with open_warehouse(settings.database) as wh:
        kinds = {
            item.source_id: _signal_kind(wh.conn, item.account, item.source_id)
            for item in built.digest.section("congratulate")
            if item.source_id
        }
    print(f"digest of {day}: {len(built.digest.items)} items, kept in {built.text_file.parent}")
    return {"digest": built.digest, "text": built.text, "subject": digest_subject(built.digest), "rebuilt": True, "kinds": kinds}


def _signal_kind(conn, account: str | None, source_id: str) -> str:
    rows = conn.execute(SQL_SIGNAL_KIND, [account, source_id]).fetchall()
    return rows[0][0] if rows else "congratulate"


@task(task_run_name="deliver digest {day}", cache_policy=NONE, retries=2, retry_delay_seconds=[120, 600], retry_condition_fn=retry_transient)
def deliver_task(settings: Settings, day: date, subject: str | None = None) -> list[Delivery]:
    """Send the stored digest of `day` to whoever has not had it; raise `DeliveryFailed` if anyone is left."""
    logger = get_run_logger()
    try:
        sender = build_sender(settings, API_SENDERS)
    except DeliveryError as exc:
        _emit_failed(day, settings, [Delivery(r, "failed", error=str(exc)) for r in settings.digest.to], settings.digest.method)
        raise DeliveryFailed(str(exc), transient=False) from None
    with open_warehouse(settings.database) as wh:
        results = deliver_digest(wh.conn, day, settings, sender, subject=subject)
    for result in results:
        logger.info("digest %s to a recipient at %s: %s", day, result.domain, result.status)
    sent = [r for r in results if r.status == "sent"]
    failed = [r for r in results if r.status == "failed"]
    for result in sent:
        emit_event(
            "kith.digest.sent",
            resource=_digest_resource(day),
            payload={"day": day.isoformat(), "recipient_domain": result.domain, "method": sender.method, "attempts": result.attempts, "message_id": result.message_id},
        )
    _emit_failed(day, settings, failed, sender.method)
    if failed:
        error = "; ".join(redact(r.error or "unknown error") for r in failed)
        raise DeliveryFailed(f"the digest of {day} did not go out: {error}", transient=True)
    return results


def _emit_failed(day: date, settings: Settings, failed: list[Delivery], method: str) -> None:
    for result in failed:
        emit_event(
            "kith.digest.failed",
            resource=_digest_resource(day),
            payload={"day": day.isoformat(), "recipient_domain": result.domain, "method": method, "attempts": result.attempts, "error": redact(result.error or "")},
        )


def _digest_resource(day: date) -> dict[str, str]:
    return {"prefect.resource.id": f"kith.digest.{day.isoformat()}", "prefect.resource.name": f"digest {day.isoformat()}"}


def emit_digest_events(day: date, built: dict) -> None:
    """kith.digest.built, and kith.signal.detected for each congratulation in a freshly built digest."""
    digest = built["digest"]
    sections: dict[str, int] = {}
    for item in digest.items:
        sections[item.section] = sections.get(item.section, 0) + 1
    emit_event(
        "kith.digest.built",
        resource=_digest_resource(day),
        payload={"day": day.isoformat(), "items": len(digest.items), "sections": sections, "rebuilt": built["rebuilt"]},
    )
    if not built["rebuilt"]:
        return
    for item in digest.section("congratulate"):
        person = item.person_id or item.name
        emit_event(
            "kith.signal.detected",
            resource={"prefect.resource.id": f"kith.person.{person}", "prefect.resource.name": item.name},
            related=[{"prefect.resource.id": f"kith.digest.{day.isoformat()}", "prefect.resource.role": "digest"}],
            payload={"day": day.isoformat(), "kind": built["kinds"].get(item.source_id, "congratulate"), "person": item.name, "person_id": item.person_id},
        )


def too_early(settings: Settings) -> bool:
    """True before today's digest.send_at in the user's time zone."""
    return settings.now().time() < settings.digest.send_at


@flow(name="kith-digest", flow_run_name=_run_name, log_prints=True)
def digest_flow(day: str | None = None, dry_run: bool = False, settings: Settings | None = None, wait_for_send_at: bool = False) -> dict:
    """Build and keep the digest of `day` (default: today in the user's zone); deliver it unless `dry_run`.

    `wait_for_send_at` (set by the event-triggered deployment) makes a run before digest.send_at
    do nothing, so syncs during the night do not send the morning digest early.
    """
    settings = settings or load_settings(require_file=True)
    when = parse_day(day, settings)
    if wait_for_send_at and day is None and too_early(settings):
        print(f"before {settings.digest.send_at:%H:%M}: the digest of {when} is not due yet")
        return {"day": when.isoformat(), "status": "not_due"}
    built = build_digest_task(settings, when)
    emit_digest_events(when, built)
    if dry_run:
        print(f"dry run: the digest of {when} is kept but not sent")
        return {"day": when.isoformat(), "items": len(built["digest"].items), "status": "dry_run", "deliveries": []}
    results = deliver_task(settings, when, built.get("subject"))
    return {
        "day": when.isoformat(),
        "items": len(built["digest"].items),
        "status": "delivered",
        "deliveries": [{"recipient_domain": r.domain, "status": r.status, "attempts": r.attempts} for r in results],
    }
