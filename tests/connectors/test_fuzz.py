"""Fuzzing the mail parser and every file connector with mutated real mail and calendars.

Real messages and calendars from the shared corpora are truncated, bit-flipped, given duplicated
or emptied headers, broken encodings, dates out of range, huge headers, deep MIME nesting and
endless recurrences (`RRULE:FREQ=SECONDLY` with no end), then fed to `parse_message` and synced
through the mbox, maildir, eml and ics connectors. Nothing
may escape (the parser raises only `Unusable`; a sync reports no failed stream), every record is
stored or counted in `skipped_records`, peak memory stays under 1 GiB, and the whole run follows
from its seed.

Each part runs in a fresh Python process (this file run as a script) so that its peak memory
(`ru_maxrss`) is its own, not that of whatever the test session did before.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import re
import resource
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

SEED = 20261126
MESSAGES_PER_CONNECTOR = 1_000  # mbox, maildir, eml: 3,000 mutated messages, parsed once more alone
CALENDARS = 150  # about 14,000 event instances
MEMORY_LIMIT_MIB = 1024
# Processor seconds per part (wall time on a shared machine says more about the neighbours):
# measured 13 s for the mail part, 11 s for the calendars, 8 s for the endless series.
CPU_LIMIT_S = 40


Mutation = Callable[[bytes, random.Random], bytes]

# -- mutations shared by mail and calendars ------------------------------------------------------


def truncate(raw: bytes, rng: random.Random) -> bytes:
    return raw[: rng.randrange(len(raw) + 1)]


def flip_bits(raw: bytes, rng: random.Random) -> bytes:
    if not raw:
        return raw
    data = bytearray(raw)
    for _ in range(rng.randint(1, 24)):
        data[rng.randrange(len(data))] ^= 1 << rng.randrange(8)
    return bytes(data)


def insert_nul_and_high_bytes(raw: bytes, rng: random.Random) -> bytes:
    data = bytearray(raw)
    for _ in range(rng.randint(1, 8)):
        data.insert(rng.randrange(len(data) + 1), rng.choice((0, 0x80, 0xC3, 0xFF, 0x1B)))
    return bytes(data)


def mix_line_ends(raw: bytes, rng: random.Random) -> bytes:
    return re.sub(rb"\r?\n", lambda _: rng.choice((b"\n", b"\r\n", b"\r", b"\n\r")), raw)


# -- mail ------------------------------------------------------------------------------------------

BROKEN_WORDS = (
    b"=?utf-8?b?a?=", b"=?utf-8?q?=ZZ=?=", b"=?x-no-such-charset?q?caf=E9?=", b"=?utf-8?b?", b"=?=?=?",
    b"=?iso-2022-jp?b?GyRCJEgbKEI?= =?utf-8?b?w6k=?=", b"\xff\xfe\xc3(", b"=?utf-8*en?q?x?=",
)  # fmt: skip
BAD_DATES = (
    b"01 Jan 0001 00:00:00 +0100", b"31 Dec 9999 23:59:59 -2359", b"Tue, 31 Feb 2026 25:61:61 +0000",
    b"32 Foo 99999 99:99:99 +9999", b"Mon, 1 Jan 1900 00:00:00 +0000", b"", b"-1", b"1e309",
    b"Thu, 01 Jan 1970 00:00:00 -9959", b"Sat, 1 Jan 2000 00:00:00 GMT+99",
)  # fmt: skip
KEPT_NAMES = (b"from", b"to", b"cc", b"date", b"subject", b"message-id", b"references", b"in-reply-to",
              b"content-type", b"content-transfer-encoding", b"sender", b"list-id")  # fmt: skip


def _split(raw: bytes) -> tuple[list[bytes], bytes]:
    head, separator, body = raw.partition(b"\n\n")
    return head.split(b"\n"), separator + body


def _join(lines: list[bytes], rest: bytes) -> bytes:
    return b"\n".join(lines) + rest


def set_header(raw: bytes, name: bytes, value: bytes) -> bytes:
    lines, rest = _split(raw)
    for i, line in enumerate(lines):
        if line.lower().startswith(name.lower() + b":"):
            lines[i] = name + b": " + value
            return _join(lines, rest)
    return _join([name + b": " + value, *lines], rest)


def duplicate_header(raw: bytes, rng: random.Random) -> bytes:
    lines, rest = _split(raw)
    line = rng.choice(lines)
    for _ in range(rng.choice((1, 2, 50, 2000))):
        lines.insert(rng.randrange(len(lines) + 1), line)
    return _join(lines, rest)


def empty_header(raw: bytes, rng: random.Random) -> bytes:
    return set_header(raw, rng.choice(KEPT_NAMES).title(), rng.choice((b"", b" ", b"\t", b"<>", b",,,")))


def break_encoding(raw: bytes, rng: random.Random) -> bytes:
    choice = rng.randrange(4)
    if choice == 0:
        return set_header(raw, b"Subject", rng.choice(BROKEN_WORDS) + b" " + rng.choice(BROKEN_WORDS))
    if choice == 1:
        return set_header(raw, b"From", rng.choice(BROKEN_WORDS) + b" <dana@x.org>")
    if choice == 2:
        raw = set_header(raw, b"Content-Transfer-Encoding", rng.choice((b"base64", b"quoted-printable", b"x-uuencode")))
        return set_header(raw, b"Content-Type", b"text/plain; charset=" + rng.choice((b"x-none", b"utf-7", b'"', b"utf-8")))
    lines, rest = _split(raw)
    return _join(lines, rest + b"\n=\n==ZZ\n\xff\xfe" + bytes(rng.randrange(256) for _ in range(64)))


def date_out_of_range(raw: bytes, rng: random.Random) -> bytes:
    return set_header(raw, b"Date", rng.choice(BAD_DATES))


def huge_header(raw: bytes, rng: random.Random) -> bytes:
    if rng.random() < 0.2:  # a mass mailing's To (mutated, a list this long takes the slow path: 0.1 s)
        return set_header(raw, b"To", b", ".join(b"person%d@example.org" % i for i in range(1_000)))
    size = rng.choice((10_000, 100_000, 100_000, 1_000_000))
    return set_header(raw, rng.choice((b"Subject", b"X-Junk", b"References")), b"x" * size)


def deep_mime(raw: bytes, rng: random.Random) -> bytes:
    depth = rng.choice((20, 200, 1_000, 3_000))
    opening = (b'Content-Type: multipart/mixed; boundary="n%d"\n\n--n%d\n' % (n, n) for n in reversed(range(depth)))
    closing = (b"\n--n%d--\n" % n for n in range(depth))
    leaf = b"Content-Type: text/plain\n\nI've been promoted to Director of Fuzzing.\n"
    head, body = (b"".join(opening) + leaf + b"".join(closing)).split(b"\n\n", 1)
    lines, _ = _split(raw)
    lines = [line for line in lines if not line.lower().startswith(b"content-type:")]
    return _join([*lines, head], b"\n\n" + body)


def drop_header_end(raw: bytes, rng: random.Random) -> bytes:
    return raw.replace(b"\n\n", b"\n", 1)


MAIL_MUTATIONS: tuple[Mutation, ...] = (
    truncate, flip_bits, insert_nul_and_high_bytes, mix_line_ends, duplicate_header, empty_header,
    break_encoding, date_out_of_range, huge_header, deep_mime, drop_header_end,
)  # fmt: skip


def corpus_messages(corpora: Path) -> list[bytes]:
    from kith.connectors.mailfiles import split_mbox

    messages = []
    for path in sorted(p for p in (corpora / "email").rglob("*") if p.is_file()):
        if path.suffix == ".mbox":
            messages += [raw for _, _, raw in split_mbox(path, 0)]
        else:
            messages.append(path.read_bytes())
    return messages


MAX_SIZE = 2 << 20  # a mutated input is cut here: huge, yet a few thousand of them fit in memory


def mutated(pool: list[bytes], mutations: tuple[Mutation, ...], rng: random.Random, count: int) -> list[bytes]:
    out = []
    for _ in range(count):
        raw = rng.choice(pool).replace(b"\r\n", b"\n")
        for _ in range(rng.randint(1, 3)):
            raw = rng.choice(mutations)(raw, rng)[:MAX_SIZE]
        out.append(raw)
    return out


def mutated_messages(corpora: Path, seed: int, count: int) -> list[bytes]:
    return mutated(corpus_messages(corpora), MAIL_MUTATIONS, random.Random(seed), count)


# -- calendars -------------------------------------------------------------------------------------

BAD_STARTS = (
    b"DTSTART:99991231T235959Z", b"DTSTART:00010101T000000Z", b"DTSTART;TZID=Mars/Olympus:20260101T100000",
    b"DTSTART:2026-13-45", b"DTSTART;VALUE=DATE:99999999", b"DTSTART:", b"DTEND:00010101T000000Z",
    b"DTSTART;TZID=\"\":20260101T100000",
)  # fmt: skip
ENDLESS_RULES = (b"RRULE:FREQ=SECONDLY", b"RRULE:FREQ=MINUTELY;COUNT=1000000000", b"RRULE:FREQ=SECONDLY;INTERVAL=1")


def _lines(raw: bytes) -> list[bytes]:
    return raw.split(b"\n")


def duplicate_line(raw: bytes, rng: random.Random) -> bytes:
    lines = _lines(raw)
    line = rng.choice(lines)
    for _ in range(rng.choice((1, 3, 300))):
        lines.insert(rng.randrange(len(lines) + 1), line)
    return b"\n".join(lines)


def empty_value(raw: bytes, rng: random.Random) -> bytes:
    names = (b"DTSTART", b"DTEND", b"RRULE", b"UID", b"ATTENDEE", b"ORGANIZER", b"EXDATE", b"RECURRENCE-ID", b"TZID")
    name = rng.choice(names)
    return b"\n".join(name + b":" if line.startswith(name) else line for line in _lines(raw))


def break_dates(raw: bytes, rng: random.Random) -> bytes:
    lines = [rng.choice(BAD_STARTS) if line.startswith((b"DTSTART", b"DTEND")) and rng.random() < 0.5 else line
             for line in _lines(raw)]  # fmt: skip
    return b"\n".join(lines)


def break_rules(raw: bytes, rng: random.Random) -> bytes:
    bad = (b"RRULE:FREQ=YEARLY;BYMONTH=13", b"RRULE:FREQ=NEVER", b"RRULE:FREQ=DAILY;UNTIL=00000000",
           b"RRULE:FREQ=WEEKLY;BYDAY=XX", b"EXDATE:garbage", b"RDATE:99999999T999999Z")  # fmt: skip
    return _in_events(raw, rng, rng.choice(bad))


def huge_lines(raw: bytes, rng: random.Random) -> bytes:
    if rng.random() < 0.5:
        return _in_events(raw, rng, b"SUMMARY:" + b"x" * 10_000)
    return _in_events(raw, rng, b"\n".join(b"ATTENDEE:mailto:p%d@example.org" % i for i in range(500)))


def huge_lines_in_long_series(raw: bytes, rng: random.Random) -> bytes:
    """A huge title or attendee list on a daily series: every instance copies it."""
    lines = [line for line in _lines(raw) if not line.startswith((b"RRULE", b"COUNT", b"UNTIL"))]
    if rng.random() < 0.5:
        insert = b"SUMMARY:" + b"x" * rng.choice((100_000, 1_000_000))
    else:
        insert = b"\n".join(b"ATTENDEE:mailto:p%d@example.org" % i for i in range(5_000))
    return _in_events(b"\n".join(lines), rng, insert + b"\nRRULE:FREQ=DAILY")


def deep_components(raw: bytes, rng: random.Random) -> bytes:
    depth = rng.choice((50, 1_000, 3_000))
    return _in_events(raw, rng, b"BEGIN:X-NEST\n" * depth + b"END:X-NEST\n" * depth)


def broken_timezone(raw: bytes, rng: random.Random) -> bytes:
    lines = _lines(raw)
    block = [b"BEGIN:VTIMEZONE", b"TZID:Europe/Paris", b"BEGIN:STANDARD", b"DTSTART:garbage",
             b"TZOFFSETFROM:+99999", b"TZOFFSETTO:", b"END:STANDARD", b"END:VTIMEZONE"]  # fmt: skip
    at = next((i for i, line in enumerate(lines) if line.startswith(b"BEGIN:VEVENT")), len(lines))
    return b"\n".join(lines[:at] + block + lines[at:])


def endless_recurrence(raw: bytes, rng: random.Random) -> bytes:
    lines = [line for line in _lines(raw) if not line.startswith((b"RRULE", b"COUNT", b"UNTIL"))]
    return _in_events(b"\n".join(lines), rng, rng.choice(ENDLESS_RULES))


def _in_events(raw: bytes, rng: random.Random, insert: bytes) -> bytes:
    """`insert` after the BEGIN line of one VEVENT (or at the end when there is none)."""
    lines = _lines(raw)
    starts = [i for i, line in enumerate(lines) if line.startswith(b"BEGIN:VEVENT")]
    at = rng.choice(starts) + 1 if starts else len(lines)
    return b"\n".join(lines[:at] + [insert] + lines[at:])


CALENDAR_MUTATIONS: tuple[Mutation, ...] = (
    truncate, flip_bits, insert_nul_and_high_bytes, mix_line_ends, duplicate_line, empty_value,
    break_dates, break_rules, huge_lines, deep_components, broken_timezone,
)  # fmt: skip


# The calendar runs: how many calendars, and a mutation each one gets besides the random ones.
CALENDAR_CASES: dict[str, tuple[int, Mutation | None]] = {
    "mutated": (CALENDARS, None),
    "endless": (40, endless_recurrence),  # FREQ=SECONDLY with no end, MINUTELY;COUNT=1000000000
    "amplified": (40, huge_lines_in_long_series),
}


def mutated_calendars(corpora: Path, seed: int, case: str) -> list[bytes]:
    count, always = CALENDAR_CASES[case]
    pool = [p.read_bytes() for p in sorted((corpora / "calendar").rglob("*.ics"))]
    calendars = mutated(pool, CALENDAR_MUTATIONS, random.Random(seed + 1), count)
    if always is not None:
        rng = random.Random(seed + 2)
        calendars = [always(data, rng) for data in calendars]
    return calendars


# -- one part of the run, in its own process ---------------------------------------------------------


def digest(items: list[bytes] | list[str]) -> str:
    h = hashlib.sha256()
    for item in items:
        h.update(item if isinstance(item, bytes) else item.encode("utf-8", "surrogateescape"))
        h.update(b"\0")
    return h.hexdigest()


def parse_each(messages: list[bytes]) -> tuple[list[str], list[str]]:
    """What the parser made of each message (its key fields, or why it is unusable), and
    anything it raised that is not `Unusable`."""
    from kith.connectors.mailparse import Unusable, parse_message

    outcomes, escaped = [], []
    for i, raw in enumerate(messages):
        try:
            m = parse_message(raw, account="fuzz", stream="s", source_id=str(i), with_body=True)
            outcomes.append(f"{m.sender.email}|{m.sent_at}|{m.subject!r}|{len(m.to)}|{(m.body_text or '')[:40]!r}")
        except Unusable as exc:
            outcomes.append(f"unusable: {exc}")
        except BaseException as exc:  # noqa: BLE001 - what the test is looking for
            escaped.append(f"message {i}: {type(exc).__name__}: {str(exc)[:200]}")
    return outcomes, escaped


def escape_from_lines(raw: bytes) -> bytes:
    """mboxrd: a body line starting with "From " (after any ">") gains one ">"."""
    return re.sub(rb"(?m)^(>*From )", rb">\1", raw)


def write_sources(root: Path, messages: list[bytes]) -> dict[str, int]:
    """mbox, maildir and eml sources holding the messages, plus entries no message file should
    be (broken links, a link loop, a pipe, a folder, a name that is not UTF-8). Returns how many
    records each account holds."""
    n = len(messages) // 3
    parts = {"mbox": messages[:n], "maildir": messages[n : 2 * n], "eml": messages[2 * n :]}
    (root / "mbox").mkdir(parents=True)
    for half, chunk in enumerate((parts["mbox"][: n // 2], parts["mbox"][n // 2 :])):
        with (root / "mbox" / f"part{half}.mbox").open("wb") as handle:
            for raw in chunk:
                handle.write(b"From fuzz@example.org Mon Jan  1 00:00:00 2001\n" + escape_from_lines(raw) + b"\n\n")
    for folder in ("INBOX", ".Archive"):
        for sub in ("cur", "new", "tmp"):
            (root / "maildir" / folder / sub).mkdir(parents=True)
    for i, raw in enumerate(parts["maildir"]):
        folder, sub, flags = ("INBOX", "cur", ":2,S") if i % 3 else (".Archive", "new", "")
        (root / "maildir" / folder / sub / f"{1_700_000_000 + i}.M{i}P1.fuzz{flags}").write_bytes(raw)
    for i, raw in enumerate(parts["eml"]):
        folder = root / "eml" / f"{i % 7}"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"{i:05}.eml").write_bytes(raw)
    odd = {"maildir": root / "maildir" / "INBOX" / "cur", "eml": root / "eml" / "0"}
    for folder in odd.values():
        (folder / "9000.M1P1.broken-link:2,S").symlink_to(root / "nowhere")
        (folder / "9001.M1P1.loop:2,S").symlink_to(folder / "9001.M1P1.loop:2,S")
        os.mkfifo(folder / "9002.M1P1.pipe:2,S")
        (folder / "9003.M1P1.folder:2,S").mkdir()
        (folder / os.fsdecode(b"9004.M1P1.\xff\xfe-not-utf8:2,S")).write_bytes(messages[0])
    # The folder in eml/0 holds no file: it is walked, not a record.
    return {"mbox": len(parts["mbox"]), "maildir": len(parts["maildir"]) + 5, "eml": len(parts["eml"]) + 4}


def sync_and_account(home: Path, accounts: dict[str, tuple[str, Path]]) -> dict:
    """Sync the accounts; per account what was yielded, stored and skipped, and any stream errors."""
    from kith.flows.syncing import sync_accounts
    from kith.models.settings import FileAccount, Settings, UserSettings
    from kith.warehouse import open_warehouse

    settings = Settings(
        home=home,
        user=UserSettings(addresses=["me@example.org"]),
        accounts=[FileAccount(name=name, kind=kind, path=path) for name, (kind, path) in accounts.items()],
    )
    yielded: dict[str, dict[str, set[str] | int]] = {
        name: {"ids": set(), "records": 0, "skips": 0, "locations": set()} for name in accounts
    }

    def on_batch(batch) -> None:
        seen = yielded[batch.account]
        seen["records"] += len(batch.messages) + len(batch.meetings)
        seen["skips"] += len(batch.skips)
        seen["ids"].update(r.source_id for r in (*batch.messages, *batch.meetings))
        seen["locations"].update(s.location for s in batch.skips)

    with open_warehouse(settings.database) as wh:
        reports = sync_accounts(wh.conn, settings, on_batch=on_batch)
        stored = dict(wh.query(
            "SELECT account, count(*) FROM (SELECT account FROM messages UNION ALL SELECT account FROM meetings) GROUP BY ALL"
        ))  # fmt: skip
        skipped = dict(wh.query("SELECT account, count(*) FROM skipped_records GROUP BY ALL"))
        reasons = wh.query("SELECT reason, count(*) FROM skipped_records GROUP BY ALL ORDER BY 2 DESC, 1 LIMIT 8")
    return {
        "errors": [r.error for r in reports if r.error],
        "accounts": {
            name: {
                "yielded": seen["records"],
                "yielded_skips": seen["skips"],
                "distinct_ids": len(seen["ids"]),
                "distinct_skip_locations": len(seen["locations"]),
                "stored": stored.get(name, 0),
                "skipped": skipped.get(name, 0),
            }
            for name, seen in yielded.items()
        },
        "top_reasons": reasons,
    }


def run_part(part: str, corpora: Path, work: Path, seed: int) -> dict:
    """`part`: "mail", or one of CALENDAR_CASES."""
    started = time.perf_counter()
    if part == "mail":
        messages = mutated_messages(corpora, seed, 3 * MESSAGES_PER_CONNECTOR)
        outcomes, escaped = parse_each(messages)
        records = write_sources(work / "sources", messages)
        accounts = {name: (name, work / "sources" / name) for name in records}
        result = {"inputs": digest(messages), "outcomes": digest(outcomes), "escaped": escaped, "records": records}
    else:
        calendars = mutated_calendars(corpora, seed, part)
        (work / "cal").mkdir(parents=True)
        for i, data in enumerate(calendars):
            (work / "cal" / f"{i:04}.ics").write_bytes(data)
        accounts = {"cal": ("ics", work / "cal")}
        result = {"inputs": digest(calendars), "escaped": []}
    result |= sync_and_account(work, accounts)
    usage = resource.getrusage(resource.RUSAGE_SELF)
    result["seconds"] = round(time.perf_counter() - started, 1)
    result["cpu_seconds"] = round(usage.ru_utime + usage.ru_stime, 1)
    result["peak_mib"] = round(usage.ru_maxrss / 1024)
    return result


def run_in_own_process(part: str, corpora: Path, work: Path) -> dict:
    command = [sys.executable, __file__, part, str(corpora), str(work), str(SEED)]
    done = subprocess.run(command, capture_output=True, text=True, timeout=10 * CPU_LIMIT_S)
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.splitlines()[-1])


# -- the tests ---------------------------------------------------------------------------------------


def test_mutated_mail_through_the_parser_and_the_mail_file_connectors(corpora: Path, tmp_path: Path) -> None:
    result = run_in_own_process("mail", corpora, tmp_path)
    assert result["escaped"] == [] and result["errors"] == []
    assert result["cpu_seconds"] < CPU_LIMIT_S and result["peak_mib"] < MEMORY_LIMIT_MIB, result
    accounts = result["accounts"]
    for name, records in result["records"].items():
        got = accounts[name]
        # Every record the connector found is a message or a skip; every skip is a row.
        assert got["yielded"] + got["yielded_skips"] == records, (name, got)
        assert got["skipped"] == got["distinct_skip_locations"] == got["yielded_skips"], (name, got)
        # Every message is a row (mbox messages are keyed by Message-ID until branch `keys`
        # keys them by file and offset: mutated copies sharing one are one row).
        assert got["stored"] == got["distinct_ids"], (name, got)
    assert accounts["maildir"]["stored"] == accounts["maildir"]["yielded"]
    assert accounts["eml"]["stored"] == accounts["eml"]["yielded"]
    # Deterministic from the seed: the same inputs, and the parser makes the same of them here.
    messages = mutated_messages(corpora, SEED, 3 * MESSAGES_PER_CONNECTOR)
    assert digest(messages) == result["inputs"]
    assert digest(parse_each(messages)[0]) == result["outcomes"]
    assert mutated_messages(corpora, SEED + 1, 20) != messages[:20]  # and the seed is what decides


@pytest.mark.parametrize("case", ["mutated", "endless", "amplified"])
def test_mutated_calendars_through_the_ics_connector(corpora: Path, tmp_path: Path, case: str) -> None:
    result = run_in_own_process(case, corpora, tmp_path)
    assert result["errors"] == []
    assert result["cpu_seconds"] < CPU_LIMIT_S and result["peak_mib"] < MEMORY_LIMIT_MIB, result
    got = result["accounts"]["cal"]
    assert got["stored"] == got["distinct_ids"] and got["skipped"] == got["distinct_skip_locations"], got
    assert got["stored"] > 0 and got["skipped"] > 0, got
    calendars = mutated_calendars(corpora, SEED, case)
    assert digest(calendars) == result["inputs"]


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description="One part of the fuzz run; prints its result as JSON.")
    parser.add_argument("part", choices=("mail", *CALENDAR_CASES))
    parser.add_argument("corpora", type=Path)
    parser.add_argument("work", type=Path)
    parser.add_argument("seed", type=int)
    args = parser.parse_args()
    print(json.dumps(run_part(args.part, args.corpora, args.work, args.seed)))
