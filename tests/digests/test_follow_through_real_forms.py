"""Follow through on mail written the way real mail is (issue 10, item 4): a small mailbox synced
into a warehouse, the digest built for a pinned day and compared whole, as the user reads it.

Each case is one a real CEO's inbox got wrong: fragments shown as questions, a rhetorical question
in a thank-you note, a cold sender's monthly pitch, a question inside a forward, "Last, First"
names, and inbound strangers counted as new connections. The mail here is written for these
tests in the forms real clients use; no corpus text is copied.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from synced_mailbox import mailbox_digest

from kith.digests.render import render_text

DAY = date(2026, 11, 26)
USER = "Alex Morgan <alex.morgan@acme.com>"
DANA = "Dana Kim <dana.kim@acme.com>"
SAM = "Sam Ortiz <sam.ortiz@acme.com>"
COOK = '"Cook, Lodwrick" <lodwrick.cook@crossing.example>'
SELLER = "Pat Seller <pat@vendorly.example>"


def mail(sender: str, to: list[str], when: str, subject: str, body: str, number: int) -> str:
    """One mbox entry; `when` is a day in 2026 like '20 Nov'."""
    return (f"From x@x Mon Nov  2 10:00:00 2026\nFrom: {sender}\nTo: {', '.join(to)}\n"
            f"Date: {when} 2026 10:00:00 +0000\nMessage-ID: <{number}@test.example>\nSubject: {subject}\n\n{body}\n\n")


def known(*people: str) -> list[str]:
    """A short exchange with each person on 2-3 November: they are known contacts."""
    out = []
    for number, person in enumerate(people):
        out.append(mail(USER, [person], "2 Nov", "Catching up", "Good to see you at the offsite.", 100 + number))
        out.append(mail(person, [USER], "3 Nov", "Re: Catching up", "Likewise, talk soon.", 200 + number))
    return out


def digest_text(tmp_path: Path, messages: list[str]) -> str:
    return render_text(mailbox_digest(tmp_path, "".join(messages), DAY))


def digest(count: int, connections: int, *blocks: str) -> str:
    """The whole text digest of `DAY` with these section blocks."""
    things = f" {count} thing{'s' if count != 1 else ''} for today." if count else ""
    body = "\n\n".join(blocks) if blocks else (
        "Nothing needs you today. Your network is in good shape: enjoy the spare\nfifteen minutes.")
    return (f"kith digest for Thursday 26 November 2026\nGood morning, Alex Morgan.{things}\n"
            f"New connections this week: {connections} of 1\n\n{body}\n\n"
            "--\nkith: fifteen minutes a day keeps your network alive.\n")


GROUP_QUESTION = """I am looking for one or two more interesting topics or speakers for
the next forum.  Does anyone have any ideas or topics they would like to
see covered by anyone?  Please let me know if you have any suggestions.
Dana"""

TABLE_AND_QUESTION = """Alex,

I told them our first commitment would be the following: Fund A $250,000;
Fund B $100,000; Trust ? (possibly $100,000).  Could you tell me whether
the amounts above are okay with you?

Sam"""


def test_a_question_shown_is_a_whole_sentence_never_a_fragment(tmp_path):
    # Fails on main: "see covered by anyone?" (a wrapped line's tail, put to a group) and
    # "$100,000; Trust ?" (a blank in a list) were shown as questions owed.
    others = [f"Member {n} <member{n}@acme.com>" for n in range(6)]
    text = digest_text(tmp_path, [*known(DANA, SAM),
                                  mail(DANA, [USER, *others], "20 Nov", "Forum", GROUP_QUESTION, 1),
                                  mail(SAM, [USER], "21 Nov", "Fund update", TABLE_AND_QUESTION, 2)])
    assert text == digest(1, 0, """\
REPLIES YOU OWE
---------------

* Sam Ortiz <sam.ortiz@acme.com>
  Asked you 5 days ago: “Could you tell me whether the amounts above are
  okay with you?”
  Last: Email “Fund update” on 21 Nov 2026""")


THANK_YOU = """Hi Alex,

Thank you so much for dinner on Friday! How did you ever find such a wonderful place?
Wasn't it a lovely evening?

