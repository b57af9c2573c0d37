"""A small world for the calendar tests: a mailbox and a calendar written as files, synced into a
warehouse with the real connectors, and the digest built for a pinned day."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path

import duckdb

from kith.digests.build import build_digest
from kith.digests.items import Digest
from kith.flows.syncing import sync_accounts
from kith.models import Settings
from kith.warehouse.schema import ensure_schema

USER_NAME, USER = "Alex Morgan", "alex.morgan@acme.com"


def mail(sender: str, to: str, when: datetime, subject: str, number: int, body: str = "Thanks, talk soon.") -> str:
    """One mbox entry; `sender` and `to` as header values ("Name <address>")."""
    return (f"From x@x Mon Nov  2 10:00:00 2026\nFrom: {sender}\nTo: {to}\n"
            f"Date: {when:%d %b %Y %H:%M:%S} +0000\nMessage-ID: <{number}@acme.com>\nSubject: {subject}\n\n{body}\n\n")


def event(uid: str, title: str, start: datetime | date, attendees: list[tuple[str, str]] = (),
          weekly_until: datetime | None = None, yearly: bool = False) -> str:
    """One VEVENT: a timed hour in UTC (weekly until `weekly_until`), or an all-day `date`
    (yearly with `yearly`); attendees as (name, address), the user first when present."""
    if isinstance(start, datetime):
        when = [f"DTSTART:{start:%Y%m%dT%H%M%SZ}", f"DTEND:{start + timedelta(hours=1):%Y%m%dT%H%M%SZ}"]
    else:
        when = [f"DTSTART;VALUE=DATE:{start:%Y%m%d}", f"DTEND;VALUE=DATE:{start + timedelta(days=1):%Y%m%d}"]
    if weekly_until is not None:
        when.append(f"RRULE:FREQ=WEEKLY;UNTIL={weekly_until:%Y%m%dT%H%M%SZ}")
    if yearly:
        when.append("RRULE:FREQ=YEARLY")
    people = [f"ATTENDEE;CN={name};PARTSTAT=ACCEPTED:mailto:{address}" for name, address in attendees]
    return "\r\n".join(["BEGIN:VEVENT", f"UID:{uid}", "DTSTAMP:20251101T000000Z", *when, f"SUMMARY:{title}",
                        *people, "END:VEVENT"])


def build(tmp_path: Path, messages: list[str], events: list[str], day: date,
          meetings: dict | None = None) -> tuple[Digest, duckdb.DuckDBPyConnection]:
    """Sync `messages` (an mbox) and `events` (one .ics) and build the digest of `day`."""
    tmp_path.mkdir(parents=True, exist_ok=True)
    (tmp_path / "mail.mbox").write_text("".join(messages), encoding="utf-8")
    (tmp_path / "calendar.ics").write_text(
        "\r\n".join(["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//kith tests//EN", *events, "END:VCALENDAR"]) + "\r\n",
        encoding="utf-8", newline="")
    settings = Settings.model_validate({
        "home": tmp_path / "home",
        "user": {"name": USER_NAME, "addresses": [USER]},
        "accounts": [{"name": "mail", "kind": "mbox", "path": str(tmp_path / "mail.mbox")},
                     {"name": "calendar", "kind": "ics", "path": str(tmp_path / "calendar.ics")}],
        **({"meetings": meetings} if meetings else {}),
    })
    conn = duckdb.connect(str(tmp_path / "kith.duckdb"))
    ensure_schema(conn)
    sync_accounts(conn, settings)
    return build_digest(conn, settings, day), conn
