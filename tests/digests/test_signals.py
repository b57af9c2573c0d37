from datetime import date, datetime

from kith.digests.signals import detect_signals
from kith.models import Address, Batch, Message

USER = ["me@example.com"]


def message(sender, body, subject="Hello", to=("me@example.com",), **extra):
    return Message(account="a", source_id=f"<{hash((sender, body, subject))}@x>", stream="s",
                   subject=subject, sent_at=datetime(2026, 11, 3, 10), sender=Address(email=sender),
                   to=[Address(email=t) for t in to], body_text=body, **extra)


def signals(*messages):
    return [(s.kind, s.address, s.evidence, s.company, s.title)
            for s in detect_signals(Batch(account="a", stream="s", messages=list(messages)), USER)]


def test_linkedin_notifications_name_the_person():
    got = signals(
        message("notifications-noreply@linkedin.com",
                "Hi", subject="Dana Kim started a new position as VP Engineering at Newco", list_unsubscribe=True),
        message("notifications-noreply@linkedin.com", "Hi", subject="Congratulate Sam Lee on 5 years at Acme"),
        message("notifications-noreply@linkedin.com", "Hi", subject="Wish José Costa a happy birthday"),
    )
    assert got == [
        ("new_role", "name:dana kim", "Dana Kim started a new position as VP Engineering at Newco", "Newco", "VP Engineering"),
        ("work_anniversary", "name:sam lee", "Congratulate Sam Lee on 5 years at Acme", "Acme", "5 years"),
        ("birthday", "name:josé costa", "Wish José Costa a happy birthday", None, None),
    ]


def test_announcements_in_a_contacts_own_mail():
    got = signals(
        message("dana@old.com", "Hi all,\n\nI'm excited to share that I've joined Lumen Bio as Head of Data! Yay.\n"),
        message("sam@acme.com", "Hi,\n\nI've been promoted to Director of Sales.\n"),
        message("kim@acme.com", "Hi,\n\nWe just launched Foobar 2.0! Have a look.\n"),
    )
    assert got == [
        ("new_role", "dana@old.com", "I'm excited to share that I've joined Lumen Bio as Head of Data!", "Lumen Bio", "Head of Data"),
        ("promotion", "sam@acme.com", "I've been promoted to Director of Sales.", None, "Director of Sales"),
        ("launch", "kim@acme.com", "We just launched Foobar 2.0!", None, "Foobar 2.0"),
    ]


def test_questions_only_in_new_text_and_promises_in_sent_mail():
    quoted_only = message("dana@acme.com", "Thanks, all clear.\n\nOn Mon, 2 Nov 2026, Me wrote:\n> Could you help?\n")
    asked = message("dana@acme.com", "Hi,\n\nThanks for the update. Could you send me the deck?\n\nDana\n")
    sent = message("me@example.com", "Hi Dana,\n\nGood to hear. I'll send you the deck by Friday. Are you around?\n",
                   to=("dana@acme.com",))
    assert signals(quoted_only, asked, sent) == [
        ("question", "dana@acme.com", "Could you send me the deck?", None, None),
        ("question", "dana@acme.com", "Are you around?", None, None),
        ("promise", "dana@acme.com", "I'll send you the deck by Friday.", None, None),
    ]


def test_typographic_apostrophes_read_as_plain_ones():
    # Mail apps write "I’ll" and "isn’t" with U+2019: the same promise, the same small talk.
    sent = message("me@example.com", "Hi Dana,\n\nGood to hear. I’ll send you the deck by Friday.\n", to=("dana@acme.com",))
    small_talk = message("dana@acme.com", "Hi Alex,\n\nHow’s the family?\n\nDana\n")
    rhetorical = message("dana@acme.com", "Hi Alex,\n\nWe closed the round. Isn’t it great that you called it?\n")
    asked = message("dana@acme.com", "Hi Alex,\n\nWe’re in town Friday. Can’t you join us for lunch?\n")
    assert signals(sent, small_talk, rhetorical, asked) == [
        ("promise", "dana@acme.com", "I'll send you the deck by Friday.", None, None),
        ("question", "dana@acme.com", "Can't you join us for lunch?", None, None),
    ]


def test_automated_and_list_mail_is_skipped():
    assert signals(
        message("noreply@shop.com", "Could you rate us?"),
        message("news@list.org", "Could you read this? We just launched X", list_id="<l.list.org>"),
        message("bob@acme.com", "We just launched X! Could you look?", precedence="bulk"),
    ) == []


def test_snippets_are_short():
    # A question is kept whole up to 240 characters (most real ones fit), then cut.
    body = "Hi,\n\n" + "Could you " + "really " * 40 + "help?\n"
    (signal,) = detect_signals(Batch(account="a", stream="s", messages=[message("dana@acme.com", body)]), USER)
    assert len(signal.evidence) == 240 and signal.evidence.endswith("…")
    assert signal.happened_on == date(2026, 11, 3)


def test_news_about_people_named_in_memos_and_the_users_own_congratulations():
    memo = message("greg@acme.com", "Team,\n\nLaura Reyes has been promoted to Vice President. Sam Ortiz will be "
                   "joining us as Director of Research. Cindy Olson will head this function.\n\nGreg\n",
                   to=("me@example.com", "laura@acme.com"))
    own = message("iris@acme.com", "Dear all,\n\nI will be moving to the Power Trading group next month.\n")
    mine = message("me@example.com", "Congratulations, Laura! Well deserved.\n\nAlex\n", to=("laura@acme.com",))
    about_me = message("me@example.com", "News: I have been promoted to Director of Sales.\n", to=("dana@acme.com",))
    assert signals(memo, own, mine, about_me) == [
        ("promotion", "name:laura reyes", "Laura Reyes has been promoted to Vice President.", None, "Vice President"),
        ("new_role", "name:sam ortiz", "Sam Ortiz will be joining us as Director of Research.", None,
         "Director of Research"),
        ("new_role", "name:cindy olson", "Cindy Olson will head this function.", None, None),  # no role: no title
        ("new_role", "iris@acme.com", "I will be moving to the Power Trading group next month.", "Power Trading group", None),
        ("congratulated", "laura@acme.com", "Congratulations, Laura!", None, None),
    ]


def test_own_news_dated_in_the_past_or_sad_is_no_signal():
    assert signals(
        message("dana@acme.com", "Hi,\n\nWhen I joined Enron in 1999, I was asked to sit on the advisory board.\n"),
        message("sam@acme.com", "Hi,\n\nI have resigned. I joined Acme as an analyst and was promoted to Director.\n"),
    ) == []


def test_a_question_greeting_other_recipients_is_theirs_only_when_the_user_is_seen_among_them():
    # "Sandeep and Vasant:" with the user copied in is put to them; the same greeting sent to an
    # address of the user's that the settings do not list cannot be told apart from a colleague's.
    body = "Sandeep and Vasant:\n\nDo you want to reschedule this meeting?\n\nShirley\n"
    to_them = message("shirley@acme.com", body, to=("me@example.com", "sandeep.kohli@acme.com", "vasant@acme.com"))
    unlisted = message("shirley@acme.com", body, subject="Again",
                       to=("sandeep.kohli@acme.com", "vasant@acme.com", "me@home.example"))
    to_user = message("shirley@acme.com", "Vince:\n\nDo you want me to respond to Jim?\n", subject="Jim",
                      to=("me@example.com", "sandeep.kohli@acme.com"))
    assert signals(to_them, unlisted, to_user) == [
        ("question", "shirley@acme.com", "Do you want to reschedule this meeting?", None, None),
        ("question", "shirley@acme.com", "Do you want me to respond to Jim?", None, None),
    ]
