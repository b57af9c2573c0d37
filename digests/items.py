"""What a digest is made of. Ranking builds these; rendering and delivery only read them."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, Field

Section = Literal["reconnect", "congratulate", "reply_owed", "awaiting_reply", "promise", "new_person"]

# Order and headings of the sections as the reader sees them.
SECTION_TITLES: dict[str, str] = {
    "congratulate": "Congratulate",
    "reply_owed": "Replies you owe",
    "promise": "Promises to keep",
    "awaiting_reply": "Waiting on a reply",
    "new_person": "Follow up with people you just met",
    "reconnect": "Reconnect",
}


class DigestItem(BaseModel):
    """One action: who, why in plain words, the last interaction, and a link where one exists."""

    section: Section
    person_id: str | None = None
    name: str
    address: str | None = None
    reason: str
    last_interaction: str | None = None
    link: str | None = None
    score: float = 0.0
    account: str | None = None
    source_id: str | None = None


class Digest(BaseModel):
    day: date
    user_name: str
    items: list[DigestItem] = Field(default_factory=list)
    new_connections_this_week: int = 0
    new_connections_goal: int = 1

    def section(self, name: Section) -> list[DigestItem]:
        return [item for item in self.items if item.section == name]

    @property
    def is_empty(self) -> bool:
        return not self.items
