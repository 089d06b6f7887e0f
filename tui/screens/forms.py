"""The edit form: one modal screen for any entity, built from its fields in the schema.

The form reads the row in a worker, shows one editor per field and, on save,
hands the change to `app.save`, so it commits at once and Ctrl+Z undoes it. Keys
typed while the row is read are kept and land in the first field once it holds
the row (see `FormScreen`). It stays open until the store answers: a refused
value is shown next to its field, a failed write in the status line, and a stale
version (someone else saved first) becomes the conflict dialog.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Checkbox, Input, Label, Select, Static, TextArea

from tui import keys
from tui.actions import add_row, edit_row
from tui.errors import ConflictError, DayoneError, NotFound, ValidationError
from tui.schema import DATE, ENTITIES
from tui.screens.fields import AREA, CHECK, CHOICE, SELECT, FieldError, FormField, field_of, form_fields, noun
from tui.screens.form_screen import FormScreen
from tui.secrets import find_secrets, mask_secrets
from tui.store import Workspace
from tui.visible import is_safe, visible
from tui.widgets.editors import LineInput, TextEditor
from tui.widgets.footer import KeyFooter
from tui.widgets.plain import plain, plain_line
from tui.workers import background, describe

if TYPE_CHECKING:
    from textual import getters

    from tui.app import DayoneApp


class EditScreen(FormScreen[dict[str, Any] | None]):
    """Edit a row, or create one (row_id None) under the parent named in `defaults`; dismisses with the row or None."""

    if TYPE_CHECKING:
        app = getters.app(DayoneApp)

    BINDINGS = keys.FORM

    class Loaded(Message):
        def __init__(
            self,
            row: dict[str, Any] | None,
            choices: dict[str, list[tuple[str, int]]],
            context: str,
            not_null: frozenset[str],
        ) -> None:
            self.row = row
            self.choices = choices
            self.context = context
            self.not_null = not_null
            super().__init__()

    class Gone(Message):
        """The row to edit (or its parent) no longer exists, deleted elsewhere meanwhile."""

        def __init__(self, reason: str) -> None:
            self.reason = reason
            super().__init__()

    class Conflicted(Message):
        """Someone else saved the row first; the conflict dialog above the form decides."""

        def __init__(self, error: ConflictError) -> None:
            self.error = error
            super().__init__()

    def __init__(
        self,
        entity: str,
        row_id: int | None = None,
        defaults: dict[str, Any] | None = None,
        *,
        only: tuple[str, ...] | None = None,
        title: str | None = None,
        intro: str = "",
    ) -> None:
        super().__init__()
        self.entity = entity
        self.row_id = row_id
        self.defaults = dict(defaults or {})
        parent = ENTITIES[entity].parent
        self.parent_id: int | None = self.defaults.pop(parent, None) if parent else None
        if row_id is None and parent is not None and self.parent_id is None:
            raise ValueError(f"a new {entity} needs its {parent}")
        self.fields = form_fields(entity, only)
        self.row: dict[str, Any] | None = None
        self.not_null: frozenset[str] = frozenset()
        self.masked: set[str] = set()
        self.unedited: dict[str, tuple[str, str]] = {}
        self.conflicted = False
        self.initial: dict[str, Any] = {}
        self._title = title
        self.intro = intro

    def compose(self) -> ComposeResult:
        with Vertical(id="form"):
            yield Static(plain_line(self._title or self._default_title(None)), id="form-title")
            yield Static("", id="form-context")
            with VerticalScroll(id="fields"):
                for field in self.fields:
                    with Horizontal(classes="row"):
                        yield Label(field.label + (" *" if field.required else ""), classes="caption")
                        with Vertical(classes="editor"):
                            yield self._editor(field)
                            yield Static("", id=f"error-{field.name}", classes="error")
            yield Static("", id="form-locked")
            yield Static("", id="form-status", classes="form-status", markup=False)
            yield KeyFooter()

    def _default_title(self, row: dict[str, Any] | None) -> str:
        if self.row_id is None:
            return f"New {noun(self.entity)}"
        label = ENTITIES[self.entity].label
        name = (row or {}).get(label)
        return f"Edit {noun(self.entity)}" + (f" {name}" if name and self.entity not in ("item", "note") else "")

    def _editor(self, field: FormField) -> Widget:
        widget_id = f"field-{field.name}"
        if field.editor == SELECT:
            options = [(value, value) for value in field.enum_values]
            return Select(options, id=widget_id, prompt="—", allow_blank=not field.required)
        if field.editor == CHOICE:
            return Select([], id=widget_id, prompt="— nobody —" if field.target == "stakeholder" else "—")
        if field.editor == CHECK:
            return Checkbox("yes", id=widget_id)
        if field.editor == AREA:
            area = TextEditor(id=widget_id, soft_wrap=True, tab_behavior="focus", show_line_numbers=False)
            if field.shape or field.name in ("answer", "text"):
                area.add_class("tall")
            return area
        placeholder = "YYYY-MM-DD" if field.kind == DATE else ""
        return LineInput(id=widget_id, placeholder=placeholder)

    def on_mount(self) -> None:
        self.query_one("#fields").loading = True
        self.load()

    @background("read the row to edit", group="form-load", exclusive=True)
    def load(self) -> None:
        ws: Workspace = self.app.workspace
        try:
            row = ws.get(self.entity, self.row_id) if self.row_id is not None else None
            integration_id = _integration_id(ws, self.entity, row, self.parent_id)
            choices: dict[str, list[tuple[str, int]]] = {}
            for field in self.fields:
                if field.target:
                    choices[field.name] = _choices(ws, field.target, integration_id)
            context = _context(ws, self.entity, row, self.parent_id)
            not_null = frozenset(
                found["name"]
                for found in ws.query(f"PRAGMA table_info({ENTITIES[self.entity].table})")
                if found["notnull"]
            )
        except (DayoneError, sqlite3.Error) as exc:
            self.post_message(self.Gone(describe(exc)))
            return
        self.post_message(self.Loaded(row, choices, context, not_null))

    @on(Gone)
    def gone(self, message: Gone) -> None:
        self.app.notify(message.reason, title="Cannot edit", severity="error")
        self.dismiss(None)

    @on(Loaded)
    def show_row(self, message: Loaded) -> None:
        self.row = message.row
        self.not_null = message.not_null
        values = {**self.defaults, **(message.row or {})}
        if not self._title:
            self.query_one("#form-title", Static).update(plain_line(self._default_title(message.row)))
        context = "\n".join(line for line in (self.intro, message.context) if line)
        self.query_one("#form-context", Static).update(plain(context))
        self.query_one("#form-context").display = bool(context)
        for field in self.fields:
            widget = self.query_one(f"#field-{field.name}")
            value = values.get(field.name)
            if isinstance(widget, Select):
                if field.editor == CHOICE:
                    options = message.choices.get(field.name, [])
                    widget.set_options([(plain_line(label), option) for label, option in options])
                    known: set[object] = {option for _, option in options}
                else:
                    known = set(field.enum_values)
                widget.value = value if value in known else Select.NULL
            elif isinstance(widget, Checkbox):
                widget.value = bool(value)
            else:
                text = field.to_text(value)
                if self.app.share_mode and find_secrets(text):
                    text = mask_secrets(text)[0]
                    widget.disabled = True
                    self.masked.add(field.name)
                if not is_safe(text):  # shown with visible control characters; saved as it was unless edited
                    self.unedited[field.name] = (visible(text), text)
                    text = visible(text)
                if isinstance(widget, TextEditor):
                    widget.load_text(text)
                    widget.end_of_text()
                elif isinstance(widget, Input):
                    widget.value = text
                    widget.cursor_position = len(text)
        if self.masked:
            locked = ", ".join(field.label for field in self.fields if field.name in self.masked)
            notice = self.query_one("#form-locked", Static)
            notice.update(f"Locked while sharing, it holds a credential: {locked}. Turn sharing off to edit it.")
            notice.display = True
        self.query_one("#fields").loading = False
        self.initial = self.collect()[0]
        editable = [field for field in self.fields if field.name not in self.masked]
        self.ready(self.query_one(f"#field-{editable[0].name}") if editable else None)

    def unsaved(self) -> bool:
        if not self.is_ready:
            return False
        values = self.collect()[0]
        return any(_differs(self.initial.get(name), value) for name, value in values.items())

    def what_is_unsaved(self) -> str:
        return f"what you typed in this {noun(self.entity)}"

    # -- saving ----------------------------------------------------------------------------

    @on(Input.Submitted)
    def submit(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_save()

    def action_save(self) -> None:
        if self.saving or not self.is_ready:
            return
        values, errors = self.collect()
        self.show_errors(errors)
        if errors:
            return
        if self.row is not None:
            values = {key: value for key, value in values.items() if _differs(self.row.get(key), value)}
            if not values:
                self.dismiss(self.row)
                return
        self.conflicted = False
        self.save(self._change(values), self._description(values))

    def collect(self) -> tuple[dict[str, Any], dict[str, str]]:
        """The typed values by field, and a one-line problem for each field that does not fit."""
        values: dict[str, Any] = {}
        errors: dict[str, str] = {}
        for field in self.fields:
            if field.name in self.masked:
                continue
            widget = self.query_one(f"#field-{field.name}")
            if isinstance(widget, Select):
                value = None if widget.value is Select.NULL else widget.value
                if value is None and field.required:
                    errors[field.name] = "is required"
                values[field.name] = value
            elif isinstance(widget, Checkbox):
                values[field.name] = widget.value
            else:
                text = (
                    widget.text if isinstance(widget, TextArea) else self.query_one(f"#field-{field.name}", Input).value
                )
                if field.name in self.unedited and text == self.unedited[field.name][0]:
                    text = self.unedited[field.name][1]
                try:
                    values[field.name] = field.parse(text)
                except FieldError as exc:
                    errors[field.name] = str(exc)
            if (
                field.name not in errors
                and values.get(field.name) is None
                and field.name in self.not_null
                and self.row is not None
                and self.row.get(field.name) not in (None, "")
            ):
                errors[field.name] = "cannot be left blank"
        return values, errors

    def show_errors(self, errors: dict[str, str], general: str = "") -> None:
        for field in self.fields:
            line = self.query_one(f"#error-{field.name}", Static)
            problem = errors.get(field.name)
            line.update(plain_line(f"{field.label.split(' (')[0]}: {problem}") if problem else "")
            line.set_class(bool(problem), "shown")
        self.show_status(general)
        first = next((field for field in self.fields if field.name in errors), None)
        if first is not None:
            self.query_one(f"#field-{first.name}").focus()

    def _change(self, values: dict[str, Any]) -> Callable[[Workspace], dict[str, Any]]:
        """The work `app.save` runs in its worker; a conflict is told to this form, then travels on to the app."""
        entity, row_id, parent_id, version = self.entity, self.row_id, self.parent_id, (self.row or {}).get("version")
        defaults = dict(self.defaults)

        def change(ws: Workspace) -> dict[str, Any]:
            try:
                if row_id is not None:
                    row = edit_row(ws, entity, row_id, values, version)
                else:
                    row = add_row(ws, entity, _new_values(ws, entity, parent_id, {**defaults, **values}))
            except ConflictError as exc:
                self.post_message(self.Conflicted(exc))
                raise
            return row

        return change

    def _description(self, values: dict[str, Any]) -> str:
        label = ENTITIES[self.entity].label
        name = values.get(label) or (self.row or {}).get(label) or ""
        name = name if len(name) <= 40 else name[:39] + "…"
        if self.row_id is None:
            return f"add {noun(self.entity)} {name}".rstrip()
        return f"edit {noun(self.entity)} {name}".rstrip() + f" ({', '.join(values)})"

    def saved(self, result: Any) -> None:
        if self.entity == "integration" and self.row_id is None:
            self.app.integration_id = result["id"]
        super().saved(result)

    @on(Conflicted)
    def conflict(self, message: Conflicted) -> None:
        self.saving = False
        self.conflicted = True
        self.show_status("Not saved: someone else changed it meanwhile. Escape in that dialog comes back to your text.")

    def save_failed(self, error: Exception) -> None:
        if isinstance(error, ValidationError) and field_of(error.where) in {field.name for field in self.fields}:
            self.saving = False
            self.show_errors({field_of(error.where): error.problem})  # type: ignore[dict-item]
        elif isinstance(error, NotFound) and self.row_id is not None:
            self.saving = False
            self.show_errors({}, f"Not saved: this {noun(self.entity)} was deleted elsewhere meanwhile.")
        else:
            super().save_failed(error)

    @on(Input.Changed)
    @on(TextArea.Changed)
    def clear_error(self, event: Input.Changed | TextArea.Changed) -> None:
        name = (event.control.id or "").removeprefix("field-")
        for line in self.query(f"#error-{name}"):
            line.remove_class("shown")


def _differs(old: Any, new: Any) -> bool:
    if old in (None, "", []) and new in (None, "", []):
        return False
    return old != new


def _integration_id(ws: Workspace, entity: str, row: dict[str, Any] | None, parent_id: int | None) -> int | None:
    if entity == "integration":
        return row["id"] if row else None
    if entity == "column":
        table_id = row["table_id"] if row else parent_id
        assert table_id is not None  # a new column is made in its table
        return ws.get("table", table_id)["integration_id"]
    return row["integration_id"] if row else parent_id


def _choices(ws: Workspace, target: str, integration_id: int | None) -> list[tuple[str, int]]:
    if integration_id is None:
        return []
    if target == "stakeholder":
        rows = ws.rows("stakeholder", "integration_id = ?", (integration_id,), order_by="name")
        return [(f"{row['name']}" + (f" ({row['role']})" if row["role"] else ""), row["id"]) for row in rows]
    if target == "item":
        rows = ws.rows("item", "integration_id = ?", (integration_id,), order_by="position")
        return [(f"{row['key']}  {_short(row['question'], 60)}", row["id"]) for row in rows]
    if target == "table":
        rows = ws.rows("table", "integration_id = ?", (integration_id,), order_by="schema, name")
        return [(".".join(part for part in (row["schema"], row["name"]) if part), row["id"]) for row in rows]
    rows = ws.rows(target, "integration_id = ?", (integration_id,), order_by="name")
    return [(row["name"], row["id"]) for row in rows]


def _context(ws: Workspace, entity: str, row: dict[str, Any] | None, parent_id: int | None) -> str:
    """A line or two above the fields saying what is being edited, where the fields alone do not."""
    if entity == "item" and row:
        return f"{row['section_title']} · {row['key']}\n{row['question']}"
    if entity == "column":
        table_id = row["table_id"] if row else parent_id
        assert table_id is not None
        table = ws.get("table", table_id)
        return "in table " + ".".join(part for part in (table["schema"], table["name"]) if part)
    return ""


def _new_values(ws: Workspace, entity: str, parent_id: int | None, values: dict[str, Any]) -> dict[str, Any]:
    """A new row's values with its parent and what the program fills in; blanks are left to the schema defaults."""
    ent = ENTITIES[entity]
    result = {key: value for key, value in values.items() if value is not None}
    if ent.parent is not None:
        result[ent.parent] = parent_id
    if entity == "column":
        last = ws.query("SELECT coalesce(max(position), 0) FROM columns WHERE table_id = ?", (parent_id,))
        result["position"] = last[0][0] + 1
    return result


def _short(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def edit_screen(entity: str, row_id: int | None, **defaults: Any) -> EditScreen:
    """The form for a row, or for a new row when row_id is None (defaults name its parent and links)."""
    return EditScreen(entity, row_id, defaults)
