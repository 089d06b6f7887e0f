"""Which fields a form shows for each entity and how their text turns into stored values.

Everything is derived from `tui.schema.ENTITIES`; this module only adds what the
schema cannot say: fields that are filled in by the program, which text fields
are long, how a JSON field is typed by a person, and which entity a reference
points at. Parsing is plain Python so it can be tested without a screen.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Any

from tui.dates import DateError, parse_due
from tui.references import COLUMN_REFERENCE
from tui.schema import BOOL, DATE, ENTITIES, INT, JSON, REF, REFERENCES, TEXT

# Filled in by the program (or copied from a checklist template), never typed in a form.
MANAGED: dict[str, frozenset[str]] = {
    "item": frozenset(
        {
            "key",
            "section",
            "section_title",
            "position",
            "question",
            "why",
            "options",
            "scope",
            "agreed_on",
            "updated_at",
            "updated_by",
        }
    ),
    "column": frozenset({"position"}),
    "note": frozenset({"at", "author", "meeting_id"}),
    "integration": frozenset({"archived_at"}),
}

LONG_TEXT = frozenset({"description", "responsibilities", "answer", "text"})

# How a JSON field is typed: one entry per line, `code: meaning` lines, or raw JSON.
LINES, MAPPING, RAW_JSON = "lines", "mapping", "json"
JSON_SHAPES: dict[str, str] = {"value_set": MAPPING, "json_schema": RAW_JSON}

# The entity a reference field picks from (a parent reference is never shown).
REF_TARGETS = REFERENCES

LABELS: dict[str, str] = {
    "go_live": "Go-live (YYYY-MM-DD)",
    "due": "Due (YYYY-MM-DD, fri, +1w)",
    "point_of_contact": "Point of contact",
    "requested_by": "Requested by",
    "needs": "Needs (table.column, one a line)",
    "value_set": "Value set (code: meaning, one a line)",
    "json_schema": "JSON schema",
    "foreign_key": "Foreign key (table.column)",
    "is_unique": "Unique",
    "primary_key": "Primary key",
    "default_value": "Default",
    "check_constraint": "Check constraint",
    "estimated_rows": "Estimated rows",
    "updated_at_column": "Updated-at column",
    "soft_delete_column": "Soft-delete column",
    "legacy_marker": "Legacy marker",
    "test_data_marker": "Test-data marker",
    "strict": "Strict (extra columns fail dayone check)",
    "item_id": "Checklist item",
    "table_id": "Table",
    "metric_id": "Metric",
    "private": "Private (hidden when sharing)",
}

# What an entity is called on screen where its schema name is too terse.
NOUNS: dict[str, str] = {"item": "checklist item"}

DATE_PATTERN = re.compile(r"^\d{4}-\d{2}-\d{2}$")
REFERENCE_PATTERN = re.compile(COLUMN_REFERENCE)
# Fields (or, for lists, each line) that name a column elsewhere.
COLUMN_REFERENCES = frozenset({"foreign_key", "needs"})
REFERENCE_HINT = 'table.column or schema.table.column ("double quotes" around a name with a dot or a space)'

# Editors a field can have.
INPUT, AREA, SELECT, CHOICE, CHECK = "input", "area", "select", "choice", "check"


class FieldError(ValueError):
    """A typed value does not fit its field; the message is one line meant for the user."""


@dataclass(frozen=True)
class FormField:
    name: str
    kind: str | type[StrEnum]
    label: str
    editor: str
    required: bool

    @property
    def shape(self) -> str | None:
        return JSON_SHAPES.get(self.name, LINES) if self.kind == JSON else None

    @property
    def enum_values(self) -> list[str]:
        """The values a field of an enum offers, in the enum's order."""
        return [member.value for member in self.kind] if isinstance(self.kind, type) else []

    @property
    def target(self) -> str | None:
        return REF_TARGETS.get(self.name) if self.kind == REF else None

    def to_text(self, value: Any) -> str:
        """The stored value as the text an Input or TextArea shows."""
        if value is None:
            return ""
        if self.shape == LINES:
            return "\n".join(str(entry) for entry in value)
        if self.shape == MAPPING:
            return "\n".join(f"{code}: {meaning}" for code, meaning in value.items())
        if self.shape == RAW_JSON:
            return json.dumps(value, indent=2, ensure_ascii=False)
        return str(value)

    def parse(self, text: str) -> Any:
        """The value to store for typed text; raises FieldError naming what is wrong."""
        stripped = text.strip()
        if not stripped:
            if self.required:
                raise FieldError("is required")
            return [] if self.shape == LINES else None
        if self.kind == INT:
            try:
                number = int(stripped.replace("_", "").replace(",", ""))
            except ValueError:
                raise FieldError(f"{stripped!r} is not a whole number") from None
            if number < 0:
                raise FieldError(f"{number} is negative")
            return number
        if self.kind == DATE and self.name == "due":
            try:
                return parse_due(stripped).isoformat()
            except DateError as exc:
                raise FieldError(str(exc)) from None
        if self.kind == DATE:
            try:
                if not DATE_PATTERN.match(stripped):
                    raise ValueError
                return date.fromisoformat(stripped).isoformat()
            except ValueError:
                raise FieldError(f"{stripped!r} is not a date (YYYY-MM-DD)") from None
        if self.shape == LINES:
            lines = [line.strip() for line in stripped.splitlines() if line.strip()]
            if self.name in COLUMN_REFERENCES:
                for number, line in enumerate(lines, start=1):
                    if not REFERENCE_PATTERN.match(line):
                        raise FieldError(f"line {number}: {line!r} is not {REFERENCE_HINT}")
            return lines
        if self.shape == MAPPING:
            return _mapping(stripped)
        if self.shape == RAW_JSON:
            try:
                value = json.loads(stripped)
            except json.JSONDecodeError as exc:
                raise FieldError(f"not JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}") from None
            return _json_schema(value)
        if self.name in COLUMN_REFERENCES and not REFERENCE_PATTERN.match(stripped):
            raise FieldError(f"{stripped!r} is not {REFERENCE_HINT}")
        return text.strip() if self.editor == INPUT else text.rstrip()


