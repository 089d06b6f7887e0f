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
        await until(pilot, lambda: any("replaced" in (n.title or "") for n in app._notifications))
        await settle(pilot)
        await pilot.press("5", "n", *"written after the restore", "enter")
        await settle(pilot)
        assert app.is_running
    assert not (demo / "data" / "demo.recovered.db").exists(), "a file replaced is not a file deleted"
    with Workspace.open(path, author="reader") as ws:
        fresh = ws.integration("Fresh")
        assert [note["integration_id"] for note in ws.rows("note", "text = ?", ("written after the restore",))] == [
            fresh["id"]
        ]


async def test_a_screen_on_a_deleted_file_saves_everything_beside_it_and_goes_on_there(demo):
    path = demo / "data" / "demo.db"
    app = DayoneApp(path, author="tester", today=TODAY)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("5", "n", *"written before the delete", "enter")
        await settle(pilot)
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        await until(pilot, lambda: any("deleted" in (n.title or "") for n in app._notifications))
        recovered = demo / "data" / "demo.recovered.db"
        assert app.workspace.path == recovered
        message = next(str(n.message) for n in app._notifications if "deleted" in (n.title or ""))
        assert f"mv {recovered} {path}" in message
        await settle(pilot)
        await pilot.press("5", "n", *"written after the delete", "enter")
        await settle(pilot)
        assert app.is_running
    assert not path.exists(), "the deleted file is not brought back under its name behind the user's back"
    with Workspace.open(recovered, author="reader") as ws:
        notes = {note["text"] for note in ws.rows("note")}
        assert {"written before the delete", "written after the delete"} <= notes
        assert len(ws.integrations()) >= 4, "the whole workspace, not just the last edits"


def test_a_second_copy_takes_the_next_free_name(tmp_path: Path) -> None:
    from tui.files import reserve_beside

    path = tmp_path / "dayone.db"
    assert reserve_beside(path, "recovered").name == "dayone.recovered.db"
    assert reserve_beside(path, "recovered").name == "dayone.recovered-2.db"
