"""No input stops a sync and no missing source loses a row (issue 8.1 and 8.2).

A message nobody can read is one skipped record; a stream that breaks is one reported line
while the other streams and accounts load; a source that cannot be read (moved away, an empty
mount point, permission denied, a link to an unmounted drive) changes no table, and once it is
back the tables are still the same.
"""

from __future__ import annotations

import errno
import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from kith.connectors import mailfiles
from kith.flows.syncing import sync_accounts
from kith.models.settings import FileAccount, Settings, UserSettings, load_settings
from kith.warehouse import open_warehouse

USER = UserSettings(addresses=["me@example.com"])


def event(uid: str, title: str) -> bytes:
    return (
        "BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:-//kith tests//EN\nBEGIN:VEVENT\n"
        f"UID:{uid}\nDTSTART:20260302T100000Z\nDTEND:20260302T110000Z\nSUMMARY:{title}\n"
        "ORGANIZER:mailto:dana@x.org\nATTENDEE;PARTSTAT=ACCEPTED:mailto:me@example.com\n"
        "END:VEVENT\nEND:VCALENDAR\n"
    ).encode()


def mail(n: int, sender: str = "Dana Kim <dana@x.org>", *, extra: bytes = b"", date: bytes | None = None) -> bytes:
    date = date or b"Tue, %d Sep 2026 08:00:00 +0000" % (n % 28 + 1)
    return (
        b"From: %s\nTo: Me <me@example.com>\nMessage-ID: <m%d@x.org>\nDate: %s\nSubject: Note %d\n%s\n"
        b"Hello %d.\n" % (sender.encode(), n, date, n, extra, n)
    )


def mbox_of(*messages: bytes) -> bytes:
    return b"".join(b"From someone Tue Sep  1 08:00:00 2026\n" + m + b"\n" for m in messages)


def make_sources(root: Path) -> dict[str, tuple[str, Path]]:
    """One account of each local kind, a few messages or one event each: name -> (kind, path)."""
    (root / "mbox").mkdir(parents=True)
    (root / "mbox" / "inbox.mbox").write_bytes(mbox_of(mail(1), mail(2)))
    (root / "mbox" / "sent.mbox").write_bytes(mbox_of(mail(3, "Me <me@example.com>")))
    for folder in ("inbox", ".Sent"):
        for sub in ("cur", "new", "tmp"):
            (root / "maildir" / folder / sub).mkdir(parents=True)
    (root / "maildir" / "inbox" / "cur" / "1.M1P1.host:2,S").write_bytes(mail(10))
    (root / "maildir" / "inbox" / "new" / "2.M2P1.host").write_bytes(mail(11))
    (root / "maildir" / ".Sent" / "cur" / "3.M3P1.host:2,S").write_bytes(mail(12, "Me <me@example.com>"))
    (root / "eml" / "sub").mkdir(parents=True)
    (root / "eml" / "a.eml").write_bytes(mail(20))
    (root / "eml" / "sub" / "b.eml").write_bytes(mail(21))
    (root / "cal").mkdir()
    (root / "cal" / "work.ics").write_bytes(event("review-1", "Design review"))
    return {"mbox": ("mbox", root / "mbox"), "maildir": ("maildir", root / "maildir"),
            "eml": ("eml", root / "eml"), "cal": ("ics", root / "cal")}  # fmt: skip


def settings_of(home: Path, sources: dict[str, tuple[str, Path]]) -> Settings:
    accounts = [FileAccount(name=name, kind=kind, path=path) for name, (kind, path) in sources.items()]
    return Settings(home=home, user=USER, accounts=accounts)


def every_table(conn) -> dict[str, list[tuple]]:
    """Every row of every table of the warehouse, ordered."""
    tables = [name for (name,) in conn.execute(
        "SELECT table_name FROM information_schema.tables WHERE table_type = 'BASE TABLE' ORDER BY 1"
    ).fetchall()]  # fmt: skip
    return {table: conn.execute(f"SELECT * FROM {table} ORDER BY ALL").fetchall() for table in tables}


