"""The versions of the current integration's contract, and the diff between any two of them.

The list has the workspace on top (with its unpublished changes), then each published version, newest first.
The diff shows the cursor's row against the row marked as the older side (by default the version just below
it), grouped by the impact on consumers. Reading and publishing run in workers; widgets change only in the
message handlers.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Static

from tui import keys
from tui.changes.model import Impact
from tui.changes.report import Comparison
from tui.versions import Published
from tui.widgets.footer import KeyFooter
from tui.widgets.header import PeopleLine
from tui.widgets.impact import impact_cell
from tui.widgets.plain import plain_cells, safe_text
from tui.workers import background

if TYPE_CHECKING:
    from textual import getters

    from tui.app import DayoneApp

NOW = "now"


@dataclass(frozen=True)
class VersionList:
    name: str
    versions: list[Published]  # oldest first
    unpublished: bool | None


class VersionsLoaded(Message):
    def __init__(self, found: VersionList) -> None:
        self.found = found
        super().__init__()


class DiffLoaded(Message):
    def __init__(self, old: str | None, new: str, comparison: Comparison) -> None:
        self.old, self.new, self.comparison = old, new, comparison
        super().__init__()


class VersionsScreen(Screen[None]):
    """Published versions, newest first, and what changed between two of them."""

    if TYPE_CHECKING:
        app = getters.app(DayoneApp)

    BINDINGS = keys.VERSIONS
    AUTO_FOCUS = "#versions-list"

    def __init__(self) -> None:
        super().__init__()
        self.found: VersionList | None = None
        self.marked: str | None = None  # the older side chosen with `f`; None: the version below the cursor

    def compose(self) -> ComposeResult:
        yield PeopleLine()
        yield Static("Reading the versions…", id="versions-title")
        yield DataTable(cursor_type="row", zebra_stripes=False, id="versions-list")
        yield Static("", id="diff-title")
        yield DataTable(cursor_type="row", zebra_stripes=False, id="versions-diff")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one("#versions-list", DataTable).add_columns("Version", "Published", "By", "Change", "Message")
        self.query_one("#versions-diff", DataTable).add_columns(
            "Consumers", "Producer", "Change", "Where", "Detail", "Metrics"
        )
        self.load()

    def workspace_changed(self, parts: dict) -> None:
        self.load()

    def share_mode_changed(self, share: bool) -> None:
        if self.found is not None:
            self.post_message(VersionsLoaded(self.found))

    # -- reading ---------------------------------------------------------------------------------

    @background("read the contract versions", group="versions")
    def load(self) -> None:
        from tui.versions import published, unpublished

        ws, integration_id = self.app.workspace, self.app.integration_id
        if integration_id is None:
            return
        integration = ws.get("integration", integration_id)
        found = VersionList(
            integration["name"],
            published(ws, integration_id),
            unpublished(ws, integration, self.app.today.isoformat()),
        )
        self.post_message(VersionsLoaded(found))

    @background("compare two versions", group="versions-diff")
    def compare(self, old: str | None, new: str) -> None:
        from tui.agreement import from_workspace
        from tui.changes.report import build
        from tui.versions import agreement_at

        ws, integration_id = self.app.workspace, self.app.integration_id
        if integration_id is None:
            return
        integration = ws.get("integration", integration_id)
        today = self.app.today.isoformat()
        before = agreement_at(ws, integration, old) if old else None
        after = from_workspace(ws, integration, today) if new == NOW else agreement_at(ws, integration, new)
        comparison = build(
            before,
            after,
            old or "nothing published",
            "the workspace" if new == NOW else new,
            workspace=ws,
            integration=integration,
            today=today,
        )
        self.post_message(DiffLoaded(old, new, comparison))

    # -- showing ---------------------------------------------------------------------------------

    @on(VersionsLoaded)
    def _show_versions(self, message: VersionsLoaded) -> None:
        self.found = found = message.found
        shown = self.app.shown
        latest = found.versions[-1].version if found.versions else None
        title = Text.assemble(("Versions of ", "bold"), (shown(found.name), "bold"))
        if latest is None:
            title.append(" · nothing published yet: p publishes the agreed contract as its first version")
        else:
            title.append(f" · current {latest}")
            if found.unpublished:
                title.append(" · unpublished changes", style="bold yellow")
        self.query_one("#versions-title", Static).update(safe_text(title))
        table = self.query_one("#versions-list", DataTable)
        keep = table.cursor_row
        table.clear()
        now = "unpublished changes" if found.unpublished or latest is None else "the same as " + (latest or "")
        table.add_row(*plain_cells("workspace", "", "", "", now), key=NOW)
        for each in reversed(found.versions):
            marked = " (from)" if each.version == self.marked else ""
            table.add_row(
                *plain_cells(
                    each.version + marked,
                    each.at[:16].replace("T", " "),
                    shown(each.author),
                    each.bump or "",
                    shown(each.message or ""),
                ),
                key=each.version,
            )
        table.move_cursor(row=min(keep, table.row_count - 1))
        self._compare_at_cursor()

    @on(DataTable.RowHighlighted, "#versions-list")
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._compare_at_cursor()

    def _compare_at_cursor(self) -> None:
        sides = self.sides()
        if sides is not None:
            self.compare(*sides)

    def sides(self) -> tuple[str | None, str] | None:
        """(older, newer) for the row under the cursor: the marked version, else the one published before it."""
        if self.found is None:
            return None
        table = self.query_one("#versions-list", DataTable)
        if not table.row_count:
            return None
        new = str(table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value)
        numbers = [each.version for each in self.found.versions]
        if self.marked is not None and self.marked != new:
            return self.marked, new
        if new == NOW:
            return (numbers[-1] if numbers else None), NOW
        index = numbers.index(new)
        return (numbers[index - 1] if index else None), new

    @on(DiffLoaded)
    def _show_diff(self, message: DiffLoaded) -> None:
        if (message.old, message.new) != self.sides():
            return  # the cursor moved on since: a newer comparison is on its way
        comparison = message.comparison
        shown = self.app.shown
        title = Text.assemble(("Changes ", "bold"), f"{shown(comparison.source)} → {shown(comparison.target)}: ")
        if comparison.changes:
            title.append(f"{len(comparison.changes)}, a {comparison.bump} version")
            if comparison.inform:
                title.append(f" · inform {shown(', '.join(comparison.inform))}")
        else:
            title.append("none")
        self.query_one("#diff-title", Static).update(safe_text(title))
        table = self.query_one("#versions-diff", DataTable)
        table.clear()
        for impact in Impact:
            for change in (each for each in comparison.changes if each.consumer is impact):
                table.add_row(
                    impact_cell(change.consumer),
                    impact_cell(change.producer),
                    *plain_cells(
                        change.kind.label,
                        shown(change.where),
                        shown(change.detail),
                        shown(", ".join(change.metrics)),
                    ),
                )

    # -- actions ---------------------------------------------------------------------------------

    def action_back(self) -> None:
        self.dismiss()

    def action_mark_from(self) -> None:
        """Mark the version under the cursor as the older side of the diff (again: unmark it)."""
        sides = self.sides()
        if sides is None or sides[1] == NOW:
            self.notify("Mark a published version as the older side; the workspace is always the newest")
            return
        self.marked = None if self.marked == sides[1] else sides[1]
        if self.found is not None:
            self.post_message(VersionsLoaded(self.found))

    def action_publish(self) -> None:
        from tui.versions import publish

        integration_id = self.app.integration_id
        if integration_id is None:
            return
        today = self.app.today.isoformat()

        def change(ws):  # runs in the app's save worker, as one transaction
            return publish(ws, ws.get("integration", integration_id), today)

        def saved(result) -> None:
            made, found = result
            if made is None:
                self.notify(f"Nothing changed since {found.since.version}: no new version")
            else:
                self.notify(f"Published {made.version} ({found.bump or 'first'})")
            self.load()
            for screen in self.app.screen_stack:  # the planning screen's header shows the version too
                refresh = getattr(screen, "read_version", None)
                if refresh is not None:
                    refresh()

        # A published version stays: Ctrl+Z goes on to the edits before it.
        self.app.save(change, "publish the contract", on_saved=saved, undoable=False)
