"""How one row names a table or a column of another: `table.column` or `schema.table.column`.

A database accepts almost any text as a name, so the parts of a reference are
written the way SQL writes identifiers: bare when the part is plain (no dot, no
double quote, no white space, not empty), otherwise in double quotes with each
double quote inside doubled. `orders.id`, `"Order Details".OrderID`,
`"v1.2".events` and `Straße.größe` are all references. Foreign keys, a
metric's needs, the import's table keys and a note's `table:` target all use
this one rule, so what the importer writes the plan YAML reads back.
"""

from __future__ import annotations

import re

_PART = r'"(?:[^"]|"")*"|[^."\s]+'
# A whole column reference: two or three parts (for JSON Schema and form checks).
COLUMN_REFERENCE = rf"^(?:{_PART})(?:\.(?:{_PART})){{1,2}}$"
_PARTS = re.compile(rf"({_PART})(\.|\Z)", re.DOTALL)
_BARE = re.compile(r'[^."\s]+')


def quote(name: str) -> str:
    """One part of a reference: the name itself when plain, else double-quoted."""
    if _BARE.fullmatch(name):
        return name
    return '"' + name.replace('"', '""') + '"'


def table_ref(schema: str | None, name: str) -> str:
    """A table as `table`, or `schema.table` outside the default schema."""
    return f"{quote(schema)}.{quote(name)}" if schema else quote(name)


def column_ref(schema: str | None, table: str, column: str) -> str:
    return f"{table_ref(schema, table)}.{quote(column)}"


def split(reference: str) -> tuple[str, ...] | None:
    """The names a reference is made of, unquoted; None when the text is not a reference."""
    parts: list[str] = []
    pos = 0
    while pos < len(reference):
        found = _PARTS.match(reference, pos)
        if found is None:
            return None
        part = found.group(1)
        parts.append(part[1:-1].replace('""', '"') if part.startswith('"') else part)
        pos = found.end()
        if found.group(2) == "." and pos == len(reference):
            return None
    return tuple(parts) if parts else None
