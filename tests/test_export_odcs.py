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
    # The table's own name: the schema is the server's, as contract-testing tools expect.
    assert objects["accounts"]["physicalName"] == "accounts"
    assert accounts["id"]["primaryKey"] is True and accounts["id"]["primaryKeyPosition"] == 1
    assert accounts["id"]["logicalType"] == "string" and accounts["id"]["physicalType"] == "uuid"
    assert accounts["email"]["classification"] == "pii" and accounts["email"]["required"] is True
    status_rule = next(rule for rule in accounts["status"]["quality"] if rule["metric"] == "invalidValues")
    assert status_rule["metric"] == "invalidValues"
    assert status_rule["arguments"]["validValues"] == ["pending_verification", "active", "locked", "closed"]
    events = {prop["name"]: prop for prop in objects["login_events"]["properties"]}
    assert events["account_id"]["relationships"] == [{"type": "foreignKey", "to": "accounts.id"}]
    assert events["occurred_at"]["logicalType"] == "timestamp"
    assert events["occurred_at"]["logicalTypeOptions"] == {"timezone": False}
    assert {member["name"] for member in document["team"]["members"]} >= {"Kenji Watanabe", "Noor Haddad"}
    assert any(item["channel"] == "#garden-club-data" for item in document["support"])
    (server,) = document["servers"]
    assert server["description"].startswith("Amazon RDS for PostgreSQL")
    assert {key: server[key] for key in ("type", "host", "port", "database", "schema", "environment")} == {
        "type": "postgres",
        "host": "leafid-replica.internal",
        "port": 5432,
        "database": "identity",
        "schema": "identity",
        "environment": "prod",
    }
    assert "Fern-Moss-42" not in yaml.safe_dump(document)
    assert document["roles"] == [
        {
            "id": "pipeline",
            "role": "leafid_etl",
            "access": "read",
            "description": "Service account leafid_etl for the loader; personal read-only logins for Noor and Leo"
            " through IAM authentication. Read-only on schema identity. No temp tables; the loader does not need them.",
        }
    ]
    kenji = next(member for member in document["team"]["members"] if member["name"] == "Kenji Watanabe")
    assert kenji["customProperties"] == [
        {"property": "team", "value": "software"},
        {"property": "pointOfContact", "value": True},
    ]
    tools = {(item["channel"], item["tool"]) for item in document["support"]}
    assert {("#garden-club-data", "slack"), ("IDN tickets", "ticket")} <= tools


def test_agreed_sla_and_hostile_strings(workspace: Workspace) -> None:
    rendered = render(workspace, load_hostile(workspace), "odcs", TODAY)
    assert odcs_errors(rendered.text) == []
    document = yaml.safe_load(rendered.text)
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


SLA_PLAN = """
dayone: 1
integrations:
- name: Feeds
  go_live: 2027-02-01
  checklist:
    contracts.sla: {status: agreed, answer: "Outages detected within 30 minutes; acknowledged the same business day,
      fixed within two business days."}
    infrastructure.etl_support: {status: agreed, answer: "Log-based replication, synced every 15 minutes."}
    data_flow.retention: {status: agreed, answer: "Rows older than 3 years are archived."}
    contracts.incidents: {status: discussing, answer: "Repaired within 1 hour."}
"""


def test_service_levels_use_the_standard_names_and_units(workspace: Workspace) -> None:
    from tui.plan import load_plan

    load_plan(workspace, SLA_PLAN, "sla.yaml")
    document = yaml.safe_load(render(workspace, workspace.integration("Feeds"), "odcs", TODAY).text)
    found = {item["property"]: (item["value"], item.get("unit")) for item in document["slaProperties"]}
    assert found == {
        "timeToDetect": (30, "min"),
        "timeToNotify": (1, "d"),
        "timeToRepair": (2, "d"),  # the incidents answer is not agreed yet, so its hour does not count
        "frequency": (15, "min"),
        "retention": (3, "y"),
        "generalAvailability": ("2027-02-01", None),
    }


def test_what_was_answered_for_one_table_travels_with_that_table(demo_workspace: Workspace) -> None:
    ws = demo_workspace
    leaf = ws.integration("Leaf ID")
    table = ws.rows("table", "integration_id = ? AND name = 'accounts'", (leaf["id"],))[0]
    item = ws.rows("item", "integration_id = ? AND key LIKE 'data_flow.%'", (leaf["id"],))[0]
    answer = "Closed accounts are kept 30 days, then erased; ask with password=hunter2hunter2 [/]"
    ws.insert(
        "answer", {"integration_id": leaf["id"], "item_id": item["id"], "table_id": table["id"], "answer": answer}
    )
    text = render(ws, leaf, "odcs", TODAY).text
    assert odcs_errors(text) == []
    objects = {obj["name"]: obj for obj in yaml.safe_load(text)["schema"]}
    custom = {entry["property"]: entry["value"] for entry in objects["accounts"]["customProperties"]}
    (entry,) = custom["checklistAnswers"]
    assert entry["item"] == item["key"]
    assert entry["answer"].startswith("Closed accounts are kept 30 days, then erased; ask with password=")
    assert "hunter2hunter2" not in text and "[/]" in entry["answer"]
    others = [obj for name, obj in objects.items() if name != "accounts"]
    assert not any(entry["property"] == "checklistAnswers" for obj in others for entry in obj["customProperties"])
