"""`dayone serve`: the planning screen in web browsers, one app process per tab on the shared file, each tab a person.

The options are checked here, before anything listens; `tui.serve.access` holds the rules every request meets and
`tui.serve.server` the web server itself.
"""

from __future__ import annotations

import os
import re
import secrets
import socket
import sys
from dataclasses import dataclass
from pathlib import Path

from tui.errors import DayoneError
from tui.serve.access import WILDCARDS, Access, is_loopback, origin_of
from tui.visible import one_line

LOOPBACK = "127.0.0.1"
TOKEN_ENV = "DAYONE_TOKEN"
CLEAR_TEXT_WARNING = (
    "dayone: warning: serving on {host}, which other machines can reach; the link's token travels in clear text "
    "over http, so beyond a trusted network put dayone behind an HTTPS proxy (see README: Serving to a browser)"
)

__all__ = ["LOOPBACK", "ServeOptions", "app_argv", "is_loopback", "serve"]


@dataclass(frozen=True)
class ServeOptions:
    host: str = LOOPBACK
    port: int = 8000
    token: str | None = None  # None: $DAYONE_TOKEN, else a new random one
    no_token: bool = False
    public_url: str | None = None
    allow_origins: tuple[str, ...] = ()
    max_sessions: int = 20
    idle_minutes: float = 60
    checklists: str | None = None
    share: bool = False
    name_header: str | None = None  # the header an authenticating proxy names each person in


def access_for(options: ServeOptions) -> Access:
    """The rules for this server, or a one-line refusal naming the option that is wrong."""
    if not 0 < options.port < 65536:
        raise DayoneError(f"--port {options.port}: not a port number")
    if options.max_sessions < 1:
        raise DayoneError(f"--max-sessions {options.max_sessions}: give at least 1")
    if not options.idle_minutes > 0:
        raise DayoneError(f"--idle-minutes {options.idle_minutes:g}: give a number of minutes above 0")
    token = options.token if options.token is not None else os.environ.get(TOKEN_ENV) or None
    if options.no_token:
        if token is not None and options.token is not None:
            raise DayoneError("--token and --no-token: give one of them")
        if not is_loopback(options.host):
            raise DayoneError(
                f"--no-token: only when bound to this machine (127.0.0.1); {options.host} is reachable from others"
            )
        token = None
    elif token is None:
        token = secrets.token_urlsafe(24)
    elif len(token) < 8 or not token.isprintable() or any(char in token for char in " &#%?/+"):
        raise DayoneError("--token: give at least 8 characters, none of them spaces or any of & # % ? / +")
    if options.name_header is not None:
        if not re.fullmatch(r"[A-Za-z0-9-]+", options.name_header):
            raise DayoneError(f"--name-header {options.name_header!r}: not a header name (letters, digits, -)")
        if not is_loopback(options.host):
            raise DayoneError(
                f"--name-header: only when bound to this machine (127.0.0.1), behind the proxy that sets it; "
                f"on {options.host} anyone could send the header themselves"
            )
    public = origin_of(options.public_url, "--public-url") if options.public_url else None
    allowed = frozenset(origin_of(origin, "--allow-origin") for origin in options.allow_origins)
    return Access(token=token, bind=options.host, public_origin=public, allowed_origins=allowed)


def printed_url(access: Access, port: int) -> str:
    """The link to hand out: the public URL, else the bound address (the machine's name for a wildcard)."""
    if access.public_origin:
        base = access.public_origin
    else:
        host = socket.gethostname() if access.bind in WILDCARDS else access.bind
        base = f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"
    return f"{base}/?token={access.token}" if access.token else f"{base}/"


def app_argv(db: Path, name: str, checklists: str | None, share: bool) -> list[str]:
    """The command each browser tab runs: the app on the absolute workspace path, signed with the tab's name."""
    argv = [sys.executable, "-m", "tui", "--db", str(db.resolve()), f"--as={name}"]
    if checklists:
        argv.append(f"--checklists={Path(checklists).resolve()}")
    if share:
        argv.append("--share")
    return argv


def stakeholder_names(db: Path) -> list[str]:
    """The names the first page offers: the stakeholders of the integrations in use, each once."""
    from tui.store import Workspace

    with Workspace.open(db, create=False) as workspace:
        rows = workspace.query(
            "SELECT DISTINCT s.name FROM stakeholders s JOIN integrations i ON i.id = s.integration_id"
            " WHERE i.archived_at IS NULL ORDER BY s.name COLLATE NOCASE"
        )
    return [row[0] for row in rows]


def serve(db: Path, options: ServeOptions) -> int:
    from tui.serve.server import DayoneServer

    access = access_for(options)
    if not is_loopback(options.host) and not (access.public_origin or "").startswith("https:"):
        print(one_line(CLEAR_TEXT_WARNING.format(host=options.host)), file=sys.stderr)
    print(one_line(f"dayone: serving {db} at {printed_url(access, options.port)} (Ctrl+C stops)"), file=sys.stderr)
    sys.stderr.flush()
    server = DayoneServer(
        lambda name: app_argv(db, name, options.checklists, options.share),
        lambda: stakeholder_names(db),
        access=access,
        port=options.port,
        workspace=str(db),
        max_sessions=options.max_sessions,
        idle_seconds=options.idle_minutes * 60,
        name_header=options.name_header,
    )
    try:
        server.serve()
    except OSError as exc:
        raise DayoneError(f"cannot listen on {options.host}:{options.port} ({exc.strerror or exc})") from None
    return 0
