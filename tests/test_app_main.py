"""The main screen driven by keys, checked against the workspace file afterwards."""

from __future__ import annotations

import pytest
from pilot import run_command, settle, until

from tui.app import DayoneApp
from tui.enums import ItemStatus, NoteKind
from tui.screens.help import HelpScreen
from tui.screens.main import MainScreen
from tui.screens.table import TableScreen
from tui.store import Workspace

SIZE = (160, 45)


def cells(app: DayoneApp, part: str) -> list[list[str]]:
    table = app.screen_stack[0].tables[part]
    return [[str(cell) for cell in table.get_row_at(index)] for index in range(table.row_count)]


def text_of(app: DayoneApp, part: str) -> str:
    return "\n".join(" ".join(row) for row in cells(app, part))


@pytest.fixture
def app(demo_workspace: Workspace) -> DayoneApp:
    leaf = demo_workspace.integration("Leaf ID")
    demo_workspace.remember_integration(leaf["id"])
    return DayoneApp(demo_workspace.path)


async def test_main_screen_shows_every_pane_of_the_integration(app: DayoneApp, demo_workspace: Workspace) -> None:
    leaf = demo_workspace.integration("Leaf ID")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, MainScreen)
        counts = {
            "stakeholders": len(demo_workspace.rows("stakeholder", "integration_id = ?", (leaf["id"],))),
            "metrics": len(demo_workspace.rows("metric", "integration_id = ?", (leaf["id"],))),
            "checklist": len(demo_workspace.rows("item", "integration_id = ?", (leaf["id"],))),
            "tables": len(demo_workspace.rows("table", "integration_id = ?", (leaf["id"],))),
        }
        for number, (part, count) in enumerate(counts.items(), start=1):
            assert screen.query_one(f"#{part}").border_title.startswith(f"{number} ")
            assert f"({count})" in screen.query_one(f"#{part}").border_title
        header = str(screen.query_one("#header").render())
        assert "Leaf ID" in header and "settled" in header
        poc = demo_workspace.rows("stakeholder", "integration_id = ? AND point_of_contact = 1", (leaf["id"],))[0]
        assert any(row[0] == "★" and poc["name"] in row[1] for row in cells(app, "stakeholders"))


async def test_n_types_a_note_and_enter_saves_it(app: DayoneApp, demo_workspace: Workspace) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("n")
        await pilot.press(*"ask for the replica host")
        await pilot.press("enter")
        await settle(pilot)
        found = demo_workspace.rows("note", "text = ?", ("ask for the replica host",))
        assert len(found) == 1
        assert found[0]["author"] == "tester" and found[0]["kind"] == NoteKind.NOTE and not found[0]["private"]
        await until(pilot, lambda: "ask for the replica host" in text_of(app, "notes"))


async def test_note_form_kind_and_private_and_escape(app: DayoneApp, demo_workspace: Workspace) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("n", *"never mind", "escape", "y")  # typed text is thrown away only once confirmed
        await settle(pilot)
        assert not demo_workspace.rows("note", "text = ?", ("never mind",))
        assert isinstance(app.screen, MainScreen)

        # A todo adds its owner and due date before the private box: about, owner, due, then private.
        await pilot.press("n", *"check the vpn", "tab", "enter", "down", "enter", "tab", "tab", "tab", "tab", "space")
        await pilot.press(*["shift+tab"] * 5, "enter")
        await settle(pilot)
        note = demo_workspace.rows("note", "text = ?", ("check the vpn",))[0]
        assert note["kind"] == NoteKind.TODO and note["private"]


async def test_empty_note_is_refused_in_the_form(app: DayoneApp, demo_workspace: Workspace) -> None:
    before = len(demo_workspace.rows("note"))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("n", "enter")
        await settle(pilot)
        assert "empty" in str(app.screen.query_one("#note-error").render())
        assert len(demo_workspace.rows("note")) == before


