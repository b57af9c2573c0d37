"""Local iCalendar (.ics) files: one stream per file, every event instance as a `Meeting`.

`IcsConnector` watches file size and mtime and re-reads a changed file whole, replacing its
stream (`reset=True`): that is how a deleted event leaves. Parsing is connectors/icsparse.py.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

from kith.connectors.base import Cursor
from kith.connectors.errors import SourceUnavailable
from kith.connectors.icsparse import HISTORY, HORIZON, parse_calendar, utc_now
from kith.models import Batch
from kith.models.settings import FileAccount

__all__ = ["IcsConnector", "parse_calendar"]


class IcsConnector:
    """Calendar files on disk: `path` is one .ics file or a folder searched recursively.

    The cursor of a stream is `{"size", "mtime_ns", "until"}`; a file unchanged since the
    last fetch on the same day is not read again. A changed file is parsed whole and sent as
    one `reset` batch; a vanished file as an empty `reset` batch, which clears its stream.
    """

    kind = "ics"

    def __init__(self, account: FileAccount, *, now: Callable[[], datetime] = utc_now) -> None:
        self.account = account.name
        self.path = account.path
        self._now = now

    def streams(self) -> list[str]:
        """Every .ics file under the account's path, sorted."""
        if self.path.is_file():
            return [str(self.path)]
        if not self.path.is_dir():
            raise SourceUnavailable(
                f"calendar path {self.path} does not exist; fix `path` in the account settings",
                account=self.account,
            )
        return sorted(
            str(path)
            for path in self.path.rglob("*")
            if path.suffix.lower() == ".ics" and path.is_file()
        )

    def fetch(self, stream: str, cursor: Cursor | None) -> Iterator[Batch]:
        """Yield one reset batch with the whole file if it changed, else nothing."""
        path = Path(stream)
        until = self._until()
        try:
            stat = path.stat()
            size, mtime_ns = stat.st_size, stat.st_mtime_ns
        except FileNotFoundError:
            size, mtime_ns = -1, -1
        new_cursor: Cursor = {"size": size, "mtime_ns": mtime_ns, "until": until.isoformat()}
        if cursor is not None and _same_state(cursor, new_cursor):
            return
        if size < 0:
            yield Batch(account=self.account, stream=stream, cursor=new_cursor, reset=True)
            return
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            new_cursor.update(size=-1, mtime_ns=-1)
            yield Batch(account=self.account, stream=stream, cursor=new_cursor, reset=True)
            return
        except OSError as error:
            raise SourceUnavailable(f"cannot read {path}: {error}", account=self.account) from error
        meetings, skips = parse_calendar(
            data, account=self.account, stream=stream, until=until, since=until - HORIZON - HISTORY
        )
        yield Batch(
            account=self.account,
            stream=stream,
            meetings=meetings,
            skips=skips,
            cursor=new_cursor,
            reset=True,
        )

    def close(self) -> None:
        """Nothing to release: files are opened and closed per fetch."""

    def _until(self) -> datetime:
        """Midnight UTC of today plus the horizon: stable through one calendar day."""
        now = self._now()
        if now.tzinfo is not None:
            now = now.astimezone(UTC).replace(tzinfo=None)
        today = now.replace(hour=0, minute=0, second=0, microsecond=0)
        return today + HORIZON


def _same_state(old: Cursor, new: Cursor) -> bool:
    return (
        old.get("size") == new["size"]
        and old.get("mtime_ns") == new["mtime_ns"]
        and old.get("until") == new["until"]
    )
