"""Exceptions that carry a message meant for the user, not a traceback."""

from __future__ import annotations

from typing import Any


class DayoneError(Exception):
    """A user-facing error: its message is one line naming what was wrong and where."""


class WorkspaceError(DayoneError):
    """The workspace file cannot be opened or written."""


class ValidationError(DayoneError):
    """A value does not fit its field; `where` names the field or document path."""

    def __init__(self, where: str, problem: str) -> None:
        self.where = where
        self.problem = problem
        super().__init__(f"{where}: {problem}")


class NotFound(DayoneError):
    """A named integration, stakeholder, item or row does not exist."""


class ConflictError(DayoneError):
    """Someone else changed the row since it was read.

    `yours` holds the values the caller tried to write, `theirs` the row as it
    is now, so a screen can show both and let the user choose.
    """

    def __init__(self, entity: str, row_id: int, expected: int, theirs: dict[str, Any], yours: dict[str, Any]) -> None:
        self.entity = entity
        self.row_id = row_id
        self.expected = expected
        self.theirs = theirs
        self.yours = yours
        fields = ", ".join(sorted(yours))
        super().__init__(
            f"{entity} {row_id} was changed elsewhere since you read it "
            f"(now version {theirs.get('version')}, you edited version {expected}): {fields}"
        )


class UndoConflict(DayoneError):
    """An undo would revert what someone else changed since; the message says who changed what."""