async def test_space_ticks_a_todo_and_ctrl_z_reverts_it(app: DayoneApp, demo_workspace: Workspace) -> None:
    leaf = demo_workspace.integration("Leaf ID")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("5")
        notes = app.screen.tables["notes"]
        todo = next(
            n
            for n in demo_workspace.rows("note", "integration_id = ? AND kind = 'todo' AND done = 0", (leaf["id"],))
            if not n["private"]
        )
        await pilot.press(*["down"] * notes.get_row_index(str(todo["id"])))
        await pilot.press("space")
        await settle(pilot)
        assert demo_workspace.get("note", todo["id"])["done"] is True
        await until(pilot, lambda: "☑" in text_of(app, "notes").split("\n")[notes.get_row_index(str(todo["id"]))])
        await pilot.press("ctrl+z")
        await settle(pilot)
        assert demo_workspace.get("note", todo["id"])["done"] is False


async def test_ctrl_z_undoes_a_new_note(app: DayoneApp, demo_workspace: Workspace) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("n", *"temporary", "enter")
        await settle(pilot)
        assert demo_workspace.rows("note", "text = 'temporary'")
        await pilot.press("ctrl+z")
        await settle(pilot)
        assert not demo_workspace.rows("note", "text = 'temporary'")
        await until(pilot, lambda: "temporary" not in text_of(app, "notes"))
        await pilot.press("ctrl+z")
        await settle(pilot)
        assert not demo_workspace.rows("note", "text = 'temporary'")


async def test_share_mode_hides_private_notes_and_masks_secrets(demo_workspace: Workspace) -> None:
    leaf = demo_workspace.integration("Leaf ID")
    demo_workspace.add_note(leaf["id"], "replica login: password=Sup3rSecret!", kind=NoteKind.NOTE)
    private = demo_workspace.add_note(leaf["id"], "my own reminder", private=True)
    app = DayoneApp(demo_workspace.path, integration="Leaf ID")  # after the notes: it starts reading at once
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        shown = text_of(app, "notes")
        assert "Sup3rSecret!" in shown and private["text"] in shown
        await pilot.press("s")
        await pilot.pause()
        assert app.share_mode
        shown = text_of(app, "notes")
        assert "Sup3rSecret!" not in shown and "•••••" in shown
        assert private["text"] not in shown
        assert "SHARING" in str(app.screen.query_one("#header").render())
        await pilot.press("s")
        await pilot.pause()
        assert private["text"] in text_of(app, "notes")


async def test_share_flag_starts_in_share_mode(demo_workspace: Workspace) -> None:
    app = DayoneApp(demo_workspace.path, share=True, integration="Leaf ID")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert app.share_mode
        assert "SHARING" in str(app.screen.query_one("#header").render())
        private = demo_workspace.rows("note", "private = 1 AND integration_id = ?", (app.integration_id,))
        assert private and all(note["text"][:20] not in text_of(app, "notes") for note in private)


async def test_i_switches_integration_and_remembers_it(app: DayoneApp, demo_workspace: Workspace) -> None:
    integrations = demo_workspace.integrations()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        start = app.integration_id
        index = [row["id"] for row in integrations].index(start)
        target = integrations[(index + 1) % len(integrations)]
        await pilot.press("i", "down" if index + 1 < len(integrations) else "home", "enter")
        await settle(pilot)
        assert app.integration_id == target["id"]
        assert target["name"] in str(app.screen.query_one("#header").render())
        tables = demo_workspace.rows("table", "integration_id = ?", (target["id"],))
        assert f"({len(tables)})" in app.screen.query_one("#tables").border_title
    assert demo_workspace.last_integration()["id"] == target["id"]


