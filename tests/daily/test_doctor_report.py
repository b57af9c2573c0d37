"""`kith doctor` on the report by mail: with `[report] every` set it says, one line each, when
nobody would get the report, when it would only be written to the outbox, and when the
`kith-report` deployment on the Prefect server is missing, paused, stale (`kith serve` started
before `every` changed) or not running, each with its fix. The server is Prefect's own test
harness; the deployment is made as `kith serve` makes it."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from typer.testing import CliRunner

from kith.flows.cli import app
from kith.models.settings import Settings, load_settings

from .conftest import free_port

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=ZoneInfo("Europe/Paris"))  # a Monday


def write_config(home, every: str, smtp_port: int) -> None:
    (home / "mail.mbox").write_bytes(b"")
    (home / "kith.toml").write_text(
        f"""[user]
name = "Zoë"
addresses = ["zoe@example.org"]
timezone = "Europe/Paris"

[[accounts]]
name = "archive"
kind = "mbox"
path = "{home / 'mail.mbox'}"

[digest]
method = "smtp"
to = ["zoe@example.org"]
send_at = 07:00:00

[digest.smtp]
host = "127.0.0.1"
port = {smtp_port}
security = "none"
from = "kith@example.org"

[report]
every = "{every}"
""",
        encoding="utf-8",
    )


@pytest.fixture
def pinned_now(monkeypatch):
    monkeypatch.setattr(Settings, "now", lambda self: NOW.astimezone(self.zone))


@pytest.fixture
def report_server(prefect_harness, pinned_now):
    """The harness's server, left without a kith-report deployment after each test."""
    yield
    from prefect.client.orchestration import get_client
    from prefect.exceptions import ObjectNotFound

    with get_client(sync_client=True) as client:
        try:
            client.delete_deployment(client.read_deployment_by_name("kith-report/kith-report").id)
        except ObjectNotFound:
            pass


def serve_report(home) -> None:
    """Register kith-report as `kith serve` would with the kith.toml now in `home` (nothing runs it)."""
    from kith.flows.commands_daily import served_deployments

    [report] = [d for d in served_deployments(load_settings(home)) if d.name == "kith-report"]
    report.apply()


def doctor() -> tuple[int, list[str]]:
    result = CliRunner().invoke(app, ["doctor"])
    return result.exit_code, result.output.splitlines()


def test_doctor_says_when_the_report_has_nobody_to_go_to_and_no_way_to_be_mailed(kith_home, pinned_now):
    from prefect.settings import PREFECT_API_URL, temporary_settings

    (kith_home / "mail.mbox").write_bytes(b"")
    (kith_home / "kith.toml").write_text(
        f'[user]\nname = "Zoë"\n\n[[accounts]]\nname = "archive"\nkind = "mbox"\npath = "{kith_home / "mail.mbox"}"\n\n'
        '[report]\nevery = "week"\n',
        encoding="utf-8",
    )
    with temporary_settings(updates={PREFECT_API_URL: None}):  # no server: `kith serve` reads kith.toml itself
        code, lines = doctor()

    assert (code, lines) == (1, [
        f"problem: [user] addresses is empty in {kith_home / 'kith.toml'}: list every address you write from, "
        "or your own mail will look like other people's",
        'problem: report: [report] every is "week" but there is nobody to mail it to; set digest.to (or [user] '
        "addresses) in kith.toml",
        f'problem: report: [report] every is "week" but digest.method is "file", so the report is only written to '
        f"{kith_home / 'outbox'}, never mailed; set digest.method to smtp, gmail or graph (README: The report by mail), "
        "or remove [report] every",
    ])


def test_doctor_says_when_the_prefect_server_has_no_kith_report(kith_home, smtp_server, report_server):
    write_config(kith_home, "week", smtp_server.port)

    assert doctor() == (1, [
        'problem: report: [report] every is "week" but the Prefect server has no kith-report deployment, so no report '
        "will go out; run `prefect deploy --all` (prefect.yaml) or `kith serve`",
    ])


def test_doctor_says_when_kith_serve_runs_the_report_on_an_old_every(kith_home, smtp_server, report_server):
    write_config(kith_home, "week", smtp_server.port)
    serve_report(kith_home)  # `kith serve` started with every = "week": Mondays at 07:15
    week = doctor()
    write_config(kith_home, "day", smtp_server.port)  # then every became "day"
    day = doctor()

    not_running = "problem: report: nothing is running the kith-report deployment right now; start `kith serve`"
    assert week == (1, [not_running])
    assert day == (1, [
        'problem: report: [report] every is "day" but kith-report runs on cron "15 7 * * 1" (Europe/Paris), not once '
        "every day (none on Tuesday 24 November 2026), so some reports would never go out; restart `kith serve` so "
        "that it reads kith.toml again",
        not_running,
    ])


def test_doctor_says_when_the_report_schedule_is_paused(kith_home, smtp_server, report_server):
    from prefect.client.orchestration import get_client

    write_config(kith_home, "month", smtp_server.port)
    serve_report(kith_home)
    with get_client(sync_client=True) as client:
        deployment = client.read_deployment_by_name("kith-report/kith-report")
        client.update_deployment_schedule(deployment.id, deployment.schedules[0].id, active=False)

    assert doctor() == (1, [
        "problem: report: the kith-report deployment is paused or has no active schedule, so no report will go out; "
        "resume it (Prefect UI: Deployments > kith-report, or `prefect deployment schedule resume "
        "kith-report/kith-report <schedule id>`)",
    ])


def test_doctor_says_when_the_prefect_server_is_unreachable(kith_home, smtp_server, pinned_now):
    from prefect.settings import PREFECT_API_URL, temporary_settings

    write_config(kith_home, "week", smtp_server.port)
    with temporary_settings(updates={PREFECT_API_URL: f"http://127.0.0.1:{free_port()}/api"}):  # nothing listens
        code, lines = doctor()

    assert (code, lines) == (1, [
        "problem: report: the Prefect server PREFECT_API_URL names is unreachable (Connection refused), so the "
        "kith-report schedule cannot be checked; start it (`prefect server start`) or fix PREFECT_API_URL",
    ])


def test_doctor_says_when_the_deployed_report_runs_too_rarely(kith_home, smtp_server, report_server):
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.actions import WorkPoolCreate
    from prefect.exceptions import ObjectAlreadyExists
    from prefect.schedules import Cron

    from kith.flows.report_flow import report_flow

    write_config(kith_home, "week", smtp_server.port)
    with get_client(sync_client=True) as client:
        try:
            client.create_work_pool(WorkPoolCreate(name="kith-pool", type="process"))
        except ObjectAlreadyExists:
            pass
    # prefect.yaml's cron edited to the 1st of each month, deployed to kith-pool; no worker started
    report_flow.to_deployment(name="kith-report", schedule=Cron("15 7 1 * *", timezone="Europe/Paris")).apply(
        work_pool_name="kith-pool")

    assert doctor() == (1, [  # the week of 30 November holds 1 December; the next one has no 1st
        'problem: report: [report] every is "week" but kith-report runs on cron "15 7 1 * *" (Europe/Paris), not once '
        "every week (none in the week of 7 December 2026), so some reports would never go out; change its schedule in "
        "prefect.yaml (the after_the_digest cron) and run `prefect deploy --all` again",
        "problem: report: nothing is running the kith-report deployment right now; start a worker "
        "(`prefect worker start --pool kith-pool`)",
    ])
