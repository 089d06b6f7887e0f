"""The domain actions: every write a person makes, each one named, each enforcing its own rules.

Screens, the `dayone` command and the tests call these instead of building
writes themselves, so a rule written here holds for every writer: a note made
while a meeting runs belongs to that meeting whoever writes it, an item is
agreed only once it has an answer, an answer given for tables sets those
tables' data-flow facts, and what the schema import found closes by itself
once what it asks for is recorded. Each action is one transaction.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from tui.enums import Deletion, ItemStatus, NoteKind, Scope
from tui.errors import ConflictError, DayoneError, NotFound, ValidationError
from tui.flags import SOFT_DELETE_NAMES, UPDATED_AT_NAMES, snake_name
from tui.store import Row, Workspace, now_utc

# -- checklist items ---------------------------------------------------------------------------

NO_ANSWER = "has no answer yet: write one (e) or take a typical answer (1-9) before agreeing"


def update_item(ws: Workspace, item_id: int, values: Mapping[str, Any], version: int | None = None) -> Row:
    """Change an item's fields (status, answer, owner, due ...); an agreed item must keep an answer.

    Agreeing an item asked per table also records its answer on every table that has none of its own.
    """
    with ws.transaction():
        item = ws.get("item", item_id)
        if version is not None and item["version"] != version:
            raise ConflictError("item", item_id, version, item, dict(values))
        status = ItemStatus(values.get("status", item["status"]))
        answer = values["answer"] if "answer" in values else item["answer"]
        if status == ItemStatus.AGREED and not _has_answer(ws, item, answer):
            if "status" in values:
                raise ValidationError("item.status", f"{item['key']} {NO_ANSWER}")
            if "answer" in values:
                raise ValidationError("item.answer", "an agreed item keeps its answer (reopen it to clear the answer)")
        row = ws.update("item", item_id, values, version=version)
        if row["scope"] == Scope.TABLE and row["version"] != item["version"]:
            if status == ItemStatus.AGREED and row["answer"]:
                _apply_to_unanswered_tables(ws, row)
            if "status" in values or "answer" in values:
                recheck_findings(ws, row["integration_id"])
    return row


def set_item_status(ws: Workspace, item_id: int, status: ItemStatus | str, version: int | None = None) -> Row:
    return update_item(ws, item_id, {"status": ItemStatus(status).value}, version)


def agree_item(ws: Workspace, item_id: int, version: int | None = None) -> Row:
    """Record that the item is agreed; refused while it has no answer."""
    return set_item_status(ws, item_id, ItemStatus.AGREED, version)


def block_item(ws: Workspace, item_id: int, version: int | None = None) -> Row:
    return set_item_status(ws, item_id, ItemStatus.BLOCKED, version)


def answer_item(ws: Workspace, item_id: int, answer: str | None, version: int | None = None) -> Row:
    """Write (or clear) an item's answer; an agreed item cannot lose its answer."""
    return update_item(ws, item_id, {"answer": answer}, version)


def _has_answer(ws: Workspace, item: Row, answer: str | None) -> bool:
    if answer and answer.strip():
        return True
    if item["scope"] != Scope.TABLE:
        return False
    return bool(ws.query("SELECT 1 FROM table_answers WHERE item_id = ? LIMIT 1", (item["id"],)))


# -- per-table answers ---------------------------------------------------------------------------


def answer_tables(ws: Workspace, item_id: int, table_ids: Iterable[int], answer: str | None) -> list[Row]:
    """Give one answer of an item asked per table to each of these tables (None clears theirs).

    The answer also sets the data-flow facts it speaks of on each table (deletion and
    soft-delete column, updated-at column, created by, retention, legacy and test-data markers).
    """
    table_ids = list(dict.fromkeys(table_ids))
    text = (answer or "").strip() or None
    with ws.transaction():
        item = ws.get("item", item_id)
        if item["scope"] != Scope.TABLE:
            raise ValidationError("answer", f"{item['key']} is answered once for the integration, not per table")
        tables = [ws.get("table", table_id) for table_id in table_ids]
        for table in tables:
            if table["integration_id"] != item["integration_id"]:
                raise ValidationError("answer.table_id", f"{table_label(table)} is not a table of this integration")
        written = []
        existing = {
            row["table_id"]: row for row in ws.rows("answer", "item_id = ?", (item_id,)) if row["table_id"] in table_ids
        }
        columns = _column_names(ws, table_ids)
        for table in tables:
            current = existing.get(table["id"])
            if text is None:
                if current is not None:
                    ws.delete("answer", current["id"])
                continue
            if current is None:
                row = ws.insert(
                    "answer",
                    {
                        "integration_id": item["integration_id"],
                        "item_id": item_id,
                        "table_id": table["id"],
                        "answer": text,
                    },
                )
            else:
                row = ws.update("answer", current["id"], {"answer": text})
            written.append(row)
            facts = table_facts(item["key"], text, columns.get(table["id"], []))
            if facts:
                ws.update("table", table["id"], facts)
        recheck_findings(ws, item["integration_id"], table_ids)
    return written


