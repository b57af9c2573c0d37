"""One header parser for every mail source (mbox, maildir, .eml, IMAP).

Decoding, not I/O, is where ingest time goes (DESIGN.md: ~23,000 messages/s for the standard
library's header parsing alone, ~5,400/s with the usual decoding). So this parser unfolds only the
headers kith keeps, takes a fast path for the plain forms most mail uses (`a@b`, `Name <a@b>`, an
ASCII subject, an RFC 2822 date), and falls back to the standard library for anything odd
(quoted names, encoded words, obsolete dates). Both paths give the same `Message`.

Nothing in a message's bytes can make `parse_message` raise anything but `Unusable`: hostile or
broken mail (a bad encoded word, a date past year 9999, MIME nested a thousand deep) is one
counted skip, never the end of a sync.
"""

from __future__ import annotations

import base64
import binascii
import email
import email.policy
import quopri
import re
from datetime import datetime, timedelta, timezone
from email.errors import MessageError
from email.header import decode_header, make_header
from email.utils import getaddresses, parsedate_to_datetime
from functools import lru_cache
from hashlib import sha1

from kith.models import Address, Message
from kith.models.automated import is_bulk, sender_kind

KEPT_HEADERS = frozenset(
    {
        "message-id",
        "in-reply-to",
        "references",
        "subject",
        "date",
        "from",
        "sender",
        "to",
        "cc",
        "bcc",
        "list-id",
        "list-unsubscribe",
        "precedence",
        "auto-submitted",
        "x-from",
        "x-to",
        "content-type",
        "content-transfer-encoding",
        "received",
    }
)
# The header names IMAP asks for (BODY.PEEK[HEADER.FIELDS (...)]).
FETCHED_HEADERS = tuple(sorted(h.upper() for h in KEPT_HEADERS))

BODY_LIMIT = 16_384  # characters of a body signal detection reads (news hides in forwards and quotes)
# The standard library's MIME parser checks every line against every enclosing boundary: 100
# nested parts cost 0.2 s, 500 cost 1.7 s, 1,000 end in RecursionError after 3.8 s. Real mail
# declares a handful of boundaries; past this many in the part read, the body is not parsed.
MIME_BOUNDARY_LIMIT = 50
_BOUNDARY = re.compile(rb"(?i)boundary\s*=")

_HEADER_END = re.compile(rb"\r?\n\r?\n")
# Unfolding removes the line break before a continuation line and keeps its blanks (RFC 5322 2.2.3).
_FOLD = re.compile(r"\n(?=[ \t])")
_HEADER_NAME = re.compile(r"^[!-9;-~]+$")
_SIMPLE_ADDRESS_LIST = re.compile(r"^[^()\\;]*$")
# One entry of an address list in its common forms: `a@b`, `<a@b>`, `Name <a@b>`, `"Name" <a@b>`.
_ENTRY = re.compile(
    r'\s*(?:"([^"\\]*)"\s*|([^",<>@]*?)\s*)?<\s*([^<>\s",]+@[^<>\s",]+)\s*>\s*(?:,|$)'
    r'|\s*([^<>\s",]+@[^<>\s",]+)\s*(?:,|$)'
)
_MSGID = re.compile(r"<[^<>\s]+>")
_DATE = re.compile(
    r"^\s*(?:[A-Za-z]{3},\s*)?(\d{1,2})\s+([A-Za-z]{3})\s+(\d{4})\s+"
    r"(\d{1,2}):(\d{2})(?::(\d{2}))?\s*([+-]\d{4})"
)
_MONTHS = {
    m: i
    for i, m in enumerate(
        ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), 1
    )
}


class Unusable(ValueError):
    """The bytes hold no message kith can use; the text is the reason that gets counted."""