async def test_slash_filters_tables_by_table_and_column_names(app: DayoneApp, demo_workspace: Workspace) -> None:
    leaf = demo_workspace.integration("Leaf ID")
    column = demo_workspace.query(
        "SELECT c.name, t.name FROM columns c JOIN tables t ON t.id = c.table_id WHERE t.integration_id = ?"
        " AND c.name = 'legacy_customer_id'",
        (leaf["id"],),
    )[0]
    with_column = {
        row[0]
        for row in demo_workspace.query(
            "SELECT DISTINCT t.name FROM columns c JOIN tables t ON t.id = c.table_id WHERE t.integration_id = ?"
            " AND (lower(c.name) LIKE '%legacy_cust%' OR lower(t.name) LIKE '%legacy_cust%')",
            (leaf["id"],),
        )
    }
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("4", "slash", *"legacy_cust")
        await pilot.pause()
        rows = cells(app, "tables")
        assert {row[0].rsplit(".", 1)[-1] for row in rows} == with_column
        assert column[1] in {row[0].rsplit(".", 1)[-1] for row in rows}
        assert "of" in app.screen.query_one("#tables").border_title
        await pilot.press("escape")
        await pilot.pause()
        total = len(demo_workspace.rows("table", "integration_id = ?", (leaf["id"],)))
        assert app.screen.tables["tables"].row_count == total
        assert app.screen.focused is app.screen.tables["tables"]


