"""Shared fixtures: the real corpora beside the project, and settings in a temporary KITH_HOME."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from needs import require

ROOT = Path(__file__).resolve().parents[1]
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
# Prefect's temporary server gets 20 s to start; on a busy 2-core machine that is not always enough.
os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "90")


@pytest.fixture(scope="session")
def corpora() -> Path:
    path = Path(os.environ.get("KITH_CORPORA", ROOT.parent / "shared" / "corpora"))
    require(path.is_dir(), f"the shared corpora are not at {path}; set KITH_CORPORA")
    return path


@pytest.fixture
def kith_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "kith-home"
    home.mkdir()
    monkeypatch.setenv("KITH_HOME", str(home))
    for variable in ("KITH_DB", "KITH_USER_ADDRESSES", "KITH_TIMEZONE", "KITH_PRIVACY", "KITH_DIGEST_TO"):
        monkeypatch.delenv(variable, raising=False)
    return home


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A 2 MiB file system of its own (tmpfs), to fill for real. Mounting needs root."""
    folder = tmp_path / "small-disk"
    folder.mkdir()
    try:
        mounted = subprocess.run(
            ["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", str(folder)], capture_output=True, text=True
        )
        refusal = (mounted.stderr.strip() or f"mount exited {mounted.returncode}") if mounted.returncode else ""
    except FileNotFoundError:
        refusal = "no mount command"
    require(not refusal, f"cannot mount a 2 MiB tmpfs to fill ({refusal}); run the tests as root")
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=False)
