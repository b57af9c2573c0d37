"""Parsing iCalendar data into `Meeting`s: bytes in, meetings and skips out, never an exception.

Recurring events are expanded per series (all VEVENTs sharing a UID) with recurring-ical-events,
so one bad series costs only itself. The connector for .ics files is connectors/ics.py.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import icalendar
import x_wr_timezone

from kith.connectors.icsread import one_line, read_calendars
from kith.connectors.icsrecur import ExpansionBudget, expand_series, start_of, to_naive_utc
from kith.models import Address, Attendee, Meeting, Skip
from kith.models.meetings import MeetingStatus, ResponseStatus

HISTORY = timedelta(days=2 * 365)  # how far back recurring events are expanded by default
HORIZON = timedelta(days=365)  # how far ahead the connector expands recurring events

PARTSTAT_TO_RESPONSE: dict[str, ResponseStatus] = {
    "ACCEPTED": "accepted",
    "DECLINED": "declined",
    "TENTATIVE": "tentative",
    "NEEDS-ACTION": "needs_action",
    "DELEGATED": "delegated",
}
STATUS_TO_MEETING_STATUS: dict[str, MeetingStatus] = {
    "CONFIRMED": "confirmed",
    "TENTATIVE": "tentative",
    "CANCELLED": "cancelled",
}
RECURRENCE_PROPERTIES = ("RRULE", "RDATE")
TIME_PROPERTIES = ("DTSTART", "DTEND", "RECURRENCE-ID")


def utc_now() -> datetime:
    """The current time as naive UTC."""
    return datetime.now(UTC).replace(tzinfo=None)


def parse_calendar(
    data: bytes,
    *,
    account: str,
    stream: str,
    until: datetime,
    since: datetime | None = None,
) -> tuple[list[Meeting], list[Skip]]:
    """Turn the bytes of an .ics file into meetings (one per event instance) and skips.

    Recurring events are expanded from `since` (default: two years before `until`) up to
    `until`, both naive UTC; one-off events are kept whenever they start before `until`.
    Nothing raises: an unreadable file gives one Skip for the stream, an unusable event one
    Skip located at `stream#uid` (or `stream#index` without a UID), a component that does not
    parse (a broken VTIMEZONE) one Skip for itself. A series keeps at most its cap of instances
    (connectors/icsrecur.py), counted as a Skip when it had more.
    """
    since = until - HISTORY if since is None else since
    calendars, skips = read_calendars(data, stream)
    if not calendars:
        return [], skips or [Skip(location=stream, reason="no VCALENDAR in file")]
    try:
        meetings, found = _meetings_of_calendars(calendars, account, stream, since=since, until=until)
    except Exception as error:  # noqa: BLE001 - a last guard: bad input never raises
        return [], [*skips, Skip(location=stream, reason=f"file not usable: {one_line(error)}")]
    return meetings, [*skips, *found]


def _meetings_of_calendars(
    calendars: list[icalendar.Calendar],
    account: str,
    stream: str,
    *,
    since: datetime,
    until: datetime,
) -> tuple[list[Meeting], list[Skip]]:
    meetings: list[Meeting] = []
    skips: list[Skip] = []
    index = 0
    budget = ExpansionBudget()  # one per file: many capped series still fit in memory
    for calendar in calendars:
        context = _CalendarContext(account=account, stream=stream, calendar=calendar)
        for event in calendar.walk("VEVENT"):
            _pin_unknown_time_zones(event)  # before X-WR-TIMEZONE takes them for floating
        try:
            calendar = x_wr_timezone.to_standard(calendar)
        except Exception as error:  # noqa: BLE001
            skips.append(Skip(location=stream, reason=f"X-WR-TIMEZONE ignored: {one_line(error)}"))
        series: dict[str, list[icalendar.Component]] = {}
        for event in calendar.walk("VEVENT"):
            location = f"{stream}#{_uid(event) or index}"
            index += 1
            if not _has_start(event):
                skips.append(Skip(location=location, reason="event has no usable DTSTART"))
                continue
            series.setdefault(_uid(event) or _content_uid(event), []).append(event)
        for uid, events in series.items():
            location = f"{stream}#{uid}"
            found, skipped = _meetings_of_series(
                uid, events, context, since=since, until=until, budget=budget
            )
            meetings.extend(found)
            skips.extend(Skip(location=location, reason=reason) for reason in skipped)
    return _without_duplicates(meetings, skips, stream)


class _CalendarContext:
    """What every event of one VCALENDAR shares."""

    def __init__(self, *, account: str, stream: str, calendar: icalendar.Calendar) -> None:
        self.account = account
        self.stream = stream
        name = calendar.get("X-WR-CALNAME")
        self.calendar_name = str(name) if name is not None else None
        self.is_birthday_calendar = "birthday" in (self.calendar_name or "").lower()


def _meetings_of_series(
    uid: str,
    events: list[icalendar.Component],
    context: _CalendarContext,
    *,
    since: datetime,
    until: datetime,
    budget: ExpansionBudget,
) -> tuple[list[Meeting], list[str]]:
    """The meetings of all VEVENTs sharing one UID, and the reasons for anything dropped."""
    recurring = len(events) > 1 or any(
        name in event for event in events for name in (*RECURRENCE_PROPERTIES, "RECURRENCE-ID")
    )
    reasons: list[str] = []
    try:
        if not recurring:
            meeting = _to_meeting(events[0], uid, context)
            return ([meeting] if meeting.start < until else []), []
        return _expand(uid, events, context, since=since, until=until, budget=budget)
    except Exception as error:  # noqa: BLE001 - one bad series must not stop the file
        first_error = one_line(error)
    removed = _remove_broken_recurrence_values(events)
    if removed:
        reasons.append(f"ignored unreadable {', '.join(removed)} ({first_error})")
        try:
            found, capped = _expand(uid, events, context, since=since, until=until, budget=budget)
            return found, [*reasons, *capped]
        except Exception as error:  # noqa: BLE001
            first_error = one_line(error)
    # Fallback: the first instance of the series plus the overrides it spells out.
    reasons = [f"recurrence not expanded ({first_error}); kept its stated instances only"]
    meetings: list[Meeting] = []
    for event in events:
        try:
            meeting = _to_meeting(event, uid, context, recurrence_id=start_of(event))
        except Exception as error:  # noqa: BLE001
            return meetings, [*reasons, f"event not usable: {one_line(error)}"]
        if meeting.start < until:
            meetings.append(meeting)
    return meetings, reasons


def _expand(
    uid: str,
    events: list[icalendar.Component],
    context: _CalendarContext,
    *,
    since: datetime,
    until: datetime,
    budget: ExpansionBudget,
) -> tuple[list[Meeting], list[str]]:
    """The meetings of one series between `since` and `until`, and what its cap cut off."""
    instances, reasons = expand_series(events, since=since, until=until, budget=budget)
    meetings = [
        _to_meeting(instance, uid, context, recurrence_id=original)
        for instance, original in instances
    ]
    return meetings, reasons


def _remove_broken_recurrence_values(events: list[icalendar.Component]) -> list[str]:
    """Drop RDATE/EXDATE values that are unreadable or only a time of day; name what went."""
    removed = []
    for event in events:
        for name in ("RDATE", "EXDATE"):
            values = event.get(name)
            if values is None:
                continue
            values = values if isinstance(values, list) else [values]
            if any(not _is_usable_date_list(value) for value in values):
                del event[name]
                removed.append(name)
    return sorted(set(removed))


def _is_usable_date_list(value: Any) -> bool:
    try:
        moments = [item.dt for item in value.dts]
    except Exception:  # noqa: BLE001 - a value icalendar could not read
        return False
    return all(
        isinstance(moment, date | tuple) and not isinstance(moment, time) for moment in moments
    )


def _to_meeting(
    event: icalendar.Component,
    uid: str,
    context: _CalendarContext,
    *,
    recurrence_id: datetime | None = None,
) -> Meeting:
    """One event component as a Meeting; `recurrence_id` marks an instance of a series."""
    start, end, all_day = _span(event)
    source_id = uid if recurrence_id is None else f"{uid}/{recurrence_id.isoformat()}"
    ical_uid = _uid(event)
    organizer = _organizer(event)
    summary = event.get("SUMMARY")
    description = event.get("DESCRIPTION")
    url = event.get("URL")
    return Meeting(
        account=context.account,
        source_id=source_id,
        stream=context.stream,
        ical_uid=ical_uid,
        recurrence_id=recurrence_id,
        calendar=context.calendar_name,
        title=str(summary) if summary is not None else None,
        start=start,
        end=end,
        all_day=all_day,
        status=STATUS_TO_MEETING_STATUS.get(str(event.get("STATUS", "")).upper(), "confirmed"),
        organizer=organizer,
        attendees=_attendees(event, organizer),
        event_type="birthday" if _is_birthday(event, ical_uid, context) else "default",
        link=str(url) if url else None,
        description_text=str(description) if description is not None else None,
    )


def _span(event: icalendar.Component) -> tuple[datetime, datetime, bool]:
    """Start, end (naive UTC) and whether the event lasts whole days."""
    start, all_day = to_naive_utc(event["DTSTART"].dt)
    if event.get("DTEND") is not None:
        end, _ = to_naive_utc(event["DTEND"].dt)
    elif event.get("DURATION") is not None and isinstance(event["DURATION"].dt, timedelta):
        end = start + event["DURATION"].dt
    else:
        end = start + timedelta(days=1) if all_day else start
    if end < start:
        start, end = end, start
    return start, end, all_day


def _organizer(event: icalendar.Component) -> Address | None:
    organizer = event.get("ORGANIZER")
    if organizer is None:
        return None
    email = _email(organizer)
    return Address(email=email, name=_param(organizer, "CN")) if email else None


def _attendees(event: icalendar.Component, organizer: Address | None) -> list[Attendee]:
    values = event.get("ATTENDEE")
    if values is None:
        return []
    attendees = []
    for value in values if isinstance(values, list) else [values]:
        email = _email(value)
        if not email or not _is_person_attending(value):
            continue
        partstat = (_param(value, "PARTSTAT") or "").upper()
        attendees.append(
            Attendee(
                email=email,
                name=_param(value, "CN"),
                response=PARTSTAT_TO_RESPONSE.get(partstat),
                is_organizer=organizer is not None and email == organizer.email,
                optional=(_param(value, "ROLE") or "").upper() == "OPT-PARTICIPANT",
            )
        )
    return attendees


# Rooms, equipment and lists are invited as attendees too (RFC 5545 CUTYPE), and a
# NON-PARTICIPANT is copied for information: none of them met anyone.
_NOT_PEOPLE = {"RESOURCE", "ROOM", "GROUP"}


def _is_person_attending(value: Any) -> bool:
    return (_param(value, "CUTYPE") or "").upper() not in _NOT_PEOPLE and (
        _param(value, "ROLE") or ""
    ).upper() != "NON-PARTICIPANT"


def _email(address: Any) -> str:
    """A CAL-ADDRESS as a bare lower-case email: no `mailto:`, no spaces."""
    text = str(address).strip()
    if text.lower().startswith("mailto:"):
        text = text[len("mailto:") :]
    return text.strip().lower()


def _param(value: Any, name: str) -> str | None:
    params = getattr(value, "params", None) or {}
    found = params.get(name)
    if isinstance(found, list):
        found = found[0] if found else None
    return str(found) if found else None


def _is_birthday(event: icalendar.Component, uid: str | None, context: _CalendarContext) -> bool:
    """Google contacts-birthday events, a birthday calendar, or an event typed as birthday."""
    upper_uid = (uid or "").upper()
    if "_BIRTHDAY_" in upper_uid or upper_uid.startswith("BIRTHDAY_"):
        return True
    if context.is_birthday_calendar:
        return True
    if str(event.get("X-GOOGLE-EVENT-TYPE", "")).lower() == "birthday":
        return True
    return any(category.lower() == "birthday" for category in _categories(event))


def _categories(event: icalendar.Component) -> Iterable[str]:
    values = event.get("CATEGORIES")
    if values is None:
        return []
    found: list[str] = []
    for value in values if isinstance(values, list) else [values]:
        cats = getattr(value, "cats", None)
        if cats is None:
            found.append(str(value))
        else:
            found.extend(str(cat) for cat in cats)
    return found


def _uid(event: icalendar.Component) -> str | None:
    uid = event.get("UID")
    return str(uid).strip() or None if uid is not None else None


def _content_uid(event: icalendar.Component) -> str:
    """A stable id for an event without UID: sha1 of its DTSTART and SUMMARY."""
    start = event["DTSTART"].to_ical()
    start = start.decode() if isinstance(start, bytes) else str(start)
    text = f"{start}|{event.get('SUMMARY', '')}"
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


def _has_start(event: icalendar.Component) -> bool:
    try:
        value = event.get("DTSTART")
        return value is not None and isinstance(value.dt, date)
    except Exception:  # noqa: BLE001 - a broken DTSTART is a missing one
        return False


def _pin_unknown_time_zones(event: icalendar.Component) -> None:
    """Read times whose TZID nobody knows as UTC, so that start and end stay comparable."""
    for name in TIME_PROPERTIES:
        try:
            value = event.get(name)
            moment = value.dt if value is not None else None
        except Exception:  # noqa: BLE001
            continue
        if isinstance(moment, datetime) and moment.tzinfo is None and "TZID" in value.params:
            del event[name]
            event.add(name, moment.replace(tzinfo=UTC))


def _without_duplicates(
    meetings: list[Meeting], skips: list[Skip], stream: str
) -> tuple[list[Meeting], list[Skip]]:
    """Sort by start and keep the first meeting of each source id, counting the others."""
    kept: dict[str, Meeting] = {}
    for meeting in sorted(meetings, key=lambda m: (m.start, m.source_id)):
        if meeting.source_id in kept:
            skips.append(
                Skip(location=f"{stream}#{meeting.source_id}", reason="duplicate event instance")
            )
            continue
        kept[meeting.source_id] = meeting
    return list(kept.values()), skips
