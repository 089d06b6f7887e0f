"""`dayone serve`: the planning screen in a web browser, one app process per tab on the shared file."""

from __future__ import annotations

import ipaddress
import shlex
import sys
from pathlib import Path

from tui.errors import DayoneError
from tui.visible import one_line

LOOPBACK = "127.0.0.1"
NO_AUTH_WARNING = (
    "dayone: warning: serving on {host}, which other machines can reach; the browser app has no "
    "authentication of its own, so put it behind a proxy that authenticates users"
)


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def app_command(db: Path, author: str | None, checklists: str | None, share: bool) -> str:
    """The shell command textual-serve starts for each browser tab."""
    parts = [sys.executable, "-m", "tui", "--db", str(db.resolve())]
    if author:
        parts += ["--as", author]
    if checklists:
        parts += ["--checklists", str(Path(checklists).resolve())]
    if share:
        parts.append("--share")
    return shlex.join(parts)


def serve(db: Path, *, host: str, port: int, author: str | None, checklists: str | None, share: bool) -> int:
    from textual_serve.server import Server

    if not 0 < port < 65536:
        raise DayoneError(f"--port {port}: not a port number")
    if not is_loopback(host):
        print(one_line(NO_AUTH_WARNING.format(host=host)), file=sys.stderr)
    url = f"http://{host}:{port}"
    print(one_line(f"dayone: serving {db} at {url} (Ctrl+C stops)"), file=sys.stderr)
    server = Server(app_command(db, author, checklists, share), host=host, port=port, title="dayone", public_url=url)
    try:
        server.serve()
    except OSError as exc:
        raise DayoneError(f"cannot listen on {host}:{port} ({exc.strerror or exc})") from None
    return 0