def split_headers(raw: bytes) -> tuple[bytes, bytes]:
    """Split a message into its header block and body (empty when there is none)."""
    end = raw.find(b"\n\n")
    crlf = raw.find(b"\r\n\r\n", 0, end if end >= 0 else len(raw))
    if crlf >= 0:
        return raw[:crlf], raw[crlf + 4 :]
    if end < 0:
        match = _HEADER_END.search(raw)  # a bare "\n\r\n" separator, rare
        return (raw, b"") if match is None else (raw[: match.start()], raw[match.end() :])
    return raw[:end], raw[end + 2 :]


def read_headers(block: bytes) -> dict[str, str]:
    """The kept headers of a header block, unfolded; the first occurrence of each wins."""
    try:
        text = block.decode("utf-8")
    except UnicodeDecodeError:
        text = block.decode("latin-1")
    if "\r" in text:  # CRLF, or a bare CR as old Mac mail has: line ends as the standard library reads them
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if "\n " in text or "\n\t" in text:
        text = _FOLD.sub("", text)
    headers: dict[str, str] = {}
    for line in text.split("\n"):
        name, colon, value = line.partition(":")
        if not colon:
            continue
        key = name.lower()
        if key not in KEPT_HEADERS:
            key = key.strip()  # "Subject :" is rare; check it only after the common case
            if key not in KEPT_HEADERS:
                continue
        if key not in headers:
            headers[key] = value.strip()
    return headers


def parse_message(
    raw: bytes,
    *,
    account: str,
    stream: str,
    source_id: str | None = None,
    folder: str | None = None,
    with_body: bool = False,
) -> Message:
    """Turn one message's bytes (headers, optionally with body) into a `Message`.

    `source_id` is where the source keeps the message (file and offset, folder and UID, ...);
    without one, a digest of the header block. Never the Message-ID: any sender can reuse one.
    Raises `Unusable` when the bytes are not a message or lack what an interaction needs (a
    sender and a date), and for any other failure to read them: the one exception it raises.
    """
    try:
        return _read_message(raw, account, stream, source_id, folder, with_body)
    except Unusable:
        raise
    except RecursionError:
        raise Unusable("MIME parts nested too deep to read") from None
    except Exception as exc:  # noqa: BLE001 - whatever the bytes break is this message's problem only
        raise Unusable(f"message not readable: {type(exc).__name__}: {_first_line(exc)}") from None


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0][:200] if text else "no detail"


def _read_message(
    raw: bytes, account: str, stream: str, source_id: str | None, folder: str | None, with_body: bool
) -> Message:
    block, body = split_headers(raw)
    headers = read_headers(block)
    if not headers:
        raise Unusable("no RFC 5322 header block")
    senders = parse_addresses(headers.get("from") or headers.get("sender") or "")
    if not senders:
        raise Unusable("no usable From address")
    sent_at = parse_date(headers.get("date", ""))
    if sent_at is None and "received" in headers:
        # No usable Date: the newest Received stamp says when it arrived, as mail clients show.
        sent_at = parse_date(headers["received"].rpartition(";")[2])
    if sent_at is None:
        raise Unusable("no usable Date header")
    message_id = _first_msgid(headers.get("message-id", ""))
    if source_id is None:
        source_id = "sha1:" + sha1(block).hexdigest()
    references = _MSGID.findall(headers.get("references", ""))
    in_reply_to = _first_msgid(headers.get("in-reply-to", ""))
    return Message.trusted(
        account=account,
        source_id=source_id,
        stream=stream,
        message_id=message_id,
        in_reply_to=in_reply_to,
        references=references,
        thread_id=thread_root(message_id, in_reply_to, references),
        subject=decode_words(headers["subject"]) if "subject" in headers else None,
        sent_at=sent_at,
        sender=senders[0],
        to=parse_addresses(headers.get("to", "")),
        cc=parse_addresses(headers.get("cc", "")),
        bcc=parse_addresses(headers.get("bcc", "")),
        folder=folder,
        list_id=headers.get("list-id") or None,
        list_unsubscribe="list-unsubscribe" in headers,
        precedence=(headers.get("precedence") or "").lower() or None,
        auto_submitted=(headers.get("auto-submitted") or "").lower() or None,
        x_from=headers.get("x-from") or None,
        x_to=headers.get("x-to") or None,
        link=None,
        body_text=body_text(raw, headers, body) if with_body and body and _body_wanted(headers, senders[0]) else None,
    )


