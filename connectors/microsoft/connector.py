"""`MicrosoftConnector`: a Graph mailbox as streams `mail/<folder>` and `calendar`.

Cursor of a stream: `{"delta_link": URL}` once a round has finished, `{"next_link": URL}` while
one is under way (a sync stopped mid-round resumes at the page it had not stored), plus
`window_start`/`window_end` for the calendar. Links are Graph's own, stored whole.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator
from datetime import date, datetime, timezone

import requests

from kith.connectors.base import Cursor
from kith.connectors.errors import SourceRefused, SourceUnavailable
from kith.connectors.mailparse import body_start
from kith.connectors.microsoft import calendar, mail
from kith.connectors.microsoft.graph import GraphClient
from kith.connectors.tokens import TokenProvider
from kith.models import Batch, Meeting, Message, Skip
from kith.models.settings import MicrosoftAccount

log = logging.getLogger("kith.microsoft")

MAIL_PREFIX = "mail/"
CALENDAR_STREAM = "calendar"


def utc_today() -> date:
    return datetime.now(timezone.utc).date()


class MicrosoftConnector:
    """Mail folders and the calendar of one Microsoft 365 / Outlook.com mailbox."""

    kind = "microsoft"

    def __init__(
        self,
        account: MicrosoftAccount,
        tokens: TokenProvider,
        *,
        with_body: bool = True,
        session: requests.Session | None = None,
        today: Callable[[], date] = utc_today,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.settings = account
        self.account = account.name
        self.with_body = with_body
        self.client = GraphClient(account, tokens, session=session, sleep=sleep)
        self._today = today

    # -- the connector contract ---------------------------------------------------------------

    def streams(self) -> list[str]:
        """`mail/<folder>` for each of `mail_folders`, then `calendar` when it is wanted."""
        streams = [MAIL_PREFIX + folder for folder in self.settings.mail_folders]
        if self.settings.calendar:
            streams.append(CALENDAR_STREAM)
        return streams

    def fetch(self, stream: str, cursor: Cursor | None) -> Iterator[Batch]:
        """Yield the stream's changes since `cursor` (everything when it is None), a page a batch."""
        if stream == CALENDAR_STREAM:
            return self._fetch_calendar(cursor)
        if stream.startswith(MAIL_PREFIX):
            return self._fetch_folder(stream, cursor)
        raise SourceRefused(f"no stream {stream!r} in a Microsoft account", account=self.account)

    def close(self) -> None:
        self.client.close()

    # -- mail ---------------------------------------------------------------------------------

    def _fetch_folder(self, stream: str, cursor: Cursor | None) -> Iterator[Batch]:
        folder = stream[len(MAIL_PREFIX):]
        link = _link(cursor)
        if link:
            url, params = link, None
        else:
            url, params = mail.delta_request(folder, with_headers=self.with_body)
        prefer = mail.page_prefer(self.settings.page_size)
        first = link is None
        while True:
            page = self.client.get(url, params=params, prefer=prefer, what=f"folder {folder!r}")
            items, removed = mail.split_page(page)
            messages: list[Message] = []
            skips: list[Skip] = []
            for item in items:
                record = mail.parse_message(item, account=self.account, stream=stream, folder=folder)
                if isinstance(record, Skip):
                    skips.append(record)
                    continue
                if self.with_body and mail.wants_body(item):
                    record.body_text = self._body_of(record.source_id)
                messages.append(record)
            next_link, delta_link = self._links(page, f"folder {folder!r}")
            yield Batch.model_construct(
                account=self.account,
                stream=stream,
                messages=messages,
                meetings=[],
                deleted=removed,
                skips=skips,
                cursor={"next_link": next_link} if next_link else {"delta_link": delta_link},
                reset=first,
            )
            if not next_link:
                return
            url, params, first = next_link, None, False

    def _body_of(self, message_id: str) -> str | None:
        path, params = mail.body_request(message_id)
        try:
            item = self.client.get(path, params=params, prefer=[mail.TEXT_BODY], what="a message body")
        except SourceRefused as exc:  # gone since the delta page was made: no body, same message
            log.info("%s: %s", self.account, exc)
            return None
        body = item.get("body") if isinstance(item, dict) else None
        if isinstance(body, dict) and body.get("contentType") == "text" and body.get("content"):
            return body_start(str(body["content"]))
        return None

    # -- calendar -----------------------------------------------------------------------------

    def _fetch_calendar(self, cursor: Cursor | None) -> Iterator[Batch]:
        s = self.settings
        start, end = calendar.window(self._today(), s.calendar_days_back, s.calendar_days_ahead)
        link = _link(cursor)
        if link and cursor is not None and not calendar.window_is_stale(cursor, end):
            url, params = link, None
            bounds = {"window_start": cursor.get("window_start"), "window_end": cursor.get("window_end")}
        else:
            if link:
                log.info("%s: the calendar window moves on to %s..%s; reading it again", self.account, start.date(), end.date())
            url, params = calendar.delta_request(start, end)
            bounds = {"window_start": _iso(start), "window_end": _iso(end)}
            link = None
        prefer = [*mail.page_prefer(s.page_size), calendar.UTC_TIMES]
        first = link is None
        while True:
            page = self.client.get(url, params=params, prefer=prefer, what="the calendar")
            items, removed = mail.split_page(page)
            meetings: list[Meeting] = []
            skips: list[Skip] = []
            for item in items:
                record = calendar.parse_event(item, account=self.account, stream=CALENDAR_STREAM)
                if isinstance(record, Meeting):
                    meetings.append(record)
                elif record is not None:
                    skips.append(record)
            next_link, delta_link = self._links(page, "the calendar")
            yield Batch.model_construct(
                account=self.account,
                stream=CALENDAR_STREAM,
                messages=[],
                meetings=meetings,
                deleted=removed,
                skips=skips,
                cursor={"next_link": next_link, **bounds} if next_link else {"delta_link": delta_link, **bounds},
                reset=first,
            )
            if not next_link:
                return
            url, params, first = next_link, None, False

    def _links(self, page: dict, what: str) -> tuple[str | None, str | None]:
        next_link, delta_link = mail.page_links(page)
        if not next_link and not delta_link:
            raise SourceUnavailable(f"{what}: a delta page with neither nextLink nor deltaLink", account=self.account)
        return next_link, delta_link


def _link(cursor: Cursor | None) -> str | None:
    if not cursor:
        return None
    return cursor.get("next_link") or cursor.get("delta_link")


def _iso(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")
