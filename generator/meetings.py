"""Plan the user's calendar: recurring 1:1s, monthly group meetings, one-offs, a cancellation, first meetings."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta, timezone
from random import Random
from zoneinfo import ZoneInfo

from kith.generator.network import DAY, USER_NAME, USER_TZ, USER_WORK, Meeting, Person, _ascii

NY = ZoneInfo(USER_TZ)
USER = (USER_NAME, USER_WORK)


def local_ts(d: date, hour: int, minute: int = 0) -> int:
    """Return the UTC epoch of `hour:minute` New York time on `d`."""
    return int(datetime(d.year, d.month, d.day, hour, minute, tzinfo=NY).timestamp())


def to_date(ts: int) -> date:
    return datetime.fromtimestamp(ts, timezone.utc).date()


def _uid(rng: Random) -> str:
    return f"{rng.getrandbits(64):016x}@kith-gen.example.com"


def _nth_weekday(year: int, month: int, weekday: int, n: int) -> date:
    d = date(year, month, 1)
    d += timedelta(days=(weekday - d.weekday()) % 7)
    return d + timedelta(weeks=n - 1)


def plan_meetings(
    rng: Random,
    people: list[Person],
    oneoffs: list[tuple[int, int]],
    today: date,
    start_ts: int,
    now_ts: int,
    new_pairs: list[tuple[str, str]],
    companies: list[tuple[str, str]],
    unique: Callable[[str], str],
) -> tuple[list[Meeting], dict[int, list[int]], list[tuple[str, str, date]]]:
    """Return meetings, the instants each person met the user, and the new people met this week."""
    meetings: list[Meeting] = []
    met: dict[int, list[int]] = {}
    start_d = to_date(start_ts)

    # Weekly / biweekly 1:1 series with the weekly tier.
    weekly = [p for p in people if p.tier == "weekly"][:12]
    for k, p in enumerate(weekly):
        interval = 1 if k % 2 == 0 else 2
        first = start_d + timedelta(days=rng.randint(1, 10))
        while first.weekday() > 4:
            first += timedelta(days=1)
        hour, minute = rng.choice(((9, 30), (10, 0), (14, 0), (16, 30)))
        limit = (p.episodes[-1] + DAY) if p.drifting else now_ts
        instances = []
        d = first
        while local_ts(d, hour, minute) <= limit:
            instances.append(local_ts(d, hour, minute))
            d += timedelta(weeks=interval)
        ex = sorted(rng.sample(instances[1:-2], min(3, max(0, len(instances) - 3))))
        m = Meeting(_uid(rng), f"{USER_NAME.split()[0]} / {p.first} 1:1", instances[0], 30, USER,
                    [(USER_NAME, USER_WORK, "ACCEPTED"), (p.name, p.primary, "ACCEPTED")],
                    interval_weeks=interval, until=instances[-1], instances=instances, exdates=ex)
        if k == 0 and len(instances) > 8:
            orig = instances[len(instances) // 2]
            while orig in ex:
                orig = instances[instances.index(orig) + 1]
            m.override = (orig, orig + DAY + 3 * 3600)
        exs = set(ex)
        credit = [m.override[1] if m.override and t == m.override[0] else t for t in instances if t not in exs]
        met.setdefault(p.idx, []).extend(t for t in credit if t <= now_ts)
        meetings.append(m)

    # Monthly group meetings with several attendees (accepted ones count as contact).
    monthly = [p for p in people if p.tier == "monthly" and not p.drifting and not p.busy]
    regulars = [p for p in weekly if not p.drifting]
    for g, (summary, weekday, nth, hour) in enumerate(
        (("Platform guild sync", 1, 2, 11), ("Data leaders roundtable", 3, 1, 15))
    ):
        if len(monthly) < 4:
            break
        members = rng.sample(monthly, min(len(monthly), rng.randint(4, 6)))
        attendees = [(p.name, p.primary, "ACCEPTED") for p in members]
        if len(regulars) >= 2:
            a, b = rng.sample(regulars, 2)
            attendees += [(a.name, a.primary, "DECLINED"), (b.name, b.primary, "TENTATIVE")]
        organizer = USER if g == 0 else (members[0].name, members[0].primary)
        instances = []
        y, mo = start_d.year, start_d.month
        while True:
            d = _nth_weekday(y, mo, weekday, nth)
            t = local_ts(d, hour)
            if t > now_ts:
                break
            if t >= start_ts:
                instances.append(t)
            y, mo = (y + 1, 1) if mo == 12 else (y, mo + 1)
        byday = f"{nth}{('MO', 'TU', 'WE', 'TH', 'FR')[weekday]}"
        meetings.append(Meeting(_uid(rng), summary, instances[0], 60, organizer,
                                [(USER_NAME, USER_WORK, "ACCEPTED")] + attendees,
                                monthly_byday=byday, until=instances[-1], instances=instances))
        for p in members:
            met.setdefault(p.idx, []).extend(instances)

    # One-off meetings replacing some quarterly/yearly mail episodes.
    for idx, ts in oneoffs:
        p = people[idx]
        d = to_date(ts)
        t = local_ts(d, rng.choice((8, 9, 12, 15, 17)), rng.choice((0, 30)))
        if t > now_ts:
            t = local_ts(d, 8)
        summary = rng.choice((f"Coffee with {p.name}", f"Catch up: {USER_NAME.split()[0]} / {p.first}",
                              f"Lunch with {p.first}"))
        organizer = USER if rng.random() < 0.6 else (p.name, p.primary)
        meetings.append(Meeting(_uid(rng), summary, t, rng.choice((30, 45, 60)), organizer,
                                [(USER_NAME, USER_WORK, "ACCEPTED"), (p.name, p.primary, "ACCEPTED")],
                                local=rng.random() < 0.7, instances=[t]))
        met.setdefault(idx, []).append(t)

    # A cancelled meeting (never counts as contact).
    yearly = [p for p in people if p.tier == "yearly" and not p.busy]
    p = yearly[rng.randrange(len(yearly))]
    t = local_ts(today - timedelta(days=rng.randint(20, 40)), 13)
    meetings.append(Meeting(_uid(rng), f"Lunch with {p.first}", t, 60, USER,
                            [(USER_NAME, USER_WORK, "ACCEPTED"), (p.name, p.primary, "ACCEPTED")],
                            status="CANCELLED", instances=[t]))

    # First meetings with new people in the last 7 days; no mail with them at all.
    new_people: list[tuple[str, str, date]] = []
    for first, last in new_pairs:
        company, domain = companies[rng.randrange(len(companies))]
        name = f"{first} {last}"
        addr = unique(f"{_ascii(first)}.{_ascii(last)}@{domain}")
        d = today - timedelta(days=rng.randint(1, 6))
        t = local_ts(d, rng.choice((9, 11, 13, 15)))
        organizer = USER if rng.random() < 0.5 else (name, addr)
        meetings.append(Meeting(_uid(rng), f"Intro: {USER_NAME.split()[0]} <> {first} ({company})", t, 30,
                                organizer, [(USER_NAME, USER_WORK, "ACCEPTED"), (name, addr, "ACCEPTED")],
                                instances=[t]))
        new_people.append((name, addr, d))
    return meetings, met, new_people
