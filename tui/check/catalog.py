"""What the live database itself says about the agreed tables: columns, keys and the constraints it enforces.

Read through SQLAlchemy's reflection, one schema at a time, for the schemas the contract names. A constraint
counts as enforced only when the database has validated it against every row: PostgreSQL keeps a flag for foreign
keys and CHECKs added NOT VALID; SQLite enforces foreign keys only on connections that ask for it, so its foreign
keys never prove a relationship; MySQL and MariaDB accept rows that break a foreign key while its checks are off.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import inspect, text
from sqlalchemy.engine.reflection import ObjectKind

from tui.check.connect import Database
from tui.importers.live import type_name
from tui.importers.spelling import normal_type
from tui.references import split

_JSON_VALID = re.compile(r"json_valid\(`((?:[^`]|``)+)`\)", re.IGNORECASE)
# SQLAlchemy's dialect names as sqlglot (the type normal form) reads them.
SQLGLOT_DIALECTS = {"postgresql": "postgres", "sqlite": "sqlite", "mysql": "mysql", "mariadb": "mysql"}


@dataclass
class LiveColumn:
    name: str
    type: str  # as the database spells it
    normal: str | None  # tui.importers.spelling's normal form
    nullable: bool
    textual: bool  # a character type: compared as text without a cast
    enum: tuple[str, ...] = ()  # the labels of an enumerated type


@dataclass
class LiveTable:
    schema: str | None  # the database's schema name (None: the default schema)
    name: str
    columns: dict[str, LiveColumn]
    primary_key: tuple[str, ...] = ()
    unique: set[tuple[str, ...]] = field(default_factory=set)  # unique constraints and unique indexes
    # column -> (referenced schema, table, column), for foreign keys the database has validated
    foreign_keys: dict[str, tuple[str | None, str, str]] = field(default_factory=dict)
    # column -> the (schema, table, column) of every declared foreign key, validated or not
    declared: dict[str, tuple[str | None, str, str]] = field(default_factory=dict)
    checks: list[str] = field(default_factory=list)  # the text of enforced CHECK constraints

    def column(self, name: str) -> LiveColumn | None:
        """A column by its agreed name; case is ignored where the match is otherwise unique."""
        if name in self.columns:
            return self.columns[name]
        found = [column for key, column in self.columns.items() if key.lower() == name.lower()]
        return found[0] if len(found) == 1 else None


class Catalog:
    """The live tables, found by the schema and name a contract gives them."""

    def __init__(self, database: Database) -> None:
        self.database = database
        self.dialect = database.dialect
        self.sqlglot = SQLGLOT_DIALECTS.get(self.dialect)
        self._inspector = inspect(database.connection)
        self.default_schema = self._inspector.default_schema_name
        self._schemas = set(self._inspector.get_schema_names())
        self._read: dict[str | None, dict[str, LiveTable]] = {}
        self._unvalidated = self._pg_unvalidated() if self.dialect == "postgresql" else set()

    def schema_of(self, agreed: str) -> str | None:
        """The database schema an agreed schema name means: itself where it exists, else the default one.

        SQLite and MySQL have no schemas inside a database: a contract written for a PostgreSQL schema checks
        the tables of the database connected to.
        """
        if not agreed or agreed == self.default_schema:
            return None
        if agreed in self._schemas:
            return agreed
        return agreed if self.dialect == "postgresql" else None

    def table(self, agreed_schema: str, name: str) -> LiveTable | None:
        schema = self.schema_of(agreed_schema)
        tables = self._tables(schema)
        if name in tables:
            return tables[name]
        found = [table for key, table in tables.items() if key.lower() == name.lower()]
        return found[0] if len(found) == 1 and self.dialect != "postgresql" else None

    def target(self, reference: str, from_schema: str) -> tuple[LiveTable, LiveColumn] | None:
        """The live table and column a foreign-key reference of the contract names."""
        parts = split(reference)
        if not parts or len(parts) < 2:
            return None
        schema = parts[-3] if len(parts) == 3 else ""
        table = self.table(schema, parts[-2])
        if table is None:
            return None
        column = table.column(parts[-1])
        return (table, column) if column else None

    def _tables(self, schema: str | None) -> dict[str, LiveTable]:
        if schema in self._read:
            return self._read[schema]
        if schema is not None and schema not in self._schemas:
            self._read[schema] = {}
            return {}
        found = self._reflect(schema)
        self._read[schema] = found
        return found

    def _reflect(self, schema: str | None) -> dict[str, LiveTable]:
        inspector, dialect = self._inspector, self.database.connection.dialect
        # Views (and materialized views) too: a contract may agree on one; they have no keys to reflect.
        columns = inspector.get_multi_columns(schema=schema, kind=ObjectKind.ANY)
        keys = _multi(inspector.get_multi_pk_constraint, schema)
        uniques = _multi(inspector.get_multi_unique_constraints, schema)
        indexes = _multi(inspector.get_multi_indexes, schema)
        foreign = _multi(inspector.get_multi_foreign_keys, schema)
        checks = _multi(inspector.get_multi_check_constraints, schema)
        declared, sqlite_unique = self._sqlite_declared() if self.dialect == "sqlite" else ({}, {})
        mysql_checks: dict[str, list[str]] = {}
        if self.dialect in ("mysql", "mariadb"):
            declared, mysql_checks = self._mysql_declared(schema)
        tables = {}
        for (_, name), found in columns.items():
            key = (schema, name)
            table = LiveTable(schema=schema, name=name, columns={})
            for info in found:
                kind = info["type"]
                spelled = declared.get((name, info["name"])) or type_name(kind, dialect)
                table.columns[info["name"]] = LiveColumn(
                    name=info["name"],
                    type=spelled,
                    normal=normal_type(spelled, self.sqlglot),
                    nullable=bool(info.get("nullable", True)),
                    textual=_is_text(kind),
                    enum=tuple(getattr(kind, "enums", None) or ()),
                )
            table.primary_key = tuple((keys.get(key) or {}).get("constrained_columns") or ())
            table.unique.update(sqlite_unique.get(name, ()))
            for unique in uniques.get(key) or ():
                table.unique.add(tuple(unique.get("column_names") or ()))
            for index in indexes.get(key) or ():
                if index.get("unique") and not index.get("dialect_options", {}).get("postgresql_where"):
                    names = index.get("column_names") or ()
                    if names and all(names):
                        table.unique.add(tuple(names))
            for fk in foreign.get(key) or ():
                target_schema = fk.get("referred_schema")
                for local, remote in zip(fk["constrained_columns"], fk["referred_columns"], strict=False):
                    reference = (target_schema, fk["referred_table"], remote)
                    table.declared[local] = reference
                    if self._enforced(schema, name, fk.get("name")):
                        table.foreign_keys[local] = reference
            table.checks.extend(mysql_checks.get(name, ()))
            for check in () if self.dialect in ("mysql", "mariadb") else checks.get(key) or ():
                if self.dialect != "postgresql" or self._validated(schema, name, check.get("name")):
                    table.checks.append(str(check.get("sqltext") or ""))
            tables[name] = table
        return tables

    def _sqlite_declared(self) -> tuple[dict[tuple[str, str], str], dict[str, set[tuple[str, ...]]]]:
        """Each column's type as SQLite's CREATE TABLE wrote it (reflection would guess an affinity), and every
        unique index of each table, those SQLite makes itself for UNIQUE columns included."""
        rows = self.database.run(
            text(
                "SELECT m.name, p.name, p.type FROM sqlite_master m JOIN pragma_table_info(m.name) p"
                " WHERE m.type = 'table'"
            ),
            "reading the declared column types",
        )
        indexed = self.database.run(
            text(
                "SELECT m.name, l.name, i.name FROM sqlite_master m JOIN pragma_index_list(m.name) l"
                " JOIN pragma_index_info(l.name) i WHERE m.type = 'table' AND l.\"unique\" AND NOT l.partial"
                " ORDER BY m.name, l.name, i.seqno"
            ),
            "reading the unique indexes",
        )
        keys: dict[tuple[str, str], list[str]] = {}
        for table, index, column in indexed:
            keys.setdefault((table, index), []).append(column)
        unique: dict[str, set[tuple[str, ...]]] = {}
        for (table, _), columns in keys.items():
            unique.setdefault(table, set()).add(tuple(columns))
        return {(table, column): kind for table, column, kind in rows if kind}, unique

    def _mysql_declared(self, schema: str | None) -> tuple[dict[tuple[str, str], str], dict[str, list[str]]]:
        """Types as MySQL spells them (`int(11)`, `enum('a','b')`), as the schema import reads them; MariaDB's
        JSON is a LONGTEXT that a json_valid() CHECK keeps to JSON, and reads as json."""
        where = "= DATABASE()" if schema is None else "= :schema"
        params = {} if schema is None else {"schema": schema}
        rows = self.database.run(
            text(
                "SELECT TABLE_NAME, COLUMN_NAME, COLUMN_TYPE FROM information_schema.COLUMNS"
                f" WHERE TABLE_SCHEMA {where}"
            ).bindparams(**params),
            "reading the column types",
        )
        checks = self.database.run(
            text(
                "SELECT TABLE_NAME, CHECK_CLAUSE FROM information_schema.CHECK_CONSTRAINTS"
                f" WHERE CONSTRAINT_SCHEMA {where}"
            ).bindparams(**params),
            "reading the check constraints",
        )
        json_columns = {
            (table, found.group(1).replace("``", "`"))
            for table, clause in checks
            if (found := _JSON_VALID.fullmatch(" ".join(str(clause).split())))
        }
        types = {
            (table, column): "json" if (table, column) in json_columns else str(kind) for table, column, kind in rows
        }
        clauses: dict[str, list[str]] = {}
        for table, clause in checks:
            clauses.setdefault(table, []).append(str(clause))
        return types, clauses

    def _enforced(self, schema: str | None, table: str, name: str | None) -> bool:
        """Whether a declared foreign key holds for every row: only PostgreSQL's validated ones are known to."""
        return self.dialect == "postgresql" and self._validated(schema, table, name)

    def _validated(self, schema: str | None, table: str, name: str | None) -> bool:
        return (schema or self.default_schema, table, name) not in self._unvalidated

    def _pg_unvalidated(self) -> set[tuple[str, str, str]]:
        rows = self.database.run(
            text(
                "SELECT n.nspname, c.relname, k.conname FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid"
                " JOIN pg_namespace n ON n.oid = c.relnamespace WHERE NOT k.convalidated"
            ),
            "reading which constraints are validated",
        )
        return {(schema, table, name) for schema, table, name in rows}


def _multi(method: Any, schema: str | None) -> dict[tuple[str | None, str], Any]:
    try:
        return dict(method(schema=schema))
    except NotImplementedError:
        return {}


def _is_text(kind: Any) -> bool:
    from sqlalchemy import Enum, String

    return isinstance(kind, String) and not isinstance(kind, Enum)
