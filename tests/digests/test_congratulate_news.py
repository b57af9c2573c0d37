"""Congratulations from news in mail, end to end: a small mailbox synced into a warehouse, the
digest built for a pinned day, and its CONGRATULATE section compared as the user reads it
(issue 10: news is about the person named, never the sender; sad news is no congratulation;
forwards count; the user's own congratulation answers the news)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from synced_mailbox import mailbox_digest

from kith.digests.render import render_text

DAY = date(2026, 11, 26)
USER = "Alex Morgan <alex.morgan@acme.com>"
LAURA, DANIEL = "Laura Reyes <laura.reyes@acme.com>", "Daniel Okafor <daniel.okafor@acme.com>"
GREG, KIM = "Greg Pollard <greg.pollard@acme.com>", "Kim Nguyen <kim.nguyen@acme.com>"
SAM, TOM = "Sam Ortiz <sam.ortiz@acme.com>", "Tom Reed <tom.reed@acme.com>"

PROMOTIONS = """Team,

I am pleased to announce two changes in the Gas Trading organization, effective immediately.

Laura Reyes has been promoted to Vice President, Gas Structuring. Laura has led the structuring
desk through two very busy winters.

Daniel Okafor has been named Director of Risk Management. Daniel built the daily position
reports most of us now rely on.

Please join me in congratulating Laura and Daniel on their new responsibilities.

Greg
"""

OBITUARY = """Dear all,

It is with great sadness that I tell you that Tom Reed passed away on Sunday after a short illness.

Tom was promoted to Director of Research last spring, and he led the team through its best year.
He will be greatly missed. The funeral will be on Friday.

Greg
"""

FORWARD = """FYI, good news from HR.

---------- Forwarded message ---------
From: People Team <people@acme.com>
Date: Tue, 24 Nov 2026 at 09:12
Subject: Welcome back, Sam
To: All staff <staff@acme.com>

Sam Ortiz will be joining us as Director of Research. He starts on Monday.
"""


def mail(sender: str, to: list[str], day: int, subject: str, body: str, number: int) -> str:
    """One mbox entry sent on `day` November 2026."""
    return (f"From x@x Mon Nov  2 10:00:00 2026\nFrom: {sender}\nTo: {', '.join(to)}\n"
            f"Date: {day} Nov 2026 10:00:00 +0000\nMessage-ID: <{number}@acme.com>\nSubject: {subject}\n\n{body}\n\n")


def history() -> list[str]:
    """A short exchange with each colleague early in the month: they are known contacts."""
    out = []
    for number, person in enumerate((LAURA, DANIEL, GREG, KIM, SAM, TOM)):
        out.append(mail(USER, [person], 2, "Catching up", "Good to see you at the offsite.", 100 + number))
        out.append(mail(person, [USER], 3, "Re: Catching up", "Likewise, talk soon.", 200 + number))
    return out


def congratulations(tmp_path: Path, messages: list[str]) -> tuple[list[str], str]:
    """The names in the digest's CONGRATULATE section and the section as plain text ('' when empty)."""
    digest = mailbox_digest(tmp_path, "".join(history() + messages), DAY)
    blocks = render_text(digest).split("\n\n")
    if "CONGRATULATE\n------------" not in blocks:
        return [item.name for item in digest.section("congratulate")], ""
    start = blocks.index("CONGRATULATE\n------------")
    end = start + 1
    while end < len(blocks) and blocks[end].startswith("* "):
        end += 1
    return [item.name for item in digest.section("congratulate")], "\n\n".join(blocks[start:end])


def test_a_memo_announcing_two_promotions_congratulates_the_two_people_not_the_sender(tmp_path):
    memo = mail(GREG, [USER, LAURA, DANIEL, KIM], 24, "Organization announcement", PROMOTIONS, 1)
    names, section = congratulations(tmp_path, [memo])
    assert sorted(names) == ["Daniel Okafor", "Laura Reyes"]
    assert section == EXPECTED_PROMOTIONS


EXPECTED_PROMOTIONS = """\
CONGRATULATE
------------

* Daniel Okafor <daniel.okafor@acme.com>
  Started a new role as Director of Risk Management (email from Greg
  Pollard, 24 Nov).

* Laura Reyes <laura.reyes@acme.com>
  Promoted to Vice President (email from Greg Pollard, 24 Nov)."""


def test_a_sad_news_memo_congratulates_nobody(tmp_path):
    memo = mail(GREG, [USER, KIM, SAM], 24, "Sad news", OBITUARY, 1)
    assert congratulations(tmp_path, [memo]) == ([], "")


def test_a_forwarded_announcement_congratulates_the_person_it_names(tmp_path):
    forward = mail(KIM, [USER], 25, "Fwd: Welcome back, Sam", FORWARD, 1)
    assert congratulations(tmp_path, [forward]) == (["Sam Ortiz"], EXPECTED_FORWARD)


EXPECTED_FORWARD = """\
CONGRATULATE
------------

* Sam Ortiz <sam.ortiz@acme.com>
  Started a new role as Director of Research (email from Kim Nguyen, 25
  Nov)."""


def test_the_users_own_congratulation_after_the_news_answers_it(tmp_path):
    memo = mail(GREG, [USER, LAURA, DANIEL, KIM], 24, "Organization announcement", PROMOTIONS, 1)
    reply = mail(USER, [LAURA], 25, "Re: Organization announcement", "Congratulations, Laura! Well deserved.", 2)
    assert congratulations(tmp_path, [memo, reply]) == (["Daniel Okafor"], EXPECTED_AFTER_REPLY)


EXPECTED_AFTER_REPLY = """\
CONGRATULATE
------------

* Daniel Okafor <daniel.okafor@acme.com>
  Started a new role as Director of Risk Management (email from Greg
  Pollard, 24 Nov)."""


def test_news_is_never_the_users_and_finds_people_by_the_names_headers_give(tmp_path):
    jeff = '"McMahon, Jeffrey" <jeffrey.mcmahon@acme.com>'
    known = [mail(USER, [jeff], 4, "Budget", "Here is the budget.", 300), mail(jeff, [USER], 5, "Re: Budget", "Thanks.", 301)]
    memo = mail(GREG, [USER, KIM], 24, "Changes", "Alex Morgan has been promoted to Managing Director. "
                "Jeff McMahon has been named Chief Financial Officer.", 1)
    assert congratulations(tmp_path, [*known, memo]) == (["Jeffrey McMahon"], EXPECTED_BY_NAME)


# The name as the headers write it (how names are shown is issue 10.4's, not this test's).
EXPECTED_BY_NAME = """\
CONGRATULATE
------------

* Jeffrey McMahon <jeffrey.mcmahon@acme.com>
  Started a new role as Chief Financial Officer (email from Greg
  Pollard, 24 Nov)."""
