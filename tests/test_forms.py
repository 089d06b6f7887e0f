"""Edit forms, delete confirmation and the conflict dialog, driven by keys against a real workspace file."""

from __future__ import annotations

from datetime import date

import pytest
from pilot import pin_times, settle, settle_for_snapshot
from textual.widgets import Select, Static

from tui.app import DayoneApp
from tui.dates import DUE_HINT
from tui.screens.confirm import ConfirmDelete
from tui.screens.conflict import ConflictScreen
from tui.screens.fields import FieldError, form_fields
from tui.screens.forms import EditScreen
from tui.store import Workspace

TODAY = date(2026, 11, 21)


def make_app(ws: Workspace, integration: str = "Leaf ID") -> DayoneApp:
    return DayoneApp(ws.path, author="tester", integration=integration, today=TODAY)


def stakeholder(ws: Workspace, name: str = "Kenji Watanabe") -> dict:
    return ws.stakeholder(ws.integration("Leaf ID")["id"], name)


def change_count(ws: Workspace) -> int:
    return ws.query("SELECT count(*) FROM changes")[0][0]


async def open_form(pilot, entity: str, row_id: int | None, **defaults) -> EditScreen:
    await settle(pilot)
    pilot.app.edit(entity, row_id, **defaults)
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, EditScreen)
    return screen


# -- the fields a form shows ---------------------------------------------------------------------


def test_fields_come_from_the_schema_without_program_managed_ones():
    names = [field.name for field in form_fields("item")]
    assert names == ["status", "answer", "owner", "due"]
    column = {field.name: field for field in form_fields("column")}
    assert "table_id" not in column and "position" not in column
    assert column["value_set"].shape == "mapping" and column["nullable"].editor == "check"
    assert {field.name for field in form_fields("note")} >= {"text", "kind", "private", "item_id", "table_id"}


@pytest.mark.parametrize(
    ("entity", "name", "text", "problem"),
    [
        ("item", "due", "2027-13-01", f"'2027-13-01' is not a date ({DUE_HINT})"),
        ("item", "due", "20270301", f"'20270301' is not a date ({DUE_HINT})"),
        ("integration", "go_live", "fri", "'fri' is not a date (YYYY-MM-DD)"),
        ("table", "estimated_rows", "many", "'many' is not a whole number"),
        ("column", "value_set", "a: active\nbroken line", "line 2: expected 'code: meaning', got 'broken line'"),
        ("column", "value_set", "a: one\na: two", "line 2: code 'a' appears twice"),
        ("stakeholder", "name", "   ", "is required"),
        ("table", "estimated_rows", "-5", "-5 is negative"),
        (
            "column",
            "json_schema",
            '{"type": "object",}',
            "not JSON: Expecting property name enclosed in double quotes at line 1, column 19",
        ),
        ("column", "json_schema", "[1, 2]", 'a JSON schema is an object like {"type": "object"}'),
        (
            "column",
            "json_schema",
            '{"type": "objekt"}',
            "not a valid JSON schema at type: 'objekt' is not valid under any of the given schemas",
        ),
        (
            "column",
            "foreign_key",
            "accounts",
            "'accounts' is not table.column or schema.table.column "
            '("double quotes" around a name with a dot or a space)',
        ),
        (
            "metric",
            "needs",
            "orders.total\norders",
            "line 2: 'orders' is not table.column or schema.table.column "
            '("double quotes" around a name with a dot or a space)',
        ),
    ],
)
def test_bad_text_is_refused_with_one_line_naming_the_problem(entity, name, text, problem):
    field = next(field for field in form_fields(entity) if field.name == name)
    with pytest.raises(FieldError) as refused:
        field.parse(text)
    assert str(refused.value) == problem


def test_typed_text_round_trips_through_each_shape():
    fields = {field.name: field for field in form_fields("column") + form_fields("metric")}
    assert fields["value_set"].parse(fields["value_set"].to_text({"a": "active", "b": "blocked"})) == {
        "a": "active",
        "b": "blocked",
    }
    assert fields["needs"].parse("orders.total\n\n orders.placed_at \n") == ["orders.total", "orders.placed_at"]
    assert fields["json_schema"].parse('{"type": "object"}') == {"type": "object"}
    assert fields["json_schema"].parse("") is None


# -- editing -------------------------------------------------------------------------------------


