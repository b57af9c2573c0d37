"""Calendar forms real calendars hold that a plain network plan lacks (issue 10):

- big company meetings with named attendees: a weekly all-hands of 100+ people (a few of them real
  contacts, most colleagues the user never talks to) that moved to a monthly slot two months ago,
  and a town hall this week full of people the user has never met. Attendance alone is no tie:
  nobody in them is a contact, a reconnect or a person just met, and the ground truth, built from
  mail and small meetings, says so;
- birthdays kept as the user's own yearly events, named only in the title ("Dana's birthday",
  "Birthday: Dana Kim", "Bday Dana Kim"), for contacts absent from the contacts' birthday
  calendar; and titles that name nobody kith may congratulate: a first name two contacts share,
  the user's own name, a colleague known only from the all-hands.

`add_calendar_forms` adds the meetings to the plan (written with the rest by `write_calendar`)
and the birthdays' truth to its signals; `write_personal_calendar` writes the birthday events.
Everything draws from its own `Random`, so the rest of a seed's network stays as it was.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from random import Random

from kith.generator import names
from kith.generator.ics import escape_text, fold, utc_stamp
from kith.generator.meetings import _nth_weekday, _uid, local_ts, to_date
from kith.generator.network import USER_NAME, USER_PERSONAL, USER_WORK, Meeting, Plan, _ascii

USER = (USER_NAME, USER_WORK)
COMPANY_DOMAIN = USER_WORK.partition("@")[2]
BIRTHDAY_AHEAD = 3  # title birthdays fall in the digest's window: today .. today + 3


@dataclass
class CalendarForms:
    """What `add_calendar_forms` planned: yearly birthday events (title, first date) and the
    contacts whose birthday only such an event gives (left out of the birthdays calendar)."""

    birthday_events: list[tuple[str, date]] = field(default_factory=list)
    title_only: set[int] = field(default_factory=set)


def add_calendar_forms(rng: Random, plan: Plan) -> CalendarForms:
    """Add big meetings to `plan.meetings` and plan title-only birthdays (their truth goes into
    `plan.signals`)."""
    staff = _colleagues(rng, plan, rng.randint(110, 140))
    contacts = [p for p in plan.people if not p.drifting]
    regulars = rng.sample(contacts, min(6, len(contacts)))
    _all_hands(rng, plan, [(p.name, p.primary) for p in regulars] + staff[:-40])
    _town_hall(rng, plan, staff[-40:])
    return _title_birthdays(rng, plan, staff[0])


def write_personal_calendar(path: Path, forms: CalendarForms, now_ts: int) -> None:
    """Write the user's personal calendar: one yearly all-day event per planned birthday title."""
    stamp = utc_stamp(now_ts)
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//kith//generator//EN", "X-WR-CALNAME:Personal"]
    for n, (title, first) in enumerate(forms.birthday_events):
        lines += ["BEGIN:VEVENT", f"UID:birthday-{n}-{first:%Y%m%d}@personal.example", f"DTSTAMP:{stamp}",
                  f"DTSTART;VALUE=DATE:{first:%Y%m%d}", f"DTEND;VALUE=DATE:{first + timedelta(days=1):%Y%m%d}",
                  "RRULE:FREQ=YEARLY", f"SUMMARY:{escape_text(title)}", "TRANSP:TRANSPARENT", "END:VEVENT"]
    lines.append("END:VCALENDAR")
    path.write_bytes(("\r\n".join(fold(line) for line in lines) + "\r\n").encode("utf-8"))


def _colleagues(rng: Random, plan: Plan, n: int) -> list[tuple[str, str]]:
    """`n` people at the user's company whose names and addresses no one in the plan has."""
    taken_names = {p.name for p in plan.people} | {name for name, _, _ in plan.new_people}
    taken_names |= {name for name, _ in plan.unknown_people} | {USER_NAME}
    taken = {a for p in plan.people for a in p.addresses} | {USER_WORK, USER_PERSONAL}
    combos = [(f, l) for f in names.FIRST_NAMES for l in names.LAST_NAMES if f"{f} {l}" not in taken_names]
    out = []
    for first, last in rng.sample(combos, len(combos)):
        address = f"{_ascii(first)}.{_ascii(last).replace(' ', '')}@{COMPANY_DOMAIN}"
        if address not in taken:
            taken.add(address)
            out.append((f"{first} {last}", address))
            if len(out) == n:
                break
    return out


