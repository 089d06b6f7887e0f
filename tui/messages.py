"""Messages the workers post to the app: one small class per workspace event."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual.message import Message


class WorkspaceChanged(Message):
    """Rows changed (here or in another process); `parts` names the panes whose data was reloaded."""

    def __init__(self, integration_id: int, parts: dict[str, Any]) -> None:
        self.integration_id = integration_id
        self.parts = parts
        super().__init__()


class Saved(Message):
    """A change made on this screen was committed as one change-log batch (None when nothing changed)."""

    def __init__(self, description: str, batch: int | None) -> None:
        self.description = description
        self.batch = batch
        super().__init__()


class SaveFailed(Message):
    """A change was refused; `error` is the one-line reason for the user."""

    def __init__(self, description: str, error: str) -> None:
        self.description = description
        self.error = error
        super().__init__()


class Undone(Message):
    """The last change of this session was reverted."""

    def __init__(self, description: str) -> None:
        self.description = description
        super().__init__()


class BackgroundFailed(Message):
    """Work in a background thread failed; `what` says what it was doing, `error` why, in one line."""

    def __init__(self, what: str, error: str) -> None:
        self.what = what
        self.error = error
        super().__init__()


class WorkspaceReplaced(Message):
    """Another program replaced the workspace file, and the app has opened the new one; or it deleted the file
    (`deleted`), and the app has saved what it held to a new file and opened that."""

    def __init__(self, integration_id: int | None, deleted: Path | None = None) -> None:
        self.integration_id = integration_id
        self.deleted = deleted
        super().__init__()


class PeopleHere(Message):
    """Who has the workspace open changed (an app on it started, closed or stopped renewing its presence)."""

    def __init__(self, people: list[str]) -> None:
        self.people = people
        super().__init__()
