"""Everything kith keeps under KITH_HOME is the user's alone: folders 0700, files 0600, whatever
the umask, and a home made before (or by another process) is narrowed when kith starts."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from typer.testing import CliRunner

from kith.flows.cli import app

from homes import sync_home, write_config


@contextmanager
def umask(mask: int) -> Iterator[None]:
    previous = os.umask(mask)
    try:
        yield
    finally:
        os.umask(previous)


# A home with one mbox account, synced: what every test below expects at least.
SYNCED_HOME = {".": "0o700", "kith.duckdb": "0o600", "kith.duckdb.lock": "0o600", "kith.toml": "0o600", "mail.mbox": "0o600"}


def modes(home: Path) -> dict[str, str]:
    """Relative path -> octal permission bits, for the home and everything in it."""
    found = {".": oct(stat.S_IMODE(home.stat().st_mode))}
    for path in sorted(home.rglob("*")):
        if not path.is_symlink():
            found[str(path.relative_to(home))] = oct(stat.S_IMODE(path.stat().st_mode))
    return found


def test_init_creates_a_private_home_whatever_the_umask(tmp_path: Path, monkeypatch) -> None:
    home = tmp_path / "new" / "kith"
    monkeypatch.setenv("KITH_HOME", str(home))
    with umask(0o022):
        result = CliRunner().invoke(app, ["init", "--name", "Zoë", "--address", "zoe@example.org", "--timezone", "UTC", "--non-interactive"])
        assert os.umask(0o022) == 0o022  # the command put the test's umask back
    assert result.exit_code == 0, result.output
    assert modes(home) == {".": "0o700", "kith.toml": "0o600"}
    assert oct(stat.S_IMODE((tmp_path / "new").stat().st_mode)) == "0o700"  # made for KITH_HOME, so private too


def test_a_home_made_world_readable_is_narrowed_when_kith_starts(kith_home: Path, tmp_path: Path) -> None:
    write_config(kith_home)
    sync_home(kith_home)
    (kith_home / "digests").mkdir()
    (kith_home / "digests" / "2026-09-01.txt").write_text("old digest")
    for path in [kith_home, *kith_home.rglob("*")]:  # as a home made before this rule
        os.chmod(path, 0o755 if path.is_dir() else 0o644)
    outside = tmp_path / "shared.txt"
    outside.write_text("not kith's")
    os.chmod(outside, 0o644)
    (kith_home / "link-to-shared").symlink_to(outside)

    result = CliRunner().invoke(app, ["people"])

    assert result.exit_code == 0, result.output
    assert modes(kith_home) == SYNCED_HOME | {"digests": "0o700", "digests/2026-09-01.txt": "0o600"}
    assert oct(stat.S_IMODE(outside.stat().st_mode)) == "0o644"  # a link is not followed out of the home


def test_a_read_only_home_stays_read_only(kith_home: Path) -> None:
    write_config(kith_home)
    os.chmod(kith_home / "kith.toml", 0o444)
    os.chmod(kith_home, 0o555)
    try:
        CliRunner().invoke(app, ["people"])
        assert modes(kith_home) == {".": "0o500", "kith.toml": "0o400", "mail.mbox": "0o600"}
    finally:
        os.chmod(kith_home, 0o700)


def test_digest_files_and_the_warehouse_are_private(synced_home: Path) -> None:
    with umask(0o022):
        result = CliRunner().invoke(app, ["digest", "--date", "2026-09-20"])
    assert result.exit_code == 0, result.output
    assert modes(synced_home) == SYNCED_HOME | {
        "digests": "0o700",
        "digests/2026-09-20.html": "0o600",
        "digests/2026-09-20.txt": "0o600",
    }
