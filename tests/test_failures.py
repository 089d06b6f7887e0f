"""A failure in background work is a notification and a log line, never the end of the app."""

from __future__ import annotations

from datetime import date

from pilot import settle, until

from tui.app import DayoneApp
from tui.store import Workspace

TODAY = date(2026, 11, 21)


async def test_a_database_error_in_a_worker_is_told_and_logged_and_the_app_goes_on(demo_workspace):
    ws = demo_workspace
    iid = ws.integration("Leaf ID")["id"]
    app = DayoneApp(ws.path, author="tester", integration="Leaf ID", today=TODAY)
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        # Another process writes a note, then the notes table goes away under the screen: reloading it fails.
        with Workspace.open(ws.path, author="other") as other:
            other.add_note(iid, "written from a shell")
            other.conn.execute("ALTER TABLE notes RENAME TO notes_elsewhere")
        await until(pilot, lambda: any("Could not" in (n.title or "") for n in app._notifications))
        notice = next(n for n in app._notifications if "Could not" in (n.title or ""))
        assert "OperationalError" in notice.message and "notes" in notice.message
        assert app.is_running
        await pilot.press("3", "j", "k")  # the screen still answers keys
        assert app.is_running
    assert app.return_code in (None, 0)
    logged = ws.path.with_suffix(".log").read_text(encoding="utf-8")
    assert "could not look for changes made elsewhere" in logged
    assert "sqlite3.OperationalError" in logged
