"""Contract versions on the planning screen: the version and its unpublished mark in the header, the versions
screen with the diff between two versions, publishing from it, and hostile text shown as text."""

from __future__ import annotations

import pytest
from pilot import settle, until

from tui.app import DayoneApp
from tui.screens.main import MainScreen
from tui.screens.versions import VersionsScreen
from tui.store import Workspace
from tui.versions import publish, published

SIZE = (160, 45)
TODAY = "2026-12-02"


@pytest.fixture
def orders(demo_workspace: Workspace) -> dict:
    found = demo_workspace.integration("Orders")
    demo_workspace.remember_integration(found["id"])
    return found


def header(app: DayoneApp) -> str:
    main = next(screen for screen in app.screen_stack if isinstance(screen, MainScreen))
    return str(main.header.render())


def rows(table) -> list[list[str]]:
    return [[str(cell) for cell in table.get_row_at(index)] for index in range(table.row_count)]


def _status_column(ws: Workspace) -> dict:
    table = ws.rows("table", "name = 'orders'")[0]
    return ws.rows("column", "table_id = ? AND name = 'status'", (table["id"],))[0]


async def test_the_header_shows_the_version_and_unpublished_changes(demo_workspace: Workspace, orders: dict) -> None:
    app = DayoneApp(demo_workspace.path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert "v0." not in header(app) and "contract" not in header(app), "nothing published: nothing to say"
        with Workspace.open(demo_workspace.path, author="olu", create=False) as other:
            publish(other, other.integration("Orders"), TODAY)
            other.update("column", _status_column(other)["id"], {"description": "Where the order is"})
        await until(pilot, lambda: "0.1.0" in header(app) and "unpublished" in header(app))
        with Workspace.open(demo_workspace.path, author="olu", create=False) as other:
            publish(other, other.integration("Orders"), TODAY)
        await until(pilot, lambda: "0.1.1" in header(app) and "unpublished" not in header(app))


async def test_the_versions_screen_lists_versions_diffs_two_and_publishes(
    demo_workspace: Workspace, orders: dict
) -> None:
    ws = demo_workspace
    publish(ws, orders, TODAY, message="first cut")
    ws.update("column", _status_column(ws)["id"], {"nullable": True})
    publish(ws, ws.integration("Orders"), TODAY, message="status may be empty")
    ws.update("column", _status_column(ws)["id"], {"description": "Where the order is in its life"})
    app = DayoneApp(ws.path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("v")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, VersionsScreen)
        listed = screen.query_one("#versions-list")
        assert [row[0] for row in rows(listed)] == ["workspace", "1.0.0", "0.1.0"]
        assert "unpublished changes" in str(screen.query_one("#versions-title").render())
        diff = screen.query_one("#versions-diff")
        await until(pilot, lambda: rows(diff) and rows(diff)[0][2] == "description changed")
        assert rows(diff)[0][:4] == ["info", "info", "description changed", "orders.orders.status"]
        await pilot.press("down")  # 1.0.0 against the version before it
        await until(pilot, lambda: rows(diff) and rows(diff)[0][2] == "nullability relaxed")
        assert rows(diff)[0][:2] == ["breaking", "info"]
        assert "Orders placed per day" in rows(diff)[0][5]
        await pilot.press("down", "f", "up", "up")  # from 0.1.0 to the workspace now
        await until(pilot, lambda: len(rows(diff)) == 2)
        assert {row[2] for row in rows(diff)} == {"nullability relaxed", "description changed"}
        await pilot.press("p")
        await until(pilot, lambda: len(published(ws, orders["id"])) == 3)
        assert published(ws, orders["id"])[-1].version == "1.0.1"
        await until(pilot, lambda: [row[0] for row in rows(listed)][:2] == ["workspace", "1.0.1"])
        await pilot.press("p")  # nothing changed since: no version
        await settle(pilot)
        assert len(published(ws, orders["id"])) == 3
        await pilot.press("escape")
        await until(pilot, lambda: "1.0.1" in header(app) and "unpublished" not in header(app))
        await pilot.press("ctrl+z")  # a published version stays: there is nothing before it to undo here
        await settle(pilot)
        assert [str(note.message) for note in app._notifications][-1].startswith("Nothing to undo")
        assert ws.integration("Orders")["contract_version"] == "1.0.1"
        assert "1.0.1" in header(app)


async def test_hostile_names_in_changes_are_shown_as_text(demo_workspace: Workspace, orders: dict) -> None:
    ws = demo_workspace
    publish(ws, orders, TODAY)
    hostile = "[@click=app.quit]x[/]\x1b[2J"
    ws.update("column", _status_column(ws)["id"], {"value_set": {"pending": "", hostile: "[b]bold[/b]"}})
    app = DayoneApp(ws.path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("v")
        await settle(pilot)
        diff = app.screen.query_one("#versions-diff")
        await until(pilot, lambda: any(row[2] == "values added" for row in rows(diff)))
        added = next(row for row in rows(diff) if row[2] == "values added")
        assert "[@click=app.quit]x[/]" in added[4] and "\x1b" not in added[4]
        assert app.is_running


def test_the_header_keeps_the_version_on_a_narrow_screen() -> None:
    from datetime import date

    from tui.widgets.header import header_text

    integration = {"name": "Orders", "source": "order service, PostgreSQL 15 on a long hosted name", "go_live": None}
    wide = header_text(integration, None, date(2026, 12, 2), False, 200, version=("1.2.0", True)).plain
    assert wide.endswith(" · contract 1.2.0 + unpublished changes") and "order service" in wide
    narrow = header_text(integration, None, date(2026, 12, 2), False, 60, version=("1.2.0", True)).plain
    assert narrow.endswith(" · v1.2.0 + unpublished") and "order service" not in narrow
    published = header_text(integration, None, date(2026, 12, 2), False, 200, version=("1.2.0", False)).plain
    assert published.endswith(" · contract 1.2.0")
    assert "contract" not in header_text(None, None, date(2026, 12, 2), False, 200, version=("1.2.0", True)).plain
