"""Mail that looks like a reply owed and is not (issue 10): the forms real inboxes hold.

- `cold_pitch`: a stranger who writes every month with a question ("Would you have 15 minutes
  ...?") and is never answered nor written to;
- `thanks_rhetorical`: a contact's thank-you note whose questions are rhetorical ("How did you
  ever find the time ...?");
- `forward_question`: a contact forwards a third party's note that asks a question, in the
  Lotus Notes or tab-indented Outlook form; the forwarder's own text asks nothing.

`plan_followup_cases` adds the threads to a plan with its own random stream (the rest of the
network stays as it was); `MailWriter` writes them with `emit_followup`, and every message is
listed in the ground truth's `reply_not_owed`.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from random import Random

from kith.generator import names
from kith.generator.mailformat import format_address, format_rfc2822, render_message
from kith.generator.network import DAY, USER_NAME, USER_WORK, Plan, Thread, _ascii, _midnight, day_time

KINDS = frozenset({"cold_pitch", "thanks_rhetorical", "forward_question"})
COLD_SENDERS = 2
THANK_YOU_NOTES = 2
FORWARDS = 2
PITCH_EVERY_DAYS = 30

_THANKS = (
    ("the introduction to your team", "How did you ever find the time to set it all up?"),
    ("dinner on Friday", "Wasn't it a lovely evening?"),
    ("the tour of the new office", "Who knew the view from the roof was that good?"),
    ("your notes on the proposal", "How do you always manage to spot exactly what is missing?"),
)
_FORWARDED_ASKS = (
    "Could you send me the updated numbers before Friday?",
    "Can you confirm the venue for the workshop?",
    "Would you be free for a call on Monday to go over the plan?",
)


def plan_followup_cases(seed: int, plan: Plan) -> None:
    """Add cold senders, thank-you notes and forwards to `plan.threads` (kept sorted)."""
    rng = Random(f"followups-{seed}")
    today = plan.today
    taken = {(first, last) for first, last in (p.name.split(" ", 1) for p in plan.people)}
    for _ in range(COLD_SENDERS):
        first, last = rng.choice(names.FIRST_NAMES), rng.choice(names.LAST_NAMES)
        while (first, last) in taken:
            first, last = rng.choice(names.FIRST_NAMES), rng.choice(names.LAST_NAMES)
        taken.add((first, last))
        product = rng.choice(names.PRODUCTS)
        address = f"{_ascii(first)}.{_ascii(last).replace(' ', '')}@{_ascii(product).replace(' ', '')}sales.com"
        last_day = today - timedelta(days=rng.randint(3, 10))
        day = last_day
        while _midnight(day) > plan.start_ts + DAY:
            plan.threads.append(Thread(day_time(rng, _midnight(day)), "cold_pitch", (), (), 1, False, product,
                                       extra=(f"{first} {last}", address)))
            day -= timedelta(days=PITCH_EVERY_DAYS)
    free = [p for p in plan.people if not p.busy and not p.drifting and p.tier in ("weekly", "monthly", "quarterly")]
    rng.shuffle(free)
    for j, p in enumerate(free[: THANK_YOU_NOTES + FORWARDS]):
        p.busy = True
        ts = day_time(rng, _midnight(today - timedelta(days=rng.randint(3, 12))))
        if j < THANK_YOU_NOTES:
            plan.threads.append(Thread(ts, "thanks_rhetorical", (p.idx,), (), 1, False, "", extra=_THANKS[j % len(_THANKS)]))
        else:
            first, last = rng.choice(names.FIRST_NAMES), rng.choice(names.LAST_NAMES)
            plan.threads.append(Thread(ts, "forward_question", (p.idx,), (), 1, False, rng.choice(names.TOPICS),
                                       text=_FORWARDED_ASKS[j % len(_FORWARDED_ASKS)],
                                       extra=(f"{first} {last}", "lotus" if j % 2 == 0 else "outlook")))
    plan.threads.sort(key=lambda t: t.ts)


def emit_followup(writer, t: Thread) -> None:
    """Write one planned case through `writer` (a `MailWriter`) and list it as not owed."""
    user = format_address(USER_NAME, USER_WORK)
    if t.kind == "cold_pitch":
        name, address = t.extra
        sender, offset, sig = format_address(name, address), -300, name.split()[0]
        subject = f"{t.topic} for your team"
        body = (f"Hi {USER_NAME.split()[0]},\n\nI am reaching out because {t.topic} helps teams like yours save hours "
                f"every week. Would you have 15 minutes next week for a quick call?\n\nBest,\n{sig}\n")
        why = "a cold sender, never answered"
    else:
        p = writer.people[t.contacts[0]]
        address, sender, offset = p.primary, format_address(p.name, p.primary), p.tz
        if t.kind == "thanks_rhetorical":
            thing, question = t.extra
            subject = "Thank you"
            body = (f"Hi {USER_NAME.split()[0]},\n\nThank you so much for {thing}! {question} "
                    f"It meant a lot to the whole team.\n\nWarmly,\n{p.first}\n")
            why = "a rhetorical question in a thank-you note"
        else:
            subject = f"FW: {t.topic[:1].upper()}{t.topic[1:]}"
            body = "FYI - see below.\n\n" + _forwarded(p.name, t, writer.plan.today) + "\n"
            why = "the question is in the forwarded note, put to someone else"
        writer._touch((p.idx,), t.ts)
    # An id of its own: drawing from the writer's random stream would change the rest of the mail.
    message_id = f"<{t.ts:x}.{len(writer.reply_not_owed):x}.followup@{address.split('@')[1]}>"
    text = render_message(from_=sender, to=user, subject=subject, date=format_rfc2822(t.ts, offset),
                          message_id=message_id, body=body)
    writer._push(t.ts, "inbox", address, text)
    writer.reply_not_owed.append({"message_id": message_id, "address": address, "why": why})


def _forwarded(forwarder: str, t: Thread, today) -> str:
    """A third party's note as Lotus Notes or Outlook show it inside a forward."""
    author, form = t.extra
    when = datetime.fromtimestamp(t.ts - DAY, timezone.utc)
    note = f"Hi {forwarder.split()[0]},\n\nI have been thinking about the {t.topic}. {t.text}\n\n{author.split()[0]}"
    if form == "lotus":
        return (f"---------------------- Forwarded by {forwarder}/HOU/ACME on {when:%m/%d/%Y %I:%M %p} "
                f"---------------------------\n\n\n\t{author}\n\t{when:%m/%d/%Y %I:%M %p}\n\t\t\n"
                f"\t\t To: {forwarder}/HOU/ACME@ACME\n\t\t cc:\n\t\t Subject: {t.topic}\n\n{note}")
    return (f"\tFrom: {author}\n\tSent: {when:%A, %B %d, %Y %I:%M %p}\n\tTo: {forwarder}\n"
            f"\tSubject: {t.topic}\n\n{note}")
