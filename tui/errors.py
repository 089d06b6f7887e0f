"""Exceptions that carry a message meant for the user, not a traceback."""

from __future__ import annotations

import errno
import os
import shutil
import sqlite3
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


_OS_ADVICE = {
    errno.ENOSPC: "the device is full; free some space and try again",
    errno.EDQUOT: "the disk quota is used up; free some space and try again",
    errno.EROFS: "the file system is read-only; use a writable place",
    errno.EACCES: "permission denied; use a place you can write to",
    errno.EPERM: "not permitted; use a place you can write to",
    errno.EIO: "an input/output error; check the device",
}


def _device_full(path: str | os.PathLike[str]) -> bool:
    try:
        return shutil.disk_usage(os.path.dirname(os.path.abspath(path))).free < 64 * 1024
    except OSError:
        return False


def explain(exc: BaseException, workspace: str | os.PathLike[str]) -> str | None:
    """One line for a failure of the file system, the workspace file or the text encoding, naming the file and
    what to do; None for anything else (a defect, which keeps its traceback)."""
    if isinstance(exc, sqlite3.DatabaseError):
        reason = str(exc)
        if "full" in reason or ("I/O" in reason and _device_full(workspace)):
            return f"{workspace}: the device is full; free some space and try again ({reason})"
        if "readonly" in reason or "read-only" in reason:
            return f"{workspace}: the workspace cannot be written ({reason}); check its permissions"
        if "locked" in reason or "busy" in reason:
            return f"{workspace}: another process holds the workspace ({reason}); try again"
        if "malformed" in reason or "not a database" in reason or "corrupt" in reason:
            return f"{workspace}: the workspace file is damaged ({reason}); restore it from a backup"
        return f"{workspace}: the workspace cannot be used ({type(exc).__name__}: {reason})"
    if isinstance(exc, OSError):
        where = exc.filename if exc.filename is not None else workspace
        advice = _OS_ADVICE.get(exc.errno or 0) or (exc.strerror or str(exc))
        return f"{os.fsdecode(where)}: {advice}"
    if isinstance(exc, UnicodeError):
        return f"{workspace}: text that is not valid UTF-8 ({getattr(exc, 'reason', exc)})"
    return None
