"""The daily flow end to end under Prefect's test harness: a generated network is synced into a
temporary KITH_HOME, the digest is built and sent by SMTP to a real server on loopback, once,
and the flows emit their events."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from .conftest import DAY, write_settings


@pytest.fixture
def home(kith_home, network, smtp_server):
    write_settings(kith_home, network, smtp={"host": smtp_server.host, "port": smtp_server.port, "security": "none", "from": "kith <kith@example.org>"})
    return kith_home


def test_daily_flow_sends_the_digest_once(prefect_harness, home, smtp_server, recorded_events):
    from kith.flows.cli import app
    from kith.flows.daily_flow import daily_flow

    first = daily_flow(day=DAY.isoformat())
    second = daily_flow(day=DAY.isoformat())

    [message] = smtp_server.inbox.messages
    assert message.get_content_type() == "multipart/alternative"
    assert [p.get_content_type() for p in message.iter_parts()] == ["text/plain", "text/html"]
    assert first["digest"]["deliveries"] == [{"recipient_domain": "example.org", "status": "sent", "attempts": 1}]
    assert second["digest"]["deliveries"] == [{"recipient_domain": "example.org", "status": "already_sent", "attempts": 1}]

    # The same items as `kith digest` for that day: compare the whole plain-text render.
    shown = CliRunner().invoke(app, ["digest", "--date", DAY.isoformat()])
    assert shown.exit_code == 0, shown.output
    assert message.get_body(("plain",)).get_content() == shown.output
    assert (home / "digests" / f"{DAY}.txt").read_text(encoding="utf-8") == shown.output

    events = recorded_events()
    names = [e.event for e in events]
    assert names.count("kith.sync.finished") == 2 and names.count("kith.digest.sent") == 1
    synced = {e.resource.id: e.payload for e in events if e.event == "kith.account.synced"}
    assert set(synced) == {"kith.account.mail", "kith.account.calendar"}
    first_sync = next(e for e in events if e.event == "kith.sync.finished")
    assert first_sync.resource.id == "kith.sync"
    assert first_sync.payload["messages"] > 0 and first_sync.payload["accounts"] == 2
    [sent] = [e for e in events if e.event == "kith.digest.sent"]
    assert sent.resource.id == f"kith.digest.{DAY}"
    assert sent.payload == {"day": DAY.isoformat(), "recipient_domain": "example.org", "method": "smtp", "attempts": 1, "message_id": message["Message-ID"]}
    built = [e for e in events if e.event == "kith.digest.built"]
    assert [b.payload["rebuilt"] for b in built] == [True, False]
    assert built[0].payload["items"] == sum(built[0].payload["sections"].values()) == first["digest"]["items"]
    signals = [e for e in events if e.event == "kith.signal.detected"]
    assert len(signals) == built[0].payload["sections"].get("congratulate", 0)
    for signal in signals:
        assert set(signal.payload) == {"day", "kind", "person", "person_id"}
    assert "reader@example.org" not in str([e.payload for e in events])  # domains only, never an address


def test_digest_dry_run_keeps_it_and_sends_nothing(prefect_harness, home, smtp_server):
    from kith.flows.digest_flow import digest_flow

    result = digest_flow(day=DAY.isoformat(), dry_run=True)

    assert result["status"] == "dry_run"
    assert smtp_server.inbox.envelopes == []
    assert (home / "digests" / f"{DAY}.html").exists()
