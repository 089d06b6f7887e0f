"""Who a change reaches: the wishlist metrics whose needed columns it touches, and the people who must be told.

The people are the requesters of the metrics a change may make wrong (consumer impact breaking or warning),
the stakeholders of the consuming team (the data team) and the points of contact, each once. The notice they
get is the period agreed in the data-contract section, counted from the day of the announcement.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta

from tui.changes.model import Change, Impact
from tui.enums import ItemStatus, MetricStatus, Team
from tui.export.odcs import duration
from tui.references import split
from tui.store import Row, Workspace

NOTICE_ITEM = "contracts.change_communication"
_DAYS = {"min": 1 / 1440, "h": 1 / 24, "d": 1, "month": 30, "y": 365}


@dataclass(frozen=True)
class WishedMetric:
    name: str
    needs: tuple[tuple[str, ...], ...]  # each need as lower-cased parts: (table, column) or (schema, table, column)
    requested_by: str | None


@dataclass(frozen=True)
class Audience:
    inform: list[str]
    notice: str | None  # the agreed answer on announcing changes
    notice_days: int | None
    effective: str | None  # the day the changes take effect: today plus the notice period


def wished_metrics(ws: Workspace, integration_id: int) -> list[WishedMetric]:
    """The integration's metrics that are still wanted or built, with the columns they need."""
    people = {
        row[0]: row[1]
        for row in ws.query("SELECT id, name FROM stakeholders WHERE integration_id = ?", (integration_id,))
    }
    found = []
    for row in ws.rows("metric", "integration_id = ? AND status != ?", (integration_id, MetricStatus.DROPPED.value)):
        needs = tuple(tuple(part.lower() for part in parts) for need in row["needs"] or () if (parts := split(need)))
        found.append(WishedMetric(row["name"], needs, people.get(row["requested_by"])))
    return found


def with_metrics(changes: Sequence[Change], metrics: Sequence[WishedMetric]) -> list[Change]:
    """Each change with the names of the metrics whose needed columns it touches."""
    return [replace(change, metrics=tuple(_touched(change, metrics))) for change in changes]


def _touched(change: Change, metrics: Iterable[WishedMetric]) -> list[str]:
    if not change.table:
        return [metric.name for metric in metrics if metric.needs]  # an answer for every table
    parts = tuple(part.lower() for part in split(change.table) or ())
    columns = {change.column.lower()} if change.column else None
    if change.column and change.previous:
        columns = {change.column.lower(), change.previous.lower()}
    return [metric.name for metric in metrics if any(_needs(need, parts, columns) for need in metric.needs)]


def _needs(need: tuple[str, ...], table: tuple[str, ...], columns: set[str] | None) -> bool:
    """Whether a need names a column of the table (one of `columns`, or any when None)."""
    if len(need) < 2 or not table:
        return False
    if columns is not None and need[-1] not in columns:
        return False
    wanted = need[:-1]
    return wanted == table or (len(wanted) == 1 and wanted[0] == table[-1])


def audience(ws: Workspace, integration: Row, changes: Sequence[Change], today: str) -> Audience:
    """Who must be told about these changes, and by when they may take effect."""
    iid = integration["id"]
    answer = _agreed(ws, iid, NOTICE_ITEM)
    span = duration(answer) if answer else None
    days = round(span[0] * _DAYS[span[1]]) if span else None
    effective = (date.fromisoformat(today) + timedelta(days=days)).isoformat() if days is not None else None
    if not changes:
        return Audience([], answer, days, effective)
    hurt = {name for change in changes if change.consumer is not Impact.INFO for name in change.metrics}
    requesters = [metric.requested_by for metric in wished_metrics(ws, iid) if metric.name in hurt]
    people = ws.rows("stakeholder", "integration_id = ?", (iid,), order_by="name, id")
    consumers = [row["name"] for row in people if row["team"] == Team.DATA.value]
    contacts = [row["name"] for row in people if row["point_of_contact"]]
    inform = list(dict.fromkeys(name for name in (*requesters, *consumers, *contacts) if name))
    return Audience(inform, answer, days, effective)


def _agreed(ws: Workspace, integration_id: int, key: str) -> str | None:
    found = ws.query(
        "SELECT answer FROM checklist_items WHERE integration_id = ? AND key = ? AND status = ?",
        (integration_id, key, ItemStatus.AGREED.value),
    )
    return found[0][0] if found and found[0][0] else None
