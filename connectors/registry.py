"""Which connector serves which account kind."""

from __future__ import annotations

from kith.connectors.base import Connector
from kith.models.settings import FileAccount, ImapAccount, Settings


def build_connector(account: FileAccount | ImapAccount, settings: Settings) -> Connector:
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
    raise ValueError(f"account {account.name!r}: no connector for kind {account.kind!r}")
