"""The planning screen: a thin Textual front end on the workspace.

The app owns the one open `Workspace`. Screens change rows through
`app.save(change, description)`, which runs the change in a worker thread as one
transaction and remembers its change-log batch so that Ctrl+Z can revert it.
Every commit, here or in another process, ends in `_sync`, which reads the
change log since it last looked and reloads only the parts of the screen that
the changes touched (posting `WorkspaceChanged`).
"""

from __future__ import annotations

import logging
import os
import sqlite3
from collections.abc import Callable, Iterable
from contextlib import suppress
from datetime import date
from pathlib import Path, PurePath
from typing import Any, ClassVar

from textual import events, on
from textual.app import App, SystemCommand
from textual.notifications import SeverityLevel
from textual.reactive import reactive
from textual.screen import Screen
from textual.worker import Worker, WorkerFailed

from tui import keys
from tui.errors import ConflictError, DayoneError, explain
from tui.files import reserve_beside
from tui.messages import (
    BackgroundFailed,
    PeopleHere,
    Saved,
    SaveFailed,
    Undone,
    WorkspaceChanged,
    WorkspaceReplaced,
)
from tui.overview import LATE_PARTS, SLOW_PARTS, changed_parts, last_check_run, load_parts
from tui.preload import QUICK_PARTS, Preload
from tui.preload import start as start_preload
from tui.presence import HEARTBEAT_SECONDS, announce, leave, new_session, people_here
from tui.resources import checklists_dir
from tui.store import Workspace
from tui.visible import VisibleFormatter, one_line, visible
from tui.widgets.header import PeopleLine
from tui.workers import background, describe, log, report_failure

POLL_SECONDS = 0.4
# A file missing at this many looks in a row was deleted, not being replaced (a restore writing it takes well under
# a second): the app saves what it holds.
MISSING_POLLS = 10  # four seconds
# Textual's palette entries that the app's own commands replace: help (Keys), Zoom pane, and Quit that asks first.
OWN_COMMANDS = frozenset({"Keys", "Maximize", "Minimize", "Quit"})
# Seconds after an integration is first shown before the checklist templates are read and synced.
TEMPLATE_SYNC_DELAY = 1.0


def today_from_env() -> date:
    """Today, unless DAYONE_TODAY (YYYY-MM-DD) pins it, as tests and screenshots do."""
    pinned = os.environ.get("DAYONE_TODAY")
    if pinned:
        try:
            return date.fromisoformat(pinned)
        except ValueError:
            raise DayoneError(f"DAYONE_TODAY: {pinned!r} is not a date (YYYY-MM-DD)") from None
    return date.today()


