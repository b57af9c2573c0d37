"""Plan a professional network: people, their rhythms, threads, meetings and the special cases.

Planning is pure: it draws from one `random.Random` and returns a `Plan`; nothing is written here.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from random import Random

from kith.generator import names

DAY = 86400
SPAN_DAYS = 400
BASE_MESSAGES = 12_000
USER_NAME = "Alex Morgan"
USER_WORK = "alex.morgan@example.com"
USER_PERSONAL = "alex@morgan.dev"
USER_TZ = "America/New_York"
_OFFSETS = (-480, -420, -360, -300, -300, -300, -240, 0, 60, 60, 120, 330, 540, 600)
_TIER_CADENCE = {"weekly": (7, 7), "monthly": (14, 35), "quarterly": (60, 110), "yearly": (180, 330)}


@dataclass(slots=True)
class Person:
    idx: int
    name: str
    first: str
    company: str
    domain: str
    tier: str
    cadence: int
    addresses: list[str]
    tz: int
    drifting: bool = False
    personal: str | None = None
    variants: list[str] = field(default_factory=list)
    old_address: str | None = None
    old_company: str | None = None
    move_ts: int | None = None
    birthday: tuple[int, int] | None = None
    episodes: list[int] = field(default_factory=list)
    busy: bool = False  # reserved for a special case; kept out of group mail

    @property
    def primary(self) -> str:
        return self.addresses[0]


@dataclass(slots=True)
class Thread:
    ts: int
    kind: str  # normal|group|reply_owed|awaiting|promise|announce|old_announce|moved|linkedin|linkedin_unknown
    contacts: tuple[int, ...] = ()
    cc: tuple[int, ...] = ()
    n: int = 2
    user_first: bool = True
    topic: str = ""
    text: str = ""  # question / promise / announcement wording
    extra: tuple = ()


@dataclass(slots=True)
class Meeting:
    uid: str
    summary: str
    start: int  # UTC epoch of the (first) instance
    minutes: int
    organizer: tuple[str, str]
    attendees: list[tuple[str, str, str]]  # (name, address, PARTSTAT)
    status: str = "CONFIRMED"
    local: bool = True  # written with TZID=America/New_York, else UTC
    interval_weeks: int = 0  # >0: weekly recurring
    monthly_byday: str = ""  # e.g. "2TU": monthly recurring
    until: int = 0
    instances: list[int] = field(default_factory=list)
    exdates: list[int] = field(default_factory=list)
    override: tuple[int, int] | None = None  # (original instance, moved start)


@dataclass(slots=True)
class Plan:
    today: date
    start_ts: int
    now_ts: int
    scale: float
    people: list[Person]
    threads: list[Thread]
    meetings: list[Meeting]
    meeting_contacts: dict[int, list[int]]  # person idx -> instance start epochs that count as contact
    new_people: list[tuple[str, str, date]]
    unknown_people: list[tuple[str, str]]
    signals: list[dict]
    signals_unknown: list[dict]
    linkedin_facts: list[tuple[int, str, int, str]]  # (ts, kind, person idx or -1, subject)


def _ascii(s: str) -> str:
    return unicodedata.normalize("NFKD", s).encode("ascii", "ignore").decode().lower().replace("ł", "l")


def _midnight(d: date) -> int:
    return int(datetime(d.year, d.month, d.day, tzinfo=timezone.utc).timestamp())


def day_time(rng: Random, day_ts: int) -> int:
    """Return a working-hours instant (10:00-22:59 UTC, the same date in New York) on `day_ts`."""
    return day_ts + rng.randint(10 * 3600, 23 * 3600 - 60)


def make_companies(rng: Random, n: int) -> list[tuple[str, str]]:
    """Return `n` distinct (company name, domain) pairs."""
    out = []
    for root in names.COMPANY_ROOTS:
        for suffix, tld in names.COMPANY_SUFFIXES:
            out.append((f"{root}{suffix}", f"{root.lower()}.{tld}"))
    rng.shuffle(out)
    while len(out) < n:  # beyond 500 companies, number them
        k = len(out)
        root = names.COMPANY_ROOTS[k % len(names.COMPANY_ROOTS)]
        out.append((f"{root} {k}", f"{root.lower()}{k}.com"))
    return out[:n]


def make_names(rng: Random, n: int) -> list[tuple[str, str]]:
    """Return `n` distinct (first, last) name pairs."""
    combos = [(f, l) for f in names.FIRST_NAMES for l in names.LAST_NAMES]
    rng.shuffle(combos)
    if n > len(combos):
        extra = [(f, f"{l}-{m}") for m in names.LAST_NAMES for f, l in combos[: n - len(combos)]]
        combos += extra[: n - len(combos)]
    return combos[:n]


def plan_network(rng: Random, today: date, messages: int | None) -> Plan:
    """Plan who the user knows, how often they are in touch, and every thread and meeting."""
    scale = (messages or BASE_MESSAGES) / BASE_MESSAGES
    start = today - timedelta(days=SPAN_DAYS)
    start_ts = _midnight(start)
    now_ts = _midnight(today) + 12 * 3600
    last_day = SPAN_DAYS - 1  # yesterday: latest day a normal thread starts

    n_contacts = max(40, round(150 * scale**0.7))
    n_weekly = max(3, round(5 * scale**0.35))
    n_monthly = max(6, round(15 * scale**0.5))
    n_quarterly = round((n_contacts - n_weekly - n_monthly) * 50 / 130)
    n_new = max(3, round(5 * scale**0.3))
    n_unknown = max(2, round(3 * scale**0.3))
    n_special = max(3, round(5 * scale**0.3))
    n_total_names = n_contacts + n_new + n_unknown

    companies = make_companies(rng, max(60, n_contacts // 3))
    pairs = make_names(rng, n_total_names)
    used: set[str] = {USER_WORK, USER_PERSONAL}

    def unique(addr: str) -> str:
        local, _, dom = addr.partition("@")
        k = 2
        while addr in used:
            addr = f"{local}{k}@{dom}"
            k += 1
        used.add(addr)
        return addr

    people: list[Person] = []
    for i in range(n_contacts):
        first, last = pairs[i]
        tier = ("weekly" if i < n_weekly else "monthly" if i < n_weekly + n_monthly
                else "quarterly" if i < n_weekly + n_monthly + n_quarterly else "yearly")
        lo, hi = _TIER_CADENCE[tier]
        company, domain = companies[rng.randrange(len(companies))]
        fa, la = _ascii(first), _ascii(last).replace(" ", "").replace("-", "")
        style = rng.random()
        if style < 0.15:
            addr = unique(f"{fa}.{la}@gmail.com")
        elif style < 0.6:
            addr = unique(f"{fa}.{la}@{domain}")
        elif style < 0.85:
            addr = unique(f"{fa[0]}{la}@{domain}")
        else:
            addr = unique(f"{fa}@{domain}")
        p = Person(i, f"{first} {last}", first, company, domain, tier, rng.randint(lo, hi), [addr],
                   rng.choice(_OFFSETS))
        people.append(p)

    # Several addresses: work + personal, and gmail dot / +tag variants.
    by_tier = lambda *tiers: [p for p in people if p.tier in tiers]  # noqa: E731
    pool = [p for p in people if not p.primary.endswith("@gmail.com")]
    rng.shuffle(pool)
    for p in pool[: max(4, round(10 * scale**0.7))]:
        fa, la = _ascii(p.first), _ascii(p.name.split(" ", 1)[1]).replace(" ", "")
        p.personal = unique(f"{fa}{la}{rng.randint(1, 99)}@gmail.com" if rng.random() < 0.5
                            else f"{fa}@{la}.me")
        p.addresses.append(p.personal)
    gmail = [p for p in people if p.primary.endswith("@gmail.com")]
    rng.shuffle(gmail)
    for p in gmail[: max(2, round(4 * scale**0.5))]:
        local = p.primary.split("@")[0]
        p.variants = [unique(f"{local.replace('.', '')}@gmail.com"), unique(f"{local}+news@gmail.com")]
        p.addresses.extend(p.variants)

    # Drifting: about 15%, chosen where the silence can exceed 2x the gap inside the span.
    cands = by_tier("monthly", "quarterly")
    rng.shuffle(cands)
    drifters = cands[: round(0.15 * n_contacts) - 1] + [people[n_weekly - 1]]
    for p in drifters:
        p.drifting = True

    # Rhythm: contact episodes with jitter.
    for p in people:
        if p.drifting:
            stop_ago = p.cadence * rng.uniform(2.6, 3.4)
            stop_ago = min(stop_ago, SPAN_DAYS - 1.1 * p.cadence)
            end_day = SPAN_DAYS - stop_ago
        else:
            end_day = last_day
        d = rng.uniform(0, min(p.cadence, 60)) if p.tier != "yearly" else rng.uniform(0, SPAN_DAYS - 20)
        while d <= end_day:
            p.episodes.append(day_time(rng, start_ts + int(d) * DAY))
            d += p.cadence * rng.uniform(0.6, 1.4)
        if not p.episodes:
            p.episodes.append(day_time(rng, start_ts + int(end_day) * DAY))

    def reserve(cands: list[Person], k: int) -> list[Person]:
        got = [p for p in cands if not p.busy][:k]
        for p in got:
            p.busy = True
        return got

    stable = [p for p in people if not p.drifting and p.personal is None and not p.variants]
    rng.shuffle(stable)
    quarterlyish = [p for p in stable if p.tier in ("quarterly", "monthly")]
    threads: list[Thread] = []
    signals: list[dict] = []
    today_d = today

    def cut_and_keep_history(p: Person, ts: int) -> None:
        p.episodes = [e for e in p.episodes if e < ts - 2 * DAY]
        if not p.episodes:
            p.episodes.append(day_time(rng, start_ts + rng.randint(0, 200) * DAY))

    # Follow-through cases.
    specials = {"reply_owed": [], "awaiting": [], "promise": []}
    for kind, (lo, hi), texts in (
        ("reply_owed", (3, 12), names.REPLY_OWED_QUESTIONS),
        ("awaiting", (4, 12), names.AWAITING_QUESTIONS),
        ("promise", (2, 12), names.PROMISES),
    ):
        for j, p in enumerate(reserve(quarterlyish, n_special)):
            ts = day_time(rng, _midnight(today_d - timedelta(days=rng.randint(lo, hi))))
            cut_and_keep_history(p, ts)
            t = Thread(ts, kind, (p.idx,), (), rng.randint(1, 3), True, rng.choice(names.TOPICS),
                       texts[j % len(texts)])
            threads.append(t)
            specials[kind].append(t)

    # Movers: old domain until X, new domain from X (a domain_change signal).
    movers = reserve([p for p in stable if p.tier in ("monthly", "quarterly")
                      and not p.primary.endswith("@gmail.com")], max(3, round(5 * scale**0.3)))
    for p in movers:
        x_day = today_d - timedelta(days=rng.randint(5, 28))
        x_ts = day_time(rng, _midnight(x_day))
        company, domain = companies[rng.randrange(len(companies))]
        while domain == p.domain:
            company, domain = companies[rng.randrange(len(companies))]
        old = p.primary
        new = unique(f"{old.split('@')[0]}@{domain}")
        p.old_address, p.old_company, p.move_ts = old, p.company, x_ts
        p.company, p.domain, p.addresses = company, domain, [new, old]
        p.episodes = [e for e in p.episodes if abs(e - x_ts) > DAY]
        threads.append(Thread(x_ts, "moved", (p.idx,), (), 2, False, "new address"))
        signals.append({"address": new, "kind": "domain_change", "date": x_day.isoformat(),
                        "source": "address_change"})

    # Announcements in contacts' own mail: ~8 in the last 30 days, a few older ones as noise.
    n_ann = max(4, round(8 * scale**0.3))
    kinds = ("new_role", "promotion", "launch")
    ann_people = reserve(stable, n_ann + 3)
    for j, p in enumerate(ann_people):
        kind = kinds[j % 3]
        recent = j < n_ann
        d = today_d - timedelta(days=rng.randint(1, 29) if recent else rng.randint(70, 300))
        ts = day_time(rng, _midnight(d))
        if kind == "new_role":
            co = companies[rng.randrange(len(companies))][0]
            text = f"I'm excited to share that I've joined {co} as {rng.choice(names.TITLES)}"
        elif kind == "promotion":
            text = f"I've been promoted to {rng.choice(names.TITLES)}"
        else:
            text = f"We just launched {rng.choice(names.PRODUCTS)}"
        threads.append(Thread(ts, "announce" if recent else "old_announce", (p.idx,), (), 1, False,
                              kind, text))
        if recent:
            signals.append({"address": p.primary, "kind": kind, "date": d.isoformat(),
                            "source": "announcement"})

    # Birthdays: ~40% known; a few forced into the upcoming window.
    for p in people:
        if rng.random() < 0.4:
            p.birthday = (rng.randint(1, 12), rng.randint(1, 28))
    for p in reserve(stable, max(2, round(3 * scale**0.3))):
        d = today_d + timedelta(days=rng.randint(-1, 7))
        if (d.month, d.day) == (2, 29):
            d += timedelta(days=1)
        p.birthday = (d.month, d.day)

    # LinkedIn notifications about contacts (last 60 days) and about strangers.
    linkedin: list[tuple[int, str, int, str]] = []
    n_li = max(6, round(10 * scale**0.3))
    for j, p in enumerate(reserve(stable, n_li)):
        days_ago = rng.randint(0, 13) if j < n_li // 2 else rng.randint(16, 59)
        d = today_d - timedelta(days=days_ago)
        ts = (day_time(rng, _midnight(d)) if days_ago else _midnight(d) + rng.randint(3600, 11 * 3600))
        kind = ("work_anniversary", "new_role", "birthday")[j % 3]
        if kind == "work_anniversary":
            subject = f"Congratulate {p.name} on {rng.randint(2, 12)} years at {p.company}"
        elif kind == "new_role":
            company = companies[rng.randrange(len(companies))][0]
            subject = f"{p.name} started a new position as {rng.choice(names.TITLES)} at {company}"
        else:
            p.birthday = (d.month, d.day)
            subject = f"Wish {p.name} a happy birthday"
        linkedin.append((ts, kind, p.idx, subject))
        if kind in ("work_anniversary", "new_role") and days_ago <= 13:
            signals.append({"address": p.primary, "kind": kind, "date": d.isoformat(), "source": "linkedin"})
    for p in people:  # birthday signals: today-1 .. today+7
        if p.birthday is None:
            continue
        for y in (today_d.year - 1, today_d.year, today_d.year + 1):
            try:
                b = date(y, *p.birthday)
            except ValueError:
                continue
            if -1 <= (b - today_d).days <= 7:
                signals.append({"address": p.primary, "kind": "birthday", "date": b.isoformat(),
                                "source": "calendar"})

    unknown_people: list[tuple[str, str]] = []
    signals_unknown: list[dict] = []
    for j in range(n_unknown):
        first, last = pairs[n_contacts + n_new + j]
        company, domain = companies[rng.randrange(len(companies))]
        addr = unique(f"{_ascii(first)}.{_ascii(last)}@{domain}")
        name = f"{first} {last}"
        unknown_people.append((name, addr))
        d = today_d - timedelta(days=rng.randint(0, 10))
        kind = ("new_role", "work_anniversary")[j % 2]
        subject = (f"{name} started a new position as {rng.choice(names.TITLES)} at {company}"
                   if kind == "new_role" else f"Congratulate {name} on {rng.randint(2, 9)} years at {company}")
        linkedin.append((day_time(rng, _midnight(d)) if d < today_d else _midnight(d) + 7200, kind, -1, subject))
        signals_unknown.append({"address": addr, "name": name, "kind": kind, "date": d.isoformat(),
                                "source": "linkedin"})

    # Normal threads from episodes; weekly/monthly contacts form the group pool.
    group_pool = [p for p in people if p.tier in ("weekly", "monthly") and not p.drifting and not p.busy]
    oneoffs: list[tuple[int, int]] = []
    for p in people:
        for k, ts in enumerate(p.episodes):
            meeting = p.tier in ("quarterly", "yearly") and k > 0 and rng.random() < 0.25
            if meeting:
                oneoffs.append((p.idx, ts))
                continue
            n_threads = 3 if p.tier == "weekly" else (1 + (rng.random() < 0.5))
            for t in range(n_threads):
                tts = ts if t == 0 else min(ts + rng.randint(1, 2) * DAY, start_ts + last_day * DAY + 20 * 3600)
                if p.move_ts and tts < p.move_ts <= tts + 3 * DAY:
                    tts = p.move_ts - 4 * DAY
                cc = ()
                if group_pool and rng.random() < 0.15:
                    c = rng.choice(group_pool)
                    if c is not p:
                        cc = (c.idx,)
                threads.append(Thread(tts, "normal", (p.idx,), cc, rng.choice((2, 2, 3, 3, 4, 4, 5, 6, 7, 8)),
                                      rng.random() < 0.5, rng.choice(names.TOPICS)))
    n_group = round(250 * scale**0.7) if len(group_pool) >= 3 else 0  # tiny networks: no group threads
    for _ in range(n_group):
        day = rng.randint(0, last_day)
        k = min(len(group_pool), rng.randint(3, 6))
        members = rng.sample(group_pool, k)
        threads.append(Thread(day_time(rng, start_ts + day * DAY), "group", tuple(m.idx for m in members),
                              (), rng.randint(3, 8), rng.random() < 0.6, rng.choice(names.TOPICS)))

    from kith.generator.meetings import plan_meetings  # local import: meetings needs Person/Meeting

    meetings, meeting_contacts, new_people = plan_meetings(
        rng, people, oneoffs, today_d, start_ts, now_ts, pairs[n_contacts : n_contacts + n_new], companies,
        unique)
    for ts, kind, idx, subject in linkedin:
        threads.append(Thread(ts, "linkedin" if idx >= 0 else "linkedin_unknown", (idx,) if idx >= 0 else (),
                              (), 1, False, kind, subject))

    threads.sort(key=lambda t: t.ts)
    return Plan(today_d, start_ts, now_ts, scale, people, threads, meetings, meeting_contacts,
                new_people, unknown_people, signals, signals_unknown, linkedin)
