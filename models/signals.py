"""Signals: dated facts about a person found in mail or calendars (a birthday, a new role, ...)."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel

from kith.models.trusted import trusted

SignalKind = Literal[
    "birthday",
    "work_anniversary",
    "new_role",  # also someone joining (news says "joined"; a congratulation is the same)
    "promotion",
    "award",  # a prize, an award, a fellowship, a hall of fame
    "launch",
    "domain_change",
    "question",
    "promise",
    "congratulated",  # the user's own mail congratulates its recipients: that news is answered
]


class Signal(BaseModel):
    """A fact with a date, evidence and a confidence, tied to the record that showed it.

    `address` is whom it is about. (`account`, `source_id`, `kind`) is its natural key, so a
    replayed batch finds the same signals again without duplicating them.
    """

    account: str
    source_id: str
    kind: SignalKind
    address: str
    happened_on: date
    evidence: str
    confidence: float
    company: str | None = None
    title: str | None = None

    @classmethod
    def trusted(cls, **fields) -> Signal:
        """Build from fields already typed (`models.trusted`), every one given: signal detection
        makes one per question, promise and congratulation it finds during ingest."""
        return trusted(cls, fields)
