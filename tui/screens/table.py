"""One table in full: its columns, where its foreign keys go and which tables point at it.

Columns are read only when the screen opens, so the main screen never loads
20,000 column rows it does not show.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Static

from tui import keys
from tui.enforcement import Agreed, ContractEnforcement, How
from tui.enums import CheckStatus
from tui.errors import NotFound
from tui.flags import column_flags, table_flags
from tui.overview import TableDetail, table_detail
from tui.widgets.footer import KeyFooter
from tui.widgets.header import PeopleLine
from tui.widgets.pane import clip
from tui.widgets.plain import plain_cells, plain_line, safe_text
from tui.workers import background

if TYPE_CHECKING:
    from textual import getters

    from tui.app import DayoneApp


class DetailLoaded(Message):
    def __init__(self, detail: TableDetail | None) -> None:
        self.detail = detail
        super().__init__()


def value_set_text(value_set: Any) -> str:
    """The codes of a value set (a dict of code to meaning, or a plain list)."""
    return ", ".join(str(code) for code in value_set or ())


HEADINGS = (
    "#",
    "Column",
    "Type",
    "Null",
    "Key",
    "References",
    "Values",
    "Class",
    "Flags",
    "Enforced",
    "Description",
)
# How each agreement shows: what keeps it, or how the last check found it.
KEPT = {
    How.DATABASE: ("▣", "cyan"),
    How.NONE: ("○", "dim"),
}
RESULT = {
    CheckStatus.PASS: ("✓", "green"),
    CheckStatus.SAMPLED: ("✓", "green"),
    CheckStatus.PROVEN: ("▣", "cyan"),
    CheckStatus.FAIL: ("✗", "bold red"),
    CheckStatus.WARN: ("!", "yellow"),
}


SAID = {
    CheckStatus.PASS: "passed",
    CheckStatus.SAMPLED: "held in a sample",
    CheckStatus.PROVEN: "proven",
    CheckStatus.FAIL: "failed",
    CheckStatus.WARN: "warned",
}


def agreement_mark(agreed: Agreed) -> tuple[str, str]:
    """The symbol and style of one agreement: its last result when checked, else what keeps it."""
    if agreed.status is not None:
        return RESULT[agreed.status]
    return KEPT.get(agreed.how, ("?", ""))


def agreements_text(agreements: list[Agreed]) -> Text:
    """'▣ not null ✗ value set ○ json schema' for the agreements on one column."""
    text = Text()
    for agreed in agreements:
        symbol, style = agreement_mark(agreed)
        text.append((" " if text else "") + symbol, style=style)
        text.append(f" {agreed.rule.value}")
    return text


def agreement_line(agreed: Agreed, shown: Callable[[str | None], str]) -> Text:
    """'✗ value set: dayone check, failed at the last check: 3 rows outside the set' for the column box."""
    symbol, style = agreement_mark(agreed)
    line = Text.assemble((symbol, style), " ", (agreed.rule.value, "bold"), f": {agreed.how.value}")
    if agreed.status is not None:
        line.append(f", {SAID[agreed.status]} at the last check")
    if agreed.message:
        line.append(f": {shown(agreed.message)}")
    return line


ALWAYS_SHOWN = 4  # position, name, type and nullability; the rest only when some column has one


class TableScreen(Screen):
    if TYPE_CHECKING:
        app = getters.app(DayoneApp)
    BINDINGS = keys.TABLE_DETAIL
    AUTO_FOCUS = "#columns"

    def __init__(self, table_id: int) -> None:
        super().__init__()
        self.table_id = table_id
        self.detail: TableDetail | None = None

    def compose(self) -> ComposeResult:
        yield PeopleLine()
        yield Static("loading…", id="table-summary")
        with Vertical(id="columns-box") as box:
            box.border_title = "Columns"
            yield DataTable(cursor_type="row", id="columns")
        yield Static("", id="column-info")
        yield Static("", id="links")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.load()

    @background("load the table", group="table-detail", exclusive=True)
    def load(self) -> None:
        try:
            detail = table_detail(self.app.workspace, self.table_id)
        except NotFound:
            detail = None
        self.post_message(DetailLoaded(detail))

    def workspace_changed(self, parts: dict[str, Any]) -> None:
        if "tables" in parts:
            self.load()
        elif "enforcement" in parts and self.detail is not None:
            self.show(self.detail)

    def enforcement(self) -> dict[str | None, list[Agreed]]:
        """This table's agreements by column (None: the whole table), as the app last loaded them."""
        found: ContractEnforcement | None = self.app.data.get("enforcement")
        if found is None or self.detail is None:
            return {}
        return found.columns(self.detail.table["schema"], self.detail.table["name"])

    def share_mode_changed(self, share: bool) -> None:
        if self.detail is not None:
            self.show(self.detail)

    @on(DetailLoaded)
    def _loaded(self, message: DetailLoaded) -> None:
        if message.detail is None:
            self.app.notify("That table no longer exists", severity="warning")
            self.dismiss()
            return
        self.show(message.detail)

    def show(self, detail: TableDetail) -> None:
        self.detail = detail
        table, shown = detail.table, self.app.shown
        summary = Text.assemble((shown(detail.qualified), "bold"), f"  {len(detail.columns)} columns")
        for label, key in (
            ("kind", "kind"),
            ("rows ≈", "estimated_rows"),
            ("deletes", "deletion"),
            ("soft-delete column", "soft_delete_column"),
            ("updated-at", "updated_at_column"),
            ("legacy marker", "legacy_marker"),
            ("test-data marker", "test_data_marker"),
        ):
            if table.get(key) not in (None, ""):
                summary.append(f" · {label} {shown(str(table[key]))}")
        for label, key in (("Created by", "created_by"), ("Retention", "retention")):
            if table.get(key):
                summary.append(f"\n{label}: {shown(table[key])}")
        if table.get("description"):
            summary.append("\n" + shown(table["description"]))
        for flag in table_flags(table, detail.columns):
            summary.append(f"\n⚠ {flag.value}: {flag.meaning}", style="yellow")
        for finding in detail.findings:
            where = f"{shown(finding['column_name'])}: " if finding.get("column_name") else ""
            summary.append(f"\n● {where}{shown(finding['message'])} ({finding['rule']})", style="red")
        agreements = self.enforcement()
        for agreed in agreements.get(None, ()):
            summary.append("\n")
            summary.append_text(agreement_line(agreed, shown))
        self.query_one("#table-summary", Static).update(safe_text(summary))

        grid = self.query_one("#columns", DataTable)
        cursor = grid.cursor_row
        rows: list[tuple[Any, ...]] = []
        for column in detail.columns:
            key = "PK" if column["primary_key"] else ("UQ" if column.get("is_unique") else "")
            rows.append(
                (
                    str(column["position"]),
                    shown(column["name"]),
                    shown(column["type"]) or "—",
                    "null" if column["nullable"] else "not null",
                    key,
                    shown(column["foreign_key"]),
                    clip(shown(value_set_text(column.get("value_set"))), 30),
                    shown(column.get("classification")),
                    Text(" ".join(f"⚠ {flag.value}" for flag in column_flags(column)), style="yellow"),
                    agreements_text(agreements.get(column["name"], [])),
                    shown(" ".join((column.get("description") or "").split())),
                )
            )
        # A heading whose column is empty for every row is left out, to give the description room.
        kept = [
            index
            for index, heading in enumerate(HEADINGS)
            if index < ALWAYS_SHOWN or any(str(row[index]) for row in rows)
        ]
        grid.clear(columns=True)
        grid.add_columns(*(HEADINGS[index] for index in kept))
        rows = [tuple(row[index] for index in kept) for row in rows]
        if kept[-1] == len(HEADINGS) - 1:
            room = self._description_room(rows)
            rows = [(*row[:-1], clip(row[-1], room)) for row in rows]
        for column, row in zip(detail.columns, rows, strict=True):
            grid.add_row(*plain_cells(*row), key=str(column["id"]))
        if grid.row_count:
            grid.move_cursor(row=min(cursor, grid.row_count - 1), animate=False)
        self.query_one("#columns-box").border_title = f"Columns ({len(detail.columns)})"
        self._show_column()

        links = Text()
        out = [(c["name"], c["foreign_key"]) for c in detail.columns if c["foreign_key"]]
        links.append("Foreign keys out: ", style="bold")
        links.append(", ".join(f"{shown(name)} → {shown(target)}" for name, target in out) or "none")
        links.append("\nPointed at by: ", style="bold")
        links.append(
            ", ".join(
                f"{shown(f'{source}.{column}')} → {shown(target)}" for source, column, target in detail.referenced_by
            )
            or "no table"
        )
        self.query_one("#links", Static).update(safe_text(links))

    @on(DataTable.RowHighlighted)
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        event.stop()
        self._show_column()

    def _description_room(self, rows: list[tuple]) -> int:
        """How wide the last column (the description) may be so the grid fits the screen; the box
        below the grid shows the selected column's description whole."""
        used = sum(max(Text(str(cell)).cell_len for cell in cells) + 2 for cells in list(zip(*rows, strict=True))[:-1])
        return max(self.size.width - used - 8, 20)  # the box's border, the grid's scrollbar, a margin

    def _show_column(self) -> None:
        """Everything about the column under the cursor that does not fit in a grid cell."""
        column_id = self._column_id()
        found = [c for c in self.detail.columns if c["id"] == column_id] if self.detail else []
        info = self.query_one("#column-info", Static)
        if not found:
            info.display = False
            return
        column, shown = found[0], self.app.shown
        text = Text()
        for label, key in (
            ("Description", "description"),
            ("Default", "default_value"),
            ("Generated", "generated"),
            ("Check", "check_constraint"),
        ):
            if column.get(key):
                text.append(f"{label}: ", style="bold")
                text.append(shown(str(column[key])) + "\n")
        values = column.get("value_set") or {}
        for code, meaning in values.items() if isinstance(values, dict) else ((code, None) for code in values):
            text.append(f"  {shown(str(code))}", style="bold")
            text.append(f" = {shown(meaning or '(meaning not known yet)')}\n")
        if column.get("json_schema"):
            text.append("JSON schema: ", style="bold")
            text.append(shown(json.dumps(column["json_schema"], ensure_ascii=False)) + "\n")
        for agreed in self.enforcement().get(column["name"], ()):
            text.append_text(agreement_line(agreed, shown))
            text.append("\n")
        info.border_title = plain_line(shown(column["name"]))
        text.rstrip()
        info.update(safe_text(text) if text.plain else Text("nothing more recorded about this column", style="dim"))
        info.display = True

    def _column_id(self) -> int | None:
        grid = self.query_one("#columns", DataTable)
        if not grid.row_count:
            return None
        key = grid.coordinate_to_cell_key(grid.cursor_coordinate).row_key.value
        assert key is not None  # every row is added with its column's id
        return int(key)

    @on(DataTable.RowSelected)
    def _selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_open()

    def action_open(self) -> None:
        column_id = self._column_id()
        if column_id is not None:
            self.app.edit("column", column_id)

    def action_new(self) -> None:
        position = max((c["position"] for c in self.detail.columns), default=0) + 1 if self.detail else 1
        self.app.edit("column", None, table_id=self.table_id, position=position)

    def action_delete(self) -> None:
        column_id = self._column_id()
        if column_id is not None:
            self.app.delete("column", column_id)

    def action_edit_table(self) -> None:
        self.app.edit("table", self.table_id)

    def action_dismiss_finding(self) -> None:
        from tui.screens.findings import DismissFinding

        if self.detail is None or not self.detail.findings:
            self.app.notify("This table has no open findings")
            return
        self.app.push_screen(DismissFinding(self.detail.qualified, list(self.detail.findings)))

    def action_add_note(self) -> None:
        from tui.screens.note_form import NoteForm

        self.app.push_screen(NoteForm(table_id=self.table_id))

    def action_back(self) -> None:
        self.dismiss()
