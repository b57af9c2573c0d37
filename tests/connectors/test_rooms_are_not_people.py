"""Rooms, equipment, lists and people copied for information are invited like attendees; none
of them met anyone, so no connector makes them attendees (a room booked for a weekly meeting
was a weekly contact)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from kith.connectors.google.calendar import parse_event as parse_google_event
from kith.connectors.icsparse import parse_calendar
from kith.connectors.microsoft.calendar import parse_event as parse_graph_event


def emails(meeting) -> list[str]:
    return [a.email for a in meeting.attendees]


def test_an_ics_invitation_keeps_only_the_people_meeting() -> None:
    data = "\r\n".join([
        "BEGIN:VCALENDAR", "VERSION:2.0", "BEGIN:VEVENT", "UID:planning",
        "DTSTART:20261102T100000Z", "DTEND:20261102T110000Z", "SUMMARY:Planning",
        "ORGANIZER;CN=Dana Kim:mailto:dana@x.org",
        "ATTENDEE;CUTYPE=INDIVIDUAL;CN=Dana Kim;PARTSTAT=ACCEPTED:mailto:dana@x.org",
        "ATTENDEE;CN=Me;PARTSTAT=ACCEPTED:mailto:me@example.com",
        "ATTENDEE;CUTYPE=RESOURCE;CN=Room 4.12;ROLE=NON-PARTICIPANT:mailto:room-412@x.org",
        "ATTENDEE;CUTYPE=ROOM;CN=Atrium:mailto:atrium@x.org",
        "ATTENDEE;CUTYPE=GROUP;CN=Engineering:mailto:eng@x.org",
        "ATTENDEE;ROLE=NON-PARTICIPANT;CN=Lee Park:mailto:lee@x.org",
        "END:VEVENT", "END:VCALENDAR", "",
    ]).encode()  # fmt: skip
    meetings, skips = parse_calendar(data, account="cal", stream="cal.ics", since=datetime(2026, 1, 1), until=datetime(2027, 1, 1))
    assert skips == []
    assert [emails(m) for m in meetings] == [["dana@x.org", "me@example.com"]]


def test_a_real_invitation_with_two_rooms_keeps_its_four_people(corpora: Path) -> None:
    data = (corpora / "calendar/ics/python-recurring-ical-events/subcomponents.ics").read_bytes()
    meetings, _ = parse_calendar(data, account="cal", stream="s", since=datetime(2000, 1, 1), until=datetime(2100, 1, 1))
    assert [emails(m) for m in meetings] == [["redacted@example.com"] * 4]  # the two CUTYPE=RESOURCE are gone


def test_google_resources_are_not_attendees() -> None:
    item = {
        "id": "e1", "status": "confirmed", "summary": "Planning",
        "start": {"dateTime": "2026-11-02T10:00:00Z"}, "end": {"dateTime": "2026-11-02T11:00:00Z"},
        "organizer": {"email": "dana@x.org"},
        "attendees": [
            {"email": "dana@x.org", "organizer": True, "responseStatus": "accepted"},
            {"email": "c_1889@resource.calendar.google.com", "displayName": "Room 4.12", "resource": True,
             "responseStatus": "accepted"},
            {"email": "me@example.com", "self": True, "responseStatus": "accepted"},
        ],
    }  # fmt: skip
    assert emails(parse_google_event(item, account="g", calendar_id="primary")) == ["dana@x.org", "me@example.com"]


def test_graph_resources_are_not_attendees() -> None:
    item = {
        "id": "AAMk1", "subject": "Planning", "type": "singleInstance", "isAllDay": False,
        "start": {"dateTime": "2026-11-02T10:00:00.0000000", "timeZone": "UTC"},
        "end": {"dateTime": "2026-11-02T11:00:00.0000000", "timeZone": "UTC"},
        "organizer": {"emailAddress": {"name": "Dana Kim", "address": "dana@x.org"}},
        "attendees": [
            {"type": "required", "status": {"response": "accepted"},
             "emailAddress": {"name": "Me", "address": "me@example.com"}},
            {"type": "resource", "status": {"response": "accepted"},
             "emailAddress": {"name": "Room 4.12", "address": "room-412@x.org"}},
        ],
    }  # fmt: skip
    assert emails(parse_graph_event(item, account="m", stream="calendar")) == ["dana@x.org", "me@example.com"]
