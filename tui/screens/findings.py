"""Dismissing what the schema import found: pick the finding, say why, and it stays dismissed."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING, Any

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from tui import keys
from tui.actions import dismiss_finding
from tui.widgets.footer import KeyFooter
from tui.workers import describe

if TYPE_CHECKING:
    from textual import getters

    from tui.app import DayoneApp


class DismissFinding(ModalScreen[None]):
    """The open findings of one table: the highlighted one is dismissed with the reason typed below it."""

    if TYPE_CHECKING:
        app = getters.app(DayoneApp)

    BINDINGS = keys.DISMISS_FINDING
    AUTO_FOCUS = "#dismiss-reason"

    def __init__(self, table: str, findings: list[dict[str, Any]]) -> None:
        super().__init__()
        self.table = table
        self.findings = findings

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(f"Dismiss a finding of {self.table}", id="dismiss-title")
            yield OptionList(
                *(
                    Option(
                        self.app.shown((f"{row['column_name']}: " if row.get("column_name") else "") + row["message"]),
                        id=str(row["id"]),
                    )
                    for row in self.findings
                ),
                id="dismiss-findings",
            )
            yield Input(placeholder="why it does not apply (required)", id="dismiss-reason")
            yield Static("", id="dismiss-error")
            yield KeyFooter()

    @on(Input.Submitted)
    def _submitted(self) -> None:
        self.action_dismiss_finding()

    @on(OptionList.OptionSelected)
    def _picked(self) -> None:
        self.query_one("#dismiss-reason").focus()

    def action_dismiss_finding(self) -> None:
        options = self.query_one(OptionList)
        reason = self.query_one("#dismiss-reason", Input).value.strip()
        if options.highlighted is None:
            return
        if not reason:
            self.query_one("#dismiss-error", Static).update("Say why it does not apply: others read the reason")
            return
        finding = self.findings[options.highlighted]
        self.query_one("#dismiss-error", Static).update("dismissing…")
        self.app.save(
            partial(dismiss_finding, finding_id=finding["id"], reason=reason),
            f"dismiss finding {finding['rule']} of {self.table}",
            on_saved=lambda _: self.dismiss(None),
            on_failed=lambda error: self.query_one("#dismiss-error", Static).update(describe(error)),
        )

    def action_cancel(self) -> None:
        self.dismiss(None)
