"""Microsoft Graph first sync against the loopback fake: requests made beside the minimum.

Starts the fake identity platform and Graph (tests/microsoft/fake_graph.py) over HTTPS, signs in
through msal's device-code flow, puts N messages in the inbox, and runs a first sync into a
fresh warehouse with `page_size` messages a page (metadata mode: no bodies). Prints the requests
made, the minimum for that page size (ceil(N / page size) delta pages), the retries the fake
forced (`--throttle K` answers every K-th request 429 with Retry-After: 0), and the time taken.

    python benchmarks/microsoft_sync.py --messages 50000 --page-size 1000
"""

from __future__ import annotations

import argparse
import json
import math
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from measure import peak_rss_mib  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=50_000)
    parser.add_argument("--page-size", type=int, default=1000)
    parser.add_argument("--throttle", type=int, default=0, help="answer every K-th delta request 429 (0: never)")
    args = parser.parse_args()

    from microsoft.fake_graph import FakeMicrosoft, Folder
    from tls_material import make_certificate

    from kith.connectors.microsoft import MicrosoftConnector
    from kith.connectors.microsoft.auth import FileCacheStore, MsalTokenProvider, sign_in
    from kith.flows.syncing import sync_stream
    from kith.models.settings import MicrosoftAccount, PrivacySettings, Settings, UserSettings
    from kith.warehouse import open_warehouse

    with tempfile.TemporaryDirectory() as scratch:
        home = Path(scratch)
        cert, key = make_certificate(home)
        os.environ["REQUESTS_CA_BUNDLE"] = str(cert)
        fake = FakeMicrosoft(cert, key).start()
        fake.device_outcomes = ["approved"]
        box = fake.folders.setdefault("inbox", Folder())
        for n in range(args.messages):
            item_id = f"m{n:07d}"
            sent = f"2026-{1 + n % 11:02d}-{1 + n % 28:02d}T{n % 24:02d}:{n % 60:02d}:00Z"
            box.items[item_id] = {
                "id": item_id, "internetMessageId": f"<{item_id}@bench.example>", "conversationId": f"c{n // 3}",
                "subject": f"Message {n}", "sentDateTime": sent, "receivedDateTime": sent, "isDraft": False,
                "webLink": f"https://outlook.office365.com/owa/?ItemID={item_id}",
                "from": {"emailAddress": {"name": f"Person {n % 500}", "address": f"p{n % 500}@example.com"}},
                "toRecipients": [{"emailAddress": {"name": "Alex", "address": "alex@contoso.com"}}],
                "ccRecipients": [], "bccRecipients": [],
            }  # fmt: skip
        if args.throttle:
            fake.fail_next("messages/delta", 429, code="ApplicationThrottled", retry_after="0", times=0)
        account = MicrosoftAccount(
            name="bench", kind="microsoft", address="alex@contoso.com", client_id=fake.client_id, authority=fake.authority,
            graph_endpoint=fake.graph, mail_folders=["inbox"], calendar=False, page_size=args.page_size,
        )  # fmt: skip
        settings = Settings(home=home, user=UserSettings(addresses=["alex@contoso.com"]), accounts=[account],
                            privacy=PrivacySettings(mode="metadata"))
        store = FileCacheStore(home, "bench")
        sign_in(account, ["Mail.ReadBasic"], store, show=lambda text: None)
        tokens = MsalTokenProvider(account, ["Mail.ReadBasic"], store)
        forced = 0
        connector = MicrosoftConnector(account, tokens, with_body=False)
        if args.throttle:  # arm the fake's 429 before every K-th request the client sends
            count = {"n": 0}
            send = connector.client._send

            def every_kth(method, url, what, **kwargs):
                nonlocal forced
                count["n"] += 1
                if count["n"] % args.throttle == 0:
                    fake.faults[-1].times = 1  # the fake refuses this one with 429
                    forced += 1
                return send(method, url, what, **kwargs)

            connector.client._send = every_kth
        start = time.perf_counter()
        with open_warehouse(home / "kith.duckdb") as wh:
            report = sync_stream(wh.conn, connector, "mail/inbox", settings)
            stored = wh.conn.execute("SELECT count(*) FROM messages").fetchall()[0][0]
        seconds = time.perf_counter() - start
        connector.close()
        fake.stop()
    minimum = math.ceil(args.messages / args.page_size)
    result = {
        "messages": args.messages, "stored": stored, "page_size": args.page_size, "requests": connector.client.requests,
        "minimum_requests": minimum, "forced_retries": forced, "seconds": round(seconds, 1),
        "messages_per_second": round(args.messages / seconds), "max_in_flight": fake.max_in_flight,
        "peak_rss_mib": peak_rss_mib(), "skipped": report.skipped,
    }  # fmt: skip
    print(json.dumps(result))
    assert result["requests"] == minimum + forced, "more requests than the minimum plus forced retries"


if __name__ == "__main__":
    main()
