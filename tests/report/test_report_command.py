"""`kith report`: writes one page where asked, private to the user; a bad --since is one line."""

from __future__ import annotations

import shutil
import stat
from datetime import timedelta
from pathlib import Path

from typer.testing import CliRunner

from kith.flows.cli import app
from kith.flows.commands_report import report_file, write_report


def test_the_report_is_written_where_asked_and_readable_only_by_the_user(network, today, tmp_path: Path,
                                                                         monkeypatch) -> None:
    conn, settings = network
    # The report opens the warehouse read-only, as beside a running sync: a copy of the test's file.
    conn.execute("CHECKPOINT")
    shutil.copy(conn.execute("SELECT path FROM duckdb_databases() WHERE NOT internal").fetchone()[0],
                tmp_path / "kith.duckdb")
    monkeypatch.setenv("KITH_DB", str(tmp_path / "kith.duckdb"))
    since = today - timedelta(days=90)
    path = write_report(settings, today, since, tmp_path / "out" / "network.html")
    assert path == tmp_path / "out" / "network.html"
    page = path.read_text(encoding="utf-8")
    assert f"<title>Your network, {since.isoformat()} to {today.isoformat()}</title>" in page
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert report_file(settings, today) == settings.home / "reports" / "2026-11-20.html"


def test_a_bad_since_says_what_to_write(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["report", "--since", "last spring"], env={"KITH_HOME": str(tmp_path)})
    assert result.exit_code == 2
    words = " ".join(result.output.replace("│", " ").split())
    assert "Invalid value for --since: 'last spring' is not a date; write it as YYYY-MM-DD" in words
