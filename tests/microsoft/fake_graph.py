"""A loopback fake of the Microsoft identity platform and Microsoft Graph, over HTTPS.

Identity (what msal talks to, under /<tenant>/):
    GET  v2.0/.well-known/openid-configuration
    POST oauth2/v2.0/devicecode        a device code; its outcome is scripted in `device_outcomes`
    POST oauth2/v2.0/token             device_code grant (pending, approved, declined, expired)
                                       and refresh_token grant (a revoked token gives invalid_grant)
Graph (under /v1.0/, bearer token required):
    GET  me/mailFolders/{folder}/messages/delta   $select honoured, Prefer: odata.maxpagesize,
                                                  @odata.nextLink / @odata.deltaLink, @removed
    GET  me/calendarView/delta                    startDateTime/endDateTime, refuses $select,
                                                  `overfill` pages beyond the page size
    GET  me/messages/{id}?$select=body
    POST me/sendMail                              MIME (base64 text/plain) or JSON
Faults: `fail_next(...)` scripts answers (429 with Retry-After, 503, 410, 401, ...), every delta
link issued before `expire_delta_links()` answers 410 syncStateNotFound, `revoke()` kills every
token, and more than 4 requests in flight at once get 429 MailboxConcurrency.

Payload shapes follow the recorded responses in shared/corpora/api (msgraph_docs_examples and
nango_recorded/msgraph_outlook). Nothing here is used by kith itself.
"""

from __future__ import annotations

import base64
import json
import secrets
import ssl
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, quote, unquote, urlsplit

MAX_CONCURRENT = 4
DEFAULT_PAGE = 10  # Graph's default page size for messages


@dataclass
class Fault:
    path_part: str
    status: int
    body: dict
    headers: dict
    times: int


@dataclass
class Folder:
    items: dict[str, dict] = field(default_factory=dict)
    # (version, id) of every change; a delta link remembers the version it was issued at.
    changes: list[tuple[int, str]] = field(default_factory=list)


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


