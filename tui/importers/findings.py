"""Rule-based findings about an imported data model, each pointing at the checklist item it informs.

A finding is a suggestion for the meeting ("orders.created_at has no time
zone"), never an answer: it shows beside the checklist item until someone
dismisses it with a reason. Findings are recomputed after every import and
matched by rule, table and column, so a dismissal survives re-imports.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from tui.flags import (
    CREATED_AT_KEYS,
    SOFT_DELETE_KEYS,
    UPDATED_AT_KEYS,
    is_address_state,
    is_currency_column,
    is_history_table,
    is_json,
    is_money_like,
    is_naive_timestamp,
    is_status_like,
    looks_like_foreign_key,
    name_key,
)
from tui.references import quote, referenced_table, table_ref
from tui.store import Workspace

Row = dict[str, Any]


@dataclass(frozen=True)
class Found:
    """One finding before it is stored: `column` is "" for a finding about the whole table."""

    table_id: int
    column: str
    rule: str
    message: str
    item_key: str

    @property
    def match_key(self) -> tuple[str, int, str]:
        return (self.rule, self.table_id, self.column)


# rule -> the checklist item it informs
RULES = {
    "naive_timestamp": "data_model.timezones",
    "no_created_at": "data_flow.record_creation",
    "no_updated_at": "data_flow.updates",
    "no_primary_key": "data_model.constraints",
    "undeclared_foreign_key": "data_model.constraints",
    "nullable_foreign_key": "data_model.constraints",
    "status_without_values": "data_model.value_sets",
    "json_without_schema": "data_model.json_columns",
    "money_without_currency": "data_model.currency",
    "soft_delete": "data_flow.deletes",
    "history_table": "data_flow.status_history",
    "link_table": "data_flow.deletes",
}
# A change in the source that may make the warehouse wrong, found by a re-import: not recomputed from the schema
# as the rules above are, but kept until someone dismisses it.
DRIFT_RULE, DRIFT_ITEM = "schema_drift", "contracts.change_communication"


def table_findings(
    table: Mapping[str, Any], columns: Iterable[Mapping[str, Any]], answered: Collection[str] = ()
) -> list[Found]:
    """Every finding the rules raise for one table and its columns.

    What is already recorded raises nothing: the table's facts (deletion policy, how rows are
    created, the updated-at column), and the checklist items in `answered` for this table.
    """
    columns = list(columns)
    label = table_ref(table.get("schema"), table["name"])
    found: list[Found] = []

    def add(rule: str, message: str, column: str = "") -> None:
        if RULES[rule] not in answered:
            found.append(Found(table["id"], column, rule, message, RULES[rule]))

    names = {name_key(column["name"]) for column in columns}
    has_currency = any(is_currency_column(column) for column in columns)
    keys = [column for column in columns if column.get("primary_key")]
    if not keys:
        add("no_primary_key", f"{label} has no primary key: what identifies a row, and can duplicates occur?")
    links = link_targets(columns, keys)
    if links:
        # A link row is added or removed, never changed: the question is how removals are seen, not when rows change.
        add(
            "link_table",
            f"{label} links {' and '.join(links)}: a link is added or removed, never changed; "
            "is a removed link deleted, and how does the warehouse see that?",
        )
    else:
        if not names & CREATED_AT_KEYS and not table.get("created_by"):
            add(
                "no_created_at",
                f"{label} has no created-at column: when a row was created cannot be told from the row",
            )
        if not table.get("updated_at_column") and not names & UPDATED_AT_KEYS:
            add("no_updated_at", f"{label} has no updated-at column: changed rows cannot be picked up incrementally")
    if is_history_table(table["name"]):
        add(
            "history_table",
            f"{label} looks like a change log or history table: which changes does it record, and is it complete?",
        )
    for column in columns:
        name, kind = column["name"], column.get("type") or "?"
        where = f"{label}.{quote(name)}"
        if is_naive_timestamp(column.get("type")):
            add("naive_timestamp", f"{where} is {kind}, without a time zone: which zone do its values use?", name)
        if looks_like_foreign_key(column) and not (column.get("primary_key") and len(keys) == 1):
            add(
                "undeclared_foreign_key",
                f"{where} is named like a reference but has no foreign key constraint: "
                "what does it point at, and is that enforced?",
                name,
            )
        if column.get("foreign_key") and column.get("nullable"):
            add(
                "nullable_foreign_key",
                f"{where} references {column['foreign_key']} but may be empty: what does a missing value mean?",
                name,
            )
        if is_status_like(column) and not column.get("value_set") and not is_address_state(name, names):
            add(
                "status_without_values",
                f"{where} looks like a status or type code without a list of values and their meanings",
                name,
            )
        if is_json(column.get("type")) and not column.get("json_schema"):
            add("json_without_schema", f"{where} holds JSON without a written schema", name)
        if is_money_like(column) and not has_currency:
            add(
                "money_without_currency",
                f"{where} looks like money, but {label} has no currency column: which currency and unit?",
                name,
            )
        if name_key(name) in SOFT_DELETE_KEYS and not table.get("deletion"):
            add(
                "soft_delete",
                f"{where} suggests soft deletion: are rows only flagged as deleted, and do hard deletes happen too?",
                name,
            )
    return found


# Columns a link table may carry besides its references: when the link was made or last touched.
_TIMESTAMP_KEYS = CREATED_AT_KEYS | UPDATED_AT_KEYS


def link_targets(columns: list[Mapping[str, Any]], keys: list[Mapping[str, Any]]) -> list[str]:
    """The tables a link (association) table joins: two or more declared foreign keys and nothing else but a
    surrogate key and created/updated-at times. [] for any other table."""
    targets: list[str] = []
    for column in columns:
        reference = column.get("foreign_key")
        if reference:
            target = referenced_table(str(reference))
            if target not in targets:
                targets.append(target)
        elif not (len(keys) == 1 and column is keys[0]) and name_key(column["name"]) not in _TIMESTAMP_KEYS:
            return []
    return targets if len(targets) >= 2 else []


def refresh_findings(ws: Workspace, integration_id: int, table_ids: Iterable[int] | None = None) -> dict[str, int]:
    """Recompute the findings of an integration's tables, keeping dismissals; returns counts."""
    with ws.transaction():
        tables = ws.rows("table", "integration_id = ?", (integration_id,))
        if table_ids is not None:
            wanted = set(table_ids)
            tables = [table for table in tables if table["id"] in wanted]
        columns: dict[int, list[Row]] = {table["id"]: [] for table in tables}
        # Only the fields the rules read, undecoded: a large schema has tens of thousands of columns.
        for column in ws.query(
            "SELECT table_id, name, type, nullable, primary_key, foreign_key, value_set, json_schema FROM columns "
            "WHERE table_id IN (SELECT id FROM tables WHERE integration_id = ?) ORDER BY table_id, position",
            (integration_id,),
        ):
            if column["table_id"] in columns:
                columns[column["table_id"]].append(
                    {
                        **column,
                        "value_set": column["value_set"] not in (None, "{}", "null"),
                        "json_schema": column["json_schema"] not in (None, "{}", "null"),
                    }
                )
        answered = _answered(ws, integration_id)
        fresh = {
            f.match_key: f
            for table in tables
            for f in table_findings(table, columns[table["id"]], answered.get(table["id"], ()))
        }
        stored = {
            (row["rule"], row["table_id"], row["column_name"] or ""): row
            for row in ws.rows("finding", "integration_id = ?", (integration_id,))
            if row["table_id"] in columns and row["rule"] in RULES
        }
        added = []
        for key, finding in fresh.items():
            row = stored.get(key)
            if row is None:
                added.append(
                    {
                        "integration_id": integration_id,
                        "table_id": finding.table_id,
                        "column_name": finding.column or None,
                        "rule": finding.rule,
                        "message": finding.message,
                        "item_key": finding.item_key,
                    }
                )
            elif row["message"] != finding.message or row["item_key"] != finding.item_key:
                ws.update("finding", row["id"], {"message": finding.message, "item_key": finding.item_key})
        gone = [row for key, row in stored.items() if key not in fresh]
        for row in gone:
            ws.delete("finding", row["id"])
        ws.insert_many("finding", added)
        dismissed = sum(1 for key, row in stored.items() if key in fresh and row["dismissed_reason"])
    return {"new": len(added), "resolved": len(gone), "open": len(fresh) - dismissed, "dismissed": dismissed}


