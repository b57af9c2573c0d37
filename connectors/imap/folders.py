"""Choosing the folders an IMAP account syncs, from the server's LIST answer."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

# LIST flags (RFC 6154 SPECIAL-USE) of the folders kith reads by default, and of those it never
# reads unless the user lists them in `extra_folders`.
READ = (b"\\Sent", b"\\Archive")
NEVER = frozenset({b"\\Junk", b"\\Trash", b"\\Drafts", b"\\All", b"\\Flagged", b"\\Important"})
UNSELECTABLE = frozenset({b"\\Noselect", b"\\NonExistent"})
# Servers without SPECIAL-USE: the usual names of a sent folder and an archive.
SENT_NAMES = ("Sent", "Sent Items", "Sent Messages", "Sent Mail", "INBOX.Sent", "INBOX/Sent")
ARCHIVE_NAMES = ("Archive", "Archives", "INBOX.Archive", "INBOX/Archive")

ListEntry = tuple[Sequence[bytes], bytes | None, str]


def choose_folders(
    listing: Iterable[ListEntry],
    *,
    gmail: bool,
    folders: list[str] | None = None,
    extra_folders: Sequence[str] = (),
) -> list[str]:
    """The folders to sync: `folders` if set, else INBOX, Sent and Archive (Gmail: All Mail only).

    `extra_folders` are added in every case, even Junk or Trash. Folders the server cannot
    select are never returned.
    """
    if folders:
        return _unique([*folders, *extra_folders])
    entries = [(tuple(_flag(f) for f in flags), str(name)) for flags, _, name in listing]
    selectable = [(flags, name) for flags, name in entries if not UNSELECTABLE.intersection(flags)]
    if gmail:
        chosen = [name for flags, name in selectable if b"\\All" in flags]
        return _unique([*chosen, *extra_folders])
    special_use = any(_has_special_use(flags) for flags, _ in selectable)
    chosen = [name for flags, name in selectable if name.upper() == "INBOX" or b"\\Inbox" in flags]
    for wanted, fallback in zip(READ, (SENT_NAMES, ARCHIVE_NAMES)):
        if special_use:
            chosen += [name for flags, name in selectable if wanted in flags]
        else:
            chosen += [name for flags, name in selectable if name in fallback][:1]
    return _unique([*chosen, *extra_folders])


def _has_special_use(flags: tuple[bytes, ...]) -> bool:
    return any(flag in READ or flag in NEVER for flag in flags)


def _flag(flag: bytes | str) -> bytes:
    """Flags as bytes with the case RFC 6154 uses (servers differ: `\\SENT`, `\\sent`)."""
    raw = flag.encode() if isinstance(flag, str) else flag
    for known in (*READ, *NEVER, *UNSELECTABLE, b"\\Inbox"):
        if raw.lower() == known.lower():
            return known
    return raw


def _unique(names: Iterable[str]) -> list[str]:
    seen: dict[str, None] = {}
    for name in names:
        seen.setdefault(name, None)
    return list(seen)
