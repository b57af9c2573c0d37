"""Signal detection on incoming records: runs on each batch while bodies are still in memory."""

from __future__ import annotations

from models import Batch, Signal


def detect_signals(batch: Batch, user_addresses: list[str]) -> list[Signal]:
    """Signals found in a batch: birthdays from birthday calendars (more kinds in later work)."""
    signals = []
    for meeting in batch.meetings:
        if meeting.event_type != "birthday" or meeting.status == "cancelled":
            continue
        for attendee in meeting.attendees:
            if "@" in attendee.email and not attendee.email.endswith("@virtual"):
                signals.append(
                    Signal(
                        account=meeting.account,
                        source_id=meeting.source_id,
                        kind="birthday",
                        address=attendee.email,
                        happened_on=meeting.start.date(),
                        evidence=meeting.title or "birthday",
                        confidence=0.95,
                    )
                )
    return signals
