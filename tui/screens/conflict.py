"""The conflict dialog: someone saved the same row first; keep my edit or take theirs.

The store refuses a save whose version is stale and says what the row holds now
(`theirs`) and what was being written (`yours`). Keeping mine writes my values
again over the version just read, so it is one more undoable change; taking
theirs writes nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from textual import on
from textual.app import ComposeResult
from textual.containers import Grid, Vertical
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Static

from tui import keys
from tui.actions import delete_row, edit_row
from tui.errors import ConflictError
from tui.schema import ENTITIES
from tui.screens.fields import LABELS, noun
from tui.store import Workspace
from tui.widgets.footer import KeyFooter
from tui.widgets.plain import plain, plain_line
from tui.workers import background

if TYPE_CHECKING:
    from textual import getters

    from tui.app import DayoneApp

MINE, THEIRS = "mine", "theirs"


def keep_mine(error: ConflictError) -> Callable[[Workspace], Any]:
    """The change that writes my values over the row as it is now (a delete when I was deleting)."""
    version = error.theirs.get("version")

    def change(ws: Workspace) -> Any:
        if error.yours:
            return edit_row(ws, error.entity, error.row_id, error.yours, version)
        return delete_row(ws, error.entity, error.row_id, version)

    return change


def shown_value(value: Any) -> str:
    if value is None or value == "" or value == [] or value == {}:
        return "—"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return ", ".join(str(entry) for entry in value)
    if isinstance(value, dict):
        return ", ".join(f"{key}: {meaning}" for key, meaning in value.items())
    return str(value)


class ConflictScreen(ModalScreen[str | None]):
    """Both versions side by side; dismisses with "mine", "theirs" or None (Escape: decide nothing, write nothing)."""

    if TYPE_CHECKING:
        app = getters.app(DayoneApp)

    BINDINGS = keys.CONFLICT

    class Who(Message):
        def __init__(self, author: str | None, at: str | None) -> None:
            self.author = author
            self.at = at
            super().__init__()

    def __init__(self, error: ConflictError) -> None:
        super().__init__()
        self.error = error

    def compose(self) -> ComposeResult:
        error = self.error
        label = ENTITIES[error.entity].label
        name = error.theirs.get(label) or f"#{error.row_id}"
        with Vertical(id="conflict"):
            yield Static(plain_line(f"Changed elsewhere: {noun(error.entity)} {name}"), id="conflict-title")
            yield Static("Someone saved this row after you opened it.", id="conflict-who")
            with Grid(id="conflict-fields"):
                yield Static("Field", classes="heading")
                yield Static("Yours", classes="heading")
                yield Static("Theirs (saved now)", classes="heading")
                if error.yours:
                    for field, mine in error.yours.items():
                        differs = "differs" if mine != error.theirs.get(field) else ""
                        yield Static(LABELS.get(field, field.replace("_", " ").capitalize()), classes="field")
                        yield Static(plain(shown_value(mine)), id=f"yours-{field}", classes=differs)
                        yield Static(plain(shown_value(error.theirs.get(field))), id=f"theirs-{field}", classes=differs)
                else:
                    yield Static("(the row)", classes="field")
                    yield Static("delete it", id="yours-row", classes="differs")
                    yield Static(f"keep it (version {error.theirs.get('version')})", id="theirs-row")
            yield Static(
                "m keeps your values (saved over theirs, undoable with Ctrl+Z); t takes theirs and drops your edit.",
                id="conflict-hint",
            )
            yield KeyFooter()

    def on_mount(self) -> None:
        self.load_who()

    @background("read who changed the row", group="conflict-who", exclusive=True)
    def load_who(self) -> None:
        found = self.app.workspace.query(
            "SELECT author, at FROM changes WHERE entity = ? AND row_id = ? ORDER BY id DESC LIMIT 1",
            (self.error.entity, self.error.row_id),
        )
        self.post_message(self.Who(found[0]["author"], found[0]["at"]) if found else self.Who(None, None))

    @on(Who)
    def show_who(self, message: Who) -> None:
        if message.author:
            when = (message.at or "").replace("T", " ")[:16]
            self.query_one("#conflict-who", Static).update(
                plain_line(
                    f"{message.author} saved it at {when} UTC (now version {self.error.theirs.get('version')}, "
                    f"you edited version {self.error.expected})."
                )
            )

    def action_keep_mine(self) -> None:
        self._choose(MINE)

    def action_take_theirs(self) -> None:
        self._choose(THEIRS)

    def action_cancel(self) -> None:
        self._choose(None)

    def _choose(self, choice: str | None) -> None:
        app, error = self.app, self.error
        self.dismiss(choice)
        app.call_later(_resolve, app, error, choice)


def conflict_screen(error: ConflictError, retry: Callable[[], Any] | None = None) -> ConflictScreen:
    """The dialog for a refused save.

    `retry` would re-run the refused change as it was and meet the same stale
    version, so keeping mine writes `error.yours` over the current version instead.
    """
    return ConflictScreen(error)


def _resolve(app: Any, error: ConflictError, choice: str | None) -> None:
    """Mine or theirs settles it and closes the form that made the edit; Escape goes back to the form."""
    if choice is not None:
        _close_form_of(app, error)
    if choice == MINE:
        label = ENTITIES[error.entity].label
        name = error.theirs.get(label) or error.row_id
        app.save(keep_mine(error), f"keep my edit of {noun(error.entity)} {name}")
    elif choice == THEIRS:
        app.notify(f"Kept their version of the {noun(error.entity)}; your edit was dropped")


def _close_form_of(app: Any, error: ConflictError) -> None:
    """Close the edit form that made the refused save, if it is still open under the dialog."""
    from tui.screens.forms import EditScreen

    screen = app.screen
    if isinstance(screen, EditScreen) and screen.conflicted and screen.entity == error.entity:
        screen.dismiss(None)
