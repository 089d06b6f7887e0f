"""What the planning screen shows of one integration, read from the workspace in a few queries.

The screen reloads only the parts a change touched (see `PARTS_BY_ENTITY`), so
a note typed in another terminal does not re-read 20,000 columns.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from typing import Any

from tui.availability import Availability, ColumnIndex, column_index
from tui.enums import ItemStatus
from tui.flags import Flag, shape_flags
from tui.meetings import running_meeting
from tui.references import referenced_table
from tui.store import Row, Workspace, decode_row, entity

PARTS = ("integration", "stakeholders", "metrics", "checklist", "tables", "notes", "meeting", "enforcement")

# Which parts of the screen show rows of each entity (directly or through a lookup).
PARTS_BY_ENTITY: dict[str, tuple[str, ...]] = {
    "integration": ("integration",),
    "stakeholder": ("stakeholders", "checklist", "metrics"),
    "metric": ("metrics",),
    "item": ("checklist", "enforcement"),
    "table": ("tables", "metrics", "enforcement"),
    "column": ("tables", "metrics", "enforcement"),
    "finding": ("tables",),
    "answer": ("tables",),
    "note": ("notes",),
    "meeting": ("meeting",),
}

NOTES_SHOWN = 200

# Parts that cost a query over every column of the integration; the screen loads them after the rest.
SLOW_PARTS = ("tables", "metrics")
# Read last, once the panes are drawn: how the agreements are enforced (it loads the SQL type reader).
LATE_PARTS = ("enforcement",)


@dataclass(frozen=True)
class TableSummary:
    """One line of the tables pane, plus the lower-cased column names the filter searches."""

    id: int
    schema: str
    name: str
    column_count: int
    primary_key: tuple[str, ...]
    references: tuple[str, ...]
    open_findings: int
    column_names: str = field(repr=False)
    # (updated_at_column, deletion, columns as a JSON list of shape_flags tuples): what the flags come from.
    shape: tuple[Any, ...] = field(repr=False, compare=False, default=(None, None, "[]"))

    @cached_property
    def flags(self) -> tuple[Flag, ...]:
        """Worked out when first shown, so loading 1,000 tables does not check 20,000 columns up front."""
        updated_at_column, deletion, columns = self.shape
        return tuple(shape_flags(updated_at_column, deletion, json.loads(columns)))

    @property
    def qualified(self) -> str:
        return f"{self.schema}.{self.name}" if self.schema else self.name

    def matches(self, needle: str) -> bool:
        """Whether a lower-cased filter text is in the table's name or any of its column names."""
        return needle in self.qualified.lower() or needle in self.column_names


@dataclass(frozen=True)
class MetricLine:
    row: Row
    availability: Availability


@dataclass(frozen=True)
class Progress:
    """Checklist progress: settled counts agreed and not-applicable items alike."""

    agreed: int
    not_applicable: int
    total: int

    @property
    def settled(self) -> int:
        return self.agreed + self.not_applicable

    @classmethod
    def of(cls, items: list[Row]) -> Progress:
        agreed = sum(1 for item in items if item["status"] == ItemStatus.AGREED)
        not_applicable = sum(1 for item in items if item["status"] == ItemStatus.NOT_APPLICABLE)
        return cls(agreed, not_applicable, len(items))


def days_left(go_live: str | None, today: date) -> int | None:
    if not go_live:
        return None
    try:
        return (date.fromisoformat(go_live) - today).days
    except ValueError:
        return None


_COLUMNS: dict[str, tuple[str, ...]] = {}


