"""A stream read again from the start (a changed .ics file, a resynced folder) replaces its rows,
and everything that hangs off them goes too: attendees, addresses and signals."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import duckdb

from kith.connectors.ics import IcsConnector
from kith.digests.congratulate import congratulate_items
from kith.digests.items import DigestItem
from kith.flows.syncing import sync_stream
from kith.models.settings import FileAccount, Settings, UserSettings
from kith.warehouse.people import refresh_people
from kith.warehouse.schema import ensure_schema

ME = "alex@example.com"
DAY = date(2025, 6, 20)
LUNCH = (
    "BEGIN:VEVENT", "UID:lunch-1", "SUMMARY:Lunch", "DTSTART:20250610T120000Z", "DTEND:20250610T130000Z",
    f"ORGANIZER:mailto:{ME}", f"ATTENDEE;PARTSTAT=ACCEPTED:mailto:{ME}",
    "ATTENDEE;CN=Dana Kim;PARTSTAT=ACCEPTED:mailto:dana@example.com", "END:VEVENT",
)  # fmt: skip
BIRTHDAY = (
    "BEGIN:VEVENT", "UID:dana-birthday", "SUMMARY:Dana Kim's birthday", "CATEGORIES:Birthday",
    "DTSTART;VALUE=DATE:19900622", "DTEND;VALUE=DATE:19900623", "RRULE:FREQ=YEARLY",
    "ATTENDEE;CN=Dana Kim:mailto:dana@example.com", "END:VEVENT",
)  # fmt: skip


def calendar(*events: tuple[str, ...]) -> str:
    return "\r\n".join(("BEGIN:VCALENDAR", "VERSION:2.0", *(line for e in events for line in e), "END:VCALENDAR")) + "\r\n"


def test_an_event_removed_from_a_calendar_takes_its_signals_along(tmp_path: Path) -> None:
    """Fails on main: the birthday removed from the file stayed in `signals` and was still
    congratulated (a changed file resets its stream, which left the signals behind)."""
    path = tmp_path / "personal.ics"
    path.write_text(calendar(LUNCH, BIRTHDAY))
    settings = Settings(home=tmp_path, user=UserSettings(addresses=[ME]))
    account = FileAccount(name="calendar", kind="ics", path=path)
    conn = duckdb.connect()
    ensure_schema(conn)

    def sync() -> None:
        connector = IcsConnector(account, now=lambda: datetime(2025, 6, 20, 7))
        sync_stream(conn, connector, str(path), settings)
        refresh_people(conn, [ME])

    signals = "SELECT source_id, kind, address, happened_on FROM signals ORDER BY ALL"
    sync()
    assert conn.execute(signals).fetchall() == [
        (f"dana-birthday/{year}-06-22T00:00:00", "birthday", "dana@example.com", date(year, 6, 22))
        for year in (2023, 2024, 2025)
    ]
    assert congratulate_items(conn, DAY) == [
        DigestItem(
            section="congratulate",
            person_id="dana@example.com",
            name="Dana Kim",  # the name the calendar gives her
            address="dana@example.com",
            reason="Birthday on Sunday 22 Jun.",
            score=0.95,
            account="calendar",
            source_id="dana-birthday/2025-06-22T00:00:00",
        )
    ]

    path.write_text(calendar(LUNCH))
    sync()

    assert conn.execute(signals).fetchall() == []
    assert congratulate_items(conn, DAY) == []
    assert conn.execute("SELECT source_id, title FROM meetings").fetchall() == [("lunch-1", "Lunch")]


def test_a_message_saved_again_or_deleted_takes_its_old_signals_along() -> None:
    """A record stored again (an edited .eml, a replayed batch) replaces its signals with the ones
    its new content shows; a deleted record leaves none behind, in its own stream only."""
    from kith.digests.signals import detect_signals
    from kith.models import Address, Batch, Message
    from kith.warehouse.load import save_batch

    def message(stream: str, body: str) -> Message:
        return Message(
            account="mail", source_id=f"{stream}/1", stream=stream, message_id="<q@example.com>",
            subject="Budget", sent_at=datetime(2025, 6, 2, 9), sender=Address(email="dana@example.com"),
            to=[Address(email=ME)], body_text=body,
        )  # fmt: skip

    def save(batch: Batch) -> None:
        save_batch(conn, batch, kind="eml", signals=detect_signals(batch, [ME]))

    conn = duckdb.connect()
    ensure_schema(conn)
    question = "Could you review the budget by Friday?"
    for stream in ("inbox", "archive"):
        save(Batch(account="mail", stream=stream, messages=[message(stream, question)]))
    signals = "SELECT source_id, kind, address FROM signals ORDER BY ALL"
    assert conn.execute(signals).fetchall() == [
        ("archive/1", "question", "dana@example.com"), ("inbox/1", "question", "dana@example.com")
    ]

    save(Batch(account="mail", stream="inbox", messages=[message("inbox", "Budget attached.")]))
    assert conn.execute(signals).fetchall() == [("archive/1", "question", "dana@example.com")]

    save(Batch(account="mail", stream="inbox", deleted=["archive/1"]))  # not inbox's: nothing goes
    assert conn.execute(signals).fetchall() == [("archive/1", "question", "dana@example.com")]
    save(Batch(account="mail", stream="archive", deleted=["archive/1"]))
    assert conn.execute(signals).fetchall() == []
    assert conn.execute("SELECT stream, source_id FROM messages").fetchall() == [("inbox", "inbox/1")]
    assert conn.execute("SELECT source_id, role FROM message_addresses ORDER BY ALL").fetchall() == [
        ("inbox/1", "from"), ("inbox/1", "to")
    ]
