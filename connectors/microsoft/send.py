"""Sending a message through Graph: `/me/sendMail` with the message's MIME, base64-encoded.

The MIME form keeps every header kith sets, the Message-ID among them, so a digest sent again
after an interrupted attempt carries the same Message-ID as the first. Needs `Mail.Send`.
"""

from __future__ import annotations

import base64

from kith.connectors.microsoft.graph import GraphClient


def send_mime(client: GraphClient, mime: bytes) -> None:
    """Hand `mime` to Graph for delivery (Graph answers 202 and saves a copy in Sent Items)."""
    client.post("me/sendMail", data=base64.b64encode(mime), content_type="text/plain", what="sendMail")