def read_rows(ws: Workspace, name: str, where: str, params: tuple, order_by: str = "id") -> list[Row]:
    """What `ws.rows` returns, read as one JSON text: SQLite hands back one row instead of hundreds.

    A thread reading beside the busy screen waits for the interpreter lock after
    every row SQLite returns; one row means one wait.
    """
    ent = entity(name)
    columns = _COLUMNS.get(ent.table)
    if columns is None:
        listed = ws.query("SELECT group_concat(name, ',') FROM pragma_table_info(?)", (ent.table,))[0][0]
        columns = _COLUMNS[ent.table] = tuple(listed.split(","))
    pairs = ", ".join(f"'{column}', {column}" for column in columns)
    found = ws.query(
        f"SELECT '[' || group_concat(line, ',') || ']' FROM (SELECT json_object({pairs}) AS line"
        f" FROM {ent.table} WHERE {where} ORDER BY {order_by})",
        params,
    )[0][0]
    return [decode_row(ent, row) for row in json.loads(found)] if found else []


def load_part(ws: Workspace, integration_id: int, part: str) -> Any:
    """Read one part of the screen for an integration."""
    if part == "integration":
        return ws.get("integration", integration_id)
    if part == "stakeholders":
        return read_rows(
            ws, "stakeholder", "integration_id = ?", (integration_id,), order_by="point_of_contact DESC, id"
        )
    if part == "metrics":
        index = column_index(ws, integration_id)
        return [
            MetricLine(row, index.availability(row["needs"]))
            for row in read_rows(ws, "metric", "integration_id = ?", (integration_id,))
        ]
    if part == "checklist":
        owners = {
            row["id"]: row["name"] for row in read_rows(ws, "stakeholder", "integration_id = ?", (integration_id,))
        }
        items = read_rows(ws, "item", "integration_id = ?", (integration_id,), order_by="position, id")
        return [{**item, "owner_name": owners.get(item["owner"])} for item in items]
    if part == "tables":
        return table_summaries(ws, integration_id)
    if part == "notes":
        return read_rows(
            ws, "note", "integration_id = ?", (integration_id,), order_by=f"at DESC, id DESC LIMIT {NOTES_SHOWN}"
        )
    if part == "meeting":
        return running_meeting(ws, integration_id)
    if part == "enforcement":
        from tui.enforcement import contract_enforcement

        return contract_enforcement(ws, integration_id)
    raise ValueError(f"unknown part {part!r}")


def load_parts(ws: Workspace, integration_id: int, parts: set[str] | tuple[str, ...] = PARTS) -> dict[str, Any]:
    """Several parts at once; tables and metrics share one read of the columns."""
    loaded: dict[str, Any] = {}
    if "tables" in parts and "metrics" in parts:
        tables = loaded["tables"] = table_summaries(ws, integration_id)
        metrics = read_rows(ws, "metric", "integration_id = ?", (integration_id,))
        wanted = {referenced_table(ref).lower() for row in metrics for ref in row["needs"] or ()}
        index = ColumnIndex(
            (table.schema, table.name, column)
            for table in tables
            if table.name.lower() in wanted or table.qualified.lower() in wanted
            for column in table.column_names.split("\n")
            if column
        )
        loaded["metrics"] = [MetricLine(row, index.availability(row["needs"])) for row in metrics]
    for part in PARTS:
        if part in parts and part not in loaded:
            loaded[part] = load_part(ws, integration_id, part)
    return loaded


# Separators of the one text the tables pane is read as: lines, fields, and a field that was NULL.
_LINE, _FIELD, _NULL = "\x1e", "\x1d", "\x15"


