"""Meetings through `calendarView/delta` over a window that rolls forward, and events into Meetings.

calendarView expands recurring events into their instances, which is what kith counts. Its
delta takes `startDateTime`/`endDateTime` only on the first round (the window is fixed in the
token), accepts no `$select`, `$filter` or `$orderby`, may put more events on a page than
`odata.maxpagesize` asked for when recurrences expand, and may name `@removed` events that lie
outside the window. `Prefer: outlook.timezone="UTC"` makes Graph give every time in UTC.

The window runs from `calendar_days_back` before today to `calendar_days_ahead` after it. Moving
it means a new first round, so it moves when its end is more than `ROLL_DAYS` behind where it
should be: then the connector reads the calendar again (a `reset`) over the new window.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from icalendar.timezone.windows_to_olson import WINDOWS_TO_OLSON

from kith.connectors.microsoft.mail import parse_recipient, parse_time
from kith.models import Attendee, Meeting, Skip

ROLL_DAYS = 7
UTC_TIMES = 'outlook.timezone="UTC"'

# Graph's responses (responseStatus / attendee status) in kith's words.
_RESPONSES = {
    "accepted": "accepted",
    "organizer": "accepted",
    "declined": "declined",
    "tentativelyaccepted": "tentative",
    "notresponded": "needs_action",
    "none": "needs_action",
}


def window(today: date, days_back: int, days_ahead: int) -> tuple[datetime, datetime]:
    """The calendar window for `today`: midnight UTC `days_back` ago to `days_ahead` ahead."""
    start = datetime(today.year, today.month, today.day) - timedelta(days=days_back)
    return start, datetime(today.year, today.month, today.day) + timedelta(days=days_ahead)


def window_is_stale(cursor: dict[str, Any], wanted_end: datetime) -> bool:
    """Whether the stored window ends more than `ROLL_DAYS` before it should."""
    stored = parse_time(cursor.get("window_end"))
    return stored is None or wanted_end - stored > timedelta(days=ROLL_DAYS)


def delta_request(start: datetime, end: datetime) -> tuple[str, dict[str, str]]:
    """The path and query of the window's first delta round."""
    return "me/calendarView/delta", {
        "startDateTime": start.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "endDateTime": end.strftime("%Y-%m-%dT%H:%M:%SZ"),
    }


def parse_event(item: dict[str, Any], *, account: str, stream: str) -> Meeting | Skip | None:
    """One calendarView event as a `Meeting`, a `Skip` saying why not, or None for a series
    master (calendarView sends its instances instead)."""
    event_id = item.get("id")
    where = f"calendar/{event_id or '?'}"
    if item.get("type") == "seriesMaster":
        return None
    if not event_id:
        return Skip.model_construct(location=where, reason="Graph event without an id")
    all_day = bool(item.get("isAllDay"))
    start = event_time(item.get("start"), all_day=all_day)
    if start is None:
        return Skip.model_construct(location=where, reason="no usable start time")
    end = event_time(item.get("end"), all_day=all_day)
    organizer = parse_recipient(item.get("organizer"))
    attendees = []
    for entry in item.get("attendees") or []:
        mailbox = parse_recipient(entry)
        if mailbox is None or entry.get("type") == "resource":  # a room is no one met
            continue
        response = _RESPONSES.get(str((entry.get("status") or {}).get("response", "")).lower())
        attendees.append(
            Attendee(
                email=mailbox.email,
                name=mailbox.name,
                response=response,
                is_organizer=organizer is not None and mailbox.email == organizer.email,
                optional=entry.get("type") == "optional",
            )
        )
    if organizer is not None and not any(a.is_organizer for a in attendees):
        attendees.insert(0, Attendee(email=organizer.email, name=organizer.name, response="accepted", is_organizer=True))
    recurrence = None
    if item.get("type") in ("occurrence", "exception"):
        recurrence = event_time(item.get("originalStart"), all_day=all_day) or parse_time(item.get("originalStart"))
    if item.get("isCancelled"):
        status = "cancelled"
    elif str(item.get("showAs", "")).lower() == "tentative":
        status = "tentative"
    else:
        status = "confirmed"
    return Meeting(
        account=account,
        source_id=str(event_id),
        stream=stream,
        ical_uid=item.get("iCalUId"),
        recurrence_id=recurrence,
        calendar=stream,
        title=item.get("subject"),
        start=start,
        end=end,
        all_day=all_day,
        status=status,
        organizer=organizer,
        attendees=attendees,
        event_type="default",
        link=item.get("webLink"),
    )


def event_time(value: Any, *, all_day: bool = False) -> datetime | None:
    """A Graph dateTimeTimeZone as naive UTC. Windows zone names ("Pacific Standard Time") and
    IANA names are both understood; all-day events keep their date at midnight UTC."""
    if isinstance(value, str):
        return parse_time(value)
    if not isinstance(value, dict):
        return None
    local = parse_time(value.get("dateTime"))
    if local is None:
        return None
    if all_day:
        return local.replace(hour=0, minute=0, second=0, microsecond=0)
    zone = _zone(value.get("timeZone"))
    if zone is None:
        return None
    return local.replace(tzinfo=zone).astimezone(timezone.utc).replace(tzinfo=None)


def _zone(name: Any) -> ZoneInfo | timezone | None:
    if not name or str(name).upper() in ("UTC", "Z", "COORDINATED UNIVERSAL TIME"):
        return timezone.utc
    name = str(name)
    try:
        return ZoneInfo(WINDOWS_TO_OLSON.get(name, name))
    except (ZoneInfoNotFoundError, ValueError):
        return None