class DayoneApp(App[int]):
    """One workspace, one integration at a time, every pane of it on one screen."""

    # Of two equally specific rules the later file's wins: app.tcss over screens.tcss over widgets.tcss.
    CSS_PATH: ClassVar[list[str | PurePath]] = [
        Path(__file__).with_name(name) for name in ("widgets.tcss", "screens.tcss", "app.tcss")
    ]
    TITLE = "dayone"
    BINDINGS = keys.APP
    COMMANDS = App.COMMANDS | {lambda: _commands_provider()}
    ALLOW_IN_MAXIMIZED_VIEW = "KeyFooter"  # a zoomed pane keeps the keys in view

    integration_id: reactive[int | None] = reactive(None)
    share_mode: reactive[bool] = reactive(False)

    def __init__(
        self,
        workspace: str | os.PathLike[str] | Preload,
        author: str | None = None,
        checklists: str | os.PathLike[str] | None = None,
        share: bool = False,
        integration: str | None = None,
        today: date | None = None,
    ) -> None:
        """Open a workspace file, or take over a `Preload` already reading one (what `dayone` passes).

        `author` and `integration` are for a file; a Preload was started with its own.
        """
        super().__init__()
        # Read the first integration while Textual starts; used once, for the integration opened first.
        preload = workspace if isinstance(workspace, Preload) else start_preload(workspace, author, integration)
        self._preload: Preload | None = preload
        self.workspace = preload.workspace
        self._start_integration = preload.integration
        self._sync_lock = preload.lock
        self._checklists = Path(checklists) if checklists else checklists_dir()
        self.today = today or today_from_env()
        self.data: dict[str, Any] = {}
        self.set_reactive(DayoneApp.share_mode, share)
        self._undo: list[tuple[int, str]] = []
        self._undone: list[int] = []  # batches undone here, and the batches that undid them
        self._last_change_id = 0
        self._last_check_run = 0  # `dayone check` records its runs outside the change log
        self._late_for: int | None = None  # the integration whose late parts were asked for
        self._data_version = self.workspace.data_version()
        self._polling = False
        self.closing = False  # set once the app unmounts: its workers then find the workspace closed
        self._templates_started = False
        found = os.stat(self.workspace.path)
        self._file_id = (found.st_dev, found.st_ino)  # to notice the file being replaced under the screen
        self._missing_polls = 0  # looks in a row that found no file at the workspace's path
        self._recovery_failed = False
        # Failures of background work are written beside the workspace (data/dayone.log), only once one happens.
        self._log_file = logging.FileHandler(self.workspace.path.with_suffix(".log"), delay=True, encoding="utf-8")
        self._log_file.setFormatter(VisibleFormatter("%(asctime)s %(levelname)s %(message)s"))
        log.addHandler(self._log_file)
        self.failure: str | None = None
        self._presence = new_session()  # this app's row in the workspace's presence table
        self.people: list[str] = []  # who has the workspace open, this app's person included

    # -- start and stop ----------------------------------------------------------------------

    def get_default_screen(self) -> Screen:
        from tui.screens.main import MainScreen

        return MainScreen()

    def on_mount(self) -> None:
        chosen = self._preload.choice() if self._preload is not None else None
        if chosen is None and self._start_integration:
            chosen = self.workspace.integration(self._start_integration)
        elif chosen is None:
            chosen = self.workspace.last_integration()
        if chosen is not None and self._preload is not None and self._preload.ready(chosen["id"]):
            preload, self._preload = self._preload, None
            self._last_change_id = preload.last_change_id
            self.set_reactive(DayoneApp.integration_id, chosen["id"])
            quick, slow = preload.take_quick(chosen["id"]), preload.take_slow(chosen["id"])
            assert quick is not None and slow is not None  # ready: both were read, for this integration
            self._show(WorkspaceChanged(chosen["id"], {**quick, **slow}))
        elif chosen is not None:
            self.integration_id = chosen["id"]
        else:
            self.post_message(WorkspaceChanged(0, {}))
            self._start_template_sync()
        self.set_interval(POLL_SECONDS, self._poll)
        self._announce()
        self.set_interval(HEARTBEAT_SECONDS, self._announce)

    def on_unmount(self) -> None:
        self.closing = True
        with suppress(DayoneError, sqlite3.Error):  # else its row expires by itself
            leave(self.workspace, self._presence)
        log.removeHandler(self._log_file)
        self._log_file.close()
        self.workspace.close()

    def _handle_exception(self, error: Exception) -> None:
        """The app's last boundary: a failure of the workspace file, the disk or a text encoding that nothing
        handled ends the app with one line naming the file and what to do, exit status 2, not a traceback."""
        cause = error.error if isinstance(error, WorkerFailed) else error
        message = explain(cause, self.workspace.path) if isinstance(cause, Exception) else None
        if message is None:
            super()._handle_exception(error)
            return
        self.failure = one_line(message)
        self.exit(return_code=2)

    # -- what every screen uses --------------------------------------------------------------

    async def on_event(self, event: events.Event) -> None:
        """Pasted text is text from elsewhere: its control characters become visible before any input sees it."""
        if isinstance(event, events.Paste):
            event.text = visible(event.text)
        await super().on_event(event)

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = True,
    ) -> None:
        """Notifications carry names and errors from data: never markup, control characters made visible."""
        super().notify(visible(message), title=one_line(title), severity=severity, timeout=timeout, markup=False)

    def shown(self, text: str | None) -> str:
        """Text as it may appear on screen: control characters visible, credentials masked while sharing.

        Still text, not markup: hand it to widgets as Content (tui.widgets.plain), never as a markup string.
        """
        if not text or not self.share_mode:
            return visible(text or "")
        from tui.secrets import mask_secrets  # its patterns compile only once sharing starts

        return visible(mask_secrets(text)[0])

    def save(
        self,
        change: Callable[[Workspace], Any],
        description: str,
        on_saved: Callable[[Any], object] | None = None,
        on_failed: Callable[[Exception], object] | None = None,
        *,
        undoable: bool = True,
    ) -> Worker:
        """Run `change(workspace)` as one transaction in a worker; Ctrl+Z reverts it unless not `undoable`.

        `on_saved` is called in the UI thread with what `change` returned, only once
        the change committed. A refusal or a database failure (locked for too long,
        disk full) goes to `on_failed` with the error, or else becomes a
        notification. A ConflictError goes to `show_conflict` with a retry.
        """
        return self._save(change, description, on_saved, on_failed, undoable)

    @background("save", group="save")
    def _save(
        self,
        change: Callable[[Workspace], Any],
        description: str,
        on_saved: Callable[[Any], object] | None,
        on_failed: Callable[[Exception], object] | None,
        undoable: bool,
    ) -> None:
        ws = self.workspace
        try:
            with ws.transaction():
                before = ws.last_batch()
                result = change(ws)
                after = ws.last_batch()
        except ConflictError as error:
            self.call_from_thread(
                self.show_conflict,
                error,
                lambda: self.save(change, description, on_saved, on_failed, undoable=undoable),
            )
            return
        except (DayoneError, sqlite3.Error, OSError) as error:
            if not isinstance(error, DayoneError):
                log.error("could not %s", description, exc_info=error)
            if on_failed is not None:
                self.call_from_thread(on_failed, error)
            else:
                self.post_message(SaveFailed(description, describe(error, ws.path)))
            return
        batch = after if after != before and undoable else None
        self.post_message(Saved(description, batch))
        if on_saved is not None:
            self.call_from_thread(on_saved, result)
        self._sync()

    def show_conflict(self, error: ConflictError, retry: Callable[[], Any]) -> None:
        """Let the user choose between their edit and the row as someone else left it."""
        from tui.screens.conflict import conflict_screen

        self.push_screen(conflict_screen(error, retry))

    def edit(self, entity: str, row_id: int | None, **defaults: Any) -> None:
        """Open the edit form of a row (row_id None: a new row with `defaults`)."""
        from tui.screens.forms import edit_screen

        self.push_screen(edit_screen(entity, row_id, **defaults))

    def with_integration(self, what: str, then: Callable[[int], object]) -> None:
        """Run `then(integration_id)`; on an empty workspace first ask for the integration `what` will belong to."""
        if self.integration_id is not None:
            then(self.integration_id)
            return
        from tui.screens.forms import EditScreen

        def made(row: dict[str, Any] | None) -> None:
            if row is not None:
                then(row["id"])

        intro = f"Everything in dayone belongs to an integration. Name this one first; then {what}."
        self.push_screen(EditScreen("integration", None, title="New integration", intro=intro), made)

    def delete(self, entity: str, row_id: int) -> None:
        """Ask before deleting a row (and what it owns); the confirmation does the delete through `save`."""
        from tui.screens.confirm import confirm_delete

        self.push_screen(confirm_delete(entity, row_id))

    def open_table(self, table_id: int) -> None:
        """Show a table of the table list: its columns, foreign keys out and the tables that point at it."""
        from tui.screens.table import TableScreen

        self.push_screen(TableScreen(table_id))

    def dismiss_findings(self, table: str, findings: list[dict[str, Any]]) -> None:
        """Ask which of a table's open findings to dismiss, and why."""
        from tui.screens.findings import DismissFinding

        self.push_screen(DismissFinding(table, findings))

    def undo(self) -> None:
        """Revert this session's last change (Ctrl+Z)."""
        self.action_undo()

    def action_undo(self) -> None:
        if not self._undo:
            self.notify("Nothing to undo: no changes made on this screen yet")
            return
        batch, description = self._undo.pop()
        self._undo_batch(batch, description)

    @background("save", group="save")
    def _undo_batch(self, batch: int, description: str) -> None:
        try:
            reverted_by = self.workspace.undo(batch, ignore=self._undone)
            self._undone += [batch] if reverted_by is None else [batch, reverted_by]
        except DayoneError as error:
            self.post_message(SaveFailed(f"undo {description}", str(error)))
            return
        self.post_message(Undone(description))
        self._sync()

    @on(Saved)
    def _remember(self, message: Saved) -> None:
        if message.batch is not None:
            self._undo.append((message.batch, message.description))

    @on(SaveFailed)
    def _report(self, message: SaveFailed) -> None:
        self.notify(message.error, title=f"Not saved: {message.description}", severity="error", timeout=8)

    @on(BackgroundFailed)
    def _report_failure(self, message: BackgroundFailed) -> None:
        self.notify(message.error, title=f"Could not {message.what}", severity="error", timeout=10)

    @on(Undone)
    def _report_undo(self, message: Undone) -> None:
        self.notify(f"Undone: {message.description}")

    # -- loading and live refresh ------------------------------------------------------------

    def watch_integration_id(self, integration_id: int | None) -> None:
        if integration_id is not None:
            self._load_all(integration_id)

    def watch_share_mode(self, share: bool) -> None:
        for screen in self.screen_stack:
            refresh = getattr(screen, "share_mode_changed", None)
            if refresh is not None:
                refresh(share)

    @background("load the integration", group="load", exclusive=True)
    def _load_all(self, integration_id: int) -> None:
        """Everything of one integration: the quick parts first, then the ones that read every column."""
        ws = self.workspace
        preload, self._preload = self._preload, None
        quick = preload.take_quick(integration_id) if preload is not None else None
        if preload is not None and quick is not None:
            self._last_change_id = preload.last_change_id
        else:
            preload = None
            with self._sync_lock:
                self._last_change_id = ws.query("SELECT coalesce(max(id), 0) FROM changes")[0][0]
                quick = load_parts(ws, integration_id, QUICK_PARTS)
        self.post_message(WorkspaceChanged(integration_id, quick))
        slow = preload.take_slow(integration_id) if preload is not None else None
        if slow is None:
            with self._sync_lock:
                slow = load_parts(ws, integration_id, SLOW_PARTS)
        self.post_message(WorkspaceChanged(integration_id, slow))
        if ws.setting("last_integration") != str(integration_id):  # reopening the same one writes nothing
            ws.remember_integration(integration_id)

    @background("read how the agreements are enforced", group="load-late", exclusive=True)
    def _load_late(self, integration_id: int) -> None:
        """The parts read once the panes are drawn, and the newest check run they saw."""
        with self._sync_lock:
            self._last_check_run = last_check_run(self.workspace)
            late = load_parts(self.workspace, integration_id, LATE_PARTS)
        self.post_message(WorkspaceChanged(integration_id, late))

    def _start_template_sync(self) -> None:
        if self.workspace.checklist is None and not self._templates_started:
            self._templates_started = True
            self._sync_templates()

    @background("read the checklist templates", group="templates")
    def _sync_templates(self) -> None:
        """Read the checklist templates and add what the workspace lacks, after the first paint, not before."""
        from tui.checklists import load_checklist

        try:
            self.workspace.checklist = load_checklist(self._checklists)
            self.workspace.sync_checklist()
        except DayoneError as error:
            self.post_message(SaveFailed("checklist templates", str(error)))
            return
        self._sync()

    def _sync(self) -> None:
        """Reload what the change log says changed since the last look (call from a worker thread)."""
        ws = self.workspace
        integration_id = self.integration_id
        with self._sync_lock:
            changes = ws.changes(after_id=self._last_change_id)
            checked = last_check_run(ws)
            new_check, self._last_check_run = checked != self._last_check_run, checked
            if not changes and not new_check:
                return
            if changes:
                self._last_change_id = changes[-1]["id"]
            if integration_id is None:
                first = ws.last_integration()
                if first is not None:
                    self.call_from_thread(setattr, self, "integration_id", first["id"])
                return
            if any(
                c["entity"] == "integration" and c["action"] == "delete" and c["row_id"] == integration_id
                for c in changes
            ):
                remaining = ws.integrations()
                self.call_from_thread(setattr, self, "integration_id", remaining[0]["id"] if remaining else None)
                return
            parts = changed_parts(changes, integration_id)
            if any(c["entity"] == "integration" for c in changes):
                parts.add("integration")
            if new_check:
                parts.add("enforcement")
            if not parts:
                return
            loaded = load_parts(ws, integration_id, parts)
        self.post_message(WorkspaceChanged(integration_id, loaded))

    def _poll(self) -> None:
        if not self._polling:
            self._polling = True
            self._check_data_version()

    @background("look for changes made elsewhere", group="poll")
    def _check_data_version(self) -> None:
        try:
            state = self._file_state()
            self._missing_polls = self._missing_polls + 1 if state == "missing" else 0
            if state == "replaced":
                self._reopen(self.workspace.path)
                return
            if self._missing_polls >= MISSING_POLLS:
                self._recover()
                return
            version = self.workspace.data_version()
            if version != self._data_version:
                self._data_version = version
                self._sync()
                self._look_who_is_here()
        finally:
            self._polling = False

    def _file_state(self) -> str:
        """ "same", "replaced" (another program put a new file where the workspace was) or "missing"."""
        try:
            found = os.stat(self.workspace.path)
        except FileNotFoundError:
            return "missing"  # being replaced right now, or deleted: told apart by the next looks
        return "same" if (found.st_dev, found.st_ino) == self._file_id else "replaced"

    def _recover(self) -> None:
        """The workspace file was deleted under the screen: copy what this app still holds open to a new file next to
        where it was, and go on there, so that nothing is lost (call from a worker thread)."""
        deleted = self.workspace.path
        try:
            deleted.parent.mkdir(parents=True, exist_ok=True)
            target = reserve_beside(deleted, "recovered")
            self.workspace.backup(target)
        except (OSError, sqlite3.Error, DayoneError) as error:
            if not self._recovery_failed:  # told once; tried again at every look
                self._recovery_failed = True
                report_failure(self, f"save a copy of the deleted {deleted}", error)
            return
        self._reopen(target, deleted=deleted)

    def _reopen(self, path: Path, deleted: Path | None = None) -> None:
        """Open the file at `path` in place of the one the app had (call from a worker thread)."""
        old = self.workspace
        with self._sync_lock:
            new = Workspace.open(path, author=old.author, checklist=old.checklist)
            found = os.stat(new.path)
            self._file_id = (found.st_dev, found.st_ino)
            self.workspace = new
            self._data_version = new.data_version()
            self._last_change_id = 0
            with old._lock:
                old.close()
            first = new.last_integration()
        self._missing_polls, self._recovery_failed = 0, False
        self.post_message(WorkspaceReplaced(first["id"] if first else None, deleted))

    @background("say who is here", group="presence")
    def _announce(self) -> None:
        try:
            announce(self.workspace, self._presence, self.workspace.author)
        except DayoneError:  # a locked or full file: saves say so themselves; who is here waits for the next beat
            return
        self._look_who_is_here()

    def _look_who_is_here(self) -> None:
        """Read who has the workspace open; tell the screens when that changed (call from a worker thread)."""
        people = people_here(self.workspace)
        if people != self.people:
            self.post_message(PeopleHere(people))

    @on(PeopleHere)
    def _people_changed(self, message: PeopleHere) -> None:
        self.people = message.people
        for screen in self.screen_stack:
            refresh = getattr(screen, "people_changed", None)
            if refresh is not None:
                refresh()
            for line in screen.query(PeopleLine):
                line.show_people()

    @on(WorkspaceReplaced)
    def _replaced(self, message: WorkspaceReplaced) -> None:
        self._undo.clear()  # its batches belong to the file that was replaced
        self._late_for = None
        if message.deleted is not None:
            self.notify(
                f"{message.deleted} was deleted by another program. Everything this screen had is saved in "
                f"{self.workspace.path}, and this screen goes on writing there; move it back with "
                f"`mv {self.workspace.path} {message.deleted}` once every dayone on it is closed.",
                title="Workspace file deleted: nothing lost",
                severity="error",
                timeout=30,
            )
        else:
            self.notify(
                f"{self.workspace.path} was replaced by another program (dayone demo?); "
                "this screen now shows the new file. Undo starts afresh.",
                title="Workspace file replaced",
                severity="warning",
                timeout=12,
            )
        if message.integration_id is None or message.integration_id != self.integration_id:
            self.integration_id = message.integration_id
        else:
            self._load_all(message.integration_id)
        if message.integration_id is None:
            self.data.clear()
            self.post_message(WorkspaceChanged(0, {}))

    @on(WorkspaceChanged)
    def _show(self, message: WorkspaceChanged) -> None:
        if message.integration_id != (self.integration_id or 0):
            return
        self.data.update(message.parts)
        for screen in self.screen_stack:
            refresh = getattr(screen, "workspace_changed", None)
            if refresh is not None:
                refresh(message.parts)
        if "tables" in message.parts and self._late_for != message.integration_id:
            # Read once the panes are drawn, so that reading them never holds up the first full paint.
            self._late_for = message.integration_id
            self.call_after_refresh(self._load_late, message.integration_id)
        if "tables" in message.parts and not self._templates_started:
            # Reading the templates competes with the first paint for the interpreter: it waits a moment.
            self.set_timer(TEMPLATE_SYNC_DELAY, self._start_template_sync)

    # -- app-wide actions --------------------------------------------------------------------

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        """Textual's own palette entries, less those the app names itself (Keys, Zoom pane, Quit)."""
        for command in super().get_system_commands(screen):
            if command.title not in OWN_COMMANDS:
                yield command

    async def _on_key(self, event: events.Key) -> None:
        """A key typed just before a form opened reached the screen below it first: it goes on to the form."""
        from tui.screens.form_screen import FormScreen

        screen = self.screen
        if isinstance(screen, FormScreen) and not screen.passed_through(event):
            event.prevent_default()
            screen.take(event)

    async def action_quit(self) -> None:
        """Ctrl+Q: ask first when a form holds typed text that is not saved."""
        from tui.screens.form_screen import DiscardChanges, FormScreen

        unsaved = [screen for screen in self.screen_stack if isinstance(screen, FormScreen) and screen.unsaved()]
        if not unsaved or isinstance(self.screen, DiscardChanges):
            self.exit()
            return

        def answered(discard: bool | None) -> None:
            if discard:
                self.exit()

        self.push_screen(DiscardChanges(f"Quit and lose {unsaved[-1].what_is_unsaved()}?"), answered)

    def action_help(self) -> None:
        from tui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.screen.focused, self.screen))

    def action_toggle_share(self) -> None:
        self.share_mode = not self.share_mode
        self.notify("Sharing: private notes hidden, secrets masked" if self.share_mode else "Sharing mode off")

    def action_toggle_theme(self) -> None:
        self.theme = "textual-light" if self.theme == "textual-dark" else "textual-dark"

    def action_switch_integration(self) -> None:
        from tui.screens.picker import NEW_INTEGRATION, IntegrationPicker

        def chosen(integration_id: int | None) -> None:
            if integration_id == NEW_INTEGRATION:
                self.edit("integration", None)
            elif integration_id is not None:
                self.integration_id = integration_id

        integrations = self.workspace.integrations()
        if integrations:
            self.push_screen(IntegrationPicker(integrations, self.integration_id), chosen)
        else:
            self.edit("integration", None)

    def action_review(self) -> None:
        from tui.screens.review import ReviewScreen

        self.with_integration("review its checklist", lambda _: self.push_screen(ReviewScreen()))

    def action_meeting(self) -> None:
        from tui.screens.meeting import start_or_end

        start_or_end(self)

    def action_meeting_changes(self) -> None:
        from tui.screens.meeting import show_changes

        show_changes(self)

    def action_versions(self) -> None:
        from tui.screens.versions import VersionsScreen

        self.with_integration("publish its contract", lambda _: self.push_screen(VersionsScreen()))

    def action_import_schema(self, mode: str = "file") -> None:
        """Import tables from a SQL file (mode "file") or a live database ("url")."""
        from tui.screens.import_schema import ImportSchemaScreen

        self.push_screen(ImportSchemaScreen(mode))

    def action_export(self) -> None:
        from tui.screens.export import ExportScreen

        self.push_screen(ExportScreen())

    def action_check_failures(self) -> None:
        from tui.screens.check_failures import CheckFailuresScreen

        self.with_integration("show its check failures", lambda _: self.push_screen(CheckFailuresScreen()))


def _commands_provider() -> type:
    from tui.commands import DayoneCommands

    return DayoneCommands
