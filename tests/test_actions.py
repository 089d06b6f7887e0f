"""The domain actions on real workspace files: each rule holds whoever writes, from whichever process."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from tui import actions
from tui.checklists import Checklist
from tui.dates import DateError, parse_due
from tui.enums import ItemStatus, NoteKind
from tui.errors import NotFound, UndoConflict, ValidationError
from tui.importers.findings import findings
from tui.importers.run import import_file
from tui.meetings import start_meeting
from tui.store import Workspace

pytestmark = pytest.mark.core

DDL = """
CREATE TABLE accounts (
    id bigint PRIMARY KEY,
    email text NOT NULL,
    status text NOT NULL,
    created_at timestamptz NOT NULL,
    deleted_at timestamptz
);
CREATE TABLE links (
    id bigint PRIMARY KEY,
    account_id bigint NOT NULL REFERENCES accounts(id),
    created_at timestamptz NOT NULL
);
"""


def item(ws: Workspace, key: str, integration: str = "Leaf ID") -> dict:
    iid = ws.integration(integration)["id"]
    return ws.rows("item", "integration_id = ? AND key = ?", (iid, key))[0]


@pytest.fixture
def imported(workspace: Workspace, tmp_path: Path) -> Workspace:
    ddl = tmp_path / "leaf.sql"
    ddl.write_text(DDL, encoding="utf-8")
    workspace.add_integration("Leaf")
    import_file(workspace, ddl, "postgres", "Leaf")
    return workspace


# -- agreeing ------------------------------------------------------------------------------------


def test_an_item_without_an_answer_cannot_be_agreed(demo_workspace):
    row = item(demo_workspace, "logistics.product_owner")
    demo_workspace.update("item", row["id"], {"answer": None, "status": "open"})
    before = item(demo_workspace, "logistics.product_owner")
    with pytest.raises(ValidationError, match="no answer yet"):
        actions.agree_item(demo_workspace, row["id"], before["version"])
    after = item(demo_workspace, "logistics.product_owner")
    assert after["status"] == "open" and after["version"] == before["version"]


def test_an_answered_item_is_agreed_and_keeps_its_answer(demo_workspace):
    row = item(demo_workspace, "logistics.product_owner")
    actions.update_item(demo_workspace, row["id"], {"status": "open", "answer": "Kick-off on Monday"})
    agreed = actions.agree_item(demo_workspace, row["id"])
    assert agreed["status"] == ItemStatus.AGREED
    with pytest.raises(ValidationError, match="keeps its answer"):
        actions.answer_item(demo_workspace, row["id"], "")
    assert item(demo_workspace, "logistics.product_owner")["answer"] == "Kick-off on Monday"


def test_blocking_needs_no_answer(demo_workspace):
    row = item(demo_workspace, "logistics.product_owner")
    demo_workspace.update("item", row["id"], {"answer": None})
    assert actions.block_item(demo_workspace, row["id"])["status"] == ItemStatus.BLOCKED


# -- notes ---------------------------------------------------------------------------------------


def test_a_note_written_while_a_meeting_runs_belongs_to_it_whoever_writes_it(demo_workspace, checklist):
    leaf = demo_workspace.integration("Leaf ID")
    kickoff = item(demo_workspace, "logistics.product_owner")
    with Workspace.open(demo_workspace.path, author="bob", checklist=checklist) as other:
        meeting = start_meeting(other, leaf["id"], "Weekly")
    # A form writes a note linked to an item, the way review's n does: through add_row.
    note = actions.add_row(
        demo_workspace,
        "note",
        {"integration_id": leaf["id"], "item_id": kickoff["id"], "text": "we agreed", "kind": "decision"},
    )
    assert note["meeting_id"] == meeting["id"]
    assert note["author"] == "tester" and note["item_id"] == kickoff["id"]


def test_a_note_cannot_link_to_another_integrations_row(demo_workspace):
    leaf = demo_workspace.integration("Leaf ID")
    elsewhere = item(demo_workspace, "logistics.product_owner", "Orders")
    with pytest.raises(ValidationError, match="another integration"):
        actions.add_note(demo_workspace, leaf["id"], "lost", item_id=elsewhere["id"])


def test_todos_have_owners_and_due_dates_other_notes_do_not(demo_workspace):
    leaf = demo_workspace.integration("Leaf ID")
    owner = demo_workspace.rows("stakeholder", "integration_id = ?", (leaf["id"],))[0]
    todo = actions.add_note(
        demo_workspace, leaf["id"], "send the replica host", kind=NoteKind.TODO, owner=owner["id"], due="2026-12-14"
    )
    assert (todo["owner"], todo["due"]) == (owner["id"], "2026-12-14")
    with pytest.raises(ValidationError, match="only a todo"):
        actions.add_note(demo_workspace, leaf["id"], "a thought", owner=owner["id"])
    note = actions.add_note(demo_workspace, leaf["id"], "a thought")
    with pytest.raises(ValidationError, match="only todos can be ticked off"):
        actions.set_note_done(demo_workspace, note["id"], True)


def test_relative_due_dates():
    wednesday = date(2026, 12, 2)
    assert parse_due("fri", wednesday) == date(2026, 12, 4)
    assert parse_due("Friday", wednesday) == date(2026, 12, 4)
    assert parse_due("wed", wednesday) == date(2026, 12, 9)  # a weekday is the next one, never today
    assert parse_due("+1w", wednesday) == date(2026, 12, 9)
    assert parse_due("+3d", wednesday) == date(2026, 12, 5)
    assert parse_due("+1m", date(2027, 1, 31)) == date(2027, 2, 28)
    assert parse_due("2026-12-14", wednesday) == date(2026, 12, 14)
    assert parse_due("tomorrow", wednesday) == date(2026, 12, 3)
    for bad in ("fr", "2026-13-01", "+1y", "soon"):
        with pytest.raises(DateError, match="is not a date"):
            parse_due(bad, wednesday)


# -- per-table answers and findings ----------------------------------------------------------------


def test_a_per_table_answer_sets_the_tables_facts(imported):
    leaf = imported.integration("Leaf")
    deletes = item(imported, "data_flow.deletes", "Leaf")
    tables = {row["name"]: row for row in imported.rows("table", "integration_id = ?", (leaf["id"],))}
    actions.answer_tables(
        imported, deletes["id"], [tables["accounts"]["id"]], "soft delete with a deleted-at timestamp"
    )
    actions.answer_tables(imported, deletes["id"], [tables["links"]["id"]], "hard delete when unlinked")
    accounts, links = imported.get("table", tables["accounts"]["id"]), imported.get("table", tables["links"]["id"])
    assert (accounts["deletion"], accounts["soft_delete_column"]) == ("soft", "deleted_at")
    assert (links["deletion"], links["soft_delete_column"]) == ("hard", None)
    assert actions.table_answers(imported, leaf["id"]) == {
        tables["accounts"]["id"]: {"data_flow.deletes": "soft delete with a deleted-at timestamp"},
        tables["links"]["id"]: {"data_flow.deletes": "hard delete when unlinked"},
    }
    # With per-table answers the item has an answer and can be agreed.
    assert actions.agree_item(imported, deletes["id"])["status"] == ItemStatus.AGREED


def test_only_items_asked_per_table_take_per_table_answers(imported):
    table = imported.rows("table")[0]
    with pytest.raises(ValidationError, match="once for the integration"):
        actions.answer_tables(imported, item(imported, "data_model.timezones", "Leaf")["id"], [table["id"]], "UTC")


def test_agreeing_a_deletion_policy_closes_the_deletion_findings(imported):
    leaf = imported.integration("Leaf")
    assert any(row["rule"] == "soft_delete" for row in findings(imported, leaf["id"]))
    deletes = item(imported, "data_flow.deletes", "Leaf")
    actions.answer_item(imported, deletes["id"], "soft delete with a deleted-at timestamp")
    actions.agree_item(imported, deletes["id"])
    accounts = imported.rows("table", "integration_id = ? AND name = 'accounts'", (leaf["id"],))[0]
    assert (accounts["deletion"], accounts["soft_delete_column"]) == ("soft", "deleted_at")
    assert not [row for row in findings(imported, leaf["id"]) if row["item_key"] == "data_flow.deletes"]


def test_giving_a_status_column_its_values_closes_its_finding(imported):
    leaf = imported.integration("Leaf")
    open_rules = {(row["rule"], row["column_name"]) for row in findings(imported, leaf["id"])}
    assert ("status_without_values", "status") in open_rules
    status = imported.rows("column", "name = 'status'")[0]
    actions.edit_row(imported, "column", status["id"], {"value_set": {"active": "can sign in"}}, status["version"])
    open_rules = {(row["rule"], row["column_name"]) for row in findings(imported, leaf["id"])}
    assert ("status_without_values", "status") not in open_rules
    # Taking the values away again brings the finding back.
    actions.edit_row(imported, "column", status["id"], {"value_set": None})
    assert ("status_without_values", "status") in {
        (row["rule"], row["column_name"]) for row in findings(imported, leaf["id"])
    }


def test_a_finding_is_dismissed_with_a_reason(imported):
    leaf = imported.integration("Leaf")
    first = findings(imported, leaf["id"])[0]
    with pytest.raises(ValidationError, match="give a reason"):
        actions.dismiss_finding(imported, first["id"], "  ")
    row = actions.dismiss_finding(imported, first["id"], "known and fine")
    assert (row["dismissed_reason"], row["dismissed_by"]) == ("known and fine", "tester")
    assert first["id"] not in {row["id"] for row in findings(imported, leaf["id"])}


# -- undo ----------------------------------------------------------------------------------------


def test_undo_refuses_to_revert_what_someone_else_changed_since(workspace: Workspace, checklist: Checklist):
    iid = workspace.add_integration("Vault")["id"]
    workspace.insert("stakeholder", {"integration_id": iid, "name": "Ann"})
    batch = workspace.last_batch()
    with Workspace.open(workspace.path, author="bob", checklist=checklist) as other:
        ann = other.stakeholder(iid, "Ann")
        other.update("stakeholder", ann["id"], {"role": "analyst"})
    with pytest.raises(UndoConflict, match=r"bob changed stakeholder 'Ann' \(role\)"):
        workspace.undo(batch)
    assert workspace.stakeholder(iid, "Ann")["role"] == "analyst"


def test_undo_refuses_to_clear_a_link_someone_else_made_since(workspace: Workspace, checklist: Checklist):
    iid = workspace.add_integration("Vault")["id"]
    ann = workspace.insert("stakeholder", {"integration_id": iid, "name": "Ann"})
    batch = workspace.last_batch()
    with Workspace.open(workspace.path, author="bob", checklist=checklist) as other:
        first = other.rows("item", "integration_id = ?", (iid,))[0]
        other.update("item", first["id"], {"owner": ann["id"]})
    with pytest.raises(UndoConflict, match=r"bob linked item 'logistics\.\w+' \(owner\)"):
        workspace.undo(batch)
    assert workspace.get("item", first["id"])["owner"] == ann["id"]


def test_undo_of_ones_own_undone_changes_goes_through(workspace: Workspace):
    iid = workspace.add_integration("Vault")["id"]
    ann = workspace.insert("stakeholder", {"integration_id": iid, "name": "Ann"})
    added = workspace.last_batch()
    workspace.update("stakeholder", ann["id"], {"role": "analyst"})
    edited = workspace.last_batch()
    reverted_by = workspace.undo(edited)
    workspace.undo(added, ignore=[edited, reverted_by])
    assert workspace.rows("stakeholder", "integration_id = ?", (iid,)) == []


# -- integrations --------------------------------------------------------------------------------


def test_integrations_are_renamed_and_archived(workspace: Workspace):
    workspace.add_integration("Vault")
    workspace.add_integration("Ledger")
    actions.rename_integration(workspace, "Vault", "Vault v2")
    with pytest.raises(ValidationError, match="already exists"):
        actions.rename_integration(workspace, "Ledger", "Vault v2")
    actions.archive_integration(workspace, "Ledger")
    assert [row["name"] for row in workspace.integrations()] == ["Vault v2"]
    assert workspace.integration("Ledger")["archived_at"]
    actions.archive_integration(workspace, "Ledger", archived=False)
    assert [row["name"] for row in workspace.integrations()] == ["Vault v2", "Ledger"]


def test_an_unknown_integration_name_lists_the_known_ones_and_a_likely_match(workspace: Workspace):
    workspace.add_integration("Vault")
    with pytest.raises(Exception, match=r"no integration named 'vault' \(known: Vault\); did you mean 'Vault'\?"):
        workspace.integration("vault")


def test_the_changes_view_names_what_a_reference_points_at(demo_workspace):
    from tui.meetings import change_groups

    leaf = demo_workspace.integration("Leaf ID")
    metric = demo_workspace.rows("metric", "integration_id = ?", (leaf["id"],))[0]
    ann = demo_workspace.insert("stakeholder", {"integration_id": leaf["id"], "name": "Ann Example"})
    demo_workspace.update("metric", metric["id"], {"requested_by": ann["id"]})
    demo_workspace.delete("stakeholder", ann["id"])  # clears requested_by again, through a logged update
    changes = [
        change
        for change in demo_workspace.changes(leaf["id"])
        if change["entity"] == "metric" and change["field"] == "requested_by"
    ]
    shown = [
        (change["old"], change["new"])
        for group in change_groups(demo_workspace, changes)
        for row in group.rows
        for change in row.changes
    ]
    assert shown[-2:] == [(shown[-2][0], "Ann Example"), ("Ann Example", None)]
    with pytest.raises(NotFound, match=r"stakeholder 'Ann Example' was deleted by tester at"):
        demo_workspace.get("stakeholder", ann["id"])


def test_the_contract_shows_per_table_answers_and_the_deletion_agreed(imported):
    from tui.export import Options, render

    leaf = imported.integration("Leaf")
    tables = {row["name"]: row["id"] for row in imported.rows("table", "integration_id = ?", (leaf["id"],))}
    history = item(imported, "data_flow.status_history", "Leaf")
    actions.answer_tables(imported, history["id"], [tables["accounts"]], "only the current status")
    actions.answer_tables(imported, history["id"], [tables["links"]], "links are never changed")
    deletes = item(imported, "data_flow.deletes", "Leaf")
    actions.answer_item(imported, deletes["id"], "soft delete with a deleted-at timestamp")
    before = render(imported, leaf, "markdown", Options(mermaid=False)).text
    assert "deletion policy unknown" in before.split("### Table accounts")[1]
    actions.agree_item(imported, deletes["id"])
    text = render(imported, leaf, "markdown", Options(mermaid=False)).text
    accounts = text.split("### Table accounts")[1].split("### Table")[0]
    links = text.split("### Table links")[1].split("###")[0]
    assert "- **Status history:** only the current status" in accounts
    assert "links are never changed" in links
    assert "- **Deletion:** soft (through deleted\\_at)" in accounts
    assert "deletion policy unknown" not in accounts


def test_a_todos_own_owner_and_due_date_reach_the_minutes(demo_workspace):
    from tui.export import Options, render

    leaf = demo_workspace.integration("Leaf ID")
    owner = demo_workspace.rows("stakeholder", "integration_id = ?", (leaf["id"],), order_by="name")[0]
    actions.add_note(
        demo_workspace, leaf["id"], "send the replica host", kind="todo", owner=owner["id"], due="2026-12-14"
    )
    text = render(demo_workspace, leaf, "minutes", Options()).text
    line = next(line for line in text.splitlines() if "send the replica host" in line)
    assert owner["name"] in line and "2026-12-14" in line


def test_the_plan_round_trips_todos_per_table_answers_dismissals_and_archives(imported, tmp_path, checklist):
    from tui.plan import dump_plan, load_plan

    leaf = imported.integration("Leaf")
    ann = imported.insert("stakeholder", {"integration_id": leaf["id"], "name": "Ann"})
    actions.add_note(imported, leaf["id"], "send the host", kind="todo", owner=ann["id"], due="2026-12-14")
    accounts = imported.rows("table", "name = 'accounts'")[0]
    history = item(imported, "data_flow.status_history", "Leaf")
    actions.answer_tables(imported, history["id"], [accounts["id"]], "only the current status")
    first = findings(imported, leaf["id"])[0]
    actions.dismiss_finding(imported, first["id"], "known and fine")
    imported.add_integration("Old")
    actions.archive_integration(imported, "Old")
    text, _ = dump_plan(imported)
    for expected in (
        "owner: Ann",
        "due: 2026-12-14",
        "data_flow.status_history: only the current status",
        "reason: known and fine",
        "archived_at:",
    ):
        assert expected in text, expected
    with Workspace.open(tmp_path / "copy.db", checklist=checklist) as copy:
        load_plan(copy, text, "plan.yaml")
        assert dump_plan(copy)[0] == text
        assert [row["name"] for row in copy.integrations()] == ["Leaf"]
