"""`kith people`, `kith person`, and the commands that record what the user knows about people:
`kith mute`, `kith pin`, `kith snooze`, `kith merge`, `kith split`. All of it is user data that
survives every resync (see warehouse/overrides.py)."""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Annotated
from zoneinfo import ZoneInfo

import typer
from rich.console import Console
from rich.table import Table

from kith.flows.terminal import safe_text, visible

_DURATION = re.compile(r"^\s*(\d+)\s*(d|day|days|w|wk|week|weeks|m|mo|month|months)?\s*$", re.IGNORECASE)
_UNIT_DAYS = {"d": 1, "w": 7, "m": 30}


def parse_days(text: str) -> int:
    """'30d', '2w', '3m' (30-day months) or a bare number of days -> days."""
    match = _DURATION.match(text or "")
    if not match or int(match.group(1)) < 1:
        raise typer.BadParameter(f"{text!r} is not a duration; write it like 30d, 2w or 3m")
    unit = (match.group(2) or "d")[0].lower()
    return int(match.group(1)) * _UNIT_DAYS[unit]


def _settings():
    from kith.models.settings import load_settings

    return load_settings()


def _writer():
    return _opened(read_only=False, create=False)


def _reader():
    return _opened(read_only=True)


def _opened(**how):
    """The warehouse, its views weighing meetings by the user's `meetings.size_limit` and counting
    the user's days in their time zone (`relationships`)."""
    from kith.warehouse import open_warehouse
    from kith.warehouse.queries import set_user_zone, use_meeting_size_limit

    settings = _settings()
    warehouse = open_warehouse(settings.database, **how)
    use_meeting_size_limit(warehouse.conn, settings.meetings.size_limit)
    set_user_zone(warehouse.conn, settings.zone)
    return warehouse


def _plural_days(value) -> str:
    return f"{value:g} day{'' if value == 1 else 's'}"


def _days(value) -> str:
    return "" if value is None else f"{value:g} d" if isinstance(value, float) else f"{value} d"


def _status(row: dict) -> str:
    parts = []
    if row.get("muted"):
        parts.append("muted")
    if row.get("cadence_days"):
        parts.append(f"every {row['cadence_days']} d")
    if row.get("snoozed_until"):
        parts.append(f"snoozed to {row['snoozed_until']}")
    if row.get("is_automated"):
        parts.append("automated")
    return ", ".join(parts)


def people(
    query: Annotated[str | None, typer.Argument(help="Part of a name or an address.")] = None,
    limit: Annotated[int, typer.Option(help="Show at most this many people.")] = 50,
) -> None:
    """List your contacts, strongest first, or those whose name or address contains QUERY."""
    from kith.warehouse.overrides import find_people
    from kith.warehouse.queries import local_date

    with _reader() as wh:
        rows = find_people(wh.conn, query, limit=limit)
    zone = _settings().zone
    console = Console()
    if not rows:
        console.print(safe_text(f"No one matches {query!r}." if query else "No contacts yet; run `kith sync` first."))
        return
    table = Table("name", "primary address", "last contact", "days with contact", "typical gap", "strength", "notes")
    for row in rows:
        table.add_row(
            safe_text(row["display_name"]),
            safe_text(row["primary_address"]),
            str(local_date(row["last_contact"], zone)) if row["last_contact"] else "",
            "" if row["days_with_contact"] is None else str(row["days_with_contact"]),
            _days(row["typical_gap_days"]),
            "" if row["strength"] is None else f"{row['strength']:.2f}",
            _status(row),
        )
    console.print(table)
    console.print(f"{len(rows)} {'person' if len(rows) == 1 else 'people'}" + (" (limit reached)" if len(rows) == limit else ""))


def person(
    who: Annotated[str, typer.Argument(metavar="PERSON", help="An address or a name.")],
    last: Annotated[int, typer.Option(help="How many recent interactions to show.")] = 10,
) -> None:
    """Show one person: addresses, overrides, relationship figures and recent interactions."""
    from kith.warehouse.overrides import person_history

    with _reader() as wh:
        figures, history = person_history(wh.conn, who, limit=last)
    typer.echo(format_person(figures, history, _settings().zone))


def format_person(figures: dict, history: list[dict], zone: ZoneInfo | str = "UTC") -> str:
    """The text `kith person` prints: each value from mail shown as text (flows/terminal.py), times
    on the user's clock (`zone`)."""
    from kith.warehouse.queries import local_date, local_time

    name, primary = visible(figures["display_name"]), visible(figures["primary_address"])
    lines = [f"{name} <{primary}>" if name else primary]
    lines.append("Addresses: " + ", ".join(f"{visible(a)} ({why})" for a, why in figures["addresses"]))
    lines.append("Overrides: " + (_status(figures) or "none"))
    if figures.get("last_contact") is None:
        lines.append("No two-way history yet.")
    else:
        lines.append(
            f"First contact {local_date(figures['first_contact'], zone)}; "
            f"last contact {local_date(figures['last_contact'], zone)} "
            f"({figures['days_since_last_contact']} days ago)"
        )
        gap = figures["typical_gap_days"]
        lines.append(
            f"Days with contact {figures['days_with_contact']}; typical gap "
            f"{'unknown' if gap is None else _plural_days(gap)}; strength {figures['strength']:.2f}; "
            f"reciprocity {figures['reciprocity']:.2f}"
        )
        lines.append(
            f"Mail sent {figures['sent_count']}, received {figures['received_count']}; meetings {figures['meeting_count']}"
        )
    lines.append(f"Last {len(history)} interaction{'s' if len(history) != 1 else ''}:" if history else "No interactions.")
    for item in history:
        what = "meeting" if item["kind"] == "meeting" else f"email {item['direction']}"
        if item["is_group"]:
            what += " (group)"
        title = f"  {visible(item['title'])}" if item["title"] else ""
        lines.append(f"  {local_time(item['happened_at'], zone):%Y-%m-%d %H:%M}  {what}{title}")
    return "\n".join(lines)


