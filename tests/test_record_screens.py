"""The record from the screens: per-table answers, dismissing findings, undo that respects others' edits."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from pilot import settle, until
from textual.widgets import Input, SelectionList

from tui.app import DayoneApp
from tui.importers.findings import findings
from tui.importers.run import import_file
from tui.screens.findings import DismissFinding
from tui.screens.review import ReviewScreen
from tui.screens.table import TableScreen
from tui.screens.table_answers import TableAnswers
from tui.store import Workspace

DDL = """
CREATE TABLE accounts (id bigint PRIMARY KEY, status text NOT NULL, created_at timestamptz, deleted_at timestamptz);
CREATE TABLE links (id bigint PRIMARY KEY, account_id bigint NOT NULL REFERENCES accounts(id));
CREATE TABLE sessions (id bigint PRIMARY KEY, account_id bigint NOT NULL REFERENCES accounts(id));
"""


@pytest.fixture
def leaf(workspace: Workspace, tmp_path: Path) -> Workspace:
    ddl = tmp_path / "leaf.sql"
    ddl.write_text(DDL, encoding="utf-8")
    workspace.add_integration("Leaf")
    import_file(workspace, ddl, "postgres", "Leaf")
    return workspace


def app_on(ws: Workspace) -> DayoneApp:
    return DayoneApp(ws.path, author="tester", integration="Leaf", today=date(2026, 12, 2))


def tables_of(ws: Workspace) -> dict[str, dict]:
    return {row["name"]: row for row in ws.rows("table")}


async def test_review_answers_one_question_for_many_tables_at_once(leaf: Workspace):
    leaf.set_setting(f"review.position.{leaf.integration('Leaf')['id']}", "data_flow.deletes")
    app = app_on(leaf)
    async with app.run_test(size=(140, 45)) as pilot:
        await settle(pilot)
        await pilot.press("r")
        await until(pilot, lambda: isinstance(app.screen, ReviewScreen) and app.screen.current is not None)
        review = app.screen
        await until(pilot, lambda: bool(review.tables))
        assert review.current["key"] == "data_flow.deletes"
        await pilot.press("t")
        await until(pilot, lambda: isinstance(app.screen, TableAnswers))
        dialog = app.screen
        choices = dialog.query_one(SelectionList)
        order = [choices.get_option_at_index(index).value for index in range(choices.option_count)]
        ids = {row["id"]: name for name, row in tables_of(leaf).items()}
        # Tick links and sessions (Space on each), then type the answer and apply it to both.
        for index, table_id in enumerate(order):
            if ids[table_id] in ("links", "sessions"):
                choices.highlighted = index
                await pilot.press("space")
        dialog.query_one(Input).focus()
        await pilot.press(*"hard delete when unlinked", "ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, TableAnswers)  # stays open for the next tables
        # Then accounts on its own, with typical answer 2 (soft delete with a deleted-at timestamp).
        choices.deselect_all()
        choices.highlighted = next(index for index, table_id in enumerate(order) if ids[table_id] == "accounts")
        choices.focus()
        await pilot.press("space")
        dialog.query_one(Input).value = "2"
        await pilot.press("ctrl+s")
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
        assert "3 of 3 tables answered" in str(review.query_one("#review-tables").render())
    tables = tables_of(leaf)
    assert (tables["links"]["deletion"], tables["sessions"]["deletion"]) == ("hard", "hard")
    assert (tables["accounts"]["deletion"], tables["accounts"]["soft_delete_column"]) == ("soft", "deleted_at")
    answers = {row["table_id"]: row["answer"] for row in leaf.rows("answer")}
    assert answers[tables["accounts"]["id"]] == "soft delete with a deleted-at timestamp"
    assert not [row for row in findings(leaf, leaf.integration("Leaf")["id"]) if row["rule"] == "soft_delete"]


async def test_a_finding_is_dismissed_from_table_detail_with_a_reason(leaf: Workspace):
    accounts = tables_of(leaf)["accounts"]
    app = app_on(leaf)
    async with app.run_test(size=(140, 45)) as pilot:
        await settle(pilot)
        app.push_screen(TableScreen(accounts["id"]))
        await until(pilot, lambda: isinstance(app.screen, TableScreen) and app.screen.detail is not None)
        before = list(app.screen.detail.findings)
        await pilot.press("x")
        await until(pilot, lambda: isinstance(app.screen, DismissFinding))
        await pilot.press("ctrl+s")  # no reason yet: refused, and the dialog says why
        await settle(pilot)
        assert isinstance(app.screen, DismissFinding)
        await pilot.press(*"known and fine", "enter")
        await settle(pilot)
        assert isinstance(app.screen, TableScreen)
        await until(pilot, lambda: len(app.screen.detail.findings) == len(before) - 1)
    row = leaf.get("finding", before[0]["id"])
    assert (row["dismissed_reason"], row["dismissed_by"]) == ("known and fine", "tester")


async def test_undo_shows_the_conflict_instead_of_reverting_another_persons_edit(leaf: Workspace, checklist):
    iid = leaf.integration("Leaf")["id"]
    app = app_on(leaf)
    async with app.run_test(size=(140, 45)) as pilot:
        await settle(pilot)
        app.save(lambda ws: ws.insert("stakeholder", {"integration_id": iid, "name": "Ann"}), "add stakeholder Ann")
        await settle(pilot)
        with Workspace.open(leaf.path, author="sam", checklist=checklist) as other:
            ann = other.stakeholder(iid, "Ann")
            item = other.rows("item", "integration_id = ?", (iid,))[0]
            other.update("stakeholder", ann["id"], {"role": "analyst"})
            other.update("item", item["id"], {"owner": ann["id"]})
        await pilot.press("ctrl+z")
        await settle(pilot)
        shown = [str(notification.message) for notification in app._notifications]
        assert any("sam changed stakeholder 'Ann' (role)" in message for message in shown), shown
    assert leaf.stakeholder(iid, "Ann")["role"] == "analyst"
    assert leaf.get("item", item["id"])["owner"] == ann["id"]


def test_a_todo_in_the_notes_pane_shows_its_owner_and_due_date_however_long_the_text():
    from tui.widgets.panes import note_text

    todo = {"kind": "todo", "done": False, "private": False, "due": "2026-12-14"}
    line = note_text(todo, "send the replica host name " * 5, 60, "Ann Lee").plain
    assert line.startswith("☐ send the replica host")
    assert line.endswith("  Ann Lee · due 12-14") and len(line) <= 60