async def test_editing_a_stakeholders_role_saves_it_and_bumps_the_version(demo_workspace):
    ws = demo_workspace
    before = stakeholder(ws)
    assert before["role"] == "engineering lead"
    app = make_app(ws)
    async with app.run_test(size=(160, 45)) as pilot:
        await open_form(pilot, "stakeholder", before["id"])
        assert app.focused.id == "field-name"
        await pilot.press("tab")
        assert app.focused.id == "field-role"
        await pilot.press("enter", "down", "down", "enter")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert not isinstance(app.screen, EditScreen)
    after = ws.get("stakeholder", before["id"])
    assert after["role"] == "data engineer"
    assert after["version"] == before["version"] + 1
    assert after["name"] == before["name"]


async def test_enter_in_a_single_line_field_saves_and_ctrl_z_undoes(demo_workspace):
    ws = demo_workspace
    before = stakeholder(ws)
    app = make_app(ws)
    async with app.run_test(size=(160, 45)) as pilot:
        form = await open_form(pilot, "stakeholder", before["id"])
        form.query_one("#field-contact").focus()
        await pilot.press("ctrl+u", *"kenji@example.org", "enter")
        await settle(pilot)
        assert ws.get("stakeholder", before["id"])["contact"] == "kenji@example.org"
        await pilot.press("ctrl+z")
        await settle(pilot)
    assert ws.get("stakeholder", before["id"])["contact"] == before["contact"]


async def test_ctrl_s_saves_from_a_text_area(demo_workspace):
    ws = demo_workspace
    before = stakeholder(ws)
    app = make_app(ws)
    async with app.run_test(size=(160, 45)) as pilot:
        form = await open_form(pilot, "stakeholder", before["id"])
        form.query_one("#field-responsibilities").focus()
        await pilot.press("ctrl+e", "enter", *"Also the audit log.", "ctrl+s")
        await settle(pilot)
    after = ws.get("stakeholder", before["id"])
    assert after["responsibilities"] == before["responsibilities"] + "\nAlso the audit log."


async def test_an_invalid_due_date_is_shown_next_to_the_field_and_nothing_is_written(demo_workspace):
    ws = demo_workspace
    item = ws.rows("item", "integration_id = ?", (ws.integration("Leaf ID")["id"],))[0]
    changes = change_count(ws)
    app = make_app(ws)
    async with app.run_test(size=(160, 45)) as pilot:
        form = await open_form(pilot, "item", item["id"])
        form.query_one("#field-due").focus()
        await pilot.press("ctrl+u", *"2027-02-30", "enter")
        await settle(pilot)
        assert app.screen is form
        error = form.query_one("#error-due", Static)
        assert error.has_class("shown")
        assert str(error.render()) == f"Due: '2027-02-30' is not a date ({DUE_HINT})"
        assert app.focused.id == "field-due"
    assert ws.get("item", item["id"]) == item
    assert change_count(ws) == changes


async def test_escape_cancels_without_writing(demo_workspace):
    ws = demo_workspace
    before = stakeholder(ws)
    changes = change_count(ws)
    app = make_app(ws)
    async with app.run_test(size=(160, 45)) as pilot:
        await open_form(pilot, "stakeholder", before["id"])
        await pilot.press(*" the Second", "escape")
        await settle(pilot)
        assert not isinstance(app.screen, EditScreen)
    assert ws.get("stakeholder", before["id"]) == before
    assert change_count(ws) == changes


async def test_a_name_the_store_refuses_is_shown_next_to_the_field_and_the_form_stays(demo_workspace):
    ws = demo_workspace
    iid = ws.integration("Leaf ID")["id"]
    count = len(ws.rows("stakeholder", "integration_id = ?", (iid,)))
    app = make_app(ws)
    async with app.run_test(size=(160, 45)) as pilot:
        form = await open_form(pilot, "stakeholder", None, integration_id=iid)
        await pilot.press(*"Kenji Watanabe", "enter")
        await settle(pilot)
        assert app.screen is form
        assert "already exists" in str(form.query_one("#error-name", Static).render())
    assert len(ws.rows("stakeholder", "integration_id = ?", (iid,))) == count


async def test_new_metric_with_requester_picked_from_the_stakeholders(demo_workspace):
    ws = demo_workspace
    iid = ws.integration("Leaf ID")["id"]
    app = make_app(ws)
    async with app.run_test(size=(160, 45)) as pilot:
        form = await open_form(pilot, "metric", None, integration_id=iid)
        await pilot.press(*"Weekly sign-ups")
        requester = form.query_one("#field-requested_by", Select)
        requester.focus()
        await pilot.press("enter", "down", "down", "enter")
        await pilot.press("ctrl+s")
        await settle(pilot)
    metric = ws.rows("metric", "integration_id = ? AND name = ?", (iid, "Weekly sign-ups"))[0]
    names = sorted(row["name"] for row in ws.rows("stakeholder", "integration_id = ?", (iid,)))
    assert ws.get("stakeholder", metric["requested_by"])["name"] == names[1]
    assert metric["status"] == "wanted"


