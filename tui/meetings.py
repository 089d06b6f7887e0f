"""Meetings: a title, attendees and an agenda; every change made while one runs belongs to it.

The store attributes each change-log row and note to the meeting running for
its integration, whichever process made it, so several screens in one meeting
all feed the same minutes.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from tui.errors import NotFound, ValidationError
from tui.schema import REFERENCES
from tui.store import Row, Workspace, now_utc


def running_meeting(ws: Workspace, integration_id: int) -> Row | None:
    found = ws.rows("meeting", "integration_id = ? AND ended_at IS NULL", (integration_id,), order_by="id DESC")
    return found[0] if found else None


def agenda_items(items: Sequence[Row], agenda: Sequence[str]) -> list[Row]:
    """The checklist items an agenda names, in its order: a section key stands for its items, in template order."""
    picked: dict[str, Row] = {}
    for entry in agenda:
        for item in items:
            if entry in (item["key"], item["section"]):
                picked.setdefault(item["key"], item)
    return list(picked.values())


def start_meeting(
    ws: Workspace, integration_id: int, title: str, attendees: Sequence[str] = (), agenda: Sequence[str] = ()
) -> Row:
    """Open a meeting; attendees are stakeholder names, the agenda checklist section or item keys."""
    with ws.transaction():
        current = running_meeting(ws, integration_id)
        if current is not None:
            raise ValidationError("meeting", f"{current['title']!r} is still running (end it first)")
        people = {row["name"] for row in ws.rows("stakeholder", "integration_id = ?", (integration_id,))}
        for name in attendees:
            if name not in people:
                raise ValidationError("meeting.attendees", f"{name!r} is not a stakeholder of this integration")
        keys = {row["key"] for row in ws.rows("item", "integration_id = ?", (integration_id,))}
        sections = {key.split(".", 1)[0] for key in keys}
        for entry in agenda:
            if entry not in keys and entry not in sections:
                raise ValidationError("meeting.agenda", f"{entry!r} is not a checklist section or item")
        return ws.insert(
            "meeting",
            {
                "integration_id": integration_id,
                "title": title,
                "started_at": now_utc(),
                "attendees": list(attendees),
                "agenda": list(agenda),
            },
        )


def end_meeting(ws: Workspace, meeting_id: int) -> Row:
    """Close a meeting and keep its minutes as a note linked to it; returns that note."""
    from tui.export.minutes import meeting_minutes_markdown

    with ws.transaction():
        meeting = ws.get("meeting", meeting_id)
        if meeting["ended_at"]:
            raise ValidationError("meeting", f"{meeting['title']!r} has already ended")
        meeting = ws.update("meeting", meeting_id, {"ended_at": now_utc()})
        text = meeting_minutes_markdown(ws, meeting)
        return ws.add_note(meeting["integration_id"], text, meeting_id=meeting_id)


def last_meeting(ws: Workspace, integration_id: int) -> Row | None:
    found = ws.rows(
        "meeting", "integration_id = ? AND ended_at IS NOT NULL", (integration_id,), order_by="ended_at DESC, id DESC"
    )
    return found[0] if found else None


def changes_since_last_meeting(
    ws: Workspace, integration_id: int, newest: int | None = None
) -> tuple[Row | None, list[Row]]:
    """The last finished meeting and every change to the integration made after it ended.

    `newest` keeps only that many of the latest changes, read without decoding
    the rest (before any meeting, that is the whole history of the integration).
    """
    meeting = last_meeting(ws, integration_id)
    after = ending_change(ws, meeting)
    if newest is not None:
        # A few more than asked, for the rows the filter below drops (meetings, the minutes note).
        found = ws.query(
            "SELECT id FROM changes WHERE integration_id = ? AND id > ? ORDER BY id DESC LIMIT 1 OFFSET ?",
            (integration_id, after, newest + 50),
        )
        after = found[0][0] if found else after
    changes = [change for change in ws.changes(integration_id, after_id=after) if not _ours(change, meeting)]
    return meeting, changes[-newest:] if newest is not None else changes


def count_changes_since_last_meeting(ws: Workspace, integration_id: int) -> int:
    """How many changes `changes_since_last_meeting` returns, counted in SQL."""
    meeting = last_meeting(ws, integration_id)
    where = "integration_id = ? AND id > ? AND entity != 'meeting'"
    params: tuple = (integration_id, ending_change(ws, meeting))
    if meeting is not None:
        where += (
            " AND meeting_id IS NOT ? AND NOT (entity = 'note' AND action = 'insert'"
            " AND coalesce(json_extract(new, '$.meeting_id') = ?, 0))"
        )
        params += (meeting["id"], meeting["id"])
    return ws.query(f"SELECT count(*) FROM changes WHERE {where}", params)[0][0]


def ending_change(ws: Workspace, meeting: Row | None) -> int:
    """The id of the change that ended a meeting (0 without one): timestamps have one-second resolution, ids do not."""
    if meeting is None:
        return 0
    ending = ws.query(
        "SELECT max(id) FROM changes WHERE entity = 'meeting' AND row_id = ? AND field = 'ended_at'", (meeting["id"],)
    )[0][0]
    if ending is None:
        ending = ws.query("SELECT coalesce(max(id), 0) FROM changes WHERE at < ?", (meeting["ended_at"],))[0][0]
    return ending


def _ours(change: Row, meeting: Row | None) -> bool:
    """Changes the view leaves out: meetings themselves, and the last meeting's own changes and minutes."""
    if change["entity"] == "meeting":
        return True
    return meeting is not None and (change["meeting_id"] == meeting["id"] or is_minutes_of(change, meeting))


