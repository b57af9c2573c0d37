"""Gmail: fetching the mailbox (first sync, then history) and turning API messages into `Message`s.

Cursor: `{"history_id": H}` once a sync is complete; during a first sync also `page_token`,
the `messages.list` page to go on from, so an interrupted backfill resumes where it stopped.
H is the profile's historyId read *before* listing, so mail that arrives during a long backfill
is picked up by the next `history.list`.

A first sync lists 500 ids a page and gets them in batches in `format=metadata` with only the
headers kith keeps; bodies (`format=full`) only for the messages whose headers say signal
detection will read them (as IMAP does). Later syncs read `history.list` from H (2 units a page)
and get again every message added or relabelled; a 404 there means the history expired and the
flow reads the mailbox again (`ResyncRequired`). SPAM, TRASH and drafts are left out: a message
moved there is deleted from the warehouse.
"""

from __future__ import annotations

import base64
from collections.abc import Callable, Iterator
from datetime import datetime, timezone

from kith.connectors.google.service import GoogleApi
from kith.connectors.mailparse import BODY_LIMIT, FETCHED_HEADERS, Unusable, body_start, body_wanted, parse_message
from kith.models import Batch, Message, Skip

STREAM = "gmail"
LEFT_OUT = frozenset({"SPAM", "TRASH", "DRAFT"})
HISTORY_TYPES = ["messageAdded", "messageDeleted", "labelAdded", "labelRemoved"]
PAGE_SIZE = 500  # messages.list's maximum
UNITS = {"profile": 1, "list": 5, "get": 5, "history": 2}
# Content-Type and -Transfer-Encoding are for raw bodies; the API decodes them for us.
METADATA_HEADERS = [h for h in FETCHED_HEADERS if not h.startswith("CONTENT-")]

OnTotal = Callable[[int], None]


def fetch_mail(
    api: GoogleApi, *, account: str, address: str, cursor: dict | None, with_body: bool, page_size: int = PAGE_SIZE
) -> Iterator[Batch]:
    """Yield the mailbox's changes since `cursor` (all of it when None), batch by batch."""
    if cursor and "history_id" in cursor and not cursor.get("page_token"):
        yield from _changes(api, account=account, address=address, history_id=str(cursor["history_id"]), with_body=with_body)
    else:
        yield from _backfill(api, account=account, address=address, cursor=cursor, with_body=with_body, page_size=page_size)


def _users(api: GoogleApi):
    return api.resource("gmail", "users")


def _backfill(api: GoogleApi, *, account: str, address: str, cursor: dict | None, with_body: bool, page_size: int) -> Iterator[Batch]:
    if cursor is None:
        profile = api.execute(lambda: _users(api).getProfile(userId="me"), what="Gmail profile", units=UNITS["profile"])
        history_id, page_token, total, reset = str(profile["historyId"]), None, int(profile.get("messagesTotal", 0)), True
    else:
        history_id, page_token, total, reset = str(cursor["history_id"]), cursor["page_token"], cursor.get("total"), False
    messages_api = _users(api).messages()
    while True:
        token = page_token
        page = api.execute(
            lambda: messages_api.list(userId="me", maxResults=page_size, pageToken=token, includeSpamTrash=False),
            what="listing Gmail messages", units=UNITS["list"],
        )
        ids = [m["id"] for m in page.get("messages", [])]
        messages, skips, _ = fetch_messages(api, ids, account=account, address=address, with_body=with_body)
        page_token = page.get("nextPageToken")
        after = {"history_id": history_id, "page_token": page_token, "total": total} if page_token else {"history_id": history_id}
        yield Batch.model_construct(account=account, stream=STREAM, messages=messages, meetings=[], deleted=[],
                                    skips=skips, cursor=after, reset=reset, total=total)
        reset = False
        if not page_token:
            return


def _changes(api: GoogleApi, *, account: str, address: str, history_id: str, with_body: bool) -> Iterator[Batch]:
    touched: dict[str, None] = {}
    deleted: dict[str, None] = {}
    page_token = None
    latest = history_id
    history_api = _users(api).history()
    while True:
        token = page_token
        page = api.execute(
            lambda: history_api.list(userId="me", startHistoryId=history_id, historyTypes=HISTORY_TYPES,
                                               maxResults=PAGE_SIZE, pageToken=token),
            what=f"Gmail history from {history_id}", units=UNITS["history"], gone=404,
        )
        for record in page.get("history", []):
            for key in ("messagesAdded", "labelsAdded", "labelsRemoved"):
                for change in record.get(key, []):
                    touched[change["message"]["id"]] = None
            for change in record.get("messagesDeleted", []):
                deleted[change["message"]["id"]] = None
        latest = str(page.get("historyId", latest))
        page_token = page.get("nextPageToken")
        if not page_token:
            break
    ids = [i for i in touched if i not in deleted]
    chunks = [ids[start : start + PAGE_SIZE] for start in range(0, len(ids), PAGE_SIZE)] or [[]]
    for index, chunk in enumerate(chunks):
        messages, skips, gone = fetch_messages(api, chunk, account=account, address=address, with_body=with_body)
        final = index + 1 == len(chunks)
        removed = (list(deleted) if index == 0 else []) + gone
        if not (messages or skips or removed or final):
            continue
        if final and not (messages or skips or removed) and latest == history_id:
            return  # nothing happened: the stored cursor stands
        yield Batch.model_construct(account=account, stream=STREAM, messages=messages, meetings=[], deleted=removed,
                                    skips=skips, cursor={"history_id": latest} if final else None, reset=False, total=None)


