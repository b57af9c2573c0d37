"""A loopback fake of the parts of Google that kith talks to, for tests and the benchmark.

Served (paths as the real client sends them once `api_endpoint` points here):

    GET  gmail/v1/users/me/profile                 emailAddress, messagesTotal, historyId
    GET  gmail/v1/users/me/messages                paging by pageToken, at most 500 a page
    GET  gmail/v1/users/me/messages/{id}           format=metadata (only metadataHeaders) | full
    GET  gmail/v1/users/me/history                 records after startHistoryId; 404 when expired
    POST gmail/v1/users/me/messages/send           keeps the decoded message in `sent`
    POST batch/gmail/v1, batch/calendar/v3         multipart/mixed, each part answered alone
    GET  calendar/v3/calendars/{id}/events         paging, nextSyncToken on the last page, 410
    GET  o/oauth2/auth                             consent: 302 to redirect_uri with code and state
    POST token                                     authorization_code and refresh_token grants

History ids grow with gaps (each change takes the next id plus a random step). Every API call
needs a bearer token the fake issued (401 otherwise) whose scopes allow it (403 with
ACCESS_TOKEN_SCOPE_INSUFFICIENT otherwise); `gmail.metadata` refuses `format=full` and `q` as
Google does. Quota: with `units_per_minute` set, calls are charged Gmail's units in a rolling
window of `minute` seconds (shorten it to scale time down) and refused with 429
rateLimitExceeded beyond it. `inject` makes chosen calls fail once each (429, 403
rateLimitExceeded, 500, ...), inside a batch too.
"""

from __future__ import annotations

import base64
import collections
import itertools
import json
import random
import threading
import time
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlencode, urlsplit

GMAIL = "https://www.googleapis.com/auth/gmail."
CALENDAR_READONLY = "https://www.googleapis.com/auth/calendar.readonly"
FULL_MAIL = "https://mail.google.com/"
UNITS = {"profile": 1, "list": 5, "get": 5, "history": 2, "send": 100}


@dataclass
class Fault:
    op: str  # profile, list, get, history, send, events, batch, token
    status: int
    reason: str | None = None
    match: str | None = None  # a substring of the request path
    remaining: int = 1


@dataclass
class FakeMessage:
    id: str
    thread_id: str
    labels: list[str]
    headers: list[tuple[str, str]]
    body: str | None
    internal_date: int


@dataclass
class FakeCalendar:
    events: dict[str, dict] = field(default_factory=dict)
    changes: list[tuple[int, str]] = field(default_factory=list)  # (version, event id)
    version: int = 0
    expired_before: int = 0  # sync tokens older than this version get 410


