"""The `kith` command. Errors become one line that says what to do, here and nowhere else
(flows/edge.py); what came from mail is printed as text (flows/terminal.py)."""

from __future__ import annotations

import csv
import os
import sys
import time
from datetime import date, datetime
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, ProgressColumn, TextColumn, TimeElapsedColumn, TimeRemainingColumn
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from kith.flows.edge import OneLineUsage, fail, one_line_errors, say, set_debug  # noqa: F401 (re-exported)
from kith.flows.terminal import safe_text, show_notes, visible

app = typer.Typer(
    help="kith keeps your professional network alive.",
    no_args_is_help=True,
    add_completion=False,
    cls=OneLineUsage,
    pretty_exceptions_enable=False,  # with --debug, a plain traceback that can be pasted into an issue
)
console = Console()
_on_close: list = []  # what a command set up for its run and undoes when it ends


@app.callback()
def main_options(
    ctx: typer.Context,
    debug: Annotated[bool, typer.Option("--debug", help="Show the traceback of an error (also KITH_DEBUG=1).")] = False,
) -> None:
    """Options for every command; also makes what kith creates private to the user."""
    from kith.models.settings import default_home
    from kith.warehouse.private import private_umask, tighten_tree

    set_debug(debug)
    umask = private_umask()
    tighten_tree(default_home())  # a home made before kith kept it private, or by another process
    stop_notes = show_notes()
    set_holder(f"kith {ctx.invoked_subcommand}")

    def restore() -> None:  # matters when the app runs inside another process (tests)
        while _on_close:
            _on_close.pop()()
        stop_notes()
        os.umask(umask)
        set_debug(False)
        set_holder("kith")

    ctx.call_on_close(restore)


def set_holder(label: str) -> None:
    from kith.warehouse.store import set_holder as name_this_process

    name_this_process(label)


def quiet_prefect() -> None:
    """Keep Prefect's own chatter out of the terminal; kith prints its own progress."""
    from kith.flows.prefect_server import tie_to_this_process

    tie_to_this_process()  # the temporary server ends with this command, even a killed one
    os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    # The temporary server's 20 s start-up budget is short on a busy small machine.
    os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "60")
    from kith.flows.edge import debugging
    from kith.flows.terminal import quiet_prefect_console

    if not debugging():
        _on_close.append(quiet_prefect_console())


@app.command()
@one_line_errors
def sync(account: Annotated[str | None, typer.Option(help="Sync only this account.")] = None) -> None:
    """Pull new mail and meetings from every account (or one) into the warehouse."""
    from kith.models.settings import load_settings

    settings = load_settings(require_file=True)
    if account:
        settings.account(account)  # fail early on a wrong name
    from kith.warehouse import ensure_not_busy

    ensure_not_busy(settings.database)
    quiet_prefect()
    started = time.monotonic()
    result = run_sync(settings, account)
    print_sync_summary(result, settings, time.monotonic() - started)


def run_sync(settings, account: str | None = None) -> dict:
    """Run the sync flow with a live progress bar per stream (done of total where the source
    says how many there are, as Gmail does on a first sync; the rate and the time left).

    The warehouse is opened (and its writer lock taken) before Prefect starts, which can take
    20 s: a second sync started meanwhile is told at once that this one is running.
    """
    from kith.flows.sync_flow import sync_flow
    from kith.warehouse import open_warehouse

    tasks: dict[tuple[str, str], int] = {}
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), RateColumn(),
               TimeElapsedColumn(), TimeRemainingColumn())
    # Started with the first batch: a run that stores nothing (or fails first) leaves no empty line.
    progress = Progress(*columns, console=console, transient=False)

    def on_batch(batch) -> None:
        key = (batch.account, batch.stream)
        if not tasks:
            progress.start()
        if key not in tasks:
            tasks[key] = progress.add_task(escape(visible(f"{batch.account} {batch.stream}")), total=batch.total)
        elif batch.total is not None:
            progress.update(tasks[key], total=batch.total)
        progress.advance(tasks[key], len(batch))

    with open_warehouse(settings.database) as warehouse:
        try:
            return sync_flow(account=account, settings=settings, on_batch=on_batch, warehouse=warehouse)
        finally:
            if tasks:
                progress.stop()


class RateColumn(ProgressColumn):
    """Records a second, for the progress bar."""

    def render(self, task) -> Text:
        return Text(f"{task.speed:,.0f}/s" if task.speed else "", style="progress.data.speed")


