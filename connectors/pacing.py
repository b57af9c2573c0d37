"""One way to stay inside an API's limits: a request budget, and retries that back off.

`Budget` paces requests to a rate an API allows (Gmail's 15,000 quota units a minute per user,
Graph's 10,000 requests per 10 minutes per mailbox) so that a long first sync runs near the limit
without tripping it. `with_backoff` retries what the source said was temporary (a `RateLimited`
or `SourceUnavailable` from the connector), waiting what the server asked (`Retry-After`) or an
exponentially growing, jittered delay, and gives up with the last error after `attempts` tries.
Clocks, sleeps and randomness are parameters so tests run in no time.
"""

from __future__ import annotations

import logging
import random
import threading
import time
from collections.abc import Callable
from typing import TypeVar

from kith.connectors.errors import RateLimited, SourceUnavailable

log = logging.getLogger("kith.pacing")

T = TypeVar("T")


class Budget:
    """A token bucket: `rate` units a second, at most `burst` spent at once.

    `spend(units)` returns at once while the bucket holds enough, and otherwise sleeps until it
    does. Thread-safe, so the parts of one batch request may share it.
    """

    def __init__(
        self,
        rate: float,
        burst: float,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        if rate <= 0 or burst <= 0:
            raise ValueError("a budget needs a positive rate and burst")
        self.rate = rate
        self.burst = burst
        self._clock = clock
        self._sleep = sleep
        self._level = burst
        self._updated = clock()
        self._lock = threading.Lock()
        self.waited = 0.0  # seconds spent waiting, for progress lines and benchmarks

    @classmethod
    def per_minute(cls, units: float, **kwargs) -> Budget:
        """A budget of `units` a minute that may spend a tenth of a minute's worth at once."""
        return cls(units / 60.0, max(units / 10.0, 1.0), **kwargs)

    def spend(self, units: float = 1.0) -> None:
        """Take `units` from the bucket, waiting until it holds them."""
        if units > self.burst:
            raise ValueError(f"cannot spend {units} units at once from a burst of {self.burst}")
        with self._lock:
            self._refill()
            shortfall = units - self._level
            if shortfall > 0:
                wait = shortfall / self.rate
                self._sleep(wait)
                self.waited += wait
                self._refill()
            self._level -= units

    def _refill(self) -> None:
        now = self._clock()
        self._level = min(self.burst, self._level + (now - self._updated) * self.rate)
        self._updated = now


def backoff_delay(failures: int, *, base: float = 1.0, cap: float = 64.0, rng: Callable[[], float] = random.random) -> float:
    """The wait after `failures` failed tries: exponential from `base`, capped, "full jitter"."""
    return rng() * min(cap, base * 2 ** max(failures - 1, 0))


def with_backoff(
    call: Callable[[], T],
    *,
    what: str,
    attempts: int = 6,
    base: float = 1.0,
    cap: float = 64.0,
    sleep: Callable[[float], None] = time.sleep,
    rng: Callable[[], float] = random.random,
    on_wait: Callable[[float, BaseException, int], None] | None = None,
) -> T:
    """Run `call`, retrying `RateLimited` and `SourceUnavailable` up to `attempts` tries in all.

    A `RateLimited` waits at least the `retry_after` the server gave. Anything else (a refused
    login, a resync signal, a bug) is raised at once. `on_wait(seconds, error, attempt)` lets a
    caller say what it is waiting for; by default the wait is logged.
    """
    failures = 0
    while True:
        try:
            return call()
        except SourceUnavailable as exc:
            failures += 1
            if failures >= attempts:
                raise
            delay = backoff_delay(failures, base=base, cap=cap, rng=rng)
            if isinstance(exc, RateLimited):
                delay = max(delay, exc.retry_after)
            if on_wait is not None:
                on_wait(delay, exc, failures)
            else:
                log.warning("%s: %s; retrying in %.1f s (try %d of %d)", what, exc, delay, failures + 1, attempts)
            sleep(delay)
