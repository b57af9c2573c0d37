"""The one contract every connector keeps.

A connector is built from its account settings and lists its streams (one folder, one file, one
calendar). `fetch(stream, cursor)` starts from the cursor the warehouse stored for that stream
(None on a first sync) and yields batches; each batch carries the cursor that holds once it and
every batch before it are stored. A dead cursor raises `ResyncRequired`; the flow then calls
`fetch(stream, None)` and the first batch comes with `reset=True`.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, Protocol

from kith.models import Batch

Cursor = dict[str, Any]


class Connector(Protocol):
    kind: str
    account: str

    def streams(self) -> list[str]:
        """The streams this account holds right now."""
        ...

    def fetch(self, stream: str, cursor: Cursor | None) -> Iterator[Batch]:
        """Yield batches of `stream` from `cursor` on."""
        ...

    def close(self) -> None:
        """Release connections; a connector may be used for several streams before this."""
        ...
