"""The five panes of the main screen: stakeholders, metric wishlist, checklist, tables and running notes."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from functools import partial
from typing import TYPE_CHECKING, Any

from rich.cells import cell_len
from rich.text import Text

from tui import keys
from tui.actions import set_note_done, set_note_private
from tui.availability import DataState
from tui.enums import ItemStatus, MetricStatus, NoteKind, Priority, Role, Team, Timeline
from tui.overview import MetricLine, Progress, TableSummary
from tui.widgets.pane import Column, Line, PaneTable, clip, enum_width
from tui.workers import background

if TYPE_CHECKING:
    from tui.enforcement import ContractEnforcement, Tally

STATUS_SYMBOLS = {
    ItemStatus.OPEN: ("○", "bold"),
    ItemStatus.DISCUSSING: ("◐", "bold yellow"),
    ItemStatus.AGREED: ("✓", "bold green"),
    ItemStatus.BLOCKED: ("✗", "bold red"),
    ItemStatus.NOT_APPLICABLE: ("–", "dim"),
}

NOTE_MARKERS = {
    NoteKind.NOTE: "",
    NoteKind.QUESTION: "?",
    NoteKind.DECISION: "decision:",
}


def shown_status(status: str) -> str:
    """A checklist item's status as its column shows it."""
    return "n/a" if status == ItemStatus.NOT_APPLICABLE else status


STATUS_WIDTH = max(len(shown_status(status)) for status in ItemStatus)


def tally_parts(tally: Tally | None) -> list[tuple[str, str]]:
    """'▣4 ✓6 ✗2 !1 ○1' as (text, style) parts: agreements a database constraint keeps, that passed, failed or warned
    at the last check, and that nothing keeps; none when there is no agreement."""
    parts: list[tuple[str, str]] = []
    if tally is None or not tally.total:
        return parts
    passed = tally.check - tally.failed - tally.warned
    for count, symbol, style in (
        (tally.database, "▣", "cyan"),
        (passed, "✓", "green"),
        (tally.failed, "✗", "bold red"),
        (tally.warned, "!", "yellow"),
        (tally.none, "○", "dim"),
    ):
        if count:
            parts.append(((" " if parts else "") + f"{symbol}{count}", style))
    return parts


def tally_text(tally: Tally | None) -> Text:
    return Text.assemble(*tally_parts(tally))


def parts_width(parts: list[tuple[str, str]]) -> int:
    """The cells the parts take on screen, without building the styled text (measured for every row)."""
    return sum(cell_len(text) for text, _ in parts)


def enforcement_of(app: Any) -> ContractEnforcement | None:
    return app.data.get("enforcement")


def bar(done: int, total: int, width: int = 10) -> Text:
    filled = round(width * done / total) if total else 0
    return Text.assemble(("█" * filled, "green"), ("░" * (width - filled), "dim"))


class StakeholdersTable(PaneTable):
    part = "stakeholders"
    entity = "stakeholder"
    title = "Stakeholders"
    number = 1
    columns_spec = (
        Column("", 1, 1),
        Column("Name", -1, 12),
        Column("Role", enum_width(Role), 8),
        Column("Team", enum_width(Team), enum_width(Team)),
    )

    def lines(self, data: list[dict]) -> Iterable[Line]:
        for row in data:
            if not self.matches(row["name"], row["role"], row["team"], row["contact"], row["responsibilities"]):
                continue
            yield self.row(str(row["id"]), partial(self.stakeholder_cells, row))

    def stakeholder_cells(self, row: dict) -> tuple[Any, ...]:
        marker = Text("★", style="bold yellow") if row["point_of_contact"] else ""
        shown = self.app.shown
        return marker, clip(shown(row["name"]), self.widths["Name"]), row["role"] or "—", shown(row["team"]) or "—"


