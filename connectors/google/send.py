"""Sending one message through Gmail (`users.messages.send`), for the daily digest."""

from __future__ import annotations

import base64
from pathlib import Path

from kith.connectors.google.auth import GMAIL_SEND, load_credentials, refresh, save_credentials
from kith.connectors.google.service import GoogleApi
from kith.models.settings import GoogleAccount

SEND_UNITS = 100  # Gmail's quota cost of messages.send


def send_message(account: GoogleAccount, home: Path, raw: bytes, *, api: GoogleApi | None = None) -> str:
    """Send the RFC 5322 bytes `raw` as the account's user; Gmail's id of the sent message.

    Raises a `ConnectorError`: `AuthFailed` (no grant, no gmail.send), `SourceUnavailable`
    (worth another try later), `SourceRefused` (Gmail will not take this message).
    """
    own = api is None
    if api is None:
        credentials = load_credentials(account, home, [GMAIL_SEND])
        if not credentials.valid and credentials.refresh_token:
            refresh(credentials, account)
            save_credentials(credentials, account, home)
        api = GoogleApi(account, credentials, attempts=1)
    body = {"raw": base64.urlsafe_b64encode(raw).decode("ascii")}
    try:
        # One try per call: the delivery ledger decides about retries, so a send is never doubled here.
        answer = api.execute(lambda: api.client("gmail").users().messages().send(userId="me", body=body),
                             what="sending through Gmail", units=0)
    finally:
        if own:
            api.close()
    return str(answer.get("id", ""))
