"""The other side of a diff when it is not the workspace: an ODCS file, a DDL file or a live database.

A schema read by the importers becomes an agreement here, in one place, so the diff judges a database against
a contract with the same rules as two versions of the contract.
"""

from __future__ import annotations

from tui.agreement import Agreement
from tui.export.contract import Column, Table
from tui.importers.model import ImportedColumn, ImportedSchema, ImportedTable


def from_schema(schema: ImportedSchema, source: str) -> Agreement:
    """The agreement a database schema states by itself: tables, columns, types, keys, defaults and checks."""
    return Agreement(
        name=source,
        version="",
        tables=tuple(_table(table) for table in schema.tables.values()),
        source=source,
    )


def _table(table: ImportedTable) -> Table:
    return Table(
        schema=table.schema,
        name=table.name,
        description=table.description,
        kind="table",
        estimated_rows=None,
        created_by=None,
        updated_at_column=None,
        deletion=None,
        soft_delete_column=None,
        retention=None,
        legacy_marker=None,
        test_data_marker=None,
        columns=tuple(_column(column) for column in table.columns.values()),
        flags=(),
    )


def _column(column: ImportedColumn) -> Column:
    return Column(
        name=column.name,
        type=column.type,
        nullable=column.nullable,
        primary_key=column.primary_key,
        unique=column.is_unique,
        foreign_key=column.foreign_key,
        default=column.default_value,
        generated=column.generated,
        check=column.check_constraint,
        description=column.description,
        classification=None,
        value_set=dict.fromkeys(column.value_set or (), None),
        json_schema=None,
    )
