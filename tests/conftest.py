"""Shared fixtures: every test gets its own workspace file in a temporary folder."""

from __future__ import annotations

from pathlib import Path

import pytest
from commands import dayone

from tui.checklists import Checklist, load_checklist
from tui.plan import load_plan
from tui.resources import checklists_dir, demo_plan
from tui.store import Workspace

pytest_plugins = ["pg"]  # the PostgreSQL server fixture


@pytest.fixture(autouse=True)
def isolated_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No test reads the developer's workspace, identity or git config."""
    monkeypatch.setenv("DAYONE_USER", "tester")
    monkeypatch.delenv("DAYONE_DB", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    monkeypatch.setenv("TZ", "UTC")


@pytest.fixture(scope="session")
def checklist() -> Checklist:
    return load_checklist(checklists_dir())


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "workspace.db"


@pytest.fixture
def workspace(db_path: Path, checklist: Checklist):
    with Workspace.open(db_path, author="tester", checklist=checklist) as ws:
        yield ws


@pytest.fixture
def demo(tmp_path: Path) -> Path:
    """A folder in which `dayone demo --no-open` has written data/demo.db."""
    made = dayone(tmp_path, "demo", "--no-open")
    assert made.returncode == 0, made.stderr
    return tmp_path


@pytest.fixture
def demo_workspace(workspace: Workspace) -> Workspace:
    """The shipped demo plan loaded into a fresh workspace."""
    plan = demo_plan()
    load_plan(workspace, plan.read_text(encoding="utf-8"), str(plan))
    return workspace