def errors(reports) -> list[tuple[str, str, str]]:
    return [(r.account, r.stream, r.error) for r in reports if r.error]


def cannot_read(path: Path, reason: str = "No such file or directory") -> str:
    return (
        f"cannot read {path} ({reason}); nothing synced from it was changed: "
        "mount the drive, fix the permissions, or fix `path` in kith.toml"
    )


# -- a source out of reach, then back ------------------------------------------------------------


def moved_away(path: Path, monkeypatch) -> tuple[Callable[[], None], str]:
    away = path.with_name(path.name + ".away")
    path.rename(away)
    return (lambda: away.rename(path)), cannot_read(path)


def empty_mount_point(path: Path, monkeypatch) -> tuple[Callable[[], None], str]:
    away = path.with_name(path.name + ".away")
    path.rename(away)
    path.mkdir()  # the folder a drive mounts on stays behind, empty

    def back() -> None:
        path.rmdir()
        away.rename(path)

    return back, None  # the reason depends on how many streams the account had


def permission_denied(path: Path, monkeypatch) -> tuple[Callable[[], None], str]:
    """`chmod 000` on the folder. Simulated: tests often run as root, whom permissions do not stop."""
    for name in ("scandir", "listdir"):
        real = getattr(os, name)

        def refuse(target=".", *args, _real=real):
            if isinstance(target, (str, os.PathLike)) and Path(os.fsdecode(target)).is_relative_to(path):
                raise PermissionError(errno.EACCES, "Permission denied", os.fsdecode(target))
            return _real(target, *args)

        monkeypatch.setattr(os, name, refuse)
    return monkeypatch.undo, cannot_read(path, "Permission denied")


STREAMS = {"mbox": 2, "maildir": 2, "eml": 1, "cal": 1}


@pytest.mark.parametrize("make_missing", [moved_away, empty_mount_point, permission_denied])
def test_a_source_out_of_reach_then_back_changes_no_table(tmp_path: Path, monkeypatch, make_missing) -> None:
    sources = make_sources(tmp_path / "sources")
    settings = settings_of(tmp_path, sources)
    with open_warehouse(settings.database) as wh:
        first = sync_accounts(wh.conn, settings)
        before = every_table(wh.conn)
        assert errors(first) == []
        assert wh.query("SELECT account, count(*) FROM messages GROUP BY ALL ORDER BY ALL") == [
            ("eml", 2), ("maildir", 3), ("mbox", 3),
        ]  # fmt: skip
        assert wh.query("SELECT account, title FROM meetings") == [("cal", "Design review")]
        for name, (_, path) in sources.items():
            back, reason = make_missing(path, monkeypatch)
            during = sync_accounts(wh.conn, settings)
            reason = reason or (
                f"its source lists nothing now, though {STREAMS[name]} stream(s) were synced from it; "
                "nothing was removed: mount the drive or fix `path` in kith.toml "
                "(to drop the account, remove it from kith.toml)"
            )
            assert errors(during) == [(name, "*", f"account {name!r}: {reason}")]
            assert every_table(wh.conn) == before, name
            back()
            again = sync_accounts(wh.conn, settings)
            assert errors(again) == []
            assert [(r.messages, r.meetings, r.skipped) for r in again] == [(0, 0, 0)] * len(again)
            assert every_table(wh.conn) == before, name


def test_an_mbox_linked_from_an_unmounted_drive_keeps_its_rows(tmp_path: Path) -> None:
    sources = make_sources(tmp_path / "sources")
    inbox = sources["mbox"][1] / "inbox.mbox"
    settings = settings_of(tmp_path, {"mbox": sources["mbox"]})
    with open_warehouse(settings.database) as wh:
        sync_accounts(wh.conn, settings)
        before = every_table(wh.conn)
        inbox.rename(tmp_path / "drive.mbox")
        inbox.symlink_to(tmp_path / "unmounted" / "inbox.mbox")
        during = sync_accounts(wh.conn, settings)
        assert errors(during) == [("mbox", str(inbox), f"account 'mbox': {cannot_read(inbox)}")]
        assert [(r.stream, r.messages) for r in during if not r.error] == [(str(inbox.with_name("sent.mbox")), 0)]
        assert every_table(wh.conn) == before
        inbox.unlink()
        (tmp_path / "drive.mbox").rename(inbox)
        assert errors(sync_accounts(wh.conn, settings)) == []
        assert every_table(wh.conn) == before


