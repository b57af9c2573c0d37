"""Listing local sources: a file, or a folder tree searched recursively.

A file or folder that cannot be read raises `SourceMissing`; it never looks like an empty
folder. An unmounted drive, a `chmod 000` or a network share that is down must not read as
"every message was deleted": only a folder that was listed and no longer holds a file means
that file is gone.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

from kith.connectors.errors import SourceMissing


def missing(path: Path | str, error: OSError, account: str) -> SourceMissing:
    """The error for a source that cannot be read, saying that nothing of it was changed."""
    reason = error.strerror or type(error).__name__
    return SourceMissing(
        f"cannot read {path} ({reason}); nothing synced from it was changed: "
        "mount the drive, fix the permissions, or fix `path` in kith.toml",
        account=account,
    )


def walk(root: Path, account: str) -> Iterator[tuple[Path, list[str], list[str]]]:
    """(folder, subfolder names, other entry names) for `root` and every folder under it.

    Links to folders are listed, not followed; "other entries" include links to missing files
    so that a caller can tell a broken link from a deleted file.
    """

    def fail(error: OSError) -> None:
        raise missing(error.filename or root, error, account)

    for folder, folders, files in os.walk(root, onerror=fail):
        yield Path(folder), folders, files


def list_folder(path: Path, account: str, *, may_be_absent: bool = False) -> list[str]:
    """The names in one folder; an absent folder is [] only when `may_be_absent`."""
    try:
        return os.listdir(path)
    except FileNotFoundError as error:
        if may_be_absent:
            return []
        raise missing(path, error, account) from error
    except OSError as error:
        raise missing(path, error, account) from error


def is_file(path: Path, account: str) -> bool:
    """Whether `path` is a file (following links); a path that cannot be looked at raises."""
    try:
        return path.is_file()
    except OSError as error:  # permission denied on a parent: not the same as absent
        raise missing(path, error, account) from error


def read_file(path: Path, account: str) -> bytes:
    """The bytes of a whole file; `SourceMissing` when it cannot be read."""
    try:
        return path.read_bytes()
    except OSError as error:
        raise missing(path, error, account) from error
