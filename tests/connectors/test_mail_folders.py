"""Maildir and .eml folders give the same rows as the same mail in an mbox, and read only what is new."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest

from kith.flows.syncing import sync_accounts
from kith.generator import generate_network
from kith.models.settings import FileAccount, Settings, UserSettings
from kith.warehouse import open_warehouse

USER = UserSettings(addresses=["alex.morgan@example.com", "alex@morgan.dev"])
COLUMNS = "source_id, message_id, in_reply_to, thread_id, subject, sent_at, from_address, recipient_count, list_id"


@pytest.fixture(scope="module")
def exports(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    mbox = tmp_path_factory.mktemp("mbox")
    maildir = tmp_path_factory.mktemp("maildir")
    generate_network(mbox, seed=3, today=date(2026, 11, 26))
    generate_network(maildir, seed=3, today=date(2026, 11, 26), mail_format="maildir")
    return mbox / "mail", maildir / "mail"


def load(home: Path, kind: str, path: Path):
    settings = Settings(home=home, user=USER, accounts=[FileAccount(name="mail", kind=kind, path=path)])
    wh = open_warehouse(settings.database)
    reports = sync_accounts(wh.conn, settings)
    return wh, reports


def rows(wh) -> dict[str, list[tuple]]:
    return {
        "messages": wh.query(f"SELECT {COLUMNS} FROM messages ORDER BY ALL"),
        "message_addresses": wh.query(
            "SELECT source_id, role, position, address, name FROM message_addresses ORDER BY ALL"
        ),
        "signals": wh.query("SELECT source_id, kind, address, happened_on, evidence FROM signals ORDER BY ALL"),
    }


def test_maildir_gives_the_rows_of_the_mbox(tmp_path: Path, exports) -> None:
    mbox, maildir = exports
    with load(tmp_path / "a", "mbox", mbox)[0] as from_mbox, load(tmp_path / "b", "maildir", maildir)[0] as from_maildir:
        expected = rows(from_mbox)
        assert len(expected["messages"]) > 10_000
        assert rows(from_maildir) == expected


def test_maildir_reads_new_files_and_follows_deletions(tmp_path: Path, exports) -> None:
    _, maildir = exports
    copy = tmp_path / "mail"
    shutil.copytree(maildir, copy)
    inbox = copy / "inbox" / "cur"
    held_back = sorted(inbox.iterdir())[-5:]
    parked = tmp_path / "parked"
    parked.mkdir()
    for path in held_back:
        path.rename(parked / path.name)
    wh, first = load(tmp_path, "maildir", copy)
    with wh:
        total = wh.query("SELECT count(*) FROM messages")[0][0]
        for path in parked.iterdir():
            path.rename(inbox.parent / "new" / path.name)  # delivered: lands in new/
        settings = Settings(home=tmp_path, user=USER, accounts=[FileAccount(name="mail", kind="maildir", path=copy)])
        delivered = sync_accounts(wh.conn, settings)
        assert [r.messages for r in delivered if r.messages] == [5]
        assert wh.query("SELECT count(*) FROM messages") == [(total + 5,)]
        assert [r.messages for r in sync_accounts(wh.conn, settings)] == [0, 0]
        next(inbox.iterdir()).unlink()
        sync_accounts(wh.conn, settings)
        assert wh.query("SELECT count(*) FROM messages") == [(total + 4,)]


def test_a_folder_of_eml_files(tmp_path: Path, exports) -> None:
    _, maildir = exports
    folder = tmp_path / "eml"
    folder.mkdir()
    for i, path in enumerate(sorted((maildir / "sent" / "cur").iterdir())[:50]):
        shutil.copy(path, folder / f"{i:03}.eml")
    (folder / "notes.txt").write_text("not a message at all")
    wh, reports = load(tmp_path, "eml", folder)
    with wh:
        assert wh.query("SELECT count(*), count(DISTINCT from_address) FROM messages")[0][0] == 50
        assert wh.query("SELECT location, reason FROM skipped_records") == [
            (str(folder / "notes.txt"), "no RFC 5322 header block")
        ]
