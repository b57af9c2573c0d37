"""Write the user's calendar and a Google-style contacts' birthdays calendar as iCalendar text."""

from __future__ import annotations

import hashlib
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

from kith.generator.network import USER_TZ, Meeting, Person

NY = ZoneInfo(USER_TZ)

VTIMEZONE = """BEGIN:VTIMEZONE
TZID:America/New_York
BEGIN:DAYLIGHT
TZOFFSETFROM:-0500
TZOFFSETTO:-0400
TZNAME:EDT
DTSTART:20070311T020000
RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=2SU
END:DAYLIGHT
BEGIN:STANDARD
TZOFFSETFROM:-0400
TZOFFSETTO:-0500
TZNAME:EST
DTSTART:20071104T020000
RRULE:FREQ=YEARLY;BYMONTH=11;BYDAY=1SU
END:STANDARD
END:VTIMEZONE""".split("\n")


def fold(line: str) -> str:
    """Fold a content line at 75 octets (RFC 5545 3.1) without splitting UTF-8 characters."""
    if len(line.encode("utf-8")) <= 75:
        return line
    parts, cur, size = [], [], 0
    for ch in line:
        n = len(ch.encode("utf-8"))
        if size + n > (75 if not parts else 74):
            parts.append("".join(cur))
            cur, size = [], 0
        cur.append(ch)
        size += n
    parts.append("".join(cur))
    return "\r\n ".join(parts)


def escape_text(s: str) -> str:
    return s.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def _param(s: str) -> str:
    return f'"{s}"' if any(c in s for c in ":;,") else s


def utc_stamp(ts: int) -> str:
    return datetime.fromtimestamp(ts, timezone.utc).strftime("%Y%m%dT%H%M%SZ")


def local_stamp(ts: int) -> str:
    return datetime.fromtimestamp(ts, NY).strftime("%Y%m%dT%H%M%S")


def _when(name: str, ts: int, local: bool) -> str:
    return f"{name};TZID={USER_TZ}:{local_stamp(ts)}" if local else f"{name}:{utc_stamp(ts)}"


def _people_lines(m: Meeting) -> list[str]:
    org_name, org_addr = m.organizer
    lines = [f"ORGANIZER;CN={_param(org_name)}:mailto:{org_addr}"]
    for name, addr, status in m.attendees:
        lines.append(f"ATTENDEE;CUTYPE=INDIVIDUAL;ROLE=REQ-PARTICIPANT;PARTSTAT={status};"
                     f"CN={_param(name)}:mailto:{addr}")
    return lines


def write_calendar(path: Path, meetings: list[Meeting], now_ts: int) -> None:
    """Write `calendar.ics`: every meeting, recurring ones as RRULE with EXDATEs and one override."""
    stamp = utc_stamp(now_ts)
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//kith//generator//EN", "CALSCALE:GREGORIAN",
             "X-WR-CALNAME:Alex Morgan", f"X-WR-TIMEZONE:{USER_TZ}", *VTIMEZONE]
    for m in meetings:
        ev = ["BEGIN:VEVENT", f"UID:{m.uid}", f"DTSTAMP:{stamp}", f"CREATED:{utc_stamp(m.start - 7 * 86400)}",
              _when("DTSTART", m.start, m.local), _when("DTEND", m.start + m.minutes * 60, m.local)]
        if m.interval_weeks:
            ev.append(f"RRULE:FREQ=WEEKLY;INTERVAL={m.interval_weeks};UNTIL={utc_stamp(m.until)}")
            if m.exdates:
                ev.append(f"EXDATE;TZID={USER_TZ}:" + ",".join(local_stamp(t) for t in m.exdates))
        elif m.monthly_byday:
            ev.append(f"RRULE:FREQ=MONTHLY;BYDAY={m.monthly_byday};UNTIL={utc_stamp(m.until)}")
        ev += [f"SUMMARY:{escape_text(m.summary)}", *_people_lines(m), f"STATUS:{m.status}", "SEQUENCE:0",
               "TRANSP:OPAQUE", "END:VEVENT"]
        lines += ev
        if m.override:
            orig, moved = m.override
            lines += ["BEGIN:VEVENT", f"UID:{m.uid}", f"DTSTAMP:{stamp}",
                      f"RECURRENCE-ID;TZID={USER_TZ}:{local_stamp(orig)}",
                      _when("DTSTART", moved, True), _when("DTEND", moved + m.minutes * 60, True),
                      f"SUMMARY:{escape_text(m.summary)} (moved)", *_people_lines(m), "STATUS:CONFIRMED",
                      "SEQUENCE:1", "END:VEVENT"]
    lines.append("END:VCALENDAR")
    path.write_bytes(("\r\n".join(fold(line) for line in lines) + "\r\n").encode("utf-8"))


def write_birthdays(path: Path, people: list[Person], today: date, now_ts: int) -> int:
    """Write `birthdays.ics` in the shape of Google's contacts' birthdays calendar; return the event count."""
    stamp = utc_stamp(now_ts)
    lines = ["BEGIN:VCALENDAR", "PRODID:-//Google Inc//Google Calendar 70.9054//EN", "VERSION:2.0",
             "CALSCALE:GREGORIAN", "X-WR-CALNAME:Contacts' birthdays and events", f"X-WR-TIMEZONE:{USER_TZ}",
             "X-WR-CALDESC:Your contacts' birthdays and anniversaries"]
    n = 0
    for p in people:
        if p.birthday is None:
            continue
        n += 1
        month, day = p.birthday
        year = today.year - 1
        start = date(year, month, day)
        hexid = hashlib.sha1(p.primary.encode()).hexdigest()[:16]
        lines += ["BEGIN:VEVENT", f"DTSTART;VALUE=DATE:{start:%Y%m%d}",
                  f"DTEND;VALUE=DATE:{start + timedelta(days=1):%Y%m%d}", "RRULE:FREQ=YEARLY",
                  f"DTSTAMP:{stamp}", f"UID:{year}_BIRTHDAY_{hexid}@google.com",
                  f"ATTENDEE;CUTYPE=INDIVIDUAL;ROLE=REQ-PARTICIPANT;PARTSTAT=ACCEPTED;CN={_param(p.name)};"
                  f"X-NUM-GUESTS=0:mailto:{p.primary}",
                  "X-GOOGLE-CALENDAR-CONTENT-ICON:https://calendar.google.com/googlecalendar/images/cake.gif",
                  "X-GOOGLE-CALENDAR-CONTENT-DISPLAY:chip", "CLASS:PUBLIC",
                  f"DESCRIPTION:Today is {escape_text(p.name)}'s birthday!", "SEQUENCE:1", "STATUS:CONFIRMED",
                  f"SUMMARY:{escape_text(p.name)}'s birthday", "TRANSP:TRANSPARENT", "END:VEVENT"]
    lines.append("END:VCALENDAR")
    path.write_bytes(("\r\n".join(fold(line) for line in lines) + "\r\n").encode("utf-8"))
    return n
