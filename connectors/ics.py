"""Local iCalendar (.ics) files: one stream per file, every event instance as a `Meeting`.

`IcsConnector` watches file size and mtime and re-reads a changed file whole, replacing its
stream (`reset=True`): that is how a deleted event leaves. A file or folder that cannot be read
raises `SourceMissing` and changes nothing; a file gone from a folder that was read is dropped
by the sync (flows/syncing.py). Parsing is connectors/icsparse.py.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

from kith.connectors.base import Cursor
from kith.connectors.icsparse import HISTORY, HORIZON, parse_calendar, utc_now
from kith.connectors.localfiles import is_file, missing, read_file, walk
from kith.models import Batch
from kith.models.settings import FileAccount

__all__ = ["IcsConnector", "parse_calendar"]


class IcsConnector:
    """Calendar files on disk: `path` is one .ics file or a folder searched recursively.

    The cursor of a stream is `{"size", "mtime_ns", "until"}`; a file unchanged since the
    last fetch on the same day is not read again. A changed file is parsed whole and sent as
    one `reset` batch.
    """

    kind = "ics"

    def __init__(self, account: FileAccount, *, now: Callable[[], datetime] = utc_now) -> None:
        self.account = account.name
        self.path = account.path
        self._now = now

    def streams(self) -> list[str]:
        """Every .ics file under the account's path, sorted; `SourceMissing` when the path or a
        folder under it cannot be read."""
        if is_file(self.path, self.account):
            return [str(self.path)]
        return sorted(
            str(path)
            for folder, _, names in walk(self.path, self.account)
            for path in (folder / name for name in names if Path(name).suffix.lower() == ".ics")
            if path.is_file() or path.is_symlink()  # a broken link is a calendar out of reach
        )

    def fetch(self, stream: str, cursor: Cursor | None) -> Iterator[Batch]:
        """Yield one reset batch with the whole file if it changed, else nothing."""
        path = Path(stream)
        until = self._until()
        try:
            stat = path.stat()
        except OSError as error:  # gone or out of reach since it was listed: keep what we have
            raise missing(path, error, self.account) from error
        new_cursor: Cursor = {"size": stat.st_size, "mtime_ns": stat.st_mtime_ns, "until": until.isoformat()}
        if cursor is not None and _same_state(cursor, new_cursor):
            return
        data = read_file(path, self.account)
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
