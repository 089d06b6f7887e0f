"""The tables of an integration as a Mermaid erDiagram, with relationships taken from foreign keys.

Mermaid accepts only plain tokens as entity, attribute and type names, so
every name is reduced to letters, digits and underscores (`timestamp with
time zone` -> `timestamp_with_time_zone`, `numeric(12,2)` -> `numeric_12_2`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from itertools import product

from tui.export.contract import Table
from tui.references import split

_NOT_TOKEN = re.compile(r"[^A-Za-z0-9_]+")
# Words Mermaid reads as key markers wherever they stand, in any letter case: never a name or a type.
_KEY_WORDS = frozenset(("pk", "fk", "uk"))


# (primary key, foreign key, unique) -> what follows an attribute's name.
_KEYS = {
    on: " " + ", ".join(key for key, is_on in zip(("PK", "FK", "UK"), on, strict=True) if is_on) if any(on) else ""
    for on in product((False, True), repeat=3)
}


def token(text: str | None, fallback: str) -> str:
    """A Mermaid-safe identifier: letters, digits and underscores, starting with a letter."""
    if text and text.isascii() and text.isidentifier() and text[0] != "_" and text.lower() not in _KEY_WORDS:
        return text
    cleaned = _NOT_TOKEN.sub("_", text or "").strip("_")
    if not cleaned:
        return fallback
    return cleaned if cleaned[0].isalpha() and cleaned.lower() not in _KEY_WORDS else f"{fallback}_{cleaned}"


def resolve(reference: str, by_ref: dict[str, str]) -> str | None:
    """The entity a foreign key (`schema.table.column` or `table.column`) points at, if it is in the diagram."""
    parts = split(reference) or ()
    return by_ref.get(".".join(parts[:-1]).lower()) if len(parts) > 1 else None


def er_diagram(tables: Iterable[Table]) -> str:
    tables = list(tables)
    names: dict[str, str] = {}
    used: set[str] = set()
    for table in tables:
        base = token(table.ref.replace(".", "_"), "table")
        name, number = base, 2
        while name.lower() in used:
            name, number = f"{base}_{number}", number + 1
        used.add(name.lower())
        names[table.ref] = name
    by_ref: dict[str, str] = {}
    bare: dict[str, list[str]] = {}
    for table in tables:
        by_ref[table.ref.lower()] = names[table.ref]
        bare.setdefault(table.name.lower(), []).append(names[table.ref])
    for table_name, found in bare.items():
        if len(found) == 1:
            by_ref.setdefault(table_name, found[0])

    lines = ["erDiagram"]
    append = lines.append
    relations = []
    types: dict[str | None, str] = {}
    for table in tables:
        entity = names[table.ref]
        if not table.columns:
            lines.append(f"    {entity}")
            continue
        lines.append(f"    {entity} {{")
        for column in table.columns:
            name, foreign_key = column.name, column.foreign_key
            kind = types.get(column.type)
            if kind is None:
                kind = types[column.type] = token(column.type, "type") if column.type else "unknown"
            if not (name.isascii() and name.isidentifier() and name[0] != "_") or name.lower() in _KEY_WORDS:
                name = token(name, "col")
            append(f"        {kind} {name}{_KEYS[column.primary_key, bool(foreign_key), column.unique]}")
            if foreign_key:
                parent = resolve(foreign_key, by_ref)
                if parent:
                    cardinality = "|o--o{" if column.nullable else "||--o{"
                    relations.append(f'    {parent} {cardinality} {entity} : "{name}"')
        lines.append("    }")
    return "\n".join(lines + relations) + "\n"
