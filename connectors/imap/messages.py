"""What kith FETCHes for a message and how one FETCH response becomes a `Message`.

Every item is a PEEK: fetching never sets `\\Seen`. Headers are only the fields the parser keeps
(Content-Type and Content-Transfer-Encoding among them, so a partial body can be decoded).

A message's `source_id` is folder + UIDVALIDITY + UID, the only key RFC 3501 makes unique: two
folders may share a UIDVALIDITY, and Gmail shows one message (one X-GM-MSGID) in every label it
has. Each folder keeps its own row, so a deletion in one folder leaves the others alone; the
`interactions` view counts the copies once.
"""

from __future__ import annotations

from kith.connectors.mailparse import BODY_LIMIT, FETCHED_HEADERS, Unusable, parse_message
from kith.models import Message, Skip

HEADER_ITEM = "BODY.PEEK[HEADER.FIELDS ({})]".format(" ".join(FETCHED_HEADERS))
# Twice BODY_LIMIT bytes, as the parser reads of a file: lines end in CRLF here, and the text kept
# is BODY_LIMIT characters once they end in LF (and once quoted-printable is decoded).
TEXT_ITEM = f"BODY.PEEK[TEXT]<0.{BODY_LIMIT * 2}>"
SIZE_ITEM = "RFC822.SIZE"
GMAIL_ITEMS = ("X-GM-THRID",)

# The keys the server answers with: it drops `.PEEK` and the partial's length.
HEADER_KEY = HEADER_ITEM.replace(".PEEK", "").encode()
TEXT_KEY = b"BODY[TEXT]<0>"


def source_id_of(folder: str, uidvalidity: int, uid: int) -> str:
    """The key of one message of one folder: `INBOX:1700000000:42`."""
    return f"{folder}:{uidvalidity}:{uid}"


def fetch_items(*, gmail: bool) -> list[str]:
    """The first FETCH of a chunk: headers and size, and Gmail's thread id. Bodies come in a second
    FETCH, only for the messages whose headers say signal detection will read them."""
    items = [HEADER_ITEM, SIZE_ITEM]
    if gmail:
        items.extend(GMAIL_ITEMS)
    return items


def header_of(data: dict[bytes, object]) -> bytes | None:
    """The header block of one FETCH response (the server may spell the item's key its own way)."""
    header = data.get(HEADER_KEY)
    if header is None:
        header = next((v for k, v in data.items() if k.startswith(b"BODY[HEADER")), None)
        if header is None:
            return None
    return header if isinstance(header, bytes) else str(header).encode()


def to_message(
    uid: int,
    data: dict[bytes, object],
    *,
    account: str,
    folder: str,
    uidvalidity: int,
    with_body: bool,
) -> Message | Skip | None:
    """The `Message` of one FETCH response, a `Skip` saying why there is none, or None when the
    server sent no header (the message was expunged while we fetched)."""
    header = header_of(data)
    if header is None:
        return None
    raw = header
    if with_body:
        text = data.get(TEXT_KEY)
        if text:
            raw = header.rstrip(b"\r\n") + b"\r\n\r\n" + text
    try:
        message = parse_message(
            raw,
            account=account,
            stream=folder,
            source_id=source_id_of(folder, uidvalidity, uid),
            folder=folder,
            with_body=with_body,
        )
    except Unusable as exc:
        return Skip.model_construct(location=f"{folder}/{uid}", reason=str(exc))
    thread = data.get(b"X-GM-THRID")
    if thread is not None:
        message.thread_id = str(thread)
    return message
