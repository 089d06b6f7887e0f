"""Importing a schema from the planning screen: a SQL file or a database URL, with progress and the diff.

Reading the source runs in a worker that posts progress; the write goes through
the app's `save`, so the whole import is one change-log batch that Ctrl+Z
reverts, and the panes reload like after any other change. The screen changes
only in its message handlers.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.widgets import Button, Checkbox, Input, Label, ProgressBar, Select, Static

from tui import keys
from tui.errors import DayoneError
from tui.importers import DIALECTS
from tui.importers.diff import ImportSummary
from tui.importers.run import SchemaRead, read_file, read_url, write
from tui.screens.form_screen import FormScreen
from tui.visible import visible
from tui.widgets.editors import LineInput
from tui.widgets.plain import plain, plain_line
from tui.workers import background, describe, log

if TYPE_CHECKING:
    from textual import getters

    from tui.app import DayoneApp

PHASES = {
    "connect": "Connecting",
    "read": "Reading",
    "parse": "Parsing the script, characters",
    "write": "Writing tables",
    "findings": "Looking for findings",
}


class ImportSchemaScreen(FormScreen[None]):
    """Ask for a DDL file and its dialect, or a database URL; import into an integration; show what changed."""

    if TYPE_CHECKING:
        app = getters.app(DayoneApp)

    BINDINGS = keys.IMPORT_SCHEMA
    AUTO_FOCUS = "#import-path, #import-url"  # the mode's one source field, focused before it is drawn

    class Progressed(Message):
        def __init__(self, phase: str, done: int, total: int) -> None:
            super().__init__()
            self.phase, self.done, self.total = phase, done, total

    class Read(Message):
        def __init__(self, found: SchemaRead, integration: str, new: bool) -> None:
            super().__init__()
            self.found, self.integration, self.new = found, integration, new

    class Failed(Message):
        def __init__(self, problem: str) -> None:
            super().__init__()
            self.problem = problem

    def __init__(self, mode: str = "file") -> None:
        super().__init__()
        self.kind = mode

    def compose(self) -> ComposeResult:
        app = self.app
        current = app.workspace.get("integration", app.integration_id)["name"] if app.integration_id else ""
        self.current = current  # shown with visible control characters, kept as it is unless edited
        with Vertical():
            if self.kind == "file":
                yield Static("Import schema from a SQL file", classes="import-title")
                yield Label("SQL file (CREATE TABLE statements, e.g. pg_dump --schema-only)")
                yield LineInput(placeholder="path/to/schema.sql", id="import-path")
                yield Label("Dialect")
                yield Select(
                    [(name, name) for name in DIALECTS], value="postgres", allow_blank=False, id="import-dialect"
                )
            else:
                yield Static("Import schema from a database (read-only)", classes="import-title")
                yield Label("Database URL (the password is used to connect, never stored)")
                yield LineInput(
                    placeholder="postgresql://user:password@host/dbname or sqlite:///path/file.db",
                    password=getattr(app, "share_mode", False),
                    id="import-url",
                )
            yield Label("Into integration")
            yield LineInput(value=visible(current), placeholder="integration name", id="import-integration")
            yield Checkbox("a new integration of this name", id="import-new")
            yield Static("", id="import-error")
            yield Static("", id="import-phase")
            yield ProgressBar(id="import-progress", show_eta=False)
            with VerticalScroll(id="import-summary-box"):
                yield Static("", id="import-summary")
            with Horizontal(id="import-buttons"):
                yield Button("Import", variant="primary", id="import-start")
                yield Button("Close", id="import-close")

    def on_mount(self) -> None:
        self.ready(self.query_one("#import-path" if self.kind == "file" else "#import-url"))

    def unsaved(self) -> bool:
        """A source typed but not imported yet."""
        typed = self.query_one("#import-path" if self.kind == "file" else "#import-url", Input).value.strip()
        return bool(typed) and not self.has_class("-done")

    def what_is_unsaved(self) -> str:
        return "the source you typed, not imported yet"

    # -- actions ---------------------------------------------------------------------------

    @on(Input.Submitted)
    @on(Button.Pressed, "#import-start")
    def action_start(self) -> None:
        if self.has_class("-running"):
            return
        integration = self.query_one("#import-integration", Input).value
        integration = (self.current if integration == visible(self.current) else integration).strip()
        if self.kind == "file":
            path = self.query_one("#import-path", Input).value.strip()
            if not path:
                self._error("Give the path of a SQL file")
                return
            source = (path, str(self.query_one("#import-dialect", Select).value))
        else:
            url = self.query_one("#import-url", Input).value.strip()
            if not url:
                self._error("Give a database URL")
                return
            source = (url, "")
        self._error("")
        self.remove_class("-done")
        self.add_class("-running")
        self.query_one("#import-start", Button).disabled = True
        self._read(source, integration, self.query_one("#import-new", Checkbox).value)

    @on(Button.Pressed, "#import-close")
    def action_close(self) -> None:
        self.action_cancel()

    # -- workers and their messages ----------------------------------------------------------

    def _progress(self, phase: str, done: int, total: int) -> None:
        self.post_message(self.Progressed(phase, done, total))

    @background("import the schema", group="import-schema", exclusive=True)
    def _read(self, source: tuple[str, str], integration: str, new: bool) -> None:
        location, dialect = source
        try:
            found = read_file(location, dialect, self._progress) if dialect else read_url(location, self._progress)
        except DayoneError as exc:
            self.post_message(self.Failed(str(exc)))
            return
        except Exception as exc:  # a driver's own error: told in the dialog as well as logged
            log.error("could not read the schema", exc_info=exc)  # not the source: a URL may hold a password
            self.post_message(self.Failed(describe(exc)))
            return
        self.post_message(self.Read(found, integration, new))

    @on(Read)
    def _write(self, message: Read) -> None:
        found, integration, new = message.found, message.integration, message.new

        def change(workspace) -> ImportSummary:
            if new:
                return write(workspace, found, progress=self._progress, new=integration or found.fallback_name)
            return write(workspace, found, integration or None, self._progress)

        self.app.save(
            change,
            f"schema import from {found.source}",
            on_saved=self._imported,
            on_failed=lambda error: self.post_message(self.Failed(describe(error))),
        )

    @on(Progressed)
    def _show_progress(self, message: Progressed) -> None:
        self.query_one("#import-phase", Static).update(
            f"{PHASES.get(message.phase, message.phase)}: {message.done:,} of {message.total:,}"
        )
        self.query_one("#import-progress", ProgressBar).update(total=max(message.total, 1), progress=message.done)

    @on(Failed)
    def _failed(self, message: Failed) -> None:
        self.remove_class("-running")
        self.query_one("#import-start", Button).disabled = False
        self._error(message.problem)

    def _imported(self, summary: ImportSummary) -> None:
        self.remove_class("-running")
        self.add_class("-done")
        bar = self.query_one("#import-progress", ProgressBar)
        bar.update(total=1, progress=1)
        self.query_one("#import-summary", Static).update(plain("\n".join(summary.lines())))
        start = self.query_one("#import-start", Button)
        start.label, start.disabled = "Import again", False
        self.query_one("#import-close", Button).focus()

    def _error(self, problem: str) -> None:
        self.query_one("#import-error", Static).update(plain_line(problem))
