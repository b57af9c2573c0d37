"""Streaming writers for the generated mail folders: mbox files or maildir directories."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Protocol

from kith.generator.mailformat import format_from_line

FOLDERS = ("inbox", "sent")


class MailSink(Protocol):
    def write(self, folder: str, ts: int, sender: str, text: str) -> None: ...
    def close(self) -> None: ...


class MboxSink:
    """Append messages to `mail/inbox.mbox` and `mail/sent.mbox` (mboxo: body `From ` lines escaped)."""

    def __init__(self, mail_dir: Path) -> None:
        mail_dir.mkdir(parents=True, exist_ok=True)
        self._files = {f: open(mail_dir / f"{f}.mbox", "wb", buffering=1 << 20) for f in FOLDERS}
        self.counts = dict.fromkeys(FOLDERS, 0)

    def write(self, folder: str, ts: int, sender: str, text: str) -> None:
        if "\nFrom " in text:
            text = text.replace("\nFrom ", "\n>From ")
        self._files[folder].write(f"{format_from_line(sender, ts)}{text}\n".encode("utf-8"))
        self.counts[folder] += 1

    def close(self) -> None:
        for f in self._files.values():
            f.close()


class MaildirSink:
    """Write one file per message under `mail/inbox/{cur,new,tmp}` and `mail/sent/{cur,new,tmp}`."""

    def __init__(self, mail_dir: Path) -> None:
        self._dirs = {}
        for folder in FOLDERS:
            for sub in ("cur", "new", "tmp"):
                (mail_dir / folder / sub).mkdir(parents=True, exist_ok=True)
            self._dirs[folder] = str(mail_dir / folder)
        self.counts = dict.fromkeys(FOLDERS, 0)

    def write(self, folder: str, ts: int, sender: str, text: str) -> None:
        n = self.counts[folder]
        self.counts[folder] = n + 1
        # Every 50th inbox message is still unread (in new/, no info suffix).
        if folder == "inbox" and n % 50 == 49:
            path = os.path.join(self._dirs[folder], "new", f"{ts}.M{n}P0.kith-gen")
        else:
            path = os.path.join(self._dirs[folder], "cur", f"{ts}.M{n}P0.kith-gen:2,S")
        with open(path, "wb") as f:
            f.write(text.encode("utf-8"))

    def close(self) -> None:
        pass
