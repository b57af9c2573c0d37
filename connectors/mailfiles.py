"""Local mail exports: mbox files, maildirs, and folders of single-message files (.eml).

Streams are files (mbox) or folders (maildir, eml). Cursors are the files' own state:

- mbox: `{"size", "mtime_ns", "offset", "head"}`. An unchanged file is not read; a file that grew
  (same first bytes) is read from `offset`, the end of the last message stored; anything else is
  read again from the start with `reset=True`.
- maildir / eml: `{"count", "mtime_ns"}`. Files newer than `mtime_ns` are read; when files have
  disappeared (count shrank), the folder is read again with `reset=True` so deletions reach the
  warehouse.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from hashlib import sha1
from pathlib import Path

from kith.connectors.base import Cursor
from kith.connectors.mailparse import Unusable, parse_message
from kith.models import Batch, Message, Skip
from kith.models.settings import FileAccount

BATCH_SIZE = 10_000  # messages per transaction: bigger amortises the commit, smaller holds less
_CHUNK = 4 << 20
_HEAD = 4096
# A postmark line: "From <sender> <date with a time and a year>", at the start of the file or
# after a blank line. The time and year keep "From time to time" in a body from splitting it.
_POSTMARK = re.compile(rb"\nFrom [^\n]*?\d{1,2}:\d\d[^\n]*?\d{4}[^\n]*\n")
# mboxrd escapes a body line "From ..." as ">From ..." (and ">From" as ">>From"): undo one level.
_ESCAPED_FROM = re.compile(rb"(?m)^>(>*From )")
_SKIPPED_SUFFIXES = {".mbox", ".ics", ".json", ".py"}


@dataclass
class _Collector:
    """Gathers parsed messages and skips into batches of `size`."""

    account: str
    stream: str
    size: int
    messages: list[Message] = field(default_factory=list)
    skips: list[Skip] = field(default_factory=list)
    reset: bool = False

    def batch(self, cursor: Cursor) -> Batch:
        batch = Batch.model_construct(
            account=self.account,
            stream=self.stream,
            messages=self.messages,
            meetings=[],
            deleted=[],
            skips=self.skips,
            cursor=cursor,
            reset=self.reset,
        )
        self.messages, self.skips, self.reset = [], [], False
        return batch

    @property
    def full(self) -> bool:
        return len(self.messages) >= self.size


class MailFileConnector:
    """mbox, maildir and eml accounts: `path` names a file or a folder of them."""

    def __init__(self, account: FileAccount, *, with_body: bool = True, batch_size: int | None = None):
        self.kind = account.kind
        self.account = account.name
        self.path = account.path
        self.with_body = with_body
        self.batch_size = batch_size or BATCH_SIZE

    def streams(self) -> list[str]:
        if self.kind == "mbox":
            if self.path.is_dir():
                return sorted(str(p) for p in self.path.rglob("*") if p.is_file() and not p.name.startswith("."))
            return [str(self.path)]
        if self.kind == "maildir":
            return sorted(str(p.parent) for p in self.path.rglob("cur") if p.is_dir())
        return [str(self.path)]

    def fetch(self, stream: str, cursor: Cursor | None) -> Iterator[Batch]:
        if self.kind == "mbox":
            return self._fetch_mbox(Path(stream), cursor)
        return self._fetch_files(Path(stream), cursor)

    def close(self) -> None:
        pass

    # -- mbox ---------------------------------------------------------------------------------

    def _fetch_mbox(self, path: Path, cursor: Cursor | None) -> Iterator[Batch]:
        collector = _Collector(self.account, str(path), self.batch_size)
        if not path.exists():
            collector.reset = True
            collector.skips.append(Skip(location=str(path), reason="file not found; its messages were removed"))
            yield collector.batch({})
            return
        stat = path.stat()
        head = _head_digest(path)
        start = 0
        if cursor:
            if cursor.get("size") == stat.st_size and cursor.get("mtime_ns") == stat.st_mtime_ns:
                return
            if cursor.get("head") == head and stat.st_size >= cursor.get("offset", 0):
                start = cursor["offset"]
            else:
                collector.reset = True
        else:
            collector.reset = True
        state = {"size": stat.st_size, "mtime_ns": stat.st_mtime_ns, "head": head}
        folder = path.stem
        found = 0
        for offset, next_offset, raw in split_mbox(path, start):
            found += 1
            self._parse_into(collector, raw, f"{path}@{offset}", folder)
            if collector.full:
                yield collector.batch({**state, "offset": next_offset, "size": None})
        if not found and start == 0 and stat.st_size:
            collector.skips.append(Skip(location=str(path), reason="not an mbox file: no 'From ' separator line"))
        # Only the last batch records the file's size and mtime: a sync cut short reads on.
        yield collector.batch({**state, "offset": stat.st_size})

    # -- maildir and eml ----------------------------------------------------------------------

    def _fetch_files(self, folder: Path, cursor: Cursor | None) -> Iterator[Batch]:
        collector = _Collector(self.account, str(folder), self.batch_size)
        files = sorted(self._message_files(folder))
        newest = max((mtime for _, mtime in files), default=0)
        since = -1
        if cursor and cursor.get("count", 0) + _count_newer(files, cursor.get("mtime_ns", 0)) == len(files):
            if cursor.get("mtime_ns") == newest and cursor.get("count") == len(files):
                return
            since = cursor["mtime_ns"]
        else:
            collector.reset = True
        folder_name = folder.name
        for path, mtime in files:
            if mtime <= since:
                continue
            try:
                raw = path.read_bytes()
            except OSError as exc:
                collector.skips.append(Skip(location=str(path), reason=f"unreadable: {exc.strerror}"))
                continue
            self._parse_into(collector, raw, str(path), folder_name)
            if collector.full:
                yield collector.batch(None)  # cursor moves only once the whole folder is stored
        yield collector.batch({"count": len(files), "mtime_ns": newest})

    def _message_files(self, folder: Path) -> Iterator[tuple[Path, int]]:
        if self.kind == "maildir":
            candidates = [p for sub in ("cur", "new") for p in (folder / sub).iterdir()]
        elif folder.is_file():
            candidates = [folder]
        else:
            candidates = [p for p in folder.rglob("*") if p.is_file()]
        for path in candidates:
            if path != folder and (path.name.startswith(".") or path.suffix.lower() in _SKIPPED_SUFFIXES):
                continue
            yield path, path.stat().st_ctime_ns  # changed by delivery and by a rename into new/ or cur/

    def _parse_into(self, collector: _Collector, raw: bytes, location: str, folder: str) -> None:
        try:
            message = parse_message(
                raw, account=self.account, stream=collector.stream, folder=folder, with_body=self.with_body
            )
        except Unusable as exc:
            collector.skips.append(Skip(location=location, reason=str(exc)))
            return
        collector.messages.append(message)


def _count_newer(files: list[tuple[Path, int]], mtime_ns: int) -> int:
    return sum(1 for _, mtime in files if mtime > mtime_ns)


def _head_digest(path: Path) -> str:
    with path.open("rb") as handle:
        return sha1(handle.read(_HEAD)).hexdigest()


def _postmarks(buffer: bytes) -> list[tuple[int, int]]:
    """(start, end) of each postmark line: after a blank line, or at the very start."""
    marks = []
    if buffer.startswith(b"From "):
        first = _POSTMARK.match(b"\n" + buffer)
        if first:
            marks.append((0, first.end() - 1))
    for match in _POSTMARK.finditer(buffer):
        start = match.start()
        if start >= 1 and (buffer[start - 1] == 10 or buffer[start - 2 : start] == b"\n\r"):
            marks.append((start + 1, match.end()))
    return marks


def split_mbox(path: Path, start: int) -> Iterator[tuple[int, int, bytes]]:
    """Yield (offset, next offset, message bytes without the postmark line) from `start` on.

    `offset` is where the message's postmark line starts and `next offset` where the next one
    does (or the end of the file): what a cursor stores to resume after this message.
    """
    with path.open("rb") as handle:
        handle.seek(start)
        buffer = b""
        buffer_offset = start
        while True:
            chunk = handle.read(_CHUNK)
            buffer += chunk
            marks = _postmarks(buffer)
            # Without more data the last message may be incomplete: keep it for the next round.
            complete = marks if not chunk else marks[:-1]
            for i, (mark_start, mark_end) in enumerate(complete):
                end = marks[i + 1][0] if i + 1 < len(marks) else len(buffer)
                message = buffer[mark_end:end].rstrip(b"\r\n")
                if b"\n>" in message and _ESCAPED_FROM.search(message):
                    message = _ESCAPED_FROM.sub(rb"\1", message)
                yield buffer_offset + mark_start, buffer_offset + end, message
            if not chunk:
                return
            if len(marks) > 1:
                cut = marks[-1][0]
                buffer, buffer_offset = buffer[cut:], buffer_offset + cut
            elif not marks and len(buffer) > _CHUNK * 4:
                return  # not an mbox: the caller counts it
