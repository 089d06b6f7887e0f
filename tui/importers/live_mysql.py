"""Read a MySQL or MariaDB schema from information_schema: one query per kind of fact.

Types come as the server spells them (`COLUMN_TYPE`: `int(11) unsigned`,
`enum('A','b')`). MariaDB quotes literal defaults and MySQL does not, so MySQL's
are quoted here to read the same as a dump's.
"""

from __future__ import annotations

import re
from typing import Any

from tui.importers.model import ImportedColumn, ImportedSchema, ImportedTable, Progress, table_key
from tui.references import quote

_TABLES = """
SELECT TABLE_NAME, TABLE_TYPE, TABLE_COMMENT FROM information_schema.TABLES
WHERE TABLE_SCHEMA = DATABASE() ORDER BY TABLE_NAME
"""
_COLUMNS = """
SELECT TABLE_NAME, COLUMN_NAME, COLUMN_TYPE, IS_NULLABLE, COLUMN_DEFAULT, EXTRA, COLUMN_COMMENT,
       GENERATION_EXPRESSION
FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() ORDER BY TABLE_NAME, ORDINAL_POSITION
"""
_KEYS = """
SELECT k.TABLE_NAME, k.CONSTRAINT_NAME, c.CONSTRAINT_TYPE, k.COLUMN_NAME, k.REFERENCED_TABLE_SCHEMA,
       k.REFERENCED_TABLE_NAME, k.REFERENCED_COLUMN_NAME
FROM information_schema.KEY_COLUMN_USAGE k
JOIN information_schema.TABLE_CONSTRAINTS c ON c.CONSTRAINT_SCHEMA = k.CONSTRAINT_SCHEMA
  AND c.TABLE_NAME = k.TABLE_NAME AND c.CONSTRAINT_NAME = k.CONSTRAINT_NAME
WHERE k.TABLE_SCHEMA = DATABASE() ORDER BY k.TABLE_NAME, k.CONSTRAINT_NAME, k.ORDINAL_POSITION
"""
_CHECKS = """
SELECT c.TABLE_NAME, c.CONSTRAINT_NAME, c.CHECK_CLAUSE FROM information_schema.CHECK_CONSTRAINTS c
WHERE c.CONSTRAINT_SCHEMA = DATABASE() ORDER BY c.TABLE_NAME, c.CONSTRAINT_NAME
"""
_EXPRESSION_DEFAULT = re.compile(r"^[a-z_]+\(.*\)$|^current_timestamp", re.IGNORECASE)


def read_mysql(connection: Any, shown: str, progress: Progress) -> ImportedSchema:
    """The tables of the connection's database, with keys, comments, checks and enum values."""
    schema = ImportedSchema(source=shown, dialect="mysql")

    def rows(sql: str) -> list[tuple]:
        return [tuple(row) for row in connection.exec_driver_sql(sql)]

    version = rows("SELECT VERSION()")[0][0]
    mariadb = "mariadb" in version.lower()
    tables: dict[str, ImportedTable] = {}
    for name, kind, comment in rows(_TABLES):
        if kind in ("VIEW", "SYSTEM VIEW"):
            schema.skipped["views"] += 1
        else:
            tables[name] = ImportedTable(schema="", name=name, description=comment or None)
    progress("read", 1, 4)
    for table_name, name, kind, nullable, default, extra, comment, expression in rows(_COLUMNS):
        table = tables.get(table_name)
        if table is None:
            continue
        column = ImportedColumn(name=name, type=kind, nullable=nullable == "YES", description=comment or None)
        extra = (extra or "").lower()
        if expression:
            stored = " stored" if "stored" in extra or "persistent" in extra else ""
            column.generated = f"{expression}{stored}"
        else:
            column.default_value = _default(default, extra, mariadb)
        if "auto_increment" in extra:
            column.generated = "auto_increment"
        if kind.lower().startswith(("enum(", "set(")):
            column.value_set = _values(kind)
        table.columns[name] = column
    progress("read", 2, 4)
    uniques: dict[tuple[str, str], list[str]] = {}
    for table_name, constraint, kind, name, _, target_table, target_column in rows(_KEYS):
        keyed = tables[table_name].columns.get(name) if table_name in tables else None
        if keyed is None:
            continue
        if kind == "PRIMARY KEY":
            keyed.primary_key, keyed.nullable = True, False
        elif kind == "UNIQUE":
            uniques.setdefault((table_name, constraint), []).append(name)
        elif kind == "FOREIGN KEY" and target_table:
            keyed.foreign_key = f"{table_key('', target_table)}.{quote(target_column)}"
    for (table_name, _), names in uniques.items():
        if len(names) == 1 and table_name in tables and names[0] in tables[table_name].columns:
            tables[table_name].columns[names[0]].is_unique = True
    progress("read", 3, 4)
    for table_name, _, clause in _checks(rows):
        table = tables.get(table_name)
        if table is None:
            continue
        named = [name for name in table.columns if re.search(rf"`{re.escape(name)}`|\b{re.escape(name)}\b", clause)]
        # MariaDB names a column-level check after its column.
        if len(named) == 1:
            column = table.columns[named[0]]
            column.check_constraint = f"{column.check_constraint} AND {clause}" if column.check_constraint else clause
        else:
            table.checks.append(clause)
    schema.tables = {table.key: table for table in tables.values()}
    progress("read", 4, 4)
    return schema


def _checks(rows: Any) -> list[tuple]:
    """Check constraints, where the server lists them (MariaDB 10.2, MySQL 8.0.16 and later)."""
    try:
        return rows(_CHECKS)
    except Exception as exc:
        if "CHECK_CONSTRAINTS" in str(exc) or "doesn't exist" in str(exc):
            return []
        raise


def _default(default: str | None, extra: str, mariadb: bool) -> str | None:
    """A default as a dump writes it: literals quoted, NULL as no default."""
    if default is None or default.upper() == "NULL":
        return None
    if mariadb or "default_generated" in extra or _EXPRESSION_DEFAULT.match(default):
        return default
    return "'" + default.replace("'", "''") + "'"


def _values(kind: str) -> list[str]:
    """The labels of an enum('a','b') or set(...) type."""
    return [value.replace("''", "'") for value in re.findall(r"'((?:[^']|'')*)'", kind)]