def _body_wanted(headers: dict[str, str], sender: Address) -> bool:
    """Bulk mail and a machine's mail (noreply@, receipts@: often a large HTML part) are never
    read for signals, except from services whose notifications carry the facts (a new role, an
    anniversary) in their text."""
    kind = sender_kind(sender.email)
    if kind is not None:
        return kind == "notification"
    return not is_bulk(headers.get("list-id"), "list-unsubscribe" in headers, headers.get("precedence"),
                       headers.get("auto-submitted"))


def body_wanted(header_block: bytes) -> bool:
    """Whether signal detection will read this message's body, judged from its headers alone:
    lets IMAP fetch bodies only where they are needed."""
    headers = read_headers(header_block)
    senders = parse_addresses(headers.get("from") or headers.get("sender") or "")
    return bool(senders) and _body_wanted(headers, senders[0])


def thread_root(message_id: str | None, in_reply_to: str | None, references: list[str]) -> str | None:
    """The Message-ID that started the thread, as far as the headers tell."""
    if references:
        return references[0]
    return in_reply_to or message_id


def _first_msgid(value: str) -> str | None:
    match = _MSGID.search(value)
    if match:
        return match.group(0)
    value = value.strip()
    return f"<{value}>" if value and " " not in value else None


def parse_addresses(value: str) -> list[Address]:
    """Addresses of a From/To/Cc header; names decoded, addresses lower-cased.

    The same header values recur all through a mailbox (your own address in every To), so results
    are remembered; the lists are shared and must not be changed.
    """
    if not value:
        return []
    return _parse_addresses(value)


@lru_cache(maxsize=16_384)
def _parse_addresses(value: str) -> list[Address]:
    if value.endswith(":;") and "@" not in value:
        return []  # an empty group such as "undisclosed-recipients:;"
    if _SIMPLE_ADDRESS_LIST.match(value):
        fast = _parse_simple_list(value)
        if fast is not None:
            return fast
    result = []
    for name, addr in getaddresses([value]):
        addr = addr.strip().lower()
        if "@" not in addr:
            continue
        name = decode_words(name).strip().strip("'\"") if name else ""
        result.append(address(addr, name))
    return result


def _parse_simple_list(value: str) -> list[Address] | None:
    result = []
    position, length = 0, len(value)
    while position < length:
        match = _ENTRY.match(value, position)
        if match is None or match.end() == position:
            if value[position:].strip(" ,\t"):
                return None  # something unusual: let the standard library judge it
            break
        quoted, plain, angled, bare = match.groups()
        name = quoted if quoted is not None else plain
        if name and "=?" in name:
            name = decode_words(name)
        result.append(address(angled or bare, name.strip() if name else None))
        position = match.end()
    return result


_ADDRESSES: dict[tuple[str, str | None], Address] = {}


def address(email_address: str, name: str | None) -> Address:
    """An `Address`, shared: mail repeats the same few thousand, and they are immutable."""
    key = (email_address, name or None)
    found = _ADDRESSES.get(key)
    if found is None:
        if len(_ADDRESSES) > 50_000:
            _ADDRESSES.clear()
        found = _ADDRESSES[key] = Address(email=email_address.lower(), name=name or None)
    return found


@lru_cache(maxsize=16_384)
def decode_words(value: str) -> str:
    """Decode RFC 2047 encoded words; plain text passes through untouched."""
    if "=?" not in value:
        return value
    try:
        return str(make_header(decode_header(value)))
    except (ValueError, LookupError, UnicodeError, MessageError):
        return value  # a broken encoded word reads as the text it is, as mail clients show it


