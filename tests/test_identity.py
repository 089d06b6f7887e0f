"""Who an edit is attributed to."""

from __future__ import annotations

import getpass
import subprocess
from pathlib import Path

import pytest

from tui.identity import resolve_author

pytestmark = pytest.mark.core


def test_explicit_name_wins(monkeypatch: pytest.MonkeyPatch) -> None:
    assert resolve_author("Dana") == "Dana"


def test_environment_comes_next() -> None:
    assert resolve_author(None) == "tester"


def test_then_git_then_the_login(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("DAYONE_USER")
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    monkeypatch.chdir(tmp_path)
    assert resolve_author(None) == getpass.getuser()
    subprocess.run(["git", "config", "--global", "user.name", "Git Person"], check=True)
    assert resolve_author(None) == "Git Person"
