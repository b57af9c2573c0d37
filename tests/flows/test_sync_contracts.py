"""The incremental contract on a generated network: replay changes nothing, a killed sync resumes
to the same tables, a smaller batch size gives the same rows, automated senders are set aside."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from kith.connectors import mailfiles
from kith.flows.syncing import sync_accounts
from kith.generator import generate_network
from kith.models.settings import FileAccount, Settings, UserSettings
from kith.warehouse import open_warehouse

TODAY = date(2026, 11, 26)
TABLES = [
    "messages", "message_addresses", "meetings", "meeting_attendees", "signals",
    "skipped_records", "identities", "people",
]  # fmt: skip


@pytest.fixture(scope="module")
def network(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict]:
    out = tmp_path_factory.mktemp("network")
    return out, generate_network(out, seed=7, today=TODAY)


def settings_for(home: Path, network: Path, truth: dict) -> Settings:
    return Settings(
        home=home,
        user=UserSettings(addresses=truth["user"]["addresses"], timezone=truth["user"]["timezone"]),
        accounts=[
            FileAccount(name="mail", kind="mbox", path=network / "mail"),
            FileAccount(name="calendar", kind="ics", path=network),
        ],
    )


def snapshot(conn) -> dict[str, list[tuple]]:
    """Every row of every synced table, ordered: what "the same tables" means."""
    return {table: conn.execute(f"SELECT * FROM {table} ORDER BY ALL").fetchall() for table in TABLES} | {
        "skipped_records": conn.execute(
            "SELECT account, stream, location, reason FROM skipped_records ORDER BY ALL"
        ).fetchall()
    }


def test_replay_adds_nothing_and_changes_nothing(tmp_path: Path, network) -> None:
    out, truth = network
    settings = settings_for(tmp_path, out, truth)
    with open_warehouse(settings.database) as wh:
        first = sync_accounts(wh.conn, settings)
        before = snapshot(wh.conn)
        again = sync_accounts(wh.conn, settings)
        assert snapshot(wh.conn) == before
        assert wh.query("SELECT count(*) - count(DISTINCT (account, source_id)) FROM messages") == [(0,)]
    assert sum(r.messages for r in first) == sum(truth["message_counts"].values())
    assert [(r.messages, r.meetings) for r in again] == [(0, 0)] * len(again)


def test_replaying_stored_batches_changes_nothing(tmp_path: Path, network) -> None:
    """Forget the cursors and sync again: every batch is replayed onto its own rows."""
    out, truth = network
    settings = settings_for(tmp_path, out, truth)
    with open_warehouse(settings.database) as wh:
        sync_accounts(wh.conn, settings)
        before = snapshot(wh.conn)
        wh.conn.execute("DELETE FROM sync_state")
        replayed = sync_accounts(wh.conn, settings)
        assert snapshot(wh.conn) == before
    assert sum(r.messages for r in replayed) == sum(truth["message_counts"].values())


class Killed(BaseException):
    """The process dying: not an error a sync reports and goes on from."""


def test_a_sync_killed_between_batches_resumes_to_the_same_tables(
    tmp_path: Path, network, monkeypatch: pytest.MonkeyPatch
) -> None:
    out, truth = network
    straight = settings_for(tmp_path / "straight", out, truth)
    with open_warehouse(straight.database) as wh:
        sync_accounts(wh.conn, straight)
        expected = snapshot(wh.conn)

    monkeypatch.setattr(mailfiles, "BATCH_SIZE", 1000)
    interrupted = settings_for(tmp_path / "interrupted", out, truth)
    original = mailfiles._Collector.batch
    calls = {"n": 0}

    def batch_then_die(self, cursor):
        calls["n"] += 1
        if calls["n"] == 4:
            raise Killed("the process died here")
        return original(self, cursor)

    with open_warehouse(interrupted.database) as wh:
        monkeypatch.setattr(mailfiles._Collector, "batch", batch_then_die)
        with pytest.raises(Killed):
            sync_accounts(wh.conn, interrupted)
        stored = wh.query("SELECT count(*) FROM messages")[0][0]
        assert 0 < stored < sum(truth["message_counts"].values())
        monkeypatch.setattr(mailfiles._Collector, "batch", original)
        sync_accounts(wh.conn, interrupted)
        assert snapshot(wh.conn) == expected


def test_an_mbox_that_grew_is_read_from_where_it_was(tmp_path: Path, network) -> None:
    out, truth = network
    mail = tmp_path / "mail"
    mail.mkdir()
    inbox = (out / "mail" / "inbox.mbox").read_bytes()
    cut = inbox.index(b"\nFrom ", len(inbox) // 2) + 1
    (mail / "inbox.mbox").write_bytes(inbox[:cut])
    settings = settings_for(tmp_path, out, truth).model_copy(
        update={"accounts": [FileAccount(name="mail", kind="mbox", path=mail)]}
    )
    with open_warehouse(settings.database) as wh:
        first = sync_accounts(wh.conn, settings)
        with (mail / "inbox.mbox").open("ab") as handle:
            handle.write(inbox[cut:])
        grown = sync_accounts(wh.conn, settings)
        total = wh.query("SELECT count(*) FROM messages")[0][0]
    assert first[0].messages + grown[0].messages == total == truth["message_counts"]["inbox"]
    assert grown[0].messages < truth["message_counts"]["inbox"] // 2 + 1


def test_automated_senders_found_and_no_contact_flagged(tmp_path: Path, network) -> None:
    out, truth = network
    settings = settings_for(tmp_path, out, truth)
    with open_warehouse(settings.database) as wh:
        sync_accounts(wh.conn, settings)
        flagged = {a for (a,) in wh.query(
            "SELECT i.address FROM identities i JOIN people p USING (person_id) WHERE p.is_automated"
        )}  # fmt: skip
    automated = {sender["address"] for sender in truth["automated_senders"]}
    contacts = {address for contact in truth["contacts"] for address in contact["addresses"]}
    found = len(automated & flagged) / len(automated)
    assert found >= 0.99, sorted(automated - flagged)
    assert contacts & flagged == set()


def test_a_file_removed_from_the_source_takes_its_rows_with_it(tmp_path: Path, network) -> None:
    out, truth = network
    mail = tmp_path / "mail"
    mail.mkdir()
    for name in ("inbox.mbox", "sent.mbox"):
        (mail / name).symlink_to(out / "mail" / name)
    settings = settings_for(tmp_path, out, truth).model_copy(
        update={"accounts": [FileAccount(name="mail", kind="mbox", path=mail)]}
    )
    with open_warehouse(settings.database) as wh:
        sync_accounts(wh.conn, settings)
        (mail / "sent.mbox").unlink()
        sync_accounts(wh.conn, settings)
        streams = wh.query("SELECT DISTINCT stream FROM messages UNION SELECT stream FROM sync_state")
        assert streams == [(str(mail / "inbox.mbox"),)]
        assert wh.query("SELECT count(*) FROM messages") == [(truth["message_counts"]["inbox"],)]
        assert wh.query(
            "SELECT count(*) FROM message_addresses a ANTI JOIN messages m USING (account, source_id)"
        ) == [(0,)]


def test_a_failing_stream_is_reported_and_the_others_load(
    tmp_path: Path, network, monkeypatch: pytest.MonkeyPatch
) -> None:
    from kith.connectors.errors import SourceUnavailable

    out, truth = network
    settings = settings_for(tmp_path, out, truth)
    original = mailfiles.MailFileConnector.fetch

    def fetch(self, stream, cursor):
        if stream.endswith("sent.mbox"):
            raise SourceUnavailable(f"{stream}: the disk went away", account=self.account)
        return original(self, stream, cursor)

    monkeypatch.setattr(mailfiles.MailFileConnector, "fetch", fetch)
    with open_warehouse(settings.database) as wh:
        reports = sync_accounts(wh.conn, settings)
    sent = str(out / "mail" / "sent.mbox")
    assert [(r.stream, r.error) for r in reports if r.error] == [
        (sent, f"account 'mail': {sent}: the disk went away")
    ]
    assert sum(r.messages for r in reports) == truth["message_counts"]["inbox"]
    assert sum(r.meetings for r in reports) > 0