class FakeGoogle:
    """The fake's state and its HTTP server; `url` is what `api_endpoint` should be."""

    def __init__(self, *, address: str = "alex@example.com", seed: int = 1) -> None:
        self.address = address
        self.random = random.Random(seed)
        self.lock = threading.RLock()
        self.messages: dict[str, FakeMessage] = {}
        self.order: list[str] = []  # newest last; listed newest first
        self.history: list[dict] = []
        self.history_id = 1000
        self.oldest_history = 0  # a startHistoryId below this gets 404
        self.calendars: dict[str, FakeCalendar] = collections.defaultdict(FakeCalendar)
        self.page_size_limit = 500
        self.history_page_size = 100
        self.event_page_size = 250
        self.tokens: dict[str, set[str]] = {}  # access token -> scopes
        self.refresh_tokens: dict[str, set[str]] = {}
        self.revoked: set[str] = set()
        self.codes: dict[str, set[str]] = {}
        self.sent: list[bytes] = []
        self.faults: list[Fault] = []
        self.calls: collections.Counter[str] = collections.Counter()
        self.rate_limited = 0
        self.units_spent = 0
        self.units_per_minute: float | None = None
        self.minute = 60.0
        self._window: collections.deque[tuple[float, int]] = collections.deque()
        self._window_units = 0
        self._ids = itertools.count(1)
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, name="fake-google", daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_port}/"

    def start(self) -> FakeGoogle:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    # -- arranging state ----------------------------------------------------------------------

    def grant(self, scopes: list[str], *, token: str | None = None, refresh: str | None = None) -> str:
        """Issue an access token (and optionally a refresh token) with `scopes`."""
        token = token or f"access-{next(self._ids)}"
        self.tokens[token] = set(scopes)
        if refresh:
            self.refresh_tokens[refresh] = set(scopes)
        return token

    def _next_history(self) -> int:
        self.history_id += self.random.randint(1, 7)  # ids grow with gaps, as Gmail's do
        return self.history_id

    def add_message(
        self,
        headers: dict[str, str],
        *,
        labels: list[str] | None = None,
        body: str | None = None,
        thread_id: str | None = None,
        record: bool = True,
    ) -> str:
        """Deliver a message; `record=False` adds it without a history record (a backfill)."""
        with self.lock:
            number = next(self._ids)
            message_id = f"{0x18c0000000 + number:x}"
            self.messages[message_id] = FakeMessage(
                message_id, thread_id or message_id, list(labels or ["INBOX"]), list(headers.items()), body,
                1_700_000_000_000 + number * 1000,
            )
            self.order.append(message_id)
            hid = self._next_history()
            if record:
                self.history.append({"id": str(hid), "messages": [self._ref(message_id)],
                                     "messagesAdded": [{"message": self._ref(message_id, labels=True)}]})
            return message_id

    def delete_message(self, message_id: str) -> None:
        with self.lock:
            ref = self._ref(message_id)
            del self.messages[message_id]
            self.order.remove(message_id)
            self.history.append({"id": str(self._next_history()), "messages": [ref], "messagesDeleted": [{"message": ref}]})

    def change_labels(self, message_id: str, *, add: list[str] = (), remove: list[str] = ()) -> None:
        with self.lock:
            message = self.messages[message_id]
            message.labels = [label for label in message.labels if label not in remove] + [l for l in add if l not in message.labels]
            record: dict = {"id": str(self._next_history()), "messages": [self._ref(message_id)]}
            if add:
                record["labelsAdded"] = [{"message": self._ref(message_id, labels=True), "labelIds": list(add)}]
            if remove:
                record["labelsRemoved"] = [{"message": self._ref(message_id, labels=True), "labelIds": list(remove)}]
            self.history.append(record)

    def expire_history(self) -> None:
        """Forget every history record so far (Gmail keeps them about a week)."""
        with self.lock:
            self.oldest_history = self.history_id + 1
            self.history.clear()

    def put_event(self, calendar: str, event: dict) -> None:
        """Add or change an event (a dict in Google's shape); bumps the calendar's version."""
        with self.lock:
            cal = self.calendars[calendar]
            cal.version += 1
            cal.events[event["id"]] = event
            cal.changes.append((cal.version, event["id"]))

    def cancel_event(self, calendar: str, event_id: str) -> None:
        self.put_event(calendar, {"kind": "calendar#event", "id": event_id, "status": "cancelled"})

    def expire_sync_tokens(self, calendar: str) -> None:
        with self.lock:
            cal = self.calendars[calendar]
            cal.expired_before = cal.version + 1

    def inject(self, op: str, status: int, reason: str | None = None, *, match: str | None = None, times: int = 1) -> None:
        """Make the next `times` calls of `op` (whose path holds `match`) fail with `status`."""
        with self.lock:
            self.faults.append(Fault(op, status, reason, match, times))

    # -- answering ----------------------------------------------------------------------------

    def _ref(self, message_id: str, *, labels: bool = False) -> dict:
        message = self.messages[message_id]
        ref = {"id": message_id, "threadId": message.thread_id}
        if labels:
            ref["labelIds"] = list(message.labels)
        return ref

    def _fault(self, op: str, path: str) -> Fault | None:
        with self.lock:
            for fault in self.faults:
                if fault.op == op and fault.remaining > 0 and (fault.match is None or fault.match in path):
                    fault.remaining -= 1
                    return fault
        return None

    def _charge(self, units: int) -> bool:
        """Spend quota units; False when the rolling window is full (the call gets 429)."""
        with self.lock:
            self.units_spent += units
            if self.units_per_minute is None:
                return True
            now = time.monotonic()
            while self._window and self._window[0][0] <= now - self.minute:
                self._window_units -= self._window.popleft()[1]
            if self._window_units + units > self.units_per_minute:
                self.rate_limited += 1
                return False
            self._window.append((now, units))
            self._window_units += units
            return True

    def answer(self, method: str, target: str, headers: dict[str, str], body: bytes) -> tuple[int, dict, bytes]:
        """One API call: (status, headers, body). Used for plain requests and batch parts."""
        parts = urlsplit(target)
        path = parts.path.lstrip("/")
        query = {k: v for k, v in parse_qs(parts.query, keep_blank_values=True).items()}
        one = {k: v[-1] for k, v in query.items()}
        if path == "token" and method == "POST":
            return self._token(body)
        if path == "o/oauth2/auth":
            return self._consent(one)
        if path == "_stats":  # for the benchmark, which runs the fake in another process
            return _ok({"calls": dict(self.calls), "rate_limited": self.rate_limited, "units": self.units_spent})
        op, needs = _operation(method, path, one)
        if op is None:
            return _error(404, "notFound", f"the fake does not serve {method} {path}")
        scopes = self.tokens.get(headers.get("authorization", "").removeprefix("Bearer ").strip())
        if scopes is None:
            return _error(401, "authError", "Request had invalid authentication credentials.", status="UNAUTHENTICATED")
        if not any(scope in scopes for scope in needs) or (
            op in ("get",) and one.get("format") in ("full", "raw") and GMAIL + "metadata" in scopes
            and not scopes & {GMAIL + "readonly", FULL_MAIL}
        ):
            return _error(403, "insufficientPermissions", "Request had insufficient authentication scopes.",
                          status="PERMISSION_DENIED", detail="ACCESS_TOKEN_SCOPE_INSUFFICIENT")
        with self.lock:
            self.calls[op] += 1
        fault = self._fault(op, target)
        if fault is not None:
            return _error(fault.status, fault.reason or "backendError", f"injected {fault.status}")
        if op in UNITS and not self._charge(UNITS[op]):
            return _error(429, "rateLimitExceeded", "Quota exceeded for quota metric 'Queries' per user per minute.",
                          status="RESOURCE_EXHAUSTED")
        with self.lock:
            return getattr(self, "_" + op)(path, query, one, body)

    def _profile(self, path, query, one, body):
        return _ok({"emailAddress": self.address, "messagesTotal": len(self.messages),
                    "threadsTotal": len({m.thread_id for m in self.messages.values()}), "historyId": str(self.history_id)})

    def _list(self, path, query, one, body):
        size = min(int(one.get("maxResults", 100)), self.page_size_limit)
        start = int(one.get("pageToken") or 0)
        spam_trash = one.get("includeSpamTrash") == "true"
        listed = [i for i in reversed(self.order) if spam_trash or not {"SPAM", "TRASH"} & set(self.messages[i].labels)]
        page = listed[start : start + size]
        answer: dict = {"messages": [self._ref(i) for i in page], "resultSizeEstimate": len(listed)}
        if not page:
            answer = {"resultSizeEstimate": 0}
        if start + size < len(listed):
            answer["nextPageToken"] = str(start + size)
        return _ok(answer)

    def _get(self, path, query, one, body):
        message = self.messages.get(path.rsplit("/", 1)[1])
        if message is None:
            return _error(404, "notFound", "Requested entity was not found.", status="NOT_FOUND")
        form = one.get("format", "full")
        wanted = {h.lower() for h in query.get("metadataHeaders", [])}
        headers = [{"name": n, "value": v} for n, v in message.headers if form != "metadata" or n.lower() in wanted]
        payload: dict = {"mimeType": "text/plain", "headers": headers, "body": {"size": 0}}
        if form == "full" and message.body is not None:
            data = base64.urlsafe_b64encode(message.body.encode()).decode().rstrip("=")
            payload = {"mimeType": "multipart/alternative", "headers": headers, "body": {"size": 0}, "parts": [
                {"partId": "0", "mimeType": "text/plain", "headers": [{"name": "Content-Type", "value": "text/plain; charset=UTF-8"}],
                 "body": {"size": len(message.body), "data": data}},
                {"partId": "1", "mimeType": "text/html", "body": {"size": 10, "data": "PHA-PC9wPg"}},
            ]}
        return _ok({"id": message.id, "threadId": message.thread_id, "labelIds": list(message.labels),
                    "snippet": (message.body or "")[:100], "historyId": str(self.history_id),
                    "internalDate": str(message.internal_date), "sizeEstimate": 1000, "payload": payload})

    def _history(self, path, query, one, body):
        start = int(one["startHistoryId"])
        if start < self.oldest_history:
            return _error(404, "notFound", "Requested entity was not found.", status="NOT_FOUND")
        types = set(query.get("historyTypes", []))
        keys = {"messageAdded": "messagesAdded", "messageDeleted": "messagesDeleted",
                "labelAdded": "labelsAdded", "labelRemoved": "labelsRemoved"}
        records = [r for r in self.history if int(r["id"]) > start]
        if types:
            wanted = {keys[t] for t in types}
            records = [r for r in records if wanted & set(r)]
        offset = int(one.get("pageToken") or 0)
        size = min(int(one.get("maxResults", 100)), self.history_page_size)
        answer: dict = {"historyId": str(self.history_id)}
        if records[offset : offset + size]:
            answer["history"] = records[offset : offset + size]
        if offset + size < len(records):
            answer["nextPageToken"] = str(offset + size)
        return _ok(answer)

    def _send(self, path, query, one, body):
        raw = base64.urlsafe_b64decode(json.loads(body)["raw"] + "==")
        self.sent.append(raw)
        labels = ["SENT"]
        parsed = message_from_bytes(raw, policy=policy.default)
        message_id = self.add_message({k: str(v) for k, v in parsed.items()}, labels=labels)
        return _ok({"id": message_id, "threadId": message_id, "labelIds": labels})

    def _events(self, path, query, one, body):
        calendar = path.split("/")[3]
        if calendar not in self.calendars and calendar != "primary":
            return _error(404, "notFound", "Not Found")
        cal = self.calendars[calendar]  # everyone has a primary calendar
        token = one.get("syncToken")
        if token is not None:
            version = int(token.removeprefix("sync-"))
            if version < cal.expired_before:
                return _error(410, "fullSyncRequired", "Sync token is no longer valid, a full sync is required.", status="GONE")
            changed = list(dict.fromkeys(event_id for v, event_id in cal.changes if v > version))
            items = [cal.events[i] for i in changed]
        else:
            items = [e for e in cal.events.values() if e.get("status") != "cancelled" or one.get("showDeleted") == "true"]
        offset = int(one.get("pageToken") or 0)
        size = min(int(one.get("maxResults", 250)), self.event_page_size)
        answer: dict = {"kind": "calendar#events", "summary": calendar, "timeZone": "UTC", "items": items[offset : offset + size]}
        if offset + size < len(items):
            answer["nextPageToken"] = str(offset + size)
        else:
            answer["nextSyncToken"] = f"sync-{cal.version}"
        return _ok(answer)

    def _consent(self, one: dict) -> tuple[int, dict, bytes]:
        code = f"code-{next(self._ids)}"
        self.codes[code] = set(one.get("scope", "").split())
        target = one["redirect_uri"] + "?" + urlencode({"code": code, "state": one.get("state", ""), "scope": one.get("scope", "")})
        return 302, {"Location": target}, b""

    def _token(self, body: bytes) -> tuple[int, dict, bytes]:
        form = {k: v[-1] for k, v in parse_qs(body.decode()).items()}
        if form.get("grant_type") == "authorization_code":
            scopes = self.codes.pop(form.get("code", ""), None)
            if scopes is None:
                return 400, {"Content-Type": "application/json"}, b'{"error": "invalid_grant", "error_description": "Bad Request"}'
            refresh = f"refresh-{next(self._ids)}"
            self.refresh_tokens[refresh] = scopes
        elif form.get("grant_type") == "refresh_token":
            refresh = form.get("refresh_token", "")
            scopes = self.refresh_tokens.get(refresh)
            if scopes is None or refresh in self.revoked:
                return 400, {"Content-Type": "application/json"}, (
                    b'{"error": "invalid_grant", "error_description": "Token has been expired or revoked."}')
        else:
            return 400, {"Content-Type": "application/json"}, b'{"error": "unsupported_grant_type"}'
        token = self.grant(sorted(scopes))
        return _ok({"access_token": token, "expires_in": 3599, "refresh_token": refresh,
                    "scope": " ".join(sorted(scopes)), "token_type": "Bearer"})

    def answer_batch(self, content_type: str, body: bytes, outer: dict[str, str]) -> tuple[int, dict, bytes]:
        """A multipart/mixed batch: every part is answered on its own, in order."""
        parsed = message_from_bytes(b"Content-Type: " + content_type.encode() + b"\r\n\r\n" + body)
        boundary = f"batch_{next(self._ids)}"
        out = []
        for part in parsed.get_payload():
            content_id = part["Content-ID"].strip("<>")
            inner = part.get_payload(decode=False)
            inner = inner.encode() if isinstance(inner, str) else inner
            head, _, inner_body = inner.replace(b"\r\n", b"\n").partition(b"\n\n")
            lines = head.decode().split("\n")
            method, target, _ = lines[0].split(" ", 2)
            headers = dict(outer)
            for line in lines[1:]:
                name, _, value = line.partition(":")
                if name.strip():
                    headers[name.strip().lower()] = value.strip()
            status, answer_headers, answer = self.answer(method, target, headers, inner_body)
            out.append(
                f"--{boundary}\r\nContent-Type: application/http\r\nContent-ID: <response-{content_id}>\r\n\r\n"
                f"HTTP/1.1 {status} {_REASONS.get(status, 'Status')}\r\nContent-Type: application/json; charset=UTF-8\r\n"
                f"Content-Length: {len(answer)}\r\n\r\n".encode() + answer + b"\r\n"
            )
        data = b"".join(out) + f"--{boundary}--\r\n".encode()
        return 200, {"Content-Type": f"multipart/mixed; boundary={boundary}"}, data


