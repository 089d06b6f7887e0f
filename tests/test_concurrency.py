"""Several processes on one file: nothing lost, nothing corrupted."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tui.store import Workspace

pytestmark = pytest.mark.core

WRITER = """
import sys
from tui.store import Workspace
path, name, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
with Workspace.open(path, author=name) as ws:
    iid = ws.integration("Vault")["id"]
    for n in range(count):
        ws.add_note(iid, f"{name} {n}")
        print(n, flush=True)
"""


def _writer(path: Path, name: str, count: int) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-c", WRITER, str(path), name, str(count)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ},
    )


def test_two_processes_writing_at_once_lose_nothing(db_path: Path) -> None:
    with Workspace.open(db_path) as ws:
        ws.add_integration("Vault")
    writers = [_writer(db_path, name, 200) for name in ("ana", "ben")]
    for writer in writers:
        _, err = writer.communicate(timeout=120)
        assert writer.returncode == 0, err
    with Workspace.open(db_path) as ws:
        notes = ws.rows("note")
        for name in ("ana", "ben"):
            assert sorted(int(note["text"].split()[1]) for note in notes if note["author"] == name) == list(range(200))
        assert len(ws.changes()) == 401


def test_a_killed_writer_leaves_every_committed_edit(db_path: Path) -> None:
    with Workspace.open(db_path) as ws:
        ws.add_integration("Vault")
    writer = _writer(db_path, "ana", 100_000)
    confirmed = -1
    deadline = time.monotonic() + 60
    while confirmed < 300 and time.monotonic() < deadline:
        confirmed = int(writer.stdout.readline())
    writer.send_signal(signal.SIGKILL)
    writer.wait()
    conn = sqlite3.connect(db_path)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    written = {row[0] for row in conn.execute("SELECT text FROM notes")}
    assert {f"ana {n}" for n in range(confirmed + 1)} <= written
    assert conn.execute("SELECT count(*) FROM changes WHERE entity = 'note'").fetchone()[0] == len(written)
