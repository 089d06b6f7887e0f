"""Who is making an edit: `--as NAME`, else $DAYONE_USER, else git's user.name, else the login."""

from __future__ import annotations

import getpass
import os
import subprocess


def resolve_author(explicit: str | None = None) -> str:
    if explicit and explicit.strip():
        return explicit.strip()
    env = os.environ.get("DAYONE_USER", "").strip()
    if env:
        return env
    try:
        git = subprocess.run(
            ["git", "config", "user.name"], capture_output=True, text=True, timeout=2, check=False
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        git = ""
    if git:
        return git
    try:
        return getpass.getuser()
    except (OSError, KeyError):
        return "unknown"
