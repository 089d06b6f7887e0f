"""Notes written by another process never move the cursor out of sight, and keys act only on a row in view."""

from __future__ import annotations

from datetime import date

from pilot import settle, until

from tui.app import DayoneApp
from tui.store import Workspace
from tui.widgets.panes import NotesTable

TODAY = date(2026, 11, 21)


async def test_notes_from_another_process_keep_the_highlighted_note_in_view(demo_workspace):
    ws = demo_workspace
    iid = ws.integration("Leaf ID")["id"]
    ws.add_note(iid, "the todo under the cursor", kind="todo")
    app = DayoneApp(ws.path, author="tester", integration="Leaf ID", today=TODAY)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("5")
        notes = app.query_one(NotesTable)
        chosen = notes.selected_key()
        assert notes.data[0]["text"] == "the todo under the cursor" and chosen == str(notes.data[0]["id"])
        before = notes.row_count
        with Workspace.open(ws.path, author="shell") as shell:  # `dayone note`, five times, from another shell
            for number in range(notes.size.height + 5):
                shell.add_note(iid, f"from the shell {number}")
        await until(pilot, lambda: notes.row_count > before)
        await settle(pilot)
        assert notes.selected_key() == chosen
        assert notes.cursor_in_view()
        await pilot.press("space")  # ticks off the todo that is highlighted on screen
        await settle(pilot)
    todo = ws.rows("note", "text = ?", ("the todo under the cursor",))[0]
    assert todo["done"]
    assert not any(note["done"] for note in ws.rows("note", "text LIKE 'from the shell%'"))


async def test_keys_do_nothing_when_the_highlighted_row_is_scrolled_out_of_view(demo_workspace):
    ws = demo_workspace
    iid = ws.integration("Leaf ID")["id"]
    for number in range(40):
        ws.add_note(iid, f"todo {number}", kind="todo")
    app = DayoneApp(ws.path, author="tester", integration="Leaf ID", today=TODAY)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("5")
        notes = app.query_one(NotesTable)
        notes.scroll_to(y=20, animate=False, immediate=True)  # the mouse wheel scrolls the view, not the cursor
        await settle(pilot)
        assert not notes.cursor_in_view()
        await pilot.press("space", "p", "d")
        await settle(pilot)
        assert app.screen is app.screen_stack[0]  # no delete question about an unseen note
    assert not any(note["done"] or note["private"] for note in ws.rows("note", "text LIKE 'todo %'"))
