"""Importing again is a diff: changes are reported and logged, and what people wrote survives."""

from __future__ import annotations

from pathlib import Path

import pytest

from tui.actions import dismiss_finding
from tui.importers.diff import imports
from tui.importers.findings import findings, findings_for_item
from tui.importers.run import import_file
from tui.store import Workspace

pytestmark = pytest.mark.core

FIRST = """
CREATE TYPE order_state AS ENUM ('new', 'paid');
CREATE TABLE customers (id bigint PRIMARY KEY, email text NOT NULL, created_at timestamp NOT NULL);
CREATE TABLE orders (
    id bigint PRIMARY KEY,
    customer_id bigint REFERENCES customers,
    state order_state NOT NULL,
    total numeric(10,2),
    note text
);
CREATE TABLE order_history (order_id bigint NOT NULL, changed_at timestamptz NOT NULL, payload jsonb);
"""

SECOND = """
CREATE TYPE order_state AS ENUM ('new', 'paid', 'refunded');
CREATE TABLE customers (id bigint PRIMARY KEY, email text, created_at timestamptz NOT NULL);
CREATE TABLE orders (
    id bigint PRIMARY KEY,
    customer_id bigint REFERENCES customers,
    state order_state NOT NULL,
    total numeric(12,2),
    currency char(3) NOT NULL,
    updated_at timestamptz
);
CREATE TABLE refunds (id bigint PRIMARY KEY, order_id bigint NOT NULL REFERENCES orders (id));
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "shop.sql"
    path.write_text(text, encoding="utf-8")
    return path


def column(ws: Workspace, table: str, name: str) -> dict:
    (found,) = ws.rows("column", "name = ? AND table_id = (SELECT id FROM tables WHERE name = ?)", (name, table))
    return found


def test_reimport_reports_the_diff_keeps_human_edits_and_logs_changes(tmp_path: Path, workspace: Workspace) -> None:
    first = import_file(workspace, write(tmp_path, FIRST), "postgres", new="Shop")
    assert first.first_import and sorted(first.tables_added) == ["customers", "order_history", "orders"]
    iid = workspace.integration("Shop")["id"]

    state = column(workspace, "orders", "state")
    assert state["value_set"] == {"new": "", "paid": ""}
    workspace.update(
        "column",
        state["id"],
        {"value_set": {"new": "basket checked out", "paid": "money received"}, "classification": "internal"},
    )
    email = column(workspace, "customers", "email")
    workspace.update("column", email["id"], {"description": "Login and receipts", "classification": "personal"})
    orders = workspace.rows("table", "name = 'orders'")[0]
    workspace.update("table", orders["id"], {"description": "One row per checkout", "deletion": "soft"})
    last_change = workspace.changes()[-1]["id"]

    second = import_file(workspace, write(tmp_path, SECOND), "postgres", integration="Shop")

    assert not second.first_import
    assert second.tables_added == ["refunds"]
    assert second.tables_removed == ["order_history"]
    assert sorted(second.columns_added) == ["orders.currency", "orders.updated_at"]
    assert second.columns_removed == ["orders.note"]
    assert sorted(map(tuple, second.types_changed)) == [
        ("customers.created_at", "timestamp", "timestamptz"),
        ("orders.total", "numeric(10,2)", "numeric(12,2)"),
    ]
    assert second.nullability_changed == [["customers.email", "not null", "nullable"]]
    text = "\n".join(second.lines())
    assert "tables removed (1): order_history" in text and "columns removed (1): orders.note" in text

    state = column(workspace, "orders", "state")
    assert state["value_set"] == {"new": "basket checked out", "paid": "money received", "refunded": ""}
    assert state["classification"] == "internal"
    email = column(workspace, "customers", "email")
    assert (email["description"], email["classification"], email["nullable"]) == (
        "Login and receipts",
        "personal",
        True,
    )
    orders = workspace.get("table", orders["id"])
    assert (orders["description"], orders["deletion"]) == ("One row per checkout", "soft")

    logged = workspace.changes(iid, after_id=last_change)
    assert len({change["batch"] for change in logged}) == 1
    assert {("insert", "table")} <= {(c["action"], c["entity"]) for c in logged}
    assert any(c["action"] == "delete" and c["entity"] == "column" and c["old"]["name"] == "note" for c in logged)
    assert any(c["entity"] == "column" and c["field"] == "type" and c["new"] == "numeric(12,2)" for c in logged)
    assert any(c["entity"] == "column" and c["field"] == "value_set" for c in logged)

    recorded = imports(workspace, iid)
    assert len(recorded) == 2 and recorded[1]["summary"]["tables_removed"] == ["order_history"]


def test_the_whole_reimport_is_one_undoable_batch(tmp_path: Path, workspace: Workspace) -> None:
    import_file(workspace, write(tmp_path, FIRST), "postgres", new="Shop")
    import_file(workspace, write(tmp_path, SECOND), "postgres", integration="Shop")
    workspace.undo(workspace.last_batch())
    assert sorted(row["name"] for row in workspace.rows("table")) == ["customers", "order_history", "orders"]
    assert column(workspace, "orders", "total")["type"] == "numeric(10,2)"


def test_hand_made_tables_are_kept_on_the_first_import(tmp_path: Path, workspace: Workspace) -> None:
    iid = workspace.add_integration("Shop")["id"]
    planned = workspace.insert("table", {"integration_id": iid, "name": "loyalty_points", "description": "planned"})
    summary = import_file(workspace, write(tmp_path, FIRST), "postgres", integration="Shop")
    assert summary.tables_kept == ["loyalty_points"]
    assert workspace.get("table", planned["id"])["description"] == "planned"


def test_findings_inform_checklist_items_and_keep_dismissals(tmp_path: Path, workspace: Workspace) -> None:
    import_file(workspace, write(tmp_path, FIRST), "postgres", new="Shop")
    iid = workspace.integration("Shop")["id"]
    rules = {(row["rule"], row["table"], row["column_name"]) for row in findings(workspace, iid)}
    assert ("naive_timestamp", "customers", "created_at") in rules
    assert ("money_without_currency", "orders", "total") in rules
    assert ("nullable_foreign_key", "orders", "customer_id") in rules
    assert ("undeclared_foreign_key", "order_history", "order_id") in rules
    assert ("json_without_schema", "order_history", "payload") in rules
    assert ("history_table", "order_history", None) in rules
    assert ("no_primary_key", "order_history", None) in rules
    assert ("no_updated_at", "orders", None) in rules
    assert not any(rule == "status_without_values" for rule, *_ in rules)

    timezone = findings_for_item(workspace, iid, "data_model.timezones")
    assert [row["column_name"] for row in timezone] == ["created_at"]
    item = workspace.rows("item", "integration_id = ? AND key = 'data_model.timezones'", (iid,))[0]
    assert item["answer"] is None

    nullable_fk = next(row for row in findings(workspace, iid) if row["rule"] == "nullable_foreign_key")
    dismiss_finding(workspace, nullable_fk["id"], "guest checkouts have no customer")

    import_file(workspace, write(tmp_path, SECOND), "postgres", integration="Shop")
    current = {(row["rule"], row["table"], row["column_name"]) for row in findings(workspace, iid)}
    assert ("naive_timestamp", "customers", "created_at") not in current
    assert ("money_without_currency", "orders", "total") not in current
    assert ("nullable_foreign_key", "orders", "customer_id") not in current
    kept = workspace.get("finding", nullable_fk["id"])
    assert kept["dismissed_reason"] == "guest checkouts have no customer" and kept["dismissed_by"] == "tester"
