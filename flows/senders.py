"""Digest senders that go through a provider's API: they need a connector's client, so they are
put together here, where flows may use both connectors and digests, and handed to
`build_sender` in digests/delivery.py."""

from __future__ import annotations

from email.message import EmailMessage

from kith.connectors.errors import AuthFailed, ConnectorError, SourceRefused
from kith.digests.delivery import DeliveryError, Sender
from kith.models.settings import GoogleAccount, MicrosoftAccount, Settings


class GraphSender:
    """Send through Microsoft Graph `/me/sendMail` as the signed-in Microsoft account."""

    method = "graph"

    def __init__(self, account: MicrosoftAccount, settings: Settings, *, attempts: int = 2) -> None:
        self.account = account
        self.settings = settings
        self.attempts = attempts  # the delivery ledger retries too; keep a failed run short

    def send(self, message: EmailMessage) -> None:
        from kith.connectors.microsoft.auth import token_provider_for
        from kith.connectors.microsoft.graph import GraphClient
        from kith.connectors.microsoft.send import send_mime

        try:
            client = GraphClient(self.account, token_provider_for(self.account, self.settings), attempts=self.attempts)
            try:
                send_mime(client, message.as_bytes())
            finally:
                client.close()
        except (AuthFailed, SourceRefused) as exc:
            raise DeliveryError(f"Graph sendMail: {exc}", permanent=True) from None
        except ConnectorError as exc:
            raise DeliveryError(f"Graph sendMail: {exc}") from None


def graph_sender(settings: Settings) -> Sender:
    """The Graph sender of `digest.account`, or a `DeliveryError` naming the setting to fix."""
    name = settings.digest.account
    account = next((a for a in settings.accounts if a.name == name), None)
    if not isinstance(account, MicrosoftAccount):
        raise DeliveryError(
            f"digest.method is 'graph' but digest.account ({name or 'unset'}) names no Microsoft account in kith.toml",
            permanent=True,
        )
    return GraphSender(account, settings)


class GmailSender:
    """Send through Gmail's `users.messages.send` as the Google account digest.account names."""

    method = "gmail"

    def __init__(self, account: GoogleAccount, settings: Settings) -> None:
        self.account = account
        self.home = settings.home

    def send(self, message: EmailMessage) -> None:
        from kith.connectors.google.send import send_message

        try:
            send_message(self.account, self.home, message.as_bytes())
        except (AuthFailed, SourceRefused) as exc:
            raise DeliveryError(f"Gmail: {exc}", permanent=True) from None
        except ConnectorError as exc:
            raise DeliveryError(f"Gmail: {exc}") from None


def gmail_sender(settings: Settings) -> Sender:
    """The Gmail sender of `digest.account` (settings validation made sure it is a Google account)."""
    account = settings.account(settings.digest.account or "")
    if not isinstance(account, GoogleAccount):
        raise DeliveryError(f"digest.method is 'gmail' but digest.account ({account.name}) is no Google account",
                            permanent=True)
    return GmailSender(account, settings)


API_SENDERS = {"graph": graph_sender, "gmail": gmail_sender}
