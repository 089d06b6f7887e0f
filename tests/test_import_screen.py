"""Importing a schema from the planning screen: palette and tables-pane key, progress, summary, undo."""

from __future__ import annotations

import time
from pathlib import Path

from pilot import click, run_command, until
from textual.widgets import Checkbox, Input, ProgressBar, Select, Static

from tui.app import DayoneApp
from tui.screens.import_schema import ImportSchemaScreen
from tui.store import Workspace

SIZE = (160, 45)
DDL = Path(__file__).parent / "fixtures" / "ddl"


def app_for(workspace: Workspace, name: str = "Leaf ID") -> DayoneApp:
    workspace.remember_integration(workspace.integration(name)["id"])
    return DayoneApp(workspace.path)


def summary_text(app: DayoneApp) -> str:
    return str(app.screen.query_one("#import-summary", Static).render())


async def test_I_on_the_tables_pane_imports_a_file_with_progress_and_a_summary(demo_workspace: Workspace) -> None:
    app = app_for(demo_workspace)
    leaf = demo_workspace.integration("Leaf ID")
    tables_before = {row["name"] for row in demo_workspace.rows("table", "integration_id = ?", (leaf["id"],))}
    async with app.run_test(size=SIZE) as pilot:
        await pilot.app.workers.wait_for_complete()
        await pilot.press("4", "I")
        await until(pilot, lambda: isinstance(app.screen, ImportSchemaScreen))
        screen = app.screen
        assert screen.query_one("#import-integration", Input).value == "Leaf ID"
        screen.query_one("#import-path", Input).value = str(DDL / "guacamole-postgresql.sql")
        screen.query_one("#import-dialect", Select).value = "postgres"
        await click(pilot, "#import-start")
        await until(pilot, lambda: screen.has_class("-done"))
        bar = screen.query_one("#import-progress", ProgressBar)
        assert bar.percentage == 1
        text = summary_text(app)
        assert "9 tables, 42 columns" in text and "into Leaf ID" in text and "findings:" in text
        await until(pilot, lambda: any(row and "guacamole_user" in str(row) for row in app.data.get("tables", [])))
        await pilot.press("escape")
        await until(pilot, lambda: not isinstance(app.screen, ImportSchemaScreen))
        # The whole import is one change on this screen: Ctrl+Z takes it back.
        await pilot.press("ctrl+z")
        await pilot.app.workers.wait_for_complete()
    names = {row["name"] for row in demo_workspace.rows("table", "integration_id = ?", (leaf["id"],))}
    assert names == tables_before


async def test_bad_input_is_shown_next_to_the_form_and_nothing_changes(
    demo_workspace: Workspace, tmp_path: Path
) -> None:
    app = app_for(demo_workspace)
    empty = tmp_path / "empty.sql"
    empty.write_text("", encoding="utf-8")
    before = demo_workspace.last_batch()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.app.workers.wait_for_complete()
        await pilot.press("4", "I")
        await until(pilot, lambda: isinstance(app.screen, ImportSchemaScreen))
        screen = app.screen
        await click(pilot, "#import-start")
        assert "Give the path" in str(screen.query_one("#import-error", Static).render())
        screen.query_one("#import-path", Input).value = str(empty)
        screen.query_one("#import-path", Input).focus()
        await pilot.press("enter")
        await until(pilot, lambda: "empty" in str(screen.query_one("#import-error", Static).render()))
        assert not screen.has_class("-running")
    assert demo_workspace.last_batch() == before


