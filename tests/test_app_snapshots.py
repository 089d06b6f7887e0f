"""Snapshots of the main screen on the demo workspace, at the size a shared screen usually has."""

from __future__ import annotations

import time

import pytest

from tui.app import DayoneApp
from tui.store import Workspace

SIZE = (160, 45)


@pytest.fixture
def demo_app(demo_workspace: Workspace, monkeypatch: pytest.MonkeyPatch):
    """The demo opened on Leaf ID, with today and the time zone pinned so that every run draws the same."""
    monkeypatch.setenv("DAYONE_TODAY", "2026-11-20")
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    demo_workspace.remember_integration(demo_workspace.integration("Leaf ID")["id"])

    def make(**options) -> DayoneApp:
        return DayoneApp(demo_workspace.path, **options)

    return make


async def loaded(pilot) -> None:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def test_main_screen(snap_compare, demo_app) -> None:
    assert snap_compare(demo_app(), terminal_size=SIZE, run_before=loaded)


@pytest.mark.parametrize("key", ["1", "2", "3", "4", "5"])
def test_pane_maximized(snap_compare, demo_app, key: str) -> None:
    async def zoomed(pilot) -> None:
        await loaded(pilot)
        await pilot.press(key, "z")
        await pilot.pause()

    assert snap_compare(demo_app(), terminal_size=SIZE, run_before=zoomed)


def test_help_for_the_checklist(snap_compare, demo_app) -> None:
    async def help_open(pilot) -> None:
        await loaded(pilot)
        await pilot.press("3", "f1")
        await pilot.pause()

    assert snap_compare(demo_app(), terminal_size=SIZE, run_before=help_open)


def test_share_mode(snap_compare, demo_app) -> None:
    assert snap_compare(demo_app(share=True), terminal_size=SIZE, run_before=loaded)


def test_table_detail(snap_compare, demo_app) -> None:
    async def detail(pilot) -> None:
        await loaded(pilot)
        await pilot.press("4", "down", "down", "enter")
        await loaded(pilot)

    assert snap_compare(demo_app(), terminal_size=SIZE, run_before=detail)


def test_light_theme(snap_compare, demo_app) -> None:
    async def light(pilot) -> None:
        await loaded(pilot)
        await pilot.press("t")
        await pilot.pause()

    assert snap_compare(demo_app(), terminal_size=SIZE, run_before=light)
