"""The command line's edge: every error that reaches it becomes one line that says what happened
and what to do, with exit status 1. The traceback stays available with `kith --debug ...` or
`KITH_DEBUG=1`.

    known families      SettingsError, WarehouseError, ConnectorError, DeliveryError,
                        DeliveryFailed: their message is the line
    OSError on a path   "<what the system said>: <path>; check that ..."
    anything else       "unexpected error: <type>: <message>; run again with --debug ..."
    usage mistakes      click's message and where to read the command's help (exit status 2)
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from functools import wraps
from typing import NoReturn

import typer
from typer._click import Context  # typer ships its own click; its exceptions are these, not click's
from typer._click.exceptions import NoArgsIsHelpError, UsageError
from typer.core import TyperGroup

from kith.flows.terminal import say

DEBUG_HINT = "run again with --debug for the traceback"
_debug = False


def set_debug(on: bool) -> None:
    """`kith --debug`: let errors through with their traceback."""
    global _debug
    _debug = on


def debugging() -> bool:
    """True under `kith --debug` or with KITH_DEBUG set (to anything but 0)."""
    return _debug or os.environ.get("KITH_DEBUG", "0") not in ("", "0")


def fail(message: str, code: int = 1) -> NoReturn:
    """`say` the message and stop the command."""
    say(message)
    raise typer.Exit(code)


def one_line_errors(command: Callable) -> Callable:
    """Turn every error the command raises into one line and exit status 1 (see module doc)."""

    @wraps(command)
    def wrapper(*args, **kwargs):
        try:
            return command(*args, **kwargs)
        except (typer.Exit, typer.Abort, typer.TyperException):
            raise  # the command line's own flow: exit codes, usage mistakes, Ctrl-C
        except Exception as exc:
            if debugging():
                raise
            fail(describe_error(exc))

    return wrapper


def describe_error(exc: BaseException) -> str:
    """The one line for `exc`: its own message when kith raised it for the user, else what it is."""
    if isinstance(exc, _known_families()):
        return str(exc)
    if isinstance(exc, OSError) and exc.filename:
        return f"{exc.strerror or type(exc).__name__}: {exc.filename}; check that it exists and that you may read and write it"
    first = (str(exc).strip().splitlines() or [""])[0]
    return f"unexpected error: {type(exc).__name__}: {first}; {DEBUG_HINT}"


def _known_families() -> tuple[type[BaseException], ...]:
    from kith.connectors.errors import ConnectorError
    from kith.digests.delivery import DeliveryError
    from kith.models.settings import SettingsError
    from kith.warehouse.errors import WarehouseError

    families: list[type[BaseException]] = [SettingsError, WarehouseError, ConnectorError, DeliveryError]
    digest_flow = sys.modules.get("kith.flows.digest_flow")  # loaded whenever its error can occur
    if digest_flow is not None:
        families.append(digest_flow.DeliveryFailed)
    return tuple(families)


class OneLineUsage(TyperGroup):
    """The `kith` group: a usage mistake (a bad option value, a missing argument) is one line too."""

    def parse_args(self, ctx: Context, args: list[str]) -> list[str]:
        try:
            return super().parse_args(ctx, args)
        except UsageError as exc:
            _usage_line(exc)

    def invoke(self, ctx: Context):
        try:
            return super().invoke(ctx)
        except UsageError as exc:
            _usage_line(exc)


def _usage_line(exc: UsageError) -> NoReturn:
    if isinstance(exc, NoArgsIsHelpError):
        raise exc  # `kith` alone: the help, as asked
    words = exc.ctx.command_path.split()[1:] if exc.ctx else []
    fail(f"{exc.format_message().rstrip('.')}; see `{' '.join(['kith', *words])} --help`", code=exc.exit_code)
