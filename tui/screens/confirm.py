"""Asking before a delete, naming everything that goes with the row.

What goes with a row is read from the schema: the children an entity owns
(a table's columns, an integration's everything) are deleted with it, and rows
that merely point at it (an item's owner, a note's link) lose the link.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING, Any

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Static

from tui import keys
from tui.actions import delete_row
from tui.errors import NotFound
from tui.schema import ENTITIES, REFERRERS
from tui.screens.fields import noun
from tui.store import Workspace
from tui.widgets.footer import KeyFooter
from tui.widgets.plain import plain, plain_line
from tui.workers import background

if TYPE_CHECKING:
    from textual import getters

    from tui.app import DayoneApp

# What a referring row loses when its target goes, by the referring field.
LOST = {"owner": "owner", "requested_by": "requester"}


def plural(entity: str, count: int) -> str:
    return noun(entity) + ("" if count == 1 else "s")


@dataclass(frozen=True)
class Deletion:
    """What deleting one row means: its name, what goes with it and the version it was read at."""

    entity: str
    row_id: int
    name: str
    version: int
    owned: dict[str, int]
    unlinked: list[tuple[str, str, int]]

    def question(self, shown: Callable[[str], str] = str) -> str:
        """The question, with the name as `shown` gives it (masked while sharing), then cut to fit."""
        name = shown(self.name)
        return f"Delete {noun(self.entity)} {name if len(name) <= 60 else name[:59] + '…'}?"

    def details(self) -> list[str]:
        lines = []
        owned = [f"{count} {plural(entity, count)}" for entity, count in self.owned.items() if count]
        if owned:
            lines.append("Deleted with it: " + ", ".join(owned) + ".")
        for entity, field, count in self.unlinked:
            what = LOST.get(field, "link to it")
            loses = "loses its" if count == 1 else "lose their"
            lines.append(f"{count} {plural(entity, count)} {loses} {what} (the {plural(entity, 2)} stay).")
        if not lines:
            lines.append("Nothing else goes with it.")
        lines.append("Ctrl+Z brings it back.")
        return lines


def describe_deletion(ws: Workspace, entity: str, row_id: int) -> Deletion:
    """Count what a delete takes along, following the schema's children and references."""
    ent = ENTITIES[entity]
    row = ws.get(entity, row_id)
    owned: dict[str, int] = {}
    _count_owned(ws, entity, [row_id], owned)
    unlinked = []
    for referrer, field in REFERRERS.get(entity, ()):
        count = ws.query(f"SELECT count(*) FROM {ENTITIES[referrer].table} WHERE {field} = ?", (row_id,))[0][0]
        if count:
            unlinked.append((referrer, field, count))
    return Deletion(entity, row_id, _name(ws, entity, row, ent.label), row["version"], owned, unlinked)


def _count_owned(ws: Workspace, entity: str, ids: list[int], owned: dict[str, int]) -> None:
    for child in ENTITIES[entity].children:
        if not ids:
            return
        marks = ", ".join("?" for _ in ids)
        found = [
            row[0]
            for row in ws.query(f"SELECT id FROM {ENTITIES[child].table} WHERE {entity}_id IN ({marks})", tuple(ids))
        ]
        if found:
            owned[child] = owned.get(child, 0) + len(found)
            _count_owned(ws, child, found, owned)


def _name(ws: Workspace, entity: str, row: dict[str, Any], label: str) -> str:
    if entity == "table" and row["schema"]:
        return f"{row['schema']}.{row['name']}"
    if entity == "column":
        table = ws.get("table", row["table_id"])
        return f"{table['name']}.{row['name']}"
    return str(row.get(label) or f"#{row['id']}")


class ConfirmDelete(ModalScreen[bool]):
    """y or Enter deletes (through `app.save`, so it is undoable); n or Escape keeps the row."""

    if TYPE_CHECKING:
        app = getters.app(DayoneApp)

    BINDINGS = keys.CONFIRM

    class Described(Message):
        def __init__(self, deletion: Deletion) -> None:
            self.deletion = deletion
            super().__init__()

    class Gone(Message):
        def __init__(self, reason: str) -> None:
            self.reason = reason
            super().__init__()

    def __init__(self, entity: str, row_id: int) -> None:
        super().__init__()
        self.entity = entity
        self.row_id = row_id
        self.deletion: Deletion | None = None

    def compose(self) -> ComposeResult:
        with Vertical(id="confirm"):
            yield Static(f"Delete this {noun(self.entity)}?", id="confirm-question")
            yield Static("", id="confirm-details")
            yield KeyFooter()

    def on_mount(self) -> None:
        self.describe()

    @background("read what the delete takes with it", group="confirm-describe", exclusive=True)
    def describe(self) -> None:
        try:
            deletion = describe_deletion(self.app.workspace, self.entity, self.row_id)
        except NotFound as exc:
            self.post_message(self.Gone(str(exc)))
            return
        self.post_message(self.Described(deletion))

    @on(Gone)
    def gone(self, message: Gone) -> None:
        self.app.notify(f"Nothing to delete: {message.reason}", severity="warning")
        self.dismiss(False)

    @on(Described)
    def show(self, message: Described) -> None:
        self.deletion = message.deletion
        self.query_one("#confirm-question", Static).update(plain_line(message.deletion.question(self.app.shown)))
        self.query_one("#confirm-details", Static).update(plain("\n".join(message.deletion.details())))

    def action_confirm(self) -> None:
        deletion = self.deletion
        if deletion is None:
            return
        self.app.save(
            partial(delete_row, entity=deletion.entity, row_id=deletion.row_id, version=deletion.version),
            f"delete {noun(deletion.entity)} {deletion.name}",
        )
        self.dismiss(True)

    def action_cancel(self) -> None:
        self.dismiss(False)


def confirm_delete(entity: str, row_id: int) -> ConfirmDelete:
    return ConfirmDelete(entity, row_id)