def table_summaries(ws: Workspace, integration_id: int) -> list[TableSummary]:
    """Every table of an integration with what the ERD pane shows.

    SQLite gathers each table's columns into a few strings, walking them in their
    index's order so nothing needs sorting, and joins the tables into one text: the
    20,000 columns of a large integration come back as a single row. The work runs
    in SQLite, which lets go of the interpreter lock, and the reading thread takes
    the lock back once instead of once per table, which matters while the screen is
    busy starting up beside it.
    """
    found = ws.query(
        "SELECT group_concat(line, char(30)) FROM (SELECT t.id || char(29) || ifnull(t.schema, '') || char(29)"
        " || t.name || char(29) || ifnull(t.updated_at_column, char(21)) || char(29)"
        " || ifnull(t.deletion, char(21)) || char(29)"
        " || ifnull((SELECT count(*) || char(29) || group_concat(name, char(10))"
        " || char(29) || ifnull(group_concat(CASE WHEN primary_key THEN name END, char(31)), '')"
        " || char(29) || ifnull(group_concat(NULLIF(foreign_key, ''), char(31)), '')"
        " || char(29) || json_group_array(json_array(name, type, foreign_key,"
        " value_set IS NOT NULL AND value_set NOT IN ('null', '{}', '[]'),"
        " json_schema IS NOT NULL AND json_schema NOT IN ('null', '{}')))"
        " FROM (SELECT * FROM columns c WHERE c.table_id = t.id ORDER BY c.position)),"
        " '0' || char(29) || char(29) || char(29) || char(29) || '[]')"
        " || char(29) || ifnull(f.n, 0) AS line"
        " FROM tables t LEFT JOIN (SELECT table_id, count(*) AS n FROM findings WHERE integration_id = ?1"
        " AND dismissed_reason IS NULL AND table_id IS NOT NULL GROUP BY table_id) f ON f.table_id = t.id"
        " WHERE t.integration_id = ?1 ORDER BY t.schema, t.name)",
        (integration_id,),
    )[0][0]
    summaries = []
    for line in found.split(_LINE) if found else ():
        table_id, schema, name, updated_at_column, deletion, count, names, keys, foreign_keys, columns, findings = (
            line.split(_FIELD)
        )
        summaries.append(
            TableSummary(
                id=int(table_id),
                schema=schema,
                name=name,
                column_count=int(count),
                primary_key=tuple(keys.split("\x1f")) if keys else (),
                references=tuple(dict.fromkeys(referenced_table(key) for key in foreign_keys.split("\x1f")))
                if foreign_keys
                else (),
                open_findings=int(findings),
                column_names=names.lower(),
                shape=(
                    None if updated_at_column == _NULL else updated_at_column,
                    None if deletion == _NULL else deletion,
                    columns,
                ),
            )
        )
    return summaries


@dataclass(frozen=True)
class TableDetail:
    """A table with its columns, where its foreign keys go and which tables point at it."""

    table: Row
    columns: list[Row]
    referenced_by: list[tuple[str, str, str]]
    findings: list[Row]

    @property
    def qualified(self) -> str:
        return f"{self.table['schema']}.{self.table['name']}" if self.table["schema"] else self.table["name"]


def table_detail(ws: Workspace, table_id: int) -> TableDetail:
    table = ws.get("table", table_id)
    columns = ws.rows("column", "table_id = ?", (table_id,), order_by="position, id")
    names = {table["name"].lower()}
    if table["schema"]:
        names.add(f"{table['schema']}.{table['name']}".lower())
    referenced_by = []
    for found in ws.query(
        "SELECT t.schema, t.name, c.name, c.foreign_key FROM columns c JOIN tables t ON t.id = c.table_id"
        " WHERE t.integration_id = ? AND c.foreign_key IS NOT NULL ORDER BY t.schema, t.name, c.position",
        (table["integration_id"],),
    ):
        if referenced_table(found[3]).lower() in names:
            source = f"{found[0]}.{found[1]}" if found[0] else found[1]
            referenced_by.append((source, found[2], found[3].rsplit(".", 1)[-1]))
    findings = ws.rows("finding", "table_id = ? AND dismissed_reason IS NULL", (table_id,))
    return TableDetail(table, columns, referenced_by, findings)


def last_check_run(ws: Workspace) -> int:
    """The id of the newest `dayone check` run of any integration (0 before the first): runs are recorded outside
    the change log, so the screen watches this to reload what they enforce."""
    return int(ws.query("SELECT coalesce(max(id), 0) FROM check_runs")[0][0])


def changed_parts(changes: list[Row], integration_id: int) -> set[str]:
    """The parts of the screen a list of change-log rows touches for one integration."""
    parts: set[str] = set()
    for change in changes:
        if change["integration_id"] not in (integration_id, None):
            continue
        parts.update(PARTS_BY_ENTITY.get(change["entity"], ()))
    return parts
