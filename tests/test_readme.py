"""The README stays true: its key tables come from tui/keys.py, and every command is documented."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tui.cli import build_parser

ROOT = Path(__file__).resolve().parent.parent


def test_the_key_tables_match_the_bindings() -> None:
    result = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "readme_keys.py"), "--check"], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr


def test_every_command_is_in_the_readme() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    parser = build_parser()
    commands = next(action for action in parser._actions if action.dest == "command").choices
    for name in commands:
        assert f"`dayone {name}" in readme, name