def _answered(ws: Workspace, integration_id: int) -> dict[int, set[str]]:
    """The checklist items answered per table, by table id."""
    answered: dict[int, set[str]] = {}
    for found in ws.query(
        "SELECT a.table_id, i.key FROM table_answers a JOIN checklist_items i ON i.id = a.item_id "
        "WHERE a.integration_id = ?",
        (integration_id,),
    ):
        answered.setdefault(found["table_id"], set()).add(found["key"])
    return answered


def findings(ws: Workspace, integration_id: int, *, include_dismissed: bool = False) -> list[Row]:
    """An integration's findings, each with a `table` label, in table and column order."""
    where = "f.integration_id = ?" + ("" if include_dismissed else " AND f.dismissed_reason IS NULL")
    rows = ws.query(
        "SELECT f.*, t.schema AS table_schema, t.name AS table_name FROM findings f "
        f"LEFT JOIN tables t ON t.id = f.table_id WHERE {where} "
        "ORDER BY t.schema, t.name, coalesce(f.column_name, ''), f.rule",
        (integration_id,),
    )
    result = []
    for row in rows:
        found = dict(row)
        name = found.pop("table_name") or ""
        schema = found.pop("table_schema") or ""
        found["table"] = table_ref(schema, name)
        result.append(found)
    return result


def findings_for_item(ws: Workspace, integration_id: int, item_key: str) -> list[Row]:
    """The open findings that inform one checklist item ("data_model.timezones"): suggestions, not answers."""
    return [row for row in findings(ws, integration_id) if row["item_key"] == item_key]
