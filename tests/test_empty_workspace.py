"""A newcomer on an empty workspace is led to make the integration first, whatever key they start with."""

from __future__ import annotations

from datetime import date

import pytest
from pilot import settle

from tui.app import DayoneApp
from tui.screens.forms import EditScreen
from tui.screens.meeting import StartMeeting
from tui.screens.note_form import NoteForm
from tui.screens.picker import IntegrationPicker
from tui.screens.review import ReviewScreen
from tui.store import Workspace

TODAY = date(2026, 11, 21)


@pytest.fixture
def empty(workspace: Workspace) -> Workspace:
    assert workspace.integrations() == []
    return workspace


async def name_the_integration(pilot, name: str = "Vault") -> None:
    form = pilot.app.screen
    assert isinstance(form, EditScreen) and form.entity == "integration"
    assert "belongs to an integration" in str(form.query_one("#form-context").render())
    await pilot.press(*name, "enter")
    await settle(pilot)


@pytest.mark.parametrize(
    ("keys", "entity", "typed"),
    [("1a", "stakeholder", ()), ("2a", "metric", ()), ("4a", "table", ("tab",))],  # a table's schema comes first
)
async def test_a_on_an_empty_workspace_asks_for_the_integration_then_the_row(empty, keys, entity, typed):
    app = DayoneApp(empty.path, author="tester", today=TODAY)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press(*keys)
        await settle(pilot)
        await name_the_integration(pilot)
        form = app.screen
        assert isinstance(form, EditScreen) and form.entity == entity
        await pilot.press(*typed, *"orders", "enter")
        await settle(pilot)
        assert not isinstance(app.screen, EditScreen)
        assert app.is_running
    vault = empty.integration("Vault")
    assert [row["name"] for row in empty.rows(entity, "integration_id = ?", (vault["id"],))] == ["orders"]


@pytest.mark.parametrize(("key", "then"), [("n", NoteForm), ("m", StartMeeting), ("r", ReviewScreen)])
async def test_note_meeting_and_review_on_an_empty_workspace_start_with_the_integration(empty, key, then):
    app = DayoneApp(empty.path, author="tester", today=TODAY)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press(key)
        await settle(pilot)
        await name_the_integration(pilot)
        assert isinstance(app.screen, then)
    assert empty.integration("Vault") is not None


async def test_i_on_an_empty_workspace_offers_a_new_integration(empty):
    app = DayoneApp(empty.path, author="tester", today=TODAY)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("i")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, EditScreen) and form.entity == "integration"
        await pilot.press(*"Vault", "enter")
        await settle(pilot)
        assert app.integration_id == empty.integration("Vault")["id"]
        await pilot.press("i")
        await settle(pilot)
        assert isinstance(app.screen, IntegrationPicker)
        await pilot.press("down", "enter")  # the line after the integrations: a new one
        await settle(pilot)
        assert isinstance(app.screen, EditScreen) and app.screen.entity == "integration"
