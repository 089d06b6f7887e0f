"""The rules: what kind each change to a contract is, and how it hurts the consumer and the producer.

The consumer is the warehouse: a change is breaking for it when existing models and metrics may now be wrong
(a NOT NULL column becoming nullable, a new status value that CASE logic does not know, a wider type than the
warehouse column, a dropped foreign key that joins relied on). The producer is the source system: a change is
breaking for it when rows it already holds may now violate the contract (a column becoming NOT NULL, a value
taken out of a value set, a new foreign key).

`compare` judges two agreements; `field_changes` judges one field of one stored column or table, which is how
the change log and a re-import of the schema see a change. Both use the same rules below.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import replace
from typing import Any

from tui.agreement import Agreement
from tui.changes.model import Change, Impact, Kind
from tui.changes.types import NARROWED, WIDENED, type_change
from tui.export.contract import Column, Table
from tui.importers.spelling import normal_default, normal_expression
from tui.references import quote, table_ref

B, W, N = Impact.BREAKING, Impact.WARNING, Impact.INFO  # N: nothing to fear, information only

# Kind -> (consumer, producer), where the kind alone decides.
IMPACTS: dict[Kind, tuple[Impact, Impact]] = {
    Kind.TABLE_ADDED: (N, N),
    Kind.TABLE_REMOVED: (B, N),
    Kind.COLUMN_REMOVED: (B, N),
    Kind.POSSIBLE_RENAME: (B, N),
    Kind.TYPE_WIDENED: (B, N),
    Kind.TYPE_NARROWED: (N, B),
    Kind.TYPE_CHANGED: (B, B),
    Kind.NULLABILITY_RELAXED: (B, N),
    Kind.NULLABILITY_TIGHTENED: (N, B),
    Kind.PRIMARY_KEY_CHANGED: (B, B),
    Kind.UNIQUE_ADDED: (N, B),
    Kind.UNIQUE_REMOVED: (B, N),
    Kind.FOREIGN_KEY_ADDED: (N, B),
    Kind.FOREIGN_KEY_REMOVED: (B, N),
    Kind.FOREIGN_KEY_CHANGED: (B, B),
    Kind.VALUE_SET_ADDED: (N, B),
    Kind.VALUE_SET_REMOVED: (B, N),
    Kind.VALUES_ADDED: (B, N),
    Kind.VALUES_REMOVED: (N, B),
    Kind.VALUE_MEANINGS_CHANGED: (N, N),
    Kind.DEFAULT_CHANGED: (W, N),
    Kind.GENERATED_CHANGED: (W, N),
    Kind.CHECK_ADDED: (N, B),
    Kind.CHECK_REMOVED: (W, N),
    Kind.CHECK_CHANGED: (W, W),
    Kind.CLASSIFICATION_CHANGED: (W, N),
    Kind.DESCRIPTION_CHANGED: (N, N),
    Kind.JSON_SCHEMA_CHANGED: (W, W),
}

# A table's data-flow facts -> (consumer, producer) when the fact changes, and when it is first recorded.
DATA_FLOW: dict[str, tuple[str, tuple[Impact, Impact], tuple[Impact, Impact]]] = {
    "deletion": ("deletion policy", (B, N), (W, N)),
    "updated_at_column": ("updated-at column", (B, N), (N, W)),
    "soft_delete_column": ("soft-delete column", (B, N), (W, N)),
    "retention": ("retention", (W, N), (N, W)),
    "created_by": ("how rows are created", (W, N), (N, N)),
    "legacy_marker": ("legacy marker", (W, N), (W, N)),
    "test_data_marker": ("test-data marker", (W, N), (W, N)),
    # Strict: columns the database has beyond the contract's fail `dayone check`, which the producer's may now do.
    "strict": ("strict about extra columns", (N, N), (N, B)),
}

# Column fields as the store names them -> the Column attribute holding them in an agreement.
COLUMN_FIELDS = {
    "type": "type",
    "nullable": "nullable",
    "primary_key": "primary_key",
    "is_unique": "unique",
    "foreign_key": "foreign_key",
    "default_value": "default",
    "generated": "generated",
    "check_constraint": "check",
    "value_set": "value_set",
    "classification": "classification",
    "json_schema": "json_schema",
    "description": "description",
}
# What a schema read from a DDL file or a database says about a column; the rest only a contract says.
SCHEMA_FIELDS = (
    "type",
    "nullable",
    "primary_key",
    "is_unique",
    "foreign_key",
    "default_value",
    "generated",
    "check_constraint",
    "value_set",
)


def change(kind: Kind, table: str, column: str | None, detail: str) -> Change:
    consumer, producer = IMPACTS[kind]
    return Change(kind, table, column, consumer, producer, detail)


def compare(old: Agreement | None, new: Agreement, *, schema_only: bool = False) -> list[Change]:
    """Every change from `old` to `new` (None: nothing agreed yet), table by table, in the new order.

    `schema_only` compares only what a database schema says (for `new` read from DDL or a live database):
    descriptions, classifications, value meanings and data-flow facts are the contract's alone.
    """
    before = {_key(table): table for table in old.tables} if old else {}
    after = {_key(table): table for table in new.tables}
    found: list[Change] = []
    if old is not None and not schema_only:
        found += _contract_wide(old, new)
    for key, table in after.items():
        previous = before.get(key)
        if previous is None:
            found.append(change(Kind.TABLE_ADDED, table.ref, None, f"{plural(len(table.columns), 'column')}"))
        else:
            found += table_changes(previous, table, schema_only=schema_only)
    for key, table in before.items():
        if key not in after:
            found.append(change(Kind.TABLE_REMOVED, table.ref, None, f"had {plural(len(table.columns), 'column')}"))
    return found


def _key(table: Table) -> str:
    return table_ref(table.schema, table.name).lower()


def plural(count: int, word: str) -> str:
    return f"{count} {word}" + ("" if count == 1 else "s")


def table_changes(old: Table, new: Table, *, schema_only: bool = False) -> list[Change]:
    ref = table_ref(new.schema, new.name)
    found: list[Change] = []
    if not schema_only:
        found += field_changes(ref, None, "description", old.description, new.description)
        for fact in DATA_FLOW:
            found += field_changes(ref, None, fact, getattr(old, fact), getattr(new, fact))
    before = {column.name.lower(): column for column in old.columns}
    after = {column.name.lower(): column for column in new.columns}
    added = [column for key, column in after.items() if key not in before]
    removed = [column for key, column in before.items() if key not in after]
    renamed = _renames(removed, added)
    for column in new.columns:
        previous = before.get(column.name.lower())
        if previous is not None:
            found += column_changes(ref, previous, column, schema_only=schema_only)
        elif column.name not in renamed.values():
            found.append(added_column(ref, column))
    for column in removed:
        if column.name in renamed:
            target = renamed[column.name]
            detail = f"{quote(column.name)} dropped and {quote(target)} added, both {column.type or 'untyped'}"
            found.append(replace(change(Kind.POSSIBLE_RENAME, ref, target, detail), previous=column.name))
        else:
            found.append(change(Kind.COLUMN_REMOVED, ref, column.name, f"was {_shape(column)}"))
    old_key = [column.name for column in old.columns if column.primary_key]
    new_key = [column.name for column in new.columns if column.primary_key]
    if [name.lower() for name in old_key] != [name.lower() for name in new_key]:
        found.append(change(Kind.PRIMARY_KEY_CHANGED, ref, None, f"{_key_text(old_key)} → {_key_text(new_key)}"))
    return found


def _key_text(names: list[str]) -> str:
    return "(" + ", ".join(quote(name) for name in names) + ")" if names else "no primary key"


def _renames(removed: list[Column], added: list[Column]) -> dict[str, str]:
    """Dropped column -> added column, where exactly one of each has the same type in the table."""
    pairs: dict[str, str] = {}
    for column in removed:
        same = [other for other in added if type_change(column.type, other.type) is None]
        twins = [other for other in removed if type_change(other.type, column.type) is None]
        if len(same) == 1 and len(twins) == 1:
            pairs[column.name] = same[0].name
    return pairs


def _shape(column: Column) -> str:
    return (column.type or "untyped") + ("" if column.nullable else ", NOT NULL")


def added_column(table: str, column: Column | Mapping[str, Any]) -> Change:
    """A new column: the producer's rows have no value for it unless it may be empty or gets one by default."""
    values = column if isinstance(column, Mapping) else _as_fields(column)
    required = not values.get("nullable", True) and not values.get("default_value") and not values.get("generated")
    shape = (values.get("type") or "untyped") + ("" if values.get("nullable", True) else ", NOT NULL")
    producer = B if required else N
    return Change(Kind.COLUMN_ADDED, table, values["name"], N, producer, shape + (", no default" if required else ""))


