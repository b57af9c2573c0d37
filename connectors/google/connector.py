"""`GoogleConnector`: one Google account, streams `gmail` and `calendar:<id>` per calendar."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

from kith.connectors.base import Cursor
from kith.connectors.google.auth import load_credentials, refresh, save_credentials, scopes_for
from kith.connectors.google.calendar import fetch_events, stream_for
from kith.connectors.google.gmail import STREAM, fetch_mail
from kith.connectors.google.service import GoogleApi
from kith.models import Batch
from kith.models.settings import GoogleAccount, Settings

log = logging.getLogger("kith.google")


class GoogleConnector:
    """Gmail and Google Calendar of one account, read through the official API."""

    kind = "google"

    def __init__(self, account: GoogleAccount, settings: Settings, *, with_body: bool = True, api: GoogleApi | None = None) -> None:
        self.settings = account
        self.account = account.name
        self.home = Path(settings.home)
        self.with_body = with_body and account.mail
        self._scopes = [s for s in scopes_for(account, settings) if not s.endswith("gmail.send")]
        self._api = api

    @property
    def api(self) -> GoogleApi:
        """The account's clients, signed in (and refreshed) on first use."""
        if self._api is None:
            credentials = load_credentials(self.settings, self.home, self._scopes)
            if not credentials.valid and credentials.refresh_token:
                refresh(credentials, self.settings)
                save_credentials(credentials, self.settings, self.home)
            self._api = GoogleApi(self.settings, credentials)
        return self._api

    def streams(self) -> list[str]:
        """`gmail` when mail is on, then one stream per listed calendar."""
        return ([STREAM] if self.settings.mail else []) + [stream_for(c) for c in self.settings.calendars]

    def fetch(self, stream: str, cursor: Cursor | None) -> Iterator[Batch]:
        """Yield the stream's changes since `cursor` (everything when it is None)."""
        if stream == STREAM:
            yield from fetch_mail(self.api, account=self.account, address=self.settings.address, cursor=cursor,
                                  with_body=self.with_body)
        elif stream.startswith("calendar:"):
            yield from fetch_events(self.api, account=self.account, calendar_id=stream.removeprefix("calendar:"), cursor=cursor)
        else:
            raise ValueError(f"account {self.account!r} has no stream {stream!r}")

    def close(self) -> None:
        """Keep a token refreshed during the run, and let the connections go."""
        api, self._api = self._api, None
        if api is None:
            return
        if api.rate_limited:
            log.info("%s: Google asked to slow down %d time(s) in this run", self.account, api.rate_limited)
        save_credentials(api.credentials, self.settings, self.home)
        api.close()


def check_google_account(account: GoogleAccount, settings: Settings) -> list[str]:
    """What `kith doctor` reports for a Google account: a grant that is present, refreshable and
    holds every scope the settings need, and each API answering. Empty when all is well."""
    from kith.connectors.errors import ConnectorError

    needed = scopes_for(account, settings)
    try:
        credentials = load_credentials(account, Path(settings.home), needed)
        if not credentials.valid and credentials.refresh_token:
            refresh(credentials, account)
            save_credentials(credentials, account, Path(settings.home))
    except ConnectorError as exc:
        return [str(exc)]
    api = GoogleApi(account, credentials, attempts=1, timeout=10.0)
    problems = []
    calls = []
    if account.mail:
        calls.append(("Gmail", lambda: api.client("gmail").users().getProfile(userId="me")))
    for calendar in account.calendars:
        calls.append((f"calendar {calendar!r}", lambda c=calendar: api.client("calendar").events().list(calendarId=c, maxResults=1)))
    try:
        for what, make in calls:
            try:
                api.execute(make, what=what)
            except ConnectorError as exc:
                problems.append(str(exc))
    finally:
        api.close()
    return problems
