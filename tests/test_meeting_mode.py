"""Meeting mode on the planning screen: started and ended by keys, its clock in the header, minutes when it ends."""

from __future__ import annotations

import re
import time
from datetime import UTC
from pathlib import Path

import pytest
from pilot import settle, until

from tui.app import DayoneApp
from tui.commands import main_commands
from tui.meetings import end_meeting, start_meeting
from tui.screens.main import MainScreen
from tui.screens.meeting import ChangesSinceMeeting, EndMeeting, MinutesScreen, StartMeeting
from tui.screens.review import ReviewScreen
from tui.store import Workspace
from tui.widgets.meeting_clock import MeetingClock, elapsed

SIZE = (160, 45)


def clock_text(app: DayoneApp) -> str:
    main = next(screen for screen in app.screen_stack if isinstance(screen, MainScreen))
    clock = main.query_one(MeetingClock)
    return str(clock.render()) if clock.display else ""


@pytest.fixture
def leaf(demo_workspace: Workspace) -> dict:
    found = demo_workspace.integration("Leaf ID")
    demo_workspace.remember_integration(found["id"])
    return found


def test_elapsed_counts_minutes_and_seconds() -> None:
    from datetime import datetime

    now = datetime(2026, 11, 21, 11, 15, 7, tzinfo=UTC)
    assert elapsed("2026-11-21T10:00:00+00:00", now) == "75:07"
    assert elapsed("2026-11-21T11:15:07+00:00", now) == "00:00"
    assert elapsed("2026-11-21T11:16:00+00:00", now) == "00:00"


