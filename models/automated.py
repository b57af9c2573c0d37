"""Automated mail and senders: one home for the rules that three layers apply.

- the mail parser, to decide which bodies to read (connectors/mailparse.py);
- signal detection, to skip mail no person wrote (digests/signals.py);
- the warehouse, to mark automated people (warehouse/sql/people.sql reads `is_bulk`'s verdicts and
  the two address patterns as parameters; see warehouse/people.py).

The patterns are written for both Python's `re` and DuckDB's RE2 (`regexp_matches`), which agree on
this subset, and are matched against the local part (before the first "@"), unanchored.
"""

from __future__ import annotations

import re
from functools import lru_cache

# Precedence values that mark mail sent to many (RFC 2076); "first-class" and the rest do not.
BULK_PRECEDENCE = frozenset({"bulk", "list", "junk"})

# A local part that no person uses: never a contact, whatever the mail looks like.
AUTOMATED_LOCAL = (
    r"(?:^|[-_.+])(?:no-?reply|noreply|donotreply|do-not-reply|mailer-daemon|postmaster|bounces?|notifications?|"
    r"notify|newsletters?|alerts?|auto-?confirm|tracking|shipment|shipping|receipts?|orders?|invoices?|"
    r"billing-noreply)(?:[-_.+0-9]|$)|noreply|no-reply|donotreply"
)
# A role mailbox (news@, info@, hello@): automated unless the user writes to it.
ROLE_LOCAL = (
    r"^(?:news|digest|updates?|info|marketing|team|hello|support|billing|service|mailer|list|announce|"
    r"announcements?)(?:[-_.+0-9]|$)"
)

# Services whose notification mail carries facts about people (a new role, an anniversary), by
# domain (subdomains included), with the name a digest shows.
NOTIFICATION_SERVICES = {"linkedin.com": "LinkedIn", "xing.com": "XING"}

_AUTOMATED = re.compile(AUTOMATED_LOCAL)
_ROLE = re.compile(ROLE_LOCAL)


def is_bulk(list_id: str | bool | None, list_unsubscribe: bool | None, precedence: str | None,
            auto_submitted: str | None) -> bool:
    """Whether a message's headers say machinery sent it to many: a `List-Id` (its value, or
    whether there is one), a `List-Unsubscribe`, `Precedence: bulk|list|junk`, or an
    `Auto-Submitted` other than "no" (RFC 3834). Empty headers count as absent."""
    return (
        bool(list_id)
        or bool(list_unsubscribe)
        or (precedence or "").strip().lower() in BULK_PRECEDENCE
        or (auto_submitted or "no").strip().lower() != "no"
    )


def local_part(address: str) -> str:
    """What comes before the first "@" (as DuckDB's `split_part(address, '@', 1)`)."""
    return address.partition("@")[0]


def is_automated_address(address: str) -> bool:
    """Whether the address is a machine's (noreply@, notifications@, mailer-daemon@, ...)."""
    return _AUTOMATED.search(local_part(address).lower()) is not None


def is_role_address(address: str) -> bool:
    """Whether the address is a role mailbox (news@, info@, hello@, ...)."""
    return _ROLE.search(local_part(address).lower()) is not None


def notification_service(address: str | None) -> str | None:
    """The service's name when `address` is at a notification service's domain, else None."""
    domain = (address or "").rpartition("@")[2].lower()
    for suffix, name in NOTIFICATION_SERVICES.items():
        if domain == suffix or domain.endswith("." + suffix):
            return name
    return None


@lru_cache(maxsize=16384)
def sender_kind(address: str) -> str | None:
    """"notification" for a notification service's address, "automated" for a machine's, else
    None. `address` lower-cased. Cached: a mailbox holds far fewer senders than messages, and
    both the parser (whose bodies to read) and signal detection ask for every message."""
    if notification_service(address) is not None:
        return "notification"
    return "automated" if is_automated_address(address) else None
