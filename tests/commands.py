"""Running `dayone` as a user runs it: a real process, in a folder of its own, as the user "tester"."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


def dayone(cwd: Path, *args: str, stdin: str | None = None, timeout: float = 60) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "tui", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        input=stdin,
        env={**os.environ, "DAYONE_USER": "tester"},
        timeout=timeout,
    )