async def test_new_column_with_a_value_set_typed_as_lines(demo_workspace):
    ws = demo_workspace
    table = ws.rows("table", "integration_id = ?", (ws.integration("Leaf ID")["id"],))[0]
    last = max(row["position"] for row in ws.rows("column", "table_id = ?", (table["id"],)))
    app = make_app(ws)
    async with app.run_test(size=(160, 45)) as pilot:
        form = await open_form(pilot, "column", None, table_id=table["id"])
        await pilot.press(*"tier")
        form.query_one("#field-value_set").focus()
        await pilot.press(*"g: gold", "enter", *"oops", "ctrl+s")
        await settle(pilot)
        assert "line 2: expected 'code: meaning'" in str(form.query_one("#error-value_set", Static).render())
        await pilot.press("backspace", "backspace", "backspace", "backspace", *"s: silver", "ctrl+s")
        await settle(pilot)
        assert app.screen is not form
    column = ws.rows("column", "table_id = ? AND name = 'tier'", (table["id"],))[0]
    assert column["value_set"] == {"g": "gold", "s": "silver"}
    assert column["position"] == last + 1
    assert column["nullable"] is False


# -- deleting ------------------------------------------------------------------------------------


def a_table_with_columns(ws: Workspace) -> dict:
    tables = ws.rows("table", "integration_id = ?", (ws.integration("Leaf ID")["id"],))
    return next(table for table in tables if ws.rows("column", "table_id = ?", (table["id"],)))


@pytest.mark.parametrize("key", ["y", "enter"])
async def test_delete_after_confirming_removes_the_row_and_what_it_owns(demo_workspace, key):
    ws = demo_workspace
    table = a_table_with_columns(ws)
    columns = len(ws.rows("column", "table_id = ?", (table["id"],)))
    app = make_app(ws)
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(pilot)
        app.delete("table", table["id"])
        await settle(pilot)
        assert isinstance(app.screen, ConfirmDelete)
        details = str(app.screen.query_one("#confirm-details", Static).render())
        assert f"Deleted with it: {columns} columns" in details
        await pilot.press(key)
        await settle(pilot)
    assert ws.rows("table", "id = ?", (table["id"],)) == []
    assert ws.rows("column", "table_id = ?", (table["id"],)) == []


@pytest.mark.parametrize("key", ["n", "escape"])
async def test_declining_the_delete_keeps_the_row(demo_workspace, key):
    ws = demo_workspace
    person = stakeholder(ws)
    app = make_app(ws)
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(pilot)
        app.delete("stakeholder", person["id"])
        await settle(pilot)
        question = str(app.screen.query_one("#confirm-question", Static).render())
        assert question == "Delete stakeholder Kenji Watanabe?"
        await pilot.press(key)
        await settle(pilot)
        assert not isinstance(app.screen, ConfirmDelete)
    assert ws.get("stakeholder", person["id"]) == person


# -- conflicts -----------------------------------------------------------------------------------


async def edit_role_while_someone_else_saves(pilot, ws: Workspace, person: dict) -> ConflictScreen:
    """Open the form, let another connection change the row, then save a different role."""
    await open_form(pilot, "stakeholder", person["id"])
    with Workspace.open(ws.path, author="sam") as other:
        other.update("stakeholder", person["id"], {"role": "analyst", "contact": "sam changed this"})
    await pilot.press("tab", "enter", "down", "down", "enter", "ctrl+s")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, ConflictScreen)
    return screen


async def test_conflict_shows_both_values_and_keep_mine_writes_mine(demo_workspace):
    ws = demo_workspace
    person = stakeholder(ws)
    app = make_app(ws)
    async with app.run_test(size=(160, 45)) as pilot:
        dialog = await edit_role_while_someone_else_saves(pilot, ws, person)
        assert str(dialog.query_one("#yours-role", Static).render()) == "data engineer"
        assert str(dialog.query_one("#theirs-role", Static).render()) == "analyst"
        assert "sam saved it" in str(dialog.query_one("#conflict-who", Static).render())
        await pilot.press("m")
        await settle(pilot)
        assert not isinstance(app.screen, (ConflictScreen, EditScreen))
    after = ws.get("stakeholder", person["id"])
    assert after["role"] == "data engineer"
    assert after["contact"] == "sam changed this"
    assert after["version"] == person["version"] + 2


