"""What the database itself enforces of an agreement, as far as the workspace knows.

The workspace learns what a database enforces from a schema import (of the live database or of its DDL): the
primary keys, unique keys, NOT NULL, foreign keys and CHECK constraints of every column the last import read
came from the database's own definitions. A column typed by hand or loaded from a plan carries what was agreed,
and nothing is known about the database. A value set is enforced when an imported column's type is an enum
type, or when a CHECK recorded on the column names every agreed value; a time zone when the column's type
carries one; a JSON schema never.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from enum import StrEnum

from sqlglot import exp
from sqlglot.errors import SqlglotError

from tui.export.contract import Column, Table
from tui.references import table_ref
from tui.secrets import drop_controls, mask_secrets
from tui.store import Workspace


class Rule(StrEnum):
    """A kind of agreement about one column that a database or a check can enforce."""

    PRIMARY_KEY = "primary key"
    NOT_NULL = "not null"
    UNIQUE = "unique"
    FOREIGN_KEY = "foreign key"
    VALUES = "value set"
    TIMEZONE = "time zone"
    JSON_SCHEMA = "JSON schema"


_NAIVE_TIMESTAMPS = {exp.DataType.Type.TIMESTAMP, exp.DataType.Type.DATETIME, exp.DataType.Type.TIMESTAMPNTZ}
_ZONED_TIMESTAMPS = {exp.DataType.Type.TIMESTAMPTZ, exp.DataType.Type.TIMESTAMPLTZ}
_ENUMS = {exp.DataType.Type.USERDEFINED, exp.DataType.Type.ENUM}


def data_type(sql_type: str | None) -> exp.DataType | None:
    """A column's type as sqlglot reads it; an unknown name reads as a user-defined type, unreadable text as None."""
    if not sql_type:
        return None
    try:
        return exp.DataType.build(sql_type, dialect="postgres", udt=True)
    except (SqlglotError, ValueError):
        return None


def timestamp_zone(sql_type: str | None) -> bool | None:
    """True for a timestamp type that carries a time zone, False for one that does not, None for other types."""
    found = data_type(sql_type)
    if found is None:
        return None
    if found.this in _ZONED_TIMESTAMPS:
        return True
    return False if found.this in _NAIVE_TIMESTAMPS else None


def agreed_rules(column: Column, zoned: bool | None) -> Iterator[Rule]:
    """The agreements about one column, in the order a reader meets them; `zoned`: timestamps must carry a zone."""
    if column.primary_key:
        yield Rule.PRIMARY_KEY
    if not column.nullable and not column.primary_key:
        yield Rule.NOT_NULL
    if column.unique and not column.primary_key:
        yield Rule.UNIQUE
    if column.foreign_key:
        yield Rule.FOREIGN_KEY
    if column.value_set:
        yield Rule.VALUES
    if zoned and timestamp_zone(column.type) is not None:
        yield Rule.TIMEZONE
    if column.json_schema:
        yield Rule.JSON_SCHEMA


@dataclass(frozen=True)
class DatabaseKnowledge:
    """The columns the last schema import read from the database, as (table reference, column name)."""

    dialect: str | None
    imported: frozenset[tuple[str, str]]

    def enforces(self, table: Table, column: Column, rule: Rule) -> bool:
        """Whether the database is known to enforce `rule` on `column` already."""
        if rule is Rule.JSON_SCHEMA:
            return False
        if rule is Rule.TIMEZONE:
            return timestamp_zone(column.type) is True
        if rule is Rule.VALUES:
            return self._values_enforced(table, column)
        return (table_ref(table.schema, table.name), column.name) in self.imported

    def _values_enforced(self, table: Table, column: Column) -> bool:
        check = column.check or ""
        if check and all(f"'{code.replace(chr(39), chr(39) * 2)}'" in check for code in column.value_set):
            return True
        found = data_type(column.type)
        imported = (table_ref(table.schema, table.name), column.name) in self.imported
        return imported and found is not None and found.this in _ENUMS


def knowledge(workspace: Workspace, integration_id: int) -> DatabaseKnowledge:
    """What the integration's last schema import read, named as the (masked) contract names it."""
    found = workspace.query(
        "SELECT summary, dialect FROM imports WHERE integration_id = ? ORDER BY id DESC LIMIT 1", (integration_id,)
    )
    if not found:
        return DatabaseKnowledge(None, frozenset())
    snapshot = json.loads(found[0]["summary"] or "{}").get("snapshot", {})
    return DatabaseKnowledge(
        found[0]["dialect"],
        frozenset((_shown(key), _shown(column)) for key, columns in snapshot.items() for column in columns),
    )


def _shown(name: str) -> str:
    return drop_controls(mask_secrets(name)[0])
