"""Checklist review mode driven by its single keys, checked against the workspace file afterwards."""

from __future__ import annotations

from datetime import date

import pytest
from pilot import pin_times, settle, settle_for_snapshot, until
from textual.widgets import Static

from tui.app import DayoneApp
from tui.enums import ItemStatus
from tui.screens.forms import EditScreen
from tui.screens.note_form import NoteForm
from tui.screens.review import OwnerPicker, ReviewScreen, due_text, first_unsettled, position_key
from tui.secrets import MASK
from tui.store import Workspace

TODAY = date(2026, 11, 21)


def items(ws: Workspace, name: str = "Leaf ID") -> list[dict]:
    return ws.rows("item", "integration_id = ?", (ws.integration(name)["id"],), order_by="position, id")


def text_of(screen, selector: str) -> str:
    return str(screen.query_one(selector, Static).render())


async def open_review(pilot) -> ReviewScreen:
    await settle(pilot)
    await pilot.press("r")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, ReviewScreen)
    return screen


@pytest.fixture
def app(demo_workspace: Workspace) -> DayoneApp:
    return DayoneApp(demo_workspace.path, author="tester", integration="Leaf ID", today=TODAY)


def test_first_unsettled_wraps_around_and_skips_settled_items():
    rows = [{"status": status} for status in ("agreed", "open", "not applicable", "blocked")]
    assert first_unsettled(rows) == 1
    assert first_unsettled(rows, 2) == 3
    assert first_unsettled(rows, 4) == 1
    assert first_unsettled([{"status": "agreed"}]) is None


def test_due_dates_read_relative_to_today():
    assert due_text("2026-11-28", TODAY) == "2026-11-28  (in 7 days)"
    assert due_text("2026-11-20", TODAY) == "2026-11-20  (1 day overdue)"
    assert due_text("2026-11-21", TODAY) == "2026-11-21  (today)"
    assert due_text(None, TODAY) == "—"


async def test_review_starts_on_the_first_unsettled_item_and_shows_where_it_is(app, demo_workspace):
    rows = items(demo_workspace)
    first = rows[first_unsettled(rows)]
    async with app.run_test(size=(160, 45)) as pilot:
        review = await open_review(pilot)
        assert review.current["id"] == first["id"]
        section = [row for row in rows if row["section"] == first["section"]]
        assert text_of(review, "#review-position") == (
            f"{first['section_title']}  ·  {section.index(first) + 1} of {len(section)}"
        )
        assert text_of(review, "#review-question") == first["question"]
        assert text_of(review, "#review-status") == first["status"].upper()
        settled = sum(ItemStatus(row["status"]).settled for row in rows)
        assert f"{settled}/{len(rows)} settled" in text_of(review, "#review-totals")


@pytest.mark.parametrize(
    ("key", "status"),
    [("a", ItemStatus.AGREED), ("b", ItemStatus.BLOCKED), ("x", ItemStatus.NOT_APPLICABLE)],
)
async def test_status_keys_write_the_status(app, demo_workspace, key, status):
    answer_first_open_item(demo_workspace)
    async with app.run_test(size=(160, 45)) as pilot:
        review = await open_review(pilot)
        item = review.current
        await pilot.press(key)
        await settle(pilot)
        assert text_of(review, "#review-status") == status.value.upper()
    after = demo_workspace.get("item", item["id"])
    assert after["status"] == status
    assert after["version"] == item["version"] + 1
    assert after["updated_by"] == "tester"


def answer_first_open_item(ws: Workspace) -> None:
    rows = items(ws)
    first = rows[first_unsettled(rows)]
    if not first["answer"]:
        ws.update("item", first["id"], {"answer": "read replica"})


async def test_agreeing_an_item_without_an_answer_is_refused_with_a_reason(app, demo_workspace):
    rows = items(demo_workspace)
    first = rows[first_unsettled(rows)]
    demo_workspace.update("item", first["id"], {"answer": None})
    async with app.run_test(size=(160, 45)) as pilot:
        review = await open_review(pilot)
        item = review.current
        assert item["id"] == first["id"]
        await pilot.press("a")
        await settle(pilot)
        assert text_of(review, "#review-status") == item["status"].upper()
        shown = [notification.message for notification in pilot.app._notifications]
        assert any("no answer yet" in message for message in shown), shown
    after = demo_workspace.get("item", item["id"])
    assert (after["status"], after["version"]) == (item["status"], item["version"])


