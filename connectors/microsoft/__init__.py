"""Microsoft 365 and Outlook.com mailboxes through Microsoft Graph, signed in with msal.

    auth.py       scopes (least access), the msal token cache and where it is kept, device-code
                  sign-in, silent refresh on every run
    graph.py      `GraphClient`: one request at a time, the shared request budget, Retry-After
                  and backoff, Graph's errors turned into the connector error family
    mail.py       `messages/delta` per folder: requests and turning a Graph message into a Message
    calendar.py   `calendarView/delta` over a window that rolls forward: events into Meetings
    connector.py  `MicrosoftConnector`: streams `mail/<folder>` and `calendar`
    send.py       `/me/sendMail` for the daily digest

Requests are made one at a time: Graph allows 4 concurrent requests per mailbox, and one is
plenty for a mailbox synced a page at a time, so kith never needs to count them.
"""

from kith.connectors.microsoft.connector import MicrosoftConnector

__all__ = ["MicrosoftConnector"]
