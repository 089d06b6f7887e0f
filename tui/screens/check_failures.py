"""The last check's failures: each rule that failed (or warned), where, what was found, and its SQL.

Reads nothing itself: the app loads the integration's enforcement in a worker (the `enforcement` part) and this
screen repaints when it changes. Everything shown came from the workspace and the checked database, so it is
handed to the widgets as plain text.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from tui import keys
from tui.check.results import Result
from tui.enforcement import ContractEnforcement
from tui.enums import CheckStatus
from tui.widgets.footer import KeyFooter
from tui.widgets.panes import local_stamp
from tui.widgets.plain import plain, safe_text

if TYPE_CHECKING:
    from textual import getters

    from tui.app import DayoneApp


class CheckFailuresScreen(Screen[None]):
    """The rules the last `dayone check` found broken, one at a time with the query that found it."""

    if TYPE_CHECKING:
        app = getters.app(DayoneApp)

    BINDINGS = keys.CHECK_FAILURES
    AUTO_FOCUS = "#failures-list"

    def __init__(self) -> None:
        super().__init__()
        self.failures: tuple[Result, ...] = ()

    def compose(self) -> ComposeResult:
        yield Static("", id="failures-summary")
        with Horizontal(id="failures-body"):
            yield OptionList(id="failures-list")
            with VerticalScroll(id="failure-detail"):
                yield Static("", id="failure-text")
                yield Static("", id="failure-sql")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one("#failures-list").border_title = "Failed or warned"
        self.query_one("#failure-detail").border_title = "What the check found"
        self.show(self.app.data.get("enforcement"))

    def workspace_changed(self, parts: dict[str, Any]) -> None:
        if "enforcement" in parts:
            self.show(parts["enforcement"])

    def share_mode_changed(self, share: bool) -> None:
        self.show(self.app.data.get("enforcement"))

    def show(self, enforcement: ContractEnforcement | None) -> None:
        summary = self.query_one("#failures-summary", Static)
        listing = self.query_one("#failures-list", OptionList)
        highlighted = listing.highlighted
        listing.clear_options()
        if enforcement is None or enforcement.checked_at is None:
            self.failures = ()
            summary.update(
                Text("Never checked: run `dayone check --url URL` here, or in CI (`dayone export --format ci`).")
            )
            self._detail(None, checked=False)
            return
        self.failures = enforcement.failures
        shown = self.app.shown
        integration = self.app.data.get("integration") or {}
        said = Text.assemble(
            ("Last check of ", "bold"),
            (shown(integration.get("name")), "bold"),
            f" {local_stamp(enforcement.checked_at)}: ",
        )
        if not self.failures:
            said.append("every rule held", style="green")
        else:
            said.append(f"{enforcement.failed} failed", style="bold red" if enforcement.failed else "")
            said.append(f", {enforcement.warned} warned" if enforcement.warned else "")
        summary.update(safe_text(said))
        listing.add_options(
            Option(safe_text(_label(result, shown)), id=str(index)) for index, result in enumerate(self.failures)
        )
        if self.failures:
            listing.highlighted = min(highlighted or 0, len(self.failures) - 1)
        self._detail(self.failures[listing.highlighted] if self.failures and listing.highlighted is not None else None)

    @on(OptionList.OptionHighlighted)
    def _highlighted(self, event: OptionList.OptionHighlighted) -> None:
        event.stop()
        if event.option.id is not None:
            self._detail(self.failures[int(event.option.id)])

    def _detail(self, result: Result | None, checked: bool = True) -> None:
        text = self.query_one("#failure-text", Static)
        sql = self.query_one("#failure-sql", Static)
        if result is None:
            said = "Nothing failed." if checked else "Nothing checked yet: no rule has failed or held."
            text.update(Text(said, style="dim") if self.failures == () else "")
            sql.update("")
            return
        shown = self.app.shown
        about = Text.assemble((result.rule, "bold"), " on ", (shown(result.where), "bold"))
        about.append(f"  {result.status.value}", style="bold red" if result.status is CheckStatus.FAIL else "yellow")
        if result.message:
            about.append("\n" + shown(result.message))
        if result.violations is not None:
            about.append(f"\n{result.violations:,} rows break it")
        if result.samples:
            about.append("\nFor example: ", style="bold")
            about.append(", ".join(shown(sample) for sample in result.samples))
        text.update(safe_text(about))
        sql.border_title = "SQL that finds the rows" if result.sql else ""
        sql.update(plain(shown(result.sql)) if result.sql else Text("no query: read off the catalog", style="dim"))
        sql.set_class(bool(result.sql), "-query")

    def action_back(self) -> None:
        self.dismiss()


def _label(result: Result, shown: Any) -> Text:
    symbol, style = ("✗", "bold red") if result.status is CheckStatus.FAIL else ("!", "bold yellow")
    count = f" ({result.violations:,})" if result.violations else ""
    return Text.assemble((symbol, style), " ", result.rule, " · ", shown(result.where), count)