def mute(
    who: Annotated[str, typer.Argument(metavar="PERSON", help="An address or a name.")],
    undo: Annotated[bool, typer.Option("--undo", help="Unmute.")] = False,
) -> None:
    """Never suggest this person (until --undo)."""
    from kith.warehouse.overrides import mute as mute_person

    with _writer() as wh:
        found = mute_person(wh.conn, who, on=not undo)
    typer.echo(f"{'Unmuted' if undo else 'Muted'} {visible(found.label)}.")


def pin(
    who: Annotated[str, typer.Argument(metavar="PERSON", help="An address or a name.")],
    every: Annotated[str | None, typer.Option("--every", help="Cadence: 30d, 2w, 3m.")] = None,
    undo: Annotated[bool, typer.Option("--undo", help="Remove the pin; the learned gap applies again.")] = False,
) -> None:
    """Be reminded of this person at a fixed cadence, whatever the learned gap."""
    from kith.warehouse.overrides import pin as pin_person

    if undo == (every is not None):
        raise typer.BadParameter("give either --every (e.g. --every 30d) or --undo")
    days = None if undo else parse_days(every)
    with _writer() as wh:
        found = pin_person(wh.conn, who, days)
    label = visible(found.label)
    typer.echo(f"Unpinned {label}." if undo else f"Pinned {label}: every {days} days.")


def snooze(
    who: Annotated[str, typer.Argument(metavar="PERSON", help="An address or a name.")],
    for_: Annotated[str | None, typer.Option("--for", help="How long: 30d, 2w, 3m.")] = None,
    until: Annotated[str | None, typer.Option("--until", help="A date, YYYY-MM-DD.")] = None,
    undo: Annotated[bool, typer.Option("--undo", help="End the snooze now.")] = False,
) -> None:
    """Suggest nothing about this person for a while."""
    from kith.warehouse.overrides import snooze as snooze_person

    if sum(x is not None and x is not False for x in (for_, until, undo or None)) != 1:
        raise typer.BadParameter("give one of --for (e.g. --for 2w), --until YYYY-MM-DD or --undo")
    day: date | None = None
    if for_ is not None:
        day = _settings().today() + timedelta(days=parse_days(for_))
    elif until is not None:
        try:
            day = date.fromisoformat(until)
        except ValueError:
            raise typer.BadParameter(f"{until!r} is not a date; write it as YYYY-MM-DD") from None
    with _writer() as wh:
        found = snooze_person(wh.conn, who, day)
    label = visible(found.label)
    typer.echo(f"Snooze ended for {label}." if day is None else f"Snoozed {label} until {day}.")


def merge(
    a: Annotated[str, typer.Argument(metavar="A", help="An address or a name.")],
    b: Annotated[str, typer.Argument(metavar="B", help="An address or a name.")],
) -> None:
    """Make A and B one person (kept across every resync)."""
    from kith.warehouse.overrides import merge as merge_people
    from kith.warehouse.overrides import person_addresses

    settings = _settings()
    from kith.warehouse import open_warehouse

    with open_warehouse(settings.database, create=False) as wh:
        found = merge_people(wh.conn, a, b, settings.user.addresses)
        addresses = [visible(address) for address, _ in person_addresses(wh.conn, found.person_id)]
    typer.echo(f"Merged: {visible(found.label)} now has {len(addresses)} addresses: {', '.join(addresses)}.")


def split(address: Annotated[str, typer.Argument(help="The address to take out of its person.")]) -> None:
    """Take ADDRESS out of the person it was grouped with (kept across every resync)."""
    from kith.warehouse import open_warehouse
    from kith.warehouse.overrides import find_person, person_addresses
    from kith.warehouse.overrides import split as split_address

    settings = _settings()
    with open_warehouse(settings.database, create=False) as wh:
        before = find_person(wh.conn, address)
        found = split_address(wh.conn, address, settings.user.addresses)
        addresses = [a for a, _ in person_addresses(wh.conn, found.person_id)]
        rest = find_person(wh.conn, before.primary_address) if before.primary_address not in addresses else None
    if rest is None and len(addresses) > 1:
        typer.echo(
            f"{visible(address)} stays with {visible(', '.join(addresses))}: they are spellings of one mailbox "
            "(case, Gmail dots, +tags) or you are one of them."
        )
    else:
        typer.echo(f"Split: {visible(address)} is now its own person" + (f"; {visible(rest.label)} keeps the rest." if rest else "."))


COMMANDS = {"people": people, "person": person, "mute": mute, "pin": pin, "snooze": snooze, "merge": merge, "split": split}


def register(app: typer.Typer) -> None:
    """Add these commands to the `kith` app."""
    from kith.flows.cli import one_line_errors

    for name, function in COMMANDS.items():
        app.command(name)(one_line_errors(function))
