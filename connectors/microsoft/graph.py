"""`GraphClient`: Microsoft Graph over `requests`, one request at a time, inside Graph's limits.

Every request spends from a `Budget` kept under Graph's 10,000 requests per 10 minutes per
mailbox; 429 and 503 wait what `Retry-After` says (exponential backoff with jitter when it says
nothing) through the shared `with_backoff`. Graph's answers become the connector error family:

    401                      AuthFailed         the sign-in no longer works: re-authorize
    403                      SourceRefused      a permission is missing
    404 / other 4xx          SourceRefused      names what was asked for
    410, syncStateNotFound,
    resyncRequired           ResyncRequired     the delta link is dead: start that stream over
    429 / 503 / 504          RateLimited        carries Retry-After
    other 5xx, no network    SourceUnavailable
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable
from typing import Any

import requests

from kith.connectors.errors import AuthFailed, RateLimited, ResyncRequired, SourceRefused, SourceUnavailable
from kith.connectors.microsoft.auth import fix_command
from kith.connectors.pacing import Budget, with_backoff
from kith.connectors.tokens import TokenProvider
from kith.models.settings import MicrosoftAccount

log = logging.getLogger("kith.microsoft")

# Graph: 10,000 requests per 10 minutes per app and mailbox. A burst of 500 plus 15 a second
# spends at most 9,500 in any 10 minutes.
WINDOW_SECONDS = 600.0
BUDGET_RATE = 9_000 / WINDOW_SECONDS
BUDGET_BURST = 500.0
TIMEOUT = 60.0
RESYNC_CODES = frozenset({"syncstatenotfound", "resyncrequired", "syncstateinvalid"})


def mailbox_budget(**kwargs: Any) -> Budget:
    """The request budget of one mailbox."""
    return Budget(BUDGET_RATE, BUDGET_BURST, **kwargs)


class GraphClient:
    """Requests to one mailbox's Graph endpoint; counts what it sent for progress and benchmarks."""

    def __init__(
        self,
        account: MicrosoftAccount,
        tokens: TokenProvider,
        *,
        session: requests.Session | None = None,
        budget: Budget | None = None,
        attempts: int = 6,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.account = account
        self.endpoint = account.graph_endpoint
        self.tokens = tokens
        self.session = session or requests.Session()
        self.budget = budget or mailbox_budget(sleep=sleep)
        self.attempts = attempts
        self.sleep = sleep
        self.requests = 0  # sent, retries included
        self.retries = 0

    def url(self, path: str) -> str:
        """`path` under the endpoint; a full URL (a nextLink or deltaLink) is kept as it is."""
        return path if path.startswith(("https://", "http://")) else f"{self.endpoint}/{path.lstrip('/')}"

    def get(self, path: str, *, params: dict[str, str] | None = None, prefer: Iterable[str] = (), what: str = "") -> dict:
        """GET a JSON resource."""
        headers = {"Accept": "application/json"}
        if prefer:
            headers["Prefer"] = ", ".join(prefer)
        response = self._request("GET", self.url(path), what or path, params=params, headers=headers)
        try:
            return response.json()
        except ValueError:
            raise SourceUnavailable(f"{what or path}: Graph sent something that is not JSON", account=self.account.name) from None

    def post(self, path: str, *, data: bytes, content_type: str, what: str = "") -> None:
        """POST `data` and expect 2xx with no interesting body (sendMail answers 202)."""
        self._request("POST", self.url(path), what or path, data=data, headers={"Content-Type": content_type})

    def close(self) -> None:
        self.session.close()

    # -- one request, retried ------------------------------------------------------------------

    def _request(self, method: str, url: str, what: str, **kwargs: Any) -> requests.Response:
        def once() -> requests.Response:
            self.budget.spend()
            self.requests += 1
            return self._send(method, url, what, **kwargs)

        def on_wait(seconds: float, exc: BaseException, attempt: int) -> None:
            self.retries += 1
            log.warning("%s: %s; retrying in %.1f s (try %d of %d)", self.account.name, exc, seconds, attempt + 1, self.attempts)

        return with_backoff(once, what=what, attempts=self.attempts, sleep=self.sleep, on_wait=on_wait)

    def _send(self, method: str, url: str, what: str, *, headers: dict[str, str], **kwargs: Any) -> requests.Response:
        name = self.account.name
        headers = {**headers, "Authorization": f"Bearer {self.tokens.access_token()}"}
        try:
            response = self.session.request(method, url, headers=headers, timeout=TIMEOUT, **kwargs)
        except requests.RequestException as exc:
            raise SourceUnavailable(f"{what}: Graph unreachable ({type(exc).__name__})", account=name) from None
        status = response.status_code
        if status < 300:
            return response
        code, message = _error_of(response)
        detail = f"{status} {code}: {message}" if message else f"{status} {code}"
        if status == 410 or code.lower() in RESYNC_CODES:
            raise ResyncRequired(f"{what}: the delta link expired ({detail})", account=name)
        if status in (429, 503, 504):
            retry_after = _retry_after(response)
            if retry_after is None:
                raise SourceUnavailable(f"{what}: Graph is busy ({detail})", account=name)
            raise RateLimited(f"{what}: Graph asked to slow down ({detail})", account=name, retry_after=retry_after)
        if status == 401:
            raise AuthFailed(f"Graph refused the access token ({detail}); {fix_command(self.account)}", account=name)
        if status == 403:
            raise SourceRefused(
                f"{what}: access denied ({detail}); grant the app the permission kith asks for and "
                f"{fix_command(self.account)}",
                account=name,
            )
        if status >= 500:
            raise SourceUnavailable(f"{what}: Graph failed ({detail})", account=name)
        if status == 404:
            raise SourceRefused(f"{what}: not found ({detail}); check the folder names in mail_folders", account=name)
        raise SourceRefused(f"{what}: Graph refused the request ({detail})", account=name)


def _error_of(response: requests.Response) -> tuple[str, str]:
    """Graph's error code and the first line of its message."""
    try:
        error = response.json().get("error") or {}
    except (ValueError, AttributeError):
        return response.reason or "error", ""
    if not isinstance(error, dict):
        return str(error), ""
    message = " ".join(str(error.get("message") or "").split())[:200]
    return str(error.get("code") or response.reason or "error"), message


def _retry_after(response: requests.Response) -> float | None:
    value = response.headers.get("Retry-After")
    if value is None:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        return None
