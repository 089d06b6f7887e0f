"""Another program puts a new file where the workspace was: the screen notices, says so and writes to the new one."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from pilot import settle, until

from tui.app import DayoneApp
from tui.store import Workspace

TODAY = date(2026, 11, 21)


def replace_file(path: Path) -> None:
    """What a restore from a copy does: the old file and its journal go, a new file takes the name."""
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    with Workspace.open(path, author="restore") as fresh:
        fresh.add_integration("Fresh")


async def test_a_screen_on_a_replaced_file_reopens_it_and_writes_to_the_new_one(demo):
    path = demo / "data" / "demo.db"
    app = DayoneApp(path, author="tester", today=TODAY)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        replace_file(path)
        await until(pilot, lambda: any("replaced" in (n.title or "") for n in app._notifications), timeout=10)
        await settle(pilot)
        await pilot.press("5", "n", *"written after the restore", "enter")
        await settle(pilot)
        assert app.is_running
    with Workspace.open(path, author="reader") as ws:
        fresh = ws.integration("Fresh")
        assert [note["integration_id"] for note in ws.rows("note", "text = ?", ("written after the restore",))] == [
            fresh["id"]
        ]
