"""The `kith` command. Errors become one line that says what to do, here and nowhere else."""

from __future__ import annotations

import csv
import os
import sys
import time
from datetime import date, datetime
from collections.abc import Callable
from functools import wraps
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

app = typer.Typer(help="kith keeps your professional network alive.", no_args_is_help=True, add_completion=False)
console = Console()
err = Console(stderr=True)


def one_line_errors(command: Callable) -> Callable:
    """Turn the errors users can act on into one line and exit status 1."""

    @wraps(command)
    def wrapper(*args, **kwargs):
        from kith.connectors.errors import ConnectorError
        from kith.models.settings import SettingsError
        from kith.warehouse.errors import WarehouseError

        try:
            return command(*args, **kwargs)
        except (SettingsError, WarehouseError, ConnectorError) as exc:
            err.print(f"[red]kith:[/red] {exc}", highlight=False, soft_wrap=True)
            raise typer.Exit(1) from None

    return wrapper


def quiet_prefect() -> None:
    """Keep Prefect's own chatter out of the terminal; kith prints its own progress."""
    from kith.flows.prefect_server import tie_to_this_process

    tie_to_this_process()  # the temporary server ends with this command, even a killed one
    os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    # The temporary server's 20 s start-up budget is short on a busy small machine.
    os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "60")


@app.command()
@one_line_errors
def sync(account: Annotated[str | None, typer.Option(help="Sync only this account.")] = None) -> None:
    """Pull new mail and meetings from every account (or one) into the warehouse."""
    from kith.models.settings import load_settings

    quiet_prefect()
    settings = load_settings(require_file=True)
    if account:
        settings.account(account)  # fail early on a wrong name
    from kith.warehouse import ensure_not_busy

    ensure_not_busy(settings.database)
    started = time.monotonic()
    result = run_sync(settings, account)
    print_sync_summary(result, settings, time.monotonic() - started)


def run_sync(settings, account: str | None = None) -> dict:
    """Run the sync flow with a live progress line.

    The warehouse is opened (and its writer lock taken) before Prefect starts, which can take
    20 s: a second sync started meanwhile is told at once that this one is running.
    """
    from kith.flows.sync_flow import sync_flow
    from kith.warehouse import open_warehouse

    loaded = {"messages": 0, "meetings": 0}
    with open_warehouse(settings.database) as warehouse, console.status("syncing...") as status:

        def on_batch(batch) -> None:
            loaded["messages"] += len(batch.messages)
            loaded["meetings"] += len(batch.meetings)
            status.update(
                f"syncing {batch.account}: {loaded['messages']:,} messages, {loaded['meetings']:,} meetings"
            )

        return sync_flow(account=account, settings=settings, on_batch=on_batch, warehouse=warehouse)


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
    console.print(f"Warehouse: {settings.database}")
    console.print(f"Wall time: {seconds:.1f} s")
    for error in result.get("errors", []):
        err.print(f"[red]kith:[/red] {error}", highlight=False, soft_wrap=True)
    if result.get("errors"):
        raise typer.Exit(1)


@app.command()
@one_line_errors
def sql(
    query: Annotated[str, typer.Argument(help="A DuckDB SQL query, e.g. 'SELECT * FROM relationships LIMIT 10'.")],
    as_csv: Annotated[bool, typer.Option("--csv", help="Print CSV instead of a table.")] = False,
) -> None:
    """Run a read-only SQL query against the warehouse (see README: reporting views)."""
    import duckdb

    from kith.models.settings import load_settings
    from kith.warehouse import open_warehouse

    settings = load_settings()
    with open_warehouse(settings.database, read_only=True) as wh:
        try:
            cursor = wh.conn.execute(query)
        except duckdb.Error as exc:
            err.print(f"[red]kith:[/red] the query failed: {str(exc).splitlines()[0]}", highlight=False, soft_wrap=True)
            raise typer.Exit(1) from None
        columns = [d[0] for d in cursor.description or []]
        rows = cursor.fetchall()
    if as_csv:
        writer = csv.writer(sys.stdout)
        writer.writerow(columns)
        writer.writerows(rows)
        return
    table = Table(*columns, show_lines=False)
    for row in rows:
        table.add_row(*("" if v is None else str(v) for v in row))
    console.print(table)
    console.print(f"{len(rows)} row(s)")


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
        "kith.flows.commands_auth",
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