def print_sync_summary(result: dict, settings, seconds: float) -> None:
    accounts = result["accounts"]
    messages = sum(c["messages"] for c in accounts.values())
    meetings = sum(c["meetings"] for c in accounts.values())
    skipped = sum(c["skipped"] for c in accounts.values())
    console.print(
        f"Loaded {messages:,} messages and {meetings:,} meetings from {len(accounts)} account(s); "
        f"{skipped:,} records skipped (see the skipped_records table)."
    )
    console.print(
        f"People: {result['people']:,} besides you, {result['automated']:,} automated senders set aside, "
        f"{result['own_addresses']} of your own addresses recognised."
    )
    console.print(safe_text(f"Warehouse: {settings.database}"))
    console.print(f"Wall time: {seconds:.1f} s")
    for error in result.get("errors", []):
        say(error)
    if result.get("errors"):
        raise typer.Exit(1)


@app.command()
@one_line_errors
def sql(
    query: Annotated[str, typer.Argument(help="A DuckDB SQL query, e.g. 'SELECT * FROM relationships LIMIT 10'.")],
    as_csv: Annotated[bool, typer.Option("--csv", help="Print CSV instead of a table.")] = False,
) -> None:
    """Run a read-only SQL query against the warehouse (see README: reporting views).

    The query reads the warehouse and nothing else: writes, files, the network, extensions and
    other databases are refused by DuckDB itself (see warehouse/store.py READER_CONFIG).
    """
    import duckdb

    from kith.models.settings import load_settings
    from kith.warehouse import open_warehouse
    from kith.warehouse.queries import set_user_zone, use_meeting_size_limit

    settings = load_settings()
    with open_warehouse(settings.database, read_only=True) as wh:
        use_meeting_size_limit(wh.conn, settings.meetings.size_limit)
        set_user_zone(wh.conn, settings.zone)  # `relationships` counts the user's days
        try:
            cursor = wh.conn.execute(query)
            columns = [d[0] for d in cursor.description or []]
            rows = cursor.fetchall()
        except duckdb.Error as exc:
            fail(describe_query_error(exc))
    if as_csv:
        writer = csv.writer(sys.stdout)
        writer.writerow([visible(c) for c in columns])
        writer.writerows([visible(v, lines=True) if isinstance(v, str) else v for v in row] for row in rows)
        return
    table = Table(show_lines=False)
    for column in columns:
        table.add_column(safe_text(column))
    for row in rows:
        table.add_row(*(safe_text("" if v is None else v) for v in row))
    console.print(table)
    console.print(f"{len(rows)} row(s)")


# What DuckDB says when a reader's connection refuses a statement (see READER_CONFIG).
_REFUSED = ("read-only mode", "configuration has been locked", "disabled by configuration", "disabled through configuration")


def describe_query_error(exc: Exception) -> str:
    """One line for a failed `kith sql` query: refused (it would write or reach outside) or wrong."""
    first = str(exc).splitlines()[0]
    if type(exc).__name__ == "PermissionException" or any(words in first for words in _REFUSED):
        return f"kith sql only reads the warehouse: {first}"
    return f"the query failed: {first}"


@app.command()
@one_line_errors
def demo(
    seed: Annotated[int, typer.Option(help="Seed of the generated network.")] = 7,
    messages: Annotated[int | None, typer.Option(help="Scale the network to about this many messages.")] = None,
    today: Annotated[
        datetime | None,
        typer.Option(formats=["%Y-%m-%d"], help="The day the network ends on and the digest is for (default: today)."),
    ] = None,
) -> None:
    """Generate a realistic network under KITH_HOME, sync it through the flows, show the digest."""
    from kith.flows.demo import prepare_demo
    from kith.models.settings import load_settings

    quiet_prefect()
    started = time.monotonic()
    day = today.date() if today else None
    home = prepare_demo(seed=seed, messages=messages, console=console, today=day)
    settings = load_settings(home, require_file=True)
    result = run_sync(settings)
    after_demo_sync(settings, console, day)
    print_sync_summary(result, settings, time.monotonic() - started)


def after_demo_sync(settings, out: Console, day: date | None = None) -> None:
    """Hook: what the demo shows once the network is loaded (the digest, when it exists)."""
    try:
        from kith.flows.commands_digest import show_demo_digest
    except ImportError:
        return
    show_demo_digest(settings, out, day)


def _register_optional_commands() -> None:
    """Commands that live in their own modules register themselves on `app`."""
    import importlib

    for module in (
        "kith.flows.commands_digest", "kith.flows.commands_people", "kith.flows.commands_eval", "kith.flows.commands_daily",
        "kith.flows.commands_auth", "kith.flows.commands_report",
    ):
        try:
            importlib.import_module(module).register(app)
        except ModuleNotFoundError as exc:
            if exc.name != module:
                raise


_register_optional_commands()


def main() -> None:  # pragma: no cover - console entry point
    app()


if __name__ == "__main__":  # pragma: no cover
    main()

