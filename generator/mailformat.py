"""Render RFC 5322 messages as text with f-strings (the `email` package is too slow at 1M messages)."""

from __future__ import annotations

import quopri
import time

_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_Q_SAFE = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!*+-/")


def format_rfc2822(ts: int, offset_minutes: int) -> str:
    """Return an RFC 2822 date for UTC epoch `ts` shown in a zone `offset_minutes` east of UTC."""
    t = time.gmtime(ts + offset_minutes * 60)
    sign = "+" if offset_minutes >= 0 else "-"
    hh, mm = divmod(abs(offset_minutes), 60)
    return (
        f"{_DAYS[t.tm_wday]}, {t.tm_mday} {_MONTHS[t.tm_mon - 1]} {t.tm_year} "
        f"{t.tm_hour:02d}:{t.tm_min:02d}:{t.tm_sec:02d} {sign}{hh:02d}{mm:02d}"
    )


def format_from_line(addr: str, ts: int) -> str:
    """Return the mbox separator line for a message from `addr` received at UTC epoch `ts`."""
    t = time.gmtime(ts)
    return (
        f"From {addr} {_DAYS[t.tm_wday]} {_MONTHS[t.tm_mon - 1]} {t.tm_mday:2d} "
        f"{t.tm_hour:02d}:{t.tm_min:02d}:{t.tm_sec:02d} {t.tm_year}\n"
    )


def encode_word(text: str) -> str:
    """Return `text` as an RFC 2047 Q-encoded word when it is not plain ASCII."""
    if text.isascii():
        return text
    out = []
    for ch in text:
        if ch in _Q_SAFE:
            out.append(ch)
        elif ch == " ":
            out.append("_")
        else:
            out.extend(f"={b:02X}" for b in ch.encode("utf-8"))
    return f"=?utf-8?q?{''.join(out)}?="


def format_address(name: str, addr: str) -> str:
    """Return `Name <addr>`, encoding or quoting the display name as needed."""
    if not name:
        return addr
    if not name.isascii():
        return f"{encode_word(name)} <{addr}>"
    if any(c in name for c in ',.;:"()'):
        return f'"{name}" <{addr}>'
    return f"{name} <{addr}>"


def render_message(
    *,
    from_: str,
    to: str,
    subject: str,
    date: str,
    message_id: str,
    body: str,
    cc: str = "",
    in_reply_to: str = "",
    references: str = "",
    extra: str = "",
) -> str:
    """Return a whole plain-text message (headers, blank line, body) ending in a newline.

    `extra` holds further header lines, each ending in a newline. Non-ASCII bodies are sent
    quoted-printable, everything else 7bit.
    """
    if body.isascii():
        cte = "7bit"
    else:
        cte = "quoted-printable"
        body = quopri.encodestring(body.encode("utf-8")).decode("ascii")
    if not subject.isascii():
        subject = encode_word(subject)
    head = f"From: {from_}\nTo: {to}\n"
    if cc:
        head += f"Cc: {cc}\n"
    head += f"Subject: {subject}\nDate: {date}\nMessage-ID: {message_id}\n"
    if in_reply_to:
        head += f"In-Reply-To: {in_reply_to}\nReferences: {references}\n"
    return (
        f"{head}{extra}MIME-Version: 1.0\nContent-Type: text/plain; charset=utf-8\n"
        f"Content-Transfer-Encoding: {cte}\n\n{body}"
    )
