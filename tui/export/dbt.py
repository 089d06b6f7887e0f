"""A dbt `sources.yml` for the data team's own project: the agreed tables as sources, with tests and freshness.

Each schema is a source; each agreed rule becomes dbt's own test on the column (`not_null`, `unique`,
`accepted_values`, `relationships` to the referenced source table), and a table with an updated-at column gets
it as `loaded_at_field` with freshness limits from the agreed latency (warn past it, error past twice it).
Every rule is written, whatever the database enforces: the warehouse's copy is where dbt tests it.

dbt renders Jinja in these files, so text from the workspace is written as Jinja that prints it literally;
`accepted_values` puts each value between single quotes in SQL unescaped, so those are doubled here.
"""

from __future__ import annotations

import json
import re
from typing import Any

from tui.agreement import Agreement
from tui.export.contract import Column, Table
from tui.export.lines import comment
from tui.export.yaml_text import dump
from tui.references import split

_JINJA_START = re.compile(r"\{[{%#]")
_PLAIN_NAME = re.compile(r"[a-z_][a-z0-9_]*")
_PLAIN_STRING = re.compile(r"[^'\\\x00-\x1f\x7f-\x9f]*")
# Freshness limits are written in the largest of dbt's periods that counts the latency whole.
_PERIODS = (("day", 86400), ("hour", 3600), ("minute", 60))


def literal(text: str | None) -> str:
    """Text that dbt's Jinja prints as it is: each `{{`, `{%` or `{#` becomes an expression printing it."""
    if not text:
        return text or ""
    return _JINJA_START.sub(lambda found: "{{ '" + found.group() + "' }}", text)


def render_dbt(agreement: Agreement, stem: str) -> str:
    sources: dict[str, dict[str, Any]] = {}
    for table in agreement.tables:
        source_name = table.schema or stem.replace("-", "_")
        source = sources.setdefault(source_name, _source(table.schema, source_name))
        source["tables"].append(_table(table, stem, agreement.latency_seconds))
    header = [
        f"# dbt sources for the data contract of {comment(agreement.name)}, written by dayone.",
        "# Save it in your dbt project's models folder; `dbt test --select source:*` runs the tests and",
        "# `dbt source freshness` checks the tables with an updated-at column.",
    ]
    composite = [comment(table.name) for table in agreement.tables if sum(c.primary_key for c in table.columns) > 1]
    if composite:
        header.append(
            "# Keys of several columns are tested column by column (not_null); their combination needs"
            f" dbt_utils.unique_combination_of_columns: {', '.join(composite)}"
        )
    if agreement.latency_seconds is None:
        header.append("# No latency was agreed: those tables name their loaded_at_field but have no freshness limits.")
    return "\n".join(header) + "\n" + dump({"version": 2, "sources": list(sources.values())})


def _source(schema: str, source_name: str) -> dict[str, Any]:
    source: dict[str, Any] = {"name": literal(source_name)}
    if schema:
        source["schema"] = literal(schema)
        if not _PLAIN_NAME.fullmatch(schema):
            source["quoting"] = {"schema": True}
    source["tables"] = []
    return source


def _table(table: Table, stem: str, latency: int | None) -> dict[str, Any]:
    entry: dict[str, Any] = {"name": literal(table.name)}
    if table.description:
        entry["description"] = literal(table.description)
    if not _PLAIN_NAME.fullmatch(table.name):
        entry["quoting"] = {"identifier": True}
    if table.updated_at_column:
        entry["loaded_at_field"] = literal(_sql_name(table.updated_at_column))
        if latency:
            entry["freshness"] = {"warn_after": _limit(latency), "error_after": _limit(2 * latency)}
    keys = [column for column in table.columns if column.primary_key]
    entry["columns"] = [_column(column, table, stem, len(keys) == 1) for column in table.columns]
    return entry


def _column(column: Column, table: Table, stem: str, single_key: bool) -> dict[str, Any]:
    entry: dict[str, Any] = {"name": literal(column.name)}
    if column.description:
        entry["description"] = literal(column.description)
    if column.type:
        entry["data_type"] = literal(column.type)
    if not _PLAIN_NAME.fullmatch(column.name):
        entry["quote"] = True
    tests: list[Any] = []
    if not column.nullable or column.primary_key:
        tests.append("not_null")
    if column.unique or (column.primary_key and single_key):
        tests.append("unique")
    if column.value_set:
        values = [literal(code.replace("'", "''")) for code in column.value_set]
        tests.append({"accepted_values": {"values": values}})
    target = _target(column.foreign_key, table, stem)
    if target is not None:
        tests.append({"relationships": {"to": target[0], "field": literal(target[1])}})
    if tests:
        entry["data_tests"] = tests
    return entry


def _target(reference: str | None, table: Table, stem: str) -> tuple[str, str] | None:
    """`source('schema', 'table')` and the column a foreign key references; None when it does not read."""
    parts = split(reference or "")
    if not parts or len(parts) not in (2, 3):
        return None
    *table_parts, column = parts
    schema, name = (table_parts[0], table_parts[1]) if len(table_parts) == 2 else ("", table_parts[0])
    source_name = schema or stem.replace("-", "_")
    return f"source({_jinja_string(source_name)}, {_jinja_string(name)})", _sql_name(column)


def _jinja_string(text: str) -> str:
    """A Jinja string literal: in single quotes when nothing in it needs escaping, else JSON's escapes."""
    if _PLAIN_STRING.fullmatch(text):
        return f"'{text}'"
    return json.dumps(text, ensure_ascii=False)


def _sql_name(name: str) -> str:
    """A column named in the SQL dbt writes: bare when plain, else in double quotes."""
    return name if _PLAIN_NAME.fullmatch(name) else '"' + name.replace('"', '""') + '"'


def _limit(seconds: int) -> dict[str, Any]:
    for period, length in _PERIODS:
        if seconds >= length and seconds % length == 0:
            return {"count": seconds // length, "period": period}
    return {"count": max(1, -(-seconds // 60)), "period": "minute"}
