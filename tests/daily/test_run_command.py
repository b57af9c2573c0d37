"""`kith run` under Prefect's test harness, as a user sees it: a run that works prints its one
line and leaves only private files; a delivery that fails is one line, without Prefect's
tracebacks; a task Prefect will retry later says so."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from typer.testing import CliRunner

from .conftest import DAY, SmtpServer, free_port, write_settings


class RefusingInbox:
    """An SMTP server that knows no recipient: every RCPT gets 550 (a permanent refusal)."""

    envelopes: list = []

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # aiosmtpd hook
        return "550 5.1.1 no such mailbox here"


@pytest.fixture
def refusing_server():
    from .conftest import require_aiosmtpd

    require_aiosmtpd()
    server = SmtpServer("127.0.0.1", free_port(), RefusingInbox())
    server.start()
    yield server
    server.stop()


def modes(home: Path) -> dict[str, str]:
    return {
        str(path.relative_to(home)): oct(stat.S_IMODE(path.stat().st_mode))
        for path in sorted(home.rglob("*"))
    } | {".": oct(stat.S_IMODE(home.stat().st_mode))}


def test_a_daily_run_prints_one_line_and_keeps_every_file_private(prefect_harness, kith_home, network):
    from kith.flows.cli import app

    write_settings(kith_home, network, smtp=None)
    os.chmod(kith_home / "kith.toml", 0o644)  # as an editor might leave it
    previous = os.umask(0o022)
    try:
        result = CliRunner().invoke(app, ["run", "daily", "--date", DAY.isoformat()])
    finally:
        os.umask(previous)

    assert result.exit_code == 0, result.output
    assert len(result.output.splitlines()) == 1, result.output
    [line] = result.output.splitlines()
    assert line.startswith(f"Digest of {DAY}: ") and line.endswith(" item(s); sent (@example.org).")
    [outbox_file] = [p.name for p in (kith_home / "outbox").iterdir()]
    assert modes(kith_home) == {
        ".": "0o700",
        "digests": "0o700",
        f"digests/{DAY}.html": "0o600",
        f"digests/{DAY}.txt": "0o600",
        "kith.duckdb": "0o600",
        "kith.duckdb.lock": "0o600",
        "kith.toml": "0o600",
        "outbox": "0o700",
        f"outbox/{outbox_file}": "0o600",
    }


def test_a_failed_delivery_is_one_line_without_prefect_tracebacks(prefect_harness, kith_home, network, refusing_server, monkeypatch):
    from kith.flows import digest_flow
    from kith.flows.cli import app

    # Prefect would try the task again in 2 and 10 minutes; the line at the end is the subject here.
    monkeypatch.setattr(digest_flow, "deliver_task", digest_flow.deliver_task.with_options(retries=0))
    write_settings(kith_home, network, smtp={"host": refusing_server.host, "port": refusing_server.port, "security": "none", "from": "kith <kith@example.org>"})

    result = CliRunner().invoke(app, ["run", "daily", "--date", DAY.isoformat()])

    assert (result.exit_code, result.output) == (
        1,
        f"kith: the digest of {DAY} did not go out: SMTP server refused the message: "
        "{'***@example.org': (550, b'5.1.1 no such mailbox here')}\n",
    )


def test_a_task_prefect_retries_later_says_when(prefect_harness, capsys):
    from prefect import flow, task

    from kith.flows.terminal import quiet_prefect_console

    calls = []

    @task(task_run_name="deliver digest 2026-03-02", retries=2, retry_delay_seconds=[1, 0])
    def flaky() -> str:
        calls.append(1)
        if len(calls) < 3:
            raise ConnectionError("SMTP server smtp.example.com:587 unreachable")
        return "sent"

    @flow
    def deliver() -> str:
        return flaky()

    undo = quiet_prefect_console()
    try:
        assert deliver() == "sent"
    finally:
        undo()

    # Only kith's lines: a handler another test left on the root logger may add its own noise.
    assert [line for line in capsys.readouterr().err.splitlines() if line.startswith("kith:")] == [
        "kith: deliver digest 2026-03-02 failed (SMTP server smtp.example.com:587 unreachable); trying again in 1 s (retry 1 of 2)",
        "kith: deliver digest 2026-03-02 failed (SMTP server smtp.example.com:587 unreachable); trying again immediately (retry 2 of 2)",
    ]
