"""`dayone meeting start|end`, `dayone meetings` and the minutes of one meeting, run as a user runs them."""

from __future__ import annotations

import sqlite3
import subprocess
from pathlib import Path

import commands
import pytest


def dayone(cwd: Path, *args: str) -> subprocess.CompletedProcess:
    return commands.dayone(cwd, "--db", "data/demo.db", *args)


def assert_user_error(result: subprocess.CompletedProcess, message: str) -> None:
    assert result.returncode == 2, result
    assert "Traceback" not in result.stderr
    assert result.stderr.strip().splitlines() == [f"dayone: {message}"]


def meetings_table(cwd: Path) -> list[tuple]:
    with sqlite3.connect(cwd / "data" / "demo.db") as db:
        return db.execute(
            "SELECT id, integration_id, title, ended_at IS NOT NULL, attendees, agenda FROM meetings ORDER BY id"
        ).fetchall()


def test_a_meeting_from_start_to_minutes(demo: Path) -> None:
    started = dayone(
        demo,
        "meeting",
        "start",
        "Weekly sync",
        "--attendee",
        "Kenji Watanabe",
        "--attendee",
        "Olu Adeyemi",
        "--agenda",
        "logistics",
        "--integration",
        "Leaf ID",
    )
    assert started.returncode == 0, started.stderr
    assert started.stdout.strip() == "dayone: meeting 1 \u201cWeekly sync\u201d started for Leaf ID"
    assert dayone(demo, "note", "--todo", "send the replica host", "--integration", "Leaf ID").returncode == 0

    listed = dayone(demo, "meetings")
    assert listed.returncode == 0
    assert "running" in listed.stdout and "Weekly sync" in listed.stdout and "(2 changes;" in listed.stdout

    ended = dayone(demo, "meeting", "end", "--integration", "Leaf ID")
    assert ended.returncode == 0, ended.stderr
    assert ended.stdout.startswith("# Minutes: Leaf ID, meeting Weekly sync")
    assert "- [ ] send the replica host (**tester**)" in ended.stdout
    assert "**Attendees**: Kenji Watanabe, Olu Adeyemi" in ended.stdout
    assert meetings_table(demo) == [(1, 1, "Weekly sync", 1, '["Kenji Watanabe", "Olu Adeyemi"]', '["logistics"]')]

    exported = dayone(demo, "export", "--format", "minutes", "--meeting", "1", "-o", "-")
    assert exported.returncode == 0, exported.stderr
    assert exported.stdout == ended.stdout
    written = dayone(demo, "export", "--format", "minutes", "--meeting", "1")
    assert written.returncode == 0, written.stderr
    assert (demo / "exports" / "leaf-id-meeting-1-minutes.md").read_text(encoding="utf-8") == ended.stdout
    assert "running" not in dayone(demo, "meetings", "--integration", "Leaf ID").stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("meeting", "end", "--integration", "Leaf ID"), "meeting end: no meeting is running for Leaf ID"),
        (
            ("meeting", "start", "Sync", "--attendee", "Bob", "--integration", "Leaf ID"),
            "meeting.attendees: 'Bob' is not a stakeholder of this integration",
        ),
        (
            ("meeting", "start", "Sync", "--agenda", "nowhere", "--integration", "Leaf ID"),
            "meeting.agenda: 'nowhere' is not a checklist section or item",
        ),
        (("meeting", "start", "  "), "meeting start: the title is empty"),
        (("meeting",), "meeting: say `start TITLE` or `end` (see dayone meeting --help)"),
        (("export", "--format", "minutes", "--meeting", "7"), "no meeting with id 7"),
        (("export", "--meeting", "1"), "--meeting: only minutes are made per meeting (add --format minutes)"),
    ],
)
def test_mistakes_change_nothing(demo: Path, args: tuple[str, ...], message: str) -> None:
    assert_user_error(dayone(demo, *args), message)
    assert meetings_table(demo) == []


def test_a_second_meeting_is_refused(demo: Path) -> None:
    assert dayone(demo, "meeting", "start", "First", "--integration", "Orders").returncode == 0
    assert_user_error(
        dayone(demo, "meeting", "start", "Second", "--integration", "Orders"),
        "meeting: 'First' is still running (end it first)",
    )
    assert [row[2] for row in meetings_table(demo)] == ["First"]


def test_no_meetings_yet(demo: Path) -> None:
    listed = dayone(demo, "meetings")
    assert listed.returncode == 0 and listed.stdout == "" and listed.stderr == "no meetings yet\n"