class MetricsTable(PaneTable):
    part = "metrics"
    entity = "metric"
    title = "Metric wishlist"
    number = 2
    columns_spec = (
        Column("Metric", -3, 12),
        Column("Priority", 8, enum_width(Priority)),
        Column("When", enum_width(Timeline), enum_width(Timeline)),
        Column("Status", enum_width(MetricStatus), enum_width(MetricStatus)),
        Column("Data", -2, 11),
    )

    def natural_widths(self, data: list[MetricLine]) -> dict[str, int]:
        return {
            "Metric": max((len(line.row["name"]) for line in data), default=0),
            "Data": max((availability_text(line, 1000).cell_len for line in data), default=0),
        }

    def lines(self, data: list[MetricLine]) -> Iterable[Line]:
        for line in data:
            row = line.row
            if not self.matches(row["name"], row["question"], row["priority"], row["timeline"], row["status"]):
                continue
            yield self.row(str(row["id"]), partial(self.metric_cells, line))

    def metric_cells(self, line: MetricLine) -> tuple[Any, ...]:
        row = line.row
        return (
            clip(self.app.shown(row["name"]), self.widths["Metric"]),
            row["priority"] or "—",
            row["timeline"] or "—",
            row["status"],
            availability_text(line, self.widths["Data"]),
        )


def availability_text(line: MetricLine, width: int) -> Text:
    state = line.availability.state
    if state is DataState.AVAILABLE:
        return Text("✓ all there", style="green")
    if state is DataState.UNLINKED:
        return Text("? not linked", style="dim")
    return Text(clip("✗ " + ", ".join(line.availability.missing), width), style="red")


class ChecklistTable(PaneTable):
    part = "checklist"
    entity = "item"
    title = "Checklist"
    number = 3
    columns_spec = (
        Column("Item", -1, 24),
        Column("Owner", 14, 8),
        Column("Status", STATUS_WIDTH, STATUS_WIDTH),
        Column("Due", 5, 5),
    )
    BINDINGS = keys.PANE + keys.CHECKLIST

    def __init__(self) -> None:
        super().__init__()
        self.folded: set[str] = set()
        self.open_only = False

    def count(self, data: list[dict]) -> int:
        return len(data)

    def is_data_row(self, key: str) -> bool:
        return not key.startswith("s:")

    def narrowed(self) -> bool:
        return bool(self.filter_text) or self.open_only

    def title_suffix(self) -> str:
        return " · open only" if self.open_only else ""

    def lines(self, data: list[dict]) -> Iterable[Line]:
        sections: dict[str, list[dict]] = {}
        for item in data:
            sections.setdefault(item["section"], []).append(item)
        for section, items in sections.items():
            progress = Progress.of(items)
            visible = [
                item
                for item in items
                if (not self.open_only or not ItemStatus(item["status"]).settled)
                and self.matches(item["question"], item["key"], item["answer"], item["owner_name"], item["status"])
            ]
            if (self.filter_text or self.open_only) and not visible:
                continue
            folded = section in self.folded
            title = Text.assemble(("▸ " if folded else "▾ ", "dim"), (items[0]["section_title"], "bold"))
            yield self.row(f"s:{section}", partial(self.section_cells, title, progress))
            if folded:
                continue
            for item in visible:
                yield self.row(str(item["id"]), partial(self.item_cells, item))

    def section_cells(self, title: Text, progress: Progress) -> tuple[Any, ...]:
        """The section's title, and its progress bar with the counts, the bar as wide as the owner column allows."""
        counts = f" {progress.settled}/{progress.total}"
        width = min(8, self.widths["Owner"] - len(counts))
        summary = Text.assemble(bar(progress.settled, progress.total, width), counts) if width >= 3 else counts.strip()
        return title, summary, "", ""

    def item_cells(self, item: dict) -> tuple[Any, ...]:
        symbol, style = STATUS_SYMBOLS[ItemStatus(item["status"])]
        shown = self.app.shown
        enforcement = enforcement_of(self.app)
        kept = tally_text(enforcement.items.get(item["key"]) if enforcement else None)
        room = self.widths["Item"] - 4 - (kept.cell_len + 1 if kept else 0)
        question = clip(shown(item["question"]), room)
        label = Text.assemble("  ", (symbol, style), " ", question)
        if kept:
            label.append(" " * max(room - len(question), 0) + " ")
            label.append_text(kept)
        due = item["due"][5:] if item["due"] else ""
        return label, clip(shown(item["owner_name"]) or "—", self.widths["Owner"]), shown_status(item["status"]), due

    def current_section(self) -> str | None:
        key = self.selected_key()
        if key is None:
            return None
        if key.startswith("s:"):
            return key[2:]
        for item in self.data or ():
            if str(item["id"]) == key:
                return item["section"]
        return None

    def open_row(self, key: str) -> None:
        if key.startswith("s:"):
            self.action_toggle_section()
        else:
            super().open_row(key)

    def delete_row(self, key: str) -> None:
        self.app.notify("Checklist items come from the templates; mark one not applicable instead of deleting it")

    def new_row(self) -> None:
        self.app.notify("Checklist items come from the templates in the checklists folder")

    def _fold(self, section: str | None, folded: bool) -> None:
        if section is None:
            return
        if folded:
            self.folded.add(section)
        else:
            self.folded.discard(section)
        self.rebuild()
        self.move_cursor(self.get_row_index(f"s:{section}"))

    def action_toggle_section(self) -> None:
        section = self.current_section()
        self._fold(section, section not in self.folded)

    def action_collapse(self) -> None:
        self._fold(self.current_section(), True)

    def action_expand(self) -> None:
        self._fold(self.current_section(), False)

    def action_open_only(self) -> None:
        self.open_only = not self.open_only
        self.rebuild()

    def progress(self) -> Progress:
        return Progress.of(self.data or [])


