"""Who is here: presence rows in the workspace, written by several processes at once, expiring, never logged."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tui.presence import EXPIRY_SECONDS, announce, leave, new_session, people_here
from tui.store import Workspace

pytestmark = pytest.mark.core

HEARTBEATS = """
import sys
from tui.presence import announce, leave, new_session
from tui.store import Workspace
path, name, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
with Workspace.open(path, author=name) as ws:
    sessions = [new_session() for _ in range(count)]
    for session in sessions:
        announce(ws, session, name)
    for session in sessions[::2]:
        leave(ws, session)
"""


def test_people_come_in_order_each_once_and_leave(db_path: Path) -> None:
    with Workspace.open(db_path) as first, Workspace.open(db_path) as second:
        noor, kenji, noor_again = new_session(), new_session(), new_session()
        announce(first, noor, "Noor", now=100)
        announce(second, kenji, "Kenji", now=101)
        announce(second, noor_again, "Noor", now=102)  # a second tab of the same person
        assert people_here(first, now=103) == people_here(second, now=103) == ["Noor", "Kenji"]
        leave(first, noor)  # Noor is still here in the tab that came after Kenji
        assert people_here(second, now=103) == ["Kenji", "Noor"]
        leave(second, noor_again)
        assert people_here(first, now=103) == ["Kenji"]
        assert first.changes() == [] and first.query("SELECT count(*) FROM changes")[0][0] == 0


def test_a_row_not_renewed_in_time_no_longer_counts_and_is_cleared(db_path: Path) -> None:
    with Workspace.open(db_path) as ws:
        gone, staying = new_session(), new_session()
        announce(ws, gone, "Olu", now=100)
        announce(ws, staying, "Kenji", now=100)
        announce(ws, staying, "Kenji", now=100 + EXPIRY_SECONDS)  # renewed; Olu's app died without leaving
        assert people_here(ws, now=100 + EXPIRY_SECONDS + 1) == ["Kenji"]
        announce(ws, staying, "Kenji", now=100 + EXPIRY_SECONDS + 2)
        assert [row[0] for row in ws.query("SELECT name FROM presence")] == ["Kenji"]


def test_names_are_kept_as_given(db_path: Path) -> None:
    name = "[@click=app.quit]x[/] \x1b[2J password=hunter2x"
    with Workspace.open(db_path) as ws:
        announce(ws, new_session(), name)
        assert people_here(ws) == [name]


def test_two_processes_announcing_at_once_lose_nothing(db_path: Path) -> None:
    Workspace.open(db_path).close()
    writers = [
        subprocess.Popen(
            [sys.executable, "-c", HEARTBEATS, str(db_path), name, "200"],
            stderr=subprocess.PIPE,
            text=True,
            env={**os.environ},
        )
        for name in ("ana", "ben")
    ]
    for writer in writers:
        _, errors = writer.communicate(timeout=120)
        assert writer.returncode == 0, errors
    with Workspace.open(db_path) as ws:
        counts = dict(ws.query("SELECT name, count(*) FROM presence GROUP BY name"))
        assert counts == {"ana": 100, "ben": 100}
        assert people_here(ws) == ["ana", "ben"] or people_here(ws) == ["ben", "ana"]
