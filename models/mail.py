"""Email records: one `Message` per message a source holds, headers only unless a body is needed."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from kith.models.trusted import trusted


class Address(BaseModel):
    """One mailbox: the address as written (lower-cased) and its display name."""

    model_config = ConfigDict(frozen=True)

    email: str
    name: str | None = None


class Message(BaseModel):
    """A message as a source holds it.

    `source_id` is where the source keeps the message, unique within the account (IMAP
    folder:UIDVALIDITY:UID, mbox file@offset, maildir folder/unique name, .eml path), never the
    Message-ID, which any sender can reuse; replaying a source upserts on it. `body_text` lives in
    memory only: it feeds signal detection and is never written to the warehouse.
    """

    account: str
    source_id: str
    stream: str
    message_id: str | None = None
    in_reply_to: str | None = None
    references: list[str] = Field(default_factory=list)
    thread_id: str | None = None
    subject: str | None = None
    sent_at: datetime | None = None  # naive UTC
    sender: Address | None = None
    to: list[Address] = Field(default_factory=list)
    cc: list[Address] = Field(default_factory=list)
    bcc: list[Address] = Field(default_factory=list)
    folder: str | None = None
    # Headers that mark automated mail.
    list_id: str | None = None
    list_unsubscribe: bool = False
    precedence: str | None = None
    auto_submitted: str | None = None
    # Lotus / Exchange exports (Enron) carry the original display names here.
    x_from: str | None = None
    x_to: str | None = None
    link: str | None = None
    body_text: str | None = Field(default=None, exclude=True, repr=False)

    @classmethod
    def trusted(cls, **fields) -> Message:
        """Build from a parser that already produced every field with the right type
        (`models.trusted`): ingest builds one of these per message."""
        return trusted(cls, fields)
