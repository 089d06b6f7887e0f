"""The ODCS contract as datacontract-cli runs it: `datacontract test` against a real PostgreSQL database built
from the same plan. Every check runs (none skipped), all pass on clean data, and each kind of violation is caught.
The contract also validates against the official ODCS 3.1.0 and 3.2.0 JSON schemas.
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest
import yaml
from datacontract_cli import datacontract, odcs_schema
from export_checks import StringDates
from jsonschema import Draft201909Validator
from pg import PgServer

from tui.export import Options, render
from tui.plan import load_plan
from tui.store import Workspace

pytestmark = pytest.mark.postgres

PLAN = """
dayone: 1
integrations:
- name: Nursery
  source: nursery shop, PostgreSQL 15
  go_live: 2027-03-01
  stakeholders:
  - {name: Ada Park, role: engineering lead, team: software, contact: ada@nursery.example, point_of_contact: true}
  - {name: Bo Lind, role: data engineer, team: data, contact: "@bo"}
  checklist:
    infrastructure.storage_type: {status: agreed, answer: "PostgreSQL 15, one database with the schema nursery."}
    infrastructure.hosting: {status: agreed, answer: "A PostgreSQL server on loopback, started by the test."}
    infrastructure.replica: {status: agreed, answer: "Read from postgresql://dayone@127.0.0.1:PORT/DATABASE"}
    infrastructure.accounts: {status: agreed, answer: "Service account dayone for the loader."}
    infrastructure.permissions: {status: agreed, answer: "Read-only on schema nursery."}
    logistics.channels: {status: agreed, answer: "Questions in #nursery-data, mail data@nursery.example, NUR tickets"}
    contracts.sla: {status: agreed, answer: "Broken loads acknowledged within 4 hours, fixed within two days."}
  tables:
  - schema: nursery
    name: plants
    columns:
    - {name: id, type: bigint, nullable: false, primary_key: true}
    - {name: sku, type: text, nullable: false, unique: true}
    - name: status
      type: text
      nullable: false
      values: {active: on sale, retired: no longer sold}
    - {name: height_cm, type: integer, check: "CHECK (height_cm > 0)"}
    - name: care
      type: jsonb
      json_schema: {type: object, properties: {light: {type: string}, pet_safe: {type: boolean}}}
    - {name: created_at, type: timestamp with time zone, nullable: false}
  - schema: nursery
    name: orders
    columns:
    - {name: id, type: bigint, nullable: false, primary_key: true}
    - {name: plant_id, type: bigint, nullable: false, references: nursery.plants.id}
    - {name: quantity, type: integer, nullable: false, check: "quantity BETWEEN 1 AND 100"}
    - name: channel
      type: text
      values: {web: the web shop, shop: the shop on Elm Street}
    - {name: note, type: text}
"""

CLEAN = """
INSERT INTO nursery.plants VALUES
  (1, 'FERN-1', 'active', 30, '{"light": "low", "pet_safe": true}', now()),
  (2, 'MOSS-2', 'retired', NULL, NULL, now());
INSERT INTO nursery.orders VALUES (10, 1, 2, 'web', NULL), (11, 2, 100, NULL, 'gift');
"""
# Each kind of violation, the statements that make it, and a word of the check that must fail.
VIOLATIONS = {
    "missing value": ("INSERT INTO nursery.orders VALUES (12, 1, NULL, 'web', NULL)", "quantity"),
    "duplicate unique value": ("INSERT INTO nursery.plants VALUES (3, 'FERN-1', 'active', 5, NULL, now())", "sku"),
    "duplicate primary key": ("INSERT INTO nursery.orders VALUES (10, 2, 1, 'shop', NULL)", "id"),
    "value outside the value set": (
        "INSERT INTO nursery.plants VALUES (4, 'IVY-4', 'lost', 5, NULL, now())",
        "status",
    ),
    "foreign key to nowhere": ("INSERT INTO nursery.orders VALUES (13, 999, 1, 'web', NULL)", "plant_id"),
    "check constraint broken": (
        "INSERT INTO nursery.plants VALUES (5, 'OAK-5', 'active', -5, NULL, now())",
        "height_cm",
    ),
    "wrong column type": ("ALTER TABLE nursery.orders ALTER COLUMN note TYPE integer USING NULL", "note"),
    "missing column": ("ALTER TABLE nursery.plants DROP COLUMN created_at", "created_at"),
}


def _ddl(workspace: Workspace) -> str:
    """The plan's tables as PostgreSQL DDL, columns and types only, so that violations can be stored."""
    statements = []
    for schema in sorted({row["schema"] for row in workspace.rows("table")}):
        statements.append(f'CREATE SCHEMA "{schema}"')
    for table in workspace.rows("table", order_by="id"):
        columns = workspace.rows("column", "table_id = ?", (table["id"],), order_by="position, id")
        body = ", ".join(f'"{column["name"]}" {column["type"]}' for column in columns)
        statements.append(f'CREATE TABLE "{table["schema"]}"."{table["name"]}" ({body})')
    return ";\n".join(statements) + ";\n"