class TablesTable(PaneTable):
    part = "tables"
    entity = "table"
    title = "Tables"
    number = 4
    columns_spec = (
        Column("Table", -3, 10),
        Column("Cols", 4, 4),
        Column("Key", -1, 4),
        Column("Flags", -2, 8),
        Column("Enforced", -2, 8),
        Column("References", -2, 8),
    )
    BINDINGS = keys.TABLES + keys.PANE  # Enter reads "Details" here, in the footer as in help
    one_schema = ""

    def title_suffix(self) -> str:
        return f" in {self.one_schema}" if self.one_schema else ""

    def natural_widths(self, data: list[TableSummary]) -> dict[str, int]:
        schemas = {table.schema for table in data}
        one_schema = len(schemas) == 1
        return {
            "Table": max((len(table.name if one_schema else table.qualified) for table in data), default=0),
            "Key": max((len(", ".join(table.primary_key) or "—") for table in data), default=0),
            "Flags": max((parts_width(flag_parts(table)) for table in data), default=0),
            "Enforced": max((parts_width(self.enforced_parts(table)) for table in data), default=0),
            "References": max((len(references_text(table)) for table in data), default=0),
        }

    def lines(self, data: list[TableSummary]) -> Iterable[Line]:
        needle = self.filter_text.lower()
        schemas = {table.schema for table in data}
        self.one_schema = schemas.pop() if len(schemas) == 1 else ""
        for table in data:
            if needle and not table.matches(needle):
                continue
            yield self.row(str(table.id), partial(self.table_cells, table))

    def table_cells(self, table: TableSummary) -> tuple[Any, ...]:
        shown = self.app.shown
        return (
            clip(shown(table.name if self.one_schema else table.qualified), self.widths["Table"]),
            str(table.column_count),
            clip(shown(", ".join(table.primary_key)) or "—", self.widths["Key"]),
            flags_text(table, self.widths["Flags"]),
            self.enforced(table),
            clip(shown(references_text(table)), self.widths["References"]),
        )

    def enforced(self, table: TableSummary) -> Text:
        return Text.assemble(*self.enforced_parts(table))

    def enforced_parts(self, table: TableSummary) -> list[tuple[str, str]]:
        enforcement = enforcement_of(self.app)
        return [] if enforcement is None else tally_parts(enforcement.tally(table.schema, table.name))

    def open_row(self, key: str) -> None:
        self.app.open_table(int(key))

    def action_dismiss_finding(self) -> None:
        key = self.selected_key()
        table = next((table for table in self.data or () if str(table.id) == key), None)
        if table is None:
            return
        if not table.open_findings:
            self.app.notify(f"{table.qualified} has no open findings")
            return
        self._dismiss_in(table.id, table.qualified)

    @background("read the findings of a table", group="table-findings", exclusive=True)
    def _dismiss_in(self, table_id: int, label: str) -> None:
        found = self.app.workspace.rows("finding", "table_id = ? AND dismissed_reason IS NULL", (table_id,))
        self.app.call_from_thread(self.app.dismiss_findings, label, found)


def references_text(table: TableSummary) -> str:
    return " ".join(f"→ {short_target(table, target)}" for target in table.references)


