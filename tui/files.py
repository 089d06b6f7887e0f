"""Writing files so that a reader never sees half of one."""

from __future__ import annotations

import os
import stat
import tempfile
from pathlib import Path

from tui.errors import DayoneError


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current


# Read once, at import: os.umask is process-wide, so it is not touched while worker threads write.
# mkstemp makes files private (0600); written files get the permissions a plain open() would give.
_UMASK = _umask()


def check_target(path: Path) -> None:
    """Refuse a target that is there and is not a regular file: a FIFO, a device, a socket or a symbolic link."""
    try:
        mode = os.lstat(path).st_mode
    except FileNotFoundError:
        return
    except OSError as exc:
        raise DayoneError(f"{path}: cannot write there ({exc.strerror})") from None
    if not stat.S_ISREG(mode):
        kind = (
            "a folder"
            if stat.S_ISDIR(mode)
            else "a symbolic link"
            if stat.S_ISLNK(mode)
            else "a named pipe"
            if stat.S_ISFIFO(mode)
            else "a device"
            if stat.S_ISCHR(mode) or stat.S_ISBLK(mode)
            else "not a regular file"
        )
        raise DayoneError(f"{path}: is {kind}; exports are written only as regular files (choose another path)")


def write_atomic(path: Path, text: str) -> None:
    """Write through a temporary file in the same folder, then rename it into place (never over a special file)."""
    path = Path(path)
    check_target(path)
    if not path.parent.is_dir():
        raise DayoneError(f"{path}: the folder {path.parent} does not exist")
    try:
        handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as exc:
        raise DayoneError(f"{path}: cannot write ({exc.strerror})") from None
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as out:
            out.write(text)
        os.chmod(temporary, 0o666 & ~_UMASK)
        os.replace(temporary, path)
    except OSError as exc:
        Path(temporary).unlink(missing_ok=True)
        raise DayoneError(f"{path}: cannot write ({exc.strerror})") from None


def reserve_beside(path: Path, label: str) -> Path:
    """Create an empty file next to `path` named after it and `label` (`demo.recovered.db`, then
    `demo.recovered-2.db`, ...), one that no other process can have taken at the same moment."""
    for number in range(1, 1000):
        name = f"{path.stem}.{label}{'' if number == 1 else f'-{number}'}{path.suffix}"
        candidate = path.with_name(name)
        try:
            with open(candidate, "x"):
                return candidate
        except FileExistsError:
            continue
    raise DayoneError(f"{path.parent}: no free name for a {label} copy of {path.name}")
