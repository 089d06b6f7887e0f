"""DDL that makes the database itself enforce what was agreed: a proposal for the software team, per dialect.

Only what the database does not already enforce, as far as the workspace knows (tui.enforced), in the order
the database needs it: primary and unique keys (a foreign key needs one at its target), NOT NULL, value sets
as CHECK constraints, foreign keys, then timestamps moved to a type with a time zone where one was agreed.
PostgreSQL gets one transaction that adds CHECK constraints and foreign keys `NOT VALID`, then validates each
on its own, which does not block writes. MySQL and MariaDB check existing rows as each constraint is added.
SQLite cannot add constraints to an existing table but unique keys (as unique indexes); its file says what
needs a rebuild. Every comment is one line of workspace text made inert (tui.export.lines).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from tui.agreement import Agreement
from tui.enforced import DatabaseKnowledge, agreed_rules, data_type
from tui.enums import CheckRule
from tui.export.contract import Column, Table
from tui.export.identifiers import DIALECTS, constraint_name, literal, name
from tui.export.identifiers import table as table_name
from tui.export.lines import comment
from tui.references import column_ref, split, table_ref

# The order rules are proposed in: a foreign key needs the key at its target first.
_ORDER = (
    CheckRule.PRIMARY_KEY,
    CheckRule.UNIQUE,
    CheckRule.NOT_NULL,
    CheckRule.VALUE_SET,
    CheckRule.FOREIGN_KEY,
    CheckRule.TIME_ZONE,
)
_HEADINGS = {
    CheckRule.PRIMARY_KEY: "Primary keys",
    CheckRule.UNIQUE: "Unique keys",
    CheckRule.NOT_NULL: "NOT NULL",
    CheckRule.VALUE_SET: "Agreed value sets, as CHECK constraints",
    CheckRule.FOREIGN_KEY: "Foreign keys",
    CheckRule.TIME_ZONE: "Timestamps with a time zone",
}


@dataclass(frozen=True)
class Wanted:
    """One agreement the database does not enforce yet: a rule on a column (all key columns for a primary key)."""

    rule: CheckRule
    table: Table
    columns: tuple[Column, ...]

    @property
    def column(self) -> Column:
        return self.columns[0]

    def about(self) -> str:
        """The comment line that says what is agreed and where."""
        where = column_ref(self.table.schema, self.table.name, self.column.name)
        if self.rule is CheckRule.PRIMARY_KEY:
            keys = ", ".join(column.name for column in self.columns)
            return comment(f"{table_ref(self.table.schema, self.table.name)}: primary key ({keys})")
        if self.rule is CheckRule.VALUE_SET:
            return comment(f"{where}: one of {', '.join(self.column.value_set)}")
        if self.rule is CheckRule.FOREIGN_KEY:
            return comment(f"{where} references {self.column.foreign_key}")
        if self.rule is CheckRule.TIME_ZONE:
            return comment(f"{where}: {self.column.type or 'a timestamp'} without a time zone")
        return comment(f"{where}: {self.rule.value}")


def wanted(agreement: Agreement, known: DatabaseKnowledge) -> list[Wanted]:
    """What the database should enforce and does not yet, as far as the workspace knows, in `_ORDER`."""
    found: list[Wanted] = []
    zoned = agreement.timestamps_zoned
    for table in agreement.tables:
        keys = [column for column in table.columns if column.primary_key]
        if keys and not all(known.enforces(table, column, CheckRule.PRIMARY_KEY) for column in keys):
            found.append(Wanted(CheckRule.PRIMARY_KEY, table, tuple(keys)))
        for column in table.columns:
            for rule in agreed_rules(column, zoned):
                if rule in (CheckRule.PRIMARY_KEY, CheckRule.JSON_SCHEMA) or known.enforces(table, column, rule):
                    continue
                found.append(Wanted(rule, table, (column,)))
    return sorted(found, key=lambda each: _ORDER.index(each.rule))


def render_constraints(agreement: Agreement, known: DatabaseKnowledge) -> list[str]:
    """The PostgreSQL, MySQL/MariaDB and SQLite files, in that order."""
    found = wanted(agreement, known)
    json_columns = [
        column_ref(table.schema, table.name, column.name)
        for table in agreement.tables
        for column in table.columns
        if column.json_schema
    ]
    return [
        _file(dialect, agreement, known, found, json_columns, writer)
        for dialect, writer in (("postgres", _postgres), ("mysql", _mysql), ("sqlite", _sqlite))
    ]


def _file(
    dialect: str,
    agreement: Agreement,
    known: DatabaseKnowledge,
    found: list[Wanted],
    json_columns: list[str],
    writer: Callable[[list[Wanted]], list[str]],
) -> str:
    lines = [
        f"-- Constraints for {DIALECTS[dialect]}: the data contract of {comment(agreement.name)}",
        "--",
        "-- A proposal for the software team: the database itself enforces what was agreed with the data team.",
        "-- Review it, then run it as a migration. It holds only what the database does not enforce already,",
        f"-- as far as dayone knows: {_known(known)}.",
    ]
    if json_columns:
        lines.append("-- JSON schemas are not in here (no database checks one): dayone check enforces them, on")
        lines += [f"--   {comment(each)}" for each in json_columns]
    lines.append("")
    body = writer(found) if found else ["-- Nothing to add: every agreement it can enforce is there."]
    return "\n".join(lines + body) + "\n"


def _known(known: DatabaseKnowledge) -> str:
    if not known.imported:
        return "no schema was imported, so every agreed key, NOT NULL and value set is listed"
    return (
        f"the keys, NOT NULL and CHECK constraints the last schema import read ({known.dialect or 'SQL'}) are left out"
    )


def _target(reference: str, dialect: str) -> tuple[str, str] | None:
    """The table and column a foreign key references, in SQL; None when the reference does not read."""
    parts = split(reference)
    if not parts or len(parts) not in (2, 3):
        return None
    *table_parts, column = parts
    schema, table = (table_parts[0], table_parts[1]) if len(table_parts) == 2 else ("", table_parts[0])
    return table_name(schema, table, dialect), name(column, dialect)


def _check(item: Wanted, dialect: str) -> str:
    values = ", ".join(literal(code, dialect) for code in item.column.value_set)
    return f"{name(item.column.name, dialect)} IN ({values})"


def _constraint(item: Wanted, kind: str, dialect: str) -> str:
    whole = "\x00".join((item.table.schema, item.table.name, item.column.name, kind))
    return name(constraint_name(item.table.name, item.column.name, kind, whole), dialect)


def _sections(found: list[Wanted], dialect: str, statement: Callable[[Wanted], list[str]]) -> list[str]:
    lines: list[str] = []
    for rule in _ORDER:
        items = [item for item in found if item.rule is rule]
        if not items:
            continue
        lines += [f"-- {_HEADINGS[rule]}", ""]
        for item in items:
            lines += [f"-- {item.about()}", *statement(item), ""]
    return lines


_KEYS = (CheckRule.PRIMARY_KEY, CheckRule.UNIQUE)


def _alter(item: Wanted, dialect: str) -> tuple[str, str]:
    """`ALTER TABLE` and the item's table, and its column's name, each quoted for the dialect."""
    return f"ALTER TABLE {table_name(item.table.schema, item.table.name, dialect)}", name(item.column.name, dialect)


def _add_key(item: Wanted, dialect: str) -> str:
    """The statement adding the primary key or the unique constraint an item wants."""
    alter, column = _alter(item, dialect)
    if item.rule is CheckRule.UNIQUE:
        return f"{alter} ADD CONSTRAINT {_constraint(item, 'key', dialect)} UNIQUE ({column});"
    keys = ", ".join(name(each.name, dialect) for each in item.columns)
    # MySQL names every primary key PRIMARY, whatever name it is given.
    named = "" if dialect == "mysql" else f"CONSTRAINT {_constraint(item, 'pkey', dialect)} "
    return f"{alter} ADD {named}PRIMARY KEY ({keys});"


def _postgres(found: list[Wanted]) -> list[str]:
    dialect = "postgres"
    zone = "UTC"
    validate: list[str] = []

    def statement(item: Wanted) -> list[str]:
        alter, column = _alter(item, dialect)
        if item.rule in _KEYS:
            return [_add_key(item, dialect)]
        if item.rule is CheckRule.NOT_NULL:
            return [f"{alter} ALTER COLUMN {column} SET NOT NULL;"]
        if item.rule is CheckRule.VALUE_SET:
            constraint = _constraint(item, "check", dialect)
            validate.append(f"{alter} VALIDATE CONSTRAINT {constraint};")
            return [f"{alter} ADD CONSTRAINT {constraint} CHECK ({_check(item, dialect)}) NOT VALID;"]
        if item.rule is CheckRule.FOREIGN_KEY:
            target = _target(item.column.foreign_key or "", dialect)
            if target is None:
                return [f"-- not a column reference: {comment(item.column.foreign_key)}"]
            constraint = _constraint(item, "fkey", dialect)
            validate.append(f"{alter} VALIDATE CONSTRAINT {constraint};")
            return [
                f"{alter} ADD CONSTRAINT {constraint} FOREIGN KEY ({column})"
                f" REFERENCES {target[0]} ({target[1]}) NOT VALID;"
            ]
        return [
            f"-- Stored values are read as {zone} time; name the zone they were written in if it is another.",
            f"{alter} ALTER COLUMN {column} TYPE timestamptz USING {column} AT TIME ZONE {literal(zone, dialect)};",
        ]

    lines = [
        "-- Part 1 runs in one transaction: if any statement fails (a row breaks the rule), nothing changes.",
        "-- SET NOT NULL, new keys and type changes read the whole table under a lock that blocks writes.",
        "BEGIN;",
        "",
        *_sections(found, dialect, statement),
        "COMMIT;",
    ]
    if validate:
        lines += [
            "",
            "-- Part 2: check the existing rows against the constraints added NOT VALID, one at a time; new and",
            "-- changed rows are checked since part 1. Validating does not block writes.",
            *validate,
        ]
    return lines


def _mysql(found: list[Wanted]) -> list[str]:
    dialect = "mysql"

    def statement(item: Wanted) -> list[str]:
        alter, column = _alter(item, dialect)
        if item.rule in _KEYS:
            return [_add_key(item, dialect)]
        if item.rule is CheckRule.NOT_NULL:
            found_type = data_type(item.column.type)
            if found_type is None or found_type.this.name in ("USERDEFINED", "ENUM"):
                return [f"-- MODIFY needs the column's whole type, which dayone cannot write: {_type(item)}"]
            restate = f"; restate its default too: {comment(item.column.default)}" if item.column.default else ""
            return [
                f"-- MODIFY restates the whole column: add back its comment and AUTO_INCREMENT if any{restate}",
                f"{alter} MODIFY {column} {found_type.sql(dialect)} NOT NULL;",
            ]
        if item.rule is CheckRule.VALUE_SET:
            return [f"{alter} ADD CONSTRAINT {_constraint(item, 'check', dialect)} CHECK ({_check(item, dialect)});"]
        if item.rule is CheckRule.FOREIGN_KEY:
            target = _target(item.column.foreign_key or "", dialect)
            if target is None:
                return [f"-- not a column reference: {comment(item.column.foreign_key)}"]
            return [
                f"{alter} ADD CONSTRAINT {_constraint(item, 'fkey', dialect)} FOREIGN KEY ({column})"
                f" REFERENCES {target[0]} ({target[1]});"
            ]
        return [
            "-- No MySQL type keeps a time zone: keep DATETIME values in UTC and connect with time_zone = '+00:00'."
        ]

    return [
        "-- Each statement commits on its own and checks the existing rows as it runs: a row that breaks a rule",
        "-- stops the statement with an error naming it. CHECK needs MySQL 8.0.16 or MariaDB 10.2, foreign keys",
        "-- InnoDB.",
        "",
        *_sections(found, dialect, statement),
    ]


def _type(item: Wanted) -> str:
    return comment(item.column.type) or "no type recorded"


def _sqlite(found: list[Wanted]) -> list[str]:
    dialect = "sqlite"
    unique = [item for item in found if item.rule is CheckRule.UNIQUE]
    rebuild = [item for item in found if item.rule is not CheckRule.UNIQUE]
    lines: list[str] = []
    if rebuild:
        lines += [
            "-- SQLite cannot ALTER a table to add a primary key, NOT NULL, a CHECK or a foreign key: rebuild the",
            "-- table with them (create it anew with the constraints, copy the rows, drop the old table, rename",
            "-- the new one: https://www.sqlite.org/lang_altertable.html#otheralter). Column types carry no time",
            "-- zone in SQLite: store UTC text (ISO 8601 with an offset). What each rebuild needs:",
            *(f"--   {item.about()}" for item in rebuild),
            "",
        ]
    for item in unique:
        index = _constraint(item, "key", dialect)
        qualified = f"{name(item.table.schema, dialect)}.{index}" if item.table.schema else index
        lines += [
            f"-- {item.about()}",
            f"CREATE UNIQUE INDEX IF NOT EXISTS {qualified} ON {name(item.table.name, dialect)}"
            f" ({name(item.column.name, dialect)});",
            "",
        ]
    return lines
