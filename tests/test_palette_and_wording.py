"""The palette names each command once, and help and the footer name review's j and k for what they do."""

from __future__ import annotations

from datetime import date

from pilot import settle

from tui.app import DayoneApp
from tui.commands import main_commands
from tui.screens.help import HelpScreen
from tui.widgets.footer import KeyFooter

TODAY = date(2026, 11, 21)


async def test_the_palette_lists_keys_zoom_and_quit_once(demo_workspace):
    app = DayoneApp(demo_workspace.path, author="tester", integration="Leaf ID", today=TODAY)
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(pilot)
        titles = [title for title, _, _ in main_commands(app)]
        titles += [command.title for command in app.get_system_commands(app.screen)]
        for title in ("Keys", "Quit", "Zoom pane"):
            assert titles.count(title) == 1, title
        assert "Maximize" not in titles and "Minimize" not in titles


async def test_review_footer_and_help_say_j_next_and_k_prev(demo_workspace):
    app = DayoneApp(demo_workspace.path, author="tester", integration="Leaf ID", today=TODAY)
    async with app.run_test(size=(200, 50)) as pilot:
        await settle(pilot)
        await pilot.press("r")
        await settle(pilot)
        footer = app.screen.query_one(KeyFooter).render().plain
        assert " j Next " in footer and " k Prev " in footer and "j/k" not in footer
        await pilot.press("f1")
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)
        pairs = [(binding.key, binding.description) for _, bindings in app.screen.groups for binding in bindings]
        assert ("j", "Next") in pairs and ("k", "Prev") in pairs
