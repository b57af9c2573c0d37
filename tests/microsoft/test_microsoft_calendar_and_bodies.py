"""The calendar through calendarView/delta (window, instances, @removed outside the window, pages
past the page size, rolling the window) and bodies fetched only for mail signals will read."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path

from kith.connectors.microsoft import MicrosoftConnector
from kith.connectors.microsoft.auth import token_provider_for
from kith.flows.syncing import sync_stream
from kith.warehouse import open_warehouse

from .conftest import ME, TODAY, account_for, message, settings_for, signed_in

MEETINGS = "SELECT source_id, ical_uid, recurrence_id, title, start_at, end_at, status, organizer_address, link FROM meetings ORDER BY source_id"
ATTENDEES = "SELECT source_id, address, name, response, is_organizer FROM meeting_attendees ORDER BY source_id, position"


def event(event_id: str, start: str, *, title: str = "1:1", kind: str = "singleInstance", original: str | None = None) -> dict:
    """A calendarView event as Graph returns it with Prefer: outlook.timezone="UTC"."""
    end = (datetime.fromisoformat(start) + timedelta(minutes=30)).isoformat()
    item = {
        "id": event_id, "iCalUId": f"uid-{event_id.split('.')[0]}", "subject": title, "type": kind, "isAllDay": False,
        "isCancelled": False, "showAs": "busy", "webLink": f"https://outlook.office365.com/calendar/item/{event_id}",
        "start": {"dateTime": start + ".0000000", "timeZone": "UTC"}, "end": {"dateTime": end + ".0000000", "timeZone": "UTC"},
        "organizer": {"emailAddress": {"name": "Dana Swope", "address": "dana@fabrikam.com"}},
        "attendees": [
            {"type": "required", "status": {"response": "accepted", "time": "2026-11-01T10:00:00Z"},
             "emailAddress": {"name": "Dana Swope", "address": "dana@fabrikam.com"}},
            {"type": "optional", "status": {"response": "tentativelyAccepted", "time": "2026-11-01T10:00:00Z"},
             "emailAddress": {"name": "Alex Wilber", "address": ME}},
        ],
    }  # fmt: skip
    if original:
        item["originalStart"] = original + "Z"
    return item


def connector_for(fake, home: Path, today: date = TODAY, **changes) -> MicrosoftConnector:
    account = account_for(fake, mail_folders=[], **changes)
    return MicrosoftConnector(account, token_provider_for(account, settings_for(home, account)), with_body=False, today=lambda: today)


def test_calendar_window_instances_removals_and_overfull_pages(fake, kith_home: Path) -> None:
    account = account_for(fake, mail_folders=[])
    settings = settings_for(kith_home, account)
    signed_in(fake, kith_home, account)
    fake.overfill = 1  # recurrence expansion: three events on a page that asked for two
    fake.put_event(event("e1", "2026-11-27T09:00:00"))
    for week in range(3):  # a weekly series: calendarView sends its instances
        day = datetime(2026, 12, 1, 15) + timedelta(weeks=week)
        fake.put_event(event(f"w1.{week}", day.isoformat(), title="Weekly sync", kind="occurrence", original=day.isoformat()))
    fake.put_event(event("old", "2020-01-01T09:00:00"))  # before the window: never sent
    with open_warehouse(settings.database) as wh:
        connector = connector_for(fake, kith_home)
        assert connector.streams() == ["calendar"]
        report = sync_stream(wh.conn, connector, "calendar", settings)
        assert (report.meetings, report.batches) == (4, 2)
        query = fake.graph_requests("calendarView")[0][1]
        assert "startDateTime=2024-11-26T00%3A00%3A00Z&endDateTime=2026-12-27T00%3A00%3A00Z" in query
        assert wh.conn.execute(MEETINGS).fetchall() == [
            ("e1", "uid-e1", None, "1:1", datetime(2026, 11, 27, 9), datetime(2026, 11, 27, 9, 30), "confirmed", "dana@fabrikam.com",
             "https://outlook.office365.com/calendar/item/e1"),
            *[(f"w1.{w}", "uid-w1", datetime(2026, 12, 1, 15) + timedelta(weeks=w), "Weekly sync", datetime(2026, 12, 1, 15) + timedelta(weeks=w),
               datetime(2026, 12, 1, 15, 30) + timedelta(weeks=w), "confirmed", "dana@fabrikam.com",
               f"https://outlook.office365.com/calendar/item/w1.{w}") for w in range(3)],
        ]  # fmt: skip
        assert wh.conn.execute(ATTENDEES + " LIMIT 2").fetchall() == [
            ("e1", "dana@fabrikam.com", "Dana Swope", "accepted", True), ("e1", ME, "Alex Wilber", "tentative", False),
        ]  # fmt: skip
        # A round later: one instance cancelled from the series, an event outside the window removed.
        fake.remove_event("w1.1")
        fake.remove_event("old")
        report = sync_stream(wh.conn, connector_for(fake, kith_home), "calendar", settings)
        assert (report.meetings, report.resynced) == (0, False)
        assert [r[0] for r in wh.conn.execute(MEETINGS).fetchall()] == ["e1", "w1.0", "w1.2"]
        # Two weeks on, the window has moved: a new first round over the new window.
        fake.put_event(event("late", "2027-01-05T10:00:00"))
        later = TODAY + timedelta(days=14)
        report = sync_stream(wh.conn, connector_for(fake, kith_home, today=later), "calendar", settings)
        assert report.meetings == 4
        assert [r[0] for r in wh.conn.execute(MEETINGS).fetchall()] == ["e1", "late", "w1.0", "w1.2"]
        assert "startDateTime=2024-12-10" in fake.graph_requests("calendarView")[-2][1]


def test_bodies_are_fetched_only_for_mail_signals_read(fake, kith_home: Path) -> None:
    account = account_for(fake, calendar=False, mail_folders=["inbox"], page_size=10)
    settings = settings_for(kith_home, account)
    signed_in(fake, kith_home, account)
    fake.put_message("inbox", message("p1", text="I'm thrilled to share that I joined Northwind as CTO."))
    fake.put_message("inbox", message("n1", sender="news@lists.example.com", headers=[("List-Id", "<news.example.com>")], text="Sale!"))
    fake.put_message("inbox", message("b1", sender="robot@example.com", headers=[("Auto-Submitted", "auto-generated")], text="Ping"))
    seen = []
    connector = MicrosoftConnector(account, token_provider_for(account, settings), with_body=True)
    for batch in connector.fetch("mail/inbox", None):
        seen.extend((m.source_id, m.body_text, m.list_id, m.auto_submitted) for m in batch.messages)
    assert sorted(seen) == [
        ("b1", None, None, "auto-generated"),
        ("n1", None, "<news.example.com>", None),
        ("p1", "I'm thrilled to share that I joined Northwind as CTO.", None, None),
    ]
    bodies = [path for _, path in fake.graph_requests("me/messages/")]
    assert len(bodies) == 1 and bodies[0].startswith("/v1.0/me/messages/p1?")
    assert "internetMessageHeaders" in fake.graph_requests("delta")[0][1]
