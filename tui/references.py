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


def referenced_table(reference: str) -> str:
    """The table part of a column reference (`schema.table` of `schema.table.column`, `table` of `table.column`),
    written as `table_ref` writes it."""
    if '"' not in reference:  # the common case, read for every foreign key of the tables pane: no quoted dots
        return reference.rsplit(".", 1)[0] if "." in reference else reference
    parts = split(reference)
    if parts is None or len(parts) < 2:
        return reference
    return table_ref(parts[-3] if len(parts) > 2 else None, parts[-2])


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