def _as_fields(column: Column) -> dict[str, Any]:
    return {"name": column.name, **{field: getattr(column, attr) for field, attr in COLUMN_FIELDS.items()}}


def column_changes(table: str, old: Column, new: Column, *, schema_only: bool = False) -> list[Change]:
    found: list[Change] = []
    fields = SCHEMA_FIELDS if schema_only else tuple(COLUMN_FIELDS)
    for field in fields:
        if field == "primary_key":
            continue  # judged once per table, as the key as a whole
        before, after = getattr(old, COLUMN_FIELDS[field]), getattr(new, COLUMN_FIELDS[field])
        if field == "nullable" and (old.primary_key or new.primary_key):
            # A key column holds no NULLs, whatever the catalogue says (SQLite reports its keys as nullable);
            # a column joining or leaving the key is judged as a change of the key.
            continue
        if field == "value_set" and schema_only and not after:
            continue  # a schema that declares no values says nothing about them
        if before != after:
            found += field_changes(table, new.name, field, before, after)
    return found


def field_changes(table: str, column: str | None, field: str, old: Any, new: Any) -> list[Change]:
    """The changes one field of a column (`column` given) or of a table makes; [] when it makes none."""
    if column is None:
        return _table_field(table, field, old, new)
    if field == "type":
        step = type_change(old, new)
        if step is None:
            return []
        kind = {WIDENED: Kind.TYPE_WIDENED, NARROWED: Kind.TYPE_NARROWED}.get(step, Kind.TYPE_CHANGED)
        return [change(kind, table, column, f"{old or 'untyped'} → {new or 'untyped'}")]
    if field == "nullable":
        if bool(old) == bool(new):
            return []
        if new:
            return [change(Kind.NULLABILITY_RELAXED, table, column, "NOT NULL → nullable")]
        return [change(Kind.NULLABILITY_TIGHTENED, table, column, "nullable → NOT NULL")]
    if field == "primary_key":
        if bool(old) == bool(new):
            return []
        return [change(Kind.PRIMARY_KEY_CHANGED, table, column, "now part of the key" if new else "left the key")]
    if field == "is_unique":
        if bool(old) == bool(new):
            return []
        return [change(Kind.UNIQUE_ADDED if new else Kind.UNIQUE_REMOVED, table, column, "")]
    if field == "foreign_key":
        return _foreign_key(table, column, old, new)
    if field in ("default_value", "generated"):
        if _same_expression(old, new, default=field == "default_value"):
            return []
        kind = Kind.DEFAULT_CHANGED if field == "default_value" else Kind.GENERATED_CHANGED
        return [change(kind, table, column, f"{_text(old)} → {_text(new)}")]
    if field == "check_constraint":
        if _same_expression(old, new, default=False):
            return []
        listed = _listed_values(old), _listed_values(new)
        if listed[0] is not None and listed[1] is not None:
            # `status IN ('a', 'b')` is a value set written as a check: judged as one.
            return _value_set(table, column, dict.fromkeys(listed[0]), dict.fromkeys(listed[1]))
        kind = Kind.CHECK_ADDED if not old else Kind.CHECK_REMOVED if not new else Kind.CHECK_CHANGED
        return [change(kind, table, column, f"{_text(old)} → {_text(new)}")]
    if field == "value_set":
        return _value_set(table, column, old or {}, new or {})
    if field == "json_schema":
        if _json(old) == _json(new):
            return []
        return [change(Kind.JSON_SCHEMA_CHANGED, table, column, "added" if not old else "removed" if not new else "")]
    if field == "classification":
        if (old or None) == (new or None):
            return []
        return [change(Kind.CLASSIFICATION_CHANGED, table, column, f"{_text(old)} → {_text(new)}")]
    if field == "description":
        if (old or None) == (new or None):
            return []
        return [change(Kind.DESCRIPTION_CHANGED, table, column, "added" if not old else "removed" if not new else "")]
    return []


