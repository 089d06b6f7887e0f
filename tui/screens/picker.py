"""Choose which integration the screen shows."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from tui import keys
from tui.widgets.plain import plain_line

if TYPE_CHECKING:
    from textual import getters

    from tui.app import DayoneApp

NEW_INTEGRATION = -1  # what the picker answers when the last line, "New integration…", is chosen


class IntegrationPicker(ModalScreen[int | None]):
    if TYPE_CHECKING:
        app = getters.app(DayoneApp)

    BINDINGS = keys.PICKER

    def __init__(self, integrations: list[dict], current: int | None) -> None:
        super().__init__()
        self.integrations = integrations
        self.current = current

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = "Switch integration"
            box.border_subtitle = "Enter picks · Escape cancels"
            yield OptionList(
                *[
                    Option(
                        plain_line(
                            self.app.shown(row["name"])
                            + (f"  ·  {self.app.shown(row['source'])}" if row.get("source") else "")
                        ),
                        id=str(row["id"]),
                    )
                    for row in self.integrations
                ],
                Option("+ New integration…", id=str(NEW_INTEGRATION)),
            )

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        for index, row in enumerate(self.integrations):
            if row["id"] == self.current:
                options.highlighted = index
        options.focus()

    @on(OptionList.OptionSelected)
    def _picked(self, event: OptionList.OptionSelected) -> None:
        assert event.option.id is not None  # every option here is made with its row's id
        self.dismiss(int(event.option.id))

    def action_cancel(self) -> None:
        self.dismiss(None)
