"""What every form shares: no key typed into it is lost, typed text is never thrown away unasked,
and it closes only once its save is confirmed.

Keys can arrive before a form can take them: while Textual mounts it, or while
its row is read in a worker. Until the form says it is ready, every key and
paste sent to it is held; `ready()` moves the focus to the first field and hands
the held ones to it in the same step, so later keys queue behind them and
nothing is reordered. A form with changes asks before Escape closes it, and the
app asks before Ctrl+Q quits over one. `save()` keeps the form open until the
store confirms: a refusal or a database failure is shown in the form, with the
text still in it, and Ctrl+S (or Enter) tries again.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

from textual import events
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Static

from tui import keys
from tui.store import Workspace
from tui.widgets.plain import plain
from tui.workers import describe

if TYPE_CHECKING:
    from textual import getters

    from tui.app import DayoneApp

Result = TypeVar("Result")
SEEN = "_dayone_form"  # set on a key event by the form it went through
KEPT = "Your text is still here: Ctrl+S tries again, Escape discards it."


class FormScreen(ModalScreen[Result]):
    """A modal form; subclasses call `ready(first_field)` once their fields hold what they should."""

    if TYPE_CHECKING:
        app = getters.app(DayoneApp)

    AUTO_FOCUS = ""  # the focus moves in `ready`, together with the keys typed before it

    def __init__(self) -> None:
        super().__init__()
        self._held: list[events.Key | events.Paste] | None = []  # None once ready
        self.saving = False

    # -- keys typed before the form was ready ----------------------------------------------------

    def _forward_event(self, event: events.Event) -> None:
        """Keys sent to the screen itself (nothing was focused yet) are held until `ready` delivers them."""
        if isinstance(event, (events.Key, events.Paste)) and not event.is_forwarded:
            event._set_forwarded()
            self.take(event)
            return
        super()._forward_event(event)

    def take(self, event: events.Key | events.Paste) -> None:
        """A key meant for this form: held until it is ready, then handed to the focused field."""
        # A fresh event, as the app forwards one: the one given may be marked as handled where it has been.
        event = events.Paste(event.text) if isinstance(event, events.Paste) else events.Key(event.key, event.character)
        event.set_sender(self.app)
        event._set_forwarded()
        setattr(event, SEEN, self)
        if self._held is not None:
            self._held.append(event)
        else:
            (self.focused or self).post_message(event)

    def on_key(self, event: events.Key) -> None:
        setattr(event, SEEN, self)

    def passed_through(self, event: events.Key) -> bool:
        """Whether a key came by way of this form (and not from a screen below that took it before the form opened)."""
        return getattr(event, SEEN, None) is self

    @property
    def is_ready(self) -> bool:
        return self._held is None

    def ready(self, first: Widget | None) -> None:
        """Focus `first` and give it, in order, whatever was typed while the form was getting ready."""
        held, self._held = self._held or [], None
        if first is not None and first.focusable:
            self.set_focus(first, scroll_visible=False)
        target = first if first is not None and first.focusable else self
        for event in held:
            target.post_message(event)

    # -- changes that would be lost --------------------------------------------------------------

    def unsaved(self) -> bool:
        """Whether the fields hold something typed that is not saved yet."""
        return False

    def what_is_unsaved(self) -> str:
        """How the question names what would be lost ("the note you are writing")."""
        return "your changes"

    def action_cancel(self) -> None:
        if self.saving:
            self.notify("Still saving; the form closes once the save is confirmed")
            return
        if not self.unsaved():
            self.dismiss(None)
            return

        def answered(discard: bool | None) -> None:
            if discard:
                self.dismiss(None)

        self.app.push_screen(DiscardChanges(f"Close the form and lose {self.what_is_unsaved()}?"), answered)

    # -- saving ------------------------------------------------------------------------------------

    def save(self, change: Callable[[Workspace], Any], description: str) -> None:
        """Save through the app; the form closes with what `change` returned, or stays to show why not."""
        if self.saving:
            return
        self.saving = True
        self.show_status("saving…")
        self.app.save(change, description, on_saved=self._saved, on_failed=self.save_failed)

    def _saved(self, result: Any) -> None:
        self.saving = False
        self.saved(result)

    def saved(self, result: Any) -> None:
        """The save committed: close with its result (a dialog still open above closes first)."""
        while self.app.screen is not self and self in self.app.screen_stack:
            self.app.pop_screen()
        if self.app.screen is self:
            self.dismiss(result)

    def save_failed(self, error: Exception) -> None:
        self.saving = False
        self.show_status(f"Not saved: {describe(error)}\n{KEPT}")

    def show_status(self, text: str) -> None:
        """One line under the fields saying what the save is doing or why it did not happen."""
        for status in self.query(".form-status"):
            status.update(plain(text))  # type: ignore[attr-defined]


class DiscardChanges(ModalScreen[bool]):
    """Asked before typed text is thrown away: y throws it away, n or Escape goes back to it."""

    BINDINGS = keys.DISCARD

    def __init__(self, question: str) -> None:
        super().__init__()
        self.question = question

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(self.question, id="discard-question", markup=False)
            yield Static("y throws it away · n or Escape goes back to it", id="discard-hint")

    def action_discard(self) -> None:
        self.dismiss(True)

    def action_keep(self) -> None:
        self.dismiss(False)
