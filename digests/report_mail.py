"""The report by mail (`[report] every = "day" | "week" | "month"` in kith.toml), once per period.

Mail clients show inline SVG poorly or not at all (Gmail and Outlook drop it), so the mail is

    multipart/mixed
    ├── multipart/alternative
    │   ├── text/plain   the one-line readings, one per chart
    │   └── text/html    the same readings as a short list (inline styles, no images)
    └── text/html        attachment kith-report-<day>.html: the whole self-contained report

and the attachment opens offline in any browser. It goes through the digest's delivery (the
same senders, recipients and exactly-once protocol: digests/delivery.py) with its own ledger,
`report_deliveries`, keyed by the period's first day: a second run in the same period sends nothing.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from datetime import date, datetime, timedelta, timezone
from email.message import EmailMessage

import duckdb

from kith.digests.delivery import (
    DEFAULT_BACKOFF,
    Delivery,
    Sender,
    deliver_once,
    digest_recipients,
    message_id_for,
    new_message,
    sender_address,
)
from kith.digests.report import Report
from kith.models.settings import Settings

LEDGER = "report"


def period_start(day: date, every: str) -> date:
    """The first day of the period holding `day`: the day itself, its week's Monday, or its month's 1st."""
    if every == "day":
        return day
    if every == "week":
        return day - timedelta(days=day.weekday())
    if every == "month":
        return day.replace(day=1)
    raise ValueError(f"report.every is {every!r}; use 'day', 'week' or 'month'")


def next_period_start(start: date, every: str) -> date:
    """The first day of the period after the one starting `start` (a `period_start`)."""
    if every == "day":
        return start + timedelta(days=1)
    if every == "week":
        return start + timedelta(days=7)
    return (start.replace(day=28) + timedelta(days=4)).replace(day=1)


def period_words(start: date, every: str) -> str:
    """The period in words: "Monday 16 November 2026", "the week of 16 November 2026", "November 2026"."""
    if every == "day":
        return f"{start:%A} {start.day} {start:%B %Y}"
    if every == "week":
        return f"the week of {start.day} {start:%B %Y}"
    return f"{start:%B %Y}"


def report_subject(start: date, every: str) -> str:
    """The subject line of the report mail of the period starting `start`."""
    return f"kith: your network, {period_words(start, every)}"


def attachment_name(report: Report) -> str:
    """The attached page's file name."""
    return f"kith-report-{report.today.isoformat()}.html"


def mail_text(report: Report, start: date, every: str) -> str:
    """The plain-text body: the period, then each chart's title and reading."""
    lines = [f"Your network, {period_words(start, every)} ({report.since.isoformat()} to {report.today.isoformat()}).", ""]
    for chart in report.charts:
        lines.append(f"- {chart.title}: {chart.reading}")
    lines += ["", f"The report with its charts is attached ({attachment_name(report)}); it opens in any browser, offline."]
    return "\n".join(lines) + "\n"


def mail_html(report: Report, start: date, every: str) -> str:
    """The HTML body: the same readings as a short list, inline styles only, nothing to load."""
    from kith.digests.render import template_env

    return template_env().get_template("report_mail.html").render(
        report=report, period=period_words(start, every), attachment=attachment_name(report))


def compose_report_email(
    report: Report,
    page: str,
    every: str,
    sender: str,
    recipient: str,
    *,
    now: datetime | None = None,
) -> EmailMessage:
    """The report mail of the period holding `report.today`: readings as text and HTML, the page attached."""
    start = period_start(report.today, every)
    message = new_message(report_subject(start, every), sender, recipient, message_id_for(start, recipient, LEDGER),
                          now=now)
    message["X-Kith-Report-Period"] = f"{every} {start.isoformat()}"
    message.set_content(mail_text(report, start, every), charset="utf-8", cte="quoted-printable")
    message.add_alternative(mail_html(report, start, every), subtype="html", charset="utf-8", cte="quoted-printable")
    # base64: the page's SVG lines run long, and a charset so that clients read its names as UTF-8
    message.add_attachment(page, subtype="html", charset="utf-8", cte="base64", filename=attachment_name(report))
    return message


def deliver_report(
    conn: duckdb.DuckDBPyConnection,
    report: Report,
    page: str,
    settings: Settings,
    sender: Sender,
    *,
    now: Callable[[], datetime] = lambda: datetime.now(timezone.utc),
    max_attempts: int = 3,
    backoff: Sequence[float] = DEFAULT_BACKOFF,
    sleep: Callable[[float], None] = time.sleep,
) -> list[Delivery]:
    """Send the report (`page`, rendered from `report`) to every digest recipient that has not had
    this period's report yet (`settings.report.every` sets the period)."""
    every = settings.report.every
    if every is None:
        raise ValueError("report.every is not set; add [report] every = \"week\" to kith.toml")
    start = period_start(report.today, every)

    def compose(display: str) -> EmailMessage:
        return compose_report_email(report, page, every, sender_address(settings), display, now=now())

    return deliver_once(conn, LEDGER, start, digest_recipients(settings), sender, compose, now=now,
                        max_attempts=max_attempts, backoff=backoff, sleep=sleep)
