from datetime import date, datetime

from kith.digests import wording


def test_durations():
    assert [wording.duration(d) for d in (1, 5, 13, 14, 21, 77, 90, 91, 400, 800)] == [
        "1 day", "5 days", "13 days", "2 weeks", "3 weeks", "11 weeks", "13 weeks", "3 months", "13 months", "2 years"]
    assert [wording.every(d) for d in (1, 7, 21, 30)] == ["every day", "every week", "every 3 weeks", "every 4 weeks"]


def test_every_kind_of_reason():
    today = date(2026, 11, 20)
    assert wording.reconnect_reason(21, 77, "usual") == "You usually talk every 3 weeks; it has been 11 weeks."
    assert wording.reconnect_reason(30, 45, "pinned") == "You asked to keep in touch every 4 weeks; it has been 6 weeks."
    assert wording.reconnect_reason(30, 61, "twice") == "You have talked twice, 4 weeks apart; it has been 9 weeks."
    assert wording.reconnect_reason(365, 400, "once") == "You have talked once; it has been 13 months."
    assert wording.reply_owed_reason(5, "Could you send me the deck?") == "Asked you 5 days ago: “Could you send me the deck?”"
    assert wording.awaiting_reason(6) == "You wrote 6 days ago and have had no reply."
    assert wording.promise_reason(date(2026, 11, 12), "I'll send you the deck by Friday.") == (
        "You promised on 12 Nov: “I'll send you the deck by Friday.”")
    assert wording.new_person_reason(date(2026, 11, 17), "Intro", today) == (
        "You met for the first time on Tuesday 17 Nov (“Intro”) and have not written since.")
    assert wording.new_person_reason(date(2026, 11, 19), None, today) == (
        "You met for the first time yesterday and have not written since.")
    c = wording.congratulate_reason
    assert c("new_role", date(2026, 11, 3), today, source="LinkedIn", company="Newco", title="VP Engineering") == (
        "Started a new position as VP Engineering at Newco (LinkedIn, 3 Nov).")
    assert c("new_role", date(2026, 11, 3), today, source="their email", company="Newco") == "Joined Newco (their email, 3 Nov)."
    assert c("promotion", date(2026, 11, 3), today, source="their email", title="CTO") == "Promoted to CTO (their email, 3 Nov)."
    assert c("work_anniversary", date(2026, 11, 3), today, source="LinkedIn", company="Acme", title="5 years") == (
        "Work anniversary: 5 years at Acme (LinkedIn, 3 Nov).")
    assert c("launch", date(2026, 11, 3), today, source="their email", title="Foobar 2.0") == (
        "Launched Foobar 2.0 (their email, 3 Nov).")
    assert c("birthday", date(2026, 11, 27), today, source="calendar") == "Birthday on Friday 27 Nov."
    assert c("birthday", today, today, source="calendar") == "Birthday today, Friday 20 Nov."
    assert wording.domain_change_reason("Dana Kim", "newco.com") == "Dana now writes from @newco.com: new role?"


def test_last_interaction():
    assert wording.last_interaction("email", "Budget", datetime(2026, 9, 2, 10)) == "Email “Budget” on 2 Sep 2026"
    assert wording.last_interaction("meeting", "1:1", datetime(2026, 9, 2, 10)) == "Meeting “1:1” on 2 Sep 2026"
    assert wording.last_interaction("email", None, datetime(2026, 9, 2, 10)) == "Email on 2 Sep 2026"
