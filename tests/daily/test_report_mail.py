"""The report by mail (`[report] every`): the report flow under Prefect's test harness sends the
network report to a real SMTP server on loopback once per period (a second run in the same week
sends nothing, the next week sends again), as readings in the body and the page attached."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from markupsafe import escape

from kith.digests.delivery import message_id_for
from kith.digests.report_mail import period_start

from .conftest import DAY, write_settings

SMTP = {"security": "none", "from": "kith <kith@example.org>"}


@pytest.fixture
def home(kith_home, network, smtp_server):
    write_settings(kith_home, network, smtp={"host": smtp_server.host, "port": smtp_server.port, **SMTP},
                   extra='\n[report]\nevery = "week"\n')
    return kith_home


def test_periods_start_on_the_day_the_monday_and_the_first():
    days = [date(2026, 3, 1), date(2026, 3, 2), date(2026, 3, 8), date(2026, 12, 31)]  # Sun, Mon, Sun, Thu
    assert [period_start(d, "day") for d in days] == days
    assert [period_start(d, "week") for d in days] == [date(2026, 2, 23), date(2026, 3, 2), date(2026, 3, 2), date(2026, 12, 28)]
    assert [period_start(d, "month") for d in days] == [date(2026, 3, 1), date(2026, 3, 1), date(2026, 3, 1), date(2026, 12, 1)]


def test_the_report_goes_out_once_a_week(prefect_harness, home, smtp_server, recorded_events):
    from kith.digests.report import build_report
    from kith.flows.report_flow import report_flow
    from kith.flows.sync_flow import sync_flow
    from kith.warehouse import open_warehouse

    assert DAY.weekday() == 0  # a Monday: DAY and DAY + 2 share a week, DAY + 7 starts the next
    sync_flow()
    first = report_flow(day=DAY.isoformat())
    again = report_flow(day=(DAY + timedelta(days=2)).isoformat())
    next_week = report_flow(day=(DAY + timedelta(days=7)).isoformat())

    sent = {"recipient_domain": "example.org", "status": "sent", "attempts": 1}
    assert [r["status"] for r in (first, again, next_week)] == ["delivered", "already_sent", "delivered"]
    assert first["deliveries"] == next_week["deliveries"] == [sent] and again["deliveries"] == []
    assert [r["period_start"] for r in (first, again, next_week)] == [DAY.isoformat(), DAY.isoformat(), (DAY + timedelta(days=7)).isoformat()]

    one, two = smtp_server.inbox.messages
    assert [m["Subject"] for m in (one, two)] == ["kith: your network, the week of 2 March 2026",
                                                  "kith: your network, the week of 9 March 2026"]
    assert [m["Message-ID"] for m in (one, two)] == [message_id_for(DAY, "reader@example.org", "report"),
                                                     message_id_for(DAY + timedelta(days=7), "reader@example.org", "report")]
    assert one.get_content_type() == "multipart/mixed"
    alternative, attached = one.iter_parts()
    assert [p.get_content_type() for p in alternative.iter_parts()] == ["text/plain", "text/html"]
    assert (attached.get_content_type(), attached.get_filename()) == ("text/html", f"kith-report-{DAY}.html")
    page = (home / "reports" / f"{DAY}.html").read_text(encoding="utf-8")
    assert attached.get_content() == page  # the whole self-contained report, as `kith report` writes it

    # The body: the period, then every chart's own one-line reading, then where the charts are.
    with open_warehouse(home / "kith.duckdb", read_only=True) as wh:
        report = build_report(wh.conn, DAY)
    assert len(report.charts) == 9
    assert one.get_body(("plain",)).get_content() == "\n".join([
        f"Your network, the week of 2 March 2026 ({DAY - timedelta(days=364)} to {DAY}).",
        "",
        *(f"- {chart.title}: {chart.reading}" for chart in report.charts),
        "",
        f"The report with its charts is attached (kith-report-{DAY}.html); it opens in any browser, offline.",
    ]) + "\n"
    html = one.get_body(("html",)).get_content()
    assert "<svg" not in html and "<img" not in html and "http" not in html  # nothing a client must fetch or may drop
    for chart in report.charts:
        assert f"<div>{escape(chart.reading)}</div>" in html

    with open_warehouse(home / "kith.duckdb", read_only=True) as wh:
        rows = wh.conn.execute(
            "SELECT period_start, recipient, method, status, attempts, last_error, message_id "
            "FROM report_deliveries ORDER BY period_start").fetchall()
    assert rows == [(DAY, "reader@example.org", "smtp", "sent", 1, None, one["Message-ID"]),
                    (DAY + timedelta(days=7), "reader@example.org", "smtp", "sent", 1, None, two["Message-ID"])]
    # By hand, as a user would: one line, and nothing sent twice.
    from typer.testing import CliRunner

    from kith.flows.cli import app

    by_hand = CliRunner().invoke(app, ["run", "report", "--date", (DAY + timedelta(days=8)).isoformat()])
    assert (by_hand.exit_code, by_hand.output) == (
        0, f"Report of {DAY + timedelta(days=8)}: this week's report (from {DAY + timedelta(days=7)}) has gone out already.\n")
    assert len(smtp_server.inbox.envelopes) == 2

    reported = [(e.event, e.resource.id, e.payload) for e in recorded_events() if e.event.startswith("kith.report.")]
    assert reported == [
        ("kith.report.sent", f"kith.report.{start}",
         {"every": "week", "period_start": start.isoformat(), "recipient_domain": "example.org", "method": "smtp", "attempts": 1})
        for start in (DAY, DAY + timedelta(days=7))
    ]


def test_without_every_the_report_flow_sends_nothing(prefect_harness, kith_home, network, smtp_server):
    from kith.flows.report_flow import report_flow

    write_settings(kith_home, network, smtp={"host": smtp_server.host, "port": smtp_server.port, **SMTP})
    result = report_flow(day=DAY.isoformat())

    assert result == {"day": DAY.isoformat(), "status": "off", "deliveries": []}
    assert smtp_server.inbox.envelopes == []
