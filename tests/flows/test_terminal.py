"""Names and subjects come from other people's mail: kith prints them as text. Rich markup in a
name is shown, not obeyed; escape sequences are shown as `\\x1b`, never sent to the terminal."""

from __future__ import annotations

import base64
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kith.flows.cli import app
from kith.flows.terminal import safe_text, visible

from homes import sync_home, write_config

# (display name, address): markup that crashed Rich, markup that made a hidden hyperlink, and
# an OSC title change plus a screen clear (sent RFC 2047-encoded, as a hostile sender would).
SENDERS = [
    ("Nora [/red] Kim", "nora@example.org"),
    ("[link=https://evil.test]Click me[/link]", "link@example.org"),
    ("\x1b]0;pwned\x07Eve \x1b[2JNg", "eve@example.org"),
    ("Dana Kim", "dana@example.org"),
]
SHOWN = {
    "nora@example.org": "Nora [/red] Kim",
    "link@example.org": "[link=https://evil.test]Click me[/link]",
    "eve@example.org": "\\x1b]0;pwned\\x07Eve \\x1b[2JNg",
    "dana@example.org": "Dana Kim",
}


def _encoded(text: str) -> str:
    return "=?utf-8?b?" + base64.b64encode(text.encode()).decode() + "?="


def hostile_mbox() -> bytes:
    """Each sender writes once (Eve's subject carries colour codes) and the user answers."""
    messages = []
    for day, (name, address) in enumerate(SENDERS, start=1):
        quoted = _encoded(name) if "\x1b" in name else f'"{name}"'
        them = f"{quoted} <{address}>"
        subject = _encoded("Hello \x1b[31mred\x1b[0m") if address.startswith("eve") else "Hello"
        for hour, (sender, to, title) in enumerate([(them, "Me <me@example.com>", subject), ("Me <me@example.com>", them, "Re: Hello")]):
            messages.append(
                f"From x@y Mon Sep  {day} 0{hour + 8}:00:00 2026\nFrom: {sender}\nTo: {to}\n"
                f"Date: Mon, {day} Sep 2026 0{hour + 8}:00:00 +0000\nMessage-ID: <{day}.{hour}@example.org>\n"
                f"Subject: {title}\n\nHello.\n\n"
            )
    return "".join(messages).encode()


@pytest.fixture
def hostile_home(kith_home: Path) -> Path:
    write_config(kith_home, hostile_mbox())
    sync_home(kith_home)
    return kith_home


def kith(*args: str, **env: str) -> str:
    result = CliRunner().invoke(app, list(args), env={"COLUMNS": "200", **env})
    assert result.exit_code == 0, result.output
    return result.output


def test_visible_shows_control_characters_and_keeps_text() -> None:
    assert visible("Zoë [b]Martin[/b]") == "Zoë [b]Martin[/b]"
    assert visible("\x1b]8;;https://evil.test\x1b\\x\x1b]8;;\x1b\\") == "\\x1b]8;;https://evil.test\\x1b\\x\\x1b]8;;\\x1b\\"
    assert visible("a\rb\x00c\x7fd\x9be") == "a\\x0db\\x00c\\x7fd\\x9be"
    assert visible("abc\u202edcba") == "abc\\u202edcba"  # right-to-left override
    assert visible("one\ntwo\tthree") == "one\\x0atwo\\x09three"
    assert visible("one\ntwo\tthree\r", lines=True) == "one\ntwo\tthree\\x0d"
    assert visible(None) == "" and visible(42) == "42"
    assert safe_text("[red]x[/red]").plain == "[red]x[/red]" and safe_text("[red]x[/red]").spans == []


def test_sql_prints_names_as_text(hostile_home: Path) -> None:
    query = "SELECT display_name, primary_address FROM people WHERE NOT is_self ORDER BY primary_address"
    assert kith("sql", query) == (
        "┏━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━┓\n"
        "┃ display_name                            ┃ primary_address  ┃\n"
        "┡━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━┩\n"
        "│ Dana Kim                                │ dana@example.org │\n"
        "│ \\x1b]0;pwned\\x07Eve \\x1b[2JNg           │ eve@example.org  │\n"
        "│ [link=https://evil.test]Click me[/link] │ link@example.org │\n"
        "│ Nora [/red] Kim                         │ nora@example.org │\n"
        "└─────────────────────────────────────────┴──────────────────┘\n"
        "4 row(s)\n"
    )
    assert kith("sql", query, "--csv").splitlines() == [
        "display_name,primary_address",
        "Dana Kim,dana@example.org",
        "\\x1b]0;pwned\\x07Eve \\x1b[2JNg,eve@example.org",
        "[link=https://evil.test]Click me[/link],link@example.org",
        "Nora [/red] Kim,nora@example.org",
    ]


def _columns(table: str) -> list[tuple[str, str]]:
    """(name, primary address) of each body row of the `kith people` table."""
    rows = [line.split("│") for line in table.splitlines() if line.startswith("│")]
    return [(row[1].strip(), row[2].strip()) for row in rows]


def test_people_with_colour_on_sends_only_its_own_colours(hostile_home: Path) -> None:
    plain = kith("people")
    coloured = kith("people", FORCE_COLOR="1")

    expected = [(SHOWN[a], a) for a in ("dana@example.org", "eve@example.org", "link@example.org", "nora@example.org")]
    assert _columns(plain) == expected
    assert plain.splitlines()[-1] == "4 people"
    # Rich's own colours (SGR) are the only escape sequences; no hyperlink, no title, no clear.
    assert re.findall(r"\x1b[^\[]|\x1b\[[0-9;]*[^0-9;m]", coloured) == []
    assert re.sub(r"\x1b\[[0-9;]*m", "", coloured) == plain


def test_person_mute_and_errors_print_names_as_text(hostile_home: Path) -> None:
    shown = kith("person", "eve@example.org").splitlines()
    assert shown[:3] == [
        "\\x1b]0;pwned\\x07Eve \\x1b[2JNg <eve@example.org>",
        "Addresses: eve@example.org (address)",
        "Overrides: none",
    ]
    assert shown[6:] == [
        "Last 2 interactions:",
        "  2026-09-03 09:00  email sent  Re: Hello",
        "  2026-09-03 08:00  email received  Hello \\x1b[31mred\\x1b[0m",
    ]
    assert kith("mute", "eve@example.org") == "Muted \\x1b]0;pwned\\x07Eve \\x1b[2JNg <eve@example.org>.\n"

    ambiguous = CliRunner().invoke(app, ["person", "kim"])
    assert (ambiguous.exit_code, ambiguous.output) == (
        1,
        "kith: 'kim' could be 2 people: Dana Kim <dana@example.org>; Nora [/red] Kim <nora@example.org>; name one by address\n",
    )