def table_answers(ws: Workspace, integration_id: int) -> dict[int, dict[str, str]]:
    """The per-table answers of an integration: table id -> item key -> answer."""
    result: dict[int, dict[str, str]] = {}
    for found in ws.query(
        "SELECT a.table_id, i.key, a.answer FROM table_answers a JOIN checklist_items i ON i.id = a.item_id "
        "WHERE a.integration_id = ? ORDER BY i.position, a.table_id",
        (integration_id,),
    ):
        result.setdefault(found["table_id"], {})[found["key"]] = found["answer"]
    return result


def _apply_to_unanswered_tables(ws: Workspace, item: Row) -> None:
    """An agreed answer for the whole integration fills the facts it speaks of where a table has none yet."""
    own = {found[0] for found in ws.query("SELECT table_id FROM table_answers WHERE item_id = ?", (item["id"],))}
    tables = [
        table for table in ws.rows("table", "integration_id = ?", (item["integration_id"],)) if table["id"] not in own
    ]
    columns = _column_names(ws, [table["id"] for table in tables])
    for table in tables:
        facts = table_facts(item["key"], item["answer"], columns.get(table["id"], []))
        missing = {key: value for key, value in facts.items() if table.get(key) in (None, "")}
        if missing:
            ws.update("table", table["id"], missing)


def _column_names(ws: Workspace, table_ids: list[int]) -> dict[int, list[str]]:
    names: dict[int, list[str]] = {}
    for chunk in range(0, len(table_ids), 500):
        part = table_ids[chunk : chunk + 500]
        marks = ", ".join("?" for _ in part)
        for found in ws.query(
            f"SELECT table_id, name FROM columns WHERE table_id IN ({marks}) ORDER BY table_id, position", tuple(part)
        ):
            names.setdefault(found["table_id"], []).append(found["name"])
    return names


def table_facts(item_key: str, answer: str | None, columns: list[str]) -> dict[str, Any]:
    """The data-flow facts of one table that an answer to a per-table item records."""
    if not answer or not answer.strip():
        return {}
    text = answer.strip()
    if item_key == "data_flow.record_creation":
        return {"created_by": text}
    if item_key == "data_flow.retention":
        return {"retention": text}
    if item_key == "data_flow.legacy_migration":
        return {"legacy_marker": text}
    if item_key == "data_flow.test_data":
        return {"test_data_marker": text}
    if item_key == "data_flow.updates":
        column = _named_column(text, columns) or (
            _known_column(columns, UPDATED_AT_NAMES) if re.search(r"updated.at", text, re.I) else None
        )
        return {"updated_at_column": column} if column else {}
    if item_key == "data_flow.deletes":
        return _deletion_facts(text, columns)
    return {}


def _deletion_facts(text: str, columns: list[str]) -> dict[str, Any]:
    lower = text.lower()
    kinds = {
        Deletion.SOFT: "soft" in lower,
        Deletion.HARD: "hard" in lower or "deleted outright" in lower,
        Deletion.NONE: bool(re.search(r"\b(never|not|no(t)? ever) (be )?deleted\b|\bno deletes?\b", lower)),
    }
    said = [kind for kind, mentioned in kinds.items() if mentioned]
    if len(said) != 1:  # "soft for accounts, hard for links" needs an answer per table
        return {}
    facts: dict[str, Any] = {"deletion": said[0].value}
    if said[0] == Deletion.SOFT:
        column = _named_column(text, columns)
        if column is None:
            flags = [name for name in columns if snake_name(name) in SOFT_DELETE_NAMES]
            wanted = "flag" if "flag" in lower else "_at" if re.search(r"timestamp|deleted.at", lower) else ""
            column = next((name for name in flags if wanted and wanted in snake_name(name)), None) or (
                flags[0] if flags else None
            )
        if column:
            facts["soft_delete_column"] = column
    return facts