def short_target(table: TableSummary, target: str) -> str:
    """A referenced table without the schema when it is the referring table's own."""
    prefix = f"{table.schema}."
    return target[len(prefix) :] if table.schema and target.startswith(prefix) else target


def flag_parts(table: TableSummary) -> list[tuple[str, str]]:
    """'⚠ tz json' for the flags, then '● 2' for open findings, as (text, style) parts."""
    parts: list[tuple[str, str]] = []
    if table.flags:
        parts.append(("⚠ " + " ".join(flag.value for flag in table.flags), "yellow"))
    if table.open_findings:
        parts.append(((" " if parts else "") + f"● {table.open_findings}", "bold red"))
    return parts


def flags_text(table: TableSummary, width: int | None = None) -> Text:
    """The flags and open findings, cut to `width`."""
    text = Text.assemble(*flag_parts(table))
    if width is not None and len(text) > width:
        text.truncate(max(width - 1, 0))
        text.append("…")
    return text


def local_stamp(at: str) -> str:
    return datetime.fromisoformat(at).astimezone().strftime("%m-%d %H:%M")


class NotesTable(PaneTable):
    part = "notes"
    entity = "note"
    title = "Notes"
    number = 5
    columns_spec = (Column("When", 11, 11), Column("Who", 12, 8), Column("Note", -1, 20))
    BINDINGS = keys.PANE + keys.NOTES

    def visible_notes(self, data: list[dict]) -> list[dict]:
        if self.app.share_mode:
            return [note for note in data if not note["private"]]
        return data

    def count(self, data: list[dict]) -> int:
        return len(self.visible_notes(data))

    def lines(self, data: list[dict]) -> Iterable[Line]:
        for note in self.visible_notes(data):
            if self.filter_text and not self.matches(self.app.shown(note["text"]), note["author"], note["kind"]):
                continue
            yield self.row(str(note["id"]), partial(self.note_cells, note))

    def note_cells(self, note: dict) -> tuple[Any, ...]:
        text = self.app.shown(note["text"])
        return (
            local_stamp(note["at"]),
            clip(self.app.shown(note["author"]), self.widths["Who"]),
            note_text(note, text, self.widths["Note"], self.app.shown(self._owner(note)) or None),
        )

    def _owner(self, note: dict) -> str | None:
        if note.get("owner") is None:
            return None
        people = self.app.data.get("stakeholders") or ()
        return next((person["name"] for person in people if person["id"] == note["owner"]), None)

    def new_row(self) -> None:
        self.call_later(self.run_action, "screen.add_note")

    def _note(self) -> dict | None:
        key = self.visible_selected_key()
        for note in self.data or ():
            if str(note["id"]) == key:
                return note
        return None

    def action_toggle_done(self) -> None:
        note = self._note()
        if note is None:
            return
        if note["kind"] != NoteKind.TODO:
            self.app.notify("Only todos can be ticked off (this note is a " + note["kind"] + ")")
            return
        done = not note["done"]
        self.app.save(
            partial(set_note_done, note_id=note["id"], done=done, version=note["version"]),
            "tick off todo" if done else "reopen todo",
        )

    def action_toggle_private(self) -> None:
        note = self._note()
        if note is None:
            return
        private = not note["private"]
        self.app.save(
            partial(set_note_private, note_id=note["id"], private=private, version=note["version"]),
            "make note private" if private else "make note public",
        )


def note_text(note: dict[str, Any], text: str, width: int, owner: str | None = None) -> Text:
    """The note as its pane shows it: a marker for its kind, the text cut to fit, a todo's owner and due date."""
    line = Text()
    if note["kind"] == NoteKind.TODO:
        line.append("☑ " if note["done"] else "☐ ", style="bold")
    elif NOTE_MARKERS.get(NoteKind(note["kind"])):
        line.append(NOTE_MARKERS[NoteKind(note["kind"])] + " ", style="bold magenta")
    if note["private"]:
        line.append("[private] ", style="italic dim")
    todo = " · ".join(part for part in (owner, f"due {note['due'][5:]}" if note.get("due") else None) if part)
    todo = f"  {todo}" if todo else ""
    line.append(clip(text, max(8, width - len(line) - len(todo))), style="dim strike" if note["done"] else "")
    line.append(todo, style="cyan")
    return line