def _all_hands(rng: Random, plan: Plan, attendees: list[tuple[str, str]]) -> None:
    """A weekly all-hands from the start of the span until about nine weeks ago, then monthly."""
    people = [(name, address, rng.choice(("ACCEPTED", "ACCEPTED", "TENTATIVE", "NEEDS-ACTION")))
              for name, address in attendees]
    start = to_date(plan.start_ts) + timedelta(days=7)
    start -= timedelta(days=start.weekday())  # a Monday
    switch = plan.today - timedelta(weeks=9)
    weekly = [local_ts(d, 12) for d in _days(start, switch, 7)]
    plan.meetings.append(Meeting(_uid(rng), "Company all-hands", weekly[0], 60, USER, [(*USER, "ACCEPTED"), *people],
                                 interval_weeks=1, until=weekly[-1], instances=weekly))
    monthly, (y, m) = [], (switch.year, switch.month)
    while (d := _nth_weekday(y, m, 0, 1)) < plan.today:
        if d > switch:
            monthly.append(local_ts(d, 12))
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    if monthly:
        plan.meetings.append(Meeting(_uid(rng), "Company all-hands (monthly)", monthly[0], 60, USER,
                                     [(*USER, "ACCEPTED"), *people], monthly_byday="1MO", until=monthly[-1],
                                     instances=monthly))


def _town_hall(rng: Random, plan: Plan, newcomers: list[tuple[str, str]]) -> None:
    """A town hall a few days ago with colleagues the user has never met anywhere else."""
    day = plan.today - timedelta(days=rng.randint(1, 5))
    t = local_ts(day, 16)
    organizer = newcomers[0]
    plan.meetings.append(Meeting(_uid(rng), "Q4 town hall", t, 60, organizer,
                                 [(*USER, "ACCEPTED"), *((n, a, "ACCEPTED") for n, a in newcomers)], instances=[t]))


def _days(start: date, end: date, step: int) -> list[date]:
    out, d = [], start
    while d < end:
        out.append(d)
        d += timedelta(days=step)
    return out


def _title_birthdays(rng: Random, plan: Plan, stranger: tuple[str, str]) -> CalendarForms:
    """Title-only birthdays in the digest's window for three contacts, and three titles that
    name nobody kith may congratulate (their truth: no signal)."""
    forms = CalendarForms()
    firsts: dict[str, int] = {}  # given names among the people kith knows, the user's included
    for name in [p.name for p in plan.people] + [name for name, _, _ in plan.new_people] + [USER_NAME]:
        firsts[name.split()[0]] = firsts.get(name.split()[0], 0) + 1
    # one address each, so that the truth's address is the one kith knows them by
    free = [p for p in plan.people if p.birthday is None and len(p.addresses) == 1]
    rng.shuffle(free)
    chosen = free[:3]
    for k, p in enumerate(chosen):
        day = _day_ahead(rng, plan.today)
        p.birthday = (day.month, day.day)
        forms.title_only.add(p.idx)
        first = p.name.split()[0]
        title = (f"{first}'s birthday" if k == 0 and firsts[first] == 1 else
                 (f"Birthday: {p.name}", f"Bday {p.name}", f"{p.name}'s birthday")[k])
        forms.birthday_events.append((title, day.replace(year=day.year - rng.randint(1, 6))))
        plan.signals.append({"address": p.primary, "kind": "birthday", "date": day.isoformat(),
                             "source": "calendar_title"})
    shared = sorted(first for first, count in firsts.items() if count > 1)
    nobody = [f"{USER_NAME.split()[0]}'s birthday", f"Birthday: {stranger[0]}"]
    if shared:
        nobody.append(f"Bday {rng.choice(shared)}")
    for title in nobody:
        day = _day_ahead(rng, plan.today)
        forms.birthday_events.append((title, day.replace(year=day.year - 3)))
    return forms


def _day_ahead(rng: Random, today: date) -> date:
    """A day in the digest's birthday window, never 29 February (yearly events skip it)."""
    day = today + timedelta(days=rng.randint(0, BIRTHDAY_AHEAD))
    return day + timedelta(days=1) if (day.month, day.day) == (2, 29) else day
