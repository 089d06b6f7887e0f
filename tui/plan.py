"""Plan YAML: the whole workspace as a diffable document, and merging one back in.

`dump_plan` writes integrations in a fixed order with fixed key order, so that
export -> load into an empty file -> export gives the same bytes. `load_plan`
checks the whole document first (structure with JSON Schema, then names that
must resolve) and applies it in one transaction, so a bad plan changes nothing.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from enum import StrEnum
from functools import partial
from typing import Any

import yaml
from jsonschema import Draft202012Validator, validators

from tui.actions import table_answers
from tui.changes.model import Bump
from tui.enums import ContractStatus, Deletion, ItemStatus, MetricStatus, NoteKind, Priority, Role, Team, Timeline
from tui.errors import DayoneError, ValidationError
from tui.export.contract import agreed_dates
from tui.references import COLUMN_REFERENCE, split, table_ref
from tui.secrets import Masker
from tui.store import Row, Workspace
from tui.versions import SEMVER, history, restore
from tui.yamlsource import Located, parse

FORMAT_VERSION = 1

# Plan key -> store field, where they differ (SQL keeps `default`, `references` and `values` for itself).
COLUMN_KEYS = {
    "default": "default_value",
    "references": "foreign_key",
    "values": "value_set",
    "unique": "is_unique",
    "check": "check_constraint",
}


def _enum(kind: type[StrEnum]) -> dict[str, Any]:
    return {"enum": [member.value for member in kind]}


_TEXT = {"type": ["string", "null"]}
_FLAG = {"type": "boolean"}
_DATE = {"type": ["date", "string", "null"]}


def _object(properties: dict[str, Any], required: tuple[str, ...] = ()) -> dict[str, Any]:
    return {"type": "object", "properties": properties, "required": list(required), "additionalProperties": False}


PLAN_SCHEMA = _object(
    {
        "dayone": {"const": FORMAT_VERSION},
        "integrations": {
            "type": "array",
            "items": _object(
                {
                    "name": {"type": "string", "minLength": 1},
                    "source": _TEXT,
                    "go_live": _DATE,
                    "description": _TEXT,
                    "contract_version": _TEXT,
                    "contract_status": _enum(ContractStatus),
                    "archived_at": {"type": ["string", "datetime"]},
                    "stakeholders": {
                        "type": "array",
                        "items": _object(
                            {
                                "name": {"type": "string", "minLength": 1},
                                "role": _enum(Role),
                                "team": _enum(Team),
                                "contact": _TEXT,
                                "responsibilities": _TEXT,
                                "point_of_contact": _FLAG,
                            },
                            ("name",),
                        ),
                    },
                    "metrics": {
                        "type": "array",
                        "items": _object(
                            {
                                "name": {"type": "string", "minLength": 1},
                                "question": _TEXT,
                                "requested_by": _TEXT,
                                "priority": _enum(Priority),
                                "timeline": _enum(Timeline),
                                "status": _enum(MetricStatus),
                                "needs": {"type": "array", "items": {"type": "string", "pattern": COLUMN_REFERENCE}},
                            },
                            ("name",),
                        ),
                    },
                    "checklist": {
                        "type": "object",
                        "additionalProperties": _object(
                            {
                                "status": _enum(ItemStatus),
                                "answer": _TEXT,
                                "owner": _TEXT,
                                "due": _DATE,
                                "agreed_on": _DATE,
                                "updated_at": {"type": ["string", "datetime"]},
                                "updated_by": _TEXT,
                            }
                        ),
                    },
                    "tables": {
                        "type": "array",
                        "items": _object(
                            {
                                "schema": _TEXT,
                                "name": {"type": "string", "minLength": 1},
                                "description": _TEXT,
                                "kind": _TEXT,
                                "estimated_rows": {"type": ["integer", "null"], "minimum": 0},
                                "created_by": _TEXT,
                                "updated_at_column": _TEXT,
                                "deletion": _enum(Deletion),
                                "soft_delete_column": _TEXT,
                                "retention": _TEXT,
                                "legacy_marker": _TEXT,
                                "test_data_marker": _TEXT,
                                "strict": {"type": "boolean"},
                                "answers": {
                                    "type": "object",
                                    "additionalProperties": {"type": "string", "minLength": 1},
                                },
                                "dismissed": {
                                    "type": "array",
                                    "items": _object(
                                        {
                                            "rule": {"type": "string", "minLength": 1},
                                            "column": _TEXT,
                                            "message": {"type": "string", "minLength": 1},
                                            "item": _TEXT,
                                            "reason": {"type": "string", "minLength": 1},
                                            "by": _TEXT,
                                            "at": {"type": ["string", "datetime"]},
                                        },
                                        ("rule", "message", "reason"),
                                    ),
                                },
                                "columns": {
                                    "type": "array",
                                    "items": _object(
                                        {
                                            "name": {"type": "string", "minLength": 1},
                                            "type": _TEXT,
                                            "nullable": _FLAG,
                                            "default": {"type": ["string", "number", "boolean", "null"]},
                                            "primary_key": _FLAG,
                                            "unique": _FLAG,
                                            "references": {"type": "string", "pattern": COLUMN_REFERENCE},
                                            "generated": _TEXT,
                                            "check": _TEXT,
                                            "description": _TEXT,
                                            "values": {
                                                "type": "object",
                                                "additionalProperties": {"type": ["string", "null"]},
                                            },
                                            "json_schema": {"type": ["object", "boolean"]},
                                            "classification": _TEXT,
                                        },
                                        ("name",),
                                    ),
                                },
                            },
                            ("name",),
                        ),
                    },
                    "versions": {
                        "type": "array",
                        "items": _object(
                            {
                                "version": {"type": "string", "pattern": SEMVER.pattern},
                                "at": {"type": ["string", "datetime"]},
                                "author": _TEXT,
                                "message": _TEXT,
                                "bump": {"enum": [bump.value for bump in Bump]},
                                "contract": {"type": "object"},
                            },
                            ("version", "at", "contract"),
                        ),
                    },
                    "notes": {
                        "type": "array",
                        "items": _object(
                            {
                                "at": {"type": ["string", "datetime"]},
                                "author": {"type": "string", "minLength": 1},
                                "kind": _enum(NoteKind),
                                "text": {"type": "string", "minLength": 1},
                                "private": _FLAG,
                                "done": _FLAG,
                                "about": {"type": "string", "pattern": r"^(checklist|table|metric):.+$"},
                                "owner": _TEXT,
                                "due": _DATE,
                            },
                            ("text",),
                        ),
                    },
                },
                ("name",),
            ),
        },
    },
    ("dayone",),
)

_CHECKER = Draft202012Validator.TYPE_CHECKER.redefine_many(
    {
        "date": lambda _, value: isinstance(value, date) and not isinstance(value, datetime),
        "datetime": lambda _, value: isinstance(value, datetime),
        "object": lambda _, value: isinstance(value, dict),
    }
)
PlanValidator = validators.extend(Draft202012Validator, type_checker=_CHECKER)


# -- export --------------------------------------------------------------------------------


class _Dumper(yaml.SafeDumper):
    """Block style everywhere, and multi-line text as literal blocks so that diffs stay readable."""


# Characters YAML reads as line breaks: outside double quotes a load would turn them into "\n" or a space.
_OTHER_BREAKS = ("\r", "\x85", "\u2028", "\u2029")


def _represent_text(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    if any(mark in value for mark in _OTHER_BREAKS):
        style: str | None = '"'
    elif "\n" in value and not any(line != line.rstrip() for line in value.splitlines()):
        style = "|"
    else:
        style = None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _represent_text)


def dump_plan(workspace: Workspace, integration: str | None = None, *, full: bool = True) -> tuple[str, list[str]]:
    """The plan YAML for the whole workspace or one integration, and what was masked in it.

    `full` keeps everything, for backups and moving a workspace; otherwise private
    notes are left out and credential-like strings masked, for plans that go into git.
    """
    chosen = [workspace.integration(integration)] if integration else workspace.integrations(archived=True)
    document: dict[str, Any] = {
        "dayone": FORMAT_VERSION,
        "integrations": [_integration_doc(workspace, row) for row in chosen],
    }
    warnings: list[str] = []
    if not full:
        mask = Masker()
        for index, entry in enumerate(document["integrations"]):
            if "notes" in entry:
                entry["notes"] = [note for note in entry["notes"] if not note.get("private")] or None
            document["integrations"][index] = _compact(mask.walk(entry, mask(entry["name"], "an integration's name")))
        warnings = mask.warnings
    return yaml.dump(document, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100), warnings


def _compact(values: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in values.items() if value is not None and value != {} and value != ""}


def _integration_doc(workspace: Workspace, row: Row) -> dict[str, Any]:
    iid = row["id"]
    stakeholders = workspace.rows("stakeholder", "integration_id = ?", (iid,))
    names = {person["id"]: person["name"] for person in stakeholders}
    items = workspace.rows("item", "integration_id = ?", (iid,), order_by="position, id")
    agreed = agreed_dates(workspace, iid)
    tables = workspace.rows("table", "integration_id = ?", (iid,))
    metrics = workspace.rows("metric", "integration_id = ?", (iid,))
    columns: dict[int, list[Row]] = {}
    for column in workspace.rows(
        "column", "table_id IN (SELECT id FROM tables WHERE integration_id = ?)", (iid,), order_by="position, id"
    ):
        columns.setdefault(column["table_id"], []).append(column)
    item_keys = {item["id"]: item["key"] for item in items}
    table_keys = {table["id"]: table_ref(table["schema"], table["name"]) for table in tables}
    answers = table_answers(workspace, iid)
    dismissed: dict[int, list[dict[str, Any]]] = {}
    for finding in workspace.rows(
        "finding", "integration_id = ? AND dismissed_reason IS NOT NULL", (iid,), order_by="rule, column_name, id"
    ):
        dismissed.setdefault(finding["table_id"], []).append(
            _compact(
                {
                    "rule": finding["rule"],
                    "column": finding["column_name"],
                    "message": finding["message"],
                    "item": finding["item_key"],
                    "reason": finding["dismissed_reason"],
                    "by": finding["dismissed_by"],
                    "at": finding["dismissed_at"],
                }
            )
        )
    metric_names = {metric["id"]: metric["name"] for metric in metrics}

    def about(note: Row) -> str | None:
        if note["item_id"] in item_keys:
            return f"checklist:{item_keys[note['item_id']]}"
        if note["table_id"] in table_keys:
            return f"table:{table_keys[note['table_id']]}"
        if note["metric_id"] in metric_names:
            return f"metric:{metric_names[note['metric_id']]}"
        return None

    return _compact(
        {
            "name": row["name"],
            "source": row["source"],
            "go_live": date.fromisoformat(row["go_live"]) if row["go_live"] else None,
            "description": row["description"],
            "contract_version": row["contract_version"],
            "contract_status": row["contract_status"],
            "archived_at": row["archived_at"],
            "stakeholders": [
                _compact(
                    {
                        key: person[key]
                        for key in ("name", "role", "team", "contact", "responsibilities", "point_of_contact")
                    }
                )
                for person in stakeholders
            ],
            "metrics": [
                _compact(
                    {
                        "name": metric["name"],
                        "question": metric["question"],
                        "requested_by": names.get(metric["requested_by"]),
                        "priority": metric["priority"],
                        "timeline": metric["timeline"],
                        "status": metric["status"],
                        "needs": metric["needs"],
                    }
                )
                for metric in metrics
            ],
            "checklist": {
                item["key"]: _compact(
                    {
                        "status": item["status"],
                        "answer": item["answer"],
                        "owner": names.get(item["owner"]),
                        "due": date.fromisoformat(item["due"]) if item["due"] else None,
                        "agreed_on": date.fromisoformat(agreed[item["id"]]) if item["id"] in agreed else None,
                        "updated_at": item["updated_at"],
                        "updated_by": item["updated_by"],
                    }
                )
                for item in items
                if item["status"] != ItemStatus.OPEN or item["answer"] or item["owner"] or item["due"]
            },
            "tables": [
                _compact(
                    {
                        **{
                            key: table[key]
                            for key in (
                                "schema",
                                "name",
                                "description",
                                "kind",
                                "estimated_rows",
                                "created_by",
                                "updated_at_column",
                                "deletion",
                                "soft_delete_column",
                                "retention",
                                "legacy_marker",
                                "test_data_marker",
                            )
                        },
                        "strict": bool(table["strict"]) or None,
                        "answers": answers.get(table["id"]),
                        "dismissed": dismissed.get(table["id"]),
                        "columns": [_column_doc(column) for column in columns.get(table["id"], [])],
                    }
                )
                for table in tables
            ],
            "notes": [
                _compact(
                    {
                        "at": note["at"],
                        "author": note["author"],
                        "kind": note["kind"],
                        "text": note["text"],
                        "private": note["private"],
                        "done": note["done"],
                        "about": about(note),
                        "owner": names.get(note["owner"]),
                        "due": date.fromisoformat(note["due"]) if note["due"] else None,
                    }
                )
                for note in workspace.rows("note", "integration_id = ?", (iid,), order_by="at, id")
            ],
            "versions": history(workspace, iid) or None,
        }
    )


def _column_doc(column: Row) -> dict[str, Any]:
    return _compact(
        {
            "name": column["name"],
            "type": column["type"],
            "nullable": column["nullable"],
            "default": column["default_value"],
            "primary_key": column["primary_key"],
            "unique": column["is_unique"] or None,
            "references": column["foreign_key"],
            "generated": column["generated"],
            "check": column["check_constraint"],
            "description": column["description"],
            "values": column["value_set"],
            "json_schema": column["json_schema"],
            "classification": column["classification"],
        }
    )


# -- load ----------------------------------------------------------------------------------


def load_plan(workspace: Workspace, text: str, source: str) -> dict[str, int]:
    """Merge a plan into the workspace: all of it or, on any problem, none of it.

    Rows are matched by their names (notes by time, author and text); what the
    plan names is created or updated, and what it leaves out is kept.
    Returns counts of what was written, per kind.
    """
    doc = parse(text, source)
    _check_structure(doc)
    counts = {"integrations": 0, "stakeholders": 0, "metrics": 0, "checklist": 0, "tables": 0, "columns": 0, "notes": 0}
    with workspace.transaction():
        for index, entry in enumerate(doc.data.get("integrations") or []):
            _PlanIntegration(workspace, doc, ("integrations", index), entry, counts).apply()
    return counts


def _check_structure(doc: Located) -> None:
    errors = sorted(
        PlanValidator(PLAN_SCHEMA).iter_errors(doc.data),
        key=lambda error: (doc.line(tuple(error.absolute_path)) or 0, len(error.absolute_path)),
    )
    if not errors:
        return
    error = errors[0]
    path = tuple(error.absolute_path)
    if error.validator == "additionalProperties":
        allowed = error.schema.get("properties", {})
        unknown = sorted(key for key in error.instance if key not in allowed)
        if unknown:
            raise doc.error((*path, unknown[0]), f"unknown key (expected one of {', '.join(allowed)})")
    if error.validator == "enum":
        raise doc.error(path, f"{error.instance!r} is not one of {', '.join(map(str, error.validator_value))}")
    if error.validator == "required":
        raise doc.error(path, error.message.replace("is a required property", "is missing"))
    if error.validator == "const":
        raise doc.error(path, f"this dayone reads plan format {FORMAT_VERSION}, not {error.instance!r}")
    if error.validator == "pattern" and path[-1] == "about":
        raise doc.error(path, f"{error.instance!r} should look like checklist:KEY, table:SCHEMA.NAME or metric:NAME")
    if error.validator == "pattern":
        raise doc.error(
            path,
            f"{error.instance!r} is not a column reference (table.column or schema.table.column, "
            'with "double quotes" around a name that has a dot, a space or a double quote)',
        )
    raise doc.error(path, error.message)


class _PlanIntegration:
    """Applies one integration entry of a plan, resolving names against the plan and the workspace."""

    def __init__(self, workspace: Workspace, doc: Located, path: tuple, entry: dict[str, Any], counts: dict) -> None:
        self.ws, self.doc, self.path, self.entry, self.counts = workspace, doc, path, entry, counts

    def write(self, path: tuple, write: Any) -> Row:
        """Run a store write, turning a field error into one that names the place in the document."""
        try:
            return write()
        except ValidationError as exc:
            field = exc.where.split(".", 1)[-1]
            plan_key = {value: key for key, value in COLUMN_KEYS.items()}.get(field, field)
            raise self.doc.error((*path, plan_key), exc.problem) from None

    def upsert(self, kind: str, path: tuple, where: str, params: tuple, values: dict[str, Any]) -> Row:
        found = self.ws.rows(kind, where, params)
        self.counts[kind + "s"] += 1
        if found:
            return self.write(path, lambda: self.ws.update(kind, found[0]["id"], values))
        return self.write(path, lambda: self.ws.insert(kind, values))

    def apply(self) -> None:
        entry, path = self.entry, self.path
        fields: dict[str, Any] = {
            key: entry[key]
            for key in ("source", "go_live", "description", "contract_version", "contract_status")
            if key in entry
        }
        if "archived_at" in entry:
            fields["archived_at"] = _utc(entry["archived_at"], self.doc, (*path, "archived_at"))
        existing = self.ws.rows("integration", "name = ?", (entry["name"],))
        self.counts["integrations"] += 1
        if existing:
            row = self.write(path, lambda: self.ws.update("integration", existing[0]["id"], fields))
        else:
            row = self.write(path, lambda: self.ws.add_integration(entry["name"], **fields))
        self.iid = row["id"]
        for index, person in enumerate(entry.get("stakeholders") or []):
            self.upsert(
                "stakeholder",
                (*path, "stakeholders", index),
                "integration_id = ? AND name = ?",
                (self.iid, person["name"]),
                {**person, "integration_id": self.iid},
            )
        for index, metric in enumerate(entry.get("metrics") or []):
            where = (*path, "metrics", index)
            values = {**metric, "integration_id": self.iid}
            if "requested_by" in metric:
                values["requested_by"] = self.person(metric["requested_by"], (*where, "requested_by"))
            self.upsert("metric", where, "integration_id = ? AND name = ?", (self.iid, metric["name"]), values)
        self.apply_checklist()
        self.apply_tables()
        self.apply_notes()
        self.apply_versions()

    def person(self, name: str | None, path: tuple) -> int | None:
        if name is None:
            return None
        found = self.ws.rows("stakeholder", "integration_id = ? AND name = ?", (self.iid, name))
        if not found:
            raise self.doc.error(path, f"{name!r} is not a stakeholder of integration {self.entry['name']!r}")
        return found[0]["id"]

    def apply_checklist(self) -> None:
        for key, answer in (self.entry.get("checklist") or {}).items():
            where = (*self.path, "checklist", key)
            found = self.ws.rows("item", "integration_id = ? AND key = ?", (self.iid, key))
            if not found:
                raise self.doc.error(where, f"{key!r} is not an item of the checklist templates")
            values = dict(answer)
            if "owner" in answer:
                values["owner"] = self.person(answer["owner"], (*where, "owner"))
            if values.get("updated_at") is not None:
                values["updated_at"] = _utc(values["updated_at"], self.doc, (*where, "updated_at"))
            self.counts["checklist"] += 1
            self.write(where, partial(self.ws.update, "item", found[0]["id"], values))

    def apply_tables(self) -> None:
        for index, table in enumerate(self.entry.get("tables") or []):
            where = (*self.path, "tables", index)
            values = {key: value for key, value in table.items() if key not in ("columns", "answers", "dismissed")}
            values["schema"] = values.get("schema") or ""
            row = self.upsert(
                "table",
                where,
                "integration_id = ? AND schema = ? AND name = ?",
                (self.iid, values["schema"], table["name"]),
                # No schema is stored as '' by the column's default: the store reads a blank text as none.
                {
                    **{key: value for key, value in values.items() if key != "schema" or value},
                    "integration_id": self.iid,
                },
            )
            for position, column in enumerate(table.get("columns") or [], start=1):
                cwhere = (*where, "columns", position - 1)
                values = {COLUMN_KEYS.get(key, key): value for key, value in column.items()}
                if isinstance(values.get("default_value"), (bool, int, float)):
                    raw = values["default_value"]
                    values["default_value"] = str(raw).lower() if isinstance(raw, bool) else str(raw)
                if "value_set" in values:
                    values["value_set"] = {str(code): meaning for code, meaning in values["value_set"].items()}
                self.upsert(
                    "column",
                    cwhere,
                    "table_id = ? AND name = ?",
                    (row["id"], column["name"]),
                    {**values, "table_id": row["id"], "position": position},
                )
            self.apply_answers(row, table.get("answers") or {}, (*where, "answers"))
            for number, finding in enumerate(table.get("dismissed") or []):
                self.apply_dismissal(row, finding, (*where, "dismissed", number))

    def apply_answers(self, table: Row, answers: dict[str, str], path: tuple) -> None:
        """Per-table answers, as the plan gives them; the table's facts come from the plan too."""
        for key, text in answers.items():
            found = self.ws.rows("item", "integration_id = ? AND key = ? AND scope = 'table'", (self.iid, key))
            if not found:
                raise self.doc.error((*path, key), f"{key!r} is not a checklist item asked per table")
            existing = self.ws.rows("answer", "item_id = ? AND table_id = ?", (found[0]["id"], table["id"]))
            if existing:
                self.write((*path, key), partial(self.ws.update, "answer", existing[0]["id"], {"answer": text}))
            else:
                values = {
                    "integration_id": self.iid,
                    "item_id": found[0]["id"],
                    "table_id": table["id"],
                    "answer": text,
                }
                self.write((*path, key), partial(self.ws.insert, "answer", values))

    def apply_dismissal(self, table: Row, finding: dict[str, Any], path: tuple) -> None:
        """A dismissed finding of the schema import, kept dismissed when the plan is loaded elsewhere."""
        values = {
            "integration_id": self.iid,
            "table_id": table["id"],
            "column_name": finding.get("column"),
            "rule": finding["rule"],
            "message": finding["message"],
            "item_key": finding.get("item"),
            "dismissed_reason": finding["reason"],
            "dismissed_by": finding.get("by") or self.ws.author,
            "dismissed_at": _utc(finding["at"], self.doc, (*path, "at")) if finding.get("at") else None,
        }
        existing = self.ws.rows(
            "finding",
            "table_id = ? AND rule = ? AND coalesce(column_name, '') = ?",
            (table["id"], finding["rule"], finding.get("column") or ""),
        )
        if existing:
            self.write(path, partial(self.ws.update, "finding", existing[0]["id"], values))
        else:
            self.write(path, partial(self.ws.insert, "finding", values))

    def apply_notes(self) -> None:
        for index, note in enumerate(self.entry.get("notes") or []):
            where = (*self.path, "notes", index)
            values = {key: value for key, value in note.items() if key != "about"}
            values["at"] = _utc(note.get("at") or datetime.now(UTC), self.doc, (*where, "at"))
            if "owner" in note:
                values["owner"] = self.person(note["owner"], (*where, "owner"))
            values.setdefault("author", self.ws.author)
            if "about" in note:
                values.update(self.about(note["about"], (*where, "about")))
            self.upsert(
                "note",
                where,
                "integration_id = ? AND at = ? AND author = ? AND text = ?",
                (self.iid, values["at"], values["author"], values["text"]),
                {**values, "integration_id": self.iid},
            )

    def apply_versions(self) -> None:
        """Published versions, kept as they were; one the workspace has already must hold the same contract."""
        for index, entry in enumerate(self.entry.get("versions") or []):
            where = (*self.path, "versions", index)
            values = {**entry, "at": _utc(entry["at"], self.doc, (*where, "at"))}
            try:
                restore(self.ws, self.iid, values)
            except DayoneError as exc:
                raise self.doc.error((*where, "contract"), str(exc)) from None

    def about(self, target: str, path: tuple) -> dict[str, int]:
        kind, _, name = target.partition(":")
        if kind == "checklist":
            found = self.ws.rows("item", "integration_id = ? AND key = ?", (self.iid, name))
            field = "item_id"
        elif kind == "metric":
            found = self.ws.rows("metric", "integration_id = ? AND name = ?", (self.iid, name))
            field = "metric_id"
        else:
            parts = split(name) or ()
            found = (
                self.ws.rows("table", "integration_id = ? AND schema = ? AND name = ?", (self.iid, *parts[-2:]))
                if len(parts) == 2
                else self.ws.rows("table", "integration_id = ? AND schema = '' AND name = ?", (self.iid, *parts))
                if len(parts) == 1
                else []
            )
            field = "table_id"
        if not found:
            raise self.doc.error(path, f"{target!r} names no {kind} of integration {self.entry['name']!r}")
        return {field: found[0]["id"]}


# Timestamps say when something was said or changed: anything outside these years is a typo or an attack, and
# would not survive conversion to local time.
EARLIEST_TIMESTAMP, LATEST_TIMESTAMP = 1900, 2999


def _utc(value: Any, doc: Located, path: tuple) -> str:
    """A timestamp with an offset, normalised to UTC ISO 8601; naive times are refused as ambiguous."""
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value)
        except ValueError:
            raise doc.error(path, f"{value!r} is not an ISO 8601 timestamp") from None
    if value.tzinfo is None:
        raise doc.error(path, "the timestamp needs a timezone offset (e.g. +00:00)")
    try:
        value = value.astimezone(UTC)
    except OverflowError:
        value = None
    if value is None or not EARLIEST_TIMESTAMP <= value.year <= LATEST_TIMESTAMP:
        raise doc.error(path, f"the timestamp is out of range (years {EARLIEST_TIMESTAMP} to {LATEST_TIMESTAMP})")
    return value.isoformat(timespec="seconds")
