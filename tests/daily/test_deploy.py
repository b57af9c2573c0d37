"""prefect.yaml against a real `prefect server start`: `prefect deploy --all` creates the four
deployments with their cron, time zone, parameters and work pool, and the kith-digest trigger
fires a run when a `kith.sync.finished` event arrives. Also: the trigger names an event the
flows emit. (~30 s: the server takes most of it.)"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
import yaml

from kith.flows.daily_flow import SYNC_EVENTS
from kith.flows.digest_flow import DIGEST_EVENTS

from .conftest import free_port

ROOT = Path(__file__).resolve().parents[2]
PREFECT = str(Path(sys.executable).parent / "prefect")


def load_project() -> dict:
    return yaml.safe_load((ROOT / "prefect.yaml").read_text())


def test_triggers_name_events_the_flows_emit():
    emitted = set(SYNC_EVENTS) | set(DIGEST_EVENTS)
    triggers = [t for d in load_project()["deployments"] for t in d.get("triggers", [])]
    assert triggers, "kith-digest should be triggered by an event"
    for trigger in triggers:
        assert set(trigger["expect"]) <= emitted
        assert trigger["match"]["prefect.resource.id"] == "kith.sync"  # the resource daily_flow emits it on


def test_entrypoints_exist():
    for deployment in load_project()["deployments"]:
        path, name = deployment["entrypoint"].split(":")
        assert f"def {name}(" in (ROOT / path).read_text(), deployment["entrypoint"]


@pytest.fixture(scope="module")
def prefect_server(tmp_path_factory):
    """`prefect server start` on a free port with its own PREFECT_HOME, for this module only."""
    port = free_port()
    env = {
        **os.environ,
        "PREFECT_HOME": str(tmp_path_factory.mktemp("prefect-home")),
        "PREFECT_API_URL": f"http://127.0.0.1:{port}/api",
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        "PREFECT_LOGGING_LEVEL": "WARNING",
    }
    log = open(tmp_path_factory.mktemp("prefect-log") / "server.log", "w")
    server = subprocess.Popen([PREFECT, "server", "start", "--host", "127.0.0.1", "--port", str(port)], env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/api/health", timeout=1)
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    pytest.fail(f"prefect server did not start; see {log.name}")
                time.sleep(0.5)
        yield env
    finally:
        server.terminate()
        server.wait(timeout=20)
        log.close()


def prefect(env: dict, *args: str) -> str:
    done = subprocess.run([PREFECT, *args], env=env, cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


@pytest.mark.slow
def test_prefect_deploy_all(prefect_server):
    env = prefect_server
    prefect(env, "work-pool", "create", "kith-pool", "--type", "process")
    prefect(env, "--no-prompt", "deploy", "--all")

    def inspect(name: str) -> dict:
        return json.loads(prefect(env, "deployment", "inspect", name, "--output", "json"))

    daily, sync, report = inspect("kith-daily/kith-daily"), inspect("kith-sync/kith-sync"), inspect("kith-report/kith-report")
    # `prefect deployment inspect --output json` fails on a deployment with triggers in Prefect
    # 3.9.1 ("Type is not JSON serializable: set"), so read that one through the API.
    with urllib.request.urlopen(env["PREFECT_API_URL"] + "/deployments/name/kith-digest/kith-digest", timeout=5) as response:
        digest = json.loads(response.read())
    assert [(s["schedule"]["cron"], s["schedule"]["timezone"], s["active"]) for s in daily["schedules"]] == [("0 7 * * *", "America/New_York", True)]
    assert [s["schedule"]["interval"] for s in sync["schedules"]] == [1800.0]
    assert digest["schedules"] == []
    # The report runs every morning after the digest; it sends only on a period's first run.
    assert [(s["schedule"]["cron"], s["schedule"]["timezone"], s["active"]) for s in report["schedules"]] == [("15 7 * * *", "America/New_York", True)]
    assert (daily["entrypoint"], sync["entrypoint"], digest["entrypoint"], report["entrypoint"]) == (
        "flows/daily_flow.py:daily_flow",
        "flows/sync_flow.py:sync_flow",
        "flows/digest_flow.py:digest_flow",
        "flows/report_flow.py:report_flow",
    )
    assert {d["work_pool_name"] for d in (daily, sync, digest, report)} == {"kith-pool"}
    assert digest["parameters"] == {"dry_run": False, "wait_for_send_at": True}
    assert report["parameters"] == {"dry_run": False}

    # The trigger: a kith.sync.finished event makes the server schedule a kith-digest run.
    emit = (
        "from prefect.events import emit_event; from prefect.events.worker import EventsWorker;"
        "emit_event('kith.sync.finished', resource={'prefect.resource.id': 'kith.sync'}, payload={'accounts': 1});"
        "EventsWorker.drain_all()"
    )
    subprocess.run([sys.executable, "-c", emit], env=env, check=True, timeout=60)
    deadline = time.monotonic() + 20
    runs: list = []
    while time.monotonic() < deadline and not runs:
        runs = _digest_runs(env, digest["id"])
        time.sleep(1)
    assert len(runs) == 1


def _digest_runs(env: dict, deployment_id: str) -> list:
    request = urllib.request.Request(
        env["PREFECT_API_URL"] + "/flow_runs/filter",
        data=json.dumps({"flow_runs": {"deployment_id": {"any_": [deployment_id]}}}).encode(),
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=5) as response:
        return json.loads(response.read())
