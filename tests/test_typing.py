"""Typing is sacred: every key typed into a form lands, in order, however fast it comes and however slow
the form is to open; Home and End work on the typed line; a paste keeps all of its text."""

from __future__ import annotations

import threading
import time
from contextlib import contextmanager
from datetime import date

import pytest
from pilot import burst, paste, settle, type_slowly, until

from tui.app import DayoneApp
from tui.screens.forms import EditScreen
from tui.screens.note_form import NoteForm
from tui.screens.review import ReviewScreen
from tui.store import Workspace

TODAY = date(2026, 11, 21)
ANSWER = (
    "log-based replication from the primary database, streamed continuously into the warehouse every few"
    " minutes, with a nightly full comparison of row counts per table"
)


@pytest.fixture
def answered(demo_workspace: Workspace) -> Workspace:
    """Every item of Leaf ID carries a long answer, long enough to wrap in the answer field."""
    iid = demo_workspace.integration("Leaf ID")["id"]
    for item in demo_workspace.rows("item", "integration_id = ?", (iid,)):
        demo_workspace.update("item", item["id"], {"answer": ANSWER})
    return demo_workspace


@contextmanager
def connection_busy(app: DayoneApp, seconds: float):
    """The app's connection held by other work (a sync after another process wrote, a save) for a while."""
    taken = threading.Event()

    def hold() -> None:
        with app.workspace._lock:
            taken.set()
            time.sleep(seconds)

    worker = threading.Thread(target=hold)
    worker.start()
    taken.wait()
    try:
        yield
    finally:
        worker.join()


async def open_review(pilot) -> ReviewScreen:
    await settle(pilot)
    await pilot.press("r")
    await settle(pilot)
    assert isinstance(pilot.app.screen, ReviewScreen)
    return pilot.app.screen


def answer_of(ws: Workspace, item_id: int) -> str:
    return ws.get("item", item_id)["answer"]


@pytest.mark.parametrize("speed", ["person", "burst"])
async def test_an_answer_typed_right_after_e_lands_whole_while_the_form_is_still_loading(answered, speed):
    app = DayoneApp(answered.path, author="tester", integration="Leaf ID", today=TODAY)
    keys = ("end", *", FAST", "home", *"Now: ")
    async with app.run_test(size=(100, 30)) as pilot:
        review = await open_review(pilot)
        item = review.current
        with connection_busy(app, 1.0):
            await pilot.press("e")
            if speed == "burst":
                await burst(pilot, *keys)
            else:
                await type_slowly(pilot, *keys)
        await until(pilot, lambda: isinstance(app.screen, EditScreen) and app.screen.is_ready)
        await settle(pilot)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is review
    assert answer_of(answered, item["id"]) == "Now: " + ANSWER + ", FAST"


async def test_e_then_a_burst_of_keys_at_once_loses_none(answered):
    app = DayoneApp(answered.path, author="tester", integration="Leaf ID", today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        review = await open_review(pilot)
        item = review.current
        await burst(pilot, "e", *" (checked weekly)", "ctrl+s")
        await settle(pilot)
        assert app.screen is review
    assert answer_of(answered, item["id"]) == ANSWER + " (checked weekly)"


async def test_home_and_end_go_to_the_ends_of_the_typed_line_not_the_wrapped_screen_line(answered):
    app = DayoneApp(answered.path, author="tester", integration="Leaf ID", today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        review = await open_review(pilot)
        item = review.current
        await pilot.press("e")
        await settle(pilot)
        area = app.focused
        assert area.wrapped_document.height > 1  # the answer wraps at this width
        await pilot.press("home", "A", "end", "Z", "ctrl+s")
        await settle(pilot)
    assert answer_of(answered, item["id"]) == "A" + ANSWER + "Z"


async def test_a_paste_with_tabs_and_line_breaks_lands_in_the_answer_as_it_was(answered):
    app = DayoneApp(answered.path, author="tester", integration="Leaf ID", today=TODAY)
    pasted = "\nschedule:\tevery 5 min\nowner:\tdata platform"
    async with app.run_test(size=(100, 30)) as pilot:
        review = await open_review(pilot)
        item = review.current
        await pilot.press("e")
        await settle(pilot)
        await paste(pilot, pasted)
        await pilot.press("ctrl+s")
        await settle(pilot)
    assert answer_of(answered, item["id"]) == ANSWER + pasted


async def test_a_note_typed_as_a_burst_right_after_n_keeps_every_key(demo_workspace):
    app = DayoneApp(demo_workspace.path, author="tester", integration="Leaf ID", today=TODAY)
    text = "Replica host: ask Kenji, by Friday"
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await burst(pilot, "5", "n", *text, "enter")
        await settle(pilot)
        assert not isinstance(app.screen, NoteForm)
    iid = demo_workspace.integration("Leaf ID")["id"]
    newest = demo_workspace.rows("note", "integration_id = ?", (iid,), order_by="id DESC")[0]
    assert newest["text"] == text


async def test_a_pasted_note_keeps_all_its_lines_in_one_line(demo_workspace):
    app = DayoneApp(demo_workspace.path, author="tester", integration="Leaf ID", today=TODAY)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("5", "n")
        await settle(pilot)
        await paste(pilot, "first line\nsecond\tline")
        await pilot.press("enter")
        await settle(pilot)
    iid = demo_workspace.integration("Leaf ID")["id"]
    newest = demo_workspace.rows("note", "integration_id = ?", (iid,), order_by="id DESC")[0]
    assert newest["text"] == "first line second line"


async def test_tab_between_fields_in_one_burst_acts_in_the_order_typed(demo_workspace):
    app = DayoneApp(demo_workspace.path, author="tester", integration="Leaf ID", today=TODAY)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await burst(pilot, "4", "a", *"billing", "tab", *"invoices", "ctrl+s")
        await settle(pilot)
        assert not isinstance(app.screen, EditScreen)
    iid = demo_workspace.integration("Leaf ID")["id"]
    made = demo_workspace.rows("table", "integration_id = ? AND name = ?", (iid, "invoices"))
    assert [row["schema"] for row in made] == ["billing"]