def _named_column(text: str, columns: list[str]) -> str | None:
    """A column of the table that the answer names word for word (`deleted_at`, `is_test`)."""
    words = set(re.findall(r"[A-Za-z_][A-Za-z0-9_]*", text))
    return next((name for name in columns if name in words and "_" in name), None)


def _known_column(columns: list[str], names: set[str]) -> str | None:
    return next((name for name in columns if snake_name(name) in names), None)


def table_label(table: Row) -> str:
    return f"{table['schema']}.{table['name']}" if table.get("schema") else table["name"]


# -- notes ---------------------------------------------------------------------------------------


def add_note(
    ws: Workspace,
    integration_id: int,
    text: str,
    *,
    kind: NoteKind | str = NoteKind.NOTE,
    private: bool = False,
    at: str | None = None,
    owner: int | None = None,
    due: str | None = None,
    **links: Any,
) -> Row:
    """Write a running note as the workspace's author.

    A note made while a meeting of its integration runs belongs to that meeting, whichever
    screen, shell or process writes it. Links (item_id, table_id, metric_id) must be rows of
    the same integration; an owner and a due date are for todos.
    """
    if not text or not text.strip():
        raise ValidationError("note.text", "the text is empty")
    kind = NoteKind(kind)
    if kind != NoteKind.TODO and (owner is not None or due):
        raise ValidationError("note.owner", "only a todo has an owner and a due date")
    with ws.transaction():
        for field in ("item_id", "table_id", "metric_id", "owner"):
            target = links.get(field) if field != "owner" else owner
            if target is not None:
                _same_integration(ws, field, target, integration_id)
        links.setdefault("meeting_id", running_meeting_id(ws, integration_id))
        return ws.insert(
            "note",
            {
                "integration_id": integration_id,
                "text": text,
                "kind": kind,
                "private": private,
                "at": at or now_utc(),
                "author": ws.author,
                "owner": owner,
                "due": due,
                **links,
            },
        )


def running_meeting_id(ws: Workspace, integration_id: int) -> int | None:
    found = ws.query("SELECT max(id) FROM meetings WHERE integration_id = ? AND ended_at IS NULL", (integration_id,))
    return found[0][0]


_LINK_TARGETS = {"item_id": "item", "table_id": "table", "metric_id": "metric", "owner": "stakeholder"}


def _same_integration(ws: Workspace, field: str, row_id: int, integration_id: int) -> None:
    entity = _LINK_TARGETS[field]
    try:
        row = ws.get(entity, row_id)
    except NotFound:
        raise ValidationError(f"note.{field}", f"the linked {entity} no longer exists") from None
    if row["integration_id"] != integration_id:
        raise ValidationError(f"note.{field}", f"the linked {entity} belongs to another integration")


def update_note(ws: Workspace, note_id: int, values: Mapping[str, Any], version: int | None = None) -> Row:
    """Change a note (text, kind, links, done, private, owner, due); links stay within its integration."""
    with ws.transaction():
        note = ws.get("note", note_id)
        kind = NoteKind(values.get("kind", note["kind"]))
        owner = values["owner"] if "owner" in values else note["owner"]
        due = values["due"] if "due" in values else note["due"]
        if kind != NoteKind.TODO and (owner is not None or due) and ("owner" in values or "due" in values):
            raise ValidationError("note.owner", "only a todo has an owner and a due date")
        if values.get("done") and kind != NoteKind.TODO:
            raise ValidationError("note.done", f"only todos can be ticked off (this note is a {kind.value})")
        for field in _LINK_TARGETS:
            if values.get(field) is not None:
                _same_integration(ws, field, values[field], note["integration_id"])
        return ws.update("note", note_id, values, version=version)


def set_note_done(ws: Workspace, note_id: int, done: bool, version: int | None = None) -> Row:
    return update_note(ws, note_id, {"done": done}, version)


