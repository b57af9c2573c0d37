"""`kith auth PROVIDER ACCOUNT`: sign an account in once; scheduled runs then refresh silently.

Each provider's logic lives in its connector package; this module only registers the commands.
"""

from __future__ import annotations

from typing import Annotated

import typer

auth_app = typer.Typer(help="Sign in to an account's provider (once; later runs refresh silently).", no_args_is_help=True)


@auth_app.command("microsoft")
def microsoft(account: Annotated[str, typer.Argument(help="The account's name in kith.toml.")]) -> None:
    """Device-code sign-in for a Microsoft 365 / Outlook.com account: prints a URL and a code."""
    from kith.flows.cli import console, one_line_errors
    from kith.flows.terminal import safe_text

    @one_line_errors
    def run() -> None:
        from kith.connectors.microsoft.auth import sign_in_account
        from kith.models.settings import load_settings

        def show(text: str) -> None:  # never wrapped: the code and URL are copied from it
            console.print(safe_text(text), highlight=False, soft_wrap=True)  # the server's words, as text

        show(sign_in_account(load_settings(require_file=True), account, show=show))

    run()


@auth_app.command("google")
def google(
    account: Annotated[str, typer.Argument(help="The account's name in kith.toml (kind = \"google\").")],
    no_browser: Annotated[bool, typer.Option("--no-browser", help="Print the address to open elsewhere and take the redirected address pasted back.")] = False,
    port: Annotated[int, typer.Option(help="Loopback port for the redirect (0: any free one; fix it to forward it over SSH).")] = 0,
) -> None:
    """Installed-app sign-in for a Google account (Gmail and Calendar) with the scopes the settings need."""
    from kith.flows.cli import console, one_line_errors

    @one_line_errors
    def run() -> None:
        from kith.connectors.google.auth import sign_in_account
        from kith.models.settings import load_settings

        def show(text: str) -> None:  # never wrapped: the address is copied from it
            console.print(text, highlight=False, soft_wrap=True)

        show(sign_in_account(load_settings(require_file=True), account, no_browser=no_browser, port=port,
                             ask=lambda prompt: typer.prompt(prompt), show=show))

    run()


def register(app: typer.Typer) -> None:
    """Add `kith auth` to the CLI."""
    app.add_typer(auth_app, name="auth")
