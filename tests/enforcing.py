"""Plans for the exports that enforce a contract (CI jobs, constraint DDL, dbt sources), shared by their tests."""

from __future__ import annotations

import yaml
from credentials import CREDENTIALS
from hostile import PAYLOADS

# Keys, NOT NULL, a value set with a quote in it, a foreign key to a table whose name needs quoting, a naive
# timestamp where zones were agreed, a JSON schema, an updated-at column and an agreed latency.
PLAN = """
dayone: 1
integrations:
- name: Shop
  checklist:
    data_model.timezones: {status: agreed, answer: "timestamp with time zone, UTC"}
    contracts.sla: {status: agreed, answer: "Data at most 2 hours behind the shop"}
  tables:
  - schema: shop
    name: Customers
    updated_at_column: updated_at
    columns:
    - {name: id, type: bigint, nullable: false, primary_key: true}
    - {name: email, type: varchar(200), nullable: false, unique: true}
    - {name: updated_at, type: timestamp, nullable: false}
  - schema: shop
    name: order lines
    columns:
    - {name: id, type: bigint, nullable: false, primary_key: true}
    - {name: customer id, type: bigint, nullable: false, references: shop.Customers.id}
    - {name: status, type: varchar(20), values: {open: Open, "it's done": Done}}
    - {name: placed_at, type: timestamp without time zone}
    - {name: payload, type: jsonb, json_schema: {type: object}}
"""


def hostile_enforcing_plan() -> str:
    """One integration whose table, column and value names are the hostile payloads and every kind of credential,
    each column carrying every rule the exports write."""
    names = [*PAYLOADS, *(text for text, _ in CREDENTIALS), "quote \" and ' and ` and \\ and {{ x }} {% y %}"]
    parent = {
        "schema": "s",
        "name": 'Parent "{{ p }}"',
        "columns": [{"name": "id", "type": "bigint", "nullable": False, "primary_key": True}],
    }
    tables = [parent]
    for index, text in enumerate(names):
        plain = text
        tables.append(
            {
                "schema": f"s{index} {plain}",
                "name": f"t{index} {plain}",
                "description": text,
                "updated_at_column": f"c{index} {plain}",
                "test_data_marker": text,
                "columns": [
                    {
                        "name": f"c{index} {plain}",
                        "type": "timestamp",
                        "nullable": False,
                        "unique": True,
                        "description": text,
                    },
                    {
                        "name": f"v{index} {plain}",
                        "type": "text",
                        "values": {text: text, "ok": "fine"},
                        "references": 's."Parent ""{{ p }}""".id',
                        "json_schema": {"type": "object", "description": text},
                        "classification": text,
                    },
                ],
            }
        )
    entry = {
        "name": f"Hostile {names[6]} {CREDENTIALS[0][0]}",
        "checklist": {"data_model.timezones": {"status": "agreed", "answer": "timestamp with time zone, UTC"}},
        "tables": tables,
    }
    return yaml.safe_dump({"dayone": 1, "integrations": [entry]}, allow_unicode=True, sort_keys=False)
