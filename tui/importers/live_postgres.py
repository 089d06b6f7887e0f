"""Read a PostgreSQL schema from its catalogue: one query per kind of fact, however many tables there are.

Types and defaults come as PostgreSQL spells them (`format_type`, `pg_get_expr`),
the same text pg_dump writes. Partitions are read as part of their parent, and
tables an extension owns (PostGIS's `spatial_ref_sys`) are left out; both are
listed in the summary.
"""

from __future__ import annotations

from typing import Any

from tui.importers.ddl import DEFAULT_SCHEMAS
from tui.importers.model import ImportedColumn, ImportedSchema, ImportedTable, Progress, Unreadable, table_key
from tui.references import quote

# Every schema but the system's own (no % in the SQL: the driver reads it as a placeholder).
_IN_SCOPE = "n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast') AND n.nspname !~ '^pg_(toast_)?temp_'"
_TABLES = f"""
SELECT c.oid, n.nspname, c.relname, c.relispartition, obj_description(c.oid, 'pg_class'),
       (SELECT e.extname FROM pg_depend d JOIN pg_extension e ON e.oid = d.refobjid
         WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e' LIMIT 1),
       (SELECT pn.nspname || '.' || p.relname FROM pg_inherits i JOIN pg_class p ON p.oid = i.inhparent
         JOIN pg_namespace pn ON pn.oid = p.relnamespace WHERE i.inhrelid = c.oid LIMIT 1)
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE c.relkind IN ('r', 'p') AND {_IN_SCOPE}
ORDER BY n.nspname, c.relname
"""
_COLUMNS = f"""
SELECT a.attrelid, a.attnum, a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull,
       pg_get_expr(d.adbin, d.adrelid), a.attidentity, a.attgenerated, col_description(a.attrelid, a.attnum),
       a.atttypid
FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
WHERE a.attnum > 0 AND NOT a.attisdropped AND c.relkind IN ('r', 'p') AND {_IN_SCOPE}
ORDER BY a.attrelid, a.attnum
"""
_CONSTRAINTS = f"""
SELECT k.conrelid, k.contype, k.conkey, k.confrelid, k.confkey, pg_get_constraintdef(k.oid)
FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE k.contype IN ('p', 'u', 'f', 'c') AND {_IN_SCOPE}
ORDER BY k.conrelid, k.contype, k.conname
"""
_UNIQUE_INDEXES = f"""
SELECT i.indrelid, i.indkey[0] FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE i.indisunique AND NOT i.indisprimary AND i.indnkeyatts = 1 AND i.indpred IS NULL AND i.indexprs IS NULL
  AND {_IN_SCOPE}
"""
_ENUMS = "SELECT e.enumtypid, e.enumlabel FROM pg_enum e ORDER BY e.enumtypid, e.enumsortorder"
_VIEWS = f"""
SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE c.relkind IN ('v', 'm') AND {_IN_SCOPE}
"""
_NAMES = "SELECT c.oid, n.nspname, c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"


