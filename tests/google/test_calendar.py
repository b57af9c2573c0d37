"""Google Calendar: the recorded responses in the corpora parse, and sync tokens through the fake."""

from __future__ import annotations

import json
from datetime import date, datetime

import pytest

from google_world import ADDRESS
from kith.connectors.google.calendar import parse_event, parse_events
from kith.digests.signals import NAME_PREFIX, detect_signals
from kith.models import Address, Attendee, Batch, Meeting

RECORDED = "api/nango_recorded/google_calendar"


def recorded_events(corpora) -> dict[str, list[dict]]:
    """Every event in every recorded response: lists and single events alike."""
    found = {}
    for path in sorted((corpora / RECORDED).glob("*.json")):
        data = json.loads(path.read_text())
        found[path.name] = data["items"] if "items" in data else [data]
    return found


def test_every_recorded_calendar_response_parses(corpora):
    files = recorded_events(corpora)
    assert len(files) == 8
    counts = {}
    for name, items in files.items():
        meetings, skips, deleted = parse_events(items, account="g", calendar_id="primary")
        assert skips == [], name
        counts[name] = (len(meetings), len(deleted))
    assert sum(m for m, _ in counts.values()) == 507
    # Two recorded answers hold a cancelled event: it is removed, not stored.
    assert {name: d for name, (_, d) in counts.items() if d} == {
        "update-attendee-response__001_get_3jipb4nqt786pa7ma2heehi4ms.json": 1,
        "update-attendee-response__002_put_3jipb4nqt786pa7ma2heehi4ms.json": 1,
    }
    with_attendees = [m for items in files.values() for m in parse_events(items, account="g", calendar_id="primary")[0]
                      if m.attendees]
    assert sorted({(a.email, a.name, a.response) for m in with_attendees for a in m.attendees}) == [
        ("new.attendee@example.com", "New Attendee", "needs_action"),
        ("test.attendee@example.com", "Test Attendee", "needs_action"),
    ]


def test_a_recorded_event_becomes_this_meeting(corpora):
    item = recorded_events(corpora)["add-attendee__002_patch_g65fvocgea781hubcl4099oc9o.json"][0]
    assert parse_event(item, account="g", calendar_id="primary") == Meeting(
        account="g", source_id="g65fvocgea781hubcl4099oc9o", stream="calendar:primary",
        ical_uid="g65fvocgea781hubcl4099oc9o@google.com", recurrence_id=None, calendar="primary",
        title="Test Event for Mock Recording", start=datetime(2026, 3, 14, 13, 0), end=datetime(2026, 3, 14, 14, 0),
        all_day=False, status="confirmed", organizer=Address(email="api@nango.dev"),
        attendees=[Attendee(email="new.attendee@example.com", name="New Attendee", response="needs_action")],
        event_type="default",
        link="https://www.google.com/calendar/event?eid=ZzY1ZnZvY2dlYTc4MWh1YmNsNDA5OW9jOW8gYXBpQG5hbmdvLmRldg",
    )


def test_recorded_events_land_in_the_warehouse_with_attendees(google, corpora):
    for items in recorded_events(corpora).values():
        for item in items:
            google.fake.put_event("primary", item)
    google.fake.event_page_size = 100
    reports = google.sync(google.settings(google.account(mail=False)))
    # 324 distinct event ids across the files (lists overlap); the last answer for one is a cancellation.
    assert [(r.stream, r.meetings, r.skipped, r.error) for r in reports] == [("calendar:primary", 323, 0, None)]
    assert google.query("SELECT count(*) FROM meetings") == [(323,)]
    assert google.query(
        "SELECT g.source_id, a.address, a.name, a.response FROM meetings g JOIN meeting_attendees a USING (account, source_id) "
        "WHERE g.source_id IN ('02kfi15oihuf9iftlc3pricm0k', 'g65fvocgea781hubcl4099oc9o') ORDER BY ALL"
    ) == [
        ("02kfi15oihuf9iftlc3pricm0k", "test.attendee@example.com", "Test Attendee", "needs_action"),
        ("g65fvocgea781hubcl4099oc9o", "new.attendee@example.com", "New Attendee", "needs_action"),
    ]


