"""Ingest benchmark: a generated mbox into DuckDB, against Python's own header parsing as the floor.

    python benchmarks/ingest.py [--sizes 50000,100000] [--rounds 3] [--baseline-python OLD/.venv/bin/python]

For each size it generates a network (one mbox file of about that many messages) and runs, each
phase in a fresh subprocess so peak memory is its own:

- floor: split the mbox on its `From ` lines and parse every header block with the standard
  library's `BytesHeaderParser`, storing nothing: the least any ingest must do;
- kith: the mbox connector (parsing, body signals) plus storing every batch and its cursor in a
  new DuckDB file, as `kith sync` does, then identity resolution;
- bare: the kith phase with signal detection switched off, so what detection costs is measured
  in the same run. kith and bare alternate `--rounds` times (the machine's speed drifts between
  runs) and each is reported by its median;
- base, with `--baseline-python`: the kith phase of another kith install (an older checkout's
  venv) on the same mbox, alternating with the others (every other round in reverse order), to
  compare ingest across versions round by round.

It prints messages per second (wall and CPU), the ratio to the floor, peak RSS, and the share of
the kith phase's CPU time signal detection takes, timed inside each run (on a shared machine the
difference between runs with and without it moves by several points from run to run).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path
from statistics import median

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from measure import peak_rss_mib  # noqa: E402 (benchmarks/ is on the path when run as a script)


def phase_floor(mbox: Path) -> dict:
    from email.parser import BytesHeaderParser

    from kith.connectors.mailfiles import split_mbox

    parser = BytesHeaderParser()
    started = time.perf_counter()
    count = 0
    for _, _, raw in split_mbox(mbox, 0):
        parser.parsebytes(raw)
        count += 1
    return {"messages": count, "seconds": time.perf_counter() - started}


def phase_kith_without_signals(mbox: Path) -> dict:
    """The kith phase with signal detection switched off: what detection costs, in the same run."""
    from kith.flows import syncing

    syncing.detect_signals = lambda batch, user: []
    return phase_kith(mbox)


def phase_kith(mbox: Path) -> dict:
    from kith.flows import syncing
    from kith.flows.syncing import sync_stream
    from kith.connectors.mailfiles import MailFileConnector
    from kith.models.settings import FileAccount, Settings, UserSettings
    from kith.warehouse import open_warehouse
    from kith.warehouse.people import refresh_people

    home = Path(tempfile.mkdtemp())
    settings = Settings(
        home=home,
        user=UserSettings(addresses=["alex.morgan@example.com", "alex@morgan.dev"]),
        accounts=[FileAccount(name="bench", kind="mbox", path=mbox)],
    )
    connector = MailFileConnector(settings.accounts[0])
    detect, detect_cpu = syncing.detect_signals, [0.0]

    def timed_detect(batch, user):  # the CPU time detection itself takes, inside this very run
        began = time.process_time()
        try:
            return detect(batch, user)
        finally:
            detect_cpu[0] += time.process_time() - began

    syncing.detect_signals = timed_detect
    with open_warehouse(settings.database) as wh:
        started, cpu = time.perf_counter(), time.process_time()
        report = sync_stream(wh.conn, connector, str(mbox), settings)
        stored, cpu = time.perf_counter(), time.process_time() - cpu
        load_peak = peak_rss_mib()
        refresh_people(wh.conn, settings.user.addresses)
        resolved = time.perf_counter()
    return {
        "messages": report.messages,
        "seconds": stored - started,
        "cpu_seconds": cpu,
        "detect_cpu_seconds": detect_cpu[0],
        "resolve_seconds": resolved - stored,
        "load_peak_rss_mib": load_peak,
    }


def run_phase(name: str, mbox: Path, python: str = sys.executable) -> dict:
    """Run one phase in its own interpreter (`python`: this kith's, or a baseline's) and add its
    peak RSS."""
    out = subprocess.run(
        [python, __file__, "--phase", name, "--mbox", str(mbox)],
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def make_mbox(size: int, workdir: Path) -> Path:
    """One mbox holding the generated inbox and sent mail of about `size` messages."""
    from kith.generator import generate_network

    network = workdir / f"net-{size}"
    generate_network(network, seed=11, today=date(2026, 11, 26), messages=size)
    mbox = workdir / f"mail-{size}.mbox"
    with mbox.open("wb") as out:
        for part in ("inbox.mbox", "sent.mbox"):
            data = (network / "mail" / part).read_bytes()
            out.write(data if data.endswith(b"\n\n") else data + b"\n")
    return mbox


def main() -> None:
    args = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    args.add_argument("--sizes", default="50000,100000")
    args.add_argument("--rounds", type=int, default=3, help="alternating kith and bare runs per size")
    args.add_argument("--baseline-python", help="an older kith install's interpreter (a checkout's .venv/bin/python): "
                      "its kith phase alternates with this one's on the same mbox")
    args.add_argument("--phase", help=argparse.SUPPRESS)
    args.add_argument("--mbox", help=argparse.SUPPRESS)
    opts = args.parse_args()
    if opts.phase:
        result = {"floor": phase_floor, "kith": phase_kith, "bare": phase_kith_without_signals}[opts.phase](Path(opts.mbox))
        result["peak_rss_mib"] = peak_rss_mib()
        print(json.dumps(result))
        return
    print(f"{'messages':>9} {'phase':<6} {'msg/s':>9} {'CPU msg/s':>10} {'x floor':>8} {'peak MiB':>9}  notes")
    with tempfile.TemporaryDirectory() as tmp:
        for size in (int(s) for s in opts.sizes.split(",")):
            mbox = make_mbox(size, Path(tmp))
            floor = run_phase("floor", mbox)
            phases = {"kith": ("kith", sys.executable), "bare": ("bare", sys.executable)}
            if opts.baseline_python:
                phases["base"] = ("kith", opts.baseline_python)
            runs: dict[str, list[dict]] = {name: [] for name in phases}
            for round_number in range(opts.rounds):
                # Every other round in reverse (kith, bare, base, then base, bare, kith): a drift in
                # the machine's speed then weighs on each phase alike.
                order = list(phases.items())[:: -1 if round_number % 2 else 1]
                for name, (phase, python) in order:
                    runs[name].append(run_phase(phase, mbox, python))
            kith, bare = (median_run(runs[name]) for name in ("kith", "bare"))
            floor_rate = floor["messages"] / floor["seconds"]
            print(f"{floor['messages']:>9,} {'floor':<6} {floor_rate:>9,.0f} {'':>10} {'1.00':>8} {floor['peak_rss_mib']:>9.0f}  stdlib BytesHeaderParser, nothing stored")
            for name, run, note in (
                ("kith", kith, f"parse + signals + DuckDB; then people in {kith['resolve_seconds']:.1f} s (peak {kith['peak_rss_mib']:.0f} MiB)"),
                ("bare", bare, "the same without signal detection"),
                *((("base", median_run(runs["base"]), f"the kith phase of {opts.baseline_python}"),) if opts.baseline_python else ()),
            ):
                rate = run["messages"] / run["seconds"]
                print(f"{run['messages']:>9,} {name:<6} {rate:>9,.0f} {run['messages'] / run['cpu_seconds']:>10,.0f} "
                      f"{floor_rate / rate:>8.2f} {run['load_peak_rss_mib']:>9.0f}  {note}")
            inside = [detection_share(run) for run in runs["kith"]]
            print(f"signal detection: {median(inside):.0%} of the kith phase's CPU time, timed inside each run "
                  f"(median of {opts.rounds}; {min(inside):.0%}-{max(inside):.0%}); {1 - bare['cpu_seconds'] / kith['cpu_seconds']:.0%} "
                  f"from the medians with and without it ({kith['cpu_seconds']:.2f} s and {bare['cpu_seconds']:.2f} s), "
                  "which the machine's drift between runs blurs")
            if opts.baseline_python:
                print_against_baseline(runs["kith"], runs["base"])


def print_against_baseline(kith: list[dict], base: list[dict]) -> None:
    """Throughput against the baseline, by round: each round's two runs are minutes apart, so the
    median of the rounds' ratios is steadier than the ratio of the medians; and detection's cost
    a message in each, timed inside the runs."""
    ratios = sorted(b["cpu_seconds"] / k["cpu_seconds"] for k, b in zip(kith, base))
    rounds = len(ratios)

    def detection_us(runs: list[dict]) -> float:
        return median([run["detect_cpu_seconds"] / run["messages"] * 1e6 for run in runs])

    print(f"against the baseline: {median(ratios):.0%} of its throughput (CPU; median of {rounds} rounds' ratios, "
          f"{ratios[0]:.0%}-{ratios[-1]:.0%}; {median([b['cpu_seconds'] for b in base]) / median([k['cpu_seconds'] for k in kith]):.0%} "
          f"from the medians); signal detection {detection_us(kith):.1f} us a message ({median(map(detection_share, kith)):.0%} of the CPU time), "
          f"the baseline's {detection_us(base):.1f} us ({median(map(detection_share, base)):.0%})")


def detection_share(run: dict) -> float:
    """The share of a kith run's CPU time that signal detection took, timed inside the run."""
    return run["detect_cpu_seconds"] / run["cpu_seconds"]


def median_run(runs: list[dict]) -> dict:
    """The run with the median CPU time."""
    return sorted(runs, key=lambda run: run["cpu_seconds"])[len(runs) // 2]

if __name__ == "__main__":
    main()
