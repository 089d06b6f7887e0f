"""Who has a workspace open right now, for the header of every app on it (terminals and browser tabs alike).

Each running app keeps one row in the `presence` table under a session id of its own: written when it starts,
renewed every `HEARTBEAT_SECONDS`, deleted when it closes. A row not renewed for `EXPIRY_SECONDS` belongs to an app
that died without saying so and no longer counts. Each write is one short transaction of its own; the rows are not
part of the plan and never reach the change log.
"""

from __future__ import annotations

import time
import uuid

from tui.store import Workspace

HEARTBEAT_SECONDS = 5.0
EXPIRY_SECONDS = 3 * HEARTBEAT_SECONDS


def new_session() -> str:
    return uuid.uuid4().hex


def announce(workspace: Workspace, session: str, name: str, now: float | None = None) -> None:
    """Say (again) that `name` is here in `session`, and drop the rows of apps that stopped renewing theirs."""
    now = time.time() if now is None else now
    with workspace.transaction():
        workspace.conn.execute(
            "INSERT INTO presence (session, name, since, seen) VALUES (?, ?, ?, ?)"
            " ON CONFLICT (session) DO UPDATE SET name = excluded.name, seen = excluded.seen",
            (session, name, now, now),
        )
        workspace.conn.execute("DELETE FROM presence WHERE seen < ?", (now - EXPIRY_SECONDS,))


def leave(workspace: Workspace, session: str) -> None:
    with workspace.transaction():
        workspace.conn.execute("DELETE FROM presence WHERE session = ?", (session,))


def people_here(workspace: Workspace, now: float | None = None) -> list[str]:
    """The names of the people with the workspace open, each once, in the order they came."""
    now = time.time() if now is None else now
    rows = workspace.query(
        "SELECT name FROM presence WHERE seen >= ? GROUP BY name ORDER BY min(since), name",
        (now - EXPIRY_SECONDS,),
    )
    return [row[0] for row in rows]
