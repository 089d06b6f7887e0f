"""The footer: the keys of the focused pane on one line, whole keys only, and a click presses a key."""

from __future__ import annotations

from pilot import settle, until
from textual.command import CommandPalette

from tui.app import DayoneApp
from tui.screens.note_form import NoteForm
from tui.widgets.footer import KeyFooter


def footer_text(app: DayoneApp) -> str:
    footer = app.screen.query_one(KeyFooter)
    return footer.render().plain


async def test_footer_follows_the_focused_pane(demo_workspace) -> None:
    app = DayoneApp(demo_workspace.path)
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(pilot)
        text = footer_text(app)
        assert "space Fold" in text and "o Open only" in text  # the checklist has the focus
        assert text.rstrip().endswith("▏^p Commands")
        await pilot.press("5")
        await settle(pilot)
        text = footer_text(app)
        assert "space Done" in text and "Fold" not in text


async def test_narrow_footer_shows_whole_keys_and_keeps_the_palette_key(demo_workspace) -> None:
    app = DayoneApp(demo_workspace.path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        footer = app.screen.query_one(KeyFooter)
        text = footer.render().plain
        assert len(text) == 80
        assert text.endswith("▏^p Commands ")
        shown = [key.binding.description for key in footer._keys]
        assert shown[-1] == "Commands" and "Help" not in shown  # cut before a key, never inside one
        body = text[: text.index("▏")].rstrip()
        assert body.endswith(f"{shown[-2]}")


async def test_a_click_on_a_key_presses_it(demo_workspace) -> None:
    app = DayoneApp(demo_workspace.path)
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(pilot)
        text = footer_text(app)
        await pilot.click(KeyFooter, offset=(text.index(" n Note") + 2, 0))
        await until(pilot, lambda: isinstance(app.screen, NoteForm))
        await pilot.press("escape")
        await settle(pilot)
        await pilot.click(KeyFooter, offset=(text.index("^p Commands") + 1, 0))
        await until(pilot, lambda: isinstance(app.screen, CommandPalette))
