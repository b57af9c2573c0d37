"""Google accounts: Gmail and Google Calendar through the official API, one OAuth sign-in.

    auth.py       scopes by privacy mode, the stored grant, the installed-app sign-in
    service.py    clients from the shipped discovery documents, quota budget, retries, errors
    gmail.py      first sync (profile historyId, list, batched get), history, parsing messages
    calendar.py   events.list with sync tokens per calendar, parsing events
    connector.py  `GoogleConnector`: streams `gmail` and `calendar:<id>`
    send.py       sending a message through `users.messages.send` (the digest)
"""

from kith.connectors.google.connector import GoogleConnector

__all__ = ["GoogleConnector"]
