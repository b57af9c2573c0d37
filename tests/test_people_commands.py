"""flows/commands_people.py and warehouse/overrides.py: searching people, showing one, and the
user data (mute, pin, snooze, merge, split) that must survive a resync of the same mailbox."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kith.flows.cli import app
from kith.flows.commands_people import parse_days
from kith.models.settings import load_settings
from kith.warehouse import open_warehouse
from kith.warehouse.overrides import AmbiguousPerson, PersonNotFound, find_person

ME = "me@example.com"
NOW = datetime.now().replace(microsecond=0, second=0, minute=0)


def message(n: int, sender: str, to: str, subject: str, days_ago: int) -> str:
    sent = NOW - timedelta(days=days_ago)
    return (
        f"From x@y {sent:%a %b %d %H:%M:%S %Y}\n"
        f"Message-ID: <m{n}@test>\n"
        f"Date: {format_datetime(sent.astimezone())}\n"
        f"From: {sender}\n"
        f"To: {to}\n"
        f"Subject: {subject}\n"
        "\n"
        "Hello.\n"
        "\n"
    )


# (sender, recipient, subject, days ago). Alex Kim writes from two addresses that the name proves
# (grouped automatically); Dana Lee's two addresses are not provably one person (merged by hand).
MAIL = [
    ("Alex Kim <alex.kim@acme.com>", f"Me <{ME}>", "Lunch next week?", 60),
    (f"Me <{ME}>", "Alex Kim <alex.kim@acme.com>", "Re: Lunch next week?", 59),
    ("Alex Kim <alex.kim@acme.com>", f"Me <{ME}>", "Photos", 58),  # the address used most: primary
    ("Alex Kim <akim@other.org>", f"Me <{ME}>", "From my other address", 30),
    (f"Me <{ME}>", "Alex Kim <akim@other.org>", "Re: From my other address", 29),
    ("Dana Lee <dana@lee.io>", f"Me <{ME}>", "Conference talk", 40),
    (f"Me <{ME}>", "Dana Lee <dana@lee.io>", "Re: Conference talk", 39),
    ("D. Lee <dlee@work.com>", f"Me <{ME}>", "Slides", 20),
    ("Sam Park <sam@park.dev>", f"Me <{ME}>", "Intro", 50),
    (f"Me <{ME}>", "Sam Park <sam@park.dev>", "Re: Intro", 49),
    ("Sam Porter <sporter@example.net>", f"Me <{ME}>", "Question", 10),
    (f"Me <{ME}>", "Sam Porter <sporter@example.net>", "Re: Question", 9),
]


@pytest.fixture
def home(kith_home: Path) -> Path:
    """KITH_HOME with settings for one mbox account, synced once."""
    mbox = kith_home / "mail.mbox"
    mbox.write_text("".join(message(n, *row) for n, row in enumerate(MAIL)), encoding="utf-8")
    (kith_home / "kith.toml").write_text(
        f'[user]\nname = "Me"\naddresses = ["{ME}"]\n\n'
        f'[[accounts]]\nname = "mail"\nkind = "mbox"\npath = "{mbox}"\n',
        encoding="utf-8",
    )
    resync(kith_home)
    return kith_home


def resync(home: Path, *, full: bool = True) -> None:
    """Sync the mailbox again; `full` forgets the cursors first so every message is reloaded."""
    from kith.flows.syncing import sync_accounts

    settings = load_settings(home)
    with open_warehouse(settings.database) as wh:
        if full:
            wh.conn.execute("DELETE FROM sync_state")
        sync_accounts(wh.conn, settings)


def kith(*args: str) -> str:
    result = CliRunner().invoke(app, list(args), env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    return result.output


def person_of(home: Path, address: str) -> tuple[str, list[str]]:
    """(display name, sorted addresses) of the person holding `address`."""
    with open_warehouse(load_settings(home).database, read_only=True) as wh:
        return wh.query(
            "SELECT p.display_name, list(i.address ORDER BY i.address) FROM identities i "
            "JOIN people p USING (person_id) WHERE person_id = "
            "(SELECT person_id FROM identities WHERE address = ?) GROUP BY ALL",
            [address],
        )[0]


def overrides(home: Path) -> list[tuple]:
    with open_warehouse(load_settings(home).database, read_only=True) as wh:
        return wh.query("SELECT address, muted, cadence_days, snoozed_until FROM person_overrides ORDER BY address")


def test_parse_days() -> None:
    assert [parse_days(t) for t in ("30d", "2w", "3m", "7", "1 week")] == [30, 14, 90, 7, 7]
    with pytest.raises(Exception, match="30d, 2w or 3m"):
        parse_days("soon")


def test_people_lists_contacts_and_searches_by_name_or_address(home: Path) -> None:
    everyone = kith("people")
    for name in ("Alex Kim", "Dana Lee", "Sam Park", "Sam Porter"):
        assert name in everyone
    assert ME not in everyone
    assert "akim@other.org" not in kith("people")  # Alex's primary address is the other one
    found = kith("people", "SAM")
    assert "Sam Park" in found and "Sam Porter" in found and "Alex" not in found
    by_address = kith("people", "other.ORG")  # any address of the person, not only the primary
    assert "Alex Kim" in by_address and "Sam" not in by_address
    assert "No one matches 'nobody'." in kith("people", "nobody")


def test_person_shows_addresses_figures_and_history(home: Path) -> None:
    out = kith("person", "alex kim")
    lines = out.splitlines()
    assert lines[0] == "Alex Kim <alex.kim@acme.com>"
    assert lines[1] == "Addresses: akim@other.org (name), alex.kim@acme.com (name)"
    assert lines[2] == "Overrides: none"
    # Two contact episodes (days 60-58 and 30-29 ago): one gap of 30 days, the rhythm the digest reads too.
    assert lines[4].startswith("Days with contact 5; typical gap 30 days; strength ")
    assert lines[5] == "Mail sent 2, received 3; meetings 0"
    assert lines[6] == "Last 5 interactions:"
    assert [line.split("  ", 2)[-1] for line in lines[7:]] == [
        "email sent  Re: From my other address",
        "email received  From my other address",
        "email received  Photos",
        "email sent  Re: Lunch next week?",
        "email received  Lunch next week?",
    ]
    assert kith("person", "AKIM@other.org").splitlines()[0] == "Alex Kim <alex.kim@acme.com>"


def test_unknown_and_ambiguous_people_are_one_line_errors(home: Path) -> None:
    result = CliRunner().invoke(app, ["person", "Sam"])
    assert result.exit_code == 1
    message = " ".join(result.output.split())  # the CLI's error console wraps at its own width
    assert message == (
        "kith: 'Sam' could be 2 people: Sam Park <sam@park.dev>; Sam Porter <sporter@example.net>; "
        "name one by address"
    )
    result = CliRunner().invoke(app, ["mute", "nobody@nowhere.org"])
    assert result.exit_code == 1 and "no one has the address 'nobody@nowhere.org'" in result.output
    with open_warehouse(load_settings(home).database, read_only=True) as wh:
        with pytest.raises(AmbiguousPerson):
            find_person(wh.conn, "sam")
        with pytest.raises(PersonNotFound):
            find_person(wh.conn, "Zed")
        assert find_person(wh.conn, "Sam Park").primary_address == "sam@park.dev"  # exact beats partial


def test_mute_pin_snooze_survive_a_resync(home: Path) -> None:
    assert kith("mute", "Sam Park") == "Muted Sam Park <sam@park.dev>.\n"
    assert kith("pin", "Alex Kim", "--every", "2w") == "Pinned Alex Kim <alex.kim@acme.com>: every 14 days.\n"
    assert kith("snooze", "sporter@example.net", "--until", "2031-01-31") == (
        "Snoozed Sam Porter <sporter@example.net> until 2031-01-31.\n"
    )
    expected = [
        ("alex.kim@acme.com", False, 14, None),
        ("sam@park.dev", True, None, None),
        ("sporter@example.net", False, None, date(2031, 1, 31)),
    ]
    assert overrides(home) == expected
    resync(home)
    assert overrides(home) == expected
    assert "Overrides: every 14 d" in kith("person", "akim@other.org")
    listing = kith("people", "sam")
    assert "muted" in listing and "snoozed to 2031-01-31" in listing
    kith("mute", "sam@park.dev", "--undo")
    kith("pin", "Alex Kim", "--undo")
    assert overrides(home)[:2] == [("alex.kim@acme.com", False, None, None), ("sam@park.dev", False, None, None)]


def test_snooze_for_a_duration_counts_from_today(home: Path) -> None:
    kith("snooze", "Sam Park", "--for", "2w")
    assert overrides(home) == [("sam@park.dev", False, None, date.today() + timedelta(days=14))]
    result = CliRunner().invoke(app, ["snooze", "Sam Park"])
    assert result.exit_code == 2 and "--for" in result.output


def test_merge_and_split_survive_a_resync(home: Path) -> None:
    assert person_of(home, "dlee@work.com") == ("D. Lee", ["dlee@work.com"])
    assert kith("merge", "Dana Lee", "dlee@work.com") == (
        "Merged: Dana Lee <dana@lee.io> now has 2 addresses: dana@lee.io, dlee@work.com.\n"
    )
    kith("split", "akim@other.org")
    for _ in range(2):  # right away, then after the mailbox is synced again from the start
        assert person_of(home, "dlee@work.com") == ("Dana Lee", ["dana@lee.io", "dlee@work.com"])
        assert person_of(home, "akim@other.org") == ("Alex Kim", ["akim@other.org"])
        assert person_of(home, "alex.kim@acme.com") == ("Alex Kim", ["alex.kim@acme.com"])
        resync(home)
    resync(home, full=False)
    assert person_of(home, "dana@lee.io")[1] == ["dana@lee.io", "dlee@work.com"]
    # A split undoes the manual merge of that address; a merge after a split wins again.
    assert kith("split", "dlee@work.com") == "Split: dlee@work.com is now its own person; Dana Lee <dana@lee.io> keeps the rest.\n"
    assert person_of(home, "dana@lee.io")[1] == ["dana@lee.io"]
    kith("merge", "akim@other.org", "alex.kim@acme.com")
    resync(home)
    assert person_of(home, "akim@other.org")[1] == ["akim@other.org", "alex.kim@acme.com"]


def test_overrides_follow_a_merged_person(home: Path) -> None:
    kith("mute", "dlee@work.com")
    kith("merge", "dana@lee.io", "dlee@work.com")
    assert "Overrides: muted" in kith("person", "Dana Lee")
    kith("mute", "Dana Lee", "--undo")  # every row of the merged person agrees afterwards
    assert [row[:2] for row in overrides(home)] == [("dana@lee.io", False), ("dlee@work.com", False)]
