"""Calling Google: clients built offline, one quota budget, retries, and errors in kith's terms.

`GoogleApi` builds the Gmail and Calendar clients from the discovery documents shipped with
googleapiclient (no network), sends every call (and batch) to `api_endpoint` when one is set,
spends Gmail quota units from the account's `Budget` before each call, and retries what Google
says is temporary (429, 403 rateLimitExceeded/userRateLimitExceeded, 5xx, a dropped connection)
with `with_backoff`. A batch part that fails that way is retried alone; the rest of the batch
stands. Everything else becomes one `ConnectorError` with the fix in it.
"""

from __future__ import annotations

import json
import logging
import random
import socket
import time
from collections.abc import Callable, Iterable
from typing import Any

import google_auth_httplib2
import httplib2
from google.auth.exceptions import RefreshError, TransportError
from google.oauth2.credentials import Credentials
from googleapiclient.discovery import build
from googleapiclient.errors import HttpError
from googleapiclient.http import BatchHttpRequest, HttpRequest

from kith.connectors.errors import AuthFailed, ConnectorError, RateLimited, ResyncRequired, SourceRefused, SourceUnavailable
from kith.connectors.google.auth import fix_command, refresh_failed
from kith.connectors.pacing import Budget, backoff_delay, with_backoff
from kith.models.settings import GoogleAccount

log = logging.getLogger("kith.google")

RATE_REASONS = frozenset({"rateLimitExceeded", "userRateLimitExceeded", "RATE_LIMIT_EXCEEDED", "quotaExceeded"})
SCOPE_REASONS = frozenset({"insufficientPermissions", "ACCESS_TOKEN_SCOPE_INSUFFICIENT"})
# Google documents its per-user batch endpoints under these paths.
BATCH_PATHS = {"gmail": "batch/gmail/v1", "calendar": "batch/calendar/v3"}
SERVICE_PATHS = {"gmail": "", "calendar": "calendar/v3/"}
VERSIONS = {"gmail": "v1", "calendar": "v3"}
# Pace a little under the limit: Google counts in a rolling minute, the budget in a bucket.
PACE = 0.97


def pause(seconds: float) -> None:
    """How the retries wait (tests replace it to run in no time)."""
    time.sleep(seconds)


def gmail_budget(account: GoogleAccount, **kwargs: Any) -> Budget:
    """The account's Gmail budget: its units a minute, at most one full batch at once."""
    return Budget(account.quota_units_per_minute * PACE / 60.0, account.batch_size * 5.0, **kwargs)