@pytest.fixture
def contract(postgres_server: PgServer, workspace: Workspace, tmp_path: Path) -> tuple[Path, str]:
    database = postgres_server.create_database(f"nursery_{os.getpid()}_{tmp_path.name[-12:]}".replace("-", "_"))
    load_plan(workspace, PLAN.replace("PORT", str(postgres_server.port)).replace("DATABASE", database), "plan.yaml")
    postgres_server.psql(database, _ddl(workspace))
    postgres_server.psql(
        database, "GRANT USAGE ON SCHEMA nursery TO dayone; GRANT SELECT ON ALL TABLES IN SCHEMA nursery TO dayone"
    )
    path = tmp_path / "nursery.odcs.yaml"
    path.write_text(render(workspace, workspace.integration("Nursery"), "odcs", Options()).text, encoding="utf-8")
    return path, database


def _test(postgres_server: PgServer, path: Path) -> list[dict]:
    results = path.with_suffix(".results.json")
    done = subprocess.run(
        [
            str(datacontract()),
            "test",
            str(path),
            "--server",
            "production",
            "--output-format",
            "json",
            "--output",
            str(results),
        ],
        capture_output=True,
        text=True,
        timeout=600,
        env={
            **os.environ,
            "DATACONTRACT_POSTGRES_USERNAME": "dayone",
            "DATACONTRACT_POSTGRES_PASSWORD": postgres_server.password,
        },
    )
    assert results.exists(), done.stdout[-3000:] + done.stderr[-3000:]
    run = json.loads(results.read_text(encoding="utf-8"))
    errors = [log["message"] for log in run["logs"] if log["level"] == "ERROR"]
    assert errors == []
    return run["checks"]


def _unreadable_json(check: dict) -> bool:
    """A check inside a JSON column, which datacontract-cli reports as a warning on every SQL database."""
    return (
        check["result"] == "warning"
        and (check.get("field") or "").startswith("care.")
        and "holds untyped data, such as json" in (check.get("reason") or "")
    )


def test_every_check_runs_and_passes_on_clean_data(postgres_server: PgServer, contract: tuple[Path, str]) -> None:
    path, database = contract
    postgres_server.psql(database, CLEAN)
    checks = _test(postgres_server, path)
    assert len(checks) >= 40
    # The JSON schema's nested properties are declared, and datacontract-cli says it cannot look inside a json
    # column; every other check runs and passes.
    nested = [check for check in checks if _unreadable_json(check)]
    assert {check["field"] for check in nested} == {"care.light", "care.pet_safe"}
    not_passed = [
        (check["name"], check["result"], check.get("reason"))
        for check in checks
        if check["result"] != "passed" and check not in nested
    ]
    assert not_passed == []
    kinds = {check["type"] for check in checks}
    assert {"field_is_present", "field_physical_type", "field_required", "field_unique", "field_relationships"} <= kinds
    # Quality rules: not-null (5 columns outside the keys), unique (1), two value sets and two check constraints.
    assert sum(check["category"] == "quality" for check in checks) == 10
    assert sum(check["type"] == "field_quality_sql" for check in checks) == 2  # the two check constraints


@pytest.mark.parametrize("kind", VIOLATIONS)
def test_each_kind_of_violation_is_caught(postgres_server: PgServer, contract: tuple[Path, str], kind: str) -> None:
    path, database = contract
    statement, column = VIOLATIONS[kind]
    postgres_server.psql(database, CLEAN + statement)
    checks = _test(postgres_server, path)
    failed = [check for check in checks if check["result"] == "failed"]
    assert failed, kind
    assert all(column in (check.get("field") or "") or column in check["name"] for check in failed), [
        check["name"] for check in failed
    ]
    assert not [
        check for check in checks if check["result"] not in ("passed", "failed") and not _unreadable_json(check)
    ]


@pytest.mark.parametrize("version", ["3.1.0", "3.2.0"])
def test_the_contract_is_valid_against_the_official_schema(
    contract: tuple[Path, str], version: str, workspace: Workspace
) -> None:
    text = render(workspace, workspace.integration("Nursery"), "odcs", Options(odcs_version=version)).text
    document = yaml.load(text, Loader=StringDates)
    errors = [
        f"{list(error.absolute_path)}: {error.message}"
        for error in Draft201909Validator(odcs_schema(version)).iter_errors(document)
    ]
    assert errors == []
    assert document["apiVersion"] == f"v{version}"
