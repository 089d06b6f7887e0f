"""Answering a checklist question table by table: tick the tables, type the answer once, apply it to all of them."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING, Any

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, SelectionList, Static
from textual.widgets.selection_list import Selection

from tui import keys
from tui.actions import answer_tables
from tui.widgets.footer import KeyFooter
from tui.workers import describe

if TYPE_CHECKING:
    from textual import getters

    from tui.app import DayoneApp


class TableAnswers(ModalScreen[None]):
    """One item asked per table: each table with its answer so far; Ctrl+S gives the typed answer to the ticked ones."""

    if TYPE_CHECKING:
        app = getters.app(DayoneApp)

    BINDINGS = keys.TABLE_ANSWERS
    AUTO_FOCUS = "#answer-tables"

    def __init__(self, item: dict[str, Any], tables: list[tuple[int, str]], answers: dict[int, str]) -> None:
        super().__init__()
        self.item = item
        self.tables = tables
        self.answers = dict(answers)

    def compose(self) -> ComposeResult:
        options = self.item["options"] or []
        with Vertical():
            yield Static(f"Per table · {self.item['key']}", id="answer-title")
            yield Static(self.item["question"], id="answer-question")
            yield SelectionList[int](*self._selections(), id="answer-tables")
            yield Input(
                value=self.item["answer"] or "",
                placeholder="the answer for the ticked tables",
                id="answer-text",
            )
            yield Static(
                "  ".join(f"{number} {option}" for number, option in enumerate(options[:9], start=1))
                + ("   (a number alone takes that typical answer)" if options else ""),
                id="answer-options",
            )
            yield Static(
                "Space ticks a table; Ctrl+S answers the ticked ones (or the highlighted one)", id="answer-status"
            )
            yield KeyFooter()

    def _selections(self) -> list[Selection[int]]:
        width = max((len(label) for _, label in self.tables), default=10)
        return [
            Selection(
                f"{label:<{width}}  " + (self.app.shown(self.answers[table_id]) if table_id in self.answers else "—"),
                table_id,
            )
            for table_id, label in self.tables
        ]

    def _status(self, text: str) -> None:
        self.query_one("#answer-status", Static).update(text)

    def action_tick_all(self) -> None:
        self.query_one(SelectionList).select_all()

    def action_tick_unanswered(self) -> None:
        tables = self.query_one(SelectionList)
        tables.deselect_all()
        for table_id, _ in self.tables:
            if table_id not in self.answers:
                tables.select(table_id)

    @on(Input.Submitted)
    def _submitted(self) -> None:
        self.action_apply()

    def action_apply(self) -> None:
        tables = self.query_one(SelectionList)
        ticked: list[int] = list(tables.selected)
        if not ticked and tables.highlighted is not None:
            ticked = [tables.get_option_at_index(tables.highlighted).value]
        if not ticked:
            self._status("Tick the tables this answer is for (Space), or Ctrl+A for all")
            return
        text = self.query_one("#answer-text", Input).value.strip()
        options = self.item["options"] or []
        if text.isdigit() and 1 <= int(text) <= min(len(options), 9):
            text = options[int(text) - 1]
        if not text:
            self._status("Type the answer first (an empty answer is not recorded)")
            return
        self._status("saving…")
        self.app.save(
            partial(answer_tables, item_id=self.item["id"], table_ids=ticked, answer=text),
            f"answer {self.item['key']} for {len(ticked)} table{'s' if len(ticked) != 1 else ''}",
            on_saved=partial(self._answered, ticked, text),
            on_failed=lambda error: self._status(describe(error)),
        )

    def _answered(self, ticked: list[int], text: str, _: object) -> None:
        for table_id in ticked:
            self.answers[table_id] = text
        tables = self.query_one(SelectionList)
        highlighted = tables.highlighted
        tables.clear_options()
        tables.add_options(self._selections())
        if highlighted is not None:
            tables.highlighted = highlighted
        self._status(f"Answered for {len(ticked)} table{'s' if len(ticked) != 1 else ''}: {text}")

    def action_cancel(self) -> None:
        self.dismiss(None)
