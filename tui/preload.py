"""Reading the first integration while the terminal interface is still starting up.

Textual needs a good part of a second to import, lay out and paint the planning
screen; reading an integration of 1,000 tables takes a fair share of that too.
`Preload` does the reading in its own thread, so the screen can be painted once
with its data instead of painted empty and painted again. The `dayone` command
starts it before Textual is even imported (`start`); an app opened on a path
starts its own. It never touches the interface: the app picks the parts up when
it mounts (`ready`) or waits for them in a worker (`take_quick`, `take_slow`).
"""

from __future__ import annotations

import os
import sqlite3
import threading
from typing import Any

from tui.errors import DayoneError
from tui.overview import LATE_PARTS, PARTS, SLOW_PARTS, load_parts
from tui.store import Row, Workspace

QUICK_PARTS = tuple(part for part in PARTS if part not in SLOW_PARTS and part not in LATE_PARTS)


class Preload:
    """The parts of the integration the app will open, read in a background thread.

    `lock` becomes the app's sync lock: the change-log position is read with the
    parts, so later syncs start exactly where this read ended.
    """

    def __init__(self, ws: Workspace, integration: str | None) -> None:
        self.workspace = ws
        self.integration = integration
        self.lock = threading.Lock()
        self.chosen: Row | None = None
        self.integration_id: int | None = None
        self.last_change_id = 0
        self.quick: dict[str, Any] | None = None
        self.slow: dict[str, Any] | None = None
        self._chosen = threading.Event()
        self._quick_done = threading.Event()
        self._done = threading.Event()
        threading.Thread(target=self._run, name="dayone-preload", daemon=True).start()

    def _run(self) -> None:
        ws = self.workspace
        try:
            chosen = self.chosen = ws.integration(self.integration) if self.integration else ws.last_integration()
            self._chosen.set()
            if chosen is None:
                return
            with self.lock:
                self.last_change_id = ws.query("SELECT coalesce(max(id), 0) FROM changes")[0][0]
                self.quick = load_parts(ws, chosen["id"], QUICK_PARTS)
                self.integration_id = chosen["id"]
            self._quick_done.set()
            with self.lock:
                self.slow = load_parts(ws, chosen["id"], SLOW_PARTS)
            self._done.set()
            if ws.setting("last_integration") != str(chosen["id"]):  # reopening the same one writes nothing
                ws.remember_integration(chosen["id"])
        except (DayoneError, sqlite3.Error):
            return  # the app chooses and reads again itself, and reports a problem there
        finally:
            self._chosen.set()
            self._quick_done.set()
            self._done.set()

    def choice(self) -> Row | None:
        """The integration being read, once chosen (does not wait); None before, or if there is none."""
        return self.chosen if self._chosen.is_set() else None

    def ready(self, integration_id: int) -> bool:
        """Whether every part of `integration_id` has been read (does not wait)."""
        return self._done.is_set() and self.integration_id == integration_id and self.slow is not None

    def take_quick(self, integration_id: int) -> dict[str, Any] | None:
        """The quick parts of `integration_id`, once read; None if another integration or nothing was read."""
        self._quick_done.wait()
        quick, self.quick = self.quick, None
        return quick if self.integration_id == integration_id else None

    def take_slow(self, integration_id: int) -> dict[str, Any] | None:
        """The parts that read every column, once read; None if another integration or nothing was read."""
        self._done.wait()
        slow, self.slow = self.slow, None
        return slow if self.integration_id == integration_id else None


def start(db_path: str | os.PathLike[str], author: str | None = None, integration: str | None = None) -> Preload:
    """Open an existing workspace and start reading `integration` (default: the last one opened).

    Raises DayoneError for a file that is not a workspace or an integration that does not exist.
    """
    ws = Workspace.open(db_path, author=author, checklist=None, create=False)
    try:
        if integration:
            ws.integration(integration)
    except DayoneError:
        ws.close()
        raise
    return Preload(ws, integration)
