"""Published versions of a contract: numbered by what changed, never made twice, carried by the plan YAML."""

from __future__ import annotations

from pathlib import Path

import pytest

from tui import actions
from tui.agreement import from_workspace
from tui.changes.report import build
from tui.errors import DayoneError
from tui.export import Options, render
from tui.plan import dump_plan, load_plan
from tui.store import Workspace
from tui.versions import agreement_at, latest, pending, publish, published, unpublished

pytestmark = pytest.mark.core

TODAY = "2026-12-02"


def _column(ws: Workspace, table: str, name: str) -> dict:
    iid = ws.integration("Orders")["id"]
    found = ws.rows("table", "integration_id = ? AND name = ?", (iid, table))[0]
    return ws.rows("column", "table_id = ? AND name = ?", (found["id"], name))[0]


def _publish(ws: Workspace, **options) -> str | None:
    made, _ = publish(ws, ws.integration("Orders"), TODAY, **options)
    return made.version if made else None


def test_the_number_follows_from_the_changes(demo_workspace: Workspace) -> None:
    ws = demo_workspace
    assert _publish(ws, message="first") == "0.1.0"
    ws.update("column", _column(ws, "orders", "currency")["id"], {"description": "ISO 4217 code"})
    assert _publish(ws) == "0.1.1"  # a description only: patch
    table = ws.rows("table", "name = 'orders'")[0]
    ws.insert("column", {"table_id": table["id"], "name": "coupon", "position": 99, "type": "text"})
    assert _publish(ws) == "0.2.0"  # an addition: minor
    ws.update("column", _column(ws, "orders", "status")["id"], {"nullable": True})
    assert _publish(ws) == "1.0.0"  # NOT NULL became nullable: major
    assert [each.version for each in published(ws, ws.integration("Orders")["id"])] == [
        "0.1.0",
        "0.1.1",
        "0.2.0",
        "1.0.0",
    ]
    assert [each.bump for each in published(ws, ws.integration("Orders")["id"])] == [
        "minor",
        "patch",
        "minor",
        "major",
    ]
    assert ws.integration("Orders")["contract_version"] == "1.0.0"


def test_publishing_twice_without_changes_makes_one_version(demo_workspace: Workspace) -> None:
    ws = demo_workspace
    assert _publish(ws) == "0.1.0"
    assert _publish(ws) is None
    actions.add_note(ws, ws.integration("Orders")["id"], "a note is not part of the contract")
    assert _publish(ws) is None
    assert len(published(ws, ws.integration("Orders")["id"])) == 1


def test_a_version_may_be_set_higher_never_lower(demo_workspace: Workspace) -> None:
    ws = demo_workspace
    assert _publish(ws) == "0.1.0"
    ws.update("column", _column(ws, "orders", "status")["id"], {"nullable": True})
    with pytest.raises(DayoneError, match=r"--version 0\.9\.0 is lower than 1\.0\.0"):
        _publish(ws, version="0.9.0")
    with pytest.raises(DayoneError, match="not a version number"):
        _publish(ws, version="two")
    assert [each.version for each in published(ws, ws.integration("Orders")["id"])] == ["0.1.0"]
    assert ws.integration("Orders")["contract_version"] == "0.1.0"
    assert _publish(ws, version="3.0.0") == "3.0.0"


def test_a_published_version_is_frozen_and_the_unpublished_mark_follows_the_contract(
    demo_workspace: Workspace,
) -> None:
    ws = demo_workspace
    orders = ws.integration("Orders")
    assert unpublished(ws, orders, TODAY) is None
    _publish(ws)
    assert unpublished(ws, orders, TODAY) is False
    frozen = agreement_at(ws, orders, "0.1.0")
    ws.update("column", _column(ws, "orders", "status")["id"], {"value_set": {"pending": "", "paid": "", "x": ""}})
    assert unpublished(ws, orders, TODAY) is True
    assert agreement_at(ws, orders, "0.1.0") == frozen
    found = pending(ws, orders, TODAY)
    assert (found.since.version if found.since else None, found.bump, found.proposed) == ("0.1.0", "major", "1.0.0")
    with pytest.raises(DayoneError, match=r"no version '9\.9\.9' of Orders \(published: 0\.1\.0\)"):
        agreement_at(ws, orders, "9.9.9")


def test_versions_round_trip_through_the_plan_yaml(demo_workspace: Workspace, tmp_path: Path, checklist) -> None:
    ws = demo_workspace
    _publish(ws, message="first cut: the order tables")
    ws.update("column", _column(ws, "orders", "status")["id"], {"nullable": True})
    _publish(ws, message="status may be empty")
    first, _ = dump_plan(ws, full=True)
    assert "versions:" in first and "status may be empty" in first
    with Workspace.open(tmp_path / "empty.db", checklist=checklist) as empty:
        load_plan(empty, first, "plan.yaml")
        second, _ = dump_plan(empty, full=True)
        assert second == first
        orders = empty.integration("Orders")
        assert agreement_at(empty, orders, "1.0.0") == agreement_at(ws, ws.integration("Orders"), "1.0.0")
        assert latest(empty, orders["id"]).message == "status may be empty"  # type: ignore[union-attr]
        load_plan(empty, first, "plan.yaml")  # loading it again changes nothing
        assert len(published(empty, orders["id"])) == 2


