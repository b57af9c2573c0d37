"""What a test needs from the machine: skip on a laptop without it, fail in CI where it must be."""

from __future__ import annotations

import os

import pytest


def require(condition: bool, reason: str) -> None:
    """Skip when something the test needs is missing; fail instead when `CI` is set."""
    if condition:
        return
    if os.environ.get("CI"):
        pytest.fail(f"{reason} (CI is set, so this is a failure, not a skip)")
    pytest.skip(reason)


def real_clock_env() -> dict[str, str]:
    """This environment without libfaketime. When CI runs the suite with the clock shifted, the
    peers tests start (Dovecot, Chromium) keep the real clock: they are not what is being tested,
    and under libfaketime Dovecot's logins time out."""
    return {k: v for k, v in os.environ.items() if k != "LD_PRELOAD" and not k.startswith("FAKETIME")}