Dana"""


def test_a_rhetorical_question_in_a_thank_you_note_is_no_reply_owed(tmp_path):
    # Fails on main: "How did you ever find such a wonderful place?" was a reply owed.
    text = digest_text(tmp_path, [*known(DANA), mail(DANA, [USER], "20 Nov", "Dinner", THANK_YOU, 1)])
    assert text == digest(0, 0)


def test_last_first_names_are_shown_as_people_write_them(tmp_path):
    # Fails on main: "Cook, Lodwrick" headed the item.
    question = "Ken,\n\nPerhaps we can swing by Houston in the next few months to see you?\n\nLod"
    text = digest_text(tmp_path, [*known(COOK), mail(COOK, [USER], "20 Nov", "Phone call", question, 1)])
    assert text == digest(1, 0, """\
REPLIES YOU OWE
---------------

* Lodwrick Cook <lodwrick.cook@crossing.example>
  Asked you 6 days ago: “Perhaps we can swing by Houston in the next few
  months to see you?”
  Last: Email “Phone call” on 20 Nov 2026""")


PITCH = """Hi Alex,

Our platform makes trading systems easier to maintain. Would you have 15 minutes for a call
next week to see whether it could help your team?

Pat"""


def test_a_cold_sender_who_writes_every_month_and_is_never_answered_is_owed_nothing(tmp_path):
    # Fails on main: the monthly pitch came first under "Replies you owe".
    months = ("22 Jun", "22 Jul", "21 Aug", "21 Sep", "21 Oct", "20 Nov")
    pitches = [mail(SELLER, [USER], when, "Quick question", PITCH, number) for number, when in enumerate(months)]
    asked = "Hi Alex,\n\nAre you free on Tuesday to go over the budget?\n\nDana"
    text = digest_text(tmp_path, [*known(DANA), *pitches, mail(DANA, [USER], "21 Nov", "Budget", asked, 10)])
    assert text == digest(1, 0, """\
REPLIES YOU OWE
---------------

* Dana Kim <dana.kim@acme.com>
  Asked you 5 days ago: “Are you free on Tuesday to go over the budget?”
  Last: Email “Budget” on 21 Nov 2026""")


LOTUS_FORWARD = """FYI - see below.

---------------------- Forwarded by Dana Kim/HOU/ACME on 11/20/2026 09:12 AM ---------------------------


\tRiley Park <riley.park@partner.example>
\t11/19/2026 04:58 PM
\t\t
\t\t To: Dana Kim/HOU/ACME@ACME
\t\t cc:
\t\t Subject: Visit

How do you want me to proceed with the visit on the 21st?

Riley"""

OUTLOOK_REPLY = """Thanks, that works for me.

-----Original Message-----
From: Sam Ortiz
Sent: Thursday, November 19, 2026 9:02 AM
To: Alex Morgan
Subject: Plans

Can you send me the agenda before Friday?"""

OUTLOOK_BLOCK = """Sounds good, see you then.

From: Dana Kim
Sent: Thursday, November 19, 2026 9:02 AM
To: Sam Ortiz
Subject: Lunch

Shall we meet at noon on Friday?"""

GERMAN_REPLY = """Danke, passt mir gut.

Am 19.11.2026 um 09:02 schrieb Sam Ortiz <sam.ortiz@acme.com>:
> Could you send me the agenda before Friday?"""


def test_questions_inside_forwards_and_quotes_are_not_the_senders(tmp_path):
    # Fails on main: the question in the Lotus Notes forward (tab-indented header) was filed as
    # the forwarder's. The Outlook "From:/Sent:" block and the German "Am ... schrieb" reply guard
    # the other forms.
    text = digest_text(tmp_path, [*known(DANA, SAM),
                                  mail(DANA, [USER], "20 Nov", "FW: Visit", LOTUS_FORWARD, 1),
                                  mail(DANA, [USER], "20 Nov", "RE: Lunch", OUTLOOK_BLOCK, 2),
                                  mail(SAM, [USER], "20 Nov", "RE: Plans", GERMAN_REPLY, 3)])
    assert text == digest(0, 0)


def test_inbound_strangers_are_not_new_connections(tmp_path):
    # Fails on main: "New connections this week: 4 of 1" counted three strangers who wrote in.
    strangers = [mail(f"Stranger {n} <stranger{n}@elsewhere.example>", [USER], "23 Nov", "Hello",
                      "We help companies like yours grow.", 10 + n) for n in range(3)]
    new = "Riley Park <riley.park@partner.example>"
    exchange = [mail(new, [USER], "23 Nov", "Intro", "Good to meet you at the conference.", 20),
                mail(USER, [new], "24 Nov", "Re: Intro", "Likewise, glad we met.", 21)]
    text = digest_text(tmp_path, [*known(DANA), *strangers, *exchange])
    assert text.splitlines()[2] == "New connections this week: 1 of 1"