class GoogleApi:
    """The Google clients of one account, with its budget and retries."""

    def __init__(
        self,
        account: GoogleAccount,
        credentials: Credentials,
        *,
        budget: Budget | None = None,
        attempts: int = 6,
        timeout: float = 60.0,
        sleep: Callable[[float], None] | None = None,
        rng: Callable[[], float] = random.random,
    ) -> None:
        self.account = account
        self.credentials = credentials
        self.budget = budget or gmail_budget(account)
        self.attempts = attempts
        self.timeout = timeout
        self.sleep = sleep or (lambda seconds: pause(seconds))
        self.rng = rng
        self.rate_limited = 0  # 429 and rateLimitExceeded answers seen, for reports and benchmarks
        self._clients: dict[str, Any] = {}

    def client(self, api: str) -> Any:
        """The `gmail` or `calendar` client, built once from the shipped discovery document."""
        if api not in self._clients:
            http = google_auth_httplib2.AuthorizedHttp(self.credentials, http=httplib2.Http(timeout=self.timeout))
            options = {"api_endpoint": self.account.api_endpoint + SERVICE_PATHS[api]} if self.account.api_endpoint else None
            self._clients[api] = build(
                api, VERSIONS[api], http=http, static_discovery=True, cache_discovery=False, client_options=options
            )
        return self._clients[api]

    def resource(self, api: str, name: str) -> Any:
        """A top resource of a client (`users`, `events`), built once: each build costs milliseconds."""
        key = f"{api}.{name}"
        if key not in self._clients:
            self._clients[key] = getattr(self.client(api), name)()
        return self._clients[key]

    def new_batch(self, api: str) -> BatchHttpRequest:
        # new_batch_http_request() ignores api_endpoint and posts to Google: build it ourselves.
        if self.account.api_endpoint:
            return BatchHttpRequest(batch_uri=self.account.api_endpoint + BATCH_PATHS[api])
        return self.client(api).new_batch_http_request()

    def close(self) -> None:
        for key, client in self._clients.items():
            if "." not in key:
                client.close()
        self._clients.clear()

    # -- one call -----------------------------------------------------------------------------

    def execute(self, make: Callable[[], HttpRequest], *, what: str, units: int = 0, gone: int | None = None) -> dict:
        """Run one call (`make` builds it afresh for each try), paying `units` first.

        A `gone` status (404 for expired history, 410 for a dead sync token) raises `ResyncRequired`.
        """

        def once() -> dict:
            if units:
                self.budget.spend(units)
            try:
                return make().execute()
            except HttpError as exc:
                if gone is not None and exc.resp.status == gone:
                    raise ResyncRequired(f"{what}: Google says the cursor expired ({exc.resp.status})",
                                         account=self.account.name) from None
                raise self.translate(exc, what) from None
            except Exception as exc:  # noqa: BLE001 - transport and refresh errors
                raise self.translate_other(exc, what) from None

        return with_backoff(once, what=what, attempts=self.attempts, sleep=self.sleep, rng=self.rng,
                            on_wait=self._on_wait(what))

    # -- batches ------------------------------------------------------------------------------

    def execute_batch(
        self, api: str, make: Callable[[str], HttpRequest], keys: Iterable[str], *, what: str, units_each: int = 0
    ) -> dict[str, dict | None]:
        """Run one call per key in batches of `batch_size`; the answer per key, None for a 404.

        Parts that fail for a temporary reason are retried alone after a backoff; a batch request
        that fails as a whole is retried whole. Other failures raise.
        """
        results: dict[str, dict | None] = {}
        pending = list(dict.fromkeys(keys))
        failures = 0
        while pending:
            retry: list[str] = []
            last: ConnectorError | None = None
            size = self.account.batch_size
            for start in range(0, len(pending), size):
                chunk = pending[start : start + size]
                answers = self._one_batch(api, make, chunk, what=what, units=units_each * len(chunk))
                for key in chunk:
                    answer = answers[key]
                    if isinstance(answer, HttpError):
                        if answer.resp.status == 404:
                            results[key] = None
                            continue
                        error = self.translate(answer, what)
                        if not isinstance(error, SourceUnavailable):
                            raise error
                        retry.append(key)
                        last = error
                    else:
                        results[key] = answer
            if retry:
                failures += 1
                if failures >= self.attempts:
                    raise SourceUnavailable(f"{what}: {len(retry)} call(s) still failing after {failures} tries ({last}); "
                                            "the next sync resumes where this one stopped", account=self.account.name)
                delay = backoff_delay(failures, rng=self.rng)
                if isinstance(last, RateLimited):
                    delay = max(delay, last.retry_after)
                log.info("%s: %s: %d part(s) of a batch to retry in %.1f s (%s)", self.account.name, what, len(retry), delay, last)
                self.sleep(delay)
            pending = retry
        return results

    def _one_batch(self, api: str, make: Callable[[str], HttpRequest], chunk: list[str], *, what: str, units: int) -> dict:
        def once() -> dict:
            answers: dict[str, Any] = {}

            def collect(request_id: str, response: Any, exception: Exception | None) -> None:
                answers[request_id] = exception if exception is not None else response

            if units:
                self.budget.spend(units)
            batch = self.new_batch(api)
            for key in chunk:
                batch.add(make(key), callback=collect, request_id=key)
            try:
                batch.execute()
            except HttpError as exc:
                raise self.translate(exc, what) from None
            except Exception as exc:  # noqa: BLE001
                raise self.translate_other(exc, what) from None
            return answers

        return with_backoff(once, what=what, attempts=self.attempts, sleep=self.sleep, rng=self.rng,
                            on_wait=self._on_wait(what))

    # -- errors -------------------------------------------------------------------------------

    def _on_wait(self, what: str) -> Callable[[float, BaseException, int], None]:
        def on_wait(delay: float, exc: BaseException, attempt: int) -> None:
            log.info("%s: %s: %s; retrying in %.1f s (try %d of %d)", self.account.name, what, exc, delay, attempt + 1, self.attempts)

        return on_wait

    def translate(self, exc: HttpError, what: str) -> ConnectorError:
        """An HTTP error from Google as a kith error, with the fix where the user has one."""
        status = exc.resp.status
        reasons, message = _reasons(exc)
        name = self.account.name
        if status == 429 or (status == 403 and reasons & RATE_REASONS):
            self.rate_limited += 1
            retry_after = _retry_after(exc)
            return RateLimited(f"{what}: Google asks to slow down ({status} {', '.join(sorted(reasons)) or 'rate limit'})",
                               account=name, retry_after=retry_after)
        if status == 401:
            if self.account.token_env:
                return AuthFailed(f"Google refused the access token in {self.account.token_env} (401); set a fresh one",
                                  account=name)
            return AuthFailed(f"Google refused the sign-in (401) even after a refresh; run `{fix_command(self.account)}`",
                              account=name)
        if status == 403 and reasons & SCOPE_REASONS:
            return AuthFailed(f"{what}: the Google sign-in lacks a scope this needs (403 {message}); "
                              f"run `{fix_command(self.account)}` to grant it", account=name)
        if status >= 500 or status == 408:
            return SourceUnavailable(f"{what}: Google answered {status} ({message})", account=name)
        return SourceRefused(f"{what}: Google refused it ({status} {message})", account=name)

    def translate_other(self, exc: BaseException, what: str) -> ConnectorError:
        if isinstance(exc, ConnectorError):
            return exc
        if isinstance(exc, RefreshError):
            return refresh_failed(exc, self.account)
        if isinstance(exc, (TransportError, OSError, socket.timeout, httplib2.HttpLib2Error)):
            return SourceUnavailable(f"{what}: cannot reach Google ({type(exc).__name__}: {str(exc)[:150]})",
                                     account=self.account.name)
        raise exc


def _reasons(exc: HttpError) -> tuple[set[str], str]:
    """Google's error reasons and message from an error body."""
    try:
        error = json.loads(exc.content.decode("utf-8", "replace")).get("error", {})
    except (ValueError, AttributeError):
        return set(), (exc.resp.reason or "")
    if not isinstance(error, dict):
        return set(), str(error)[:200]
    reasons = {e.get("reason", "") for e in error.get("errors", []) if isinstance(e, dict)}
    reasons |= {d.get("reason", "") for d in error.get("details", []) if isinstance(d, dict)}
    reasons.discard("")
    return reasons, " ".join(str(error.get("message", "")).split())[:200]


def _retry_after(exc: HttpError) -> float:
    value = exc.resp.get("retry-after") if hasattr(exc.resp, "get") else None
    try:
        return max(0.0, float(value)) if value else 1.0
    except ValueError:
        return 1.0
