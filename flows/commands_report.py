"""`kith report`: write the network report (one self-contained HTML page) and say where it is.

Also `write_report`, which `kith demo` calls after the digest.
"""

from __future__ import annotations

import webbrowser
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from kith.flows.terminal import visible
from kith.models.settings import Settings

if TYPE_CHECKING:
    from kith.digests.report import Report


def report_file(settings: Settings, today: date) -> Path:
    """Where the report of `today` is kept by default: KITH_HOME/reports/<today>.html."""
    return settings.home / "reports" / f"{today.isoformat()}.html"


def write_report(settings: Settings, today: date, since: date | None = None, out: Path | None = None) -> Path:
    """Build the report for `since`..`today` from the warehouse, write it (0600) and return its path."""
    return keep_report(settings, today, since, out).path


@dataclass
class KeptReport:
    report: Report
    page: str  # the HTML written to `path`
    path: Path


def keep_report(settings: Settings, today: date, since: date | None = None, out: Path | None = None) -> KeptReport:
    """Build the report for `since`..`today` from the warehouse and write it (0600): what
    `kith report` and the report by mail (flows/report_flow.py) both do."""
    from kith.digests.report import build_report, render_report
    from kith.warehouse import open_warehouse
    from kith.warehouse.private import owner_only
    from kith.warehouse.queries import use_meeting_size_limit

    # Read-only: while a sync holds the file, one line says so and when to retry (WarehouseBusy).
    with open_warehouse(settings.database, read_only=True) as wh:
        use_meeting_size_limit(wh.conn, settings.meetings.size_limit)
        report = build_report(wh.conn, today, since, settings.zone)
    html = render_report(report)
    path = out or report_file(settings, today)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(html, encoding="utf-8")
    # It names the people in the user's life: theirs alone (and KITH_HOME/reports/ with it; a
    # folder named by --out is the user's own and left as it is).
    owner_only(path)
    if out is None:
        owner_only(path.parent)
    return KeptReport(report, html, path)


def report(
    out: Annotated[Path | None, typer.Option("--out", help="Write it here (default KITH_HOME/reports/<today>.html).")] = None,
    since: Annotated[str | None, typer.Option("--since", help="Start of the period, YYYY-MM-DD (default: a year ago).")] = None,
    open_it: Annotated[bool, typer.Option("--open", help="Open it in the browser once written.")] = False,
) -> None:
    """Write the network report: charts of your mail, meetings and ties, one HTML page that works offline."""
    from kith.flows.commands_digest import parse_date
    from kith.models.settings import load_settings

    start = None if since is None else parse_date(since, "--since")
    settings = load_settings()
    path = write_report(settings, settings.today(), start, out)
    typer.echo(f"Report: {visible(path)}")
    if open_it:
        webbrowser.open(path.resolve().as_uri())


def show_demo_report(settings: Settings, console, day: date) -> None:
    """For `kith demo`: write the report of `day` and print where it is."""
    # soft_wrap: a long path stays on one line, whole, to copy or click
    console.print(f"Network report: {visible(write_report(settings, day))}", markup=False, highlight=False,
                  soft_wrap=True)


def register(app: typer.Typer) -> None:
    """Add `kith report` to the app."""
    from kith.flows.cli import one_line_errors

    app.command("report")(one_line_errors(report))