async def test_conflict_take_theirs_leaves_their_row(demo_workspace):
    ws = demo_workspace
    person = stakeholder(ws)
    app = make_app(ws)
    async with app.run_test(size=(160, 45)) as pilot:
        await edit_role_while_someone_else_saves(pilot, ws, person)
        await pilot.press("t")
        await settle(pilot)
        assert not isinstance(app.screen, (ConflictScreen, EditScreen))
    after = ws.get("stakeholder", person["id"])
    assert after["role"] == "analyst"
    assert after["version"] == person["version"] + 1


# -- what the forms look like --------------------------------------------------------------------


def review_on_an_answered_item(ws: Workspace) -> dict:
    """Pin the times and make review resume on an answered, owned item, the backdrop of the form snapshots."""
    pin_times(ws)
    iid = ws.integration("Leaf ID")["id"]
    item = next(row for row in ws.rows("item", "integration_id = ?", (iid,)) if row["answer"] and row["owner"])
    ws.set_setting(f"review.position.{iid}", item["key"])
    return item


async def open_review(pilot) -> None:
    await settle(pilot)
    await pilot.press("r")
    await settle(pilot)


def test_snapshot_checklist_item_form(demo_workspace, snap_compare):
    review_on_an_answered_item(demo_workspace)

    async def run_before(pilot) -> None:
        await open_review(pilot)
        await pilot.press("enter")
        await settle_for_snapshot(pilot)
        assert isinstance(pilot.app.screen, EditScreen)

    assert snap_compare(make_app(demo_workspace), terminal_size=(160, 45), run_before=run_before)


def test_snapshot_conflict_dialog(demo_workspace, snap_compare):
    ws = demo_workspace
    item = review_on_an_answered_item(ws)

    async def run_before(pilot) -> None:
        await open_review(pilot)
        await pilot.press("e")
        await settle(pilot)
        with Workspace.open(ws.path, author="sam") as other:
            other.update("item", item["id"], {"answer": "Hannah decides, Kenji breaks ties."})
        ws.conn.execute("UPDATE changes SET at = '2026-11-21T09:30:00+00:00' WHERE author = 'sam'")
        ws.conn.execute(
            "UPDATE checklist_items SET updated_at = '2026-11-21T09:30:00+00:00' WHERE id = ?", (item["id"],)
        )
        await pilot.press("f7", *"Hannah decides alone.", "ctrl+s")
        await settle_for_snapshot(pilot)
        assert isinstance(pilot.app.screen, ConflictScreen)
        assert str(pilot.app.screen.query_one("#yours-answer", Static).render()) == "Hannah decides alone."

    assert snap_compare(make_app(ws), terminal_size=(160, 45), run_before=run_before)


async def test_table_form_records_the_data_flow_facts(demo_workspace):
    ws = demo_workspace
    table = a_table_with_columns(ws)
    app = make_app(ws)
    async with app.run_test(size=(160, 45)) as pilot:
        form = await open_form(pilot, "table", table["id"])
        deletion = form.query_one("#field-deletion", Select)
        deletion.value = "soft"
        form.query_one("#field-soft_delete_column").focus()
        await pilot.press("ctrl+u", *"deleted_at")
        form.query_one("#field-estimated_rows").focus()
        await pilot.press("ctrl+u", *"1,200,000", "enter")
        await settle(pilot)
    after = ws.get("table", table["id"])
    assert after["deletion"] == "soft"
    assert (after["soft_delete_column"], after["estimated_rows"]) == ("deleted_at", 1_200_000)


async def test_integration_form_refuses_a_go_live_that_is_not_a_date(demo_workspace):
    ws = demo_workspace
    integration = ws.integration("Leaf ID")
    app = make_app(ws)
    async with app.run_test(size=(160, 45)) as pilot:
        form = await open_form(pilot, "integration", integration["id"])
        form.query_one("#field-go_live").focus()
        await pilot.press("ctrl+u", *"March", "enter")
        await settle(pilot)
        assert "'March' is not a date" in str(form.query_one("#error-go_live", Static).render())
        await pilot.press("ctrl+u", *"2027-03-01", "enter")
        await settle(pilot)
        assert app.screen is not form
    assert ws.integration("Leaf ID")["go_live"] == "2027-03-01"


async def test_deleting_a_row_changed_elsewhere_asks_first_and_keep_mine_deletes(demo_workspace):
    ws = demo_workspace
    person = stakeholder(ws, "Leo Marchetti")
    app = make_app(ws)
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(pilot)
        app.delete("stakeholder", person["id"])
        await settle(pilot)
        with Workspace.open(ws.path, author="sam") as other:
            other.update("stakeholder", person["id"], {"contact": "leo@greenhollow.example"})
        await pilot.press("y")
        await settle(pilot)
        assert isinstance(app.screen, ConflictScreen)
        assert ws.get("stakeholder", person["id"])["contact"] == "leo@greenhollow.example"
        await pilot.press("m")
        await settle(pilot)
    assert ws.rows("stakeholder", "id = ?", (person["id"],)) == []


