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
from functools import lru_cache
from typing import TYPE_CHECKING

from tui.enums import CheckRule
from tui.export.contract import Column, Table
from tui.references import table_ref
from tui.secrets import drop_controls, mask_secrets
from tui.store import Workspace

if TYPE_CHECKING:
    from sqlglot import exp

# sqlglot's names of the types (DataType.Type), so that the planning screen imports sqlglot only when it reads one.
_NAIVE_TIMESTAMPS = {"TIMESTAMP", "DATETIME", "TIMESTAMPNTZ"}
_ZONED_TIMESTAMPS = {"TIMESTAMPTZ", "TIMESTAMPLTZ"}
_ENUMS = {"USERDEFINED", "ENUM"}


@lru_cache(maxsize=4096)
def data_type(sql_type: str | None) -> exp.DataType | None:
    """A column's type as sqlglot reads it; an unknown name reads as a user-defined type, unreadable text as None.

    Types repeat across thousands of columns: each spelling is read once (callers only read the result)."""
    if not sql_type:
        return None
    from sqlglot import exp
    from sqlglot.errors import SqlglotError

    try:
        return exp.DataType.build(sql_type, dialect="postgres", udt=True)
    except (SqlglotError, ValueError):
        return None


def timestamp_zone(sql_type: str | None) -> bool | None:
    """True for a timestamp type that carries a time zone, False for one that does not, None for other types."""
    found = data_type(sql_type)
    if found is None:
        return None
    if found.this.name in _ZONED_TIMESTAMPS:
        return True
    return False if found.this.name in _NAIVE_TIMESTAMPS else None


def agreed_rules(column: Column, zoned: bool | None) -> Iterator[CheckRule]:
    """The agreements about one column, in the order a reader meets them; `zoned`: timestamps must carry a zone."""
    if column.primary_key:
        yield CheckRule.PRIMARY_KEY
    if not column.nullable and not column.primary_key:
        yield CheckRule.NOT_NULL
    if column.unique and not column.primary_key:
        yield CheckRule.UNIQUE
    if column.foreign_key:
        yield CheckRule.FOREIGN_KEY
    if column.value_set:
        yield CheckRule.VALUE_SET
    if zoned and timestamp_zone(column.type) is not None:
        yield CheckRule.TIME_ZONE
    if column.json_schema:
        yield CheckRule.JSON_SCHEMA


# The column field each rule the import reads is kept in: edited by hand since, it is an agreement again.
_FIELDS = {
    CheckRule.PRIMARY_KEY: "primary_key",
    CheckRule.NOT_NULL: "nullable",
    CheckRule.UNIQUE: "is_unique",
    CheckRule.FOREIGN_KEY: "foreign_key",
    CheckRule.VALUE_SET: "type",
}


@dataclass(frozen=True)
class DatabaseKnowledge:
    """The columns the last schema import read from the database, as (table reference, column name), and the
    fields of them edited by hand since, as (table reference, column name, field)."""

    dialect: str | None
    imported: frozenset[tuple[str, str]]
    edited: frozenset[tuple[str, str, str]] = frozenset()

    def _read(self, table: Table, column: Column, rule: CheckRule) -> bool:
        """Whether the last import read the column and nobody changed what `rule` is about since."""
        ref = table_ref(table.schema, table.name)
        return (ref, column.name) in self.imported and (ref, column.name, _FIELDS[rule]) not in self.edited

    def enforces(self, table: Table, column: Column, rule: CheckRule) -> bool:
        """Whether the database is known to enforce `rule` on `column` already."""
        if rule is CheckRule.JSON_SCHEMA:
            return False
        if rule is CheckRule.TIME_ZONE:
            return timestamp_zone(column.type) is True
        if rule is CheckRule.VALUE_SET:
            return self._values_enforced(table, column)
        return self._read(table, column, rule)

    def _values_enforced(self, table: Table, column: Column) -> bool:
        check = column.check or ""
        if check and all(f"'{code.replace(chr(39), chr(39) * 2)}'" in check for code in column.value_set):
            return True
        if not self._read(table, column, CheckRule.VALUE_SET):
            return False
        found = data_type(column.type)
        return found is not None and found.this.name in _ENUMS


def knowledge(workspace: Workspace, integration_id: int, masked: bool = True) -> DatabaseKnowledge:
    """What the integration's last schema import read, named as the masked contract names it (or as the
    workspace does, for the screens)."""
    found = workspace.query(
        "SELECT at, summary, dialect FROM imports WHERE integration_id = ? ORDER BY id DESC LIMIT 1",
        (integration_id,),
    )
    if not found:
        return DatabaseKnowledge(None, frozenset())
    snapshot = json.loads(found[0]["summary"] or "{}").get("snapshot", {})
    edited = workspace.query(
        "SELECT DISTINCT t.schema, t.name, c.name, ch.field FROM changes ch JOIN columns c ON c.id = ch.row_id"
        " JOIN tables t ON t.id = c.table_id WHERE ch.integration_id = ? AND ch.entity = 'column'"
        f" AND ch.action = 'update' AND ch.at > ? AND ch.field IN ({', '.join('?' * len(_FIELDS))})",
        (integration_id, found[0]["at"], *_FIELDS.values()),
    )
    name = _shown if masked else str
    return DatabaseKnowledge(
        found[0]["dialect"],
        frozenset((name(key), name(column)) for key, columns in snapshot.items() for column in columns),
        frozenset((name(table_ref(schema, table)), name(column), field) for schema, table, column, field in edited),
    )


def _shown(name: str) -> str:
    return drop_controls(mask_secrets(name)[0])