def _table_field(table: str, field: str, old: Any, new: Any) -> list[Change]:
    if (old or None) == (new or None):
        return []
    if field == "description":
        return [change(Kind.DESCRIPTION_CHANGED, table, None, "added" if not old else "removed" if not new else "")]
    if field not in DATA_FLOW:
        return []
    name, changed, recorded = DATA_FLOW[field]
    consumer, producer = recorded if not old else changed
    return [Change(Kind.DATA_FLOW_CHANGED, table, None, consumer, producer, f"{name}: {_text(old)} → {_text(new)}")]


def _foreign_key(table: str, column: str, old: str | None, new: str | None) -> list[Change]:
    if (old or "").lower() == (new or "").lower():
        return []
    if not old:
        return [change(Kind.FOREIGN_KEY_ADDED, table, column, f"references {new}")]
    if not new:
        return [change(Kind.FOREIGN_KEY_REMOVED, table, column, f"referenced {old}")]
    return [change(Kind.FOREIGN_KEY_CHANGED, table, column, f"{old} → {new}")]


def _value_set(table: str, column: str, old: Mapping[str, Any], new: Mapping[str, Any]) -> list[Change]:
    if not old and not new:
        return []
    if not old:
        return [change(Kind.VALUE_SET_ADDED, table, column, _values(new))]
    if not new:
        return [change(Kind.VALUE_SET_REMOVED, table, column, f"was {_values(old)}")]
    found = []
    added = [code for code in new if code not in old]
    removed = [code for code in old if code not in new]
    if added:
        found.append(change(Kind.VALUES_ADDED, table, column, _values(added)))
    if removed:
        found.append(change(Kind.VALUES_REMOVED, table, column, _values(removed)))
    relabelled = [code for code in new if code in old and (old[code] or None) != (new[code] or None)]
    if relabelled:
        found.append(change(Kind.VALUE_MEANINGS_CHANGED, table, column, _values(relabelled)))
    return found


