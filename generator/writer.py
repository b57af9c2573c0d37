"""Turn a `Plan` into mail: expand threads into messages, add automated mail, stream in date order."""

from __future__ import annotations

import heapq
from datetime import datetime
from random import Random
from zoneinfo import ZoneInfo

from kith.generator import names
from kith.generator.automated import Sender, automated_body, linkedin_headers, make_crowd
from kith.generator.followups import KINDS as FOLLOWUP_KINDS
from kith.generator.followups import emit_followup
from kith.generator.mailformat import format_address, format_rfc2822, render_message
from kith.generator.network import DAY, USER_NAME, USER_PERSONAL, USER_TZ, USER_WORK, Person, Plan, Thread
from kith.generator.sinks import MailSink

NY = ZoneInfo(USER_TZ)
USER_FIRST = USER_NAME.split()[0]


class MailWriter:
    """Write every message of a plan to a sink in date order and record what the ground truth needs."""

    def __init__(self, rng: Random, plan: Plan, sink: MailSink, senders: list[Sender]) -> None:
        self.rng, self.plan, self.sink, self.senders = rng, plan, sink, senders
        self.people = plan.people
        self.seq = 0
        self.heap: list[tuple[int, int, str, str, str]] = []
        self.first = [0] * len(plan.people)
        self.last = [0] * len(plan.people)
        self.reply_owed: list[dict] = []
        self.awaiting: list[dict] = []
        self.promises: list[dict] = []
        self.reply_not_owed: list[dict] = []  # mail that looks like a reply owed and is not (followups.py)
        self.linkedin = next(s for s in senders if s.cue == "linkedin")
        self.crowd = make_crowd(rng)
        self._ny_offsets: dict[int, int] = {}

    # -- small helpers -------------------------------------------------------------------------
    def _user_offset(self, ts: int) -> int:
        day = ts // DAY
        off = self._ny_offsets.get(day)
        if off is None:
            off = int(datetime.fromtimestamp(ts, NY).utcoffset().total_seconds()) // 60
            self._ny_offsets[day] = off
        return off

    def _message_id(self, ts: int, host: str) -> str:
        self.seq += 1
        return f"<{ts:x}.{self.seq:x}.{self.rng.getrandbits(32):08x}@{host}>"

    def _push(self, ts: int, folder: str, sender: str, text: str) -> None:
        heapq.heappush(self.heap, (ts, self.seq, folder, sender, text))

    def _touch(self, idxs, ts: int) -> None:
        first, last = self.first, self.last
        for i in idxs:
            if not first[i] or ts < first[i]:
                first[i] = ts
            if ts > last[i]:
                last[i] = ts

    def _addr(self, p: Person, ts: int) -> str:
        if p.move_ts is not None:
            return p.old_address if ts < p.move_ts else p.primary
        r = self.rng.random()
        if p.personal and r < 0.3:
            return p.personal
        if p.variants and r < 0.35:
            return p.variants[int(r * 100) % len(p.variants)]
        return p.primary

    def add(self, ts: int, folder: str, sender: str, text: str, touched: tuple[int, ...] = ()) -> None:
        """Queue one message written elsewhere (`generator.news`); `touched` people were in contact."""
        self._push(ts, folder, sender, text)
        self._touch(touched, ts)

    # -- genuine threads ---------------------------------------------------------------------------
    def emit_thread(self, t: Thread) -> None:
        """Expand one planned thread into messages pushed onto the date-ordered heap."""
        rng, people, now = self.rng, self.people, self.plan.now_ts
        kind = t.kind
        if kind in ("linkedin", "linkedin_unknown"):
            return self._emit_linkedin(t)
        if kind in FOLLOWUP_KINDS:
            return emit_followup(self, t)
        members = [people[i] for i in t.contacts]
        ccs = [people[i] for i in t.cc]
        gmailish = members[0].primary.endswith("@gmail.com")
        user_addr = USER_PERSONAL if (gmailish and rng.random() < 0.6) or rng.random() < 0.08 else USER_WORK
        addrs = {p.idx: self._addr(p, t.ts) for p in members + ccs}
        subject = t.topic[:1].upper() + t.topic[1:]

        # Authors (-1 = user) and timestamps.
        if kind in ("announce", "old_announce"):
            authors, times = [members[0].idx], [t.ts]
            subject = {"new_role": "Some personal news", "promotion": "A little news",
                       "launch": "We launched!"}[t.topic]
        elif kind in ("reply_owed", "awaiting", "promise"):
            final = -1 if kind in ("awaiting", "promise") else members[0].idx
            other = members[0].idx if final == -1 else -1
            n = t.n if kind != "promise" else max(2, t.n)
            authors = [final if (n - 1 - k) % 2 == 0 else other for k in range(n)]
            times = sorted(t.ts - k * rng.randint(3 * 3600, DAY) for k in range(n))
        else:
            if kind == "moved":
                authors = [members[0].idx, -1]
                subject = "My new email address"
            elif kind == "group":
                authors = [-1] if t.user_first else [members[0].idx]
                for _ in range(t.n - 1):
                    if authors[-1] != -1 and rng.random() < 0.5:
                        authors.append(-1)
                    else:
                        cand = members[rng.randrange(len(members))].idx
                        authors.append(cand if cand != authors[-1] else -1)
            else:
                a, b = (-1, members[0].idx) if t.user_first else (members[0].idx, -1)
                authors = [a if k % 2 == 0 else b for k in range(t.n)]
            times = [t.ts]
            limit = now - 300
            for _ in authors[1:]:
                prev = times[-1]
                nxt = prev + (rng.randint(1200, 5 * 3600) if rng.random() < 0.7 else rng.randint(5 * 3600, 30 * 3600))
                if nxt >= limit:
                    nxt = prev + (limit - prev) // 2
                    if nxt - prev < 60:
                        break
                times.append(nxt)
            authors = authors[: len(times)]
            if len(authors) == 1:  # keep two-way: squeeze the reply in
                authors.append(-1 if authors[0] != -1 else members[0].idx)
                times.append(times[0] + 60)

        n = len(authors)
        ids: list[str] = []
        all_idx = [p.idx for p in members] + [p.idx for p in ccs]
        prev_body, prev_name = "", ""
        for k, (who, ts) in enumerate(zip(authors, times)):
            last = k == n - 1
            if who == -1:
                from_name, from_addr, off = USER_NAME, user_addr, self._user_offset(ts)
                to_people = members
                host = "mail.example.com" if from_addr == USER_WORK else "morgan.dev"
            else:
                p = people[who]
                from_name, from_addr, off = p.name, addrs[who], p.tz
                if kind == "moved":
                    from_addr = p.primary
                to_people = [m for m in members if m.idx != who]
                host = "mail.gmail.com" if from_addr.endswith("@gmail.com") else from_addr.split("@")[1]
            to_parts = [format_address(m.name, addrs[m.idx]) for m in to_people]
            if who != -1:
                to_parts.insert(0, format_address(USER_NAME, user_addr))
            cc = ", ".join(format_address(c.name, addrs[c.idx]) for c in ccs)
            greet = members[0].first if who == -1 and len(members) == 1 else (USER_FIRST if who != -1 and kind not in ("group", "announce", "old_announce") else "all")
            sig = USER_FIRST if who == -1 else people[who].first
            body = self._body(t, k, n, who, greet, sig)
            if prev_body:
                first_line = prev_body.split("\n", 3)[2] if prev_body.count("\n") >= 3 else prev_body
                body += f"\nOn {format_rfc2822(times[k - 1], 0)[:16]}, {prev_name} wrote:\n> {first_line}\n"
            prev_body, prev_name = body, from_name
            mid = self._message_id(ts, host)
            if kind in ("announce", "old_announce") and rng.random() < 0.5:
                to = "undisclosed-recipients:;"
            else:
                to = ", ".join(to_parts)
            text = render_message(
                from_=format_address(from_name, from_addr), to=to, cc=cc,
                subject=subject if k == 0 else f"Re: {subject}", date=format_rfc2822(ts, off), message_id=mid,
                in_reply_to=ids[-1] if ids else "", references=" ".join(ids[-8:]), body=body)
            ids.append(mid)
            self._push(ts, "sent" if who == -1 else "inbox", from_addr, text)
            self._touch(all_idx, ts)
            if last and kind in ("reply_owed", "awaiting", "promise"):
                p = members[0]
                row = {"message_id": mid, "address": p.primary, "subject": subject if k == 0 else f"Re: {subject}"}
                if kind == "reply_owed":
                    self.reply_owed.append(row)
                elif kind == "awaiting":
                    self.awaiting.append(row)
                else:
                    self.promises.append({"message_id": mid, "address": p.primary, "text": t.text})

    def _body(self, t: Thread, k: int, n: int, who: int, greet: str, sig: str) -> str:
        rng = self.rng
        kind = t.kind
        last = k == n - 1
        if kind in ("announce", "old_announce"):
            return (f"Hi all,\n\n{t.text}! It has been a wonderful journey so far and I'm grateful to everyone "
                    f"who helped along the way.\n\nMore soon,\n{sig}\n")
        if kind == "moved":
            if k == 0:
                co = self.people[t.contacts[0]].company
                return (f"Hi {greet},\n\nQuick note: I have moved to {co}, so this is my new address. "
                        f"Please update your contacts.\n\nBest,\n{sig}\n")
            return f"Hi {greet},\n\nCongrats on the move! Updated on my side.\n\n{sig}\n"
        if last and kind == "reply_owed":
            return f"Hi {greet},\n\nThanks for the update on the {t.topic}. {t.text}\n\nBest,\n{sig}\n"
        if last and kind == "awaiting":
            return f"Hi {greet},\n\nHope all is well. {t.text}\n\nThanks,\n{sig}\n"
        if last and kind == "promise":
            return f"Hi {greet},\n\nThanks, good to hear about the {t.topic}. {t.text}\n\nBest,\n{sig}\n"
        if last:
            return f"{rng.choice(names.CLOSINGS)}\n\n{sig}\n"
        if k == 0:
            lead = ("From what I heard at the offsite, there is news on" if rng.random() < 0.1
                    else "I was thinking about")
            return (f"Hi {greet},\n\n{lead} the {t.topic} and wanted to get your take.\n"
                    f"Could you {rng.choice(names.ASKS)}?\n\nBest,\n{sig}\n")
        if who == -1 and rng.random() < 0.3:
            return f"Hi {greet},\n\nSure, {rng.choice(names.ANSWERS)}. {rng.choice(names.PROMISES)}\n\n{sig}\n"
        return (f"Hi {greet},\n\nSure, {rng.choice(names.ANSWERS)}. What do you think about the next step?\n\n"
                f"{sig}\n")

    def _emit_linkedin(self, t: Thread) -> None:
        s = self.linkedin
        subject = t.text
        mid = self._message_id(t.ts, "linkedin.com")
        body = (f"Hi {USER_FIRST},\n\n{subject}.\n\n"
                + ("Send a message to say congratulations.\n" if t.topic != "birthday" else "Send them a note today.\n")
                + "\nView profile: https://www.linkedin.com/in/\n\nUnsubscribe: https://www.linkedin.com/e/unsubscribe\n")
        text = render_message(from_=format_address(s.name, s.address), to=format_address(USER_NAME, USER_WORK),
                              subject=subject, date=format_rfc2822(t.ts, 0), message_id=mid, body=body,
                              extra=linkedin_headers())
        self._push(t.ts, "inbox", s.address, text)

    # -- automated mail ---------------------------------------------------------------------------
    def emit_automated_day(self, day_ts: int) -> None:
        """Push one day's automated mail (before `now` on the last day)."""
        rng, now = self.rng, self.plan.now_ts
        weekday = (day_ts // DAY + 3) % 7  # 1970-01-01 was a Thursday
        user_to = format_address(USER_NAME, USER_WORK)
        for s in self.senders:
            if s.weekday >= 0 and s.weekday != weekday:
                continue
            x = s.rate
            count = int(x) + (rng.random() < x - int(x))
            for _ in range(count):
                ts = day_ts + rng.randrange(DAY)
                if ts >= now:
                    continue
                self.seq += 1
                subject, body, extra = automated_body(rng, s, self.seq % 997 + 1)
                from_ = format_address(s.name, s.address)
                to = user_to
                if s.style == "behaviour":
                    if rng.random() < 0.5:
                        to = "undisclosed-recipients:;"
                    else:
                        to = ", ".join(rng.sample(self.crowd, rng.randint(20, 40)) + [USER_WORK])
                elif s.style == "list":
                    p = self.crowd[rng.randrange(len(self.crowd))].split(".")[0].capitalize()
                    from_ = f'"{p} via {s.name}" <{s.address}>'
                    to = s.address
                mid = f"<{ts:x}.{self.seq:x}.{rng.getrandbits(32):08x}@{s.host}>"
                text = render_message(from_=from_, to=to, subject=subject, date=format_rfc2822(ts, 0),
                                      message_id=mid, body=body, extra=extra)
                heapq.heappush(self.heap, (ts, self.seq, "inbox", s.address, text))

    # -- the loop -------------------------------------------------------------------------------------
    def run(self) -> None:
        """Write all mail in date order, one day at a time."""
        plan, heap, sink = self.plan, self.heap, self.sink
        threads = plan.threads
        ti = 0
        day_ts = plan.start_ts
        while day_ts <= plan.now_ts:
            end = day_ts + DAY
            while ti < len(threads) and threads[ti].ts < end:
                self.emit_thread(threads[ti])
                ti += 1
            self.emit_automated_day(day_ts)
            while heap and heap[0][0] < end:
                ts, _, folder, sender, text = heapq.heappop(heap)
                sink.write(folder, ts, sender, text)
            day_ts = end
        while heap:
            ts, _, folder, sender, text = heapq.heappop(heap)
            sink.write(folder, ts, sender, text)
