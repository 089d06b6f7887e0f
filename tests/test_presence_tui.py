"""Who is here, in the planning screen's header: people joining and leaving from other processes, names as text."""

from __future__ import annotations

from datetime import date

import pytest
from pilot import settle, until

from tui.app import DayoneApp
from tui.presence import announce, leave, new_session
from tui.screens.table import TableScreen
from tui.store import Workspace
from tui.widgets.header import PeopleLine, header_text

SIZE = (160, 45)
LEAF = {"name": "Leaf ID", "source": "login service", "go_live": "2027-01-11"}


def header(app: DayoneApp) -> str:
    return str(app.screen_stack[0].header.render())


@pytest.fixture
def app(demo_workspace: Workspace) -> DayoneApp:
    demo_workspace.remember_integration(demo_workspace.integration("Leaf ID")["id"])
    return DayoneApp(demo_workspace.path)


def test_the_header_names_the_people_on_the_right_once_there_are_two() -> None:
    alone = header_text(LEAF, None, date(2026, 11, 21), False, 120, people=["Noor"])
    assert "here" not in alone.plain
    line = header_text(LEAF, None, date(2026, 11, 21), True, 120, people=["Noor", "Kenji", "Olu"])
    assert line.plain.startswith("dayone · Leaf ID · login service")
    assert line.plain.endswith("3 people here: Noor, Kenji, Olu  SHARING ")
    assert line.cell_len <= 120


def test_names_in_the_header_are_text_on_one_line_and_cut_to_fit() -> None:
    names = ["[@click=app.quit]x[/]", "a\x1b[2J\nb", "N" * 200]
    line = header_text(LEAF, None, date(2026, 11, 21), False, 160, people=names)
    assert "go-live 2027-01-11, 51 days left   " in line.plain  # the integration keeps its room
    assert "3 people here: [@click=app.quit]x[/], a␛[2J b, N" in line.plain
    assert line.plain.endswith("N…") and line.cell_len <= 160 and "\x1b" not in line.plain


async def test_people_joining_and_leaving_elsewhere_show_in_the_header(app: DayoneApp, db_path) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await until(pilot, lambda: app.people == ["tester"])
        assert "here" not in header(app)
        with Workspace.open(db_path) as other:
            kenji, olu = new_session(), new_session()
            announce(other, kenji, "Kenji [lead]")
            await until(pilot, lambda: "2 people here: tester, Kenji [lead]" in header(app))
            announce(other, olu, "Olu")
            await until(pilot, lambda: "3 people here: tester, Kenji [lead], Olu" in header(app))
            leave(other, kenji)
            await until(pilot, lambda: "2 people here: tester, Olu" in header(app))
            leave(other, olu)
            await until(pilot, lambda: "here" not in header(app))
    with Workspace.open(db_path) as after:
        assert after.query("SELECT count(*) FROM presence")[0][0] == 0  # the app took its own row away


async def test_a_name_that_looks_like_a_credential_is_masked_while_sharing(app: DayoneApp, db_path) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        with Workspace.open(db_path) as other:
            announce(other, new_session(), "password=hunter2x")
            await until(pilot, lambda: "password=hunter2x" in header(app))
            await pilot.press("s")
            await until(pilot, lambda: "password=•••••" in header(app) and "hunter2x" not in header(app))


async def test_a_screen_covering_the_main_one_says_who_is_here_too(app: DayoneApp, demo_workspace, db_path) -> None:
    leaf = demo_workspace.integration("Leaf ID")
    table_id = demo_workspace.rows("table", "integration_id = ?", (leaf["id"],))[0]["id"]
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.open_table(table_id)
        await until(pilot, lambda: isinstance(app.screen, TableScreen) and app.screen.query(PeopleLine))
        line = app.screen.query_one(PeopleLine)
        assert not line.display
        with Workspace.open(db_path) as other:
            session = new_session()
            announce(other, session, "Kenji\x1b[31m")
            await until(pilot, lambda: line.display and "2 people here: tester, Kenji␛[31m" in str(line.render()))
            leave(other, session)
            await until(pilot, lambda: not line.display)
