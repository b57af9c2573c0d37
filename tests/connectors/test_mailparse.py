"""The fast header parser against the standard library, on real mail and on the odd forms."""

from __future__ import annotations

from datetime import datetime, timezone
from email.header import decode_header, make_header
from email.parser import BytesHeaderParser
from email.utils import getaddresses, parsedate_to_datetime
from pathlib import Path

import pytest

from kith.connectors.mailfiles import split_mbox
from kith.connectors.mailparse import Unusable, parse_addresses, parse_date, parse_message
from kith.models import Address


def reference_fields(raw: bytes) -> tuple | None:
    """What the standard library reads from the same bytes: the slow path kith must agree with."""
    headers = BytesHeaderParser().parsebytes(raw)

    def text(name: str) -> str:
        value = headers.get(name)
        return "" if value is None else str(value)

    def addresses(name: str) -> list[tuple[str, str | None]]:
        found = []
        for display, addr in getaddresses([" ".join(text(name).split())]):
            if "@" in addr:
                display = str(make_header(decode_header(display))).strip().strip("'\"") if display else ""
                found.append((addr.strip().lower(), display or None))
        return found

    try:
        sent = parsedate_to_datetime(text("date"))
    except (TypeError, ValueError, IndexError):
        return None
    if sent is None or not addresses("from"):
        return None
    if sent.tzinfo is not None:
        sent = sent.astimezone(timezone.utc).replace(tzinfo=None)
    return (addresses("from")[0], addresses("to"), addresses("cc"), sent)


def kith_fields(raw: bytes) -> tuple | None:
    try:
        m = parse_message(raw, account="a", stream="s")
    except Unusable:
        return None
    pairs = lambda items: [(a.email, a.name) for a in items]  # noqa: E731
    return ((m.sender.email, m.sender.name), pairs(m.to), pairs(m.cc), m.sent_at)


def enron_messages(corpora: Path) -> list[bytes]:
    return [raw for path in sorted((corpora / "email/enron").rglob("*.mbox")) for _, _, raw in split_mbox(path, 0)]


def test_fast_path_agrees_with_the_standard_library_on_enron(corpora: Path) -> None:
    messages = enron_messages(corpora)
    assert len(messages) == 2963 + 1754
    disagreements = [raw[:300] for raw in messages if kith_fields(raw) != reference_fields(raw)]
    assert disagreements == []


def test_addresses_fast_and_slow_forms() -> None:
    assert parse_addresses('Dana Kim <Dana.Kim@Example.com>, bob@x.org') == [
        Address(email="dana.kim@example.com", name="Dana Kim"),
        Address(email="bob@x.org", name=None),
    ]
    assert parse_addresses('"Allen, Phillip K." <pallen@enron.com>, =?utf-8?q?Zo=C3=AB?= <zoe@x.org>') == [
        Address(email="pallen@enron.com", name="Allen, Phillip K."),
        Address(email="zoe@x.org", name="Zoë"),
    ]
    assert parse_addresses("undisclosed-recipients:;") == []


def test_dates_in_every_form_become_naive_utc() -> None:
    assert parse_date("Mon, 23 Apr 2001 12:41:00 -0700 (PDT)") == datetime(2001, 4, 23, 19, 41)
    assert parse_date("23 Apr 2001 12:41 +0200") == datetime(2001, 4, 23, 10, 41)
    assert parse_date("Mon, 23 Apr 2001 12:41:00 GMT") == datetime(2001, 4, 23, 12, 41)
    assert parse_date("not a date") is None


def test_message_fields_threads_and_automation_headers() -> None:
    raw = (
        b"Message-ID: <b@x>\r\nIn-Reply-To: <a@x>\r\nReferences: <root@x> <a@x>\r\n"
        b"From: News <news@x.org>\r\nTo: me@x.org\r\nDate: Tue, 1 Sep 2026 08:00:00 +0000\r\n"
        b"Subject: =?utf-8?q?Caf=C3=A9?= news\r\nList-Id: <news.x.org>\r\nList-Unsubscribe: <mailto:u@x>\r\n"
        b"Precedence: Bulk\r\nAuto-Submitted: auto-generated\r\n"
        b"Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n"
        b"Caf=C3=A9 opens.\r\n"
    )
    m = parse_message(raw, account="acct", stream="inbox", with_body=True)
    assert (m.source_id, m.message_id, m.in_reply_to, m.references, m.thread_id) == (
        "<b@x>", "<b@x>", "<a@x>", ["<root@x>", "<a@x>"], "<root@x>"
    )
    assert (m.subject, m.list_id, m.list_unsubscribe, m.precedence, m.auto_submitted) == (
        "Café news", "<news.x.org>", True, "bulk", "auto-generated"
    )
    assert m.body_text is None  # bulk mail: its body is never read for signals, so not decoded
    assert "body_text" not in m.model_dump()


def test_a_personal_body_is_decoded_in_memory_only() -> None:
    raw = (
        b"Message-ID: <c@x>\r\nFrom: =?utf-8?q?Zo=C3=AB?= <zoe@x.org>\r\nTo: me@x.org\r\n"
        b"Date: Tue, 1 Sep 2026 08:00:00 +0000\r\n"
        b"Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n"
        b"Caf=C3=A9 at 9?\r\n"
    )
    m = parse_message(raw, account="acct", stream="inbox", with_body=True)
    assert (m.sender, m.body_text) == (Address(email="zoe@x.org", name="Zoë"), "Café at 9?\r\n")
    assert "body_text" not in m.model_dump()
    assert parse_message(raw, account="acct", stream="inbox", with_body=False).body_text is None


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        (b"Subject: hi\n\nbody", "no usable From address"),
        (b"<html><body>hi</body></html>", "no RFC 5322 header block"),
        (b"From: a@b.c\nSubject: x\n\nbody", "no usable Date header"),
    ],
)
def test_unusable_messages_say_why(raw: bytes, reason: str) -> None:
    with pytest.raises(Unusable) as caught:
        parse_message(raw, account="a", stream="s")
    assert str(caught.value) == reason
