"""Who is making an edit: `--as NAME`, else $DAYONE_USER, else git's user.name, else the login; and what a name given
by a person may be."""

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


NAME_LIMIT = 80


def person_name(text: str) -> str:
    """A name a person gave (in a browser, say), as it signs their edits: one line, 1 to 80 characters.

    Kept as typed otherwise, like any text from people: screens show it through the untrusted-text layer.
    """
    name = " ".join(text.split())
    if not name:
        raise ValueError("A name is needed: yours, as the others know you.")
    if len(name) > NAME_LIMIT:
        raise ValueError(f"A name has at most {NAME_LIMIT} characters.")
    if "\0" in name:
        raise ValueError("A name cannot hold a NUL character.")
    return name
