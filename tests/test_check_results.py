"""Check runs kept in the workspace, and the strict mark of a table through the plan and the contract file."""

from __future__ import annotations

import dataclasses

import pytest

from tui.agreement import from_odcs, from_workspace
from tui.check.results import Result, Run, last_run, last_runs, record_run
from tui.enums import CheckStatus, Enforcement
from tui.export import Options, render
from tui.plan import dump_plan, load_plan
from tui.store import Workspace

pytestmark = pytest.mark.core

TODAY = "2026-12-02"


def _run(*results: Result, at: str = "2026-12-02T08:00:00+00:00", warning_fails: bool = False) -> Run:
    return Run(
        started_at=at,
        finished_at=at,
        source="postgresql://reader:***@db.example/orders",
        dialect="postgresql",
        results=results,
        sample_percent=None,
        since=None,
        fail_on_warning=warning_fails,
    )


NULLS = Result(
    "not null",
    "orders",
    "orders",
    "customer_id",
    CheckStatus.FAIL,
    "3 rows have no value",
    3,
    ("(null)",),
    'SELECT count(*) FROM "orders"."orders"',
    Enforcement.CHECK,
)
PROVEN = Result("primary key", "orders", "orders", "id", CheckStatus.PROVEN, enforced_by=Enforcement.CONSTRAINT)
EXTRA = Result("extra column", "", 'we"ird.table', "x", CheckStatus.WARN, "not in the contract")


def test_a_run_reads_back_with_every_result_in_order(demo_workspace: Workspace) -> None:
    orders = demo_workspace.integration("Orders")
    assert last_run(demo_workspace, orders["id"]) is None
    run = _run(NULLS, PROVEN, EXTRA)
    run_id = record_run(demo_workspace, orders["id"], run)
    found = last_run(demo_workspace, orders["id"])
    assert found is not None and found.id == run_id
    assert found == dataclasses.replace(run, author="tester")
    assert not found.passed
    assert found.counts == {"pass": 0, "fail": 1, "warn": 1, "proven": 1, "sampled": 0}
    assert [result.where for result in found.results] == [
        "orders.orders.customer_id",
        "orders.orders.id",
        '"we""ird.table".x',
    ]


def test_the_last_run_is_per_integration(demo_workspace: Workspace) -> None:
    orders, leaf = demo_workspace.integration("Orders"), demo_workspace.integration("Leaf ID")
    record_run(demo_workspace, orders["id"], _run(NULLS))
    record_run(demo_workspace, orders["id"], _run(PROVEN, at="2026-12-02T09:00:00+00:00"))
    record_run(demo_workspace, leaf["id"], _run(EXTRA, warning_fails=True))
    assert last_run(demo_workspace, orders["id"]).results == (PROVEN,)  # type: ignore[union-attr]
    brief = last_runs(demo_workspace)
    assert brief[orders["id"]]["passed"] is True and brief[orders["id"]]["finished_at"].startswith("2026-12-02T09")
    assert brief[leaf["id"]]["passed"] is False and brief[leaf["id"]]["counts"]["warn"] == 1


def test_runs_go_with_their_integration(demo_workspace: Workspace) -> None:
    orders = demo_workspace.integration("Orders")
    record_run(demo_workspace, orders["id"], _run(NULLS, PROVEN))
    demo_workspace.delete("integration", orders["id"])
    assert demo_workspace.query("SELECT count(*) FROM check_results")[0][0] == 0
    assert demo_workspace.query("SELECT count(*) FROM check_runs")[0][0] == 0


def test_a_table_marked_strict_travels_through_the_plan_and_the_contract_file(
    demo_workspace: Workspace, tmp_path
) -> None:
    orders = demo_workspace.integration("Orders")
    table = demo_workspace.rows("table", "integration_id = ? AND name = 'orders'", (orders["id"],))[0]
    assert table["strict"] is False
    demo_workspace.update("table", table["id"], {"strict": True}, version=table["version"])
    agreed = from_workspace(demo_workspace, orders, TODAY)
    assert agreed.table("orders.orders").strict is True  # type: ignore[union-attr]
    assert [t.ref for t in agreed.tables if t.strict] == ["orders.orders"]
    text = render(demo_workspace, orders, "odcs", Options(today=TODAY, odcs_version="3.2.0")).text
    assert "property: strict\n    value: true" in text
    assert from_odcs(text, "orders.odcs.yaml") == agreed
    plan, _ = dump_plan(demo_workspace, "Orders")
    assert plan.count("strict: true") == 1
    with Workspace.open(tmp_path / "other.db", author="tester", checklist=demo_workspace.checklist) as other:
        load_plan(other, plan, "plan.yaml")
        loaded = other.rows("table", "name = 'orders'")[0]
        assert loaded["strict"] is True
        assert [row["strict"] for row in other.rows("table", "name != 'orders'")] == [False] * (len(agreed.tables) - 1)
