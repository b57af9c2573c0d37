"""`kith run`, `kith serve`, `kith init` and `kith doctor`: running the daily loop by hand or for good."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from kith.flows.terminal import safe_text, visible
from kith.models.settings import Settings


class Which(str, Enum):
    daily = "daily"
    sync = "sync"
    digest = "digest"
    report = "report"


SERVE_SYNC_EVERY = 30 * 60  # seconds between syncs under `kith serve`
# The report goes out this long after the digest's send_at, once the morning's sync and digest
# have let go of the warehouse (a busy warehouse is retried anyway).
REPORT_AFTER_DIGEST = timedelta(minutes=15)
# [report] every -> the days of the cron "minute hour day-of-month month day-of-week"
REPORT_CRON_DAYS = {"day": "* * *", "week": "* * 1", "month": "1 * *"}


def run(
    which: Annotated[Which, typer.Argument(help="daily, sync, digest or report.")],
    day: Annotated[str | None, typer.Option("--date", help="The digest's day, YYYY-MM-DD (default: today in your time zone).")] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Build and keep the digest, send nothing.")] = False,
) -> None:
    """Run the daily, sync, digest or report flow now, through Prefect (report: the report by mail)."""
    from kith.flows.cli import console, quiet_prefect, run_sync, print_sync_summary
    from kith.flows.commands_digest import parse_day_option
    from kith.models.settings import load_settings

    settings = load_settings(require_file=True)
    if day is not None:
        day = parse_day_option(day, settings).isoformat()  # a wrong date is told now, not after Prefect starts
    quiet_prefect()
    if which is Which.sync:
        import time

        started = time.monotonic()
        print_sync_summary(run_sync(settings), settings, time.monotonic() - started)
        return
    if which is Which.report:
        from kith.flows.report_flow import report_flow

        console.print(safe_text(describe_report_result(report_flow(day=day, dry_run=dry_run, settings=settings))),
                      highlight=False)
        return
    if which is Which.daily:
        from kith.flows.daily_flow import daily_flow

        result = daily_flow(day=day, dry_run=dry_run)["digest"]
    else:
        from kith.flows.digest_flow import digest_flow

        result = digest_flow(day=day, dry_run=dry_run, settings=settings)
    console.print(safe_text(describe_digest_result(result)), highlight=False)


def describe_digest_result(result: dict) -> str:
    """One line: what the digest run did."""
    head = f"Digest of {result['day']}: {result.get('items', 0)} item(s)"
    if result["status"] != "delivered":
        return f"{head}; {result['status'].replace('_', ' ')}."
    outcomes = ", ".join(f"{d['status'].replace('_', ' ')} (@{d['recipient_domain']})" for d in result["deliveries"]) or "nobody to send to"
    return f"{head}; {outcomes}."


def describe_report_result(result: dict) -> str:
    """One line: what the report flow did."""
    if result["status"] == "off":
        return 'The report is not mailed: set [report] every = "week" (or "day", "month") in kith.toml.'
    head = f"Report of {result['day']}"
    if result["status"] == "already_sent":
        return f"{head}: this {result['every']}'s report (from {result['period_start']}) has gone out already."
    if result["status"] == "dry_run":
        return f"{head}: kept in {result['path']}, not sent."
    outcomes = ", ".join(f"{d['status'].replace('_', ' ')} (@{d['recipient_domain']})" for d in result["deliveries"])
    return f"{head}: {outcomes or 'nobody to send to'}."


def report_cron(settings: Settings) -> str | None:
    """The cron of the report by mail under `kith serve`: REPORT_AFTER_DIGEST after digest.send_at,
    on each period's first day; None when `[report] every` is unset."""
    every = settings.report.every
    if every is None:
        return None
    start = datetime.combine(date.min, settings.digest.send_at)
    # Past midnight the cron's days would point at the day the report should follow, not the next:
    # a digest at 23:50 has its report at 23:59 of the same day.
    at = min(start + REPORT_AFTER_DIGEST, start.replace(hour=23, minute=59)).time()
    return f"{at.minute} {at.hour} {REPORT_CRON_DAYS[every]}"


def served_deployments(settings: Settings) -> list:
    """What `kith serve` serves: the daily flow at digest.send_at, the sync every 30 minutes, the
    digest on each finished sync, and the report by mail when `[report] every` is set."""
    from prefect.events import DeploymentEventTrigger
    from prefect.schedules import Cron, Interval

    from kith.flows.daily_flow import daily_flow
    from kith.flows.digest_flow import digest_flow
    from kith.flows.sync_flow import sync_flow

    zone = settings.digest.timezone or settings.user.timezone
    at = settings.digest.send_at
    deployments = [
        daily_flow.to_deployment(name="kith-daily", schedule=Cron(f"{at.minute} {at.hour} * * *", timezone=zone)),
        sync_flow.to_deployment(name="kith-sync", schedule=Interval(SERVE_SYNC_EVERY, timezone=zone)),
        digest_flow.to_deployment(
            name="kith-digest",
            parameters={"wait_for_send_at": True},
            triggers=[DeploymentEventTrigger(expect={"kith.sync.finished"}, match={"prefect.resource.id": "kith.sync"})],
        ),
    ]
    cron = report_cron(settings)
    if cron is not None:
        from kith.flows.report_flow import report_flow

        deployments.append(report_flow.to_deployment(name="kith-report", schedule=Cron(cron, timezone=zone)))
    return deployments


