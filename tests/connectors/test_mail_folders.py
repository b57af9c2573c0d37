"""Maildir and .eml folders give the same rows as the same mail in an mbox, and read only what is new."""

from __future__ import annotations

import random
import shutil
from datetime import date
from pathlib import Path

import pytest

from kith.connectors import mailfiles
from kith.connectors.mailfiles import MailFileConnector
from kith.flows.syncing import sync_accounts
from kith.generator import generate_network
from kith.models.settings import FileAccount, Settings, UserSettings
from kith.warehouse import open_warehouse

USER = UserSettings(addresses=["alex.morgan@example.com", "alex@morgan.dev"])
# Each source keys its rows its own way (a maildir by file name): the same mail is the same
# Message-ID with the same fields.
COLUMNS = "message_id, in_reply_to, thread_id, subject, sent_at, from_address, recipient_count, list_id"


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
            "SELECT m.message_id, role, position, address, name FROM message_addresses "
            "JOIN messages m USING (account, source_id) ORDER BY ALL"
        ),
        "signals": wh.query(
            "SELECT m.message_id, kind, address, happened_on, evidence FROM signals "
            "JOIN messages m USING (account, source_id) ORDER BY ALL"
        ),
    }


def test_maildir_gives_the_rows_of_the_mbox(tmp_path: Path, exports) -> None:
    mbox, maildir = exports
    with load(tmp_path / "a", "mbox", mbox)[0] as from_mbox, load(tmp_path / "b", "maildir", maildir)[0] as from_maildir:
        expected = rows(from_mbox)
        assert len(expected["messages"]) > 10_000
        assert from_mbox.query("SELECT count(*) - count(DISTINCT message_id) FROM messages") == [(0,)]
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


def stored(wh) -> list[tuple]:
    return wh.query("SELECT * FROM messages ORDER BY ALL") + wh.query("SELECT * FROM message_addresses ORDER BY ALL")


def test_marking_mail_read_reads_nothing_again(tmp_path: Path, exports) -> None:
    """A flag change renames a file in cur/; reading mail moves it from new/ to cur/: neither is new."""
    _, maildir = exports
    copy = tmp_path / "mail"
    shutil.copytree(maildir / "inbox", copy / "inbox")
    wh, _ = load(tmp_path, "maildir", copy)
    with wh:
        before = stored(wh)
        inbox = copy / "inbox"
        unread = sorted((inbox / "new").iterdir())
        assert len(unread) > 10
        for path in unread:
            path.rename(inbox / "cur" / f"{path.name}:2,S")
        for path in sorted((inbox / "cur").iterdir())[:100]:
            path.rename(path.with_name(path.name.replace(":2,S", ":2,RS")))
        settings = Settings(home=tmp_path, user=USER, accounts=[FileAccount(name="mail", kind="maildir", path=copy)])
        reports = sync_accounts(wh.conn, settings)
        assert [(r.messages, r.skipped, r.error) for r in reports] == [(0, 0, None)]
        assert stored(wh) == before


def test_a_new_file_is_read_alone_and_a_removed_one_is_one_deletion(tmp_path: Path, exports) -> None:
    _, maildir = exports
    copy = tmp_path / "mail"
    shutil.copytree(maildir / "sent", copy / "sent")
    connector = MailFileConnector(FileAccount(name="mail", kind="maildir", path=copy))
    [stream] = connector.streams()
    first = list(connector.fetch(stream, None))
    assert (first[0].reset, sum(len(b.messages) for b in first)) == (True, len(list((copy / "sent" / "cur").iterdir())))
    removed, kept = sorted((copy / "sent" / "cur").iterdir())[:2]
    removed.rename(tmp_path / removed.name)
    [deletion] = list(connector.fetch(stream, first[-1].cursor))
    unique = removed.name.split(":")[0]
    assert (deletion.reset, deletion.messages, deletion.deleted, deletion.skips) == (False, [], [f"sent/{unique}"], [])
    (tmp_path / removed.name).rename(copy / "sent" / "new" / unique)  # back, as a new delivery
    [delivery] = list(connector.fetch(stream, deletion.cursor))
    assert (delivery.reset, [m.source_id for m in delivery.messages], delivery.deleted) == (False, [f"sent/{unique}"], [])
    assert list(connector.fetch(stream, delivery.cursor)) == []
    assert kept.exists()


def test_a_maildir_without_new_or_tmp_loads(tmp_path: Path, exports) -> None:
    _, maildir = exports
    shutil.copytree(maildir / "sent" / "cur", tmp_path / "mail" / "sent" / "cur")
    wh, reports = load(tmp_path, "maildir", tmp_path / "mail")
    with wh:
        count = len(list((tmp_path / "mail" / "sent" / "cur").iterdir()))
        assert [(r.stream, r.messages, r.error) for r in reports] == [(str(tmp_path / "mail" / "sent"), count, None)]
        assert wh.query("SELECT count(*) FROM messages") == [(count,)]


def test_the_cursor_of_a_100k_message_folder_stays_small() -> None:
    """The cursor holds every stored message's name; Dovecot-style names, random where Dovecot's
    are (time, microseconds, pid, sizes), are the hard case for its compression."""
    rng = random.Random(8)
    names = {
        f"{1_500_000_000 + n * 600 + rng.randrange(600)}.M{rng.randrange(10**6)}P{rng.randrange(10**5)}"
        f".mail.example.org,S={rng.randrange(10**5)},W={rng.randrange(10**5)}"
        for n in range(100_000)
    }
    cursor = mailfiles._encode_keys(names)
    assert len(cursor) < 3 << 20  # 2.7 MiB measured; the same names as a JSON list: 6.1 MiB
    assert mailfiles._decode_keys(cursor) == names