def test_a_file_deleted_from_a_folder_that_was_read_is_deleted(tmp_path: Path) -> None:
    """The one way rows leave: the source was read and no longer holds them."""
    sources = make_sources(tmp_path / "sources")
    (sources["cal"][1] / "home.ics").write_bytes(event("dinner-1", "Dinner"))
    settings = settings_of(tmp_path, sources)
    with open_warehouse(settings.database) as wh:
        sync_accounts(wh.conn, settings)
        (sources["mbox"][1] / "sent.mbox").unlink()
        (sources["maildir"][1] / "inbox" / "new" / "2.M2P1.host").unlink()
        (sources["eml"][1] / "sub" / "b.eml").unlink()
        (sources["cal"][1] / "work.ics").rename(sources["cal"][1] / "work.ics.old")
        assert errors(sync_accounts(wh.conn, settings)) == []
        assert wh.query("SELECT account, source_id FROM messages ORDER BY ALL") == [
            ("eml", "a.eml"), ("maildir", ".Sent/3.M3P1.host"), ("maildir", "inbox/1.M1P1.host"),
            ("mbox", "inbox.mbox@0"), ("mbox", "inbox.mbox@177"),
        ]  # fmt: skip
        assert wh.query("SELECT title FROM meetings") == [("Dinner",)]


def test_relative_paths_in_kith_toml_are_beside_the_file(tmp_path: Path, kith_home: Path, monkeypatch) -> None:
    make_sources(kith_home / "sources")
    (kith_home / "kith.toml").write_text(
        '[user]\naddresses = ["me@example.com"]\n\n'
        '[[accounts]]\nname = "mbox"\nkind = "mbox"\npath = "sources/mbox"\n\n'
        '[[accounts]]\nname = "cal"\nkind = "ics"\npath = "./sources/cal/work.ics"\n'
    )
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    settings = load_settings()
    assert [a.path for a in settings.accounts] == [kith_home / "sources/mbox", kith_home / "sources/cal/work.ics"]
    with open_warehouse(settings.database) as wh:
        assert errors(sync_accounts(wh.conn, settings)) == []
        assert wh.query("SELECT count(*) FROM messages UNION ALL SELECT count(*) FROM meetings") == [(3,), (1,)]


# -- one bad input is one skipped record; one broken stream is one line ----------------------


def nested_mime(depth: int) -> bytes:
    part = b"Content-Type: text/plain\n\nhello\n"
    for level in range(depth):
        part = b'Content-Type: multipart/mixed; boundary="b%d"\n\n--b%d\n%s\n--b%d--\n' % (level, level, part, level)
    return part


