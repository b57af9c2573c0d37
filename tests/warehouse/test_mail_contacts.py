"""The mail part of `interactions` is kept in `mail_contacts`: rebuilt with people after every sync,
filled when a warehouse from before the table opens, and always what the view showed when it
computed the mail from messages and addresses each time."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

from kith.flows.syncing import sync_accounts
from kith.models.settings import FileAccount, Settings, UserSettings
from kith.warehouse import open_warehouse
from kith.warehouse.overrides import merge
from tests.warehouse.test_message_identity import DANA, ME, START, dana, mail

BEN = "ben@example.com"
BEN_WORK = "ben@work.example.com"
ROWS = ("SELECT person_id, happened_at, kind, direction, is_group, weight, account, source_id, title "
        "FROM interactions ORDER BY happened_at, person_id")


def settings_for(tmp_path: Path) -> Settings:
    folder = tmp_path / "mail"
    folder.mkdir(exist_ok=True)
    return Settings(home=tmp_path, user=UserSettings(addresses=[ME]),
                    accounts=[FileAccount(name="mail", kind="mbox", path=folder)])  # fmt: skip


def write_mail(tmp_path: Path, entries: list[str]) -> None:
    (tmp_path / "mail" / "inbox.mbox").write_text("".join(entries))


def test_a_warehouse_from_before_the_table_gets_it_filled_when_it_opens(tmp_path: Path) -> None:
    settings = settings_for(tmp_path)
    write_mail(tmp_path, [dana(1), dana(2), mail(ME, f"{DANA}, {BEN}", START + timedelta(days=2), "<g@x>", "Plan", "Hi")])
    with open_warehouse(settings.database) as wh:
        sync_accounts(wh.conn, settings)
        dana_id, ben_id = (wh.query("SELECT person_id FROM identities WHERE address = ?", [a])[0][0] for a in (DANA, BEN))
        expected = [
            (dana_id, START, "email", "received", False, 1.0, "mail", "inbox.mbox@0", "Week 1"),
            (ben_id, START + timedelta(days=2), "email", "sent", True, 0.5, "mail", wh.query(
                "SELECT source_id FROM messages WHERE subject = 'Plan'")[0][0], "Plan"),
            (dana_id, START + timedelta(days=2), "email", "sent", True, 0.5, "mail", wh.query(
                "SELECT source_id FROM messages WHERE subject = 'Plan'")[0][0], "Plan"),
            (dana_id, START + timedelta(weeks=1), "email", "received", False, 1.0, "mail",
             f"inbox.mbox@{len(dana(1))}", "Week 2"),
        ]
        assert sorted(wh.query(ROWS), key=lambda r: (r[1], r[0])) == sorted(expected, key=lambda r: (r[1], r[0]))
        # as version 4 left it: no table, not migrated
        wh.conn.execute("DROP VIEW interactions; DROP TABLE mail_contacts; DELETE FROM schema_migrations WHERE version = 5")
    with open_warehouse(settings.database) as wh:
        assert sorted(wh.query(ROWS), key=lambda r: (r[1], r[0])) == sorted(expected, key=lambda r: (r[1], r[0]))
        assert wh.query("SELECT max(version) FROM schema_migrations") == [(5,)]


def test_the_mail_rows_follow_each_sync_and_a_merge(tmp_path: Path) -> None:
    settings = settings_for(tmp_path)
    write_mail(tmp_path, [dana(1)])
    with open_warehouse(settings.database) as wh:
        sync_accounts(wh.conn, settings)
        assert wh.query("SELECT kind, direction, source_id FROM interactions") == [("email", "received", "inbox.mbox@0")]

        later = START + timedelta(days=3)
        write_mail(tmp_path, [dana(1), mail(BEN, ME, later, "<b1@x>", "Hello", "Hi", "Ben Ray"),
                              mail(BEN_WORK, ME, later + timedelta(days=1), "<b2@x>", "Again", "Hi", "B. R.")])
        sync_accounts(wh.conn, settings)  # a second sync: the new mail counts at once
        counted = "SELECT title, person_id FROM interactions ORDER BY happened_at"
        rows = wh.query(counted)
        assert [title for title, _ in rows] == ["Week 1", "Hello", "Again"]
        assert rows[1][1] != rows[2][1]  # two people until merged

        ben = merge(wh.conn, BEN, BEN_WORK, [ME]).person_id  # both of Ben's mails are one person's now
        assert wh.query(counted) == [("Week 1", rows[0][1]), ("Hello", ben), ("Again", ben)]
