"""IMAP accounts: any IMAP4rev1 server (Dovecot, Fastmail, Gmail, Exchange), read-only.

    folders.py    which folders an account syncs (SPECIAL-USE flags, Gmail's All Mail)
    session.py    secrets, connecting (TLS, STARTTLS, loopback plain), login, error wording
    messages.py   the FETCH items kith asks for and turning one FETCH response into a Message
    connector.py  `ImapConnector`: streams, incremental fetch by UID, deletions, retries

A stream is a folder; its cursor is `{"uidvalidity", "last_uid", "highestmodseq", "count"}`.
Folders are opened with EXAMINE and bodies fetched with BODY.PEEK, so a sync never changes a
flag on the server.
"""

from kith.connectors.imap.connector import ImapConnector

__all__ = ["ImapConnector"]