def _json_schema(value: Any) -> Any:
    """A JSON Schema document: an object (or true/false) that the schema meta-schema accepts."""
    if not isinstance(value, (dict, bool)):
        raise FieldError('a JSON schema is an object like {"type": "object"}')
    from jsonschema import SchemaError, validators

    try:
        validators.validator_for(value).check_schema(value)
    except SchemaError as exc:
        where = "/".join(str(part) for part in exc.path) or "the top level"
        raise FieldError(f"not a valid JSON schema at {where}: {exc.message}") from None
    return value


def _mapping(text: str) -> dict[str, str]:
    result: dict[str, str] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        code, colon, meaning = line.partition(":")
        if not colon or not code.strip():
            raise FieldError(f"line {number}: expected 'code: meaning', got {line.strip()!r}")
        if code.strip() in result:
            raise FieldError(f"line {number}: code {code.strip()!r} appears twice")
        result[code.strip()] = meaning.strip()
    return result


def form_fields(entity: str, only: tuple[str, ...] | None = None) -> list[FormField]:
    """The fields a person edits for an entity, in schema order (or in the order of `only`)."""
    ent = ENTITIES[entity]
    managed = MANAGED.get(entity, frozenset())
    names = (
        only
        if only is not None
        else tuple(
            name
            for name in ent.fields
            if name not in managed and name != ent.parent and (ent.fields[name] != REF or name in REF_TARGETS)
        )
    )
    return [_field(entity, name) for name in names]


def _field(entity: str, name: str) -> FormField:
    ent = ENTITIES[entity]
    kind = ent.fields[name]
    if isinstance(kind, type) and issubclass(kind, StrEnum):
        editor = SELECT
    elif kind == REF:
        editor = CHOICE
    elif kind == BOOL:
        editor = CHECK
    elif kind == JSON or (kind == TEXT and name in LONG_TEXT):
        editor = AREA
    else:
        editor = INPUT
    label = LABELS.get(name, name.replace("_", " ").capitalize())
    return FormField(name, kind, label, editor, name in ent.required)


def noun(entity: str) -> str:
    return NOUNS.get(entity, entity)


def field_of(where: str) -> str | None:
    """The field named by a store error's `where` ("stakeholder.name" -> "name")."""
    _, dot, name = where.partition(".")
    return name if dot else None