async def test_the_palette_offers_a_database_import(demo_workspace: Workspace, tmp_path: Path) -> None:
    import sqlite3

    live = tmp_path / "shop.db"
    with sqlite3.connect(live) as conn:
        conn.executescript((DDL / "chinook-sqlite.sql").read_text(encoding="utf-8"))
    app = app_for(demo_workspace)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.app.workers.wait_for_complete()
        await run_command(pilot, "database URL", "Import schema from database URL")
        await until(pilot, lambda: isinstance(app.screen, ImportSchemaScreen))
        screen = app.screen
        assert screen.kind == "url"
        screen.query_one("#import-url", Input).value = f"sqlite:///{live}"
        screen.query_one("#import-integration", Input).value = "Chinook"
        screen.query_one("#import-new", Checkbox).value = True  # a new integration only when asked for
        await click(pilot, "#import-start")
        await until(pilot, lambda: screen.has_class("-done"))
        assert "11 tables" in summary_text(app) and "into Chinook" in summary_text(app)
    chinook = demo_workspace.integration("Chinook")
    assert len(demo_workspace.rows("table", "integration_id = ?", (chinook["id"],))) == 11


async def test_findings_show_as_suggestions_in_the_checklist_review(demo_workspace: Workspace) -> None:
    from tui.importers.run import import_file
    from tui.screens.review import ReviewScreen, position_key

    import_file(demo_workspace, DDL / "guacamole-postgresql.sql", "postgres", integration="Leaf ID")
    leaf = demo_workspace.integration("Leaf ID")
    demo_workspace.set_setting(position_key(leaf["id"]), "data_model.constraints")
    (item,) = demo_workspace.rows("item", "integration_id = ? AND key = 'data_model.constraints'", (leaf["id"],))
    app = app_for(demo_workspace)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.app.workers.wait_for_complete()
        await pilot.press("r")
        await until(pilot, lambda: isinstance(app.screen, ReviewScreen))
        screen = app.screen
        await until(
            pilot,
            lambda: "guacamole_connection.parent_id" in str(screen.query_one("#review-findings", Static).render()),
        )
        assert screen.query_one("#review-findings-caption").display
        screen.action_next()
        await until(pilot, lambda: screen.current["key"] != "data_model.constraints")
    assert demo_workspace.get("item", item["id"])["answer"] == item["answer"]


def test_snapshot_of_the_summary_after_an_import(snap_compare, demo_workspace: Workspace, monkeypatch) -> None:
    monkeypatch.setenv("DAYONE_TODAY", "2026-11-20")
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    monkeypatch.chdir(Path(__file__).parent.parent)
    app = app_for(demo_workspace)

    async def imported(pilot) -> None:
        await pilot.app.workers.wait_for_complete()
        await pilot.press("4", "I")
        await until(pilot, lambda: isinstance(app.screen, ImportSchemaScreen))
        app.screen.query_one("#import-path", Input).value = "tests/fixtures/ddl/guacamole-postgresql.sql"
        await pilot.press("enter")
        await until(pilot, lambda: app.screen.has_class("-done"))
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()

    assert snap_compare(app, terminal_size=SIZE, run_before=imported)


async def test_a_mistyped_integration_is_refused_and_a_new_one_needs_the_checkbox(demo_workspace: Workspace) -> None:
    app = app_for(demo_workspace)
    before = [row["name"] for row in demo_workspace.integrations()]
    async with app.run_test(size=SIZE) as pilot:
        await pilot.app.workers.wait_for_complete()
        await pilot.press("4", "I")
        await until(pilot, lambda: isinstance(app.screen, ImportSchemaScreen))
        screen = app.screen
        screen.query_one("#import-path", Input).value = str(DDL / "guacamole-postgresql.sql")
        screen.query_one("#import-integration", Input).value = "leaf id"
        await click(pilot, "#import-start")
        await until(pilot, lambda: "no integration named" in str(screen.query_one("#import-error", Static).render()))
        assert "did you mean 'Leaf ID'" in str(screen.query_one("#import-error", Static).render())
        assert [row["name"] for row in demo_workspace.integrations()] == before
        screen.query_one("#import-integration", Input).value = "Guacamole"
        screen.query_one("#import-new", Checkbox).value = True
        await click(pilot, "#import-start")
        await until(pilot, lambda: screen.has_class("-done"))
    assert [row["name"] for row in demo_workspace.integrations()] == [*before, "Guacamole"]
