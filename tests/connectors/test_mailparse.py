"""The fast header parser against the standard library, on real mail and on the odd forms."""

from __future__ import annotations

import base64
import email.policy
import hashlib
from datetime import datetime, timezone
from email.header import decode_header, make_header
from email.parser import BytesHeaderParser
from email.utils import getaddresses, parsedate_to_datetime
from pathlib import Path

import pytest

from kith.connectors.mailfiles import split_mbox
from kith.connectors.mailparse import BODY_LIMIT, Unusable, parse_addresses, parse_date, parse_message
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
    # The subject as the standard library's current policy reads it: unfolded, encoded words
    # decoded. kith keeps no blanks at either end of a header value.
    subject = BytesHeaderParser(policy=email.policy.default).parsebytes(raw).get("subject")
    subject = None if subject is None else str(subject).strip()
    return (addresses("from")[0], addresses("to"), addresses("cc"), sent, subject)


def kith_fields(raw: bytes) -> tuple | None:
    try:
        m = parse_message(raw, account="a", stream="s")
    except Unusable:
        return None
    pairs = lambda items: [(a.email, a.name) for a in items]  # noqa: E731
    return ((m.sender.email, m.sender.name), pairs(m.to), pairs(m.cc), m.sent_at, m.subject)


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
    header_digest = "sha1:" + hashlib.sha1(raw.split(b"\r\n\r\n")[0]).hexdigest()  # no source key given
    assert (m.source_id, m.message_id, m.in_reply_to, m.references, m.thread_id) == (
        header_digest, "<b@x>", "<a@x>", ["<root@x>", "<a@x>"], "<root@x>"
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
    assert (m.sender, m.body_text) == (Address(email="zoe@x.org", name="Zoë"), "Café at 9?\n")  # LF, as every source
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


# Inputs that each stopped every sync (issue 8.1): now one message is one counted skip at most.
HEAD = b"From: Dana Kim <dana@x.org>\nTo: me@x.org\nMessage-ID: <h@x>\n"
DATE = b"Date: Tue, 1 Sep 2026 08:00:00 +0000\n"


def nested_mime(depth: int) -> bytes:
    part = b"Content-Type: text/plain\n\nhello\n"
    for level in range(depth):
        boundary = b"b%d" % level
        part = b'Content-Type: multipart/mixed; boundary="%s"\n\n--%s\n%s\n--%s--\n' % (
            boundary, boundary, part, boundary
        )
    return part


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        (HEAD + b"Date: 01 Jan 0001 00:00:00 +0100\n\nhi", "no usable Date header"),
        (HEAD + b"Date: 31 Dec 9999 23:59:59 -2359\n\nhi", "no usable Date header"),
        (HEAD + b"Date: Mon, 1 Jan 0001 00:00:00 +0100 (an obsolete form)\n\nhi", "no usable Date header"),
        (HEAD + DATE + nested_mime(1000), "MIME parts nested too deep to read"),
    ],
    ids=["before year 1 in UTC", "after year 9999 in UTC", "obsolete form before year 1", "MIME 1000 deep"],
)
def test_hostile_messages_are_one_unusable_record(raw: bytes, reason: str) -> None:
    with pytest.raises(Unusable) as caught:
        parse_message(raw, account="a", stream="s", with_body=True)
    assert str(caught.value) == reason


@pytest.mark.parametrize(
    "subject", ["=?utf-8?b?a?= news", "=?x-no-such-charset\xe3et?q?caf=E9?= news"], ids=["bad base64", "bad charset"]
)
def test_a_broken_encoded_word_reads_as_its_text(subject: str) -> None:
    raw = HEAD + DATE + b"Subject: " + subject.encode("latin-1") + b"\n\nhi\n"
    m = parse_message(raw, account="a", stream="s", with_body=True)
    assert (m.subject, m.sent_at, m.body_text) == (subject, datetime(2026, 9, 1, 8), "hi\n")


