"""Google Calendar: `events.list` per calendar with sync tokens, and events as `Meeting`s.

Cursor per calendar: `{"sync_token": T}`, Google's `nextSyncToken`, which only the last page
carries. A first sync lists every event with `singleEvents=true` (recurring events expanded into
instances); later ones pass the token and get only what changed, cancelled instances included
(removed from the warehouse). A 410 means the token is dead: the flow reads the calendar again.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timezone

from kith.connectors.google.service import GoogleApi
from kith.models import Address, Attendee, Batch, Meeting, Skip

PAGE_SIZE = 250
RESPONSES = {"accepted": "accepted", "declined": "declined", "tentative": "tentative", "needsAction": "needs_action"}
STATUSES = {"confirmed", "tentative", "cancelled"}


def stream_for(calendar_id: str) -> str:
    return f"calendar:{calendar_id}"


def fetch_events(api: GoogleApi, *, account: str, calendar_id: str, cursor: dict | None, page_size: int = PAGE_SIZE) -> Iterator[Batch]:
    """Yield the calendar's events (all when `cursor` is None, else what changed), a page a batch."""
    stream = stream_for(calendar_id)
    sync_token = (cursor or {}).get("sync_token")
    page_token = None
    reset = sync_token is None
    events = api.client("calendar").events()
    while True:
        token = page_token
        params = {"calendarId": calendar_id, "singleEvents": True, "maxResults": page_size, "pageToken": token}
        if sync_token:
            params["syncToken"] = sync_token  # not with timeMin/timeMax/q/orderBy: Google refuses
        page = api.execute(lambda: events.list(**params), what=f"calendar {calendar_id!r}", gone=410)
        meetings, skips, deleted = parse_events(page.get("items", []), account=account, calendar_id=calendar_id)
        page_token = page.get("nextPageToken")
        after = {"sync_token": page["nextSyncToken"]} if not page_token and page.get("nextSyncToken") else None
        yield Batch.model_construct(account=account, stream=stream, messages=[], meetings=meetings, deleted=deleted,
                                    skips=skips, cursor=after, reset=reset, total=None)
        reset = False
        if not page_token:
            return


def parse_events(items: list[dict], *, account: str, calendar_id: str) -> tuple[list[Meeting], list[Skip], list[str]]:
    """Events of one `events.list` page: meetings, what could not be used, and cancelled ids."""
    meetings: list[Meeting] = []
    skips: list[Skip] = []
    deleted: list[str] = []
    for item in items:
        if item.get("status") == "cancelled":
            deleted.append(item["id"])
            continue
        record = parse_event(item, account=account, calendar_id=calendar_id)
        (meetings if isinstance(record, Meeting) else skips).append(record)
    return meetings, skips, deleted


def parse_event(item: dict, *, account: str, calendar_id: str) -> Meeting | Skip:
    """One Google Calendar event as a `Meeting`, or a `Skip` saying why it cannot be used."""
    where = f"{stream_for(calendar_id)}/{item.get('id')}"
    if not item.get("id"):
        return Skip(location=where, reason="event without an id")
    start, all_day = _when(item.get("start"))
    if start is None:
        return Skip(location=where, reason="event without a usable start time")
    end, _ = _when(item.get("end"))
    organizer = item.get("organizer") or {}
    attendees = [
        Attendee(
            email=a["email"].strip().lower(),
            name=a.get("displayName") or None,
            response=RESPONSES.get(a.get("responseStatus", "")),
            is_organizer=bool(a.get("organizer")) or a["email"].lower() == organizer.get("email", "").lower(),
            optional=bool(a.get("optional")),
        )
        for a in item.get("attendees", [])
        if "@" in a.get("email", "") and not a.get("resource")  # a room is no one met
    ]
    original, _ = _when(item.get("originalStartTime"))
    return Meeting(
        account=account,
        source_id=item["id"],
        stream=stream_for(calendar_id),
        ical_uid=item.get("iCalUID"),
        recurrence_id=original if item.get("recurringEventId") else None,
        calendar=calendar_id,
        title=item.get("summary"),
        start=start,
        end=end,
        all_day=all_day,
        status=item.get("status") if item.get("status") in STATUSES else "confirmed",
        organizer=Address(email=organizer["email"].lower(), name=organizer.get("displayName") or None)
        if "@" in organizer.get("email", "") else None,
        attendees=attendees,
        event_type=_event_type(item),
        link=item.get("htmlLink"),
        description_text=item.get("description"),
    )


def _event_type(item: dict) -> str:
    kind = item.get("eventType") or "default"
    if kind == "birthday":
        # Only a contact's birthday is a signal; anniversaries and the user's own are kept apart.
        special = (item.get("birthdayProperties") or {}).get("type", "birthday")
        return "birthday" if special == "birthday" else f"birthday:{special}"
    return kind


def _when(value: dict | None) -> tuple[datetime | None, bool]:
    """A Google start/end as naive UTC, and whether it is a whole day."""
    if not value:
        return None, False
    if value.get("dateTime"):
        try:
            moment = datetime.fromisoformat(value["dateTime"].replace("Z", "+00:00"))
        except ValueError:
            return None, False
        if moment.tzinfo is not None:
            moment = moment.astimezone(timezone.utc).replace(tzinfo=None)
        return moment, False
    if value.get("date"):
        try:
            return datetime.fromisoformat(value["date"]), True
        except ValueError:
            return None, False
    return None, False
