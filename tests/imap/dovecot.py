"""A throwaway Dovecot IMAP server on 127.0.0.1, for the IMAP tests and the benchmark.

`start_dovecot()` writes a config into a fresh directory (passwd-file users, sdbox mail, no TLS,
SPECIAL-USE mailboxes, an OAuth2 passdb that asks a loopback introspection endpoint), starts
`dovecot -F` and waits until the port answers. Dovecot must run as root here; its mail processes
run as `nobody`. Users are fixed at start (`user1` ... `userN`, password `secret-userN`): Dovecot
does not reliably see a passwd file rewritten within the same second, so none is added later.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import tempfile
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs

from needs import real_clock_env

DOVECOT = shutil.which("dovecot") or "/usr/sbin/dovecot"

CONFIG = """\
protocols = imap
listen = 127.0.0.1
base_dir = {root}/run
state_dir = {root}/state
log_path = {root}/dovecot.log
info_log_path = {root}/dovecot.log
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login xoauth2 oauthbearer
auth_failure_delay = 0
mail_location = sdbox:{root}/mail/%u
mail_uid = nobody
mail_gid = nogroup
first_valid_uid = 0
first_valid_gid = 0
mail_max_userip_connections = 100
imap_capability = +CONDSTORE QRESYNC
mail_plugins =
protocol imap {{
  mail_max_userip_connections = 100
}}
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {root}/passwd
}}
passdb {{
  driver = oauth2
  mechanisms = xoauth2 oauthbearer
  args = {root}/oauth2.conf.ext
}}
userdb {{
  driver = static
  args = uid=nobody gid=nogroup home={root}/mail/%u
}}
service imap-login {{
  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
  inet_listener imaps {{
    port = 0
  }}
}}
service anvil {{
  chroot =
}}
namespace inbox {{
  inbox = yes
  separator = /
  mailbox Sent {{
    special_use = \\Sent
    auto = subscribe
  }}
  mailbox Archive {{
    special_use = \\Archive
    auto = subscribe
  }}
  mailbox Junk {{
    special_use = \\Junk
    auto = subscribe
  }}
  mailbox Trash {{
    special_use = \\Trash
    auto = subscribe
  }}
  mailbox Drafts {{
    special_use = \\Drafts
    auto = subscribe
  }}
}}
"""

OAUTH2 = """\
introspection_url = http://127.0.0.1:{port}/introspect
introspection_mode = post
username_attribute = username
active_attribute = active
active_value = true
"""


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def installed() -> bool:
    return Path(DOVECOT).exists()


class _Introspection(BaseHTTPRequestHandler):
    """RFC 7662 token introspection for Dovecot's oauth2 passdb: tokens map to usernames."""

    tokens: dict[str, str] = {}

    def do_POST(self) -> None:  # noqa: N802 (http.server's naming)
        length = int(self.headers.get("Content-Length") or 0)
        form = parse_qs(self.rfile.read(length).decode())
        token = (form.get("token") or [""])[0]
        user = self.tokens.get(token)
        body = json.dumps({"active": "true", "username": user} if user else {"active": "false"}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args) -> None:
        pass


@dataclass
class Dovecot:
    root: Path
    port: int
    process: subprocess.Popen
    introspection: ThreadingHTTPServer
    users: dict[str, str] = field(default_factory=dict)
    host: str = "127.0.0.1"

    def write_users(self) -> None:
        lines = "".join(f"{user}:{{PLAIN}}{pw}::::::\n" for user, pw in self.users.items())
        passwd = self.root / "passwd"
        passwd.write_text(lines)
        os.chmod(passwd, 0o640)
        shutil.chown(passwd, "root", "dovecot")

    def add_token(self, token: str, user: str) -> None:
        """Make `token` a valid OAuth2 access token for `user`."""
        _Introspection.tokens[token] = user

    def doveadm(self, *args: str) -> None:
        """Run a doveadm command against this server's configuration (as root, like Dovecot)."""
        subprocess.run(
            ["doveadm", "-c", str(self.root / "dovecot.conf"), *args],
            check=True, capture_output=True, timeout=30, env=real_clock_env(),
        )  # fmt: skip

    def log(self) -> str:
        path = self.root / "dovecot.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.introspection.shutdown()
        self.introspection.server_close()
        shutil.rmtree(self.root, ignore_errors=True)


def start_dovecot(users: int = 100, port: int | None = None, timeout: float = 15.0) -> Dovecot:
    """Start Dovecot on 127.0.0.1:`port` (a free one by default) and return once it answers."""
    root = Path(tempfile.mkdtemp(prefix="kith-dovecot-"))
    os.chmod(root, 0o755)  # the mail processes run as nobody and must reach their home
    for sub in ("run", "state"):
        (root / sub).mkdir()
    mail = root / "mail"
    mail.mkdir()
    shutil.chown(mail, "nobody", "nogroup")
    introspection = ThreadingHTTPServer(("127.0.0.1", 0), _Introspection)
    threading.Thread(target=introspection.serve_forever, daemon=True).start()
    port = port or free_port()
    (root / "oauth2.conf.ext").write_text(OAUTH2.format(port=introspection.server_address[1]))
    config = root / "dovecot.conf"
    config.write_text(CONFIG.format(root=root, port=port))
    process = subprocess.Popen(
        [DOVECOT, "-c", str(config), "-F"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=real_clock_env()
    )
    server = Dovecot(root, port, process, introspection)
    server.users = {f"user{n}": f"secret-user{n}" for n in range(1, users + 1)}
    server.write_users()
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            error = process.stderr.read().decode(errors="replace") if process.stderr else ""
            log = server.log()
            server.stop()
            raise RuntimeError(f"dovecot exited at start: {error.strip()} {log[-2000:]}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5) as sock:
                if sock.recv(100).startswith(b"* OK"):
                    return server
        except OSError:
            time.sleep(0.05)
    server.stop()
    raise RuntimeError(f"dovecot did not answer on 127.0.0.1:{port} within {timeout:.0f}s")
