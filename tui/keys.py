"""Every key binding of the app, in one place.

Screens and widgets take their BINDINGS from here, so the help screen, the
footer and the README describe the same keys. Each binding has an `id`
(`dayone.<where>.<what>`) so that a key map can later be remapped by id.
"""

from __future__ import annotations

from textual.binding import Binding, BindingType

# A screen's or widget's BINDINGS, as Textual types them.
Keys = list[BindingType]


def _b(
    key: str,
    action: str,
    description: str,
    id: str,
    show: bool = True,
    *,
    key_display: str | None = None,
    priority: bool = False,
) -> Binding:
    return Binding(key, action, description, show=show, id=f"dayone.{id}", key_display=key_display, priority=priority)


# -- the whole app (any screen without a modal on top) ---------------------------------------
APP: Keys = [
    _b("ctrl+q", "quit", "Quit", "app.quit", priority=True),
    _b("f1", "help", "Help", "app.help"),
    _b("question_mark", "help", "Help", "app.help_alt", show=False, key_display="?"),
    _b("ctrl+p", "command_palette", "Commands", "app.commands", show=False),
    _b("ctrl+z", "undo", "Undo", "app.undo", show=False),
]

# -- the main screen -------------------------------------------------------------------------
MAIN: Keys = [
    _b("1", "focus_pane('stakeholders')", "Stakeholders", "main.pane1", show=False),
    _b("2", "focus_pane('metrics')", "Metrics", "main.pane2", show=False),
    _b("3", "focus_pane('checklist')", "Checklist", "main.pane3", show=False),
    _b("4", "focus_pane('tables')", "Tables", "main.pane4", show=False),
    _b("5", "focus_pane('notes')", "Notes", "main.pane5", show=False),
    _b("n", "add_note", "Note", "main.note"),
    _b("r", "app.review", "Review", "main.review"),
    _b("z", "zoom", "Zoom", "main.zoom"),
    _b("i", "app.switch_integration", "Integration", "main.integration"),
    _b("s", "app.toggle_share", "Share", "main.share"),
    _b("e", "app.export", "Export", "main.export", show=False),
    _b("t", "app.toggle_theme", "Light/dark", "main.theme", show=False),
    _b("m", "app.meeting", "Meeting", "main.meeting"),
    _b("c", "app.meeting_changes", "Changes since meeting", "main.meeting_changes", show=False),
    _b("f", "app.check_failures", "Check failures", "main.check_failures", show=False),
    _b("v", "app.versions", "Versions", "main.versions", show=False),
]

# -- every pane of the main screen -----------------------------------------------------------
PANE: Keys = [
    _b("enter", "open", "Open", "pane.open"),
    _b("a", "new", "New", "pane.new"),
    _b("d", "delete", "Delete", "pane.delete", show=False),
    _b("slash", "filter", "Filter", "pane.filter", key_display="/"),
    _b("escape", "clear_filter", "Clear filter", "pane.clear_filter", show=False),
]

CHECKLIST: Keys = [
    _b("o", "open_only", "Open only", "checklist.open_only"),
    _b("space", "toggle_section", "Fold", "checklist.fold"),
    _b("left", "collapse", "Fold section", "checklist.collapse", show=False),
    _b("right", "expand", "Unfold section", "checklist.expand", show=False),
]

NOTES: Keys = [
    _b("space", "toggle_done", "Done", "notes.done"),
    _b("p", "toggle_private", "Private", "notes.private", show=False),
]

TABLES: Keys = [
    _b("enter", "open", "Details", "tables.open"),
    _b("I", "app.import_schema('file')", "Import schema", "tables.import_schema", show=False, key_display="I"),
    _b("x", "dismiss_finding", "Dismiss finding", "tables.dismiss_finding", show=False),
]

# -- screens on top of the main screen -------------------------------------------------------
TABLE_DETAIL: Keys = [
    _b("escape", "back", "Back", "table.back"),
    _b("enter", "open", "Edit column", "table.edit_column"),
    _b("a", "new", "New column", "table.new_column"),
    _b("d", "delete", "Delete column", "table.delete_column", show=False),
    _b("e", "edit_table", "Edit table", "table.edit"),
    _b("n", "add_note", "Note", "table.note"),
    _b("x", "dismiss_finding", "Dismiss finding", "table.dismiss_finding"),
]

HELP: Keys = [
    _b("escape", "dismiss", "Close", "help.close"),
    _b("f1", "dismiss", "Close", "help.close_f1", show=False),
    _b("question_mark", "dismiss", "Close", "help.close_alt", show=False, key_display="?"),
]

NOTE_FORM: Keys = [
    _b("escape", "cancel", "Cancel", "note_form.cancel"),
    _b("ctrl+s", "save", "Save", "note_form.save"),
]

PICKER: Keys = [
    _b("escape", "cancel", "Cancel", "picker.cancel"),
]

