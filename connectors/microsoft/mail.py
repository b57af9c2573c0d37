"""Mail through `messages/delta`, one folder per stream, and a Graph message into a `Message`.

A folder's first round starts at `mailFolders/{folder}/messages/delta` with `$select` of only
what kith keeps and `Prefer: odata.maxpagesize` (Graph's delta ignores or mishandles `$top`).
Each page's `@odata.nextLink` is followed; the last page carries `@odata.deltaLink`, which is
stored whole as the cursor and is where the next round starts. `@removed` entries are deletions.

Bodies: with `Mail.Read` (privacy mode "snippets") the delta also selects the internet headers;
mail whose headers say signal detection will read it (person-to-person mail, not lists or
notifications: the same judgement as IMAP's) has its text fetched by a second request.
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from kith.connectors.mailparse import address, body_start, body_wanted, thread_root
from kith.models import Address, Message, Skip

# What kith reads of a message: no body, no preview.
MESSAGE_FIELDS = (
    "internetMessageId", "conversationId", "subject", "sentDateTime", "receivedDateTime", "from", "sender",
    "toRecipients", "ccRecipients", "bccRecipients", "webLink", "isDraft",
)  # fmt: skip
HEADER_FIELD = "internetMessageHeaders"  # needs Mail.Read
TEXT_BODY = 'outlook.body-content-type="text"'

# Headers kith keeps from `internetMessageHeaders`, by lower-cased name.
_KEPT = ("in-reply-to", "references", "list-id", "list-unsubscribe", "precedence", "auto-submitted")


def delta_request(folder: str, *, with_headers: bool) -> tuple[str, dict[str, str]]:
    """The path and query of a folder's first delta round."""
    fields = MESSAGE_FIELDS + ((HEADER_FIELD,) if with_headers else ())
    return f"me/mailFolders/{folder}/messages/delta", {"$select": ",".join(fields)}


def page_prefer(page_size: int) -> list[str]:
    return [f"odata.maxpagesize={page_size}"]


def split_page(page: dict[str, Any]) -> tuple[list[dict], list[str]]:
    """The messages of a delta page and the ids it says were removed."""
    items: list[dict] = []
    removed: list[str] = []
    for entry in page.get("value") or []:
        if not isinstance(entry, dict):
            continue
        if "@removed" in entry:
            if entry.get("id"):
                removed.append(str(entry["id"]))
        else:
            items.append(entry)
    return items, removed


def parse_message(item: dict[str, Any], *, account: str, stream: str, folder: str) -> Message | Skip:
    """One Graph message as a `Message`, or a `Skip` that says why it cannot be one."""
    source_id = item.get("id")
    where = f"{folder}/{source_id or '?'}"
    if not source_id:
        return Skip.model_construct(location=where, reason="Graph message without an id")
    if item.get("isDraft") is True:
        return Skip.model_construct(location=where, reason="draft: not sent")
    sender = parse_recipient(item.get("from")) or parse_recipient(item.get("sender"))
    if sender is None:
        return Skip.model_construct(location=where, reason="no usable from address")
    # kith always selects the dates; a response without them (another tool's $select) still
    # lands, undated, and counts in no interaction.
    sent_at = parse_time(item.get("sentDateTime")) or parse_time(item.get("receivedDateTime"))
    headers = internet_headers(item)
    message_id = _angled(item.get("internetMessageId"))
    references = headers.get("references", "").split()
    in_reply_to = _angled(headers.get("in-reply-to"))
    return Message.trusted(
        account=account,
        source_id=str(source_id),
        stream=stream,
        message_id=message_id,
        in_reply_to=in_reply_to,
        references=references,
        # Graph's conversationId groups a thread as Outlook shows it; headers are the fallback.
        thread_id=item.get("conversationId") or thread_root(message_id, in_reply_to, references),
        subject=item.get("subject"),
        sent_at=sent_at,
        sender=sender,
        to=_addresses(item.get("toRecipients")),
        cc=_addresses(item.get("ccRecipients")),
        bcc=_addresses(item.get("bccRecipients")),
        folder=folder,
        list_id=headers.get("list-id") or None,
        list_unsubscribe="list-unsubscribe" in headers,
        precedence=(headers.get("precedence") or "").lower() or None,
        auto_submitted=(headers.get("auto-submitted") or "").lower() or None,
        x_from=None,
        x_to=None,
        link=item.get("webLink"),
        body_text=_body_text(item),
    )


def internet_headers(item: dict[str, Any]) -> dict[str, str]:
    """The headers kith keeps from `internetMessageHeaders` (first occurrence wins)."""
    found: dict[str, str] = {}
    for header in item.get(HEADER_FIELD) or []:
        name = str(header.get("name", "")).lower()
        if name in _KEPT and name not in found:
            found[name] = str(header.get("value", "")).strip()
    return found


def wants_body(item: dict[str, Any]) -> bool:
    """Whether signal detection will read this message's body, judged from its headers."""
    if HEADER_FIELD not in item:
        return False
    sender = item.get("from") or item.get("sender") or {}
    email = (sender.get("emailAddress") or {}).get("address") or ""
    lines = [f"From: {email}"]
    lines.extend(f"{h.get('name')}: {h.get('value')}" for h in item.get(HEADER_FIELD) or [] if h.get("name") != "From")
    return body_wanted("\r\n".join(lines).encode("utf-8", "replace"))


def body_request(message_id: str) -> tuple[str, dict[str, str]]:
    """The path and query that fetch one message's text."""
    return f"me/messages/{message_id}", {"$select": "body"}


def _body_text(item: dict[str, Any]) -> str | None:
    body = item.get("body")
    if not isinstance(body, dict) or body.get("contentType") != "text":
        return None
    content = body.get("content")
    return body_start(content) if content else None


def parse_time(value: Any) -> datetime | None:
    """A Graph timestamp ("2026-05-04T09:23:10Z", 7 fractional digits allowed) as naive UTC."""
    if not isinstance(value, str) or len(value) < 19:
        return None
    text = value.strip()
    if text.endswith("Z"):
        text = text[:-1] + "+00:00"
    head, dot, rest = text.partition(".")
    if dot:  # Python reads at most 6 fractional digits
        digits = "".join(c for c in rest if c.isdigit())
        text = f"{head}.{digits[:6]}{rest[len(digits):]}"
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        return None
    if parsed.tzinfo is not None:
        parsed = parsed.astimezone(timezone.utc).replace(tzinfo=None)
    return parsed


def parse_recipient(value: Any) -> Address | None:
    """A Graph `recipient` ({"emailAddress": {"name", "address"}}) as an `Address`."""
    if not isinstance(value, dict):
        return None
    email_address = value.get("emailAddress") or {}
    mailbox = str(email_address.get("address") or "").strip().lower()
    if "@" not in mailbox:
        return None
    name = str(email_address.get("name") or "").strip()
    # Graph repeats the address as the name when it knows none.
    return address(mailbox, None if not name or name.lower() == mailbox else name)


def _addresses(values: Any) -> list[Address]:
    if not isinstance(values, list):
        return []
    return [a for a in map(parse_recipient, values) if a is not None]


def _angled(value: Any) -> str | None:
    if not isinstance(value, str) or not value.strip():
        return None
    value = value.strip()
    return value if value.startswith("<") else f"<{value}>"


def page_links(page: dict[str, Any]) -> tuple[str | None, str | None]:
    """The page's nextLink and deltaLink (one of them is set on a well-formed page)."""
    return page.get("@odata.nextLink"), page.get("@odata.deltaLink")
