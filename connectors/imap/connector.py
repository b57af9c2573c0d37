"""`ImapConnector`: one folder per stream, read incrementally by UID, never changing a flag.

Cursor per folder: `{"uidvalidity", "last_uid", "highestmodseq", "count"}` where `count` is how
many messages with a UID up to `last_uid` the folder held. A sync:

1. EXAMINEs the folder (read-only). A different UIDVALIDITY raises `ResyncRequired`.
2. Returns at once when nothing changed: UIDNEXT says no new UID, the message count is the
   cursor's, and HIGHESTMODSEQ (where the server has CONDSTORE) too.
3. When the count says messages went away, lists the folder's UIDs (`UID SEARCH`) and yields one
   batch whose `deleted` holds the source ids of the missing UIDs up to `last_uid` (this
   folder's only: ids are folder + UIDVALIDITY + UID). When that list would be huge (very sparse
   UIDs), it reads the folder again from the start with `reset=True` instead.
4. FETCHes the new UIDs in chunks of `batch_size` (explicit UID lists: imapclient 4.1.0 chokes on
   range strings, see DESIGN.md), one batch per chunk, each with the cursor that holds once it
   is stored. A first sync's first batch has `reset=True`. Headers come first; a second FETCH
   takes the start of the bodies that signal detection will read (not lists or notifications).

A connection that breaks mid-sync is reopened and the sync resumes after the last batch yielded,
up to three times with growing pauses; then `SourceUnavailable`. A NO or BAD from the server is
`SourceRefused`, naming the folder and the command.
"""

from __future__ import annotations

import imaplib
import logging
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

from imapclient import IMAPClient

from kith.connectors.base import Cursor
from kith.connectors.errors import ConnectorError, ResyncRequired, SourceRefused, SourceUnavailable
from kith.connectors.imap.folders import choose_folders
from kith.connectors.imap.messages import TEXT_ITEM, TEXT_KEY, fetch_items, header_of, source_id_of, to_message
from kith.connectors.mailparse import body_wanted
from kith.connectors.imap.session import TRANSIENT, check_security, open_session, token_provider_for
from kith.connectors.tokens import TokenProvider
from kith.models import Batch, Message, Skip
from kith.models.settings import ImapAccount

log = logging.getLogger("kith.imap")

T = TypeVar("T")

# Above this many missing UIDs, a folder is read again rather than sent as a `deleted` list.
MAX_DELETED = 100_000