async def test_a_row_deleted_elsewhere_closes_the_form_with_a_message(demo_workspace):
    ws = demo_workspace
    person = stakeholder(ws, "Leo Marchetti")
    ws.delete("stakeholder", person["id"])
    app = make_app(ws)
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(pilot)
        app.edit("stakeholder", person["id"])
        await settle(pilot)
        assert not isinstance(app.screen, EditScreen)
        app.delete("stakeholder", person["id"])
        await settle(pilot)
        assert not isinstance(app.screen, ConfirmDelete)
        assert app.is_running


async def test_note_form_links_a_note_to_a_checklist_item(demo_workspace):
    ws = demo_workspace
    iid = ws.integration("Leaf ID")["id"]
    note = ws.add_note(iid, "replica host arrives next sprint")
    first_item = ws.rows("item", "integration_id = ?", (iid,), order_by="position")[0]
    app = make_app(ws)
    async with app.run_test(size=(160, 45)) as pilot:
        form = await open_form(pilot, "note", note["id"])
        form.query_one("#field-item_id", Select).focus()
        await pilot.press("enter", "down", "enter", "ctrl+s")
        await settle(pilot)
    assert ws.get("note", note["id"])["item_id"] == first_item["id"]


async def test_blanking_a_field_the_workspace_needs_is_refused_next_to_it(demo_workspace):
    ws = demo_workspace
    item = ws.rows("item", "integration_id = ?", (ws.integration("Leaf ID")["id"],))[0]
    app = make_app(ws)
    async with app.run_test(size=(160, 45)) as pilot:
        form = await open_form(pilot, "item", item["id"])
        assert app.focused.id == "field-status"
        await pilot.press("enter", "home", "enter", "ctrl+s")
        await settle(pilot)
        assert app.screen is form
        assert str(form.query_one("#error-status", Static).render()) == "Status: cannot be left blank"
    assert ws.get("item", item["id"])["version"] == item["version"]


async def test_a_new_integration_gets_its_checklist_and_is_shown(demo_workspace):
    ws = demo_workspace
    app = make_app(ws)
    async with app.run_test(size=(160, 45)) as pilot:
        form = await open_form(pilot, "integration", None)
        await pilot.press(*"Wholesale")
        form.query_one("#field-go_live").focus()
        await pilot.press(*"2027-06-01", "enter")
        await settle(pilot)
        created = ws.integration("Wholesale")
        assert app.integration_id == created["id"]
    assert created["go_live"] == "2027-06-01"
    items = ws.rows("item", "integration_id = ?", (created["id"],))
    assert len(items) == len(ws.checklist.items()) > 0


async def test_while_sharing_a_field_with_a_credential_is_masked_locked_and_left_alone(demo_workspace):
    ws = demo_workspace
    secret = "postgres://loader:hunter2secret@replica.internal/leaf"
    person = ws.update("stakeholder", stakeholder(ws)["id"], {"contact": secret})
    app = DayoneApp(ws.path, author="tester", integration="Leaf ID", share=True, today=TODAY)
    async with app.run_test(size=(160, 45)) as pilot:
        form = await open_form(pilot, "stakeholder", person["id"])
        contact = form.query_one("#field-contact")
        assert contact.disabled and "hunter2secret" not in contact.value
        assert "Contact" in str(form.query_one("#form-locked", Static).render())
        form.query_one("#field-name").focus()
        await pilot.press("end", *" Jr", "enter")
        await settle(pilot)
    after = ws.get("stakeholder", person["id"])
    assert after["name"] == "Kenji Watanabe Jr"
    assert after["contact"] == secret


async def test_saving_a_row_deleted_meanwhile_says_so_and_writes_nothing(demo_workspace):
    ws = demo_workspace
    person = stakeholder(ws, "Leo Marchetti")
    app = make_app(ws)
    async with app.run_test(size=(160, 45)) as pilot:
        form = await open_form(pilot, "stakeholder", person["id"])
        with Workspace.open(ws.path, author="sam") as other:
            other.delete("stakeholder", person["id"])
        await pilot.press("end", *" Jr", "enter")
        await settle(pilot)
        assert app.screen is form
        assert str(form.query_one("#form-status", Static).render()) == (
            "Not saved: this stakeholder was deleted elsewhere meanwhile."
        )
    assert ws.rows("stakeholder", "id = ?", (person["id"],)) == []
