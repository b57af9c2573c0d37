"""Mail and calendar from the fake Graph into the warehouse: first sync, delta rounds with adds,
changes and removals, a replayed item, throttling, an expired delta link, and one request at a
time. The connector is the real one (real msal tokens, real HTTP over TLS)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from urllib.parse import unquote

import pytest

from kith.connectors.microsoft import MicrosoftConnector
from kith.flows.syncing import StreamReport, sync_accounts, sync_stream
from kith.models.settings import FileAccount
from kith.warehouse import open_warehouse
from kith.warehouse.people import refresh_people

from .conftest import ME, account_for, message, settings_for, signed_in

MESSAGE_ROWS = (
    "SELECT source_id, stream, message_id, thread_id, subject, sent_at, from_address, recipient_count, folder, link "
    "FROM messages ORDER BY source_id"
)
LINK = "https://outlook.office365.com/owa/?ItemID={}&exvsurl=1&viewmodel=ReadMessageItem"


def row(item_id: str, folder: str = "inbox", *, sender: str = "dana@fabrikam.com", subject: str = "Lunch?", sent: datetime = datetime(2026, 11, 20, 9, 15)) -> tuple:
    return (item_id, f"mail/{folder}", f"<{item_id}@fabrikam.com>", f"conv-{item_id}", subject, sent, sender, 1, folder, LINK.format(item_id))


@pytest.fixture
def mailbox(fake):
    fake.put_message("inbox", message("m1", subject="Lunch?"))
    fake.put_message("inbox", message("m2", subject="Your talk", sender="lee@contoso.com", sent="2026-11-21T16:00:00Z"))
    fake.put_message("inbox", message("m3", subject="Intro", sender="sam@tailspin.com", sent="2026-11-22T08:30:00.1234567Z"))
    fake.put_message("sentitems", message("s1", sender=ME, to="dana@fabrikam.com", subject="Re: Lunch?", sent="2026-11-20T10:00:00Z"))
    return fake


@pytest.fixture
def run(mailbox, kith_home: Path):
    """A function that syncs every stream once with a fresh connector (a scheduled run)."""
    account = account_for(mailbox, calendar=False)
    settings = settings_for(kith_home, account)
    signed_in(mailbox, kith_home, account)
    waits: list[float] = []
    warehouse = open_warehouse(settings.database)

    def sync(**changes) -> list[StreamReport]:
        from kith.connectors.microsoft.auth import token_provider_for

        connector = MicrosoftConnector(
            account_for(mailbox, calendar=False, **changes), token_provider_for(account, settings), with_body=False, sleep=waits.append
        )
        try:
            reports = [sync_stream(warehouse.conn, connector, stream, settings) for stream in connector.streams()]
        finally:
            connector.close()
        refresh_people(warehouse.conn, settings.user.addresses)
        return reports

    sync.conn = warehouse.conn
    sync.waits = waits
    yield sync
    warehouse.close()


FIRST = [
    row("m1"),
    row("m2", sender="lee@contoso.com", subject="Your talk", sent=datetime(2026, 11, 21, 16, 0)),
    row("m3", sender="sam@tailspin.com", subject="Intro", sent=datetime(2026, 11, 22, 8, 30, 0, 123456)),
    (*row("s1", "sentitems", sender=ME, subject="Re: Lunch?", sent=datetime(2026, 11, 20, 10, 0))[:7], 1, "sentitems", LINK.format("s1")),
]


def test_first_sync_pages_through_every_folder_and_keeps_the_links(run, mailbox) -> None:
    reports = run()
    assert run.conn.execute(MESSAGE_ROWS).fetchall() == FIRST
    assert [(r.stream, r.messages, r.batches, r.error) for r in reports] == [
        ("mail/inbox", 3, 2, None), ("mail/sentitems", 1, 1, None), ("mail/archive", 0, 1, None),
    ]  # fmt: skip
    # page size 2: two pages for three messages, one each for the rest; $select, never $top
    requests = mailbox.graph_requests("messages/delta")
    assert len(requests) == 4
    assert all("$top" not in path for _, path in requests)
    assert unquote(requests[0][1]) == (
        "/v1.0/me/mailFolders/inbox/messages/delta?$select=internetMessageId,conversationId,subject,sentDateTime,"
        "receivedDateTime,from,sender,toRecipients,ccRecipients,bccRecipients,webLink,isDraft"
    )
    cursors = dict(run.conn.execute("SELECT stream, cursor FROM sync_state").fetchall())
    assert all('"delta_link": "https://127.0.0.1:' in c for c in cursors.values())
    assert run.conn.execute(
        "SELECT source_id, role, address, name FROM message_addresses WHERE source_id = 'm1' ORDER BY role"
    ).fetchall() == [("m1", "from", "dana@fabrikam.com", "Dana"), ("m1", "to", ME, "Alex Wilber")]


def test_a_delta_round_brings_adds_changes_and_removals(run, mailbox) -> None:
    run()
    mailbox.put_message("inbox", message("m4", subject="Coffee next week", sender="kim@northwind.com", sent="2026-11-24T12:00:00Z"))
    mailbox.put_message("inbox", message("m2", subject="Your talk (slides)", sender="lee@contoso.com", sent="2026-11-21T16:00:00Z"))
    mailbox.remove_message("inbox", "m1")
    before = len(mailbox.log)
    reports = run()
    assert run.conn.execute(MESSAGE_ROWS).fetchall() == [
        row("m2", sender="lee@contoso.com", subject="Your talk (slides)", sent=datetime(2026, 11, 21, 16, 0)),
        FIRST[2],
        row("m4", sender="kim@northwind.com", subject="Coffee next week", sent=datetime(2026, 11, 24, 12, 0)),
        FIRST[3],
    ]
    assert run.conn.execute("SELECT count(*) FROM message_addresses WHERE source_id = 'm1'").fetchall() == [(0,)]
    # three changes in the inbox at two a page, one empty round each for the other folders
    assert len(mailbox.log) - before == 4
    assert [(r.stream, r.messages, r.resynced) for r in reports] == [
        ("mail/inbox", 2, False), ("mail/sentitems", 0, False), ("mail/archive", 0, False),
    ]  # fmt: skip


def test_the_same_item_twice_changes_nothing(run, mailbox) -> None:
    run()
    snapshot = run.conn.execute(MESSAGE_ROWS).fetchall(), run.conn.execute("SELECT * FROM message_addresses ORDER BY ALL").fetchall()
    mailbox.put_message("inbox", message("m1", subject="Lunch?"))  # Graph reports it again, unchanged
    mailbox.put_message("inbox", message("m1", subject="Lunch?"))
    run()
    assert (run.conn.execute(MESSAGE_ROWS).fetchall(), run.conn.execute("SELECT * FROM message_addresses ORDER BY ALL").fetchall()) == snapshot


def test_throttling_waits_what_retry_after_says_and_loses_nothing(run, mailbox) -> None:
    mailbox.fail_next("skiptoken", 429, code="ApplicationThrottled", retry_after="7")  # the inbox's second page
    mailbox.fail_next("sentitems", 503, code="ServiceUnavailable", retry_after="3")
    reports = run()
    assert run.waits == [7.0, 3.0]
    assert run.conn.execute(MESSAGE_ROWS).fetchall() == FIRST
    assert [r.error for r in reports] == [None, None, None]
    # 4 pages plus the 2 answers that were refused
    assert len(mailbox.graph_requests("messages/delta")) == 6


def test_throttling_without_retry_after_backs_off_exponentially(run, mailbox) -> None:
    mailbox.fail_next("inbox", 429, code="ApplicationThrottled", times=3)
    run()
    assert len(run.waits) == 3 and all(0 <= w <= cap for w, cap in zip(run.waits, (1, 2, 4)))
    assert run.conn.execute(MESSAGE_ROWS).fetchall() == FIRST


def test_an_expired_delta_link_resyncs_the_folder(run, mailbox) -> None:
    run()
    mailbox.expire_delta_links()
    mailbox.put_message("inbox", message("m4", subject="Coffee next week", sender="kim@northwind.com", sent="2026-11-24T12:00:00Z"))
    mailbox.remove_message("inbox", "m3")
    reports = run()
    assert [(r.stream, r.resynced) for r in reports] == [("mail/inbox", True), ("mail/sentitems", True), ("mail/archive", True)]
    assert run.conn.execute(MESSAGE_ROWS).fetchall() == [
        FIRST[0], FIRST[1], row("m4", sender="kim@northwind.com", subject="Coffee next week", sent=datetime(2026, 11, 24, 12, 0)), FIRST[3],
    ]
    assert run.conn.execute("SELECT count(*) - count(DISTINCT source_id) FROM messages").fetchall() == [(0,)]


def test_a_resync_required_answer_mid_round_starts_the_folder_over(run, mailbox) -> None:
    mailbox.fail_next("skiptoken", 400, code="resyncRequired")
    reports = run()
    assert reports[0].resynced
    assert run.conn.execute(MESSAGE_ROWS).fetchall() == FIRST


def test_requests_are_one_at_a_time(run, mailbox) -> None:
    mailbox.slow_seconds = 0.02
    run()
    assert mailbox.max_in_flight == 1  # Graph refuses a fifth concurrent request; kith sends one


def test_the_fake_refuses_a_fifth_concurrent_request(mailbox) -> None:
    """The limit the connector stays under is real in the fake: 5 at once, one is refused."""
    import concurrent.futures

    import requests

    mailbox.gather = 5  # the first four wait for the fifth: five at once on any machine
    with concurrent.futures.ThreadPoolExecutor(5) as pool:
        statuses = sorted(pool.map(lambda _: requests.get(f"{mailbox.graph}/me/mailFolders/inbox/messages/delta").status_code, range(5)))
    assert statuses == [401, 401, 401, 401, 429] and mailbox.max_in_flight == 5  # no token: 401 once let in


def test_an_unrefreshable_sign_in_stops_the_account_with_one_line(mailbox, kith_home: Path) -> None:
    mailbox.access_lifetime = 60
    account = account_for(mailbox, calendar=False)
    settings = settings_for(kith_home, account)
    signed_in(mailbox, kith_home, account)
    mailbox.revoke()
    with open_warehouse(settings.database) as wh:
        reports = sync_accounts(wh.conn, settings)
    assert [(r.stream, r.error) for r in reports] == [(
        "mail/inbox",
        "account 'work': the Microsoft sign-in can no longer be refreshed (invalid_grant: AADSTS70008: The provided "
        "authorization code or refresh token has expired due to inactivity.); run `kith auth microsoft work`",
    )]  # fmt: skip


def test_a_message_seen_through_graph_and_imap_is_one_interaction(mailbox, kith_home: Path, tmp_path: Path) -> None:
    """The same mail in an IMAP/mbox account and in Graph: one row in `interactions`."""
    mbox = tmp_path / "copy.mbox"
    mbox.write_text(
        "From dana@fabrikam.com Fri Nov 20 09:15:00 2026\n"
        "Message-ID: <m1@fabrikam.com>\nFrom: Dana <dana@fabrikam.com>\nTo: Alex Wilber <alex@contoso.com>\n"
        "Subject: Lunch?\nDate: Fri, 20 Nov 2026 09:15:00 +0000\n\nShall we?\n",
        encoding="utf-8",
    )
    account = account_for(mailbox, calendar=False)
    settings = settings_for(kith_home, account)
    settings.accounts.append(FileAccount(name="imap-copy", kind="mbox", path=mbox))
    signed_in(mailbox, kith_home, account)
    with open_warehouse(settings.database) as wh:
        sync_accounts(wh.conn, settings)
        assert wh.conn.execute("SELECT account, source_id FROM messages WHERE message_id = '<m1@fabrikam.com>' ORDER BY account").fetchall() == [
            ("imap-copy", "copy.mbox@0"), ("work", "m1"),
        ]  # fmt: skip
        rows = wh.conn.execute(
            "SELECT i.kind, i.direction, i.happened_at, i.title FROM interactions i "
            "JOIN identities d ON d.person_id = i.person_id WHERE d.address = 'dana@fabrikam.com' ORDER BY i.happened_at"
        ).fetchall()
    assert rows == [
        ("email", "received", datetime(2026, 11, 20, 9, 15), "Lunch?"),
        ("email", "sent", datetime(2026, 11, 20, 10, 0), "Re: Lunch?"),
    ]
