"""Plan YAML: byte-identical round trips, merging, and errors that name the place in the document."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from tui.errors import DayoneError
from tui.plan import dump_plan, load_plan
from tui.store import Workspace

pytestmark = pytest.mark.core


def test_export_load_export_is_byte_identical(demo_workspace: Workspace, tmp_path: Path, checklist) -> None:
    first, _ = dump_plan(demo_workspace)
    with Workspace.open(tmp_path / "copy.db", checklist=checklist) as copy:
        load_plan(copy, first, "first.yaml")
        assert dump_plan(copy)[0] == first


def test_the_demo_plan_loads_every_kind_of_row(demo_workspace: Workspace) -> None:
    names = [row["name"] for row in demo_workspace.integrations()]
    assert len(names) >= 3
    for entity in ("stakeholder", "metric", "table", "column", "note"):
        assert demo_workspace.rows(entity), entity
    assert demo_workspace.rows("item", "status = 'agreed'")
    assert demo_workspace.rows("note", "private = 1")
    assert demo_workspace.rows("note", "item_id IS NOT NULL")


def test_one_integration_can_be_exported_alone(demo_workspace: Workspace) -> None:
    name = demo_workspace.integrations()[1]["name"]
    document = yaml.safe_load(dump_plan(demo_workspace, name)[0])
    assert [entry["name"] for entry in document["integrations"]] == [name]


def test_loading_merges_by_name_and_keeps_what_the_plan_leaves_out(workspace: Workspace) -> None:
    load_plan(workspace, PLAN, "plan.yaml")
    iid = workspace.integration("Vault")["id"]
    workspace.insert("stakeholder", {"integration_id": iid, "name": "Only here"})
    load_plan(workspace, PLAN.replace("role: analyst", "role: data engineer"), "plan.yaml")
    people = {row["name"]: row["role"] for row in workspace.rows("stakeholder")}
    assert people == {"Priya": "engineering lead", "Sam": "data engineer", "Only here": None}
    assert len(workspace.rows("note")) == 1


def test_a_missing_column_reads_as_not_available(workspace: Workspace) -> None:
    from tui.availability import DataState, column_index

    load_plan(workspace, PLAN, "plan.yaml")
    iid = workspace.integration("Vault")["id"]
    metrics = {row["name"]: row for row in workspace.rows("metric")}
    index = column_index(workspace, iid)
    assert index.availability(metrics["Items stored"]["needs"]).state is DataState.AVAILABLE
    missing = index.availability(metrics["Migrated accounts"]["needs"])
    assert (missing.state, missing.missing) == (DataState.MISSING, ("users.migrated_at",))


PLAN = """\
dayone: 1
integrations:
- name: Vault
  source: vault service
  go_live: 2027-03-01
  stakeholders:
  - {name: Priya, role: engineering lead, team: software, point_of_contact: true}
  - {name: Sam, role: analyst, team: data}
  metrics:
  - {name: Items stored, requested_by: Sam, priority: must, timeline: day 1, needs: [vault.items.id]}
  - {name: Migrated accounts, priority: should, timeline: week 1, needs: [users.migrated_at]}
  checklist:
    infrastructure.replica: {status: discussing, answer: Read replica, owner: Priya, due: 2027-02-01}
  tables:
  - schema: vault
    name: items
    deletion: soft
    soft_delete_column: deleted_at
    columns:
    - {name: id, type: bigint, nullable: false, primary_key: true}
    - {name: status, type: text, values: {1: active, 2: archived}}
  notes:
  - {at: "2026-11-03T15:02:00+01:00", author: Sam, kind: todo, text: Ask for the host, about: "table:vault.items"}
"""


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            ("priority: must", "priority: urgent"),
            r"plan.yaml:10: integrations\[0\].metrics\[0\].priority: 'urgent' is not one of must, should, could",
        ),
        (
            ("  source: vault service", "  source: vault service\n  colour: red"),
            r"plan.yaml:5: integrations\[0\].colour: unknown key",
        ),
        (
            ("requested_by: Sam", "requested_by: Nobody"),
            r"integrations\[0\].metrics\[0\].requested_by: 'Nobody' is not a stakeholder of integration 'Vault'",
        ),
        (
            ("owner: Priya", "owner: Nobody"),
            r"integrations\[0\].checklist.infrastructure.replica.owner: 'Nobody' is not a stakeholder",
        ),
        (
            ("infrastructure.replica:", "infrastructure.warp_drive:"),
            r"integrations\[0\].checklist.infrastructure.warp_drive: 'infrastructure.warp_drive' is not an item",
        ),
        (
            ("due: 2027-02-01", "due: soon"),
            r"integrations\[0\].checklist.infrastructure.replica.due: 'soon' is not a date",
        ),
        (("timeline: week 1", "timeline: week 2"), r"metrics\[1\].timeline: 'week 2' is not one of day 1, week 1"),
        (("status: discussing", "status: done"), r"checklist.infrastructure.replica.status: 'done' is not one of open"),
        (("deletion: soft", "deletion: maybe"), r"tables\[0\].deletion: 'maybe' is not one of hard, soft, none"),
        (("2026-11-03T15:02:00+01:00", "2026-11-03T15:02:00"), r"notes\[0\].at: the timestamp needs a timezone"),
        (('"table:vault.items"', '"table:vault.nothing"'), r"notes\[0\].about: 'table:vault.nothing' names no table"),
        (("dayone: 1", "dayone: 9"), r"dayone: this dayone reads plan format 1"),
        (("  go_live: 2027-03-01", "  go_live: [1, 2"), r"plan.yaml:\d+: not valid YAML"),
        (("- name: Vault", "- description: x"), r"integrations\[0\]: 'name' is missing"),
    ],
)
def test_bad_plans_name_the_path_and_change_nothing(workspace: Workspace, change, expected: str) -> None:
    old, new = change
    assert old in PLAN
    before = workspace.query("SELECT count(*) FROM changes")[0][0]
    with pytest.raises(DayoneError, match=expected):
        load_plan(workspace, PLAN.replace(old, new), "plan.yaml")
    assert workspace.query("SELECT count(*) FROM changes")[0][0] == before
    assert workspace.integrations() == []


def test_notes_are_stored_in_utc(workspace: Workspace) -> None:
    load_plan(workspace, PLAN, "plan.yaml")
    assert workspace.rows("note")[0]["at"] == "2026-11-03T14:02:00+00:00"


def test_value_set_codes_become_text(workspace: Workspace) -> None:
    load_plan(workspace, PLAN, "plan.yaml")
    status = workspace.rows("column", "name = 'status'")[0]
    assert status["value_set"] == {"1": "active", "2": "archived"}


def test_a_plan_for_git_leaves_out_private_notes_and_masks_credentials(demo_workspace: Workspace) -> None:
    full, nothing = dump_plan(demo_workspace)
    shared, warnings = dump_plan(demo_workspace, full=False)
    assert nothing == []
    assert "private: true" in full and "private: true" not in shared
    assert "Fern-Moss-42" in full and "Fern-Moss-42" not in shared
    assert "masked a password in a connection string in Leaf ID: checklist.infrastructure.replica.answer" in warnings
    assert dump_plan(demo_workspace, full=False)[0] == shared
