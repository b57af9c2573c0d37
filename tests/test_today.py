"""One "today": the day in the user's time zone (the digest's own zone when one is set), the same
for the digest kith builds by default and for `kith snooze --for`. The two zones here are 25 hours
apart, so their dates differ whenever the test runs."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from typer.testing import CliRunner

from kith.flows.cli import app
from kith.flows.digest_flow import parse_day
from kith.flows.syncing import sync_accounts
from kith.models.settings import load_settings
from kith.warehouse import open_warehouse

ME = "me@example.com"
DIGEST_ZONE = ZoneInfo("Pacific/Kiritimati")  # UTC+14


def test_snooze_for_and_the_digest_count_from_the_same_today(kith_home: Path) -> None:
    mbox = kith_home / "mail.mbox"
    mbox.write_text(
        "From x@y Mon Nov 2 10:00:00 2026\nMessage-ID: <1@t>\nDate: Mon, 2 Nov 2026 10:00:00 +0000\n"
        f"From: Ann Lee <ann.lee@acme.example>\nTo: {ME}\nSubject: Hello\n\nHi.\n\n",
        encoding="utf-8",
    )
    (kith_home / "kith.toml").write_text(
        f'[user]\nname = "Me"\naddresses = ["{ME}"]\ntimezone = "Pacific/Pago_Pago"\n\n'  # UTC-11
        f'[digest]\ntimezone = "Pacific/Kiritimati"\n\n'
        f'[[accounts]]\nname = "mail"\nkind = "mbox"\npath = "{mbox}"\n',
        encoding="utf-8",
    )
    settings = load_settings(kith_home)
    with open_warehouse(settings.database) as wh:
        sync_accounts(wh.conn, settings)
    result = CliRunner().invoke(app, ["snooze", "ann.lee@acme.example", "--for", "2w"])
    assert result.exit_code == 0, result.output
    today = datetime.now(DIGEST_ZONE).date()
    with open_warehouse(settings.database, read_only=True) as wh:
        assert wh.query("SELECT address, snoozed_until FROM person_overrides") == [
            ("ann.lee@acme.example", today + timedelta(days=14))
        ]
    assert parse_day(None, settings) == today