DISMISS_FINDING: Keys = [
    _b("escape", "cancel", "Cancel", "dismiss.cancel"),
    _b("ctrl+s", "dismiss_finding", "Dismiss", "dismiss.save"),
]

TABLE_ANSWERS: Keys = [
    _b("escape", "cancel", "Close", "table_answers.close"),
    _b("ctrl+s", "apply", "Answer the ticked tables", "table_answers.apply"),
    _b("ctrl+a", "tick_all", "Tick all", "table_answers.tick_all"),
    _b("ctrl+u", "tick_unanswered", "Tick unanswered", "table_answers.tick_unanswered"),
]

# -- forms, confirmations and the checklist review ------------------------------------------
FORM: Keys = [
    _b("escape", "cancel", "Cancel", "form.cancel"),
    _b("ctrl+s", "save", "Save", "form.save"),
]

DISCARD: Keys = [
    _b("y", "discard", "Yes, throw it away", "discard.yes"),
    _b("n", "keep", "No, back to it", "discard.no"),
    _b("escape", "keep", "Back to it", "discard.keep", show=False),
]

CONFIRM: Keys = [
    _b("y", "confirm", "Yes, delete", "confirm.yes"),
    _b("enter", "confirm", "Yes, delete", "confirm.yes_enter", show=False),
    _b("n", "cancel", "No", "confirm.no"),
    _b("escape", "cancel", "Cancel", "confirm.cancel", show=False),
]

CONFLICT: Keys = [
    _b("m", "keep_mine", "Keep mine", "conflict.mine"),
    _b("t", "take_theirs", "Take theirs", "conflict.theirs"),
    _b("escape", "cancel", "Cancel", "conflict.cancel"),
]

REVIEW: Keys = [
    _b("escape", "back", "Back", "review.back"),
    _b("a", "agree", "Agree", "review.agree"),
    _b("b", "block", "Block", "review.block"),
    _b("o", "reopen", "Reopen", "review.reopen"),
    _b("x", "not_applicable", "N/A", "review.not_applicable"),
    _b("u", "next_open", "Next open", "review.next_open"),
    _b("n", "note", "Note", "review.note"),
    _b("e", "edit_answer", "Answer", "review.answer"),
    _b("w", "owner", "Owner", "review.owner"),
    _b("d", "due", "Due", "review.due"),
    _b("g", "toggle_agenda", "Agenda/all", "review.agenda"),
    _b("t", "per_table", "Per table", "review.per_table"),
    _b("enter", "edit_item", "Edit item", "review.edit", show=False),
    _b("s", "app.toggle_share", "Share", "review.share", show=False),
    _b("j", "next", "Next", "review.next"),
    _b("k", "previous", "Prev", "review.previous"),
    _b("right", "next", "Next", "review.next_arrow", show=False),
    _b("left", "previous", "Prev", "review.previous_arrow", show=False),
    *[
        _b(str(number), f"pick({number})", f"Typical answer {number}", f"review.pick{number}", show=False)
        for number in range(1, 10)
    ],
]

# -- meeting mode ------------------------------------------------------------------------------
MEETING_START: Keys = [
    _b("escape", "cancel", "Cancel", "meeting_start.cancel"),
    _b("ctrl+s", "start", "Start meeting", "meeting_start.start"),
]

MEETING_END: Keys = [
    _b("y", "confirm", "Yes, end it", "meeting_end.yes"),
    _b("enter", "confirm", "Yes, end it", "meeting_end.yes_enter", show=False),
    _b("n", "cancel", "Keep running", "meeting_end.no"),
    _b("escape", "cancel", "Keep running", "meeting_end.cancel", show=False),
]

MINUTES: Keys = [
    _b("escape", "close", "Close", "minutes.close"),
    _b("w", "write", "Save file", "minutes.write"),
    _b("enter", "close", "Close", "minutes.close_enter", show=False),
]

CHANGES: Keys = [
    _b("escape", "back", "Back", "changes.back"),
]

CHECK_FAILURES: Keys = [
    _b("escape", "back", "Back", "check_failures.back"),
]

VERSIONS: Keys = [
    _b("escape", "back", "Back", "versions.back"),
    _b("f", "mark_from", "Compare from here", "versions.mark_from"),
    _b("p", "publish", "Publish", "versions.publish"),
]

# -- the export screen -------------------------------------------------------------------------
IMPORT_SCHEMA: Keys = [
    _b("escape", "close", "Close", "import_schema.close"),
]

EXPORT: Keys = [
    _b("escape", "back", "Back", "export.back"),
    _b("f", "next_format", "Format", "export.format"),
    _b("m", "toggle_mermaid", "Diagram", "export.mermaid"),
    _b("w", "write", "Write file", "export.write"),
    _b("ctrl+s", "write", "Write file", "export.write_ctrl_s", show=False),
]
