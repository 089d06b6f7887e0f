"""The shape of a schema as plain sets, to compare an import with what a database engine reports."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

from tui.store import Workspace


@dataclass
class Shape:
    columns: dict[str, dict[str, bool]] = field(default_factory=dict)  # table -> column -> nullable
    primary_keys: set[tuple[str, str]] = field(default_factory=set)
    foreign_keys: set[tuple[str, str, str]] = field(default_factory=set)  # (table, column, "table.column")

    def without(self, tables: set[str]) -> Shape:
        return Shape(
            {name: columns for name, columns in self.columns.items() if name not in tables},
            {key for key in self.primary_keys if key[0] not in tables},
            {key for key in self.foreign_keys if key[0] not in tables},
        )


def workspace_shape(ws: Workspace, integration_id: int) -> Shape:
    shape = Shape()
    tables = {row["id"]: row["name"] for row in ws.rows("table", "integration_id = ?", (integration_id,))}
    for column in ws.rows("column", "table_id IN (%s)" % ",".join(map(str, tables)) if tables else "0"):
        table = tables[column["table_id"]]
        shape.columns.setdefault(table, {})[column["name"]] = column["nullable"]
        if column["primary_key"]:
            shape.primary_keys.add((table, column["name"]))
        if column["foreign_key"]:
            shape.foreign_keys.add((table, column["name"], column["foreign_key"]))
    return shape


def sqlite_shape(path: Path) -> Shape:
    """What SQLite itself reports after running the DDL (a declared PRIMARY KEY counts as NOT NULL)."""
    shape = Shape()
    with sqlite3.connect(path) as conn:
        names = [
            row[0]
            for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
        ]
        for table in names:
            pk_columns = {}
            for _, name, _, notnull, _, pk in conn.execute(f'PRAGMA table_info("{table}")'):
                shape.columns.setdefault(table, {})[name] = not (notnull or pk)
                if pk:
                    pk_columns[name] = pk
                    shape.primary_keys.add((table, name))
            for row in conn.execute(f'PRAGMA foreign_key_list("{table}")'):
                target, local, remote = row[2], row[3], row[4]
                if remote is None:
                    remote = next(r[1] for r in conn.execute(f'PRAGMA table_info("{target}")') if r[5])
                shape.foreign_keys.add((table, local, f"{target}.{remote}"))
    return shape