def fetch_messages(
    api: GoogleApi, ids: list[str], *, account: str, address: str, with_body: bool
) -> tuple[list[Message], list[Skip], list[str]]:
    """Get `ids` (metadata, then bodies where wanted) and parse them, in order.

    Returns the messages, what could not be used, and the ids that are gone or left out (SPAM,
    TRASH, drafts), which a caller deletes.
    """
    if not ids:
        return [], [], []
    # Resource objects are built method by method from the discovery document: build one, reuse it.
    messages_api = _users(api).messages()
    answers = api.execute_batch(
        "gmail",
        lambda i: messages_api.get(userId="me", id=i, format="metadata", metadataHeaders=METADATA_HEADERS),
        ids, what="getting Gmail messages", units_each=UNITS["get"],
    )
    if with_body:
        wanted = [i for i, data in answers.items() if data is not None and _body_wanted(data)]
        if wanted:
            full = api.execute_batch(
                "gmail", lambda i: messages_api.get(userId="me", id=i, format="full"),
                wanted, what="getting Gmail message bodies", units_each=UNITS["get"],
            )
            answers.update(full)
    messages: list[Message] = []
    skips: list[Skip] = []
    gone: list[str] = []
    for i in ids:
        record = parse_gmail_message(answers.get(i), account=account, address=address, with_body=with_body) if answers.get(i) else None
        if isinstance(record, Message):
            messages.append(record)
        elif isinstance(record, Skip):
            skips.append(record)
        else:
            gone.append(i)
    return messages, skips, gone


def _header_block(data: dict) -> bytes:
    headers = data.get("payload", {}).get("headers", [])
    return "\r\n".join(f"{h['name']}: {h['value']}" for h in headers if h.get("name")).encode("utf-8")


def _body_wanted(data: dict) -> bool:
    return not LEFT_OUT & set(data.get("labelIds", [])) and body_wanted(_header_block(data))


def parse_gmail_message(data: dict, *, account: str, address: str, with_body: bool = False) -> Message | Skip | None:
    """One `users.messages.get` answer as a `Message`; a `Skip` saying why it cannot be used;
    None for what kith leaves out (SPAM, TRASH, drafts)."""
    labels = set(data.get("labelIds", []))
    if labels & LEFT_OUT:
        return None
    block = _header_block(data)
    if b"\nDate:" not in b"\n" + block and data.get("internalDate"):
        # No Date header: Gmail's own receipt time, as Gmail shows it.
        when = datetime.fromtimestamp(int(data["internalDate"]) / 1000, tz=timezone.utc)
        block += f"\r\nDate: {when:%a, %d %b %Y %H:%M:%S +0000}".encode()
    try:
        message = parse_message(block, account=account, stream=STREAM, source_id=data["id"],
                                folder="SENT" if "SENT" in labels else "INBOX" if "INBOX" in labels else "ALL")
    except Unusable as exc:
        return Skip.model_construct(location=f"{STREAM}/{data.get('id')}", reason=str(exc))
    thread = data.get("threadId")
    message.thread_id = thread or message.thread_id
    if thread:
        message.link = f"https://mail.google.com/mail/?authuser={address}#all/{thread}"
    if with_body:
        message.body_text = plain_text(data.get("payload", {}))
    return message


def plain_text(payload: dict) -> str | None:
    """The first text/plain part of a `format=full` payload, decoded, at most BODY_LIMIT long."""
    parts = [payload]
    while parts:
        part = parts.pop(0)
        if part.get("mimeType") == "text/plain" and part.get("body", {}).get("data"):
            data = part["body"]["data"]
            raw = base64.urlsafe_b64decode(data[: BODY_LIMIT * 2] + "=" * (-len(data[: BODY_LIMIT * 2]) % 4))
            return body_start(raw.decode("utf-8", errors="replace"))
        parts[0:0] = part.get("parts", [])
    return None
