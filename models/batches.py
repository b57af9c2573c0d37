"""The connector contract: a connector yields `Batch`es; the warehouse stores each in one go."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

from kith.models.mail import Message
from kith.models.meetings import Meeting


class Skip(BaseModel):
    """A record a connector could not use, with where it was and why."""

    location: str
    reason: str


class Batch(BaseModel):
    """Records of one stream plus the cursor that holds once they are stored.

    `reset=True` means the stream starts over (first sync after a dead cursor): the warehouse
    replaces the stream's earlier rows with what the resync brings. `deleted` lists source ids this
    stream no longer has (other streams' rows are never touched). `cursor=None` leaves the stored
    cursor unchanged. `total`, when the source reports it (Gmail's message count on a first sync),
    lets progress show "done of total".
    """

    account: str
    stream: str
    messages: list[Message] = Field(default_factory=list)
    meetings: list[Meeting] = Field(default_factory=list)
    deleted: list[str] = Field(default_factory=list)
    skips: list[Skip] = Field(default_factory=list)
    cursor: dict[str, Any] | None = None
    reset: bool = False
    total: int | None = None  # how many records the whole sync will bring, when the source says

    def __len__(self) -> int:
        return len(self.messages) + len(self.meetings)