def test_a_plan_that_rewrites_a_published_version_is_refused(demo_workspace: Workspace) -> None:
    ws = demo_workspace
    _publish(ws)
    text, _ = dump_plan(ws, "Orders", full=True)
    changed = text.replace("One row per order, from the moment the customer clicks Pay.", "Something else.", 2)
    assert changed != text
    with pytest.raises(DayoneError, match=r"integrations\[0\]\.versions\[0\]\.contract.*published already"):
        load_plan(ws, changed, "plan.yaml")


def test_a_malformed_version_in_a_plan_names_its_place(demo_workspace: Workspace) -> None:
    ws = demo_workspace
    text = (
        "dayone: 1\nintegrations:\n- name: Orders\n  versions:\n  - version: 2.0.0\n"
        "    at: '2026-12-01T10:00:00+00:00'\n    contract: {tables: [{columns: []}]}\n"
    )
    with pytest.raises(DayoneError, match=r"versions.*not a contract version dayone wrote"):
        load_plan(ws, text, "plan.yaml")
    assert published(ws, ws.integration("Orders")["id"]) == []


def test_exports_carry_the_version_and_its_history(demo_workspace: Workspace) -> None:
    ws = demo_workspace
    _publish(ws, message="first cut")
    ws.update("column", _column(ws, "orders", "status")["id"], {"nullable": True})
    _publish(ws, message="status may be empty")
    orders = ws.integration("Orders")
    odcs = render(ws, orders, "odcs", Options(today=TODAY)).text
    assert '\nversion: "1.0.0"\n' in odcs
    markdown = render(ws, orders, "markdown", Options(today=TODAY)).text
    assert "Contract version:** 1.0.0" in markdown
    history = markdown[markdown.index("## Version history") :]
    assert "1.0.0" in history and "status may be empty" in history and "0.1.0" in history


def test_the_diff_names_metrics_and_the_people_to_tell(demo_workspace: Workspace) -> None:
    ws = demo_workspace
    orders = ws.integration("Orders")
    _publish(ws)
    item = ws.rows("item", "integration_id = ? AND key = 'contracts.change_communication'", (orders["id"],))[0]
    actions.update_item(ws, item["id"], {"answer": "Announced in #orders-data two weeks before the release."})
    actions.agree_item(ws, item["id"])
    ws.update("column", _column(ws, "orders", "status")["id"], {"nullable": True})
    old = agreement_at(ws, orders, "0.1.0")
    found = build(old, from_workspace(ws, orders, TODAY), "0.1.0", "now", workspace=ws, integration=orders, today=TODAY)
    assert [(c.kind, c.consumer, c.producer) for c in found.changes] == [("nullability_relaxed", "breaking", "info")]
    assert found.changes[0].metrics == ("Orders placed per day", "Average order value by channel")
    requester = "Raj Patel"
    data_team = [row["name"] for row in ws.rows("stakeholder", "integration_id = ? AND team = 'data'", (orders["id"],))]
    contacts = [
        row["name"] for row in ws.rows("stakeholder", "integration_id = ? AND point_of_contact", (orders["id"],))
    ]
    assert found.inform[0] == requester
    assert set(found.inform) == {requester, *data_team, *contacts}
    assert (found.notice_days, found.effective) == (14, "2026-12-16")


def test_a_publication_stays_through_undo_and_is_a_decision_in_the_minutes(demo_workspace: Workspace) -> None:
    from tui.errors import UndoConflict
    from tui.export.minutes import gather_minutes
    from tui.meetings import end_meeting, start_meeting

    ws = demo_workspace
    orders = ws.integration("Orders")
    _publish(ws, message="before the meeting")
    ws.conn.execute("UPDATE contract_versions SET at = '2026-11-01T09:00:00+00:00'")
    meeting = start_meeting(ws, orders["id"], "Contract review")
    ws.update("column", _column(ws, "orders", "status")["id"], {"nullable": True})
    edit = ws.last_batch()
    assert _publish(ws, message="status may be empty") == "1.0.0"
    batch = ws.last_batch()
    assert batch != edit, "the new number is a change of its own"
    with pytest.raises(UndoConflict, match=r"contract version 1\.0\.0 was published with this change"):
        ws.undo(batch)
    assert ws.integration("Orders")["contract_version"] == "1.0.0"
    assert [version.version for version in published(ws, orders["id"])] == ["0.1.0", "1.0.0"]
    end_meeting(ws, meeting["id"])
    minutes = gather_minutes(ws, orders, "2000-01-01", meeting_id=meeting["id"])
    assert [(d.topic, d.decision, d.owner) for d in minutes.decisions if d.topic == "Data contract"] == [
        ("Data contract", "published version 1.0.0 (major): status may be empty", ws.author)
    ]
    since = [d.decision for d in gather_minutes(ws, orders, "2026-10-01").decisions if d.topic == "Data contract"]
    assert since == [
        "published version 0.1.0, the first: before the meeting",
        "published version 1.0.0 (major): status may be empty",
    ]