async def test_a_meeting_started_and_ended_by_keys(
    demo_workspace: Workspace, leaf: dict, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    app = DayoneApp(demo_workspace.path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert clock_text(app) == ""
        await pilot.press("m")
        assert isinstance(app.screen, StartMeeting)
        await pilot.press(*"Weekly sync")
        await pilot.press("tab", "space", "tab", "space", "ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ChangesSinceMeeting)
        await pilot.press("escape")
        await until(pilot, lambda: "Weekly sync" in clock_text(app))

        started = demo_workspace.rows("meeting")
        assert [(row["title"], row["attendees"], row["agenda"], row["ended_at"]) for row in started] == [
            ("Weekly sync", ["Kenji Watanabe"], ["logistics"], None)
        ]
        first = clock_text(app)
        assert re.search(r"\b00:0\d$", first), first
        await until(pilot, lambda: clock_text(app) != first)

        await pilot.press("n", *"ask for the replica host", "enter")
        await settle(pilot)
        await pilot.press("m")
        assert isinstance(app.screen, EndMeeting)
        await pilot.press("y")
        await until(pilot, lambda: isinstance(app.screen, MinutesScreen))
        await until(pilot, lambda: clock_text(app) == "")
        await pilot.press("w")
        await settle(pilot)
        await pilot.press("escape")
        assert not isinstance(app.screen, MinutesScreen)

    meeting = demo_workspace.get("meeting", started[0]["id"])
    assert meeting["ended_at"] is not None
    notes = demo_workspace.rows("note", "meeting_id = ?", (meeting["id"],), order_by="id")
    assert notes[0]["text"] == "ask for the replica host"
    minutes = notes[-1]["text"]
    assert minutes.startswith("# Minutes: Leaf ID, meeting Weekly sync")
    assert "**Attendees**: Kenji Watanabe" in minutes
    assert "ask for the replica host" not in minutes.split("## To-dos")[0]
    saved = tmp_path / "exports" / f"leaf-id-meeting-{meeting['id']}-minutes.md"
    assert saved.read_text(encoding="utf-8") == minutes


async def test_escape_starts_nothing_and_no_meeting_means_nothing_to_end(demo_workspace: Workspace, leaf: dict) -> None:
    app = DayoneApp(demo_workspace.path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("m", "escape")
        await settle(pilot)
        assert demo_workspace.rows("meeting") == []
        titles = [title for title, _, _ in main_commands(app)]
        assert "Start meeting" in titles and "End meeting" not in titles
        assert "Changes since last meeting" in titles


async def test_a_meeting_started_elsewhere_shows_and_ends_here(demo_workspace: Workspace, leaf: dict) -> None:
    app = DayoneApp(demo_workspace.path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        with Workspace.open(demo_workspace.path, author="olu", create=False) as other:
            running = start_meeting(other, leaf["id"], "Started in a browser tab")
        await until(pilot, lambda: "Started in a browser tab" in clock_text(app))
        assert "End meeting" in [title for title, _, _ in main_commands(app)]
        await pilot.press("r")
        await settle(pilot)
        assert isinstance(app.screen, ReviewScreen)
        assert "Started in a browser tab" in str(app.screen.query_one(MeetingClock).render())
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("m")
        assert isinstance(app.screen, EndMeeting)
        await pilot.press("n")
        assert demo_workspace.get("meeting", running["id"])["ended_at"] is None
        with Workspace.open(demo_workspace.path, author="olu", create=False) as other:
            end_meeting(other, running["id"])
        await until(pilot, lambda: clock_text(app) == "")


async def test_changes_since_the_last_meeting_follow_live_edits(demo_workspace: Workspace, leaf: dict) -> None:
    meeting = start_meeting(demo_workspace, leaf["id"], "Weekly sync")
    end_meeting(demo_workspace, meeting["id"])
    app = DayoneApp(demo_workspace.path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("c")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ChangesSinceMeeting)
        table = screen.query_one("#changes")
        assert str(table.get_row_at(0)[0]) == "nothing has changed"
        with Workspace.open(demo_workspace.path, author="olu", create=False) as other:
            kenji = other.stakeholder(leaf["id"], "Kenji Watanabe")
            other.update("stakeholder", kenji["id"], {"role": "data engineer"})

        def rows() -> list[list[str]]:
            return [[str(cell) for cell in table.get_row_at(index)] for index in range(table.row_count)]

        await until(pilot, lambda: len(rows()) == 2)
        assert rows()[0][0] == "Stakeholders"
        assert [rows()[1][index] for index in (0, 1, 2, 3, 5, 6)] == [
            "Kenji Watanabe",
            "role",
            "",  # a stakeholder is not part of the contract: no impact on consumers
            "olu",
            "engineering lead",
            "data engineer",
        ]
        with Workspace.open(demo_workspace.path, author="olu", create=False) as other:
            table_row = other.rows("table", "integration_id = ?", (leaf["id"],))[0]
            column = other.rows("column", "table_id = ? AND nullable = 0", (table_row["id"],))[0]
            other.update("column", column["id"], {"nullable": True})
        await until(pilot, lambda: any(row[1] == "nullable" for row in rows()))
        changed = next(row for row in rows() if row[1] == "nullable")
        assert changed[2] == "breaking: nullability relaxed"


def test_snapshot_changes_since_the_last_meeting(
    demo_workspace: Workspace, leaf: dict, snap_compare, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DAYONE_TODAY", "2026-11-21")
    time.tzset()
    ws = demo_workspace
    meeting = start_meeting(ws, leaf["id"], "Weekly sync", ["Kenji Watanabe", "Noor Haddad"], ["logistics"])
    end_meeting(ws, meeting["id"])
    with Workspace.open(ws.path, author="olu", create=False) as other:
        items = {row["key"]: row for row in other.rows("item", "integration_id = ?", (leaf["id"],))}
        running_notes = items["logistics.running_notes"]
        other.update(
            "item",
            running_notes["id"],
            {
                "status": "agreed",
                "answer": "One shared page per integration",
                "owner": other.stakeholder(leaf["id"], "Noor Haddad")["id"],
            },
        )
        other.add_note(leaf["id"], "Replica host name arrives on Monday", kind="todo")
        kenji = other.stakeholder(leaf["id"], "Kenji Watanabe")
        other.update("stakeholder", kenji["id"], {"contact": "kenji@greenhollow.example"})
        other.delete("metric", other.rows("metric", "integration_id = ?", (leaf["id"],))[-1]["id"])
    ws.conn.execute("UPDATE changes SET at = '2026-11-20T15:04:00+00:00'")
    ws.conn.execute("UPDATE changes SET at = '2026-11-21T09:12:00+00:00' WHERE author = 'olu'")
    ws.conn.execute(
        "UPDATE meetings SET started_at = '2026-11-20T15:00:00+00:00', ended_at = '2026-11-20T15:45:00+00:00'"
    )
    ws.conn.execute("UPDATE notes SET at = '2026-11-21T09:12:00+00:00' WHERE author = 'olu'")

    async def run_before(pilot) -> None:
        await settle(pilot)
        await pilot.press("c")
        await settle(pilot)
        assert isinstance(pilot.app.screen, ChangesSinceMeeting)

    assert snap_compare(DayoneApp(ws.path), terminal_size=(120, 30), run_before=run_before)


async def test_changed_credentials_are_masked_while_sharing(demo_workspace: Workspace, leaf: dict) -> None:
    meeting = start_meeting(demo_workspace, leaf["id"], "Weekly sync")
    end_meeting(demo_workspace, meeting["id"])
    secret = "postgresql://reader:Sup3rSecretPassw0rd@replica.internal.example:5432/identity_production_replica"
    item = demo_workspace.rows("item", "integration_id = ? AND key = 'logistics.running_notes'", (leaf["id"],))[0]
    demo_workspace.update("item", item["id"], {"answer": secret})
    app = DayoneApp(demo_workspace.path, share=True)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("c")
        await settle(pilot)
        table = app.screen.query_one("#changes")
        cells = " ".join(str(cell) for index in range(table.row_count) for cell in table.get_row_at(index))
        assert "answer" in cells
        assert "Sup3rSecret" not in cells and "Sup3" not in cells
