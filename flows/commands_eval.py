"""`kith eval`: score the digest against generated networks with known answers."""

from __future__ import annotations

from datetime import date
from typing import Annotated

import typer


def register(app: typer.Typer) -> None:
    """Add `kith eval` to the CLI."""

    @app.command("eval")
    def eval_command(
        seed: Annotated[list[int] | None, typer.Option(help="Seed of a generated network; repeat for several.")] = None,
        today: Annotated[str, typer.Option(help="The digest day (fixed, so runs are reproducible).")] = "2026-11-20",
        strict: Annotated[bool, typer.Option(help="Exit 1 when a target is missed.")] = False,
    ) -> None:
        """Generate networks with ground truth, sync them, build the digest and print precision per section."""
        from kith.flows.cli import console
        from kith.digests.evaluate import DEFAULT_SEEDS, misses
        from kith.flows.evaluation import run_evaluation

        totals = run_evaluation(tuple(seed or DEFAULT_SEEDS), date.fromisoformat(today),
                                echo=lambda line: console.print(line, highlight=False))
        missed = misses(totals)
        if missed:
            console.print("targets missed: " + "; ".join(missed), highlight=False)
            if strict:
                raise typer.Exit(1)
        else:
            console.print("all targets met", highlight=False)
