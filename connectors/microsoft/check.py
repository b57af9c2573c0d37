"""What `kith doctor` asks of a Microsoft account: a cached sign-in, a silent refresh that works,
the permissions granted, Graph reachable. Each problem is one line with its fix."""

from __future__ import annotations

from kith.connectors.errors import AuthFailed, ConnectorError, SourceUnavailable
from kith.connectors.microsoft.auth import MsalTokenProvider, fix_command, token_provider_for
from kith.connectors.microsoft.graph import GraphClient
from kith.models.settings import MicrosoftAccount, Settings


def check_microsoft_account(account: MicrosoftAccount, settings: Settings, *, attempts: int = 1) -> list[str]:
    """Problems with this account, in the order to fix them; empty when it is ready to sync."""
    tokens = token_provider_for(account, settings)
    if isinstance(tokens, MsalTokenProvider) and not tokens.signed_in():
        return [f"account {account.name!r}: not signed in to Microsoft; {fix_command(account)}"]
    client = GraphClient(account, tokens, attempts=attempts)
    probes = [(f"me/mailFolders/{folder}", f"mail folder {folder!r}") for folder in account.mail_folders]
    if account.calendar:
        probes.append(("me/calendar", "the calendar"))
    problems: list[str] = []
    try:
        for path, what in probes:
            try:
                client.get(path, params={"$select": "id"}, what=what)
            except ConnectorError as exc:
                problems.append(str(exc))
                if not problems[-1].startswith(f"account {account.name!r}"):
                    problems[-1] = f"account {account.name!r}: {problems[-1]}"
                if isinstance(exc, (AuthFailed, SourceUnavailable)):
                    break  # the next probe would say the same
    finally:
        client.close()
    return problems
