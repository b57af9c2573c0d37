"""Local mail exports: mbox files, maildirs, and folders of single-message files (.eml).

Streams are files (mbox) or folders (maildir, eml). Cursors are the files' own state:

- mbox: `{"size", "mtime_ns", "offset", "head"}`. An unchanged file is not read; a file that grew
  (same first bytes) is read from `offset`, the end of the last message stored; anything else is
  read again from the start with `reset=True`.
- maildir / eml: `{"keys"}`, the names of the messages already stored (maildir: the unique name,
  the part before `:2,`, which a flag change or a move from new/ to cur/ keeps; eml: the path
  under the folder), compressed. A name not in it is read; a name gone from the folder is sent as
  `deleted`. Nothing else is read again.

A file or folder that cannot be read raises `SourceMissing` and changes nothing (see
connectors/localfiles.py); one message file that cannot be read is a skip.
"""

from __future__ import annotations

import base64
import os
import re
import stat
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from hashlib import sha1
from pathlib import Path

from kith.connectors.base import Cursor
from kith.connectors.localfiles import is_file, list_folder, missing, walk
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
    deleted: list[str] = field(default_factory=list)
    reset: bool = False

    def batch(self, cursor: Cursor | None) -> Batch:
        batch = Batch.model_construct(
            account=self.account,
            stream=self.stream,
            messages=self.messages,
            meetings=[],
            deleted=self.deleted,
            skips=self.skips,
            cursor=cursor,
            reset=self.reset,
        )
        self.messages, self.skips, self.deleted, self.reset = [], [], [], False
        return batch

    def skip(self, location: Path | str, reason: str) -> None:
        self.skips.append(Skip(location=_text(location), reason=reason))

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
        """mbox: the path, or every file under it; maildir: every folder with a `cur/` under the
        path; eml: the path. Raises `SourceMissing` when the path or a folder under it cannot be
        read, so that nothing looks deleted."""
        if is_file(self.path, self.account):
            return [str(self.path)]
        tree = walk(self.path, self.account)
        if self.kind == "mbox":
            return sorted(
                str(path)
                for folder, _, names in tree
                for path in (folder / name for name in names if not name.startswith("."))
                if path.is_file() or path.is_symlink()  # a broken link is a file out of reach
            )
        if self.kind == "maildir":
            return sorted(str(folder) for folder, folders, _ in tree if "cur" in folders)
        # The eml folder is one stream. Empty, it lists none, as an empty mount point should.
        return [str(self.path)] if list_folder(self.path, self.account) else []

    def fetch(self, stream: str, cursor: Cursor | None) -> Iterator[Batch]:
        if self.kind == "mbox":
            return self._fetch_mbox(Path(stream), cursor)
        return self._fetch_files(Path(stream), cursor)

    def close(self) -> None:
        pass

    def _source_id(self, stream: Path, key: str | int) -> str:
        """A message's identity within its account, from the source's own names, never its
        Message-ID (any sender can write one).

        maildir: the folder under the account path and the message's unique name; eml: the
        file's path under the account path; mbox: the file under the account path and the
        message's offset in it (`key`): appending keeps offsets, and a file rewritten otherwise
        is read again whole (`reset`), its rows replaced.
        """
        if self.kind == "mbox":
            return f"{_file_name(self.path, stream)}@{key}"
        if self.kind == "maildir" and stream != self.path:
            return _text(f"{stream.relative_to(self.path).as_posix()}/{key}")
        return _text(str(key))

    # -- mbox ---------------------------------------------------------------------------------

    def _fetch_mbox(self, path: Path, cursor: Cursor | None) -> Iterator[Batch]:
        try:
            yield from self._read_mbox(path, cursor)
        except OSError as error:  # gone or unreadable since it was listed: nothing is removed
            raise missing(path, error, self.account) from error

    def _read_mbox(self, path: Path, cursor: Cursor | None) -> Iterator[Batch]:
        collector = _Collector(self.account, str(path), self.batch_size)
        stat_result = path.stat()
        head = _head_digest(path)
        start = 0
        if cursor:
            if cursor.get("size") == stat_result.st_size and cursor.get("mtime_ns") == stat_result.st_mtime_ns:
                return
            if cursor.get("head") == head and stat_result.st_size >= cursor.get("offset", 0):
                start = cursor["offset"]
            else:
                collector.reset = True
        else:
            collector.reset = True
        state = {"size": stat_result.st_size, "mtime_ns": stat_result.st_mtime_ns, "head": head}
        folder = path.stem
        found = 0
        for offset, next_offset, raw in split_mbox(path, start):
            found += 1
            self._parse_into(collector, raw, f"{path}@{offset}", folder, self._source_id(path, offset))
            if collector.full:
                yield collector.batch({**state, "offset": next_offset, "size": None})
        if not found and start == 0 and stat_result.st_size:
            collector.skip(path, "not an mbox file: no 'From ' separator line")
        # Only the last batch records the file's size and mtime: a sync cut short reads on.
        yield collector.batch({**state, "offset": stat_result.st_size})

    # -- maildir and eml ----------------------------------------------------------------------

    def _fetch_files(self, stream: Path, cursor: Cursor | None) -> Iterator[Batch]:
        collector = _Collector(self.account, str(stream), self.batch_size)
        files = self._message_files(stream)
        stored = _decode_keys(cursor["keys"]) if cursor and "keys" in cursor else None
        if stored is None:  # a first sync (or a cursor of an older kith): the stream starts over
            collector.reset = True
            stored = set()
        gone = stored - files.keys()
        new = sorted(files.keys() - stored)
        if not new and not gone:
            return
        collector.deleted = [source_id for key in sorted(gone) if (source_id := self._source_id(stream, key))]
        stored -= gone
        folder_name = stream.name
        for key in new:
            path = files[key]
            raw = self._read_message_file(collector, path)
            if raw is None:
                continue  # not stored: tried again next time
            self._parse_into(collector, raw, str(path), folder_name, self._source_id(stream, key))
            stored.add(key)  # an unusable message is counted once, not on every sync
            if collector.full:
                yield collector.batch({"keys": _encode_keys(stored)})
        yield collector.batch({"keys": _encode_keys(stored)})

    def _message_files(self, stream: Path) -> dict[str, Path]:
        """Each message file of a stream by its key (see the module docstring)."""
        if self.kind == "maildir":
            found: dict[str, Path] = {}
            for sub in ("new", "cur"):  # cur/ last: a message caught mid-move counts once, there
                # A maildir without new/ (or tmp/) is still a maildir.
                for name in list_folder(stream / sub, self.account, may_be_absent=sub == "new"):
                    if not name.startswith("."):
                        found[name.split(":", 1)[0]] = stream / sub / name
            return found
        if is_file(stream, self.account):
            return {stream.name: stream}
        files = {}
        for folder, _, names in walk(stream, self.account):
            for name in names:
                if name.startswith(".") or Path(name).suffix.lower() in _SKIPPED_SUFFIXES:
                    continue
                path = folder / name
                files[path.relative_to(stream).as_posix()] = path
        return files

    @staticmethod
    def _read_message_file(collector: _Collector, path: Path) -> bytes | None:
        """The file's bytes, or None after counting why there are none (a file moved since it
        was listed is not counted: it is found under its new name next time)."""
        try:
            # Non-blocking, so that a named pipe left in the folder cannot hang the sync.
            handle = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
        except FileNotFoundError:
            if os.path.lexists(path):
                collector.skip(path, "a link to a file that does not exist")
            return None
        except OSError as error:
            collector.skip(path, f"unreadable: {error.strerror}")
            return None
        if not stat.S_ISREG(os.fstat(handle).st_mode):
            os.close(handle)
            collector.skip(path, "not a regular file")
            return None
        with open(handle, "rb") as file:
            try:
                return file.read()
            except OSError as error:
                collector.skip(path, f"unreadable: {error.strerror}")
                return None

    def _parse_into(
        self, collector: _Collector, raw: bytes, location: str, folder: str, source_id: str
    ) -> None:
        try:
            message = parse_message(
                raw,
                account=self.account,
                stream=collector.stream,
                source_id=source_id,
                folder=folder,
                with_body=self.with_body,
            )
        except Unusable as exc:
            collector.skip(location, str(exc))
            return
        collector.messages.append(message)


@lru_cache(maxsize=1024)
def _file_name(root: Path, path: Path) -> str:
    """An mbox file as text, under the account path `root` (its name when it is `root`): once per
    file, not once per message."""
    return _text(path.name if path == root else path.relative_to(root).as_posix())


def _text(value: Path | str) -> str:
    """A file name as storable text: bytes that are not UTF-8 become U+FFFD."""
    return str(value).encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def _encode_keys(keys: Iterable[str]) -> str:
    """Message keys as compact text: sorted, NUL-separated (no file name holds a NUL), deflated,
    base64. About a tenth of a JSON list for generated names, a half for Dovecot's."""
    joined = "\0".join(sorted(keys)).encode("utf-8", "surrogateescape")
    return base64.b64encode(zlib.compress(joined, 1)).decode("ascii")


def _decode_keys(text: str) -> set[str]:
    joined = zlib.decompress(base64.b64decode(text)).decode("utf-8", "surrogateescape")
    return set(joined.split("\0")) if joined else set()


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
