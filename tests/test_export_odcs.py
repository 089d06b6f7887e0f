"""The ODCS export, validated against the official Open Data Contract Standard JSON schema."""

from __future__ import annotations

import json

import pytest
import yaml
from export_checks import PRIVATE_MARKER, SECRET, load_hostile, odcs_errors
from open_data_contract_standard.model import OpenDataContractStandard

from tui.export import Options, render
from tui.export.odcs import logical_type
from tui.store import Workspace

pytestmark = pytest.mark.core

TODAY = Options(today="2026-11-21")


def test_the_official_schema_accepts_v3_1_0() -> None:
    schema = json.loads(OpenDataContractStandard.json_schema())
    assert "v3.1.0" in schema["properties"]["apiVersion"]["enum"]


def test_every_demo_contract_validates(demo_workspace: Workspace) -> None:
    for integration in demo_workspace.integrations():
        text = render(demo_workspace, integration, "odcs", TODAY).text
        assert odcs_errors(text) == []
        document = yaml.safe_load(text)
        assert (document["apiVersion"], document["kind"]) == ("v3.1.0", "DataContract")
        assert document["name"] == integration["name"]
        assert document["version"] == integration["contract_version"]
        assert document["status"] == integration["contract_status"]


def test_tables_columns_keys_and_relationships(demo_workspace: Workspace) -> None:
    document = yaml.safe_load(render(demo_workspace, demo_workspace.integration("Leaf ID"), "odcs", TODAY).text)
    objects = {obj["name"]: obj for obj in document["schema"]}
    accounts = {prop["name"]: prop for prop in objects["accounts"]["properties"]}
    assert objects["accounts"]["physicalName"] == "identity.accounts"
    assert accounts["id"]["primaryKey"] is True and accounts["id"]["primaryKeyPosition"] == 1
    assert accounts["id"]["logicalType"] == "string" and accounts["id"]["physicalType"] == "uuid"
    assert accounts["email"]["classification"] == "pii" and accounts["email"]["required"] is True
    status_rule = accounts["status"]["quality"][0]
    assert status_rule["metric"] == "invalidValues"
    assert status_rule["arguments"]["validValues"] == ["pending_verification", "active", "locked", "closed"]
    events = {prop["name"]: prop for prop in objects["login_events"]["properties"]}
    assert events["account_id"]["relationships"] == [{"type": "foreignKey", "to": "accounts.id"}]
    assert events["occurred_at"]["logicalType"] == "timestamp"
    assert events["occurred_at"]["logicalTypeOptions"] == {"timezone": False}
    assert {member["name"] for member in document["team"]["members"]} >= {"Kenji Watanabe", "Noor Haddad"}
    assert any(item["channel"] == "#garden-club-data" for item in document["support"])
    assert document["servers"][0]["description"].startswith("Amazon RDS for PostgreSQL")


def test_agreed_sla_and_hostile_strings(workspace: Workspace) -> None:
    rendered = render(workspace, load_hostile(workspace), "odcs", TODAY)
    assert odcs_errors(rendered.text) == []
    document = yaml.safe_load(rendered.text)
    assert document["slaProperties"][0]["value"] == "Fixed within *two* days | or else"
    assert PRIVATE_MARKER not in rendered.text and SECRET not in rendered.text
    lines = {obj["name"]: obj for obj in document["schema"]}["order lines|odd"]
    assert lines["properties"][0]["relationships"] == [{"type": "foreignKey", "to": "orders.id"}]


def test_reexport_is_identical(demo_workspace: Workspace) -> None:
    leaf = demo_workspace.integration("Leaf ID")
    first = render(demo_workspace, leaf, "odcs", Options(today="2026-11-21")).text
    assert render(demo_workspace, leaf, "odcs", Options(today="2026-11-22")).text == first


@pytest.mark.parametrize(
    ("sql", "logical"),
    [
        ("bigint", "integer"),
        ("int4", "integer"),
        ("numeric(12,2)", "number"),
        ("double precision", "number"),
        ("boolean", "boolean"),
        ("date", "date"),
        ("timestamp with time zone", "timestamp"),
        ("timestamptz", "timestamp"),
        ("time", "time"),
        ("jsonb", "object"),
        ("text[]", "array"),
        ("varchar(20)", "string"),
        ("uuid", "string"),
        (None, None),
    ],
)
def test_logical_types(sql: str | None, logical: str | None) -> None:
    assert logical_type(sql) == logical