def read_postgres(connection: Any, shown: str, progress: Progress) -> ImportedSchema:
    """The application tables of a PostgreSQL database, with keys, comments and enum values."""
    schema = ImportedSchema(source=shown, dialect="postgres")

    def rows(sql: str) -> list[tuple]:
        return [tuple(row) for row in connection.exec_driver_sql(sql)]

    current = rows("SELECT current_schema()")[0][0]

    def local(namespace: str) -> str:
        """The schema part of a key: none for the default schema."""
        return "" if namespace == current or namespace.lower() in DEFAULT_SCHEMAS else namespace

    def key(namespace: str, name: str) -> str:
        return table_key(local(namespace), name)

    tables: dict[int, ImportedTable] = {}
    names: dict[int, str] = {}
    for oid, namespace, name, partition, comment, extension, parent in rows(_TABLES):
        names[oid] = key(namespace, name)
        if partition:
            parent_key = key(*parent.split(".", 1)) if parent else "?"
            reason = f"partition of {parent_key}: its rows are read as the parent's"
            schema.left_out.append(Unreadable(names[oid], 0, reason))
        elif extension:
            reason = f"created by the {extension} extension, not application data"
            schema.left_out.append(Unreadable(names[oid], 0, reason))
        else:
            tables[oid] = ImportedTable(schema=local(namespace), name=name, description=comment or None)
    progress("read", 1, 5)
    enums: dict[int, list[str]] = {}
    for type_oid, label in rows(_ENUMS):
        enums.setdefault(type_oid, []).append(label)
    by_number: dict[tuple[int, int], ImportedColumn] = {}
    for oid, number, name, kind, not_null, default, identity, generated, comment, type_oid in rows(_COLUMNS):
        table = tables.get(oid)
        if table is None:
            continue
        column = ImportedColumn(name=name, type=kind, nullable=not not_null, description=comment or None)
        if generated:
            column.generated = f"{default} stored" if default else "stored"
        else:
            column.default_value = default
            if identity:
                column.generated = "identity"
        if type_oid in enums:
            column.value_set = list(enums[type_oid])
        table.columns[name] = column
        by_number[oid, number] = column
    progress("read", 2, 5)
    unknown = set()
    constraints = rows(_CONSTRAINTS)
    for _, kind, _, target, _, _ in constraints:
        if kind == "f" and target not in names:
            unknown.add(target)
    if unknown:
        for oid, namespace, name in rows(f"{_NAMES} WHERE c.oid IN ({','.join(str(int(o)) for o in unknown)})"):
            names[oid] = key(namespace, name)
    for oid, kind, numbers, target, target_numbers, definition in constraints:
        table = tables.get(oid)
        if table is None:
            continue
        columns = [by_number.get((oid, number)) for number in numbers or ()]
        if kind == "p":
            for member in columns:
                if member is not None:
                    member.primary_key, member.nullable = True, False
        elif kind == "u" and len(columns) == 1 and columns[0] is not None:
            columns[0].is_unique = True
        elif kind == "f":
            for member, number in zip(columns, target_numbers or (), strict=False):
                remote = by_number.get((target, number))
                remote_name = remote.name if remote else _attribute(connection, target, number)
                if member is not None and remote_name:
                    member.foreign_key = f"{names.get(target, '?')}.{quote(remote_name)}"
        elif kind == "c":
            text = _check_text(definition)
            if len(columns) == 1 and columns[0] is not None:
                only = columns[0]
                only.check_constraint = f"{only.check_constraint} AND {text}" if only.check_constraint else text
            else:
                table.checks.append(text)
    progress("read", 3, 5)
    for oid, number in rows(_UNIQUE_INDEXES):
        indexed = by_number.get((oid, number))
        if indexed is not None:
            indexed.is_unique = True
    progress("read", 4, 5)
    views = rows(_VIEWS)[0][0]
    if views:
        schema.skipped["views"] = views
    schema.tables = {table.key: table for table in tables.values()}
    progress("read", 5, 5)
    return schema


def _attribute(connection: Any, table_oid: int, number: int) -> str | None:
    """A column's name by number, for a foreign key into a table outside the schemas read."""
    found = connection.exec_driver_sql(
        "SELECT attname FROM pg_attribute WHERE attrelid = %(oid)s AND attnum = %(number)s",
        {"oid": table_oid, "number": number},
    ).first()
    return found[0] if found else None


def _check_text(definition: str) -> str:
    """`CHECK ((a > 0)) NOT VALID` as `a > 0`."""
    text = definition.strip()
    if text.upper().startswith("CHECK"):
        text = text[5:].strip()
    if text.upper().endswith("NOT VALID"):
        text = text[: -len("NOT VALID")].strip()
    while text.startswith("(") and text.endswith(")") and _balanced(text[1:-1]):
        text = text[1:-1].strip()
    return text


def _balanced(text: str) -> bool:
    depth = 0
    for char in text:
        depth += {"(": 1, ")": -1}.get(char, 0)
        if depth < 0:
            return False
    return depth == 0
