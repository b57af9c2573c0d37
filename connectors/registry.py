"""Which connector serves which account kind."""

from __future__ import annotations

from connectors.base import Connector
from models.settings import FileAccount, ImapAccount, Settings


def build_connector(account: FileAccount | ImapAccount, settings: Settings) -> Connector:
    """A connector for `account`, honouring the privacy setting (bodies only when allowed)."""
    with_body = settings.privacy.mode != "metadata"
    if account.kind in ("mbox", "maildir", "eml"):
        from connectors.mailfiles import MailFileConnector

        return MailFileConnector(account, with_body=with_body)
    if account.kind == "ics":
        from connectors.ics import IcsConnector

        return IcsConnector(account)
    if account.kind == "imap":
        from connectors.imap import ImapConnector

        return ImapConnector(account, with_body=with_body)
    raise ValueError(f"account {account.name!r}: no connector for kind {account.kind!r}")