def test_hostile_mail_is_counted_and_everything_else_loads(tmp_path: Path) -> None:
    sources = make_sources(tmp_path / "sources")
    cur = sources["maildir"][1] / "inbox" / "cur"
    hostile = {
        "4.M4P1.host:2,S": mail(30, extra=b"X-Note: the subject below is a broken encoded word\n").replace(
            b"Subject: Note 30", b"Subject: =?utf-8?b?a?="
        ),
        "5.M5P1.host:2,S": mail(31, date=b"01 Jan 0001 00:00:00 +0100"),
        "6.M6P1.host:2,S": mail(32, date=b"31 Dec 9999 23:59:59 -2359"),
        "7.M7P1.host:2,S": mail(33).replace(b"\nHello 33.\n", b"") + nested_mime(1000),
    }
    for name, raw in hostile.items():
        (cur / name).write_bytes(raw)
    (cur / "8.M8P1.host:2,S").symlink_to(tmp_path / "nowhere")
    (cur / "9.M9P1.host:2,S").symlink_to(cur / "9.M9P1.host:2,S")
    os.mkfifo(cur / "10.M10P1.host:2,S")  # read, a pipe would wait for a writer for ever
    (cur / "11.M11P1.host:2,S").mkdir()
    settings = settings_of(tmp_path, sources)
    with open_warehouse(settings.database) as wh:
        reports = sync_accounts(wh.conn, settings)
        assert errors(reports) == []
        assert wh.query("SELECT source_id, subject FROM messages WHERE account = 'maildir' ORDER BY ALL") == [
            (".Sent/3.M3P1.host", "Note 12"),
            ("inbox/1.M1P1.host", "Note 10"),
            ("inbox/2.M2P1.host", "Note 11"),
            ("inbox/4.M4P1.host", "=?utf-8?b?a?="),
        ]
        assert wh.query("SELECT account, location, reason FROM skipped_records ORDER BY ALL") == [
            ("maildir", str(cur / "10.M10P1.host:2,S"), "not a regular file"),
            ("maildir", str(cur / "11.M11P1.host:2,S"), "not a regular file"),
            ("maildir", str(cur / "5.M5P1.host:2,S"), "no usable Date header"),
            ("maildir", str(cur / "6.M6P1.host:2,S"), "no usable Date header"),
            ("maildir", str(cur / "7.M7P1.host:2,S"), "MIME parts nested too deep to read"),
            ("maildir", str(cur / "8.M8P1.host:2,S"), "a link to a file that does not exist"),
            ("maildir", str(cur / "9.M9P1.host:2,S"), "unreadable: Too many levels of symbolic links"),
        ]
        assert wh.query("SELECT account, count(*) FROM messages GROUP BY ALL ORDER BY ALL") == [
            ("eml", 2), ("maildir", 4), ("mbox", 3),
        ]  # fmt: skip
        assert wh.query("SELECT count(*) FROM people WHERE NOT is_self") == [(1,)]  # Dana, from every source


def test_a_stream_that_breaks_is_one_line_and_the_run_goes_on(tmp_path: Path, monkeypatch) -> None:
    sources = make_sources(tmp_path / "sources")
    inbox = sources["mbox"][1] / "inbox.mbox"
    settings = settings_of(tmp_path, sources)
    original = mailfiles.MailFileConnector.fetch

    def fetch(self, stream, cursor):
        if stream == str(inbox):
            raise AssertionError("an input nobody foresaw")
        return original(self, stream, cursor)

    monkeypatch.setattr(mailfiles.MailFileConnector, "fetch", fetch)
    with open_warehouse(settings.database) as wh:
        reports = sync_accounts(wh.conn, settings)
        assert errors(reports) == [(
            "mbox", str(inbox),
            f"account 'mbox': {inbox} stopped on AssertionError: an input nobody foresaw (a kith bug: please report it)",
        )]  # fmt: skip
        assert wh.query("SELECT account, count(*) FROM messages GROUP BY ALL ORDER BY ALL") == [
            ("eml", 2), ("maildir", 3), ("mbox", 1),
        ]  # fmt: skip
        assert wh.query("SELECT count(*) FROM people WHERE NOT is_self") == [(1,)]


