"""The workspace schema: ordered migrations, and what each entity's fields hold.

`MIGRATIONS[n]` takes a file from `PRAGMA user_version` n to n + 1. Migrations
are literal SQL so that an old step never changes under a file it already ran
on. `ENTITIES` describes the current shape for validation and decoding; a test
checks that it matches the columns the migrations create.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from tui.enums import (
    ContractStatus,
    Deletion,
    ItemStatus,
    MetricStatus,
    NoteKind,
    Priority,
    Role,
    Scope,
    Team,
    Timeline,
)

MIGRATIONS: list[str] = [
    """
    CREATE TABLE integrations (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL UNIQUE,
        source TEXT,
        go_live TEXT,
        description TEXT,
        contract_version TEXT NOT NULL DEFAULT '0.1.0',
        contract_status TEXT NOT NULL DEFAULT 'draft',
        version INTEGER NOT NULL DEFAULT 1
    );
    CREATE TABLE stakeholders (
        id INTEGER PRIMARY KEY,
        integration_id INTEGER NOT NULL REFERENCES integrations(id) ON DELETE CASCADE,
        name TEXT NOT NULL,
        role TEXT,
        team TEXT,
        contact TEXT,
        responsibilities TEXT,
        point_of_contact INTEGER NOT NULL DEFAULT 0,
        version INTEGER NOT NULL DEFAULT 1,
        UNIQUE (integration_id, name)
    );
    CREATE TABLE metrics (
        id INTEGER PRIMARY KEY,
        integration_id INTEGER NOT NULL REFERENCES integrations(id) ON DELETE CASCADE,
        name TEXT NOT NULL,
        question TEXT,
        requested_by INTEGER REFERENCES stakeholders(id) ON DELETE SET NULL,
        priority TEXT,
        timeline TEXT,
        status TEXT NOT NULL DEFAULT 'wanted',
        needs TEXT NOT NULL DEFAULT '[]',
        version INTEGER NOT NULL DEFAULT 1,
        UNIQUE (integration_id, name)
    );
    CREATE TABLE checklist_items (
        id INTEGER PRIMARY KEY,
        integration_id INTEGER NOT NULL REFERENCES integrations(id) ON DELETE CASCADE,
        key TEXT NOT NULL,
        section TEXT NOT NULL,
        section_title TEXT NOT NULL,
        position INTEGER NOT NULL,
        question TEXT NOT NULL,
        why TEXT NOT NULL,
        options TEXT NOT NULL DEFAULT '[]',
        scope TEXT NOT NULL DEFAULT 'integration',
        status TEXT NOT NULL DEFAULT 'open',
        answer TEXT,
        owner INTEGER REFERENCES stakeholders(id) ON DELETE SET NULL,
        due TEXT,
        updated_at TEXT,
        updated_by TEXT,
        version INTEGER NOT NULL DEFAULT 1,
        UNIQUE (integration_id, key)
    );
    CREATE TABLE tables (
        id INTEGER PRIMARY KEY,
        integration_id INTEGER NOT NULL REFERENCES integrations(id) ON DELETE CASCADE,
        schema TEXT NOT NULL DEFAULT '',
        name TEXT NOT NULL,
        description TEXT,
        kind TEXT,
        estimated_rows INTEGER,
        created_by TEXT,
        updated_at_column TEXT,
        deletion TEXT,
        soft_delete_column TEXT,
        retention TEXT,
        legacy_marker TEXT,
        test_data_marker TEXT,
        version INTEGER NOT NULL DEFAULT 1,
        UNIQUE (integration_id, schema, name)
    );
    CREATE TABLE columns (
        id INTEGER PRIMARY KEY,
        table_id INTEGER NOT NULL REFERENCES tables(id) ON DELETE CASCADE,
        position INTEGER NOT NULL,
        name TEXT NOT NULL,
        type TEXT,
        nullable INTEGER NOT NULL DEFAULT 1,
        default_value TEXT,
        primary_key INTEGER NOT NULL DEFAULT 0,
        is_unique INTEGER NOT NULL DEFAULT 0,
        foreign_key TEXT,
        generated TEXT,
        check_constraint TEXT,
        description TEXT,
        value_set TEXT,
        json_schema TEXT,
        classification TEXT,
        version INTEGER NOT NULL DEFAULT 1,
        UNIQUE (table_id, name)
    );
    CREATE INDEX columns_by_table ON columns (table_id, position);
    CREATE TABLE meetings (
        id INTEGER PRIMARY KEY,
        integration_id INTEGER NOT NULL REFERENCES integrations(id) ON DELETE CASCADE,
        title TEXT NOT NULL,
        started_at TEXT NOT NULL,
        ended_at TEXT,
        attendees TEXT NOT NULL DEFAULT '[]',
        agenda TEXT NOT NULL DEFAULT '[]',
        version INTEGER NOT NULL DEFAULT 1
    );
    CREATE TABLE notes (
        id INTEGER PRIMARY KEY,
        integration_id INTEGER NOT NULL REFERENCES integrations(id) ON DELETE CASCADE,
        at TEXT NOT NULL,
        author TEXT NOT NULL,
        kind TEXT NOT NULL DEFAULT 'note',
        text TEXT NOT NULL,
        done INTEGER NOT NULL DEFAULT 0,
        private INTEGER NOT NULL DEFAULT 0,
        item_id INTEGER REFERENCES checklist_items(id) ON DELETE SET NULL,
        table_id INTEGER REFERENCES tables(id) ON DELETE SET NULL,
        metric_id INTEGER REFERENCES metrics(id) ON DELETE SET NULL,
        meeting_id INTEGER REFERENCES meetings(id) ON DELETE SET NULL,
        version INTEGER NOT NULL DEFAULT 1
    );
    CREATE INDEX notes_by_integration ON notes (integration_id, at);
    CREATE TABLE findings (
        id INTEGER PRIMARY KEY,
        integration_id INTEGER NOT NULL REFERENCES integrations(id) ON DELETE CASCADE,
        table_id INTEGER REFERENCES tables(id) ON DELETE CASCADE,
        column_name TEXT,
        rule TEXT NOT NULL,
        message TEXT NOT NULL,
        item_key TEXT,
        dismissed_reason TEXT,
        dismissed_by TEXT,
        dismissed_at TEXT,
        version INTEGER NOT NULL DEFAULT 1
    );
    CREATE TABLE imports (
        id INTEGER PRIMARY KEY,
        integration_id INTEGER NOT NULL REFERENCES integrations(id) ON DELETE CASCADE,
        at TEXT NOT NULL,
        author TEXT NOT NULL,
        source TEXT NOT NULL,
        dialect TEXT,
        summary TEXT NOT NULL DEFAULT '{}'
    );
    CREATE TABLE exports (
        id INTEGER PRIMARY KEY,
        integration_id INTEGER NOT NULL REFERENCES integrations(id) ON DELETE CASCADE,
        at TEXT NOT NULL,
        author TEXT NOT NULL,
        format TEXT NOT NULL,
        last_change_id INTEGER NOT NULL,
        path TEXT
    );
    CREATE TABLE changes (
        id INTEGER PRIMARY KEY,
        batch INTEGER NOT NULL,
        at TEXT NOT NULL,
        author TEXT NOT NULL,
        integration_id INTEGER,
        meeting_id INTEGER,
        entity TEXT NOT NULL,
        row_id INTEGER NOT NULL,
        action TEXT NOT NULL CHECK (action IN ('insert', 'update', 'delete')),
        field TEXT,
        old TEXT,
        new TEXT
    );
    CREATE INDEX changes_by_batch ON changes (batch);
    CREATE INDEX changes_by_integration ON changes (integration_id, id);
    -- When each checklist item was last agreed: read by every contract export, a handful of rows each.
    CREATE INDEX changes_of_item_status ON changes (integration_id, row_id) WHERE entity = 'item' AND field = 'status';
    CREATE TABLE settings (
        key TEXT PRIMARY KEY,
        value TEXT
    );
    """,
    # Todos get an owner and a due date; integrations can be archived; checklist items asked per table
    # get one answer per table.
    """
    ALTER TABLE notes ADD COLUMN owner INTEGER REFERENCES stakeholders(id) ON DELETE SET NULL;
    ALTER TABLE notes ADD COLUMN due TEXT;
    ALTER TABLE integrations ADD COLUMN archived_at TEXT;
    CREATE TABLE table_answers (
        id INTEGER PRIMARY KEY,
        integration_id INTEGER NOT NULL REFERENCES integrations(id) ON DELETE CASCADE,
        item_id INTEGER NOT NULL REFERENCES checklist_items(id) ON DELETE CASCADE,
        table_id INTEGER NOT NULL REFERENCES tables(id) ON DELETE CASCADE,
        answer TEXT NOT NULL,
        version INTEGER NOT NULL DEFAULT 1,
        UNIQUE (item_id, table_id)
    );
    CREATE INDEX table_answers_by_table ON table_answers (table_id);
    """,
    # When a checklist item was agreed, as a plan carries it (agreements made in dayone are in the change log).
    """
    ALTER TABLE checklist_items ADD COLUMN agreed_on TEXT;
    """,
    # `dayone check` keeps each run against a live database and one row per rule it checked; a table marked strict
    # fails the check when the database has columns the contract does not list.
    """
    ALTER TABLE tables ADD COLUMN strict INTEGER NOT NULL DEFAULT 0;
    CREATE TABLE check_runs (
        id INTEGER PRIMARY KEY,
        integration_id INTEGER NOT NULL REFERENCES integrations(id) ON DELETE CASCADE,
        started_at TEXT NOT NULL,
        finished_at TEXT NOT NULL,
        author TEXT NOT NULL,
        source TEXT NOT NULL,
        dialect TEXT NOT NULL,
        passed INTEGER NOT NULL,
        fail_on_warning INTEGER NOT NULL DEFAULT 0,
        sample_percent REAL,
        since TEXT,
        counts TEXT NOT NULL DEFAULT '{}'
    );
    CREATE INDEX check_runs_by_integration ON check_runs (integration_id, id);
    CREATE TABLE check_results (
        id INTEGER PRIMARY KEY,
        run_id INTEGER NOT NULL REFERENCES check_runs(id) ON DELETE CASCADE,
        position INTEGER NOT NULL,
        rule TEXT NOT NULL,
        schema TEXT NOT NULL DEFAULT '',
        table_name TEXT NOT NULL,
        column_name TEXT,
        status TEXT NOT NULL CHECK (status IN ('pass', 'fail', 'warn', 'proven', 'sampled')),
        violations INTEGER,
        samples TEXT NOT NULL DEFAULT '[]',
        sql TEXT,
        enforced_by TEXT CHECK (enforced_by IN ('constraint', 'check')),
        message TEXT
    );
    CREATE INDEX check_results_by_run ON check_results (run_id, position);
    """,
    # Who has the workspace open: one row per running app (a terminal or a browser tab), renewed every few seconds
    # and deleted when the app closes; a row not renewed in time is someone who left without saying so. Not part of
    # the plan: never in the change log, never exported.
    """
    CREATE TABLE presence (
        session TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        since REAL NOT NULL,
        seen REAL NOT NULL
    );
    """,
    # Published versions of an integration's contract: each a frozen copy of the agreement, never edited.
    """
    CREATE TABLE contract_versions (
        id INTEGER PRIMARY KEY,
        integration_id INTEGER NOT NULL REFERENCES integrations(id) ON DELETE CASCADE,
        version TEXT NOT NULL,
        at TEXT NOT NULL,
        author TEXT NOT NULL,
        message TEXT,
        bump TEXT,
        last_change_id INTEGER NOT NULL DEFAULT 0,
        contract TEXT NOT NULL,
        UNIQUE (integration_id, version)
    );
    """,
]

SCHEMA_VERSION = len(MIGRATIONS)

# Field kinds besides enums.
TEXT, INT, BOOL, JSON, DATE, REF = "text", "int", "bool", "json", "date", "ref"


@dataclass(frozen=True)
class Entity:
    """One kind of row a user edits: its table, its parent and its editable fields."""

    name: str
    table: str
    parent: str | None
    fields: dict[str, str | type[StrEnum]]
    label: str = "name"
    required: tuple[str, ...] = ()
    children: tuple[str, ...] = field(default=())
    # Text fields stored as "" rather than NULL when left empty (a table's schema: "" is the default one).
    empty_text: tuple[str, ...] = ()

    def kind(self, name: str) -> str | type[StrEnum]:
        return self.fields[name]


ENTITIES: dict[str, Entity] = {
    entity.name: entity
    for entity in (
        Entity(
            "integration",
            "integrations",
            None,
            {
                "name": TEXT,
                "source": TEXT,
                "go_live": DATE,
                "description": TEXT,
                "contract_version": TEXT,
                "contract_status": ContractStatus,
                "archived_at": TEXT,
            },
            required=("name",),
            children=("note", "finding", "meeting", "metric", "answer", "item", "table", "stakeholder"),
        ),
        Entity(
            "stakeholder",
            "stakeholders",
            "integration_id",
            {
                "integration_id": REF,
                "name": TEXT,
                "role": Role,
                "team": Team,
                "contact": TEXT,
                "responsibilities": TEXT,
                "point_of_contact": BOOL,
            },
            required=("name",),
        ),
        Entity(
            "metric",
            "metrics",
            "integration_id",
            {
                "integration_id": REF,
                "name": TEXT,
                "question": TEXT,
                "requested_by": REF,
                "priority": Priority,
                "timeline": Timeline,
                "status": MetricStatus,
                "needs": JSON,
            },
            required=("name",),
        ),
        Entity(
            "item",
            "checklist_items",
            "integration_id",
            {
                "integration_id": REF,
                "key": TEXT,
                "section": TEXT,
                "section_title": TEXT,
                "position": INT,
                "question": TEXT,
                "why": TEXT,
                "options": JSON,
                "scope": Scope,
                "status": ItemStatus,
                "answer": TEXT,
                "owner": REF,
                "due": DATE,
                "agreed_on": DATE,
                "updated_at": TEXT,
                "updated_by": TEXT,
            },
            label="key",
            required=("key", "section", "section_title", "question", "why"),
            children=("answer",),
        ),
        Entity(
            "table",
            "tables",
            "integration_id",
            {
                "integration_id": REF,
                "schema": TEXT,
                "name": TEXT,
                "description": TEXT,
                "kind": TEXT,
                "estimated_rows": INT,
                "created_by": TEXT,
                "updated_at_column": TEXT,
                "deletion": Deletion,
                "soft_delete_column": TEXT,
                "retention": TEXT,
                "legacy_marker": TEXT,
                "test_data_marker": TEXT,
                "strict": BOOL,
            },
            required=("name",),
            children=("column", "finding", "answer"),
            empty_text=("schema",),
        ),
        Entity(
            "column",
            "columns",
            "table_id",
            {
                "table_id": REF,
                "position": INT,
                "name": TEXT,
                "type": TEXT,
                "nullable": BOOL,
                "default_value": TEXT,
                "primary_key": BOOL,
                "is_unique": BOOL,
                "foreign_key": TEXT,
                "generated": TEXT,
                "check_constraint": TEXT,
                "description": TEXT,
                "value_set": JSON,
                "json_schema": JSON,
                "classification": TEXT,
            },
            required=("name",),
        ),
        Entity(
            "note",
            "notes",
            "integration_id",
            {
                "integration_id": REF,
                "at": TEXT,
                "author": TEXT,
                "kind": NoteKind,
                "text": TEXT,
                "done": BOOL,
                "private": BOOL,
                "item_id": REF,
                "table_id": REF,
                "metric_id": REF,
                "meeting_id": REF,
                "owner": REF,
                "due": DATE,
            },
            label="text",
            required=("text",),
        ),
        Entity(
            "meeting",
            "meetings",
            "integration_id",
            {
                "integration_id": REF,
                "title": TEXT,
                "started_at": TEXT,
                "ended_at": TEXT,
                "attendees": JSON,
                "agenda": JSON,
            },
            label="title",
            required=("title", "started_at"),
        ),
        Entity(
            "finding",
            "findings",
            "integration_id",
            {
                "integration_id": REF,
                "table_id": REF,
                "column_name": TEXT,
                "rule": TEXT,
                "message": TEXT,
                "item_key": TEXT,
                "dismissed_reason": TEXT,
                "dismissed_by": TEXT,
                "dismissed_at": TEXT,
            },
            label="rule",
            required=("rule", "message"),
        ),
        Entity(
            "answer",
            "table_answers",
            "integration_id",
            {"integration_id": REF, "item_id": REF, "table_id": REF, "answer": TEXT},
            label="answer",
            required=("answer",),
        ),
    )
}


# The entity each reference field points at, where a field is not its row's parent.
REFERENCES: dict[str, str] = {
    "owner": "stakeholder",
    "requested_by": "stakeholder",
    "item_id": "item",
    "table_id": "table",
    "metric_id": "metric",
    "meeting_id": "meeting",
}


# Rows that point at a row of another entity without owning it: deleting the
# target clears these references first, through logged updates, so that an
# undo of the delete can put every link back.
REFERRERS: dict[str, tuple[tuple[str, str], ...]] = {
    "stakeholder": (("metric", "requested_by"), ("item", "owner"), ("note", "owner")),
    "item": (("note", "item_id"),),
    "table": (("note", "table_id"),),
    "metric": (("note", "metric_id"),),
    "meeting": (("note", "meeting_id"),),
}
