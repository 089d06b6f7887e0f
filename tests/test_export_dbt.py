"""`dayone export --format dbt`: a sources.yml valid against dbt's published schema, with the agreed tests.

dbt-core itself needs an adapter and a project to parse a file; dbt Labs' JSON schema for properties files
(tests/fixtures/dbt) checks the same shape without either.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from credentials import CREDENTIALS
from enforcing import PLAN, hostile_enforcing_plan
from jinja2 import Environment
from jsonschema import Draft7Validator

from tui.export import render
from tui.plan import load_plan
from tui.store import Workspace

pytestmark = pytest.mark.core
SCHEMA = json.loads((Path(__file__).parent / "fixtures" / "dbt" / "dbt_yml_files-latest.json").read_text())


def sources(workspace: Workspace, plan: str) -> tuple[str, dict]:
    load_plan(workspace, plan, "plan.yaml")
    rendered = render(workspace, workspace.integrations()[0], "dbt")
    assert rendered.filename.endswith("-dbt-sources.yml") and rendered.more == []
    document = yaml.safe_load(rendered.text)
    errors = [f"{list(error.path)}: {error.message}" for error in Draft7Validator(SCHEMA).iter_errors(document)]
    assert errors == []
    return rendered.text, document


def test_the_agreed_rules_become_dbt_tests_and_freshness(workspace: Workspace) -> None:
    _, document = sources(workspace, PLAN)
    (source,) = document["sources"]
    assert source["name"] == "shop" and source["schema"] == "shop"
    tables = {table["name"]: table for table in source["tables"]}
    customers = tables["Customers"]
    assert customers["quoting"] == {"identifier": True}
    assert customers["loaded_at_field"] == "updated_at"
    # Two hours agreed: warn past it, error past twice it.
    assert customers["freshness"] == {
        "warn_after": {"count": 2, "period": "hour"},
        "error_after": {"count": 4, "period": "hour"},
    }
    columns = {column["name"]: column for column in customers["columns"]}
    assert columns["id"]["data_tests"] == ["not_null", "unique"]
    assert columns["email"]["data_tests"] == ["not_null", "unique"]
    lines = {column["name"]: column for column in tables["order lines"]["columns"]}
    assert lines["customer id"]["quote"] is True
    assert lines["customer id"]["data_tests"] == [
        "not_null",
        {"relationships": {"to": "source('shop', 'Customers')", "field": "id"}},
    ]
    # dbt puts each value between single quotes in SQL as it is.
    assert lines["status"]["data_tests"] == [{"accepted_values": {"values": ["open", "it''s done"]}}]
    assert "freshness" not in tables["order lines"]


def test_without_an_agreed_latency_there_are_no_limits(workspace: Workspace) -> None:
    text, document = sources(workspace, PLAN.replace("Data at most 2 hours behind the shop", "best effort"))
    customers = document["sources"][0]["tables"][0]
    assert customers["loaded_at_field"] == "updated_at" and "freshness" not in customers
    assert "# No latency was agreed" in text


def test_hostile_text_stays_text_for_yaml_and_jinja(workspace: Workspace) -> None:
    text, document = sources(workspace, hostile_enforcing_plan())
    assert [secret for _, secret in CREDENTIALS if secret in text] == []
    jinja = Environment()
    rendered = []
    for source in document["sources"]:
        for table in source["tables"]:
            rendered.append(jinja.from_string(table["name"]).render())
            for column in table["columns"]:
                rendered.append(jinja.from_string(column["name"]).render())
                for test in column.get("data_tests", ()):
                    if isinstance(test, dict) and "relationships" in test:
                        # `to` is one Jinja expression naming a source table that is there.
                        called = jinja.from_string("{{ " + test["relationships"]["to"] + " }}").render(
                            source=lambda schema, name: json.dumps([schema, name])
                        )
                        schema, name = json.loads(called)
                        assert (
                            name
                            in [
                                jinja.from_string(each["name"]).render()
                                for each in document["sources"]
                                for each in each["tables"]
                            ]
                            and schema == "s"
                        )
    # Names dbt renders read back as the workspace holds them, braces and all.
    assert 'Parent "{{ p }}"' in rendered
    assert any("{{ x }} {% y %}" in name for name in rendered)
