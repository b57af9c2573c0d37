"""Helpers for the command-line tests: a KITH_HOME with one small mbox account, synced or not,
and `kith` run as a separate process the way a user runs it."""

from __future__ import annotations

import ctypes
import os
import subprocess
import sys
from pathlib import Path

# Two messages: Alice asks, the user answers. `write_config` lets a test change the sender's name.
MBOX = b"""From alice@example.org Mon Sep  1 09:00:00 2026
From: Alice Example <alice@example.org>
To: Me <me@example.com>
Date: Mon, 1 Sep 2026 09:00:00 +0000
Message-ID: <1@example.org>
Subject: Lunch?

Shall we?

From me@example.com Mon Sep  1 10:00:00 2026
From: Me <me@example.com>
To: Alice Example <alice@example.org>
Date: Mon, 1 Sep 2026 10:00:00 +0000
Message-ID: <2@example.com>
In-Reply-To: <1@example.org>
Subject: Re: Lunch?

Yes.
"""


def write_config(home: Path, mbox: bytes = MBOX) -> None:
    """kith.toml for one mbox account (`mbox` written beside it)."""
    (home / "mail.mbox").write_bytes(mbox)
    (home / "kith.toml").write_text(
        '[user]\nname = "Me"\naddresses = ["me@example.com"]\n\n'
        f'[[accounts]]\nname = "mail"\nkind = "mbox"\npath = "{home / "mail.mbox"}"\n'
    )


def sync_home(home: Path) -> None:
    """Load the account into the warehouse without Prefect (as the flows do)."""
    from kith.flows.syncing import sync_accounts
    from kith.models.settings import load_settings
    from kith.warehouse import open_warehouse

    settings = load_settings(home)
    with open_warehouse(settings.database) as wh:
        sync_accounts(wh.conn, settings)



KITH = Path(sys.executable).with_name("kith")


def _without_root_override() -> None:  # pragma: no cover - runs in the child before exec
    """Drop CAP_DAC_OVERRIDE and CAP_DAC_READ_SEARCH: as root, file modes then apply as to anyone."""
    libc = ctypes.CDLL(None, use_errno=True)
    for capability in (1, 2):
        if libc.prctl(24, capability, 0, 0, 0) != 0:  # PR_CAPBSET_DROP
            raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP)")


def run_kith(*args: str, env: dict[str, str] | None = None, timeout: float = 120) -> subprocess.CompletedProcess:
    """`kith ARGS` as its own process, where file modes hold even when the tests run as root."""
    full_env = {**os.environ, **(env or {})}
    full_env.pop("KITH_DEBUG", None)
    return subprocess.run(
        [str(KITH), *args],
        env=full_env,
        capture_output=True,
        text=True,
        timeout=timeout,
        preexec_fn=_without_root_override if os.geteuid() == 0 else None,
    )