async def test_reopen_and_quick_successive_keys_do_not_conflict_with_themselves(app, demo_workspace):
    answer_first_open_item(demo_workspace)
    async with app.run_test(size=(160, 45)) as pilot:
        review = await open_review(pilot)
        item = review.current
        await pilot.press("a")
        await settle(pilot)
        await pilot.press("o")
        await settle(pilot)
    assert demo_workspace.get("item", item["id"])["status"] == ItemStatus.OPEN


async def test_u_jumps_to_the_next_unsettled_item_and_j_k_step(app, demo_workspace):
    rows = items(demo_workspace)
    start = first_unsettled(rows)
    async with app.run_test(size=(160, 45)) as pilot:
        review = await open_review(pilot)
        await pilot.press("u")
        assert review.index == first_unsettled(rows, start + 1)
        assert not ItemStatus(review.current["status"]).settled
        await pilot.press("j", "j", "k")
        assert review.index == first_unsettled(rows, start + 1) + 1
        await pilot.press("right", "left", "left")
        assert review.index == first_unsettled(rows, start + 1)


async def test_e_edits_the_answer_in_a_text_area(app, demo_workspace):
    async with app.run_test(size=(160, 45)) as pilot:
        review = await open_review(pilot)
        item = review.current
        await pilot.press("e")
        await settle(pilot)
        assert isinstance(app.screen, EditScreen)
        assert app.focused.id == "field-answer"
        await pilot.press(*"Read replica,", "enter", *"refreshed continuously.", "ctrl+s")
        await settle(pilot)
        assert app.screen is review
        assert text_of(review, "#review-answer") == "Read replica,\nrefreshed continuously."
    assert demo_workspace.get("item", item["id"])["answer"] == "Read replica,\nrefreshed continuously."


async def test_a_number_key_takes_that_typical_answer(app, demo_workspace):
    async with app.run_test(size=(160, 45)) as pilot:
        review = await open_review(pilot)
        item = review.current
        assert len(item["options"]) >= 2
        await pilot.press("2")
        await settle(pilot)
    assert demo_workspace.get("item", item["id"])["answer"] == item["options"][1]


async def test_w_sets_the_owner_from_the_stakeholders(app, demo_workspace):
    ws = demo_workspace
    people = sorted(
        ws.rows("stakeholder", "integration_id = ?", (ws.integration("Leaf ID")["id"],)),
        key=lambda row: row["name"].lower(),
    )
    async with app.run_test(size=(160, 45)) as pilot:
        review = await open_review(pilot)
        item = review.current
        await pilot.press("w")
        await settle(pilot)
        assert isinstance(app.screen, OwnerPicker)
        await pilot.press("home", "down", "down", "enter")
        await settle(pilot)
        assert text_of(review, "#review-owner").startswith(people[1]["name"])
        await pilot.press("w", "home", "enter")
        await settle(pilot)
        assert ws.get("item", item["id"])["owner"] is None
        await pilot.press("w", "home", "down", "escape")
        await settle(pilot)
    assert ws.get("item", item["id"])["owner"] is None


async def test_d_sets_the_due_date_and_refuses_a_bad_one(app, demo_workspace):
    async with app.run_test(size=(160, 45)) as pilot:
        review = await open_review(pilot)
        item = review.current
        await pilot.press("d")
        await settle(pilot)
        form = app.screen
        await pilot.press("ctrl+u", *"next week", "enter")
        await settle(pilot)
        assert app.screen is form and form.query_one("#error-due").has_class("shown")
        await pilot.press("ctrl+u", *"2026-12-01", "enter")
        await settle(pilot)
        assert text_of(review, "#review-due") == "2026-12-01  (in 10 days)"
    assert demo_workspace.get("item", item["id"])["due"] == "2026-12-01"


async def test_n_adds_a_note_linked_to_the_item(app, demo_workspace):
    async with app.run_test(size=(160, 45)) as pilot:
        review = await open_review(pilot)
        item = review.current
        await pilot.press("n")
        await settle(pilot)
        await pilot.press(*"ask for the replica host", "ctrl+s")
        await settle(pilot)
        assert "ask for the replica host" in text_of(review, "#review-notes")
    notes = demo_workspace.rows("note", "item_id = ?", (item["id"],))
    assert [(note["text"], note["author"], note["kind"]) for note in notes] == [
        ("ask for the replica host", "tester", "note")
    ]


async def test_position_is_remembered_after_leaving_and_reopening(app, demo_workspace):
    rows = items(demo_workspace)
    async with app.run_test(size=(160, 45)) as pilot:
        review = await open_review(pilot)
        await pilot.press("j", "j", "j")
        key = review.current["key"]
        await pilot.press("escape")
        await settle(pilot)
        assert not isinstance(app.screen, ReviewScreen)
        again = await open_review(pilot)
        assert again.current["key"] == key
    reopened = DayoneApp(demo_workspace.path, author="tester", integration="Leaf ID", today=TODAY)
    async with reopened.run_test(size=(160, 45)) as pilot:
        review = await open_review(pilot)
        assert review.current["key"] == key
        assert rows[review.index]["key"] == key