class ImapConnector:
    """An IMAP account: streams are folders, batches are chunks of `batch_size` UIDs."""

    kind = "imap"
    retry_delays: tuple[float, ...] = (1.0, 2.0, 4.0)

    def __init__(
        self,
        account: ImapAccount,
        *,
        with_body: bool = True,
        token_provider: TokenProvider | None = None,
    ) -> None:
        check_security(account)
        self.settings = account
        self.account = account.name
        self.with_body = with_body
        self.batch_size = max(1, account.batch_size)
        self._tokens = token_provider_for(account, token_provider)
        self._client: IMAPClient | None = None
        self._gmail = False

    # -- the connector contract ---------------------------------------------------------------

    def streams(self) -> list[str]:
        """The folders to sync: INBOX, Sent and Archive (Gmail: All Mail), or `folders`."""
        if self.settings.folders:
            return choose_folders((), gmail=False, folders=self.settings.folders, extra_folders=self.settings.extra_folders)
        listing = self._retrying("listing folders", lambda: self._command(None, "LIST", self._session().list_folders))
        return choose_folders(listing, gmail=self._gmail, extra_folders=self.settings.extra_folders)

    def fetch(self, stream: str, cursor: Cursor | None) -> Iterator[Batch]:
        """Yield the folder's changes since `cursor` (everything when it is None)."""
        state = cursor
        failures = 0
        while True:
            try:
                for batch in self._fetch_folder(stream, state):
                    yield batch
                    if batch.cursor is not None:
                        state = batch.cursor
                    failures = 0
                return
            except (*TRANSIENT, SourceUnavailable) as exc:
                failures = self._after_failure(f"folder {stream!r}", exc, failures)

    def close(self) -> None:
        """Log out (quietly: a connection that is already gone needs no goodbye)."""
        client, self._client = self._client, None
        if client is None:
            return
        try:
            client.logout()
        except Exception:  # noqa: BLE001
            try:
                client.shutdown()
            except Exception:  # noqa: BLE001
                pass

    # -- one pass over a folder ---------------------------------------------------------------

    def _fetch_folder(self, folder: str, cursor: Cursor | None) -> Iterator[Batch]:
        client = self._session()
        selected = self._command(folder, "SELECT", client.select_folder, folder, readonly=True)
        uidvalidity = int(selected[b"UIDVALIDITY"])
        exists = int(selected.get(b"EXISTS", 0))
        uidnext = int(selected[b"UIDNEXT"]) if b"UIDNEXT" in selected else None
        modseq = int(selected[b"HIGHESTMODSEQ"]) if b"HIGHESTMODSEQ" in selected else None
        if cursor is not None and cursor.get("uidvalidity") != uidvalidity:
            raise ResyncRequired(
                f"folder {folder!r}: UIDVALIDITY changed ({cursor.get('uidvalidity')} -> {uidvalidity}); "
                "the server renumbered it, so it is read again",
                account=self.account,
            )
        reset = cursor is None
        last_uid = 0 if reset else int(cursor.get("last_uid", 0))
        count = 0 if reset else int(cursor.get("count", 0))
        base = {"uidvalidity": uidvalidity, "highestmodseq": modseq}

        if not reset and uidnext is not None and uidnext <= last_uid + 1:
            new: list[int] = []
        else:
            found = self._command(folder, "UID SEARCH", client.search, ["UID", f"{last_uid + 1}:*"])
            new = sorted(uid for uid in found if uid > last_uid)  # n:* always holds the top UID

        if not reset and exists != count + len(new):
            present = self._command(folder, "UID SEARCH", client.search, ["UID", f"1:{max(last_uid, 1)}"])
            present = sorted(uid for uid in present if uid <= last_uid)
            missing = last_uid - len(present)
            if missing > MAX_DELETED:
                log.info("%s: folder %r lost messages; reading it again", self.account, folder)
                reset, new, count = True, sorted({*present, *new}), 0
            else:
                count = len(present)
                gone = [source_id_of(folder, uidvalidity, uid) for uid in _gaps(present, last_uid)]
                yield self._batch(folder, [], [], {**base, "last_uid": last_uid, "count": count}, deleted=gone)
                cursor = {**base, "last_uid": last_uid, "count": count}

        if not new:
            top = max(last_uid, (uidnext or 1) - 1)
            after = {**base, "last_uid": top, "count": count}
            if reset or cursor != after:
                yield self._batch(folder, [], [], after, reset=reset)
            return

        items = fetch_items(gmail=self._gmail)
        size = self.batch_size
        chunks = [new[start : start + size] for start in range(0, len(new), size)]
        # The next chunk is fetched while this one is parsed: the server works meanwhile. Only
        # one thread at a time uses the client (each FETCH is awaited before the next starts).
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="kith-imap") as pool:
            pending = pool.submit(self._fetch_chunk, client, folder, chunks[0], items)
            for index, chunk in enumerate(chunks):
                response = pending.result()
                if index + 1 < len(chunks):
                    pending = pool.submit(self._fetch_chunk, client, folder, chunks[index + 1], items)
                messages, skips = self._parse_chunk(folder, chunk, response, uidvalidity)
                final = index + 1 == len(chunks)
                top = max(chunk[-1], (uidnext or 1) - 1) if final else chunk[-1]
                after = {**base, "last_uid": top, "count": count + index * size + len(chunk)}
                yield self._batch(folder, messages, skips, after, reset=reset and index == 0)

    def _fetch_chunk(self, client: IMAPClient, folder: str, chunk: list[int], items: list[str]) -> dict:
        """Headers of a chunk, then (privacy allowing) the start of the bodies signal detection
        will read: person-to-person mail, not lists and notifications."""
        response = self._command(folder, "UID FETCH", client.fetch, chunk, items)
        if not self.with_body:
            return response
        wanted = [uid for uid, data in response.items() if (header := header_of(data)) and body_wanted(header)]
        if wanted:
            bodies = self._command(folder, "UID FETCH", client.fetch, wanted, [TEXT_ITEM])
            for uid, data in bodies.items():
                if uid in response and TEXT_KEY in data:
                    response[uid][TEXT_KEY] = data[TEXT_KEY]
        return response

    def _parse_chunk(
        self, folder: str, chunk: list[int], response: dict, uidvalidity: int
    ) -> tuple[list[Message], list[Skip]]:
        messages: list[Message] = []
        skips: list[Skip] = []
        for uid in chunk:
            data = response.get(uid)
            if data is None:
                continue  # expunged since the search
            record = to_message(
                uid, data, account=self.account, folder=folder, uidvalidity=uidvalidity, with_body=self.with_body
            )
            if isinstance(record, Message):
                messages.append(record)
            elif record is not None:
                skips.append(record)
        return messages, skips

    def _batch(
        self,
        folder: str,
        messages: list[Message],
        skips: list[Skip],
        cursor: Cursor,
        *,
        deleted: list[str] | None = None,
        reset: bool = False,
    ) -> Batch:
        return Batch.model_construct(
            account=self.account,
            stream=folder,
            messages=messages,
            meetings=[],
            deleted=deleted or [],
            skips=skips,
            cursor=cursor,
            reset=reset,
        )

    # -- connection, errors, retries ----------------------------------------------------------

    def _session(self) -> IMAPClient:
        if self._client is None:
            self._client = open_session(self.settings, self._tokens)
            self._gmail = b"X-GM-EXT-1" in self._client.capabilities()
        return self._client

    def _drop(self) -> None:
        client, self._client = self._client, None
        if client is not None:
            try:
                client.shutdown()
            except Exception:  # noqa: BLE001 - it is already broken
                pass

    def _command(self, folder: str | None, name: str, call: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """Run one IMAP command; a NO or BAD becomes `SourceRefused` naming folder and command."""
        try:
            return call(*args, **kwargs)
        except imaplib.IMAP4.abort:
            raise
        except imaplib.IMAP4.error as exc:
            text = _server_text(exc)
            where = f"folder {folder!r}" if folder is not None else "the account"
            if name == "SELECT" and _is_missing(text):
                raise SourceRefused(
                    f"{where} does not exist on the server (any more): SELECT failed: {text}", account=self.account
                ) from None
            raise SourceRefused(f"{where}: {name} failed: {text}", account=self.account) from None

    def _retrying(self, what: str, call: Callable[[], T]) -> T:
        failures = 0
        while True:
            try:
                return call()
            except (*TRANSIENT, SourceUnavailable) as exc:
                failures = self._after_failure(what, exc, failures)

    def _after_failure(self, what: str, exc: BaseException, failures: int) -> int:
        """Drop the connection and wait before the next try, or give up with `SourceUnavailable`."""
        self._drop()
        if failures >= len(self.retry_delays):
            raise SourceUnavailable(
                f"{what}: gave up after {failures + 1} tries ({_first_line(exc)}); "
                "the next sync resumes where this one stopped",
                account=self.account,
            ) from None
        delay = self.retry_delays[failures]
        log.warning("%s: %s: %s; reconnecting in %.1fs", self.account, what, _first_line(exc), delay)
        time.sleep(delay)
        return failures + 1


def _gaps(present: list[int], last_uid: int) -> Iterator[int]:
    """UIDs from 1 to `last_uid` that `present` (sorted) lacks."""
    expected = 1
    for uid in present:
        yield from range(expected, uid)
        expected = uid + 1
    yield from range(expected, last_uid + 1)


def _server_text(exc: BaseException) -> str:
    text = _first_line(exc)
    # imapclient prefixes the command ("select failed: ..."); Dovecot appends timings.
    _, sep, rest = text.partition(" failed: ")
    text = rest if sep else text
    if text.endswith(" secs)."):
        text = text[: text.rfind(" (")] + "."
    return text


def _is_missing(text: str) -> bool:
    lowered = text.lower()
    return "nonexistent" in lowered or "doesn't exist" in lowered or "does not exist" in lowered or "not found" in lowered


def _first_line(exc: BaseException) -> str:
    text = str(exc.args[0] if isinstance(exc, ConnectorError) and exc.args else exc).strip() or type(exc).__name__
    return text.splitlines()[0]
