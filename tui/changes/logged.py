"""The consumer impact of one row of the change log: how the changes view and a re-import judge a change.

A change-log row is one field of one stored column or table (or a whole row added or deleted); it is judged by
the same rules as a diff between two versions (tui.changes.classify).
"""

from __future__ import annotations

from typing import Any

from tui.changes.classify import COLUMN_FIELDS, DATA_FLOW, added_column, change, field_changes
from tui.changes.model import Change, Kind

Row = dict[str, Any]
_TABLE_FIELDS = ("description", *DATA_FLOW)


def logged_changes(entry: Row, table: str = "", column: str | None = None) -> list[Change]:
    """The contract changes one change-log row makes; [] for rows outside the contract (notes, answers, ...).

    `table` and `column` name where it happened, for the changes' `where`; the rules do not depend on them.
    """
    entity, action = entry["entity"], entry["action"]
    if entity == "column":
        if action == "insert":
            return [added_column(table, {"name": column or "", **(entry["new"] or {})})]
        if action == "delete":
            return [change(Kind.COLUMN_REMOVED, table, column, "")]
        if entry["field"] in COLUMN_FIELDS:
            return field_changes(table, column or "", entry["field"], entry["old"], entry["new"])
        return []
    if entity == "table":
        if action == "insert":
            return [change(Kind.TABLE_ADDED, table, None, "")]
        if action == "delete":
            return [change(Kind.TABLE_REMOVED, table, None, "")]
        if entry["field"] in _TABLE_FIELDS:
            return field_changes(table, None, entry["field"], entry["old"], entry["new"])
    return []