async def test_share_mode_hides_private_notes_and_masks_secrets(app, demo_workspace):
    ws = demo_workspace
    iid = ws.integration("Leaf ID")["id"]
    rows = items(ws)
    item = rows[first_unsettled(rows)]
    ws.update("item", item["id"], {"answer": "connect with postgres://etl:hunter2secret@db.internal/leaf"})
    ws.add_note(iid, "the vendor may walk away", private=True, item_id=item["id"])
    ws.add_note(iid, "replica host comes next sprint", item_id=item["id"])
    async with app.run_test(size=(160, 45)) as pilot:
        review = await open_review(pilot)
        assert "hunter2secret" in text_of(review, "#review-answer")
        assert "walk away" in text_of(review, "#review-notes")
        app.share_mode = True
        await settle(pilot)
        assert "hunter2secret" not in text_of(review, "#review-answer")
        assert MASK in text_of(review, "#review-answer")
        notes = text_of(review, "#review-notes")
        assert "walk away" not in notes and "replica host comes next sprint" in notes


async def test_changes_from_another_connection_appear_in_review(app, demo_workspace):
    async with app.run_test(size=(160, 45)) as pilot:
        review = await open_review(pilot)
        item = review.current
        with Workspace.open(demo_workspace.path, author="sam") as other:
            other.update("item", item["id"], {"answer": "decided in the hallway"})
        await until(pilot, lambda: text_of(review, "#review-answer") == "decided in the hallway")
        assert "by sam" in text_of(review, "#review-changed")


# -- what the meeting sees -----------------------------------------------------------------------


def test_snapshot_review_mode_on_the_demo(app, demo_workspace, snap_compare):
    """Review resumes on an item with linked notes, as if the last meeting stopped there."""
    ws = demo_workspace
    pin_times(ws)
    iid = ws.integration("Leaf ID")["id"]
    noted = ws.query("SELECT min(item_id) FROM notes WHERE integration_id = ? AND item_id IS NOT NULL", (iid,))[0][0]
    ws.set_setting(position_key(iid), ws.get("item", noted)["key"])

    async def run_before(pilot) -> None:
        await open_review(pilot)
        await settle_for_snapshot(pilot)

    assert snap_compare(app, terminal_size=(160, 45), run_before=run_before)


def test_snapshot_review_mode_at_100_by_30(app, demo_workspace, snap_compare):
    pin_times(demo_workspace)

    async def run_before(pilot) -> None:
        await open_review(pilot)
        await settle_for_snapshot(pilot)

    assert snap_compare(app, terminal_size=(100, 30), run_before=run_before)


async def test_a_status_key_on_a_row_changed_elsewhere_asks_and_keep_mine_wins(app, demo_workspace):
    from tui.screens.conflict import ConflictScreen

    answer_first_open_item(demo_workspace)
    async with app.run_test(size=(160, 45)) as pilot:
        review = await open_review(pilot)
        item = review.current
        app._polling = True  # hold the live refresh back so the screen still has the old version
        with Workspace.open(demo_workspace.path, author="sam") as other:
            other.update("item", item["id"], {"status": "blocked"})
        await pilot.press("a")
        await settle(pilot)
        assert isinstance(app.screen, ConflictScreen)
        assert text_of(app.screen, "#yours-status") == "agreed"
        assert text_of(app.screen, "#theirs-status") == "blocked"
        app._polling = False
        await pilot.press("m")
        await settle(pilot)
        assert app.screen is review
        assert text_of(review, "#review-status") == "AGREED"
    assert demo_workspace.get("item", item["id"])["status"] == "agreed"


async def test_enter_opens_the_whole_item_form(app, demo_workspace):
    async with app.run_test(size=(160, 45)) as pilot:
        review = await open_review(pilot)
        item = review.current
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, EditScreen)
        assert [field.name for field in app.screen.fields] == ["status", "answer", "owner", "due"]
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is review
    assert demo_workspace.get("item", item["id"])["version"] == item["version"]


async def test_ctrl_z_in_review_undoes_the_last_status_change(app, demo_workspace):
    async with app.run_test(size=(160, 45)) as pilot:
        review = await open_review(pilot)
        item = review.current
        await pilot.press("x")
        await settle(pilot)
        assert demo_workspace.get("item", item["id"])["status"] == ItemStatus.NOT_APPLICABLE
        await pilot.press("ctrl+z")
        await settle(pilot)
        assert text_of(review, "#review-status") == item["status"].upper()
    assert demo_workspace.get("item", item["id"])["status"] == item["status"]


