"""Names and string literals in SQL, as sqlglot writes them for each dialect: names always quoted.

A name from the workspace may be a keyword, hold capitals, spaces or quotes; quoted, it always means itself.
No database keeps a NUL in a name or in text, so it is left out.
"""

from __future__ import annotations

import hashlib
import re

from sqlglot import exp

# The dialects the DDL export writes, by sqlglot's name, with how people call them.
DIALECTS = {"postgres": "PostgreSQL", "mysql": "MySQL and MariaDB", "sqlite": "SQLite"}
_LONGEST_NAME = 60  # PostgreSQL keeps 63 bytes of a name, MySQL 64 characters
_NOT_PLAIN = re.compile(r"[^a-z0-9_]+")


def name(text: str, dialect: str) -> str:
    return exp.to_identifier(text.replace("\x00", ""), quoted=True).sql(dialect, identify=True)


def table(schema: str, table_name: str, dialect: str) -> str:
    """A table, qualified by its schema when it has one."""
    return f"{name(schema, dialect)}.{name(table_name, dialect)}" if schema else name(table_name, dialect)


def literal(text: str, dialect: str) -> str:
    return exp.Literal.string(text.replace("\x00", "")).sql(dialect)


def constraint_name(table_name: str, column: str, kind: str, whole: str) -> str:
    """A constraint's name: readable from its table, column and kind, made unique by a hash of `whole`."""
    digest = hashlib.sha256(whole.encode("utf-8", "surrogatepass")).hexdigest()[:8]
    readable = _NOT_PLAIN.sub("_", f"{table_name}_{column}".lower()).strip("_")[: _LONGEST_NAME - len(kind) - 10]
    return f"{readable}_{kind}_{digest}".lstrip("_")
