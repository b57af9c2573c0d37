"""One generated network for the report tests, synced through the real connectors with a pinned
today, with a digest kept every week of its last quarter (so suggestions have outcomes)."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest

TODAY = date(2026, 11, 20)
SEED = 3


@pytest.fixture(scope="session")
def network(tmp_path_factory: pytest.TempPathFactory):
    """(open connection, settings) for seed 3, today 2026-11-20, with 13 weekly digests kept."""
    from kith.digests.build import build_digest
    from kith.digests.memory import save_digest
    from kith.digests.render import render_html, render_text
    from kith.flows.evaluation import sync_generated_network

    root = Path(tmp_path_factory.mktemp("report-network"))
    conn, settings, _ = sync_generated_network(root, SEED, TODAY)
    for weeks_back in range(13, 0, -1):
        digest = build_digest(conn, settings, TODAY - timedelta(weeks=weeks_back))
        save_digest(conn, digest, render_text(digest), render_html(digest))
    yield conn, settings
    conn.close()


@pytest.fixture(scope="session")
def today() -> date:
    """The pinned day the network ends on and the report is for."""
    return TODAY
