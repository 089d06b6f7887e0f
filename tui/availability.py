"""Whether a metric's data exists: the columns it needs, checked against the table list."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from tui.references import split


class DataState(StrEnum):
    AVAILABLE = "available"
    MISSING = "missing"
    UNLINKED = "not linked"


@dataclass(frozen=True)
class Availability:
    state: DataState
    missing: tuple[str, ...] = ()

    def describe(self) -> str:
        if self.state is DataState.MISSING:
            return "missing " + ", ".join(self.missing)
        if self.state is DataState.UNLINKED:
            return "not linked to columns yet"
        return "all data available"


class ColumnIndex:
    """Every column of an integration, findable as schema.table.column or table.column."""

    def __init__(self, refs: Iterable[tuple[str, str, str]]) -> None:
        self._refs: set[tuple[str, ...]] = set()
        for schema, table, column in refs:
            self._refs.add((table.lower(), column.lower()))
            if schema:
                self._refs.add((schema.lower(), table.lower(), column.lower()))

    def __contains__(self, ref: str) -> bool:
        parts = split(ref)
        return parts is not None and tuple(part.lower() for part in parts) in self._refs

    def availability(self, needs: Iterable[str]) -> Availability:
        needs = list(needs or ())
        if not needs:
            return Availability(DataState.UNLINKED)
        missing = tuple(ref for ref in needs if ref not in self)
        return Availability(DataState.MISSING, missing) if missing else Availability(DataState.AVAILABLE)


def column_index(workspace, integration_id: int) -> ColumnIndex:
    """The column index of one integration, read in one query."""
    return ColumnIndex(
        (row[0], row[1], row[2])
        for row in workspace.query(
            "SELECT t.schema, t.name, c.name FROM columns c JOIN tables t ON t.id = c.table_id"
            " WHERE t.integration_id = ?",
            (integration_id,),
        )
    )