def is_minutes_of(change: Row, meeting: Row) -> bool:
    """Whether a change-log row is the writing of a meeting's own minutes note."""
    return (
        change["entity"] == "note"
        and isinstance(change["new"], dict)
        and change["new"].get("meeting_id") == meeting["id"]
    )


def meeting(ws: Workspace, meeting_id: int) -> Row:
    try:
        return ws.get("meeting", meeting_id)
    except NotFound:
        raise NotFound(f"no meeting with id {meeting_id}") from None


# What each kind of row is called in the changes view, in the order the groups are shown.
ENTITY_TITLES = {
    "integration": "Integration",
    "stakeholder": "Stakeholders",
    "metric": "Metric wishlist",
    "item": "Checklist",
    "table": "Tables",
    "column": "Columns",
    "finding": "Findings",
    "note": "Notes",
}


@dataclass
class ChangedRow:
    """Every change to one row, oldest first, under the name the row has (or last had)."""

    entity: str
    row_id: int
    label: str
    private: bool = False
    changes: list[Row] = field(default_factory=list)


@dataclass
class ChangeGroup:
    entity: str
    title: str
    rows: list[ChangedRow] = field(default_factory=list)


def change_groups(ws: Workspace, changes: Sequence[Row]) -> list[ChangeGroup]:
    """Changes grouped by kind of row, then by row, each row named as people know it."""
    rows: dict[tuple[str, int], ChangedRow] = {}
    names: dict[tuple[str, int], str] = {}
    for change in changes:
        if change["action"] == "update" and change["field"] in REFERENCES:
            change = {
                **change,
                "old": referenced_name(ws, change["field"], change["old"], names),
                "new": referenced_name(ws, change["field"], change["new"], names),
            }
        key = (change["entity"], change["row_id"])
        if key not in rows:
            row = current_or_last(ws, change)
            rows[key] = ChangedRow(
                change["entity"], change["row_id"], row_label(ws, change["entity"], row), bool(row.get("private"))
            )
        rows[key].changes.append(change)
    groups = {entity: ChangeGroup(entity, title) for entity, title in ENTITY_TITLES.items()}
    for changed in rows.values():
        groups.setdefault(changed.entity, ChangeGroup(changed.entity, changed.entity.title())).rows.append(changed)
    return [group for group in groups.values() if group.rows]


def referenced_name(ws: Workspace, field: str, value: Any, cache: dict[tuple[str, int], str] | None = None) -> Any:
    """A reference as people know it: the stakeholder's name, the item's key, the table's name (not its id)."""
    target = REFERENCES.get(field)
    if target is None or isinstance(value, bool) or not isinstance(value, int):
        return value
    cache = {} if cache is None else cache
    if (target, value) not in cache:
        row = current_or_last(ws, {"entity": target, "row_id": value, "old": None, "new": None})
        if not row:
            found = ws.query(
                "SELECT old FROM changes WHERE entity = ? AND row_id = ? AND action = 'delete'"
                " ORDER BY id DESC LIMIT 1",
                (target, value),
            )
            row = json.loads(found[0][0]) if found and found[0][0] else {}
        name = row.get("key") if target == "item" else row_label(ws, target, row) if row else None
        cache[(target, value)] = name or f"a deleted {target}"
    return cache[(target, value)]


def current_or_last(ws: Workspace, change: Row) -> Row:
    """The row a change touched as it is now, or as the log last saw it if it was deleted since."""
    try:
        return ws.get(change["entity"], change["row_id"])
    except NotFound:
        for value in (change["old"], change["new"]):
            if isinstance(value, dict):
                return value
        return {}


def row_label(ws: Workspace, entity: str, row: Row) -> str:
    """The name people know a row by."""
    if entity == "item":
        return f"{row.get('key', '?')} {row.get('question', '')}".strip()
    if entity == "table":
        return ".".join(part for part in (row.get("schema"), row.get("name")) if part) or "?"
    if entity == "column":
        try:
            table = ws.get("table", row["table_id"])["name"]
        except (KeyError, NotFound):
            table = "?"
        return f"{table}.{row.get('name', '?')}"
    if entity == "note":
        return " ".join(str(row.get("text", "")).split())
    if entity == "finding":
        return f"{row.get('rule', '?')}: {row.get('message', '')}"
    return str(row.get("name") or row.get("title") or f"#{row.get('id', '?')}")


def shown_value(value: object, width: int = 40) -> str:
    """A changed value in a few characters: em dash for nothing, yes/no, compact JSON for lists."""
    if value is None or value == "":
        text = "—"
    elif isinstance(value, bool):
        text = "yes" if value else "no"
    elif isinstance(value, (list, dict)):
        text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    else:
        text = " ".join(str(value).split())
    return text if len(text) <= width else text[: width - 1] + "…"
