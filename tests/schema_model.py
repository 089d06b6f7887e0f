"""The shape of a schema as plain sets, to compare an import with what a database engine reports."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

from tui.references import column_ref, table_ref
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
    tables = {
        row["id"]: table_ref(row["schema"], row["name"])
        for row in ws.rows("table", "integration_id = ?", (integration_id,))
    }
    for column in ws.rows("column", f"table_id IN ({','.join(map(str, tables))})" if tables else "0"):
        table = tables[column["table_id"]]
        shape.columns.setdefault(table, {})[column["name"]] = column["nullable"]
        if column["primary_key"]:
            shape.primary_keys.add((table, column["name"]))
        if column["foreign_key"]:
            shape.foreign_keys.add((table, column["name"], column["foreign_key"]))
    return shape


def sqlite_shape(path: Path) -> Shape:
    """What SQLite itself reports after running the DDL.

    A primary key column accepts NULL unless it is declared NOT NULL, is the INTEGER
    rowid alias (a one-column key of type INTEGER), or its table is WITHOUT ROWID.
    """
    shape = Shape()
    with sqlite3.connect(path) as conn:
        names = [
            row[0]
            for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
        ]
        for table in names:
            pk_columns = {}
            quoted = table.replace('"', '""')
            info = list(conn.execute(f'PRAGMA table_info("{quoted}")'))
            keys = sum(1 for row in info if row[5])
            (without_rowid,) = conn.execute("SELECT wr FROM pragma_table_list(?)", (table,)).fetchone()
            for _, name, kind, notnull, _, pk in info:
                rowid = pk and keys == 1 and kind.upper() == "INTEGER"
                shape.columns.setdefault(table_ref("", table), {})[name] = not (
                    notnull or rowid or (pk and without_rowid)
                )
                if pk:
                    pk_columns[name] = pk
                    shape.primary_keys.add((table_ref("", table), name))
            for row in conn.execute(f'PRAGMA foreign_key_list("{quoted}")'):
                target, local, remote = row[2], row[3], row[4]
                if remote is None:
                    remote = next(r[1] for r in conn.execute("SELECT * FROM pragma_table_info(?)", (target,)) if r[5])
                shape.foreign_keys.add((table_ref("", table), local, column_ref("", target, remote)))
    return shape
