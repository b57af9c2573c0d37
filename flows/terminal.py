"""Printing what came from mail or a calendar: as text, never as instructions to the terminal.

A display name, a subject, a folder name or a server's reply is written by someone else. Printed
raw, `Nora [/red] Kim` crashes Rich, `[link=https://evil.test]…[/link]` becomes a hidden
hyperlink, and ESC/OSC sequences drive the terminal. Every command prints such strings through
`visible` (plain output: echo, CSV) or `safe_text` (Rich tables and consoles), here and nowhere else.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable

from rich.console import Console
from rich.text import Text

# C0 controls and DEL, C1 controls, and the bidirectional overrides and isolates that reorder
# what a line appears to say. Tab and newline are handled by the caller's choice (`lines`).
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_UNSAFE_IN_ONE_LINE = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def _shown(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def visible(value: object, *, lines: bool = False) -> str:
    """`value` as text whose control characters are shown as escapes (ESC -> `\\x1b`).

    With `lines`, tab and newline are kept (a multi-line text such as the digest); without it the
    result is always one line.
    """
    text = "" if value is None else str(value)
    return (_UNSAFE if lines else _UNSAFE_IN_ONE_LINE).sub(_shown, text)


def safe_text(value: object, style: str = "") -> Text:
    """`value` for a Rich table cell or `Console.print`: no markup is read from it, no control
    character reaches the terminal."""
    return Text(visible(value), style=style)


# ---------------------------------------------------------------------------------------------
# Lines on stderr: errors, and kith's notes while it works

err = Console(stderr=True, highlight=False, soft_wrap=True)


def say(message: str) -> None:
    """Print `kith: <message>` on stderr, the message as plain text on one line."""
    err.print(Text.assemble(("kith:", "red"), " ", visible(message)))


class _Notes(logging.Handler):
    """kith's own warnings while it works (a retry it waits for, a folder that went away), one
    `kith: ...` line each. Errors are left out: the run reports each once, at its end."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.addFilter(lambda record: record.levelno < logging.ERROR)

    def emit(self, record: logging.LogRecord) -> None:
        try:
            say(record.getMessage())
        except Exception:  # noqa: BLE001 - a note must never break the run
            self.handleError(record)


class _PrefectRetries(logging.Handler):
    """Prefect's notice that it will run a failed task again later, as a kith line: without it a
    digest waiting 2 or 10 minutes for an SMTP server says nothing."""

    def __init__(self) -> None:
        super().__init__(logging.INFO)

    def emit(self, record: logging.LogRecord) -> None:
        # Prefect logs ("Task run failed with %s: %r - Retry %s/%s will start %s", kind, error, n, of, when)
        args = record.args if isinstance(record.args, tuple) else ()
        if len(args) != 5 or "- Retry" not in str(record.msg):
            return
        _, error, attempt, of, when = args
        task = getattr(record, "task_run_name", "a task")
        reason = " ".join(str(error).split())
        seconds = re.match(r"([\d.]+) second", str(when))
        later = f"in {float(seconds.group(1)):g} s" if seconds else str(when)
        say(f"{task} failed ({reason}); trying again {later} (retry {attempt} of {of})")


def _shown_by_prefect(record: logging.LogRecord) -> bool:
    """What Prefect's console handler may still print under kith: warnings from libraries and
    Prefect itself. kith's notes have their own handler; Prefect's account of a failure (ERROR,
    with a traceback) is what kith says in one line at the end."""
    if record.name == "kith" or record.name.startswith("kith."):
        return False
    if record.name.startswith("prefect"):
        return logging.WARNING <= record.levelno < logging.ERROR
    return True


def show_notes() -> Callable[[], None]:
    """Print kith's warnings as `kith: ...` lines from now on; returns what undoes it."""
    logger = logging.getLogger("kith")
    notes = _Notes()
    logger.addHandler(notes)
    return lambda: logger.removeHandler(notes)


def quiet_prefect_console() -> Callable[[], None]:
    """Keep Prefect's tracebacks off the terminal and show its retries as kith lines; returns
    what undoes it. Prefect's settings (PREFECT_LOGGING_LEVEL...) must be in the environment first."""
    from prefect.logging.configuration import ensure_logging_setup

    ensure_logging_setup()  # Prefect configures logging on first use; its handlers must exist now
    consoles = [h for h in logging.getLogger().handlers if type(h).__name__ == "PrefectConsoleHandler"]
    for handler in consoles:
        handler.addFilter(_shown_by_prefect)
    task_runs = logging.getLogger("prefect.task_runs")
    level, retries = task_runs.level, _PrefectRetries()
    task_runs.setLevel(logging.INFO)
    task_runs.addHandler(retries)

    def undo() -> None:
        for handler in consoles:
            handler.removeFilter(_shown_by_prefect)
        task_runs.removeHandler(retries)
        task_runs.setLevel(level)

    return undo