class FakeMicrosoft:
    """The state behind the server; tests change it between syncs."""

    def __init__(self, cert: Path, key: Path, *, tenant: str = "organizations", client_id: str = "kith-test-client") -> None:
        self.tenant = tenant
        self.client_id = client_id
        self.lock = threading.Lock()
        self.version = 0
        self.folders: dict[str, Folder] = {}
        self.events = Folder()
        self.link_floor = 0  # delta links issued at a version below this are dead (410)
        self.faults: list[Fault] = []
        self.log: list[tuple[str, str]] = []  # (method, path?query) of every Graph request
        self.in_flight = 0
        self.max_in_flight = 0
        self.slow_seconds = 0.0  # added to every Graph answer (to see concurrency)
        # Graph answers wait until this many requests have arrived (at most 10 s): concurrency
        # the test makes, whatever the machine's load does to the requests' timing.
        self.gather = 0
        self.arrivals = 0
        self.arrived = threading.Condition(self.lock)
        self.denied: set[str] = set()  # paths answered 403 (a permission not granted)
        self.overfill = 0  # calendar pages hold this many events beyond the page size
        # identity
        self.user = "alex@contoso.com"
        self.device_outcomes: list[str] = ["pending", "approved"]
        self.access_tokens: set[str] = set()
        self.refresh_tokens: set[str] = set()
        self.access_lifetime = 3600
        self.token_requests: list[str] = []  # grant types, in order
        self.device_scopes: dict[str, str] = {}  # device code -> the scopes it asked for
        self.sent: list[dict] = []  # sendMail bodies: {"content_type", "body"}
        self.send_scopes_required = False
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(self))
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(cert, key)
        self.server.socket = context.wrap_socket(self.server.socket, server_side=True)
        self.port = self.server.server_address[1]
        self.base = f"https://127.0.0.1:{self.port}"
        self.thread = threading.Thread(target=self.server.serve_forever, name="fake-graph", daemon=True)

    # -- life ---------------------------------------------------------------------------------

    def start(self) -> FakeMicrosoft:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    @property
    def authority(self) -> str:
        return f"{self.base}/{self.tenant}"

    @property
    def graph(self) -> str:
        return f"{self.base}/v1.0"

    # -- mailbox changes ----------------------------------------------------------------------

    def _bump(self, folder: Folder, item_id: str) -> None:
        self.version += 1
        folder.changes.append((self.version, item_id))

    def put_message(self, folder: str, message: dict) -> None:
        """Add or change a message (by its id)."""
        with self.lock:
            box = self.folders.setdefault(folder, Folder())
            box.items[message["id"]] = message
            self._bump(box, message["id"])

    def remove_message(self, folder: str, message_id: str) -> None:
        with self.lock:
            box = self.folders.setdefault(folder, Folder())
            box.items.pop(message_id, None)
            self._bump(box, message_id)

    def put_event(self, event: dict) -> None:
        with self.lock:
            self.events.items[event["id"]] = event
            self._bump(self.events, event["id"])

    def remove_event(self, event_id: str) -> None:
        """Delete an event; its @removed goes out even when it was outside a window."""
        with self.lock:
            self.events.items.pop(event_id, None)
            self._bump(self.events, event_id)

    def expire_delta_links(self) -> None:
        with self.lock:
            self.link_floor = self.version + 1

    def revoke(self) -> None:
        """Every access and refresh token stops working (a password change, an admin's revoke)."""
        with self.lock:
            self.access_tokens.clear()
            self.refresh_tokens.clear()

    def fail_next(self, path_part: str, status: int, *, code: str = "", retry_after: str | None = None, times: int = 1) -> None:
        """The next `times` Graph requests whose path contains `path_part` get `status`."""
        headers = {"Retry-After": retry_after} if retry_after is not None else {}
        body = {"error": {"code": code or str(status), "message": f"fake {status}"}}
        with self.lock:
            self.faults.append(Fault(path_part, status, body, headers, times))

    def graph_requests(self, part: str = "") -> list[tuple[str, str]]:
        return [r for r in self.log if part in r[1]]

    # -- identity -----------------------------------------------------------------------------

    def openid_configuration(self) -> dict:
        root = f"{self.base}/{self.tenant}"
        return {
            "issuer": f"{root}/v2.0",
            "authorization_endpoint": f"{root}/oauth2/v2.0/authorize",
            "token_endpoint": f"{root}/oauth2/v2.0/token",
            "device_authorization_endpoint": f"{root}/oauth2/v2.0/devicecode",
            "response_types_supported": ["code"],
        }

    def tokens(self, scope: str) -> dict:
        access, refresh = secrets.token_urlsafe(24), secrets.token_urlsafe(24)
        self.access_tokens.add(access)
        self.refresh_tokens.add(refresh)
        now = int(time.time())
        claims = {
            "iss": f"{self.base}/{self.tenant}/v2.0", "aud": self.client_id, "iat": now, "nbf": now,
            "exp": now + 3600, "oid": "00000000-0000-0000-0000-0000000000a1", "tid": "00000000-0000-0000-0000-0000000000b2",
            "sub": "fake-subject", "preferred_username": self.user, "name": "Alex Wilber", "ver": "2.0",
        }  # fmt: skip
        id_token = ".".join(
            [_b64url(json.dumps({"alg": "none", "typ": "JWT"}).encode()), _b64url(json.dumps(claims).encode()), ""]
        )
        client_info = _b64url(json.dumps({"uid": claims["oid"], "utid": claims["tid"]}).encode())
        return {
            "token_type": "Bearer", "scope": scope, "expires_in": self.access_lifetime, "ext_expires_in": self.access_lifetime,
            "access_token": access, "refresh_token": refresh, "id_token": id_token, "client_info": client_info,
        }  # fmt: skip

    # -- delta --------------------------------------------------------------------------------

    def delta_page(self, kind: str, box: Folder, token: dict, page_size: int, link_base: str) -> tuple[int, dict]:
        """One delta page. `token` is what a skiptoken or deltatoken holds."""
        since, offset = token["since"], token.get("offset", 0)
        if since and since < self.link_floor:
            return 410, {"error": {"code": "syncStateNotFound", "message": "The sync state is no longer available."}}
        if token.get("pinned") is None:
            token["pinned"] = self.version
        pinned = token["pinned"]
        if since == 0:
            ids = sorted(box.items)  # a first round: everything there is
            entries = [("item", i) for i in ids]
        else:
            changed = sorted({i for v, i in box.changes if since < v <= pinned})
            entries = [("item", i) if i in box.items else ("removed", i) for i in changed]
        entries = [e for e in entries if kind != "event" or e[0] == "removed" or self._in_window(box.items[e[1]], token)]
        size = page_size + (self.overfill if kind == "event" else 0)
        chunk = entries[offset : offset + size]
        value = []
        for what, item_id in chunk:
            if what == "removed":
                value.append({"@odata.type": f"#microsoft.graph.{kind}", "id": item_id, "@removed": {"reason": "deleted"}})
            else:
                value.append(_select(box.items[item_id], token.get("select"), kind))
        page: dict = {"@odata.context": f"https://graph.microsoft.com/v1.0/$metadata#Collection({kind})", "value": value}
        if offset + size < len(entries):
            page["@odata.nextLink"] = f"{link_base}?$skiptoken={_pack({**token, 'offset': offset + size})}"
        else:
            page["@odata.deltaLink"] = f"{link_base}?$deltatoken={_pack({**token, 'since': pinned, 'offset': 0, 'pinned': None})}"
        return 200, page

    @staticmethod
    def _in_window(event: dict, token: dict) -> bool:
        start = event["start"]["dateTime"][:19]
        return token["window"][0][:19] <= start < token["window"][1][:19]


