"""`kith digest`: build today's digest from the warehouse, record it, keep it as files, print it.

Also `show_demo_digest`, which `kith demo` calls once the generated network is loaded.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from kith.flows.terminal import visible
from kith.models.settings import Settings


class Format(str, Enum):
    text = "text"
    html = "html"


@dataclass
class BuiltDigest:
    digest: object  # digests.items.Digest
    text: str
    html: str
    text_file: Path
    html_file: Path


def digest_files(settings: Settings, day: date) -> tuple[Path, Path]:
    """Where the digest of `day` is kept: KITH_HOME/digests/<day>.txt and .html."""
    folder = settings.home / "digests"
    return folder / f"{day.isoformat()}.txt", folder / f"{day.isoformat()}.html"


def build_and_keep(settings: Settings, day: date) -> BuiltDigest:
    """Build the digest of `day`, render it, record it in the warehouse and write both files."""
    from kith.digests.build import build_digest
    from kith.digests.memory import save_digest
    from kith.digests.render import render_html, render_text
    from kith.warehouse import open_warehouse
    from kith.warehouse.private import owner_only

    with open_warehouse(settings.database, create=False) as wh:
        digest = build_digest(wh.conn, settings, day)
        text, html = render_text(digest), render_html(digest)
        save_digest(wh.conn, digest, text, html)
    text_file, html_file = digest_files(settings, day)
    text_file.parent.mkdir(parents=True, exist_ok=True)
    text_file.write_text(text, encoding="utf-8")
    html_file.write_text(html, encoding="utf-8")
    for path in (text_file.parent, text_file, html_file):
        owner_only(path)  # also when a flow runs outside the command line's umask
    return BuiltDigest(digest, text, html, text_file, html_file)


def parse_date(value: str, option: str) -> date:
    """A YYYY-MM-DD option's value, or the one-line usage error that says how to write it."""
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(f"{value!r} is not a date; write it as YYYY-MM-DD", param_hint=option) from None


def parse_day_option(value: str | None, settings: Settings) -> date:
    """The day a `--date` option names (YYYY-MM-DD), today in the user's zone when not given."""
    return settings.today() if value is None else parse_date(value, "--date")


def digest(
    day: Annotated[str | None, typer.Option("--date", help="The day, YYYY-MM-DD (default: today).")] = None,
    fmt: Annotated[Format, typer.Option("--format", help="What to print: text or html.")] = Format.text,
    out: Annotated[Path | None, typer.Option("--out", help="Write it to this file instead of printing.")] = None,
) -> None:
    """Build the day's digest, keep it (warehouse and KITH_HOME/digests/), and print it."""
    from kith.models.settings import load_settings

    settings = load_settings()
    built = build_and_keep(settings, parse_day_option(day, settings))
    body = built.html if fmt is Format.html else built.text
    if out is None:
        typer.echo(visible(body, lines=True), nl=False)
        return
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(body, encoding="utf-8")
    typer.echo(f"Wrote {out}", err=True)


def show_demo_digest(settings: Settings, console: Console, day: date | None = None) -> None:
    """For `kith demo`: build and keep the day's digest (today unless given), print its text and
    where the HTML is, then write the network report and print where it is."""
    from kith.flows.commands_report import show_demo_report

    day = day or settings.today()
    try:
        built = build_and_keep(settings, day)
    except ImportError as exc:  # the ranking is not there yet: the demo still shows the sync
        console.print(f"(no digest yet: {exc})", markup=False, highlight=False)
        return
    console.rule("Today's digest")
    console.print(visible(built.text, lines=True), markup=False, highlight=False, end="")
    console.rule()
    console.print(f"HTML version: {visible(built.html_file)}", markup=False, highlight=False)
    show_demo_report(settings, console, day)


def register(app: typer.Typer) -> None:
    """Add `kith digest` to the app."""
    from kith.flows.cli import one_line_errors

    app.command("digest")(one_line_errors(digest))