_REASONS = {200: "OK", 302: "Found", 400: "Bad Request", 401: "Unauthorized", 403: "Forbidden", 404: "Not Found",
            410: "Gone", 429: "Too Many Requests", 500: "Internal Server Error", 503: "Service Unavailable"}


def _operation(method: str, path: str, one: dict) -> tuple[str | None, tuple[str, ...]]:
    """Which call a request is and the scopes that allow it."""
    read = (GMAIL + "metadata", GMAIL + "readonly", FULL_MAIL)
    if path.startswith("gmail/v1/users/me/"):
        rest = path.removeprefix("gmail/v1/users/me/")
        if rest == "profile" and method == "GET":
            return "profile", read
        if rest == "messages" and method == "GET":
            return "list", read if "q" not in one else (GMAIL + "readonly", FULL_MAIL)
        if rest == "messages/send" and method == "POST":
            return "send", (GMAIL + "send", FULL_MAIL)
        if rest.startswith("messages/") and method == "GET":
            return "get", read
        if rest == "history" and method == "GET":
            return "history", read
    if path.startswith("calendar/v3/calendars/") and path.endswith("/events") and method == "GET":
        return "events", (CALENDAR_READONLY, "https://www.googleapis.com/auth/calendar")
    return None, ()


def _ok(value: dict) -> tuple[int, dict, bytes]:
    return 200, {"Content-Type": "application/json; charset=UTF-8"}, json.dumps(value).encode()


def _error(code: int, reason: str, message: str, *, status: str | None = None, detail: str | None = None) -> tuple[int, dict, bytes]:
    error: dict = {"code": code, "message": message, "errors": [{"message": message, "domain": "global", "reason": reason}]}
    if status:
        error["status"] = status
    if detail:
        error["details"] = [{"@type": "type.googleapis.com/google.rpc.ErrorInfo", "reason": detail}]
    return code, {"Content-Type": "application/json; charset=UTF-8"}, json.dumps({"error": error}).encode()


def _handler(fake: FakeGoogle) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args) -> None:  # quiet
            pass

        def _reply(self, status: int, headers: dict, body: bytes) -> None:
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def _handle(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            headers = {k.lower(): v for k, v in self.headers.items()}
            path = urlsplit(self.path).path.lstrip("/")
            if path.startswith("batch/"):
                if fake._fault("batch", self.path) is not None:
                    self._reply(*_error(429, "rateLimitExceeded", "injected: the whole batch refused"))
                    return
                self._reply(*fake.answer_batch(headers.get("content-type", ""), body, headers))
                return
            self._reply(*fake.answer(self.command, self.path, headers, body))

        do_GET = do_POST = _handle

    return Handler
