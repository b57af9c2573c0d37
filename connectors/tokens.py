"""Where OAuth access tokens come from, for connectors that log in with one (IMAP XOAUTH2).

A `TokenProvider` hands out a currently valid access token; the Google and Microsoft providers
refresh theirs silently. `EnvTokenProvider` reads one from an environment variable, for scripts,
tests and tokens minted by another tool.
"""

from __future__ import annotations

import os
from typing import Protocol

from kith.connectors.errors import AuthFailed


class TokenProvider(Protocol):
    def access_token(self) -> str:
        """A currently valid OAuth 2.0 access token; raises `AuthFailed` when there is none."""
        ...


class EnvTokenProvider:
    """The access token held in environment variable `variable`."""

    def __init__(self, variable: str, *, account: str | None = None) -> None:
        self.variable = variable
        self.account = account

    def access_token(self) -> str:
        token = os.environ.get(self.variable, "").strip()
        if not token:
            raise AuthFailed(
                f"no OAuth access token: environment variable {self.variable} (oauth_token_env) is not set",
                account=self.account,
            )
        return token
