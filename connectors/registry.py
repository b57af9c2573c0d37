"""Which connector serves which account kind."""

from __future__ import annotations

from kith.connectors.base import Connector
from kith.models.settings import Account, Settings


def build_connector(account: Account, settings: Settings) -> Connector:
    """A connector for `account`, honouring the privacy setting (bodies only when allowed)."""
    with_body = settings.privacy.mode != "metadata"
    if account.kind in ("mbox", "maildir", "eml"):
        from kith.connectors.mailfiles import MailFileConnector

        return MailFileConnector(account, with_body=with_body)
    if account.kind == "ics":
        from kith.connectors.ics import IcsConnector

        return IcsConnector(account)
    if account.kind == "imap":
        from kith.connectors.imap import ImapConnector

        return ImapConnector(account, with_body=with_body)
    if account.kind == "microsoft":
        from kith.connectors.microsoft import MicrosoftConnector
        from kith.connectors.microsoft.auth import token_provider_for

        return MicrosoftConnector(account, token_provider_for(account, settings), with_body=with_body)
    if account.kind == "google":
        from kith.connectors.google import GoogleConnector

        return GoogleConnector(account, settings, with_body=with_body)
    raise ValueError(f"account {account.name!r}: no connector for kind {account.kind!r}")
