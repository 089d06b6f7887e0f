"""What the planning screen reads from a workspace, checked against the rows themselves."""

from __future__ import annotations

from datetime import date

import pytest

from tui.enums import ItemStatus
from tui.flags import table_flags
from tui.overview import (
    PARTS,
    Progress,
    changed_parts,
    days_left,
    load_part,
    load_parts,
    table_detail,
    table_summaries,
)
from tui.references import referenced_table
from tui.store import Workspace

pytestmark = pytest.mark.core


def test_table_summaries_match_the_rows(demo_workspace: Workspace) -> None:
    for integration in demo_workspace.integrations():
        summaries = table_summaries(demo_workspace, integration["id"])
        tables = demo_workspace.rows("table", "integration_id = ?", (integration["id"],))
        assert len(summaries) == len(tables)
        for summary in summaries:
            table = demo_workspace.get("table", summary.id)
            columns = demo_workspace.rows("column", "table_id = ?", (summary.id,), order_by="position")
            assert summary.column_count == len(columns)
            assert summary.primary_key == tuple(c["name"] for c in columns if c["primary_key"])
            assert set(summary.references) == {referenced_table(c["foreign_key"]) for c in columns if c["foreign_key"]}
            assert summary.flags == tuple(table_flags(table, columns))
            assert all(summary.matches(c["name"].lower()) for c in columns)


def test_open_findings_are_counted_until_dismissed(demo_workspace: Workspace) -> None:
    integration = demo_workspace.integrations()[0]
    table = demo_workspace.rows("table", "integration_id = ?", (integration["id"],))[0]
    finding = demo_workspace.insert(
        "finding",
        {
            "integration_id": integration["id"],
            "table_id": table["id"],
            "rule": "naive-timestamp",
            "message": "created_at has no zone",
        },
    )
    count = {s.id: s.open_findings for s in table_summaries(demo_workspace, integration["id"])}
    assert count[table["id"]] == 1
    assert len(table_detail(demo_workspace, table["id"]).findings) == 1
    demo_workspace.update(
        "finding",
        finding["id"],
        {"dismissed_at": "2026-11-20T10:00:00+00:00", "dismissed_reason": "known", "dismissed_by": "tester"},
    )
    count = {s.id: s.open_findings for s in table_summaries(demo_workspace, integration["id"])}
    assert count[table["id"]] == 0


def test_loading_parts_together_gives_what_loading_them_alone_does(demo_workspace: Workspace) -> None:
    for integration in demo_workspace.integrations():
        together = load_parts(demo_workspace, integration["id"], PARTS)
        for part in ("metrics", "checklist", "stakeholders", "notes", "integration"):
            alone = load_part(demo_workspace, integration["id"], part)
            assert repr(together[part]) == repr(alone), part


def test_table_detail_lists_the_tables_pointing_at_it(demo_workspace: Workspace) -> None:
    leaf = demo_workspace.integration("Leaf ID")
    accounts = demo_workspace.rows("table", "integration_id = ? AND name = 'accounts'", (leaf["id"],))[0]
    detail = table_detail(demo_workspace, accounts["id"])
    pointing = {(source, column) for source, column, _ in detail.referenced_by}
    expected = {
        (f"{t['schema']}.{t['name']}", c["name"])
        for t in demo_workspace.rows("table", "integration_id = ?", (leaf["id"],))
        for c in demo_workspace.rows("column", "table_id = ?", (t["id"],))
        if c["foreign_key"] and referenced_table(c["foreign_key"]).split(".")[-1] == "accounts"
    }
    assert pointing == expected and expected


def test_progress_counts_not_applicable_as_settled() -> None:
    items = [{"status": s} for s in (ItemStatus.AGREED, ItemStatus.NOT_APPLICABLE, ItemStatus.OPEN, ItemStatus.BLOCKED)]
    progress = Progress.of(items)
    assert (progress.agreed, progress.not_applicable, progress.settled, progress.total) == (1, 1, 2, 4)


def test_changed_parts_follow_the_change_log(demo_workspace: Workspace) -> None:
    leaf = demo_workspace.integration("Leaf ID")
    other = demo_workspace.integration("Orders")
    last = demo_workspace.changes()[-1]["id"]
    demo_workspace.add_note(leaf["id"], "hello")
    demo_workspace.add_note(other["id"], "elsewhere")
    changes = demo_workspace.changes(after_id=last)
    assert changed_parts(changes, leaf["id"]) == {"notes"}
    table = demo_workspace.rows("table", "integration_id = ?", (leaf["id"],))[0]
    demo_workspace.update("table", table["id"], {"retention": "forever"})
    assert changed_parts(demo_workspace.changes(after_id=last), leaf["id"]) == {
        "notes",
        "tables",
        "metrics",
        "enforcement",
    }


def test_days_left() -> None:
    assert days_left("2027-01-11", date(2026, 11, 20)) == 52
    assert days_left(None, date(2026, 11, 20)) is None


@pytest.mark.parametrize(
    ("reference", "table"),
    [
        ("public.users.id", "public.users"),
        ("users.id", "users"),
        ('"Order.Details".OrderID', '"Order.Details"'),
        ('shop."v1.2"."a.b"', 'shop."v1.2"'),
    ],
)
def test_the_table_of_a_reference_keeps_a_quoted_dot(reference: str, table: str) -> None:
    assert referenced_table(reference) == table
