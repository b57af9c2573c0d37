"""Deterministic generator of a realistic professional network with ground truth.

`generate_network` writes mail (mbox or maildir), `calendar.ics`, `birthdays.ics`, `personal.ics`
and `ground_truth.json` under an output directory; everything follows from (seed, today).
"""

from __future__ import annotations

import json
from datetime import date, datetime, timezone
from pathlib import Path
from random import Random
from typing import Literal

from kith.generator.automated import make_senders, set_rates
from kith.generator.calendar_forms import add_calendar_forms, write_personal_calendar
from kith.generator.followups import plan_followup_cases
from kith.generator.ics import write_birthdays, write_calendar
from kith.generator.news import plan_news
from kith.generator.network import BASE_MESSAGES, SPAN_DAYS, USER_NAME, USER_PERSONAL, USER_TZ, USER_WORK, plan_network
from kith.generator.sinks import MaildirSink, MboxSink
from kith.generator.writer import MailWriter

__all__ = ["generate_network"]


def _iso(ts: int) -> str:
    return datetime.fromtimestamp(ts, timezone.utc).date().isoformat()


def generate_network(
    out_dir: Path,
    *,
    seed: int = 7,
    today: date,
    messages: int | None = None,
    mail_format: Literal["mbox", "maildir"] = "mbox",
) -> dict:
    """Write a generated network under `out_dir` and return its ground truth (also in ground_truth.json).

    `messages` scales the total message count (default about 12,000); `mail_format` picks mbox files
    or maildir folders under `out_dir/mail`.
    """
    if mail_format not in ("mbox", "maildir"):
        raise ValueError(f"mail_format is {mail_format!r}; use 'mbox' or 'maildir'")
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    rng = Random(seed)
    plan = plan_network(rng, today, messages)
    forms = add_calendar_forms(Random(f"calendar-forms-{seed}"), plan)  # its own draws: the rest stays
    news = plan_news(Random(f"news-{seed}"), plan)  # its own draws, too
    plan.signals.extend(news.signals)
    target = messages or BASE_MESSAGES

    senders = make_senders(rng, plan.scale)
    genuine = sum(1 if t.kind.startswith("linkedin") else t.n for t in plan.threads)
    set_rates(senders, max(target - genuine, round(0.2 * target)), SPAN_DAYS + 1)
    plan_followup_cases(seed, plan)  # after the rates: the rest of the network stays as it was

    sink = (MboxSink if mail_format == "mbox" else MaildirSink)(out_dir / "mail")
    writer = MailWriter(rng, plan, sink, senders)
    for message in news.messages:
        writer.add(*message)
    try:
        writer.run()
    finally:
        sink.close()
    write_calendar(out_dir / "calendar.ics", plan.meetings, plan.now_ts)
    write_birthdays(out_dir / "birthdays.ics", [p for p in plan.people if p.idx not in forms.title_only], today,
                    plan.now_ts)
    write_personal_calendar(out_dir / "personal.ics", forms, plan.now_ts)

    truth = _ground_truth(seed, today, plan, writer, senders, sink.counts)
    truth["news_not_congratulated"] = news.not_congratulated
    truth["congratulated_already"] = news.congratulated_already
    (out_dir / "ground_truth.json").write_text(json.dumps(truth, indent=1, ensure_ascii=False) + "\n")
    return truth


def _ground_truth(seed, today, plan, writer, senders, counts) -> dict:
    contacts, reconnect = [], []
    for p in plan.people:
        first, last = writer.first[p.idx], writer.last[p.idx]
        for t in plan.meeting_contacts.get(p.idx, ()):
            first, last = min(first or t, t), max(last, t)
        contacts.append({
            "name": p.name, "addresses": list(p.addresses), "tier": p.tier, "cadence_days": p.cadence,
            "drifting": p.drifting, "first_contact": _iso(first), "last_contact": _iso(last),
            "company": p.company, "birthday": f"{p.birthday[0]:02d}-{p.birthday[1]:02d}" if p.birthday else None,
        })
        since = (today - datetime.fromtimestamp(last, timezone.utc).date()).days
        if since > 1.5 * p.cadence and since > 14:
            reconnect.append(p.primary)
    signals = sorted({(s["address"], s["kind"], s["date"]): s for s in plan.signals}.values(),
                     key=lambda s: (s["date"], s["address"], s["kind"]))
    return {
        "seed": seed,
        "today": today.isoformat(),
        "user": {"name": USER_NAME, "addresses": [USER_WORK, USER_PERSONAL], "timezone": USER_TZ},
        "contacts": contacts,
        "automated_senders": [{"address": s.address, "cue": s.cue} for s in senders],
        "signals": signals,
        "signals_unknown_people": plan.signals_unknown,
        "reply_owed": writer.reply_owed,
        "awaiting_reply": writer.awaiting,
        "promises": writer.promises,
        "reply_not_owed": writer.reply_not_owed,
        "new_people": [{"address": a, "name": n, "met_on": d.isoformat()} for n, a, d in plan.new_people],
        "reconnect_due": sorted(reconnect),
        "message_counts": dict(counts),
    }
