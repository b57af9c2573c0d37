"""Rendering a digest: an HTML email (inline styles, one centred column), plain text, a subject.

Everything in a digest comes from mail and calendars, so the HTML template escapes every value
(jinja2 autoescape) and only http, https and mailto links become anchors.
"""

from __future__ import annotations

import textwrap
from datetime import date
from urllib.parse import urlsplit

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from kith.digests.items import SECTION_TITLES, Digest, DigestItem

TEXT_WIDTH = 72
SAFE_SCHEMES = {"http", "https", "mailto"}
FOLLOW_UP_SECTIONS = ("reply_owed", "awaiting_reply", "promise", "new_person")
EMPTY_MESSAGE = "Nothing needs you today. Your network is in good shape: enjoy the spare fifteen minutes."


def safe_link(url: str | None) -> str | None:
    """The link if it is http(s) or mailto, else None (no `javascript:`, `data:`, `file:` ...)."""
    if not url:
        return None
    url = url.strip()
    try:
        scheme = urlsplit(url).scheme.lower()
    except ValueError:
        return None
    if scheme not in SAFE_SCHEMES or any(ch in url for ch in "\r\n\t\x00 "):
        return None
    if scheme != "mailto" and not urlsplit(url).netloc:
        return None
    return url


def long_date(day: date) -> str:
    """'Thursday 26 November 2026', independent of the locale."""
    return f"{day:%A} {day.day} {day:%B %Y}"


def digest_subject(digest: Digest) -> str:
    """The email subject: the day and how many actions of each kind."""
    day = f"{digest.day:%A} {digest.day.day} {digest.day:%B}"
    reconnect = len(digest.section("reconnect"))
    congratulate = len(digest.section("congratulate"))
    follow_up = sum(len(digest.section(name)) for name in FOLLOW_UP_SECTIONS)
    parts = [
        f"{count} to {verb}"
        for count, verb in ((reconnect, "reconnect"), (congratulate, "congratulate"), (follow_up, "follow up"))
        if count
    ]
    return f"kith — {day}: " + (", ".join(parts) if parts else "nothing needs you today")


def sections(digest: Digest) -> list[tuple[str, list[DigestItem]]]:
    """(title, items) for every non-empty section, in the order the reader sees them."""
    return [(title, digest.section(name)) for name, title in SECTION_TITLES.items() if digest.section(name)]


def render_text(digest: Digest) -> str:
    """The plain-text part: the same content and order as the HTML, wrapped at 72 columns."""
    return template_env().get_template("digest.txt").render(**_context(digest)).rstrip("\n") + "\n"


def render_html(digest: Digest) -> str:
    """The HTML part: inline styles, a single column of at most 600 px, readable in dark mode."""
    return template_env().get_template("digest.html").render(**_context(digest))


def _context(digest: Digest) -> dict:
    count = len(digest.items)
    return {
        "digest": digest,
        "subject": digest_subject(digest),
        "long_date": long_date(digest.day),
        "sections": sections(digest),
        "summary": f"{count} thing{'s' if count != 1 else ''} for today.",
        "empty_message": EMPTY_MESSAGE,
    }


def _wrap(text: str, indent: str = "", first: str | None = None) -> str:
    """Wrap one paragraph at TEXT_WIDTH; URLs and long words are never broken."""
    return textwrap.fill(
        " ".join(text.split()),
        width=TEXT_WIDTH,
        initial_indent=indent if first is None else first,
        subsequent_indent=indent,
        break_long_words=False,
        break_on_hyphens=False,
    )


_ENV: Environment | None = None


def template_env() -> Environment:
    """The one Jinja environment of kith's mail and page templates (HTML escaped, strict)."""
    global _ENV
    if _ENV is None:
        env = Environment(
            loader=PackageLoader("kith.digests", "templates"),
            autoescape=select_autoescape(
                enabled_extensions=("html",), disabled_extensions=("txt",), default_for_string=True, default=True
            ),
            undefined=StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
        )
        env.filters["safe_link"] = safe_link
        env.filters["wrap"] = _wrap
        _ENV = env
    return _ENV
