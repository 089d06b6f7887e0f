"""The note form shows what a note will be linked to, and the link can be changed or removed before saving."""

from __future__ import annotations

from datetime import date

from pilot import settle
from textual.widgets import Select

from tui.app import DayoneApp
from tui.screens.note_form import NoteForm
from tui.store import Workspace
from tui.widgets.panes import ChecklistTable

TODAY = date(2026, 11, 21)


async def open_note_on_an_item(pilot) -> tuple[NoteForm, int]:
    await settle(pilot)
    await pilot.press("3", "down")  # the first item under the first section
    checklist = pilot.app.query_one(ChecklistTable)
    item_id = int(checklist.selected_key())
    await pilot.press("n")
    await settle(pilot)
    form = pilot.app.screen
    assert isinstance(form, NoteForm)
    return form, item_id


def newest_note(ws: Workspace) -> dict:
    return ws.rows("note", "integration_id = ?", (ws.integration("Leaf ID")["id"],), order_by="id DESC")[0]


async def test_the_form_names_the_item_under_the_cursor_and_saves_the_link(demo_workspace):
    app = DayoneApp(demo_workspace.path, author="tester", integration="Leaf ID", today=TODAY)
    async with app.run_test(size=(120, 35)) as pilot:
        form, item_id = await open_note_on_an_item(pilot)
        link = form.query_one("#note-link", Select)
        item = demo_workspace.get("item", item_id)
        assert link.value == f"item:{item_id}"
        assert str(link.query_one("#label").render()).startswith(f"item {item['key']}:")  # what the select shows
        await pilot.press(*"linked as shown", "enter")
        await settle(pilot)
    note = newest_note(demo_workspace)
    assert (note["text"], note["item_id"], note["table_id"]) == ("linked as shown", item_id, None)


async def test_the_link_can_be_removed(demo_workspace):
    app = DayoneApp(demo_workspace.path, author="tester", integration="Leaf ID", today=TODAY)
    async with app.run_test(size=(120, 35)) as pilot:
        form, _ = await open_note_on_an_item(pilot)
        await pilot.press(*"about nothing in particular", "tab", "tab")
        assert app.focused.id == "note-link"
        await pilot.press("enter", "home", "enter")  # open the list, take its first line: nothing
        await settle(pilot)
        assert form.query_one("#note-link", Select).value == "none"
        await pilot.press("ctrl+s")
        await settle(pilot)
    note = newest_note(demo_workspace)
    assert (note["text"], note["item_id"], note["table_id"], note["metric_id"]) == (
        "about nothing in particular",
        None,
        None,
        None,
    )


async def test_the_link_can_be_changed_to_a_table(demo_workspace):
    table = demo_workspace.rows("table", "integration_id = ?", (demo_workspace.integration("Leaf ID")["id"],))[0]
    app = DayoneApp(demo_workspace.path, author="tester", integration="Leaf ID", today=TODAY)
    async with app.run_test(size=(120, 35)) as pilot:
        form, _ = await open_note_on_an_item(pilot)
        form.query_one("#note-link", Select).value = f"table:{table['id']}"
        await pilot.press(*"about a table after all", "enter")
        await settle(pilot)
    note = newest_note(demo_workspace)
    assert (note["item_id"], note["table_id"]) == (None, table["id"])


async def test_a_todo_takes_an_owner_and_a_due_date_said_as_people_say_it(demo_workspace):
    leaf = demo_workspace.integration("Leaf ID")
    kenji = demo_workspace.stakeholder(leaf["id"], "Kenji Watanabe")
    app = DayoneApp(demo_workspace.path, author="tester", integration="Leaf ID", today=TODAY)
    async with app.run_test(size=(120, 35)) as pilot:
        form, _ = await open_note_on_an_item(pilot)
        todo = form.query_one("#note-todo")
        assert not todo.display, "a plain note has no owner or due date"
        form.query_one("#note-kind", Select).value = "todo"
        await settle(pilot)
        assert todo.display
        form.query_one("#note-owner", Select).value = kenji["id"]
        await pilot.press(*"send the lookup table", "tab", "tab", "tab", "tab")
        assert app.focused.id == "note-due"
        await pilot.press(*"someday", "enter")
        await settle(pilot)
        assert "due: 'someday' is not a date" in str(form.query_one("#note-error").render())
        assert app.screen is form and app.focused.id == "note-due"
        await pilot.press("ctrl+u", *"fri", "enter")
        await settle(pilot)
        assert app.screen is not form
    note = newest_note(demo_workspace)
    assert (note["text"], note["kind"], note["owner"], note["due"]) == (
        "send the lookup table",
        "todo",
        kenji["id"],
        "2026-11-27",  # the Friday after Saturday 2026-11-21
    )
