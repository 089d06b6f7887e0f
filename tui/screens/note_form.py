"""The small running-note form: type, pick a kind and what it is about, Enter saves, Escape cancels.

The note is linked to the row that was under the cursor when `n` was pressed (a
checklist item, table or metric); the form shows that link and lets it be changed
to any other row of the integration, or removed. A todo also takes an owner and a
due date, said as people say them (`fri`, `+1w`, `2026-12-14`).
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING, Any

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Checkbox, Input, Label, Select, Static

from tui import keys
from tui.actions import add_note
from tui.dates import DateError, parse_due
from tui.enums import NoteKind
from tui.screens.form_screen import FormScreen
from tui.widgets.editors import LineInput
from tui.widgets.plain import plain_line

NO_LINK = "none"
# The field of a note that links it to each kind of row, and how the link reads.
LINK_FIELDS = {"item": "item_id", "table": "table_id", "metric": "metric_id"}

if TYPE_CHECKING:
    from textual import getters

    from tui.app import DayoneApp


def link_choices(data: dict[str, Any]) -> list[tuple[str, str]]:
    """(label, value) for every row a note can be about, from the integration's loaded parts."""
    choices = [("nothing (a note on the integration)", NO_LINK)]
    for item in data.get("checklist") or ():
        choices.append((_short(f"item {item['key']}: {item['question']}"), f"item:{item['id']}"))
    for table in data.get("tables") or ():
        choices.append((_short(f"table {table.qualified}"), f"table:{table.id}"))
    for line in data.get("metrics") or ():
        choices.append((_short(f"metric {line.row['name']}"), f"metric:{line.row['id']}"))
    return choices


def _short(text: str, width: int = 34) -> str:
    """One line short enough for the list not to wrap in a form on an 80-column screen."""
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def link_value(links: dict[str, int]) -> str:
    """The link choice for a note's link fields ({"item_id": 3} -> "item:3")."""
    for kind, field in LINK_FIELDS.items():
        if links.get(field) is not None:
            return f"{kind}:{links[field]}"
    return NO_LINK


def link_fields(value: str) -> dict[str, int]:
    """The note's link fields for a link choice ("table:4" -> {"table_id": 4})."""
    if value == NO_LINK:
        return {}
    kind, _, row_id = value.partition(":")
    return {LINK_FIELDS[kind]: int(row_id)}


class NoteForm(FormScreen[None]):
    """`links` names the row the note starts out linked to ({"item_id": 3}); the form can change or drop it."""

    if TYPE_CHECKING:
        app = getters.app(DayoneApp)

    BINDINGS = keys.NOTE_FORM

    def __init__(self, **links: int) -> None:
        super().__init__()
        self.links: dict[str, Any] = links

    def compose(self) -> ComposeResult:
        choices = link_choices(self.app.data)
        start = link_value(self.links)
        if start not in {value for _, value in choices}:
            start = NO_LINK
        with Vertical() as box:
            box.border_title = "New note"
            yield LineInput(placeholder="what was said, decided or still to do…", id="note-text")
            with Horizontal():
                yield Select(
                    [(kind.value, kind.value) for kind in NoteKind],
                    value=NoteKind.NOTE.value,
                    allow_blank=False,
                    id="note-kind",
                )
                yield Label("about", id="note-link-caption")
                yield Select(
                    [(plain_line(label), value) for label, value in choices],
                    value=start,
                    allow_blank=False,
                    id="note-link",
                    type_to_search=True,
                )
            with Horizontal(id="note-todo"):
                yield Label("owner", id="note-owner-caption")
                yield Select(
                    [(plain_line(row["name"]), row["id"]) for row in self.app.data.get("stakeholders") or ()],
                    prompt="— nobody —",
                    id="note-owner",
                    type_to_search=True,
                )
                yield Label("due", id="note-due-caption")
                yield LineInput(placeholder="fri, +1w, 2026-12-14", id="note-due")
            yield Checkbox("private (hidden when sharing)", id="note-private")
            yield Label("", id="note-error")
            yield Static("", id="note-status", classes="form-status", markup=False)
            yield Label("Enter saves · Tab moves · Escape cancels", id="note-hint")

    def on_mount(self) -> None:
        self.ready(self.query_one("#note-text"))

    def unsaved(self) -> bool:
        return bool(self.query_one("#note-text", Input).value.strip())

    def what_is_unsaved(self) -> str:
        return "the note you are writing"

    @on(Select.Changed, "#note-kind")
    def _kind_changed(self, event: Select.Changed) -> None:
        event.stop()
        self.set_class(event.value == NoteKind.TODO.value, "-todo")

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_save()

    def action_save(self) -> None:
        text = self.query_one("#note-text", Input).value.strip()
        if not text:
            self.query_one("#note-error", Label).update("note: the text is empty")
            return
        kind = str(self.query_one("#note-kind", Select).value)
        owner: int | None = None
        due: str | None = None
        if kind == NoteKind.TODO.value:
            chosen = self.query_one("#note-owner", Select).value
            owner = chosen if isinstance(chosen, int) else None
            said = self.query_one("#note-due", Input).value.strip()
            try:
                due = parse_due(said, self.app.today).isoformat() if said else None
            except DateError as problem:
                self.query_one("#note-error", Label).update(plain_line(f"due: {problem}"))
                self.query_one("#note-due", Input).focus()
                return
        self.query_one("#note-error", Label).update("")
        private = self.query_one("#note-private", Checkbox).value
        links = link_fields(str(self.query_one("#note-link", Select).value))
        integration_id = self.app.integration_id
        assert integration_id is not None  # notes are added on an integration
        self.save(
            partial(
                add_note,
                integration_id=integration_id,
                text=text,
                kind=kind,
                private=private,
                item_id=links.get("item_id"),
                table_id=links.get("table_id"),
                metric_id=links.get("metric_id"),
                owner=owner,
                due=due,
            ),
            f"add {kind}",
        )