def set_note_private(ws: Workspace, note_id: int, private: bool, version: int | None = None) -> Row:
    return update_note(ws, note_id, {"private": private}, version)


# -- findings ------------------------------------------------------------------------------------


def dismiss_finding(ws: Workspace, finding_id: int, reason: str) -> Row:
    """Dismiss a finding with a reason; it stays dismissed across re-imports."""
    if not reason or not reason.strip():
        raise ValidationError("finding.dismissed_reason", "give a reason, so others know why it does not apply")
    with ws.transaction():
        try:
            ws.get("finding", finding_id)
        except NotFound:
            raise NotFound(f"no finding with id {finding_id} (see `dayone findings`)") from None
        return ws.update(
            "finding",
            finding_id,
            {"dismissed_reason": reason.strip(), "dismissed_by": ws.author, "dismissed_at": now_utc()},
        )


def recheck_findings(ws: Workspace, integration_id: int, table_ids: Iterable[int] | None = None) -> None:
    """Close what the schema import found once it is recorded (and reopen it once it is not).

    Only integrations with a schema import have findings; others are left alone.
    """
    from tui.importers.findings import refresh_findings

    if ws.query("SELECT 1 FROM imports WHERE integration_id = ? LIMIT 1", (integration_id,)):
        refresh_findings(ws, integration_id, table_ids)


# -- any row -------------------------------------------------------------------------------------


def add_row(ws: Workspace, entity: str, values: Mapping[str, Any]) -> Row:
    """Create a row from a form: notes and integrations through their own actions, the rest as given."""
    values = dict(values)
    if entity == "integration":
        return ws.add_integration(values.pop("name"), **values)
    if entity == "note":
        return add_note(ws, values.pop("integration_id"), values.pop("text", "") or "", **values)
    if entity == "item" and values.get("status") == ItemStatus.AGREED and not values.get("answer"):
        raise ValidationError("item.status", f"{values.get('key', 'the item')} {NO_ANSWER}")
    with ws.transaction():
        row = ws.insert(entity, values)
        _after_shape_change(ws, entity, row)
    return row


def edit_row(ws: Workspace, entity: str, row_id: int, values: Mapping[str, Any], version: int | None = None) -> Row:
    """Change a row from a form, through the action that owns that kind of row."""
    if entity == "item":
        return update_item(ws, row_id, values, version)
    if entity == "note":
        return update_note(ws, row_id, values, version)
    with ws.transaction():
        row = ws.update(entity, row_id, values, version=version)
        _after_shape_change(ws, entity, row)
    return row


def delete_row(ws: Workspace, entity: str, row_id: int, version: int | None = None) -> None:
    """Delete a row and what it owns; findings of a table follow its columns."""
    with ws.transaction():
        row = ws.get(entity, row_id)
        ws.delete(entity, row_id, version=version)
        if entity == "column":
            _after_shape_change(ws, entity, row)


def _after_shape_change(ws: Workspace, entity: str, row: Row) -> None:
    if entity == "table":
        recheck_findings(ws, row["integration_id"], [row["id"]])
    elif entity == "column":
        table = ws.get("table", row["table_id"])
        recheck_findings(ws, table["integration_id"], [table["id"]])


# -- integrations --------------------------------------------------------------------------------


def rename_integration(ws: Workspace, name: str, new_name: str) -> Row:
    new_name = new_name.strip()
    if not new_name:
        raise ValidationError("integration.name", "the new name is empty")
    with ws.transaction():
        row = ws.integration(name)
        if new_name != row["name"] and ws.rows("integration", "name = ?", (new_name,)):
            raise ValidationError("integration.name", f"an integration named {new_name!r} already exists")
        return ws.update("integration", row["id"], {"name": new_name})


def archive_integration(ws: Workspace, name: str, archived: bool = True) -> Row:
    """Put an integration away (or back): archived ones leave the lists but keep everything."""
    with ws.transaction():
        row = ws.integration(name)
        if bool(row["archived_at"]) == archived:
            raise DayoneError(f"{row['name']} is {'already' if archived else 'not'} archived")
        return ws.update("integration", row["id"], {"archived_at": now_utc() if archived else None})
