"""Bring an integration's tables in line with an imported schema, and say what changed.

Everything goes through the Workspace API in one transaction, so an import is
one change-log batch (one undo) and an error leaves nothing half-imported.
What people wrote stays: descriptions are only filled where empty, value-set
meanings are kept, and classifications, JSON schemas and data-flow facts are
never touched. A table or column disappears only if the previous import of
this integration brought it in; ones typed in by hand are kept and reported.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from typing import Any

from tui.changes.classify import SCHEMA_FIELDS, added_column, change, field_changes
from tui.changes.model import Change, Impact, Kind
from tui.importers.findings import DRIFT_ITEM, DRIFT_RULE, refresh_findings
from tui.importers.model import ImportedColumn, ImportedSchema, ImportedTable, Progress, no_progress, table_key
from tui.importers.spelling import SPELLED_FIELDS, normal_shape
from tui.memory import young_garbage_only
from tui.store import Workspace, now_utc

Row = dict[str, Any]


# Column fields an import owns: they always follow the source.
_STRUCTURE = (
    "position",
    "type",
    "nullable",
    "default_value",
    "primary_key",
    "is_unique",
    "foreign_key",
    "generated",
    "check_constraint",
)


@dataclass
class ImportSummary:
    integration: str
    source: str
    dialect: str | None
    first_import: bool
    tables: int = 0
    columns: int = 0
    tables_added: list[str] = field(default_factory=list)
    tables_removed: list[str] = field(default_factory=list)
    tables_kept: list[str] = field(default_factory=list)
    columns_added: list[str] = field(default_factory=list)
    columns_removed: list[str] = field(default_factory=list)
    columns_kept: list[str] = field(default_factory=list)
    types_changed: list[list[str]] = field(default_factory=list)
    nullability_changed: list[list[str]] = field(default_factory=list)
    other_changes: list[str] = field(default_factory=list)
    skipped: dict[str, int] = field(default_factory=dict)
    unreadable: list[str] = field(default_factory=list)
    left_out: list[str] = field(default_factory=list)
    checks: dict[str, list[str]] = field(default_factory=dict)
    findings: dict[str, int] = field(default_factory=dict)
    # What each change means for the warehouse and the source, by the rules of `dayone diff`:
    # [where, kind, consumer impact, producer impact, detail].
    impacts: list[list[str]] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(
            self.tables_added
            or self.tables_removed
            or self.columns_added
            or self.columns_removed
            or self.types_changed
            or self.nullability_changed
            or self.other_changes
        )

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    def lines(self) -> list[str]:
        """The summary as short lines for a terminal or a dialog."""
        lines = [
            f"{self.tables} tables, {self.columns} columns from {self.source}"
            + (f" ({self.dialect})" if self.dialect else "")
            + f" into {self.integration}"
        ]
        if self.first_import:
            lines.append(f"first import: {len(self.tables_added)} tables added")
        elif not self.changed:
            lines.append("no changes since the last import")
        else:
            lines.extend(_listed("tables added", self.tables_added))
            lines.extend(_listed("tables removed", self.tables_removed))
            lines.extend(_listed("columns added", self.columns_added))
            lines.extend(_listed("columns removed", self.columns_removed))
            lines.extend(_listed("types changed", [f"{key} {old} -> {new}" for key, old, new in self.types_changed]))
            lines.extend(
                _listed("nullability changed", [f"{key} {old} -> {new}" for key, old, new in self.nullability_changed])
            )
            lines.extend(_listed("keys, defaults or constraints changed", self.other_changes))
            for impact in ("breaking", "warning"):
                lines.extend(
                    _listed(
                        f"{impact} for consumers",
                        [
                            f"{where} ({kind.replace('_', ' ')})"
                            for where, kind, consumer, *_ in self.impacts
                            if consumer == impact
                        ],
                    )
                )
        lines.extend(_listed("not in the source, kept", self.tables_kept + self.columns_kept))
        if self.skipped:
            lines.append(
                "skipped: "
                + ", ".join(f"{count} {_SKIPPED.get(kind, kind)}" for kind, count in sorted(self.skipped.items()))
            )
        lines.extend(_each("tables left out", self.left_out))
        lines.extend(_each("CREATE TABLE statements that could not be read (not imported)", self.unreadable))
        lines.extend(
            _listed("table-level checks", [f"{table}: {' AND '.join(checks)}" for table, checks in self.checks.items()])
        )
        if self.findings:
            drift = self.findings.get("drift", 0)
            lines.append(
                f"findings: {self.findings.get('open', 0)} open ({self.findings.get('new', 0)} new), "
                f"{self.findings.get('dismissed', 0)} dismissed"
                + (f"; {drift} change{'s' if drift != 1 else ''} to announce (schema_drift)" if drift else "")
            )
        return lines


_SKIPPED = {
    "views": "views",
    "functions": "functions",
    "indexes": "indexes",
    "triggers": "triggers",
    "data": "data statements (INSERT/COPY)",
    "schemas": "schema statements",
    "other": "other statements",
}


def _listed(title: str, items: list[str], limit: int = 12) -> list[str]:
    if not items:
        return []
    shown = ", ".join(items[:limit]) + (f" and {len(items) - limit} more" if len(items) > limit else "")
    return [f"{title} ({len(items)}): {shown}"]


def _each(title: str, items: list[str], limit: int = 40) -> list[str]:
    """A title line and one line per item: each with its own line number and reason."""
    if not items:
        return []
    more = [f"  ... and {len(items) - limit} more"] if len(items) > limit else []
    return [f"{title} ({len(items)}):", *(f"  {item}" for item in items[:limit]), *more]


def apply_schema(
    ws: Workspace, integration: Row, schema: ImportedSchema, source: str, progress: Progress = no_progress
) -> ImportSummary:
    """Write an imported schema into an integration as one transaction and record the import."""
    iid = integration["id"]
    with young_garbage_only(), ws.transaction():
        previous, previous_dialect = _previous_snapshot(ws, iid)
        summary = ImportSummary(integration["name"], source, schema.dialect, first_import=previous is None)
        existing = {
            table_key(row["schema"], row["name"]): row for row in ws.rows("table", "integration_id = ?", (iid,))
        }
        columns_by_table: dict[int, dict[str, Row]] = {row["id"]: {} for row in existing.values()}
        for column in ws.rows("column", f"table_id IN (SELECT id FROM tables WHERE integration_id = {int(iid)})"):
            columns_by_table[column["table_id"]][column["name"]] = column
        total = len(schema.tables)
        new_tables = [table for key, table in schema.tables.items() if key not in existing]
        table_ids = ws.insert_many("table", [_table_values(iid, table) for table in new_tables])
        new_columns = [
            _new_column(table_id, column, position)
            for table_id, table in zip(table_ids, new_tables, strict=True)
            for position, column in enumerate(table.columns.values(), 1)
        ]
        summary.tables_added = [table.key for table in new_tables]
        progress("write", len(new_tables), total)
        drift: dict[tuple[int | None, str], list[Change]] = {}
        for done, (key, table) in enumerate(schema.tables.items(), 1):
            row = existing.get(key)
            if row is not None:
                new_columns += _update_table(
                    ws,
                    row,
                    table,
                    columns_by_table[row["id"]],
                    (previous or {}).get(key),
                    summary,
                    (previous_dialect, schema.dialect),
                    drift,
                )
            if done % 25 == 0 or done == total:
                progress("write", max(done, len(new_tables)), total)
        ws.insert_many("column", new_columns)
        for key, row in existing.items():
            if key in schema.tables:
                continue
            if previous is not None and key in previous:
                ws.delete("table", row["id"])
                summary.tables_removed.append(key)
                drift.setdefault((None, key), []).append(change(Kind.TABLE_REMOVED, key, None, "not in the source"))
            else:
                summary.tables_kept.append(key)
        summary.tables = len(schema.tables)
        summary.columns = sum(len(table.columns) for table in schema.tables.values())
        summary.skipped = dict(schema.skipped)
        summary.unreadable = [item.describe() for item in schema.unreadable]
        summary.left_out = [item.describe() for item in schema.left_out]
        summary.checks = {key: table.checks for key, table in schema.tables.items() if table.checks}
        summary.impacts = [
            [found.where, found.kind.value, found.consumer.value, found.producer.value, found.detail]
            for changes in drift.values()
            for found in changes
        ]
        progress("findings", 0, 1)
        announce = drift_findings(ws, iid, drift)
        summary.findings = {**refresh_findings(ws, iid), "drift": announce}
        progress("findings", 1, 1)
        snapshot = {key: list(table.columns) for key, table in schema.tables.items()}
        ws.query(
            "INSERT INTO imports (integration_id, at, author, source, dialect, summary) VALUES (?, ?, ?, ?, ?, ?)",
            (
                iid,
                now_utc(),
                ws.author,
                source,
                schema.dialect,
                json.dumps({**summary.to_json(), "snapshot": snapshot}, ensure_ascii=False),
            ),
        )
        ws.remember_integration(iid)
    return summary


def imports(ws: Workspace, integration_id: int) -> list[Row]:
    """The recorded imports of an integration, oldest first, with their summaries decoded."""
    rows = ws.query("SELECT * FROM imports WHERE integration_id = ? ORDER BY id", (integration_id,))
    result = []
    for row in rows:
        found = dict(row)
        found["summary"] = json.loads(found["summary"] or "{}")
        found["summary"].pop("snapshot", None)
        result.append(found)
    return result


def _previous_snapshot(ws: Workspace, iid: int) -> tuple[dict[str, list[str]] | None, str | None]:
    """The tables and columns the last import brought in, and the dialect it read them as."""
    found = ws.query("SELECT summary, dialect FROM imports WHERE integration_id = ? ORDER BY id DESC LIMIT 1", (iid,))
    if not found:
        return None, None
    return json.loads(found[0]["summary"] or "{}").get("snapshot", {}), found[0]["dialect"]


def _column_values(column: ImportedColumn, position: int) -> dict[str, Any]:
    return {
        "position": position,
        "name": column.name,
        "type": column.type,
        "nullable": column.nullable,
        "default_value": column.default_value,
        "primary_key": column.primary_key,
        "is_unique": column.is_unique,
        "foreign_key": column.foreign_key,
        "generated": column.generated,
        "check_constraint": column.check_constraint,
    }


def _table_values(iid: int, table: ImportedTable) -> dict[str, Any]:
    values = {"integration_id": iid, "name": table.name, "description": table.description}
    if table.schema:
        values["schema"] = table.schema
    return values


def _new_column(table_id: int, column: ImportedColumn, position: int) -> dict[str, Any]:
    values = {"table_id": table_id, **_column_values(column, position), "description": column.description}
    if column.value_set:
        values["value_set"] = dict.fromkeys(column.value_set, "")
    return {key: value for key, value in values.items() if value is not None}


def _update_table(
    ws: Workspace,
    row: Row,
    table: ImportedTable,
    current: dict[str, Row],
    previous_columns: list[str] | None,
    summary: ImportSummary,
    dialects: tuple[str | None, str | None],
    drift: dict[tuple[int | None, str], list[Change]],
) -> list[dict[str, Any]]:
    """Update a table's columns in place; returns the values of the columns it gains, for one bulk insert.

    Every change is judged as `dayone diff` judges it, into `drift` by (table id, column name).
    """
    key = table.key
    added = []
    if table.description and not row.get("description"):
        ws.update("table", row["id"], {"description": table.description})
    for position, column in enumerate(table.columns.values(), 1):
        values = _column_values(column, position)
        found = current.get(column.name)
        if found is None:
            added.append(_new_column(row["id"], column, position))
            summary.columns_added.append(f"{key}.{column.name}")
            drift.setdefault((row["id"], column.name), []).append(added_column(key, values))
            continue
        changes = {field: values[field] for field in _STRUCTURE if found.get(field) != values[field]}
        if changes.keys() & set(SPELLED_FIELDS):
            # The same type or default spelled another way (`serial` and `integer` with a sequence) is no change.
            before = _normal_shape(found, dialects[0] or dialects[1])
            after = _normal_shape(values, dialects[1])
            for field, old, new in zip(SPELLED_FIELDS, before, after, strict=True):
                if old == new:
                    changes.pop(field, None)
        where = f"{key}.{column.name}"
        if "type" in changes:
            summary.types_changed.append([where, found.get("type") or "?", column.type or "?"])
        if "nullable" in changes:
            summary.nullability_changed.append(
                [where, _nullability(found.get("nullable")), _nullability(column.nullable)]
            )
        other = sorted(set(changes) - {"type", "nullable", "position"})
        if other:
            summary.other_changes.append(f"{where} ({', '.join(other)})")
        if column.description and not found.get("description"):
            changes["description"] = column.description
        if column.value_set:
            meanings = found.get("value_set") or {}
            merged = {code: meanings.get(code, "") for code in column.value_set}
            merged.update({code: meaning for code, meaning in meanings.items() if code not in merged})
            if merged != meanings:
                changes["value_set"] = merged
        judged = [
            found_change
            for name in changes
            if name in SCHEMA_FIELDS
            for found_change in field_changes(key, column.name, name, found.get(name), changes[name])
        ]
        if judged:
            drift.setdefault((row["id"], column.name), []).extend(judged)
        if changes:
            ws.update("column", found["id"], changes)
    for name, found in current.items():
        if name in table.columns:
            continue
        if previous_columns is not None and name in previous_columns:
            ws.delete("column", found["id"])
            summary.columns_removed.append(f"{key}.{name}")
            drift.setdefault((row["id"], name), []).append(change(Kind.COLUMN_REMOVED, key, name, "not in the source"))
        else:
            summary.columns_kept.append(f"{key}.{name}")
    return added


def drift_findings(ws: Workspace, iid: int, drift: dict[tuple[int | None, str], list[Change]]) -> int:
    """A finding for each column or table whose change may make the warehouse wrong: it has to be announced.

    Kept until dismissed (re-imports without changes leave it); a new change to the same column reopens it.
    Returns how many were written.
    """
    written = 0
    for (table_id, name), changes in drift.items():
        hurting = [found for found in changes if found.consumer is not Impact.INFO]
        if not hurting:
            continue
        worst = min(hurting, key=lambda found: found.consumer.rank)
        what = "; ".join(f"{found.kind.label}" + (f" ({found.detail})" if found.detail else "") for found in hurting)
        message = (
            f"{worst.where} changed in the source: {what}; {worst.consumer} for the warehouse's models and metrics"
            " (announce it: dayone diff shows who to tell)"
        )
        column = name if table_id is not None else None
        existing = ws.rows(
            "finding",
            "integration_id = ? AND rule = ? AND table_id IS ? AND coalesce(column_name, '') = ?",
            (iid, DRIFT_RULE, table_id, column or ""),
        )
        values = {"message": message, "item_key": DRIFT_ITEM}
        if existing:
            ws.update(
                "finding",
                existing[0]["id"],
                {**values, "dismissed_reason": None, "dismissed_by": None, "dismissed_at": None},
            )
        else:
            ws.insert(
                "finding",
                {"integration_id": iid, "table_id": table_id, "column_name": column, "rule": DRIFT_RULE, **values},
            )
        written += 1
    return written


def _normal_shape(row: Row, dialect: str | None) -> tuple[str | None, str | None, str | None, str | None]:
    """The normal form of a column row's spelled fields (SPELLED_FIELDS)."""
    type_text, default, generated, check = (row.get(field) for field in SPELLED_FIELDS)
    return normal_shape(type_text, default, generated, check, dialect)


def _nullability(nullable: Any) -> str:
    return "nullable" if nullable else "not null"
