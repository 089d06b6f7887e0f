"""The agreed contract as one model: read from the workspace, written as ODCS and read back equal."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest
from export_checks import load_hostile

from tui import actions
from tui.agreement import Agreement, ContractFileError, from_odcs, from_workspace, read_odcs, zoned
from tui.export import Options, render
from tui.store import Workspace

pytestmark = pytest.mark.core

TODAY = "2026-12-02"


def _item(ws: Workspace, integration: str, key: str):
    iid = ws.integration(integration)["id"]
    return ws.rows("item", "integration_id = ? AND key = ?", (iid, key))[0]


def _odcs(ws: Workspace, integration: str, version: str = "3.2.0") -> str:
    return render(ws, ws.integration(integration), "odcs", Options(today=TODAY, odcs_version=version)).text


def _agree(ws: Workspace, integration: str, key: str, answer: str) -> None:
    row = _item(ws, integration, key)
    actions.update_item(ws, row["id"], {"answer": answer})
    actions.agree_item(ws, row["id"])


def test_every_demo_contract_reads_back_as_the_agreement_it_was_written_from(demo_workspace: Workspace) -> None:
    for integration in demo_workspace.integrations():
        agreed = from_workspace(demo_workspace, integration, TODAY)
        assert agreed.tables, integration["name"]
        assert from_odcs(_odcs(demo_workspace, integration["name"]), "contract.odcs.yaml") == agreed


def test_odcs_3_1_keeps_the_values_but_not_their_meanings(demo_workspace: Workspace) -> None:
    agreed = from_workspace(demo_workspace, demo_workspace.integration("Orders"), TODAY)
    read = from_odcs(_odcs(demo_workspace, "Orders", "3.1.0"), "contract.odcs.yaml")
    status = next(c for c in agreed.table("orders.orders").columns if c.name == "status")  # type: ignore[union-attr]
    read_status = next(c for c in read.table("orders.orders").columns if c.name == "status")  # type: ignore[union-attr]
    assert list(read_status.value_set) == list(status.value_set)
    assert set(read_status.value_set.values()) == {None}


def test_time_zones_latency_and_json_schemas_travel_through_the_file(demo_workspace: Workspace) -> None:
    _agree(demo_workspace, "Orders", "data_model.timezones", "timestamp with time zone, UTC everywhere")
    _agree(demo_workspace, "Orders", "contracts.sla", "Data at most 2 hours behind; fixes within two business days")
    agreed = from_workspace(demo_workspace, demo_workspace.integration("Orders"), TODAY)
    assert agreed.timestamps_zoned is True
    assert agreed.latency_seconds == 2 * 3600
    with_schema = [column for table in agreed.tables for column in table.columns if column.json_schema]
    assert with_schema, "the demo has JSON columns with an agreed schema"
    read = from_odcs(_odcs(demo_workspace, "Orders"), "contract.odcs.yaml")
    assert (read.timezones, read.latency_seconds) == (agreed.timezones, agreed.latency_seconds)
    assert [c.json_schema for t in read.tables for c in t.columns if c.json_schema] == [
        c.json_schema for c in with_schema
    ]


@pytest.mark.parametrize(
    ("answer", "expected"),
    [
        ("timestamp with time zone, UTC", True),
        ("timestamptz everywhere", True),
        ("naive timestamps, UTC by convention", False),
        ("naive local time", False),
        ("timestamps without time zone", False),
        ("we will see", None),
        (None, None),
    ],
)
def test_what_a_time_zone_answer_says(answer: str | None, expected: bool | None) -> None:
    assert zoned(answer) is expected


def test_lines_point_at_each_table_and_column(demo_workspace: Workspace) -> None:
    text = _odcs(demo_workspace, "Leaf ID")
    read = from_odcs(text, "leaf.odcs.yaml")
    lines = text.splitlines()
    accounts = read.table("identity.accounts")
    assert accounts is not None
    assert lines[read.line(accounts) - 1].strip() == "- name: accounts"  # type: ignore[operator]
    assert lines[read.line(accounts, "email") - 1].strip() == "- name: email"  # type: ignore[operator]
    assert read.line(accounts, "no_such_column") == read.line(accounts)


def test_a_dict_round_trip_is_equal(demo_workspace: Workspace) -> None:
    agreed = from_workspace(demo_workspace, demo_workspace.integration("Fulfilment"), TODAY)
    assert Agreement.from_dict(json.loads(json.dumps(agreed.to_dict()))) == agreed


def test_hostile_names_and_credentials_survive_the_file(workspace: Workspace) -> None:
    integration = load_hostile(workspace)
    agreed = from_workspace(workspace, integration, TODAY)
    text = render(workspace, integration, "odcs", Options(today=TODAY, odcs_version="3.2.0")).text
    read = from_odcs(text, "hostile.odcs.yaml")
    assert [dataclasses.replace(t, description=None) for t in read.tables] == [
        dataclasses.replace(t, description=None) for t in agreed.tables
    ]


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("- a\n- b\n", "expected a mapping at the top"),
        ("kind: DataContract\napiVersion: v2.2.0\n", ":1: kind: not an ODCS v3 data contract"),
        ("kind: DataContract\napiVersion: v3.1.0\nschema: 12\n", ":3: schema: expected a list of tables"),
        ("kind: DataContract\napiVersion: v3.1.0\nschema:\n- 12\n", ":4: schema[0]: expected a table with a name"),
        (
            "kind: DataContract\napiVersion: v3.1.0\nschema:\n- name: t\n  properties:\n  - physicalType: int\n",
            ":6: schema[0].properties[0]: expected a column with a name",
        ),
        ("kind: [unclosed\n", "c.yaml:"),
    ],
)
def test_a_malformed_contract_is_one_line_naming_the_place(text: str, problem: str) -> None:
    with pytest.raises(ContractFileError) as raised:
        from_odcs(text, "c.yaml")
    message = str(raised.value)
    assert problem in message and "\n" not in message and message.startswith("c.yaml")


def test_a_missing_or_unreadable_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(ContractFileError, match=r"missing\.yaml: no such contract file"):
        read_odcs(tmp_path / "missing.yaml")
    with pytest.raises(ContractFileError, match="is a folder"):
        read_odcs(tmp_path)
    binary = tmp_path / "binary.yaml"
    binary.write_bytes(b"kind: \xff\xfe\n")
    with pytest.raises(ContractFileError, match="not UTF-8 text"):
        read_odcs(binary)
