"""Fixtures for the command-line tests (helpers in homes.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from homes import sync_home, write_config


@pytest.fixture
def synced_home(kith_home: Path) -> Path:
    write_config(kith_home)
    sync_home(kith_home)
    return kith_home
