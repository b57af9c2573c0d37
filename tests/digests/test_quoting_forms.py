"""The new text of a reply or forward, in the forms real mail clients write (digests.quoting),
and the questions in it that expect an answer (digests.questions)."""

import pytest

from kith.digests.questions import find_question
from kith.digests.quoting import new_text, split_segments

FORMS = {
    "gmail": "Yes, Tuesday works.\n\nOn Mon, 23 Nov 2026 at 10:02, Dana Kim <dana@acme.com> wrote:\n> Can we meet Tuesday?\n",
    "gmail wrapped": "Yes, Tuesday works.\n\nOn Mon, 23 Nov 2026 at 10:02, Dana Kim <dana@acme.com>\nwrote:\n\n> Can we meet Tuesday?\n",
    "gmail forward": "Yes, Tuesday works.\n\n---------- Forwarded message ---------\nFrom: Dana Kim <dana@acme.com>\n"
                     "Date: Mon, 23 Nov 2026\nSubject: Meet\n\nCan we meet Tuesday?\n",
    "outlook": "Yes, Tuesday works.\n\n-----Original Message-----\nFrom: Dana Kim [mailto:dana@acme.com]\n"
               "Sent: Monday, November 23, 2026 10:02 AM\nTo: Alex Morgan\nSubject: Meet\n\nCan we meet Tuesday?\n",
    "outlook block": "Yes, Tuesday works.\n\n________________________________\nFrom: Dana Kim\nSent: Monday, 23 November 2026 10:02\n"
                     "To: Alex Morgan\n\nCan we meet Tuesday?\n",
    "outlook block, no rule": "Yes, Tuesday works.\n\nFrom: Dana Kim\nSent: Monday, 23 November 2026 10:02\n"
                              "To: Alex Morgan\nSubject: Meet\n\nCan we meet Tuesday?\n",
    "apple": "Yes, Tuesday works.\n\nOn Nov 23, 2026, at 10:02 AM, Dana Kim <dana@acme.com> wrote:\n\n> Can we meet Tuesday?\n",
    "apple forward": "Yes, Tuesday works.\n\nBegin forwarded message:\n\nFrom: Dana Kim <dana@acme.com>\nSubject: Meet\n\n"
                     "Can we meet Tuesday?\n",
    "lotus forward": "Yes, Tuesday works.\n\n---------------------- Forwarded by Dana Kim/HOU/ACME on 11/23/2026 10:02 AM "
                     "---------------------------\n\n\tRiley Park\n\t11/22/2026 04:58 PM\n\t\tTo: Dana Kim/HOU/ACME@ACME\n\n"
                     "Can we meet Tuesday?\n",
    "lotus header": "Yes, Tuesday works.\n\n\t\"Park, Riley\" <riley@partner.example> 11/22/2026 04:58 PM \t To: <dana@acme.com>  "
                    "cc:   Subject: Meet\n\nCan we meet Tuesday?\n",
    # the author alone on a line, the date alone under it (a reply in Lotus Notes)
    "lotus two-line header": "Yes, Tuesday works.\n\nRiley Park@ACME\n11/22/2026 04:58 PM\nTo:\tDana Kim/HOU/ACME@ACME\n"
                             "cc:\nSubject: Meet\n\nCan we meet Tuesday?\n",
    "german": "Yes, Tuesday works.\n\nAm 23.11.2026 um 10:02 schrieb Dana Kim <dana@acme.com>:\n\n> Can we meet Tuesday?\n",
    "french": "Yes, Tuesday works.\n\nLe lun. 23 nov. 2026 à 10:02, Dana Kim <dana@acme.com> a écrit :\n\n> Can we meet Tuesday?\n",
    "spanish": "Yes, Tuesday works.\n\nEl lun, 23 nov 2026 a las 10:02, Dana Kim (<dana@acme.com>) escribió:\n> Can we meet Tuesday?\n",
    "dutch": "Yes, Tuesday works.\n\nOp ma 23 nov. 2026 om 10:02 schreef Dana Kim <dana@acme.com>:\n> Can we meet Tuesday?\n",
}


@pytest.mark.parametrize("form", sorted(FORMS))
def test_the_new_text_stops_where_quoted_or_forwarded_text_starts(form):
    assert new_text(FORMS[form]) == "Yes, Tuesday works."
    assert find_question(new_text(FORMS[form])) is None


@pytest.mark.parametrize("form", ["gmail wrapped", "outlook block, no rule", "lotus header", "lotus two-line header",
                                  "german", "french", "dutch"])
def test_the_quoted_part_is_by_its_author(form):
    segments = split_segments(FORMS[form], "Alex Morgan")
    assert [(s.text, s.author, s.from_sender) for s in segments] == [
        ("Yes, Tuesday works.", "Alex Morgan", True), ("Can we meet Tuesday?", segments[1].author, False)]
    assert segments[1].author in ("Dana Kim", "Riley Park")


QUESTIONS = {
    # wrapped by the client: one sentence, shown whole
    "Steve here.\nIs there someone you would recommend I talk with on\nthe trading side?\n":
        "Is there someone you would recommend I talk with on the trading side?",
    # a short hand-wrapped line is not a heading
    "Dad,\nJust checking on dates.  JL and I are going\nwith you on the 22nd and want to know if\nwe should book a flight???\n":
        "JL and I are going with you on the 22nd and want to know if we should book a flight?",
    "Our commitment: Fund A $250,000; Trust ? (possibly $100,000).\n": None,  # a blank in a list
    "Does anyone have ideas they would like to\nsee covered?\n": None,  # put to a group
    "So how is your family?\n": None,  # small talk
    "Thank you for the tour! How did you manage to fit it all in?\n": None,  # rhetorical, in a thank-you note
    "Thanks for the tour! Could you send me the slides?\n": "Could you send me the slides?",
    "Never hesitate to forward us anything, okay?\n": None,  # a tag question
    "He asked: \"What is the way forward for the market?\" We will see.\n": None,  # quoted speech
    "___\nDo You Yahoo!?\nGet email at http://mail.yahoo.com\n": None,  # a footer
    "Can my mother come back with us?\n": "Can my mother come back with us?",
}


@pytest.mark.parametrize("text", sorted(QUESTIONS))
def test_a_question_is_a_whole_sentence_that_expects_an_answer(text):
    assert find_question(text) == QUESTIONS[text]
