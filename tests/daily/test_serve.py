"""What `kith serve` serves, read from kith.toml: the daily flow at digest.send_at, the sync every
30 minutes, the digest on each finished sync, and the report by mail on each period's first day
when `[report] every` is set."""

from __future__ import annotations

from datetime import time
from pathlib import Path

import pytest

from kith.models.settings import Settings


def settings(home: Path, every: str | None, send_at: time = time(7, 50)) -> Settings:
    return Settings(home=home, user={"name": "Zoë", "addresses": ["zoe@example.org"], "timezone": "Europe/Paris"},
                    digest={"send_at": send_at}, report={"every": every})


def schedules(deployment) -> list[tuple]:
    out = []
    for entry in deployment.schedules:
        schedule = entry.schedule
        out.append((getattr(schedule, "cron", None), getattr(schedule, "interval", None) and schedule.interval.total_seconds(),
                    schedule.timezone))
    return out


@pytest.mark.parametrize(("every", "cron"), [("day", "5 8 * * *"), ("week", "5 8 * * 1"), ("month", "5 8 1 * *")])
def test_serve_adds_the_report_on_each_period_s_first_day(tmp_path, every, cron):
    from kith.flows.commands_daily import served_deployments

    deployments = {d.name: d for d in served_deployments(settings(tmp_path, every))}

    assert list(deployments) == ["kith-daily", "kith-sync", "kith-digest", "kith-report"]
    assert schedules(deployments["kith-daily"]) == [("50 7 * * *", None, "Europe/Paris")]
    assert schedules(deployments["kith-sync"]) == [(None, 1800.0, "Europe/Paris")]
    assert schedules(deployments["kith-report"]) == [(cron, None, "Europe/Paris")]  # 15 minutes after the digest
    assert deployments["kith-report"].entrypoint.endswith("report_flow.py:report_flow")


def test_serve_without_report_every_serves_no_report(tmp_path):
    from kith.flows.commands_daily import served_deployments

    assert [d.name for d in served_deployments(settings(tmp_path, None))] == ["kith-daily", "kith-sync", "kith-digest"]


def test_a_report_after_a_late_digest_stays_on_the_digest_s_day(tmp_path):
    """15 minutes after 23:50 is the next day: a weekly report at 00:05 on Monday would come
    before Monday's digest (the cron's day is the period's first)."""
    from kith.flows.commands_daily import report_cron

    assert report_cron(settings(tmp_path, "week", time(23, 50))) == "59 23 * * 1"
    assert report_cron(settings(tmp_path, "week", time(23, 40))) == "55 23 * * 1"
