"""Shared fixtures: every test gets its own workspace file in a temporary folder."""

from __future__ import annotations

import contextlib
import shutil
import sqlite3
from pathlib import Path

import pytest
from commands import dayone

from tui.checklists import Checklist, load_checklist
from tui.plan import load_plan
from tui.resources import checklists_dir, demo_plan
from tui.store import Workspace

pytest_plugins = ["pg", "mariadb"]  # the fixtures that start PostgreSQL and MariaDB servers


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


@pytest.fixture(scope="session")
def demo_made(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder in which `dayone demo --no-open` has written data/demo.db, made once per run."""
    folder = tmp_path_factory.mktemp("demo")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("HOME", str(folder / "home"))
        patch.setenv("GIT_CONFIG_NOSYSTEM", "1")
        patch.setenv("TZ", "UTC")
        patch.delenv("DAYONE_DB", raising=False)
        made = dayone(folder, "demo", "--no-open")
    assert made.returncode == 0, made.stderr
    return folder


@pytest.fixture
def demo(tmp_path: Path, demo_made: Path) -> Path:
    """A folder in which `dayone demo --no-open` has written data/demo.db (a copy of the one made for the run)."""
    shutil.copytree(demo_made, tmp_path, dirs_exist_ok=True)
    return tmp_path


@pytest.fixture(scope="session")
def demo_loaded(tmp_path_factory: pytest.TempPathFactory, checklist: Checklist) -> Path:
    """A workspace file with the shipped demo plan loaded, made once per run."""
    path = tmp_path_factory.mktemp("demo-workspace") / "workspace.db"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("HOME", str(path.parent / "home"))
        patch.setenv("TZ", "UTC")
        with Workspace.open(path, author="tester", checklist=checklist) as ws:
            plan = demo_plan()
            load_plan(ws, plan.read_text(encoding="utf-8"), str(plan))
    return path


@pytest.fixture
def demo_workspace(workspace: Workspace, demo_loaded: Path) -> Workspace:
    """The shipped demo plan loaded into a fresh workspace: SQLite's backup copies the one loaded for the run."""
    with contextlib.closing(sqlite3.connect(demo_loaded)) as loaded:
        loaded.backup(workspace.conn)
    return workspace
