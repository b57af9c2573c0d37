"""Where OAuth sign-ins are kept between runs: one file per account under `KITH_HOME/tokens`.

Google's authorized-user JSON and msal's serialized token cache are both text; this store keeps
that text in `tokens/<account>.json`, the folder 0700 and each file 0600 from the moment it is
created (never written wider and narrowed afterwards), replaced atomically so a crash mid-write
leaves the previous sign-in intact. What goes in the file is the provider's business; nothing
here logs or prints it.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

_SAFE_NAME = re.compile(r"[^A-Za-z0-9._-]")


class TokenStore:
    """Token files of the accounts under one kith home."""

    def __init__(self, home: Path) -> None:
        self.folder = Path(home) / "tokens"

    def path(self, account: str) -> Path:
        return self.folder / f"{_SAFE_NAME.sub('_', account)}.json"

    def read(self, account: str) -> str | None:
        """The stored text for `account`, or None when it has not signed in."""
        try:
            return self.path(account).read_text(encoding="utf-8")
        except FileNotFoundError:
            return None

    def write(self, account: str, text: str) -> Path:
        """Store `text` for `account` (mode 0600), replacing what was there in one step."""
        self.folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        os.chmod(self.folder, 0o700)
        target = self.path(account)
        temporary = target.with_name(f".{target.name}.{os.getpid()}.tmp")
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        try:
            with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
                handle.write(text)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(temporary, target)
        except BaseException:
            temporary.unlink(missing_ok=True)
            raise
        return target

    def forget(self, account: str) -> bool:
        """Remove the sign-in of `account`; whether there was one."""
        try:
            self.path(account).unlink()
        except FileNotFoundError:
            return False
        return True