def event(event_id: str, day: int, *, summary: str = "Coffee", attendees: tuple = (), **extra) -> dict:
    return {
        "kind": "calendar#event", "id": event_id, "status": "confirmed", "summary": summary,
        "htmlLink": f"https://www.google.com/calendar/event?eid={event_id}", "iCalUID": f"{event_id}@google.com",
        "organizer": {"email": ADDRESS, "self": True},
        "start": {"dateTime": f"2024-05-{day:02d}T10:00:00+02:00"}, "end": {"dateTime": f"2024-05-{day:02d}T11:00:00+02:00"},
        "attendees": [{"email": ADDRESS, "self": True, "responseStatus": "accepted"},
                      *({"email": e, "displayName": n, "responseStatus": r} for e, n, r in attendees)],
        "eventType": "default", **extra,
    }


def test_sync_tokens_bring_changes_and_cancellations_and_410_resyncs(google):
    fake = google.fake
    fake.event_page_size = 2
    for n in range(1, 6):
        fake.put_event("primary", event(f"ev{n}", n, attendees=[("bo@example.com", "Bo", "tentative")]))
    settings = google.settings(google.account(mail=False))
    reports = google.sync(settings)
    assert [(r.meetings, r.batches) for r in reports] == [(5, 3)]
    assert fake.calls["events"] == 3

    fake.put_event("primary", event("ev2", 2, summary="Lunch", attendees=[("bo@example.com", "Bo", "declined")]))
    fake.cancel_event("primary", "ev3")
    fake.put_event("primary", event("ev6", 6))
    reports = google.sync(settings)
    assert [(r.meetings, r.resynced) for r in reports] == [(2, False)]
    assert google.query("SELECT source_id, title, start_at FROM meetings ORDER BY source_id") == [
        ("ev1", "Coffee", datetime(2024, 5, 1, 8)), ("ev2", "Lunch", datetime(2024, 5, 2, 8)),
        ("ev4", "Coffee", datetime(2024, 5, 4, 8)), ("ev5", "Coffee", datetime(2024, 5, 5, 8)),
        ("ev6", "Coffee", datetime(2024, 5, 6, 8)),
    ]
    assert google.query("SELECT response FROM meeting_attendees WHERE source_id = 'ev2' AND address = 'bo@example.com'") == [("declined",)]

    fake.expire_sync_tokens("primary")
    fake.cancel_event("primary", "ev1")  # gone while the token was dead: the resync must drop it
    reports = google.sync(settings)
    assert [(r.meetings, r.resynced, r.error) for r in reports] == [(4, True, None)]
    assert google.query("SELECT source_id FROM meetings ORDER BY 1") == [("ev2",), ("ev4",), ("ev5",), ("ev6",)]
    stored = json.loads(google.query("SELECT cursor FROM sync_state WHERE stream = 'calendar:primary'")[0][0])
    assert stored == {"sync_token": f"sync-{fake.calendars['primary'].version}"}


@pytest.mark.parametrize(("properties", "expected"), [
    ({"type": "birthday", "contact": "people/c123"}, "birthday"),
    ({"type": "anniversary", "contact": "people/c123"}, "birthday:anniversary"),
    ({"type": "self"}, "birthday:self"),
])
def test_birthday_events_keep_their_kind(properties, expected):
    item = {"id": "bd1", "status": "confirmed", "summary": "Dana Reyes's birthday", "eventType": "birthday",
            "birthdayProperties": properties, "start": {"date": "2024-06-03"}, "end": {"date": "2024-06-04"},
            "organizer": {"email": ADDRESS}}
    meeting = parse_event(item, account="g", calendar_id="primary")
    assert (meeting.event_type, meeting.all_day, meeting.start) == (expected, True, datetime(2024, 6, 3))


def test_a_contacts_birthday_event_becomes_a_birthday_signal():
    item = {"id": "bd1", "status": "confirmed", "summary": "Dana Reyes's birthday", "eventType": "birthday",
            "birthdayProperties": {"type": "birthday", "contact": "people/c123"},
            "start": {"date": "2024-06-03"}, "end": {"date": "2024-06-04"}}
    meeting = parse_event(item, account="g", calendar_id="primary")
    signals = detect_signals(Batch(account="g", stream="calendar:primary", meetings=[meeting]), [ADDRESS])
    assert [(s.kind, s.address, s.happened_on, s.evidence) for s in signals] == [
        ("birthday", NAME_PREFIX + "dana reyes", date(2024, 6, 3), "Dana Reyes's birthday")
    ]
