"""Typed text is never thrown away unasked, and a form closes only once its save is confirmed."""

from __future__ import annotations

import sqlite3
from datetime import date

from pilot import settle
from textual.widgets import Input, Static

from tui.app import DayoneApp
from tui.screens.form_screen import DiscardChanges
from tui.screens.forms import EditScreen
from tui.screens.note_form import NoteForm
from tui.store import Workspace

TODAY = date(2026, 11, 21)


def make_app(ws: Workspace) -> DayoneApp:
    return DayoneApp(ws.path, author="tester", integration="Leaf ID", today=TODAY)


def notes_saying(ws: Workspace, text: str) -> list[dict]:
    return ws.rows("note", "text = ?", (text,))


def status_of(form) -> str:
    return str(form.query_one(".form-status", Static).render())


async def write_note(pilot, text: str) -> NoteForm:
    await settle(pilot)
    await pilot.press("5", "n")
    await settle(pilot)
    await pilot.press(*text)
    form = pilot.app.screen
    assert isinstance(form, NoteForm)
    return form


async def test_escape_on_a_note_with_text_asks_and_no_keeps_the_text(demo_workspace):
    app = make_app(demo_workspace)
    async with app.run_test(size=(100, 30)) as pilot:
        form = await write_note(pilot, "keep me")
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, DiscardChanges)
        await pilot.press("n")
        await settle(pilot)
        assert app.screen is form
        assert form.query_one("#note-text", Input).value == "keep me"
        await pilot.press("escape", "y")
        await settle(pilot)
        assert not isinstance(app.screen, (NoteForm, DiscardChanges))
    assert notes_saying(demo_workspace, "keep me") == []


async def test_escape_on_an_empty_note_closes_at_once(demo_workspace):
    app = make_app(demo_workspace)
    async with app.run_test(size=(100, 30)) as pilot:
        await write_note(pilot, "")
        await pilot.press("escape")
        await settle(pilot)
        assert not isinstance(app.screen, (NoteForm, DiscardChanges))


async def test_ctrl_q_over_a_note_being_written_asks_before_quitting(demo_workspace):
    app = make_app(demo_workspace)
    async with app.run_test(size=(100, 30)) as pilot:
        form = await write_note(pilot, "almost lost")
        await pilot.press("ctrl+q")
        await settle(pilot)
        assert isinstance(app.screen, DiscardChanges)
        assert "the note you are writing" in str(app.screen.query_one("#discard-question", Static).render())
        await pilot.press("n")
        await settle(pilot)
        assert app.is_running and app.screen is form
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("ctrl+q")
        await settle(pilot)
        assert not app.is_running  # nothing unsaved: quits at once
    assert len(notes_saying(demo_workspace, "almost lost")) == 1


async def test_ctrl_q_then_y_quits_without_saving(demo_workspace):
    app = make_app(demo_workspace)
    async with app.run_test(size=(100, 30)) as pilot:
        await write_note(pilot, "thrown away")
        await pilot.press("ctrl+q", "y")
        await settle(pilot)
        assert not app.is_running
    assert notes_saying(demo_workspace, "thrown away") == []


async def test_an_edit_form_with_a_change_asks_and_without_one_closes(demo_workspace):
    person = demo_workspace.stakeholder(demo_workspace.integration("Leaf ID")["id"], "Kenji Watanabe")
    app = make_app(demo_workspace)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        app.edit("stakeholder", person["id"])
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
        assert not isinstance(app.screen, (EditScreen, DiscardChanges))
        app.edit("stakeholder", person["id"])
        await settle(pilot)
        await pilot.press("end", *" Jr")
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, DiscardChanges)
        await pilot.press("escape")  # back to the form
        await settle(pilot)
        assert isinstance(app.screen, EditScreen)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert not isinstance(app.screen, EditScreen)
    assert demo_workspace.get("stakeholder", person["id"])["name"] == "Kenji Watanabe Jr"


async def test_a_note_saved_while_another_process_holds_the_write_lock_stays_in_the_form_and_retries(demo_workspace):
    app = make_app(demo_workspace)
    async with app.run_test(size=(100, 30)) as pilot:
        form = await write_note(pilot, "said during the import")
        app.workspace.conn.execute("PRAGMA busy_timeout = 300")  # give up sooner than 30 s, to keep the test short
        other = sqlite3.connect(demo_workspace.path, isolation_level=None)
        other.execute("BEGIN IMMEDIATE")  # a long import in another process
        other.execute("UPDATE settings SET value = value")
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is form
        assert "database is locked" in status_of(form)
        assert form.query_one("#note-text", Input).value == "said during the import"
        other.execute("COMMIT")
        other.close()
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is not form
    assert len(notes_saying(demo_workspace, "said during the import")) == 1


async def test_a_note_saved_on_a_full_disk_stays_in_the_form_and_retries(demo_workspace):
    app = make_app(demo_workspace)
    long_text = "the whole discussion, " * 200
    async with app.run_test(size=(100, 30)) as pilot:
        form = await write_note(pilot, "")
        form.query_one("#note-text", Input).value = long_text
        pages = app.workspace.conn.execute("PRAGMA page_count").fetchone()[0]
        app.workspace.conn.execute(f"PRAGMA max_page_count = {pages}")  # the file may grow no more: a full disk
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is form
        assert "full" in status_of(form)
        app.workspace.conn.execute(f"PRAGMA max_page_count = {pages * 10}")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is not form
        assert app.is_running
    assert len(notes_saying(demo_workspace, long_text.strip())) == 1


async def test_closing_the_import_dialog_with_a_typed_source_asks_first(demo_workspace):
    from tui.screens.import_schema import ImportSchemaScreen

    app = make_app(demo_workspace)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("4", "I")
        await settle(pilot)
        assert isinstance(app.screen, ImportSchemaScreen)
        await pilot.press(*"schema/orders.sql", "escape")
        await settle(pilot)
        assert isinstance(app.screen, DiscardChanges)
        await pilot.press("n")
        await settle(pilot)
        assert isinstance(app.screen, ImportSchemaScreen)
        assert app.screen.query_one("#import-path", Input).value == "schema/orders.sql"