async def test_review_follows_a_switch_to_another_integration(app, demo_workspace):
    orders = demo_workspace.integration("Orders")
    async with app.run_test(size=(160, 45)) as pilot:
        review = await open_review(pilot)
        app.integration_id = orders["id"]
        await settle(pilot)
        assert app.screen is review
        assert text_of(review, "#review-title") == "Review · Orders"
        assert review.current["integration_id"] == orders["id"]


async def test_s_toggles_share_mode_from_review(app, demo_workspace):
    ws = demo_workspace
    rows = items(ws)
    item = rows[first_unsettled(rows)]
    ws.add_note(item["integration_id"], "the vendor may walk away", private=True, item_id=item["id"])
    async with app.run_test(size=(160, 45)) as pilot:
        review = await open_review(pilot)
        assert "walk away" in text_of(review, "#review-notes")
        await pilot.press("s")
        await settle(pilot)
        assert app.share_mode
        assert "walk away" not in text_of(review, "#review-notes")
        assert text_of(review, "#review-title") == "Review · Leaf ID   SHARING "


def test_an_agenda_names_sections_and_items_in_its_own_order(demo_workspace):
    from tui.meetings import agenda_items

    rows = items(demo_workspace)
    walked = agenda_items(rows, ["infrastructure", "logistics.product_owner", "infrastructure.replica"])
    infrastructure = [row["key"] for row in rows if row["section"] == "infrastructure"]
    assert [row["key"] for row in walked] == [*infrastructure, "logistics.product_owner"]
    assert agenda_items(rows, []) == []


async def test_review_walks_the_running_meetings_agenda_and_g_switches_to_everything(app, demo_workspace):
    from tui.meetings import start_meeting

    leaf = demo_workspace.integration("Leaf ID")
    start_meeting(demo_workspace, leaf["id"], "Infra sync", agenda=["infrastructure", "logistics.product_owner"])
    rows = items(demo_workspace)
    agenda = [row["key"] for row in rows if row["section"] == "infrastructure"] + ["logistics.product_owner"]
    async with app.run_test(size=(160, 45)) as pilot:
        screen = await open_review(pilot)
        assert [row["key"] for row in screen.items] == agenda
        first_open = next(
            row["key"]
            for row in rows
            if row["key"] in agenda and row["status"] not in (ItemStatus.AGREED, ItemStatus.NOT_APPLICABLE)
        )
        assert screen.current["key"] == first_open
        assert "agenda" in text_of(screen, "#review-title")
        assert f"of {len(agenda)}" in text_of(screen, "#review-position")
        seen = set()
        for _ in agenda:
            seen.add(screen.current["key"])
            await pilot.press("j")
        assert seen == set(agenda) and screen.current["key"] == first_open  # around the agenda and back
        await pilot.press("g")
        await settle(pilot)
        assert len(screen.items) == len(rows) and screen.current["key"] == first_open
        assert "agenda" not in text_of(screen, "#review-title")
        await pilot.press("g")
        await settle(pilot)
        assert [row["key"] for row in screen.items] == agenda


async def test_g_does_nothing_without_an_agenda(app, demo_workspace):
    async with app.run_test(size=(160, 45)) as pilot:
        screen = await open_review(pilot)
        total = len(screen.items)
        await pilot.press("g")
        await settle(pilot)
        assert len(screen.items) == total and not screen.whole_checklist


async def test_a_note_written_in_review_during_a_meeting_belongs_to_the_meeting(app, demo_workspace):
    from tui.meetings import start_meeting

    leaf = demo_workspace.integration("Leaf ID")
    with Workspace.open(demo_workspace.path, author="sam") as other:
        meeting = start_meeting(other, leaf["id"], "Weekly")
    async with app.run_test(size=(160, 45)) as pilot:
        review = await open_review(pilot)
        item = review.current
        await pilot.press("n")
        await settle(pilot)
        assert isinstance(pilot.app.screen, NoteForm)  # the same note form as everywhere, linked to the item
        await pilot.press(*"we go with the replica")
        await pilot.press("ctrl+s")
        await settle(pilot)
    notes = demo_workspace.rows("note", "text = ?", ("we go with the replica",))
    assert len(notes) == 1
    assert (notes[0]["meeting_id"], notes[0]["item_id"], notes[0]["author"]) == (meeting["id"], item["id"], "tester")
