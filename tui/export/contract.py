"""The facts of one integration's data contract, read from the workspace once and masked.

Every exporter (Markdown, Confluence, ODCS) starts from `ContractFacts`, so the
same answer reads the same everywhere. Every string of the facts passes the
masking layer (tui.secrets) once, after everything is read and before anything
is derived from it (file names, diagram names, references), with a warning that
says where each credential was found. Private notes are never read here.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, cast

from tui.actions import table_answers
from tui.availability import ColumnIndex
from tui.enums import ItemStatus, NoteKind, Priority, Role
from tui.flags import Flag, shape_flags
from tui.meetings import referenced_name
from tui.references import split
from tui.secrets import Masker
from tui.store import Row, Workspace

LEAD_ROLES = (Role.ENGINEERING_LEAD, Role.PRODUCT_MANAGER, Role.PROJECT_MANAGER)
# The change log is written for the contract's readers; these entities are not part of the contract.
UNSHARED_ENTITIES = ("note", "meeting", "finding")
MAX_CHANGES = 200


@dataclass(frozen=True)
class Person:
    name: str
    role: str | None
    team: str | None
    contact: str | None
    responsibilities: str | None
    point_of_contact: bool


@dataclass(frozen=True)
class Metric:
    name: str
    question: str | None
    requested_by: str | None
    priority: str | None
    timeline: str | None
    status: str
    data_state: str
    missing: tuple[str, ...]
    availability: str


@dataclass(frozen=True)
class Item:
    key: str
    question: str
    status: str
    answer: str | None
    owner: str | None
    due: str | None
    agreed_on: str | None


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    items: tuple[Item, ...]

    @property
    def decisions(self) -> list[Item]:
        return [item for item in self.items if item.status == ItemStatus.AGREED]

    @property
    def open_questions(self) -> list[Item]:
        return [item for item in self.items if not ItemStatus(item.status).settled]

    @property
    def not_applicable(self) -> list[Item]:
        return [item for item in self.items if item.status == ItemStatus.NOT_APPLICABLE]


@dataclass(slots=True)
class Column:
    name: str
    type: str | None
    nullable: bool
    primary_key: bool
    unique: bool
    foreign_key: str | None
    default: str | None
    generated: str | None
    check: str | None
    description: str | None
    classification: str | None
    value_set: dict[str, str | None]
    json_schema: str | None


@dataclass(frozen=True)
class Table:
    schema: str
    name: str
    description: str | None
    kind: str | None
    estimated_rows: int | None
    created_by: str | None
    updated_at_column: str | None
    deletion: str | None
    soft_delete_column: str | None
    retention: str | None
    legacy_marker: str | None
    test_data_marker: str | None
    columns: tuple[Column, ...]
    flags: tuple[Flag, ...]
    answers: tuple[tuple[str, str], ...] = ()  # (checklist item key, answer) asked of this table
    # Columns the database has beyond the contract's fail `dayone check` (rather than warn).
    strict: bool = False

    @property
    def ref(self) -> str:
        return f"{self.schema}.{self.name}" if self.schema else self.name


@dataclass(frozen=True)
class Change:
    """One row touched since the previous export; `fields` holds (field, old, new) in full, cut only when shown."""

    action: str
    what: str
    fields: tuple[tuple[str, str, str], ...]
    at: str
    author: str

    @property
    def details(self) -> str:
        return "; ".join(f"{field}: {_clip(old)} → {_clip(new)}" for field, old, new in self.fields)


def _clip(text: str) -> str:
    return text if len(text) <= 60 else text[:57] + "..."


@dataclass(frozen=True)
class RunningNote:
    """A decision or an open question from the running notes, and what it is about."""

    kind: str
    text: str
    on: str
    author: str
    item: str | None
    table: str | None
    metric: str | None


@dataclass(frozen=True)
class PublishedVersion:
    """One published version of the contract, for the version history."""

    version: str
    on: str
    author: str
    bump: str | None
    message: str | None


@dataclass(frozen=True)
class Todo:
    done: bool
    text: str
    owner: str | None
    due: str | None


@dataclass
class ContractFacts:
    name: str
    source: str | None
    description: str | None
    go_live: str | None
    version: str
    status: str
    today: str
    people: list[Person]
    metrics: list[Metric]
    sections: list[Section]
    tables: list[Table]
    last_change_id: int
    previous_export: str | None
    changes: list[Change]
    more_changes: int
    todos: list[Todo] = field(default_factory=list)
    # Where the schema was imported from, newest first (URLs or file names, never with a password).
    sources: list[str] = field(default_factory=list)
    notes: list[RunningNote] = field(default_factory=list)
    # Published versions, newest first.
    versions: list[PublishedVersion] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def item(self, key: str) -> Item | None:
        for section in self.sections:
            for item in section.items:
                if item.key == key:
                    return item
        return None

    @property
    def points_of_contact(self) -> list[Person]:
        return [person for person in self.people if person.point_of_contact]

    @property
    def leads(self) -> list[Person]:
        return [person for person in self.people if person.role in LEAD_ROLES and not person.point_of_contact]


def gather(workspace: Workspace, integration: Row, today: str, fmt: str = "markdown") -> ContractFacts:
    """Read everything the contract shows for one integration; `fmt` picks which earlier export to diff against."""
    iid, name = integration["id"], integration["name"]
    mask = Masker()
    label = mask(name, "the integration's name")
    people_rows = workspace.rows("stakeholder", "integration_id = ?", (iid,))
    names = {row["id"]: row["name"] for row in people_rows}
    people = sorted(
        (
            Person(
                row["name"],
                row["role"],
                row["team"],
                row["contact"],
                row["responsibilities"],
                bool(row["point_of_contact"]),
            )
            for row in people_rows
        ),
        key=lambda person: (not person.point_of_contact, person.name.lower(), person.name),
    )
    last_change_id = workspace.query("SELECT coalesce(max(id), 0) FROM changes WHERE integration_id = ?", (iid,))[0][0]
    previous = workspace.query(
        "SELECT at, last_change_id FROM exports WHERE integration_id = ? AND format = ? AND last_change_id < ?"
        " ORDER BY last_change_id DESC, id DESC LIMIT 1",
        (iid, fmt, last_change_id),
    )
    tables = _tables(workspace, iid)
    sections = _sections(workspace, iid, names)
    changes, more = _changes(workspace, iid, previous[0]["last_change_id"]) if previous else ([], 0)
    facts = ContractFacts(
        name=name,
        source=integration["source"],
        description=integration["description"],
        go_live=integration["go_live"],
        version=integration["contract_version"],
        status=integration["contract_status"],
        today=today,
        people=people,
        metrics=_metrics(workspace, iid, names, tables),
        sections=sections,
        tables=tables,
        last_change_id=last_change_id,
        previous_export=previous[0]["at"][:10] if previous else None,
        changes=changes,
        more_changes=more,
        todos=todos(workspace, iid, names),
        notes=_running_notes(workspace, iid),
        versions=published_versions(workspace, iid),
        sources=[
            row[0]
            for row in workspace.query("SELECT source FROM imports WHERE integration_id = ? ORDER BY id DESC", (iid,))
        ],
    )
    facts = mask.walk(facts, label)
    facts.warnings = mask.warnings
    return facts


def todos(
    workspace: Workspace,
    iid: int,
    names: dict[int, str],
    window: str = "1 = 1",
    params: tuple = (),
) -> list[Todo]:
    """Todo notes that are not private, oldest first, with their owner and due date (else their item's)."""
    items = {
        row[0]: (row[1], row[2])
        for row in workspace.query("SELECT id, owner, due FROM checklist_items WHERE integration_id = ?", (iid,))
    }
    found = []
    for note in workspace.rows(
        "note",
        f"integration_id = ? AND private = 0 AND kind = 'todo' AND ({window})",
        (iid, *params),
        order_by="at, id",
    ):
        owner_id, due = items.get(note["item_id"], (None, None))
        found.append(
            Todo(
                bool(note["done"]),
                note["text"] or "",
                names.get(note["owner"]) or names.get(owner_id) or note["author"],
                note["due"] or due,
            )
        )
    return found


def published_versions(workspace: Workspace, iid: int) -> list[PublishedVersion]:
    """The published versions of an integration's contract, newest first (by number)."""
    rows = workspace.query(
        "SELECT version, at, author, bump, message FROM contract_versions WHERE integration_id = ?", (iid,)
    )
    found = [PublishedVersion(version, at[:10], author, bump, message) for version, at, author, bump, message in rows]
    return sorted(found, key=lambda each: tuple(int(part) for part in each.version.split(".")), reverse=True)


def _running_notes(workspace: Workspace, iid: int) -> list[RunningNote]:
    """Decisions, and questions still open, from the running notes that are not private; oldest first."""
    return [
        RunningNote(kind, text, at[:10], author, item, f"{schema}.{table}" if schema else table, metric)
        for kind, text, at, author, item, schema, table, metric in workspace.query(
            "SELECT n.kind, n.text, n.at, n.author, i.key, t.schema, t.name, m.name FROM notes n"
            " LEFT JOIN checklist_items i ON i.id = n.item_id LEFT JOIN tables t ON t.id = n.table_id"
            " LEFT JOIN metrics m ON m.id = n.metric_id WHERE n.integration_id = ? AND n.private = 0"
            " AND (n.kind = ? OR (n.kind = ? AND n.done = 0)) ORDER BY n.at, n.id",
            (iid, NoteKind.DECISION.value, NoteKind.QUESTION.value),
        )
    ]


def _metrics(workspace: Workspace, iid: int, names: dict[int, str], tables: list[Table]) -> list[Metric]:
    rows = workspace.rows("metric", "integration_id = ?", (iid,))
    # A need names a column last, so only columns named like the end of some need can be found.
    wanted = {parts[-1].lower() for row in rows for ref in row["needs"] or () if (parts := split(ref))}
    index = (
        ColumnIndex(
            (table.schema, table.name, column.name)
            for table in tables
            for column in table.columns
            if column.name.lower() in wanted
        )
        if wanted
        else ColumnIndex(())
    )
    order = {priority.value: rank for rank, priority in enumerate(Priority)}
    metrics = []
    for row in rows:
        available = index.availability(row["needs"])
        metrics.append(
            Metric(
                row["name"],
                row["question"],
                names.get(row["requested_by"]),
                row["priority"],
                row["timeline"],
                row["status"],
                available.state.value,
                available.missing,
                available.describe(),
            )
        )
    return sorted(metrics, key=lambda metric: (order.get(metric.priority or "", len(order)), metric.name))


def agreed_dates(workspace: Workspace, iid: int) -> dict[int, str]:
    """When each agreed checklist item of an integration was agreed (YYYY-MM-DD).

    The day of its latest agreement in the change log; when that agreement came with an `agreed_on` date
    (a plan that says when it was agreed), that date. Without either, the day the item last changed.
    """
    latest = workspace.query(
        "SELECT row_id, at, batch FROM changes WHERE id IN (SELECT max(id) FROM changes WHERE integration_id = ?"
        " AND entity = 'item' AND field = 'status' AND new = ? GROUP BY row_id)",
        (iid, json.dumps(ItemStatus.AGREED.value)),
    )
    dated = {
        (row_id, batch)
        for row_id, batch in workspace.query(
            "SELECT row_id, batch FROM changes WHERE integration_id = ? AND entity = 'item' AND field = 'agreed_on'",
            (iid,),
        )
    }
    logged = {row_id: (at, (row_id, batch) in dated) for row_id, at, batch in latest}
    dates = {}
    for item_id, agreed_on, updated_at in workspace.query(
        "SELECT id, agreed_on, updated_at FROM checklist_items WHERE integration_id = ? AND status = ?",
        (iid, ItemStatus.AGREED.value),
    ):
        at, with_date = logged.get(item_id, (None, False))
        when = agreed_on if agreed_on and (with_date or at is None) else at or agreed_on or updated_at
        if when:
            dates[item_id] = when[:10]
    return dates


def _sections(workspace: Workspace, iid: int, names: dict[int, str]) -> list[Section]:
    agreed_on = agreed_dates(workspace, iid)
    grouped: dict[str, tuple[str, list[Item]]] = {}
    for row in workspace.rows("item", "integration_id = ?", (iid,), order_by="position, id"):
        item = Item(
            row["key"],
            row["question"],
            row["status"],
            row["answer"],
            names.get(row["owner"]),
            row["due"],
            agreed_on.get(row["id"]),
        )
        grouped.setdefault(row["section"], (row["section_title"], []))[1].append(item)
    return [Section(key, title, tuple(items)) for key, (title, items) in grouped.items()]


# Columns are read in two passes: the shape of every column, then the free text of the few that have any.
_TEXT_FIELDS = ("default_value", "generated", "check_constraint", "description", "value_set", "json_schema")
_HAS_TEXT = f"coalesce({', '.join(_TEXT_FIELDS)}) IS NOT NULL"
_OF_INTEGRATION = "FROM columns WHERE table_id IN (SELECT id FROM tables WHERE integration_id = ?)"
# Nullable, primary key and unique are read as the bits of one number.
_KEY_BITS = tuple((bool(bits & 1), bool(bits & 2), bool(bits & 4)) for bits in range(8))


def _tables(workspace: Workspace, iid: int) -> list[Table]:
    """Tables with their columns, read with plain queries: this is the bulk of a large contract."""
    columns: dict[int, list[Column | tuple]] = {}
    with_text: set[int] = set()  # tables with columns whose text is decoded once their table is known
    current, found = None, []
    shapes = workspace.query(
        f"SELECT table_id, CASE WHEN {_HAS_TEXT} THEN id END, name, type,"
        f" (nullable != 0) + 2 * (primary_key != 0) + 4 * (is_unique != 0), foreign_key, classification"
        f" {_OF_INTEGRATION} ORDER BY table_id, position, id",
        (iid,),
    )
    texts = {
        row[0]: tuple(row)[1:]
        for row in workspace.query(f"SELECT id, {', '.join(_TEXT_FIELDS)} {_OF_INTEGRATION} AND {_HAS_TEXT}", (iid,))
    }
    for table_id, text_id, column, kind, keys, foreign_key, classification in shapes:
        if table_id != current:
            current, found = table_id, columns.setdefault(table_id, [])
        nullable, primary_key, unique = _KEY_BITS[keys]
        text = texts.get(text_id) if text_id is not None else None
        if text is None:
            # Most columns carry no free text: nothing to decode.
            found.append(
                Column(
                    column,
                    kind,
                    nullable,
                    primary_key,
                    unique,
                    foreign_key,
                    None,
                    None,
                    None,
                    None,
                    classification,
                    {},
                    None,
                )
            )
        else:
            default, generated, check, description, value_set, json_schema = text
            found.append(
                (
                    column,
                    kind,
                    nullable,
                    primary_key,
                    unique,
                    foreign_key,
                    default,
                    generated,
                    check,
                    description,
                    classification,
                    value_set,
                    json_schema,
                )
            )
            with_text.add(table_id)
    tables = []
    answers = table_answers(workspace, iid)
    for row in workspace.rows("table", "integration_id = ?", (iid,), order_by="schema, name"):
        found = columns.get(row["id"], [])
        if row["id"] in with_text:
            own = [column if isinstance(column, Column) else _column(column) for column in found]
        else:
            own = cast("list[Column]", found)  # a table without text columns has them all made already
        flags = shape_flags(
            row["updated_at_column"],
            row["deletion"],
            ((column.name, column.type, column.foreign_key, column.value_set, column.json_schema) for column in own),
        )
        tables.append(
            Table(
                row["schema"],
                row["name"],
                row["description"],
                row["kind"],
                row["estimated_rows"],
                row["created_by"],
                row["updated_at_column"],
                row["deletion"],
                row["soft_delete_column"],
                row["retention"],
                row["legacy_marker"],
                row["test_data_marker"],
                tuple(own),
                tuple(flags),
                tuple(answers.get(row["id"], {}).items()),
                bool(row["strict"]),
            )
        )
    return tables


def _column(values: tuple) -> Column:
    (
        name,
        kind,
        nullable,
        primary_key,
        unique,
        foreign_key,
        default,
        generated,
        check,
        description,
        classification,
        value_set,
        json_schema,
    ) = values
    value_set = json.loads(value_set) if value_set else {}
    schema_text = (
        json.dumps(json.loads(json_schema), indent=2, sort_keys=True, ensure_ascii=False)
        if json_schema is not None
        else None
    )
    return Column(
        name,
        kind,
        bool(nullable),
        bool(primary_key),
        bool(unique),
        foreign_key,
        default,
        generated,
        check,
        description,
        classification,
        {str(code): meaning for code, meaning in value_set.items()},
        schema_text,
    )


def _label(entity: str, row: dict[str, Any] | None, row_id: int, labels: dict[tuple[str, int], str]) -> str:
    if (entity, row_id) in labels:
        return labels[(entity, row_id)]
    if row:
        for key in ("key", "name", "title"):
            if row.get(key):
                return f"{entity} {row[key]}"
    return f"{entity} #{row_id}"


# Entity -> the label parts of its rows in one integration, among ids given as a JSON list, and the label.
_IN_IDS = "id IN (SELECT value FROM json_each(?))"
_LABELS: dict[str, tuple[str, Callable[..., str]]] = {
    "item": (
        f"SELECT id, key FROM checklist_items WHERE integration_id = ? AND {_IN_IDS}",
        lambda key: f"checklist {key}",
    ),
    "table": (
        f"SELECT id, schema, name FROM tables WHERE integration_id = ? AND {_IN_IDS}",
        lambda schema, table: f"table {schema + '.' if schema else ''}{table}",
    ),
    "column": (
        f"SELECT c.id, t.schema, t.name, c.name FROM columns c JOIN tables t ON t.id = c.table_id"
        f" WHERE t.integration_id = ? AND c.{_IN_IDS}",
        lambda schema, table, column: f"column {schema + '.' if schema else ''}{table}.{column}",
    ),
    "stakeholder": (
        f"SELECT id, name FROM stakeholders WHERE integration_id = ? AND {_IN_IDS}",
        lambda name: f"stakeholder {name}",
    ),
    "metric": (f"SELECT id, name FROM metrics WHERE integration_id = ? AND {_IN_IDS}", lambda name: f"metric {name}"),
}


def _labels(workspace: Workspace, iid: int, touched: dict[str, set[int]]) -> dict[tuple[str, int], str]:
    """How the change log names each row it touched that still exists; only those rows are read."""
    labels: dict[tuple[str, int], str] = {}
    for entity, (sql, label) in _LABELS.items():
        if touched.get(entity):
            for row_id, *parts in workspace.query(sql, (iid, json.dumps(sorted(touched[entity])))):
                labels[(entity, row_id)] = label(*parts)
    labels[("integration", iid)] = "integration"
    return labels


def _changes(workspace: Workspace, iid: int, after: int) -> tuple[list[Change], int]:
    """What changed after an earlier export, one line per row touched, newest state last."""
    shared = [change for change in workspace.changes(iid, after) if change["entity"] not in UNSHARED_ENTITIES]
    touched: dict[str, set[int]] = {}
    for change in shared:
        touched.setdefault(change["entity"], set()).add(change["row_id"])
    labels = _labels(workspace, iid, touched)
    names: dict[tuple[str, int], str] = {}
    merged: dict[tuple[str, int, str], dict[str, Any]] = {}
    for change in shared:
        if change["action"] == "update" and (change["entity"], change["row_id"], "insert") in merged:
            continue
        key = (change["entity"], change["row_id"], change["action"] if change["action"] != "update" else "update")
        entry = merged.setdefault(key, {"change": change, "fields": {}})
        entry["last"] = change
        if change["action"] == "update":
            first_old = entry["fields"].get(change["field"], (change["old"], None))[0]
            entry["fields"][change["field"]] = (first_old, change["new"])
    result = []
    for (entity, row_id, action), entry in merged.items():
        row = entry["change"]["new"] if action == "insert" else entry["change"]["old"] if action == "delete" else None
        what = _label(entity, row if isinstance(row, dict) else None, row_id, labels)
        if action == "update":
            details = tuple(
                (
                    field,
                    _shown(referenced_name(workspace, field, old, names)),
                    _shown(referenced_name(workspace, field, new, names)),
                )
                for field, (old, new) in sorted(entry["fields"].items())
            )
            verb = "changed"
        else:
            details, verb = (), "added" if action == "insert" else "removed"
        last = entry["last"]
        result.append(Change(verb, what, details, last["at"][:10], last["author"]))
    return result[:MAX_CHANGES], max(0, len(result) - MAX_CHANGES)


def _shown(value: Any) -> str:
    if value is None or value == "":
        return "(empty)"
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, sort_keys=True)