def test_a_save_that_breaks_keeps_nothing_of_its_batch_and_the_next_stream_loads(tmp_path: Path, monkeypatch) -> None:
    from kith.warehouse import load

    sources = make_sources(tmp_path / "sources")
    settings = settings_of(tmp_path, {"mbox": sources["mbox"], "eml": sources["eml"]})
    original = load._save_messages
    calls = []

    def save_then_break(conn, messages, keep_subjects):
        calls.append(len(messages))
        original(conn, messages, keep_subjects)
        if len(calls) == 1:
            raise TypeError("a value Arrow refused")

    monkeypatch.setattr(load, "_save_messages", save_then_break)
    with open_warehouse(settings.database) as wh:
        reports = sync_accounts(wh.conn, settings)
        inbox = str(sources["mbox"][1] / "inbox.mbox")
        assert errors(reports) == [
            ("mbox", inbox, f"account 'mbox': {inbox} stopped on TypeError: a value Arrow refused (a kith bug: please report it)")
        ]
        assert wh.query("SELECT account, source_id FROM messages ORDER BY ALL") == [
            ("eml", "a.eml"), ("eml", "sub/b.eml"), ("mbox", "sent.mbox@0"),
        ]  # fmt: skip
        assert wh.query("SELECT stream FROM sync_state WHERE account = 'mbox'") == [(str(sources["mbox"][1] / "sent.mbox"),)]


def test_kith_sync_exits_1_naming_a_missing_source(kith_home: Path) -> None:
    from typer.testing import CliRunner

    from kith.flows.cli import app

    make_sources(kith_home / "sources")
    (kith_home / "kith.toml").write_text(
        '[user]\naddresses = ["me@example.com"]\n\n[[accounts]]\nname = "mbox"\nkind = "mbox"\npath = "sources/mbox"\n'
    )
    settings = load_settings()
    with open_warehouse(settings.database) as wh:
        sync_accounts(wh.conn, settings)
    shutil.move(kith_home / "sources", kith_home / "unplugged")
    result = CliRunner().invoke(app, ["sync"])
    assert result.exit_code == 1
    assert f"kith: account 'mbox': {cannot_read(kith_home / 'sources' / 'mbox')}" in " ".join(result.output.split())
    with open_warehouse(settings.database, read_only=True) as wh:
        assert wh.query("SELECT count(*) FROM messages") == [(3,)]


def test_a_batch_too_big_for_the_load_memory_is_one_line_and_loads_once_the_limit_is_raised(
    tmp_path: Path, monkeypatch
) -> None:
    """On main DuckDB's out-of-memory error was hidden behind "Current transaction is aborted"
    (unregistering the batch failed too) and reported as a kith bug."""
    sources = make_sources(tmp_path / "sources")
    big = tmp_path / "sources" / "big"
    big.mkdir()
    attendees = "".join(f"ATTENDEE;CN=Person {j}:mailto:p{j}@example.org\n" for j in range(2))
    events = "".join(
        f"BEGIN:VEVENT\nUID:e{i}\nDTSTART:20260302T100000Z\nSUMMARY:{'t' * 1000}\n{attendees}END:VEVENT\n"
        for i in range(20_000)
    )  # 20 MB of titles in one batch
    (big / "all.ics").write_text(f"BEGIN:VCALENDAR\nVERSION:2.0\n{events}END:VCALENDAR\n")
    settings = settings_of(tmp_path, {**sources, "big": ("ics", big)})
    monkeypatch.setenv("KITH_LOAD_MEMORY_LIMIT", "16MB")
    with open_warehouse(settings.database) as wh:
        reports = sync_accounts(wh.conn, settings)
        assert errors(reports) == [(
            "big", str(big / "all.ics"),
            f"account 'big': {big / 'all.ics'} stopped: a batch needed more memory than a load may use (16MB) "
            "and was not stored; set KITH_LOAD_MEMORY_LIMIT higher (e.g. 1GB) and sync again",
        )]  # fmt: skip
        counts = "SELECT account, count(*) FROM (SELECT account FROM messages UNION ALL SELECT account FROM meetings) GROUP BY ALL ORDER BY ALL"
        assert wh.query(counts) == [("cal", 1), ("eml", 2), ("maildir", 3), ("mbox", 3)]
        monkeypatch.setenv("KITH_LOAD_MEMORY_LIMIT", "1GB")
        assert errors(sync_accounts(wh.conn, settings)) == []
        assert wh.query(counts) == [("big", 20_000), ("cal", 1), ("eml", 2), ("maildir", 3), ("mbox", 3)]
