"""Automated senders (newsletters, notifications, lists, bulk senders) and their messages."""

from __future__ import annotations

from dataclasses import dataclass
from random import Random

from kith.generator import names


@dataclass(slots=True)
class Sender:
    name: str
    address: str
    cue: str  # list_headers|noreply_address|auto_submitted|behaviour|linkedin
    style: str  # newsletter|noreply|auto|list|behaviour|linkedin
    weight: float
    weekday: int  # -1: any day
    host: str
    rate: float = 0.0  # expected messages per eligible day


def make_senders(rng: Random, scale: float) -> list[Sender]:
    """Return the automated senders: about 40 by default, more (numbered copies) at larger scales."""
    copies = max(1, round(scale**0.5))
    out: list[Sender] = []
    for c in range(copies):
        tag = "" if c == 0 else str(c)
        for name, dom in names.NEWSLETTERS:
            d = f"{tag}{dom}" if tag else dom
            out.append(Sender(f"{name}{' ' + tag if tag else ''}", f"newsletter@{d}", "list_headers",
                              "newsletter", 1.0, rng.randrange(7), d))
        for name, addr in names.NOREPLY:
            local, dom = addr.split("@")
            d = f"{tag}{dom}" if tag else dom
            out.append(Sender(name, f"{local}@{d}", "noreply_address", "noreply", 4.0, -1, d))
        for name, addr in names.AUTO_SUBMITTED:
            local, dom = addr.split("@")
            d = f"{tag}{dom}" if tag else dom
            out.append(Sender(name, f"{local}@{d}", "auto_submitted", "auto", 5.0, -1, d))
        for name, addr in names.MAILING_LISTS:
            local, dom = addr.split("@")
            out.append(Sender(name, f"{local}{tag}@{dom}", "list_headers", "list", 3.0, -1, dom))
        for name, addr in names.BEHAVIOUR:
            local, dom = addr.split("@")
            d = f"{tag}{dom}" if tag else dom
            out.append(Sender(name, f"{local}@{d}", "behaviour", "behaviour", 1.5, -1, d))
    out.append(Sender("LinkedIn", "notifications-noreply@linkedin.com", "linkedin", "linkedin", 1.0, -1,
                      "linkedin.com"))
    return out


def set_rates(senders: list[Sender], total: int, n_days: int) -> None:
    """Give each sender an expected count per eligible day so that all send about `total` messages."""
    weight = sum(s.weight for s in senders)
    for s in senders:
        per_day = total * s.weight / weight / n_days
        s.rate = per_day * 7 if s.weekday >= 0 else per_day


def make_crowd(rng: Random, n: int = 300) -> list[str]:
    """Return addresses of strangers used to fill mass-mail recipient lists."""
    doms = ("outlook.com", "yahoo.com", "proton.me", "mailbox.org", "fastmail.com", "hey.com")
    firsts = [f for f in names.FIRST_NAMES if f.isascii()]
    return [f"{rng.choice(firsts).lower()}.{k}@{rng.choice(doms)}" for k in range(n)]


def automated_body(rng: Random, s: Sender, subject_no: int) -> tuple[str, str, str]:
    """Return (subject, body, extra header lines) for one message from `s`."""
    items = names.NEWSLETTER_ITEMS
    if s.style == "newsletter":
        picks = [items[(subject_no + k * 5) % len(items)] for k in range(3)]
        subject = f"{s.name} #{subject_no}: {picks[0]}"
        body = (f"Hi Alex,\n\nThis week in {s.name}:\n\n1. {picks[0]}\n2. {picks[1]}\n3. {picks[2]}\n\n"
                f"Read online: https://{s.host}/issues/{subject_no}\n\n--\nYou are receiving this because "
                f"you subscribed to {s.name}.\nUnsubscribe: https://{s.host}/unsubscribe\n")
        extra = (f'List-Id: "{s.name}" <news.{s.host}>\nList-Unsubscribe: <https://{s.host}/unsubscribe>, '
                 f"<mailto:unsubscribe@{s.host}>\nList-Unsubscribe-Post: List-Unsubscribe=One-Click\n"
                 "Precedence: bulk\n")
    elif s.style == "noreply":
        subject = rng.choice((f"Your receipt #{subject_no}", f"Security alert for your {s.name} account",
                              f"[{s.name}] Activity summary", f"Your {s.name} statement is ready"))
        body = (f"Hello Alex,\n\n{subject}.\n\nView the details in your account: https://{s.host}/a/{subject_no}\n\n"
                f"This mailbox is not monitored. Please do not reply.\n")
        extra = ""
    elif s.style == "auto":
        subject = rng.choice((f"[ALERT] Job {subject_no} failed", f"[PROJ-{subject_no}] Status changed to Done",
                              f"Build #{subject_no} passed", f"New issue: TypeError in handler ({subject_no})"))
        body = f"{subject}\n\nDetails: https://{s.host}/e/{subject_no}\n\n-- \nThis message was sent automatically.\n"
        extra = "Auto-Submitted: auto-generated\nX-Auto-Response-Suppress: All\n"
    elif s.style == "list":
        subject = rng.choice((f"[{s.name}] Question about window functions", f"[{s.name}] Meetup next month",
                              f"[{s.name}] Release candidate {subject_no % 9}.{subject_no % 7}",
                              f"Re: [{s.name}] Best practice for incremental loads"))
        body = (f"Hi all,\n\nSharing this with the group: {items[subject_no % len(items)].lower()}.\n"
                f"Thoughts welcome.\n\n--\nYou received this message because you are subscribed to {s.name}.\n")
        list_dom = s.address.replace("@", ".")
        extra = (f"List-Id: <{list_dom}>\nList-Unsubscribe: <mailto:{s.address.split('@')[0]}+unsubscribe@"
                 f"{s.host}>\nList-Post: <mailto:{s.address}>\nPrecedence: list\n")
    elif s.style == "behaviour":
        subject = rng.choice((f"You're invited: {s.name} Summit", f"Last chance to register for {s.name}",
                              "Exclusive dinner for data leaders", f"{s.name}: speakers announced",
                              "Quick question about your team's plans"))
        body = (f"Hi there,\n\nWe'd love to see you at our next event. {items[subject_no % len(items)]} and more.\n\n"
                f"Register here: https://{s.host}/r/{subject_no}\n\nCheers,\nThe {s.name} team\n")
        extra = ""
    else:  # linkedin (generic)
        subject = rng.choice(("You appeared in 12 searches this week", "Your weekly network update",
                              "People you may know", "Your post got 34 impressions"))
        body = (f"Hi Alex,\n\n{subject}.\n\nSee more on LinkedIn: https://www.linkedin.com/notifications/\n\n"
                "Unsubscribe: https://www.linkedin.com/e/unsubscribe\n")
        extra = linkedin_headers()
    return subject, body, extra


def linkedin_headers() -> str:
    return ("List-Unsubscribe: <https://www.linkedin.com/e/unsubscribe>\n"
            "X-LinkedIn-Class: EMAIL-DEFAULT\nX-LinkedIn-Template: notifications\n")
