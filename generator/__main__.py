"""Command line: `python -m kith.generator OUT_DIR [--seed N] [--today YYYY-MM-DD] [--messages N] [--format F]`."""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path

from kith.generator import generate_network


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m kith.generator", description=__doc__)
    parser.add_argument("out_dir", type=Path)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--today", type=date.fromisoformat, default=date(2026, 11, 26),
                        help="last day of the data (default 2026-11-26; never the wall clock)")
    parser.add_argument("--messages", type=int, default=None, help="about how many messages in total")
    parser.add_argument("--format", choices=("mbox", "maildir"), default="mbox")
    args = parser.parse_args(argv)
    truth = generate_network(args.out_dir, seed=args.seed, today=args.today, messages=args.messages,
                             mail_format=args.format)
    counts = truth["message_counts"]
    print(f"wrote {sum(counts.values())} messages ({counts['inbox']} inbox, {counts['sent']} sent), "
          f"{len(truth['contacts'])} contacts to {args.out_dir}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