_IN_LIST = re.compile(r"^\(*\s*[\w\"`\[\]]+\s+in\s*\((?P<values>.*)\)\s*\)*$", re.IGNORECASE | re.DOTALL)
# PostgreSQL's own spelling of the same check: `status = ANY (ARRAY['a', 'b'])`.
_ANY_ARRAY = re.compile(r"^[\s(]*[\w\"]+\)?(?:::\w+)?\s*=\s*any\s*\(+\s*array\s*\[(?P<values>[^\]]*)\]", re.I)
_LITERAL = re.compile(r"'((?:[^']|'')*)'|(-?\d+(?:\.\d+)?)")


def _listed_values(check: str | None) -> list[str] | None:
    """The values of a check that only lists them (`status IN ('a', 'b')`); None for any other check."""
    if not check:
        return None
    array = _ANY_ARRAY.search(check)
    if array:
        return [quoted.replace("''", "'") for quoted, _ in _LITERAL.findall(array["values"]) if quoted] or None
    found = _IN_LIST.match(normal_expression(check, None) or "")
    if not found:
        return None
    values = [
        quoted.replace("''", "'") if quoted or not number else number
        for quoted, number in _LITERAL.findall(found["values"])
    ]
    return values or None


def _values(codes: Iterable[str]) -> str:
    shown = [json.dumps(str(code), ensure_ascii=False) for code in codes]
    return ", ".join(shown[:12]) + (f" and {len(shown) - 12} more" if len(shown) > 12 else "")


def _same_expression(old: str | None, new: str | None, *, default: bool) -> bool:
    if (old or None) == (new or None):
        return True
    normal = normal_default if default else normal_expression
    return normal(old, None) == normal(new, None)


def _json(value: Any) -> str | None:
    if value in (None, "", {}):
        return None
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            return value
    return json.dumps(value, sort_keys=True, ensure_ascii=False)


def _text(value: Any) -> str:
    if value is None or value == "":
        return "(none)"
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    text = " ".join(text.split())
    return text if len(text) <= 60 else text[:57] + "..."


def _contract_wide(old: Agreement, new: Agreement) -> list[Change]:
    """Answers that hold for every table: the time zones of timestamps, and how far behind the data may be."""
    found = []
    if (old.timezones or None) != (new.timezones or None):
        zoned_changed = old.timestamps_zoned != new.timestamps_zoned
        consumer, producer = (B, B) if zoned_changed and old.timezones else (W, N)
        found.append(
            Change(
                Kind.DATA_FLOW_CHANGED,
                "",
                None,
                consumer,
                producer,
                f"time zones: {_text(old.timezones)} → {_text(new.timezones)}",
            )
        )
    if old.latency_seconds != new.latency_seconds:
        later = new.latency_seconds is None or (
            old.latency_seconds is not None and new.latency_seconds > old.latency_seconds
        )
        consumer, producer = (W, N) if later else (N, W)
        found.append(
            Change(
                Kind.SERVICE_LEVEL_CHANGED,
                "",
                None,
                consumer,
                producer,
                f"latency: {_seconds(old.latency_seconds)} → {_seconds(new.latency_seconds)}",
            )
        )
    return found


def _seconds(value: int | None) -> str:
    if value is None:
        return "(none)"
    for unit, size in (("d", 86400), ("h", 3600), ("min", 60)):
        if value >= size and value % size == 0:
            return f"{value // size} {unit}"
    return f"{value} s"