def serve() -> None:
    """Serve the daily, sync and digest flows (and the report by mail) with their schedules until stopped (Ctrl-C).

    Stopping does not pause the schedules (`pause_on_shutdown=False`): the next `kith serve`
    picks up where this one left off.
    """
    from prefect import serve as prefect_serve

    from kith.flows.cli import console
    from kith.models.settings import load_settings

    settings = load_settings(require_file=True)
    zone = settings.digest.timezone or settings.user.timezone
    at = settings.digest.send_at
    cron = report_cron(settings)
    report = f", the report every {settings.report.every} (cron {cron})" if cron else ""
    console.print(safe_text(f"Serving kith: digest daily at {at:%H:%M} {zone}, sync every {SERVE_SYNC_EVERY // 60} min"
                            f"{report}. Ctrl-C stops."))
    prefect_serve(*served_deployments(settings), pause_on_shutdown=False)


def init(
    name: Annotated[str | None, typer.Option(help="Your name, as it appears in mail.")] = None,
    address: Annotated[list[str] | None, typer.Option("--address", help="One of your addresses (repeat for several).")] = None,
    timezone: Annotated[str | None, typer.Option(help="Your IANA time zone, e.g. Europe/Paris.")] = None,
    non_interactive: Annotated[bool, typer.Option("--non-interactive", help="Ask nothing; use the flags.")] = False,
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing kith.toml.")] = False,
) -> None:
    """Create kith.toml in KITH_HOME from a few questions (or from flags)."""
    from kith.flows.cli import console, fail
    from kith.models.settings import _check_zone, default_home

    path = default_home() / "kith.toml"
    if path.exists() and not force:
        fail(f"{path} already exists; edit it, or run `kith init --force` to start again")
    if not non_interactive:
        name = name or typer.prompt("Your name")
        address = address or [a.strip() for a in typer.prompt("Your email addresses (comma-separated)").split(",") if a.strip()]
        timezone = timezone or typer.prompt("Your time zone", default=local_zone())
    name, address, timezone = name or "Me", address or [], timezone or local_zone()
    try:
        _check_zone(timezone)
    except ValueError as exc:
        raise typer.BadParameter(str(exc), param_hint="--timezone") from None
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(settings_text(name, address, timezone), encoding="utf-8")
    console.print(safe_text(f"Wrote {path}. Add your accounts there, then run `kith doctor`."), highlight=False)


def local_zone() -> str:
    """This machine's IANA zone name when it can be found, else UTC."""
    link = Path("/etc/localtime")
    if link.is_symlink() and "zoneinfo/" in str(link.resolve()):
        return str(link.resolve()).split("zoneinfo/", 1)[1]
    return "UTC"


def settings_text(name: str, addresses: list[str], timezone: str) -> str:
    import json

    listed = ", ".join(json.dumps(a) for a in addresses)
    return f"""[user]
name = {json.dumps(name)}
addresses = [{listed}]
timezone = {json.dumps(timezone)}

# One [[accounts]] table per source, e.g.
# [[accounts]]
# name = "work"
# kind = "imap"            # or mbox, maildir, eml, ics
# host = "imap.example.com"
# username = "me@example.com"
# password_env = "KITH_WORK_PASSWORD"

[digest]
method = "file"            # or "smtp" with a [digest.smtp] table
to = [{json.dumps(addresses[0]) if addresses else ""}]
send_at = 07:00:00
"""


def doctor() -> None:
    """Check settings, accounts, the SMTP server, the report by mail and the warehouse; one line per problem with its fix."""
    from kith.flows.doctor import run_checks

    problems = run_checks()
    for problem in problems:
        typer.echo(f"problem: {visible(problem)}", err=True)  # one line each, never wrapped; servers' words as text
    if problems:
        raise typer.Exit(1)
    typer.echo("All good.")


def register(app: typer.Typer) -> None:
    """Add `kith run`, `kith serve`, `kith init` and `kith doctor`."""
    from kith.flows.cli import one_line_errors

    app.command("run")(one_line_errors(run))
    app.command("serve")(one_line_errors(serve))
    app.command("init")(one_line_errors(init))
    app.command("doctor")(one_line_errors(doctor))
