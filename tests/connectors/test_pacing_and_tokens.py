"""The one request budget, the one backoff and the one token store that API connectors share."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from kith.connectors.errors import AuthFailed, RateLimited, SourceUnavailable
from kith.connectors.pacing import Budget, backoff_delay, with_backoff
from kith.connectors.token_store import TokenStore


class FakeClock:
    def __init__(self) -> None:
        self.now = 0.0
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


def test_a_budget_spends_its_burst_at_once_then_paces_to_its_rate() -> None:
    clock = FakeClock()
    budget = Budget.per_minute(15_000, clock=clock, sleep=clock.sleep)  # Gmail's per-user quota
    for _ in range(300):  # 300 x 5 units: exactly the burst of a tenth of a minute
        budget.spend(5)
    assert clock.sleeps == []
    for _ in range(3_000):  # the next 15,000 units take one minute at 250 units a second
        budget.spend(5)
    assert clock.now == pytest.approx(60.0)
    assert budget.waited == pytest.approx(60.0)


def test_a_budget_refuses_a_spend_larger_than_its_burst() -> None:
    with pytest.raises(ValueError, match="cannot spend 20 units at once from a burst of 10"):
        Budget(1.0, 10.0).spend(20)


def test_backoff_grows_exponentially_up_to_the_cap() -> None:
    assert [backoff_delay(n, base=1.0, cap=10.0, rng=lambda: 1.0) for n in range(1, 7)] == [1, 2, 4, 8, 10, 10]
    assert backoff_delay(3, rng=lambda: 0.5) == 2.0  # full jitter: a uniform share of the delay


def test_with_backoff_retries_temporary_errors_and_honours_retry_after() -> None:
    outcomes: list[Exception | str] = [
        SourceUnavailable("503"),
        RateLimited("429", retry_after=30.0),
        "done",
    ]
    waits: list[tuple[float, str, int]] = []
    slept: list[float] = []

    def call() -> str:
        outcome = outcomes.pop(0)
        if isinstance(outcome, Exception):
            raise outcome
        return outcome

    result = with_backoff(
        call, what="messages.list", sleep=slept.append, rng=lambda: 1.0,
        on_wait=lambda seconds, error, attempt: waits.append((seconds, str(error), attempt)),
    )  # fmt: skip
    assert result == "done"
    assert waits == [(1.0, "503", 1), (30.0, "429", 2)]
    assert slept == [1.0, 30.0]


def test_with_backoff_gives_up_after_its_attempts_and_never_retries_a_refused_login() -> None:
    calls = []

    def down() -> None:
        calls.append(1)
        raise SourceUnavailable("server down")

    with pytest.raises(SourceUnavailable, match="server down"):
        with_backoff(down, what="get", attempts=3, sleep=lambda s: None)
    assert len(calls) == 3

    def refused() -> None:
        calls.append(2)
        raise AuthFailed("token revoked")

    with pytest.raises(AuthFailed):
        with_backoff(refused, what="get", sleep=lambda s: None)
    assert calls.count(2) == 1


def test_the_token_store_keeps_each_account_private_and_replaces_atomically(tmp_path: Path) -> None:
    store = TokenStore(tmp_path)
    assert store.read("work") is None
    path = store.write("work", '{"refresh_token": "first"}')
    store.write("work", '{"refresh_token": "second"}')
    assert path == tmp_path / "tokens" / "work.json"
    assert store.read("work") == '{"refresh_token": "second"}'
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    assert sorted(p.name for p in path.parent.iterdir()) == ["work.json"]  # no temporary left
    assert store.path("../../etc/passwd").parent == tmp_path / "tokens"
    assert store.forget("work") is True and store.read("work") is None and store.forget("work") is False