def test_bare_cr_line_ends_are_line_ends() -> None:
    """Old Mac mail ends lines with CR alone: the standard library reads them as lines, and so do
    we (else every header is read as part of the first, and a long one costs seconds)."""
    lf = HEAD + DATE + b"Subject: Lunch\n =?utf-8?q?caf=C3=A9?=\nCc: Sam <sam@x.org>\n\nhi\n"
    cr = parse_message(lf.replace(b"\n", b"\r"), account="a", stream="s", source_id="s/1")
    assert cr == parse_message(lf, account="a", stream="s", source_id="s/1")
    assert (cr.subject, cr.cc, cr.sent_at) == ("Lunch café", [Address(email="sam@x.org", name="Sam")], datetime(2026, 9, 1, 8))


def test_any_failure_inside_the_parser_is_unusable(monkeypatch: pytest.MonkeyPatch) -> None:
    """Whatever a future input breaks, the caller gets `Unusable` with the reason, never a crash."""
    from kith.connectors import mailparse

    def broken(value: str) -> list:
        raise KeyError("a case nobody foresaw")

    monkeypatch.setattr(mailparse, "parse_addresses", broken)
    with pytest.raises(Unusable) as caught:
        parse_message(HEAD + DATE + b"\nhi", account="a", stream="s")
    assert str(caught.value) == "message not readable: KeyError: 'a case nobody foresaw'"


# A personal note with its news near the start, then a long quoted history: over 32 KiB once
# encoded, as mail clients send any body with long lines or non-ASCII text.
LONG_TEXT = (
    "Hi Alex,\n\nBig news: I've been promoted to Director of Research at Lumen Bio. "
    "Thank you for the advice last spring. Café soon?\n\nDana\n\n"
    + "".join(f"> {n:05} earlier thread, quoted in full by the mail client, line after line.\n" for n in range(600))
)


def base64_lines(data: bytes, newline: bytes) -> bytes:
    encoded = base64.b64encode(data)
    return newline.join(encoded[i : i + 76] for i in range(0, len(encoded), 76)) + newline


@pytest.mark.parametrize("newline", [b"\n", b"\r\n"], ids=["LF", "CRLF"])
def test_a_long_base64_body_is_decoded_before_it_is_cut(newline: bytes) -> None:
    body = base64_lines(LONG_TEXT.encode("utf-8"), newline)
    assert len(body) > 32 * 1024 and LONG_TEXT.index("promoted") < 16 * 1024
    head = (HEAD + DATE + b"Content-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: base64\n")
    raw = head.replace(b"\n", newline) + newline + body
    m = parse_message(raw, account="a", stream="s", with_body=True)
    assert m.body_text == LONG_TEXT.encode("utf-8")[:BODY_LIMIT].decode("utf-8", errors="replace")


def test_a_long_base64_part_of_a_multipart_body_is_decoded() -> None:
    part = base64_lines(LONG_TEXT.encode("utf-8"), b"\n")
    raw = HEAD + DATE + (
        b'Content-Type: multipart/alternative; boundary="b"\n\n--b\n'
        b"Content-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: base64\n\n"
    ) + part + b"--b\nContent-Type: text/html\n\n<p>hi</p>\n--b--\n"
    m = parse_message(raw, account="a", stream="s", with_body=True)
    assert m.body_text == LONG_TEXT.encode("utf-8")[:BODY_LIMIT].decode("utf-8", errors="replace")


def test_a_long_body_gives_the_same_text_with_crlf_or_lf_line_ends() -> None:
    """IMAP and the APIs serve CRLF, files LF: signal detection reads the same 16 KiB of text."""
    head = b"Message-ID: <l@x>\nFrom: Zoe <zoe@x.org>\nTo: me@x.org\nDate: Tue, 1 Sep 2026 08:00:00 +0000\n\n"
    body = b"".join(b"Line %d of a long forward, with news near its end.\n" % n for n in range(600))
    lf = parse_message(head + body, account="a", stream="s", with_body=True).body_text
    crlf = parse_message((head + body).replace(b"\n", b"\r\n")[: len(head) * 2 + 2 * BODY_LIMIT], account="a",
                         stream="s", with_body=True).body_text
    assert (len(lf), crlf) == (BODY_LIMIT, lf)
