"""`kith demo`: a generated network, its settings, ready to sync. No accounts needed."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from rich.console import Console

from kith.models.settings import default_home

DEMO_MARKER = "# written by `kith demo`"


def demo_home() -> Path:
    """KITH_HOME itself, unless it holds the user's own settings: then KITH_HOME/demo."""
    home = default_home()
    config = home / "kith.toml"
    if config.exists() and DEMO_MARKER not in config.read_text(encoding="utf-8"):
        return home / "demo"
    return home


def prepare_demo(*, seed: int, messages: int | None, console: Console, today: date | None = None) -> Path:
    """Generate the network (unless the same one is there) and write `kith.toml` for it."""
    from kith.generator import generate_network

    home = demo_home()
    network = home / "demo-network"
    today = today or date.today()
    truth_file = network / "ground_truth.json"
    wanted = {"seed": seed, "today": today.isoformat(), "messages": messages}
    stamp = network / "generated.json"
    if not (truth_file.exists() and stamp.exists() and json.loads(stamp.read_text()) == wanted):
        with console.status(f"generating a network (seed {seed})..."):
            truth = generate_network(network, seed=seed, today=today, messages=messages)
        stamp.write_text(json.dumps(wanted))
    else:
        truth = json.loads(truth_file.read_text())
    write_demo_settings(home, network, truth["user"])
    console.print(f"Demo network: {network}")
    return home


def write_demo_settings(home: Path, network: Path, user: dict) -> None:
    addresses = ", ".join(json.dumps(a) for a in user["addresses"])
    (home / "kith.toml").write_text(
        f"""{DEMO_MARKER} (safe to delete)
[user]
name = {json.dumps(user["name"])}
addresses = [{addresses}]
timezone = {json.dumps(user.get("timezone", "UTC"))}

[[accounts]]
name = "demo-mail"
kind = "mbox"
path = {json.dumps(str(network / "mail"))}

[[accounts]]
name = "demo-calendar"
kind = "ics"
path = {json.dumps(str(network))}

[digest]
method = "file"
to = [{json.dumps(user["addresses"][0])}]
""",
        encoding="utf-8",
    )
