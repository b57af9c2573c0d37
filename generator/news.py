"""News about the user's contacts in the forms the world writes it, with its ground truth.

Real announcements are rarely the contact's own "I've joined": they are memos to many people
("please join me in congratulating ...", "... will be joining us as ..."), lists of several
promotions in one memo (known people and strangers), a memo forwarded by a colleague (in Gmail,
Outlook, Apple Mail or Lotus Notes form), a reply with the memo in its quoted text, or a subject
line alone; older memos, outside the digest's window, are there too. Some news is not a
congratulation at all: a death in a contact's family, an illness, a layoff, a departure written
as a loss (sometimes naming the successor, who is news), a reorganisation that names nobody.
And sometimes the user has already written to congratulate.

`plan_news` decides all of it from its own `Random` (so the rest of the network is unchanged)
and records the facts: `signals` (whom to congratulate, dated the day the user's mail shows the
news), `not_congratulated` (sad news about a known person) and `congratulated_already` (news the
user answered). The wording is written here; none of it is taken from real mail.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from random import Random

from kith.generator import names
from kith.generator.mailformat import format_address, format_rfc2822, render_message
from kith.generator.network import USER_NAME, USER_WORK, Person, Plan, _ascii, _midnight, day_time

USER_FIRST = USER_NAME.split()[0]
AREAS = ("data", "platform", "partnerships", "sales", "design", "research", "customer success", "finance")
TEAM_WORDS = ("twelve", "fifteen", "twenty", "several")

# Each template: (kind as the ground truth files it, subject, the sentence that carries the news).
# {name} full name, {first} first name, {title}, {company}, {area}, {effective}, {years}, {oldco}.
PROMOTION = (
    ("promotion", "Leadership update",
     "Please join me in congratulating {name}, who has been promoted to {title}. Over the last {years} years "
     "{first} has shaped most of what our customers rely on."),
    ("promotion", "Promotion announcement",
     "I am very pleased to announce that {name} has been promoted to {title}, effective {effective}."),
    ("promotion", "Congratulations, {first}",
     "Congratulations to {name} on a well-earned promotion to {title}! {first} keeps working closely with the {area} group."),
    ("promotion", "A well-deserved step up",
     "It gives me real pleasure to tell you that {name} is our new {title}."),
    ("promotion", "News from the {area} team",
     "Effective {effective}, {name} has been promoted to {title} and will report directly to me."),
)
APPOINTMENT = (
    ("new_role", "Announcement: our new {title}",
     "We are delighted to announce that {name} has been appointed {title} at {company}."),
    ("new_role", "{company} leadership news",
     "Our board has named {name} as {title}, effective {effective}."),
    ("new_role", "Changes in the leadership team",
     "{name} will take over as {title} at the start of next month, after a long search."),
    ("new_role", "Welcome our new {title}",
     "I'm happy to share that {name} has accepted the role of {title} and starts on {effective}."),
)
JOINING = (
    ("new_role", "Welcome {first}",
     "{name} will be joining us as {title} on {effective}. Many of you already know {first} from {oldco}."),
    ("new_role", "A new colleague",
     "Please give a warm welcome to {name}, who joins the team as {title} this week."),
    ("new_role", "Team news",
     "I'm thrilled to let you know that {name} has joined {company} as our new {title}."),
    ("new_role", "Please welcome {first}",
     "Please welcome {name} to {company}! {first} comes to us from {oldco} and will lead our {area} work."),
)
MEMOS = PROMOTION + APPOINTMENT + JOINING
# Filler that follows the news in a memo: no names, no news words, no questions.
MEMO_FILLER = (
    "I know you will all make {first} feel supported in the months ahead.",
    "There will be coffee and cake in the kitchen on Friday afternoon.",
    "Thank you all for a strong quarter; more updates soon.",
    "{first} will be reaching out to many of you over the next few weeks.",
)

# A list of several people in one memo: the lead, then one row per person.
LIST_LEADS = (
    ("promotion", "Promotions", "The following people have been promoted, effective {effective}:"),
    ("promotion", "This year's promotions", "I'm pleased to announce this round of promotions:"),
    ("new_role", "New roles", "Please join me in congratulating these colleagues on their new roles:"),
    ("new_role", "New team members", "We are welcoming several new team members this month:"),
)
LIST_ROWS = ("\t{name}\t\t{title}", "  {name} - {title}", "- {name}, {title}", "  {name} ({title})",
             "{name:<28}{title}")

# A colleague forwarding news: their note, then the forwarded message in a client's own form.
FORWARD_NOTES = (
    "Thought you would like to see this. Great news for {first}.",
    "Passing this along in case it did not reach you.",
    "Sharing the note that went round our office this morning.",
    "FYI, {first} said you would want to hear it from us first.",
)
# First-person news, forwarded: the author of the forwarded part is the one to congratulate.
OWN_NEWS = (
    ("new_role", "Some news",
     "Some personal news: I've accepted an offer to join {company} as {title}, starting {effective}."),
    ("promotion", "A small update",
     "I wanted you to hear it from me: I've been promoted to {title}."),
)
# A reply whose new text cheers, with the news in the quoted memo.
REPLY_NOTES = (
    "Congratulations, {first}! Well deserved.",
    "Wonderful news, so happy for {first}.",
    "Great choice. Looking forward to working with {first} on this.",
    "Thanks for sharing, and congrats {first}!",
)
# Subject-only news: the body does not repeat it.
SUBJECT_NEWS = (
    ("new_role", "{name} named {title}"),
    ("promotion", "{name} promoted to {title}"),
    ("promotion", "Congratulations to {name} on the promotion"),
    ("new_role", "Please welcome {name}, our new {title}"),
)
SUBJECT_BODIES = (
    "See the attached note. Please share it with your teams.",
    "Details in the attachment.",
    "Short and sweet: see the subject line. Drinks on Friday to celebrate.",
)
# Not a congratulation: (what the ground truth calls it, subject, text).
SAD = (
    ("death", "Sad news",
     "I'm sorry to pass on that {name}'s father passed away over the weekend. {first} will be away for the rest "
     "of the week, and the family has asked for privacy."),
    ("death", "With sympathy",
     "Many of you know {name}, whose mother died peacefully on {weekday}. A card is going round the office if "
     "you would like to sign it."),
    ("illness", "Update on {first}",
     "{name} is recovering from surgery and will be out for a few weeks. {stranger} is covering {first}'s "
     "accounts in the meantime."),
    ("illness", "Thinking of {first}",
     "{name} has been in hospital since {weekday} and is doing better, but will not be back before the end of the month."),
    ("layoff", "Difficult news",
     "This morning we had to lay off {count} people, {name} among them. {first} built our {area} team from nothing."),
    ("layoff", "Team changes",
     "I'm sad to say that {name} was affected by this week's layoffs. It has been a privilege to work with {first}."),
    ("departure", "Farewell to {first}",
     "After {years} wonderful years, {name} is leaving us at the end of the month. We will miss {first} enormously."),
    ("departure", "{first}'s last day",
     "Friday will be {name}'s last day with us. The {area} team will not be the same without {first}."),
)
# After a departure: whoever follows is news to congratulate.
SUCCESSION = (
    "{successor} has been named {title} in {first}'s place.",
    "We are pleased to announce that {successor} will succeed {first} as {title}.",
)
REORG = (
    ("Organisation update",
     "From next quarter the sales and partnerships teams will be combined into one commercial group. "
     "New reporting lines will be announced in the coming weeks."),
    ("Restructuring",
     "We are reorganising engineering into three product areas. Nobody's role changes yet; the details will "
     "follow at the all-hands."),
)
# The user's own mail after the news: congratulating, so the item is done.
USER_CONGRATS = (
    "Hi {first},\n\nJust saw the news, congratulations! Very well deserved.\n\n{user}\n",
    "{first}, congrats! {title} suits you. Let's celebrate when I'm next in town.\n\n{user}\n",
    "Hi {first},\n\nWhat great news. Congratulations, and good luck with the first weeks.\n\nBest,\n{user}\n",
)
EFFECTIVE = ("Monday", "the first of next month", "January 4", "December 1", "the 7th")
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday")
SENDER_TITLES = ("Chief Executive Officer", "Head of People", "Chief Operating Officer", "Managing Director")


@dataclass
class News:
    """The planned news mail and its ground truth."""

    messages: list[tuple[int, str, str, str, tuple[int, ...]]] = field(default_factory=list)  # ts, folder, from, text, touched
    signals: list[dict] = field(default_factory=list)
    not_congratulated: list[dict] = field(default_factory=list)
    congratulated_already: list[dict] = field(default_factory=list)


class _Planner:
    def __init__(self, rng: Random, plan: Plan):
        self.rng, self.plan, self.news = rng, plan, News()
        taken = {s["address"] for s in plan.signals}
        # One address each, so the ground truth's address is the one their mail shows.
        self.free = [p for p in plan.people if not p.busy and p.move_ts is None and p.primary not in taken
                     and p.personal is None and not p.variants]
        rng.shuffle(self.free)
        self.writers = [p for p in plan.people if p.tier in ("weekly", "monthly") and not p.drifting]
        used = {p.name for p in plan.people} | {n for n, *_ in plan.new_people} | {n for n, _ in plan.unknown_people}
        self.strangers = [f"{f} {l}" for f in names.FIRST_NAMES for l in names.LAST_NAMES if f"{f} {l}" not in used]
        rng.shuffle(self.strangers)
        self.seq = 0

    # -- people and facts ----------------------------------------------------------------------
    def person(self, company: str | None = None) -> Person | None:
        """A contact with no news yet (at `company` when one is free there)."""
        if company is not None:
            for k, p in enumerate(self.free):
                if p.company == company:
                    return self.free.pop(k)
        return self.free.pop() if self.free else None

    def writer(self, p: Person) -> Person:
        """A frequent contact to pass news about `p` on: a colleague of p's when there is one."""
        colleague = next((w for w in self.writers if w.company == p.company and w is not p), None)
        return colleague or self.rng.choice(self.writers)

    def stranger(self, domain: str) -> tuple[str, str]:
        name = self.strangers.pop()
        first, last = name.split(" ", 1)
        return name, f"{_ascii(first)}.{_ascii(last).replace(' ', '').replace('-', '')}@{domain}"

    def day_ts(self, lo: int, hi: int) -> int:
        days = self.rng.randint(lo, hi)
        return day_time(self.rng, _midnight(self.plan.today - timedelta(days=days)))

    def fill(self, p: Person, **more) -> dict:
        rng = self.rng
        oldco = rng.choice([c for c in names.COMPANY_ROOTS if not p.company.startswith(c)])
        return {"name": p.name, "first": p.first, "title": rng.choice(names.TITLES), "company": p.company,
                "area": rng.choice(AREAS), "effective": rng.choice(EFFECTIVE), "years": rng.randint(3, 12),
                "oldco": oldco, "weekday": rng.choice(WEEKDAYS), "count": rng.choice(TEAM_WORDS), **more}

    def truth(self, p: Person, kind: str, ts: int, source: str) -> None:
        day = datetime.fromtimestamp(ts, timezone.utc).date().isoformat()
        self.news.signals.append({"address": p.primary, "kind": kind, "date": day, "source": source})

    # -- mail ----------------------------------------------------------------------------------
    def mail(self, ts: int, sender: tuple[str, str], to: str, subject: str, body: str, *,
             touched: tuple[int, ...] = (), folder: str = "inbox") -> None:
        """Render one message (dated in New York's winter offset) and queue it."""
        self.seq += 1
        host = sender[1].split("@")[1]
        mid = f"<{ts:x}.n{self.seq:x}.{self.rng.getrandbits(32):08x}@{host}>"
        text = render_message(from_=format_address(*sender), to=to, subject=subject, date=format_rfc2822(ts, -300),
                              message_id=mid, body=body)
        self.news.messages.append((ts, folder, sender[1], text, touched))

    def memo_body(self, lead: str, values: dict, sender: tuple[str, str]) -> str:
        rng = self.rng
        greet = rng.choice(("Hi all", "Dear colleagues", "Team", "Hello everyone"))
        filler = rng.choice(MEMO_FILLER).format(**values)
        return (f"{greet},\n\n{lead}\n\n{filler}\n\n{rng.choice(('Best', 'Warm regards', 'Thanks'))},\n"
                f"{sender[0]}\n{rng.choice(SENDER_TITLES)}, {values['company']}\n")

    def memo_to(self, domain: str) -> str:
        rng = self.rng
        if rng.random() < 0.4:
            return "undisclosed-recipients:;"
        if rng.random() < 0.5:
            return f"All Staff <all@{domain}>, {format_address(USER_NAME, USER_WORK)}"
        return format_address(USER_NAME, USER_WORK)

    def memo(self, p: Person, lo: int = 1, hi: int = 12, record: bool = True):
        """A third-person memo about `p` from a stranger at p's company: (kind, ts, subject, body, sender,
        values); its ground truth is recorded when `record`."""
        kind, subject, lead = self.rng.choice(MEMOS)
        values = self.fill(p)
        sender = self.stranger(p.domain)
        ts = self.day_ts(lo, hi)
        subject, body = subject.format(**values), self.memo_body(lead.format(**values), values, sender)
        if record:
            self.truth(p, kind, ts, "memo")
        return kind, ts, subject, body, sender, values

    # -- the forms -------------------------------------------------------------------------------
    def memos(self, n: int) -> None:
        for _ in range(n):
            p = self.person()
            if p is None:
                return
            _, ts, subject, body, sender, _ = self.memo(p)
            self.mail(ts, sender, self.memo_to(p.domain), subject, body)

    def old_memo(self) -> None:
        p = self.person()
        if p is not None:
            _, ts, subject, body, sender, _ = self.memo(p, 40, 200, record=False)
            self.mail(ts, sender, self.memo_to(p.domain), subject, body)

    def listed(self, known: int) -> None:
        rng = self.rng
        first = self.person()
        if first is None:
            return
        people = [first] + [p for p in (self.person(first.company) for _ in range(known - 1)) if p is not None]
        kind, subject, lead = rng.choice(LIST_LEADS)
        values = self.fill(people[0])
        row = rng.choice(LIST_ROWS)
        rows = [(p.name, p) for p in people] + [(self.stranger("x.invalid")[0], None) for _ in range(rng.randint(1, 2))]
        rng.shuffle(rows)
        lines = "\n".join(row.format(name=n, title=rng.choice(names.TITLES)) for n, _ in rows)
        sender = self.stranger(people[0].domain)
        ts = self.day_ts(1, 12)
        body = self.memo_body(f"{lead.format(**values)}\n\n{lines}", values, sender)
        self.mail(ts, sender, self.memo_to(people[0].domain), subject, body)
        for _, p in rows:
            if p is not None:
                self.truth(p, kind, ts, "list")

    def forwarded(self) -> None:
        rng = self.rng
        p = self.person()
        if p is None or not self.writers:
            return
        by = self.writer(p)
        if rng.random() < 0.3:  # the contact's own first-person note, forwarded
            kind, subject, lead = rng.choice(OWN_NEWS)
            values = self.fill(p)
            inner_from = (p.name, p.primary)
            inner = f"Hi all,\n\n{lead.format(**values)}\n\nThank you for everything,\n{p.first}\n"
            ts = self.day_ts(1, 11)
            subject = subject.format(**values)
        else:
            kind, ts, subject, inner, inner_from, values = self.memo(p, 1, 11, record=False)
        fwd_ts = min(ts + rng.randint(1800, 8 * 3600), self.plan.now_ts - 600)
        header = self.forward_header(inner_from, ts, subject, p.domain, by)
        note = rng.choice(FORWARD_NOTES).format(**values)
        body = f"Hi {USER_FIRST},\n\n{note}\n\n{by.first}\n\n{header}{inner}"
        self.mail(fwd_ts, (by.name, by.primary), format_address(USER_NAME, USER_WORK),
                  rng.choice(("Fwd: ", "FW: ", "Fw: ")) + subject, body, touched=(by.idx,))
        self.truth(p, kind, fwd_ts, "forward")

    def forward_header(self, sender: tuple[str, str], ts: int, subject: str, domain: str, by: Person) -> str:
        """The lines a mail client writes above a forwarded message: Gmail, Outlook (the author as
        "Last, First"), Apple Mail or Lotus Notes."""
        stamp = format_rfc2822(ts, -300)
        style = self.rng.randrange(4)
        if style == 0:
            return (f"---------- Forwarded message ---------\nFrom: {sender[0]} <{sender[1]}>\nDate: {stamp}\n"
                    f"Subject: {subject}\nTo: <all@{domain}>\n\n")
        if style == 1:
            first, last = sender[0].split(" ", 1)
            return (f"-----Original Message-----\nFrom: {last}, {first} [mailto:{sender[1]}]\nSent: {stamp}\n"
                    f"To: All Staff\nSubject: {subject}\n\n")
        if style == 2:
            return (f"Begin forwarded message:\n\nFrom: {sender[0]} <{sender[1]}>\nSubject: {subject}\nDate: {stamp}\n"
                    f"To: all@{domain}\n\n")
        when = datetime.fromtimestamp(ts - 5 * 3600, timezone.utc).strftime("%m/%d/%Y %I:%M %p")
        org = by.company.split()[0].upper()
        return (f"----- Forwarded by {by.name}/{org} on {when} -----\n\n\t{sender[0]}\n\t{when}\n\t\t \n"
                f"\t\t To: All Staff\n\t\t Subject: {subject}\n\n")

    def quoted(self) -> None:
        rng = self.rng
        p = self.person()
        if p is None or not self.writers:
            return
        by = self.writer(p)
        kind, ts, subject, inner, sender, values = self.memo(p, 1, 11, record=False)
        reply_ts = min(ts + rng.randint(1800, 10 * 3600), self.plan.now_ts - 600)
        self.truth(p, kind, reply_ts, "quoted reply")
        note = rng.choice(REPLY_NOTES).format(**values)
        if rng.random() < 0.5:
            quoted = "\n".join(f"> {line}" if line else ">" for line in inner.splitlines())
            body = f"{note}\n\n{by.first}\n\nOn {format_rfc2822(ts, -300)[:16]}, {sender[0]} <{sender[1]}> wrote:\n{quoted}\n"
        else:
            body = (f"{note}\n\n{by.first}\n\n________________________________\nFrom: {sender[0]} <{sender[1]}>\n"
                    f"Sent: {format_rfc2822(ts, -300)}\nTo: All Staff\nSubject: {subject}\n\n{inner}")
        self.mail(reply_ts, (by.name, by.primary), format_address(USER_NAME, USER_WORK), f"Re: {subject}", body,
                  touched=(by.idx,))

    def subject_only(self) -> None:
        rng = self.rng
        p = self.person()
        if p is None:
            return
        kind, subject = rng.choice(SUBJECT_NEWS)
        values = self.fill(p)
        sender = self.stranger(p.domain)
        ts = self.day_ts(1, 12)
        body = f"Hi all,\n\n{rng.choice(SUBJECT_BODIES)}\n\n{sender[0]}\n"
        self.mail(ts, sender, self.memo_to(p.domain), subject.format(**values), body)
        self.truth(p, kind, ts, "subject")

    def sad(self, which: tuple[str, ...]) -> None:
        rng = self.rng
        for what in which:
            p = self.person()
            if p is None:
                return
            _, subject, text = rng.choice([t for t in SAD if t[0] == what])
            values = self.fill(p, stranger=self.stranger(p.domain)[0])
            ts = self.day_ts(1, 12)
            successor = self.person(p.company) if what == "departure" and rng.random() < 0.5 else None
            if successor is not None:  # the loss of one, the news of another
                text += " " + rng.choice(SUCCESSION).format(successor=successor.name, **values)
                self.truth(successor, "new_role", ts, "memo")
            if self.writers and rng.random() < 0.5:  # a contact writing to the user
                by = self.writer(p)
                body = f"Hi {USER_FIRST},\n\n{text.format(**values)}\n\n{by.first}\n"
                self.mail(ts, (by.name, by.primary), format_address(USER_NAME, USER_WORK), subject.format(**values),
                          body, touched=(by.idx,))
            else:
                sender = self.stranger(p.domain)
                self.mail(ts, sender, self.memo_to(p.domain), subject.format(**values),
                          self.memo_body(text.format(**values), values, sender))
            self.news.not_congratulated.append({"address": p.primary, "name": p.name, "kind": what,
                                                "date": datetime.fromtimestamp(ts, timezone.utc).date().isoformat()})

    def reorg(self) -> None:
        subject, text = self.rng.choice(REORG)
        company, domain = self.rng.choice([(p.company, p.domain) for p in self.plan.people])
        sender = self.stranger(domain)
        values = {"company": company, "first": ""}
        self.mail(self.day_ts(1, 12), sender, self.memo_to(domain), subject, self.memo_body(text, values, sender))

    def already_congratulated(self, n: int) -> None:
        """News the user answered: a memo, then the user's own congratulation to the person."""
        rng = self.rng
        for _ in range(n):
            p = self.person()
            if p is None:
                return
            _, ts, subject, body, sender, values = self.memo(p, 2, 12, record=False)
            self.mail(ts, sender, self.memo_to(p.domain), subject, body)
            sent = min(ts + rng.randint(2, 20) * 3600, self.plan.now_ts - 600)
            text = rng.choice(USER_CONGRATS).format(user=USER_FIRST, **values)
            self.mail(sent, (USER_NAME, USER_WORK), format_address(p.name, p.primary),
                      rng.choice(("Congratulations!", "Congrats", "Great news")), text, folder="sent",
                      touched=(p.idx,))
            day = datetime.fromtimestamp(ts, timezone.utc).date().isoformat()
            self.news.congratulated_already.append({"address": p.primary, "name": p.name, "date": day})


def plan_news(rng: Random, plan: Plan) -> News:
    """Plan news mail about the plan's contacts, in every form listed in the module docstring."""
    planner = _Planner(rng, plan)
    k = max(1, round(plan.scale**0.3))
    planner.memos(4 * k)
    planner.listed(2 + rng.randint(0, 1))
    for _ in range(2 * k):
        planner.forwarded()
        planner.quoted()
        planner.subject_only()
    planner.sad(("death", "illness", "layoff", "departure") * k)
    planner.reorg()
    planner.already_congratulated(2 * k)
    for _ in range(2):
        planner.old_memo()
    return planner.news