def parse_date(value: str) -> datetime | None:
    """A Date header as naive UTC, or None when it cannot be read or falls outside the years a
    datetime holds (`01 Jan 0001 00:00:00 +0100` is before year 1 in UTC)."""
    try:
        return _parse_date(value)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None


@lru_cache(maxsize=1_024)
def _to_utc(zone: str) -> timedelta:
    """What to add to a zone's local time ("+0200") to make it UTC: remembered, as a mailbox holds
    a handful of zones and building the timedelta was half a date's parsing."""
    offset = timedelta(hours=int(zone[1:3]), minutes=int(zone[3:5]))
    return -offset if zone[0] == "+" else offset


def _parse_date(value: str) -> datetime | None:
    match = _DATE.match(value)
    if match:
        day, month, year, hour, minute, second, zone = match.groups()
        month_number = _MONTHS.get(month.lower())
        if month_number:
            local = datetime(int(year), month_number, int(day), int(hour), int(minute), int(second or 0))
            to_utc = _to_utc(zone)
            return local + to_utc if to_utc else local
    parsed = parsedate_to_datetime(value)
    if parsed is None:
        return None
    if parsed.tzinfo is not None:
        parsed = parsed.astimezone(timezone.utc).replace(tzinfo=None)
    return parsed


def body_text(raw: bytes, headers: dict[str, str], body: bytes) -> str | None:
    """The start of the message's plain text, decoded; None when it has none."""
    content_type = headers.get("content-type", "text/plain").lower()
    if content_type.startswith("text/plain") or not content_type:
        return _decode_part(body[: BODY_LIMIT * 2], headers.get("content-transfer-encoding", ""), content_type)
    if content_type.startswith("multipart/"):
        start = raw[: BODY_LIMIT * 8]
        if len(_BOUNDARY.findall(start)) > MIME_BOUNDARY_LIMIT:
            raise Unusable("MIME parts nested too deep to read")
        message = email.message_from_bytes(start, policy=email.policy.compat32)
        for part in message.walk():
            if part.get_content_type() == "text/plain":
                payload = part.get_payload(decode=True)
                if isinstance(payload, bytes):
                    charset = part.get_content_charset() or "utf-8"
                    return _to_text(_lf(payload)[:BODY_LIMIT], charset)
    return None


_CHARSET = re.compile(r'charset\s*=\s*"?([\w.:-]+)', re.IGNORECASE)


_NOT_BASE64 = re.compile(rb"[^A-Za-z0-9+/=]+")


def _decode_part(payload: bytes, transfer_encoding: str, content_type: str) -> str:
    encoding = transfer_encoding.strip().lower()
    if encoding == "quoted-printable":
        payload = quopri.decodestring(payload)
    elif encoding == "base64":
        payload = _base64_start(payload)
    match = _CHARSET.search(content_type)
    return _to_text(_lf(payload)[:BODY_LIMIT], match.group(1) if match else "utf-8")


def _lf(payload: bytes) -> bytes:
    """Line ends as LF, before the text is cut to BODY_LIMIT: IMAP and the APIs serve CRLF, files
    LF, and every source must give signal detection the same text of a message."""
    return payload.replace(b"\r\n", b"\n")


def body_start(text: str) -> str:
    """The start of a body already decoded (an API's text), as `body_text` gives it: LF line ends,
    at most BODY_LIMIT characters."""
    return text.replace("\r\n", "\n")[:BODY_LIMIT]


def _base64_start(payload: bytes) -> bytes:
    """Decode the start of a base64 body that was cut anywhere: line breaks and stray bytes
    dropped, then cut to whole 4-character groups so that the cut costs only its last group."""
    text = _NOT_BASE64.sub(b"", payload)
    text = text[: len(text) - len(text) % 4]
    try:
        return base64.b64decode(text)
    except binascii.Error:
        return b""  # padding in the middle: not base64 we can read, and no text to guess at


def _to_text(payload: bytes, charset: str) -> str:
    try:
        return payload.decode(charset, errors="replace")
    except LookupError:
        return payload.decode("utf-8", errors="replace")
