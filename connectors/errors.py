"""Errors a connector raises. The CLI turns each into one line that says what to do.

    ConnectorError
    ├── AuthFailed          credentials refused or expired: the user must act
    ├── ResyncRequired      the stored cursor is dead: the flow resyncs the stream (normal)
    ├── SourceUnavailable   network down, timeout, server error: retried with backoff
    │   └── RateLimited     the source asked us to slow down (carries retry_after)
    ├── SourceMissing       a local file or folder is gone or unreadable: reported, nothing
    │                       of it is removed, not retried (a drive stays unmounted for minutes)
    └── SourceRefused       the server said NO/BAD to a command: names folder and command
"""

from __future__ import annotations


class ConnectorError(Exception):
    """Base of every connector error; `account` names the account it concerns."""

    def __init__(self, message: str, *, account: str | None = None) -> None:
        super().__init__(message)
        self.account = account

    def __str__(self) -> str:
        text = super().__str__()
        return f"account {self.account!r}: {text}" if self.account else text


class AuthFailed(ConnectorError):
    pass


class ResyncRequired(ConnectorError):
    pass


class SourceUnavailable(ConnectorError):
    pass


class RateLimited(SourceUnavailable):
    def __init__(self, message: str, *, account: str | None = None, retry_after: float = 1.0):
        super().__init__(message, account=account)
        self.retry_after = retry_after


class SourceMissing(ConnectorError):
    pass


class SourceRefused(ConnectorError):
    pass