async def test_z_maximizes_the_focused_pane_and_back(app: DayoneApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        for key, part in (("1", "stakeholders"), ("2", "metrics"), ("3", "checklist"), ("4", "tables"), ("5", "notes")):
            await pilot.press(key)
            assert app.screen.focused is app.screen.tables[part]
            await pilot.press("z")
            assert app.screen.maximized is app.screen.query_one(f"#{part}")
            await pilot.pause()
            assert app.screen.query_one(f"#{part}").size.width == SIZE[0] - 2
            assert app.screen.tables[part].row_count
            await pilot.press("z")
            assert app.screen.maximized is None


async def test_checklist_open_only_and_folding(app: DayoneApp, demo_workspace: Workspace) -> None:
    leaf = demo_workspace.integration("Leaf ID")
    items = demo_workspace.rows("item", "integration_id = ?", (leaf["id"],))
    settled = {str(item["id"]) for item in items if ItemStatus(item["status"]).settled}
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        table = app.screen.tables["checklist"]
        await pilot.press("3", "o")
        keys = set(table.keys())
        assert settled and not keys & settled
        await pilot.press("o")
        await pilot.press("home", "space")
        keys = table.keys()
        first_section = keys[0]
        assert keys[1].startswith("s:")
        await pilot.press("space")
        keys = table.keys()
        assert keys[0] == first_section and not keys[1].startswith("s:")


async def test_enter_on_a_table_shows_its_columns_and_referrers(app: DayoneApp, demo_workspace: Workspace) -> None:
    leaf = demo_workspace.integration("Leaf ID")
    accounts = demo_workspace.rows("table", "integration_id = ? AND name = 'accounts'", (leaf["id"],))[0]
    columns = demo_workspace.rows("column", "table_id = ?", (accounts["id"],))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        table = app.screen.tables["tables"]
        await pilot.press("4", *["down"] * table.get_row_index(str(accounts["id"])), "enter")
        await settle(pilot)
        assert isinstance(app.screen, TableScreen)
        grid = app.screen.query_one("#columns")
        assert grid.row_count == len(columns)
        links = str(app.screen.query_one("#links").render())
        assert "Pointed at by" in links and "login_events" in links
        await pilot.press("escape")
        assert isinstance(app.screen, MainScreen)


async def test_the_column_under_the_cursor_shows_its_value_set_and_default(
    app: DayoneApp, demo_workspace: Workspace
) -> None:
    leaf = demo_workspace.integration("Leaf ID")
    accounts = demo_workspace.rows("table", "integration_id = ? AND name = 'accounts'", (leaf["id"],))[0]
    status = demo_workspace.rows("column", "table_id = ? AND name = 'status'", (accounts["id"],))[0]
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        table = app.screen.tables["tables"]
        await pilot.press("4", *["down"] * table.get_row_index(str(accounts["id"])), "enter")
        await settle(pilot)
        await pilot.press(*["down"] * (status["position"] - 1))
        await pilot.pause()
        info = app.screen.query_one("#column-info")
        shown = str(info.render())
        assert info.border_title == "status"
        for code, meaning in status["value_set"].items():
            assert f"{code} = {meaning}" in shown
        assert f"Default: {status['default_value']}" in shown


async def test_f1_and_question_mark_list_the_focused_panes_keys(app: DayoneApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("3", "f1")
        assert isinstance(app.screen, HelpScreen)
        titles = [title for title, _ in app.screen.groups]
        assert titles[0] == "Checklist"
        assert "Open only" in [binding.description for binding in app.screen.groups[0][1]]
        await pilot.press("escape")
        await pilot.press("5", "question_mark")
        assert isinstance(app.screen, HelpScreen)
        assert app.screen.groups[0][0] == "Notes"
        await pilot.press("escape")
        assert isinstance(app.screen, MainScreen)


async def test_another_connection_writing_shows_up_unasked(app: DayoneApp, demo_workspace: Workspace) -> None:
    leaf = demo_workspace.integration("Leaf ID")
    stakeholders = demo_workspace.rows("stakeholder", "integration_id = ?", (leaf["id"],))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("5", "down", "down")
        notes = app.screen.tables["notes"]
        cursor_key = notes.selected_key()
        demo_workspace.add_note(leaf["id"], "written from another terminal")
        demo_workspace.update("stakeholder", stakeholders[1]["id"], {"name": "Renamed Elsewhere"})
        await until(
            pilot,
            lambda: (
                "written from another terminal" in text_of(app, "notes")
                and "Renamed Elsewhere" in text_of(app, "stakeholders")
            ),
        )
        assert notes.selected_key() == cursor_key


async def test_command_palette_runs_actions_by_name(app: DayoneApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await run_command(pilot, "share mode on", "Share mode on")
        await until(pilot, lambda: app.share_mode)


async def test_theme_toggle_and_quit(app: DayoneApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        dark = app.theme
        await pilot.press("t")
        assert app.theme != dark
        await pilot.press("ctrl+q")
    assert app.return_code in (0, None)


async def test_enter_a_and_d_open_the_row_forms(app: DayoneApp, demo_workspace: Workspace) -> None:
    from tui.screens.confirm import ConfirmDelete
    from tui.screens.forms import EditScreen

    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("1", "down", "enter")
        await settle(pilot)
        assert isinstance(app.screen, EditScreen)
        second = app.screen_stack[0].tables["stakeholders"].keys()[1]
        assert (app.screen.entity, app.screen.row_id) == ("stakeholder", int(second))
        await pilot.press("escape")
        await pilot.press("2", "a")
        await settle(pilot)
        assert isinstance(app.screen, EditScreen)
        assert (app.screen.entity, app.screen.row_id, app.screen.parent_id) == ("metric", None, app.integration_id)
        await pilot.press("escape")
        await pilot.press("5", "d")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmDelete)
        await pilot.press("escape")
        assert isinstance(app.screen, MainScreen)


async def test_a_stale_save_opens_the_conflict_dialog(app: DayoneApp, demo_workspace: Workspace) -> None:
    from tui.screens.conflict import ConflictScreen

    leaf = demo_workspace.integration("Leaf ID")
    person = demo_workspace.rows("stakeholder", "integration_id = ?", (leaf["id"],))[0]
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        demo_workspace.update("stakeholder", person["id"], {"contact": "@elsewhere"})
        app.save(
            lambda ws: ws.update("stakeholder", person["id"], {"contact": "@mine"}, version=person["version"]),
            "change contact",
        )
        await settle(pilot)
        assert isinstance(app.screen, ConflictScreen)
        assert demo_workspace.get("stakeholder", person["id"])["contact"] == "@elsewhere"


async def test_a_refused_save_is_a_one_line_notification(app: DayoneApp, demo_workspace: Workspace) -> None:
    leaf = demo_workspace.integration("Leaf ID")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.save(
            lambda ws: ws.insert("metric", {"integration_id": leaf["id"], "name": "x", "priority": "urgent"}),
            "add metric",
        )
        await settle(pilot)
        messages = [notification.message for notification in app._notifications]
        assert any("metric.priority" in message and "\n" not in message for message in messages)
        assert not demo_workspace.rows("metric", "name = 'x'")


async def test_r_opens_the_checklist_review(app: DayoneApp) -> None:
    from tui.screens.review import ReviewScreen

    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("r")
        await settle(pilot)
        assert isinstance(app.screen, ReviewScreen)


async def test_a_note_points_at_what_the_cursor_is_on(app: DayoneApp, demo_workspace: Workspace) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        checklist = app.screen.tables["checklist"]
        await pilot.press("3", "down")
        item_id = int(checklist.selected_key())
        await pilot.press("n", *"asked in the standup", "enter")
        await settle(pilot)
        assert demo_workspace.rows("note", "text = 'asked in the standup'")[0]["item_id"] == item_id

        tables = app.screen.tables["tables"]
        await pilot.press("4", "enter")
        await settle(pilot)
        await pilot.press("n", *"check the row count", "enter")
        await settle(pilot)
        assert demo_workspace.rows("note", "text = 'check the row count'")[0]["table_id"] == int(tables.selected_key())


async def test_dayone_note_from_a_shell_shows_up_within_a_second(app: DayoneApp, demo_workspace: Workspace) -> None:
    import subprocess
    import sys

    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        result = subprocess.run(
            [
                sys.executable,
                "-m",
                "tui",
                "note",
                "--db",
                str(demo_workspace.path),
                "--integration",
                "Leaf ID",
                "--todo",
                "typed in another terminal",
            ],
            capture_output=True,
            text=True,
        )
        assert result.returncode == 0, result.stderr
        await until(pilot, lambda: "typed in another terminal" in text_of(app, "notes"))


async def test_share_mode_masks_a_password_in_the_source_system(demo_workspace: Workspace) -> None:
    leaf = demo_workspace.integration("Leaf ID")
    demo_workspace.update("integration", leaf["id"], {"source": "postgres://loader:Hunter2Secret@db.internal/identity"})
    app = DayoneApp(demo_workspace.path, integration="Leaf ID")
    async with app.run_test(size=(200, 50)) as pilot:
        await settle(pilot)
        assert "Hunter2Secret" in str(app.screen.query_one("#header").render())
        await pilot.press("s")
        await pilot.pause()
        header = str(app.screen.query_one("#header").render())
        assert "Hunter2Secret" not in header and "•••••" in header


async def test_help_lists_each_key_once_with_the_panes_own_meaning(app: DayoneApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("4", "f1")
        assert isinstance(app.screen, HelpScreen)
        title, bindings = app.screen.groups[0]
        assert title == "Tables"
        enter = [binding for binding in bindings if binding.key == "enter"]
        assert [binding.description for binding in enter] == ["Details"]


async def test_the_command_opens_the_screen_on_the_integration_it_names(demo_workspace: Workspace) -> None:
    from tui.cli import build_parser, open_app

    orders = demo_workspace.integration("Orders")
    app = open_app(build_parser().parse_args(["--db", str(demo_workspace.path), "--integration", "Orders"]))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert app.integration_id == orders["id"]
        assert app.screen.tables["tables"].row_count == len(
            demo_workspace.rows("table", "integration_id = ?", (orders["id"],))
        )
        assert "Orders" in str(app.screen.query_one("#header").render())
        await until(pilot, lambda: demo_workspace.setting("last_integration") == str(orders["id"]))
