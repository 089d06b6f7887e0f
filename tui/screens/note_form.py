"""The small running-note form: type, pick a kind, Enter saves, Escape cancels."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING, Any

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Checkbox, Input, Label, Select

from tui import keys
from tui.actions import add_note
from tui.enums import NoteKind
from tui.widgets.plain import plain_line

if TYPE_CHECKING:
    from textual import getters

    from tui.app import DayoneApp


class NoteForm(ModalScreen[None]):
    """`about` names what the note is linked to (a checklist item, table or metric), `links` the link itself."""

    if TYPE_CHECKING:
        app = getters.app(DayoneApp)

    BINDINGS = keys.NOTE_FORM
    AUTO_FOCUS = "#note-text"  # focused before the form is drawn: what is typed at once lands in the note

    DEFAULT_CSS = """
    NoteForm { align: center bottom; }
    NoteForm > Vertical {
        width: 90%; max-width: 120; height: auto; margin-bottom: 3;
        border: round $primary; background: $surface; padding: 0 1;
    }
    NoteForm #note-text { width: 1fr; }
    NoteForm Horizontal { height: auto; }
    NoteForm Select { width: 20; }
    NoteForm #note-error { color: $error; height: auto; }
    NoteForm #note-hint { color: $text-muted; height: 1; }
    """

    def __init__(self, about: str | None = None, **links: int) -> None:
        super().__init__()
        self.about = about
        self.links: dict[str, Any] = links

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = plain_line(f"New note about {self.about}") if self.about else "New note"
            yield Input(placeholder="what was said, decided or still to do…", id="note-text")
            with Horizontal():
                yield Select(
                    [(kind.value, kind.value) for kind in NoteKind],
                    value=NoteKind.NOTE.value,
                    allow_blank=False,
                    id="note-kind",
                )
                yield Checkbox("private (hidden when sharing)", id="note-private")
            yield Label("", id="note-error")
            yield Label("Enter saves · Tab moves · Escape cancels", id="note-hint")

    @on(Input.Submitted)
    def _submitted(self) -> None:
        self.action_save()

    def action_save(self) -> None:
        text = self.query_one("#note-text", Input).value.strip()
        if not text:
            self.query_one("#note-error", Label).update("note: the text is empty")
            return
        kind = str(self.query_one("#note-kind", Select).value)  # never blank
        private = self.query_one("#note-private", Checkbox).value
        integration_id, links = self.app.integration_id, self.links
        assert integration_id is not None  # notes are added on an integration
        self.app.save(
            partial(add_note, integration_id=integration_id, text=text, kind=kind, private=private, **links),
            f"add {kind}",
        )
        self.dismiss(None)

    def action_cancel(self) -> None:
        self.dismiss(None)