def _select(item: dict, select: str | None, kind: str) -> dict:
    base = {"@odata.type": f"#microsoft.graph.{kind}", "@odata.etag": 'W/"fake"'}
    if not select:
        return {**base, **item}
    wanted = set(select.split(",")) | {"id"}
    return {**base, **{k: v for k, v in item.items() if k in wanted}}


def _pack(token: dict) -> str:
    return _b64url(json.dumps(token, separators=(",", ":")).encode())


def _unpack(text: str) -> dict:
    return json.loads(base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)))


def _handler_for(fake: FakeMicrosoft):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args) -> None:  # quiet
            pass

        def _reply(self, status: int, body: dict | None = None, headers: dict | None = None) -> None:
            data = json.dumps(body).encode() if body is not None else b""
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(data)

        def _body(self) -> bytes:
            length = int(self.headers.get("Content-Length") or 0)
            return self.rfile.read(length) if length else b""

        def do_GET(self) -> None:
            self._route("GET")

        def do_POST(self) -> None:
            self._route("POST")

        def _route(self, method: str) -> None:
            parts = urlsplit(self.path)
            path = parts.path
            if path.startswith("/v1.0/"):
                body = self._body()
                with fake.arrived:
                    fake.in_flight += 1
                    fake.arrivals += 1
                    fake.max_in_flight = max(fake.max_in_flight, fake.in_flight)
                    crowded = fake.in_flight > MAX_CONCURRENT
                    fake.arrived.notify_all()
                    if fake.gather and not crowded:
                        fake.arrived.wait_for(lambda: fake.arrivals >= fake.gather, timeout=10)
                try:
                    if fake.slow_seconds:
                        time.sleep(fake.slow_seconds)
                    if crowded:
                        return self._reply(429, {"error": {"code": "ApplicationThrottled", "message": "MailboxConcurrency"}}, {"Retry-After": "1"})
                    self._graph(method, unquote(path[len("/v1.0/"):]), parse_qs(parts.query), body)
                finally:
                    with fake.lock:
                        fake.in_flight -= 1
                return
            self._identity(method, path, self._body())

        # -- identity -------------------------------------------------------------------------

        def _identity(self, method: str, path: str, body: bytes) -> None:
            root = f"/{fake.tenant}"
            if method == "GET" and path == f"{root}/v2.0/.well-known/openid-configuration":
                return self._reply(200, fake.openid_configuration())
            form = {k: v[0] for k, v in parse_qs(body.decode()).items()}
            if method == "POST" and path == f"{root}/oauth2/v2.0/devicecode":
                code, device_code = "FAKE-" + secrets.token_hex(3).upper(), secrets.token_urlsafe(16)
                with fake.lock:
                    fake.device_scopes[device_code] = form.get("scope", "")
                return self._reply(200, {
                    "device_code": device_code, "user_code": code,
                    "verification_uri": "https://microsoft.com/devicelogin", "expires_in": 900, "interval": 1,
                    "message": f"To sign in, use a web browser to open the page https://microsoft.com/devicelogin and enter the code {code} to authenticate.",
                })  # fmt: skip
            if method == "POST" and path == f"{root}/oauth2/v2.0/token":
                grant = form.get("grant_type", "")
                with fake.lock:
                    fake.token_requests.append(grant)
                    if grant.endswith("device_code"):
                        outcome = fake.device_outcomes.pop(0) if fake.device_outcomes else "approved"
                        if outcome == "approved":
                            return self._reply(200, fake.tokens(fake.device_scopes.get(form.get("device_code", ""), "")))
                        error = {"pending": "authorization_pending", "declined": "authorization_declined", "expired": "expired_token"}[outcome]
                        return self._reply(400, {"error": error, "error_description": f"AADSTS: fake {error}"})
                    if grant == "refresh_token":
                        if form.get("refresh_token") in fake.refresh_tokens:
                            fake.refresh_tokens.discard(form["refresh_token"])
                            return self._reply(200, fake.tokens(form.get("scope", "")))
                        return self._reply(400, {
                            "error": "invalid_grant",
                            "error_description": "AADSTS70008: The provided authorization code or refresh token has expired due to inactivity.",
                        })  # fmt: skip
                return self._reply(400, {"error": "unsupported_grant_type"})
            return self._reply(404, {"error": "not_found"})

        # -- graph ----------------------------------------------------------------------------

        def _graph(self, method: str, path: str, query: dict, body: bytes) -> None:
            with fake.lock:
                fake.log.append((method, self.path))
                token = (self.headers.get("Authorization") or "").removeprefix("Bearer ")
                if token not in fake.access_tokens:
                    return self._reply(401, {"error": {"code": "InvalidAuthenticationToken", "message": "Access token has expired or is not yet valid."}})
                for fault in fake.faults:
                    if fault.path_part in self.path and fault.times > 0:
                        fault.times -= 1
                        return self._reply(fault.status, fault.body, fault.headers)
            prefer = self.headers.get("Prefer") or ""
            page_size = DEFAULT_PAGE
            for part in prefer.split(","):
                name, _, value = part.strip().partition("=")
                if name == "odata.maxpagesize":
                    page_size = int(value)
            q = {k: v[0] for k, v in query.items()}
            if method == "POST" and path == "me/sendMail":
                with fake.lock:
                    fake.sent.append({"content_type": self.headers.get("Content-Type"), "body": body})
                return self._reply(202)
            if method == "GET" and path.startswith("me/mailFolders/") and path.endswith("/messages/delta"):
                folder = path.split("/")[2]
                token = self._token(q, {"since": 0, "select": q.get("$select")})
                with fake.lock:
                    box = fake.folders.get(folder)
                    if box is None:
                        return self._reply(404, {"error": {"code": "ErrorInvalidIdMalformed", "message": f"no folder {folder}"}})
                    status, page = fake.delta_page("message", box, token, page_size, f"{fake.graph}/me/mailFolders/{quote(folder)}/messages/delta")
                return self._reply(status, page)
            if method == "GET" and path == "me/calendarView/delta":
                if any(k in q for k in ("$select", "$filter", "$orderby")):
                    return self._reply(400, {"error": {"code": "ErrorInvalidParameter", "message": "$select is not supported by calendarView delta"}})
                if "$skiptoken" not in q and "$deltatoken" not in q and not ("startDateTime" in q and "endDateTime" in q):
                    return self._reply(400, {"error": {"code": "ErrorInvalidParameter", "message": "startDateTime and endDateTime are required"}})
                token = self._token(q, {"since": 0, "window": [q.get("startDateTime", ""), q.get("endDateTime", "")]})
                with fake.lock:
                    status, page = fake.delta_page("event", fake.events, token, page_size, f"{fake.graph}/me/calendarView/delta")
                return self._reply(status, page)
            if method == "GET" and path in self_paths(path):
                if path in fake.denied:
                    return self._reply(403, {"error": {"code": "ErrorAccessDenied", "message": "Access is denied. Check credentials and try again."}})
                return self._reply(200, {"id": path.rsplit("/", 1)[-1]})
            if method == "GET" and path.startswith("me/messages/"):
                message_id = path.split("/")[2]
                with fake.lock:
                    found = next((box.items[message_id] for box in fake.folders.values() if message_id in box.items), None)
                if found is None:
                    return self._reply(404, {"error": {"code": "ErrorItemNotFound", "message": "not found"}})
                text = found.get("_text", "")
                return self._reply(200, {"id": message_id, "body": {"contentType": "text" if "text" in prefer else "html", "content": text}})
            return self._reply(400, {"error": {"code": "BadRequest", "message": f"the fake does not serve {method} {path}"}})

        @staticmethod
        def _token(q: dict, initial: dict) -> dict:
            if "$skiptoken" in q:
                return _unpack(q["$skiptoken"])
            if "$deltatoken" in q:
                return _unpack(q["$deltatoken"])
            return initial

    def self_paths(path: str) -> set[str]:
        """The single resources `kith doctor` reads: a mail folder, the calendar."""
        folder = path.removeprefix("me/mailFolders/")
        return {"me/calendar"} | ({path} if path.startswith("me/mailFolders/") and "/" not in folder and folder in fake.folders else set())

    return Handler
