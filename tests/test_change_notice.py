"""The change notice of a published version (`dayone export --format changes`), and a re-import's drift judged
by the same rules: what changed, the metrics hurt, who is told, when it takes effect, what to do when it breaks."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from commands import dayone

from tui import actions
from tui.errors import DayoneError
from tui.export import Options, render
from tui.importers.findings import findings
from tui.importers.run import import_file
from tui.store import Workspace
from tui.versions import publish

pytestmark = pytest.mark.core

TODAY = "2026-12-02"


def _agree(ws: Workspace, iid: int, key: str, answer: str) -> None:
    item = ws.rows("item", "integration_id = ? AND key = ?", (iid, key))[0]
    actions.update_item(ws, item["id"], {"answer": answer})
    actions.agree_item(ws, item["id"])


@pytest.fixture
def announced(demo_workspace: Workspace) -> Workspace:
    """Orders published twice: status became nullable and got a new value; notice, incidents and SLA agreed."""
    ws = demo_workspace
    orders = ws.integration("Orders")
    publish(ws, orders, TODAY, message="first cut")
    _agree(ws, orders["id"], "contracts.change_communication", "Posted in #orders-data two weeks ahead.")
    _agree(ws, orders["id"], "contracts.incidents", "Open an ORD ticket and page the on-call engineer.")
    _agree(
        ws,
        orders["id"],
        "contracts.sla",
        "Broken feeds detected within 1 hour, the data team notified within 4 hours, fixed within two business days.",
    )
    table = ws.rows("table", "name = 'orders'")[0]
    status = ws.rows("column", "table_id = ? AND name = 'status'", (table["id"],))[0]
    ws.update(
        "column",
        status["id"],
        {"nullable": True, "value_set": {**status["value_set"], "on_hold": "Held for review"}},
    )
    ws.update("table", table["id"], {"description": "Orders; replica at postgresql://etl:Sup3rSecret@db/orders"})
    publish(ws, ws.integration("Orders"), TODAY, message="status may be empty, and held orders")
    return ws


@pytest.mark.parametrize("fmt", ["changes", "changes-confluence"])
def test_the_notice_says_what_changed_whom_it_hurts_and_what_to_do(announced: Workspace, fmt: str) -> None:
    rendered = render(announced, announced.integration("Orders"), fmt, Options(today=TODAY))
    text = rendered.text
    assert rendered.filename == f"orders-changes-1.0.0{'.md' if fmt == 'changes' else '.confluence.xml'}"
    for expected in (
        "1.0.0 (major, since 0.1.0)",
        "status may be empty, and held orders",
        "2026-12-16, 14 days from today as agreed",
        "Breaking for consumers (2)",
        "nullability relaxed",
        "values added",
        "Orders placed per day",
        "Raj Patel",
        "point of contact",
        "the consuming team",
        "Open an ORD ticket and page the on-call engineer.",
        "Time to detect",
        "Time to notify",
        "Time to repair",
        "Posted in #orders-data two weeks ahead.",
    ):
        assert expected in text.replace("\\_", "_").replace("\\#", "#"), expected
    assert "Sup3rSecret" not in text
    assert any("masked" in warning for warning in rendered.warnings)
    assert text.index("Breaking for consumers") < text.index("Information (1)")


def test_an_earlier_version_can_be_announced_and_an_unknown_one_is_refused(announced: Workspace) -> None:
    orders = announced.integration("Orders")
    first = render(announced, orders, "changes", Options(today=TODAY, contract_version="0.1.0")).text
    assert "0.1.0 (minor, the first version)" in first and "table added" in first
    with pytest.raises(DayoneError, match=r"no version '9\.0\.0' of Orders \(published: 0\.1\.0, 1\.0\.0\)"):
        render(announced, orders, "changes", Options(today=TODAY, contract_version="9.0.0"))
    with pytest.raises(DayoneError, match="no version published yet"):
        render(announced, announced.integration("Leaf ID"), "changes", Options(today=TODAY))


def test_the_notice_through_the_command(demo: Path) -> None:
    db = ("--db", "data/demo.db")
    assert dayone(demo, "contract", "publish", "--integration", "Orders", *db).returncode == 0
    written = dayone(demo, "export", "--format", "changes", *db)
    assert written.returncode == 0, written.stderr
    assert (demo / "exports" / "orders-changes-0.1.0.md").is_file()
    assert not list((demo / "exports").glob("leaf*")), "only integrations with a published version"
    refused = dayone(demo, "export", "--format", "markdown", "--contract-version", "0.1.0", *db)
    assert refused.returncode == 2 and "--contract-version" in refused.stderr


SHOP = """
CREATE TABLE orders (
  id bigint PRIMARY KEY,
  status text NOT NULL CHECK (status IN ('pending', 'paid')),
  total numeric(10, 2) NOT NULL,
  note text
);
"""


def test_a_reimport_judges_drift_by_the_same_rules_and_keeps_it_as_a_finding(
    workspace: Workspace, tmp_path: Path
) -> None:
    schema = tmp_path / "schema.sql"
    schema.write_text(SHOP, encoding="utf-8")
    import_file(workspace, schema, "postgres", new="Shop")
    schema.write_text(
        SHOP.replace("status text NOT NULL", "status text")
        .replace("'pending', 'paid'", "'pending', 'paid', 'on_hold'")
        .replace("  note text\n", "  note text,\n  channel text NOT NULL\n")
        .replace("numeric(10, 2)", "numeric(8, 2)"),
        encoding="utf-8",
    )
    summary = import_file(workspace, schema, "postgres", integration="Shop")
    judged = {(where, kind, consumer, producer) for where, kind, consumer, producer, _ in summary.impacts}
    assert judged == {
        ("orders.status", "nullability_relaxed", "breaking", "info"),
        ("orders.status", "values_added", "breaking", "info"),
        ("orders.total", "type_narrowed", "info", "breaking"),
        ("orders.channel", "column_added", "info", "breaking"),
    }
    lines = "\n".join(summary.lines())
    assert "breaking for consumers (2): orders.status (nullability relaxed), orders.status (values added)" in lines
    assert "1 change to announce (schema_drift)" in lines
    iid = workspace.integration("Shop")["id"]
    drift = [row for row in findings(workspace, iid) if row["rule"] == "schema_drift"]
    assert [(row["column_name"], row["item_key"]) for row in drift] == [("status", "contracts.change_communication")]
    assert re.search(r"nullability relaxed .*values added .*breaking for the warehouse", drift[0]["message"])
    import_file(workspace, schema, "postgres", integration="Shop")  # the same schema again: the finding stays
    assert [row["id"] for row in findings(workspace, iid) if row["rule"] == "schema_drift"] == [drift[0]["id"]]
    actions.dismiss_finding(workspace, drift[0]["id"], "announced in #orders-data")
    import_file(workspace, schema, "postgres", integration="Shop")
    assert not [row for row in findings(workspace, iid) if row["rule"] == "schema_drift"]
