"""Calendar records: one `Meeting` per event instance (recurring events are expanded)."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field, field_validator

from kith.models.mail import Address

# A title is a line someone reads; past this it is filler, and each instance of a series stores a copy.
TITLE_LIMIT = 1_000

ResponseStatus = Literal["accepted", "declined", "tentative", "needs_action", "delegated"]
MeetingStatus = Literal["confirmed", "tentative", "cancelled"]


class Attendee(BaseModel):
    email: str
    name: str | None = None
    response: ResponseStatus | None = None
    is_organizer: bool = False
    optional: bool = False


class Meeting(BaseModel):
    """One occurrence of a calendar event.

    `source_id` is the event's UID plus its recurrence instance (the source's own id where it
    has one). Times are naive UTC; an all-day event runs from midnight to midnight UTC of its
    dates. `event_type` is "default", or what the source says ("birthday", "focusTime", ...).
    """

    account: str
    source_id: str
    stream: str
    ical_uid: str | None = None
    recurrence_id: datetime | None = None
    calendar: str | None = None
    title: str | None = None
    start: datetime
    end: datetime | None = None
    all_day: bool = False
    status: MeetingStatus = "confirmed"
    organizer: Address | None = None
    attendees: list[Attendee] = Field(default_factory=list)
    event_type: str = "default"
    link: str | None = None
    description_text: str | None = Field(default=None, exclude=True, repr=False)

    @field_validator("title")
    @classmethod
    def _clip_title(cls, title: str | None) -> str | None:
        return title[:TITLE_LIMIT] if title is not None else None
