"""The main screen: header, four panes side by side, the running notes strip and the footer."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.message import Message
from textual.screen import Screen

from tui import keys
from tui.overview import Progress
from tui.widgets.footer import KeyFooter
from tui.widgets.header import HeaderLine, VersionState
from tui.widgets.meeting_clock import MeetingClock
from tui.widgets.pane import Pane, PaneTable
from tui.widgets.panes import ChecklistTable, MetricsTable, NotesTable, StakeholdersTable, TablesTable
from tui.workers import background

if TYPE_CHECKING:
    from textual import getters

    from tui.app import DayoneApp

PANE_ORDER = ("stakeholders", "metrics", "checklist", "tables", "notes")
# Parts whose changes may change the agreed contract, and so its unpublished mark.
CONTRACT_PARTS = {"integration", "stakeholders", "metrics", "checklist", "tables"}


class VersionRead(Message):
    def __init__(self, integration_id: int | None, state: VersionState | None, asked: int) -> None:
        self.integration_id = integration_id
        self.state = state
        self.asked = asked
        super().__init__()


class MainScreen(Screen):
    if TYPE_CHECKING:
        app = getters.app(DayoneApp)
    BINDINGS = keys.MAIN
    AUTO_FOCUS = "#checklist-table"

    def __init__(self) -> None:
        super().__init__()
        self.tables: dict[str, PaneTable] = {
            table.part: table
            for table in (StakeholdersTable(), MetricsTable(), ChecklistTable(), TablesTable(), NotesTable())
        }
        self.header = HeaderLine(id="header")
        self.version: VersionState | None = None
        self.version_asked = 0

    def compose(self) -> ComposeResult:
        with Horizontal(id="header-bar"):
            yield self.header
            yield MeetingClock(id="meeting-clock")
        with Horizontal(id="top", classes="row"):
            yield Pane(self.tables["stakeholders"])
            yield Pane(self.tables["metrics"])
        with Horizontal(id="middle", classes="row"):
            yield Pane(self.tables["checklist"])
            yield Pane(self.tables["tables"])
        yield Pane(self.tables["notes"])
        yield KeyFooter()

    def on_mount(self) -> None:
        self.workspace_changed(self.app.data)

    def workspace_changed(self, parts: dict[str, Any]) -> None:
        """Show reloaded parts; before the screen is mounted there is nothing to show them in yet."""
        if not self.header.is_mounted:
            return
        for part, data in parts.items():
            if part in self.tables:
                self.tables[part].show(data)
        if "enforcement" in parts:  # shown beside the tables and the checklist items it is about
            for part in ("tables", "checklist"):
                if part not in parts and self.tables[part].data is not None:
                    self.tables[part].show(self.tables[part].data)
        if "meeting" in parts:
            self.query_one(MeetingClock).show(parts["meeting"])
        if parts.keys() & CONTRACT_PARTS:
            self.version_asked += 1
            self.read_version(self.version_asked)
        self.repaint_header()

    @background("read the contract's version", group="version-state")
    def read_version(self, asked: int = 0) -> None:
        """The last published version and whether the agreed contract changed since (None: none published)."""
        from tui.versions import latest, unpublished

        ws, integration_id = self.app.workspace, self.app.integration_id
        if integration_id is None:
            self.post_message(VersionRead(None, None, asked))
            return
        last = latest(ws, integration_id)
        changed = unpublished(ws, ws.get("integration", integration_id), self.app.today.isoformat()) if last else None
        self.post_message(VersionRead(integration_id, (last.version, bool(changed)) if last else None, asked))

    @on(VersionRead)
    def _version_read(self, message: VersionRead) -> None:
        # Reads are never cancelled (a cancelled thread worker that had not started breaks waiting for workers):
        # an answer older than the last question asked is dropped instead.
        if message.integration_id == self.app.integration_id and message.asked in (0, self.version_asked):
            self.version = message.state
            self.repaint_header()

    def share_mode_changed(self, share: bool) -> None:
        if not self.header.is_mounted:
            return
        for table in self.tables.values():  # every pane shows text that may be masked
            table.rebuild()
        self.repaint_header()

    def repaint_header(self) -> None:
        data = self.app.data
        items = data.get("checklist")
        integration = data.get("integration")
        if integration is not None:
            shown = self.app.shown
            integration = {
                **integration,
                "name": shown(integration["name"]),
                "source": shown(integration.get("source")),
            }
        self.header.show(
            integration,
            Progress.of(items) if items is not None else None,
            self.app.today,
            self.app.share_mode,
            data.get("enforcement"),
            [self.app.shown(name) for name in self.app.people],
            self.version if integration is not None else None,
        )

    def people_changed(self) -> None:
        if self.header.is_mounted:
            self.repaint_header()

    # -- actions -------------------------------------------------------------------------------

    def action_focus_pane(self, part: str) -> None:
        if self.maximized is not None:
            self.minimize()
        self.set_focus(self.tables[part])

    def action_zoom(self) -> None:
        if self.maximized is not None:
            self.minimize()
            return
        focused = self.focused
        if focused is not None:
            self.maximize(focused)

    def action_add_note(self) -> None:
        from tui.screens.note_form import NoteForm

        links = self._note_subject()
        self.app.with_integration("write the note", lambda _: self.app.push_screen(NoteForm(**links)))

    def _note_subject(self) -> dict[str, int]:
        """The checklist item, table or metric under the cursor of the focused pane, for the note to point at."""
        focused = self.focused
        key = focused.visible_selected_key() if isinstance(focused, PaneTable) else None
        if key is None or not key.isdigit():
            return {}
        if isinstance(focused, ChecklistTable):
            return {"item_id": int(key)}
        if isinstance(focused, TablesTable):
            return {"table_id": int(key)}
        if isinstance(focused, MetricsTable):
            return {"metric_id": int(key)}
        return {}
