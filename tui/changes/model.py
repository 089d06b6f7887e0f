"""One change to a contract: what kind it is, where it is, and whom it hurts.

Every change carries two impacts. The consumer's: can existing warehouse models and metrics now be wrong? The
producer's: can existing rows now violate the contract? The rules that set them live in
`tui.changes.classify`, and only there.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Impact(StrEnum):
    BREAKING = "breaking"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        return _RANK[self]


_RANK = {Impact.BREAKING: 0, Impact.WARNING: 1, Impact.INFO: 2}


class Kind(StrEnum):
    TABLE_ADDED = "table_added"
    TABLE_REMOVED = "table_removed"
    COLUMN_ADDED = "column_added"
    COLUMN_REMOVED = "column_removed"
    POSSIBLE_RENAME = "possible_rename"
    TYPE_WIDENED = "type_widened"
    TYPE_NARROWED = "type_narrowed"
    TYPE_CHANGED = "type_changed"
    NULLABILITY_RELAXED = "nullability_relaxed"
    NULLABILITY_TIGHTENED = "nullability_tightened"
    PRIMARY_KEY_CHANGED = "primary_key_changed"
    UNIQUE_ADDED = "unique_added"
    UNIQUE_REMOVED = "unique_removed"
    FOREIGN_KEY_ADDED = "foreign_key_added"
    FOREIGN_KEY_REMOVED = "foreign_key_removed"
    FOREIGN_KEY_CHANGED = "foreign_key_changed"
    VALUE_SET_ADDED = "value_set_added"
    VALUE_SET_REMOVED = "value_set_removed"
    VALUES_ADDED = "values_added"
    VALUES_REMOVED = "values_removed"
    VALUE_MEANINGS_CHANGED = "value_meanings_changed"
    DEFAULT_CHANGED = "default_changed"
    GENERATED_CHANGED = "generated_changed"
    CHECK_ADDED = "check_added"
    CHECK_REMOVED = "check_removed"
    CHECK_CHANGED = "check_changed"
    CLASSIFICATION_CHANGED = "classification_changed"
    DESCRIPTION_CHANGED = "description_changed"
    JSON_SCHEMA_CHANGED = "json_schema_changed"
    DATA_FLOW_CHANGED = "data_flow_changed"
    SERVICE_LEVEL_CHANGED = "service_level_changed"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ")


# Kinds that change only what the contract says about the data, never the data: a patch version.
WORDING_ONLY = frozenset({Kind.DESCRIPTION_CHANGED, Kind.VALUE_MEANINGS_CHANGED})


class Bump(StrEnum):
    MAJOR = "major"
    MINOR = "minor"
    PATCH = "patch"


@dataclass(frozen=True)
class Change:
    """One change: `table` is its table reference ("" for the whole contract), `column` None for a table's."""

    kind: Kind
    table: str
    column: str | None
    consumer: Impact
    producer: Impact
    detail: str
    metrics: tuple[str, ...] = ()
    previous: str | None = None  # a possibly renamed column's old name

    @property
    def where(self) -> str:
        if not self.table:
            return "the contract"
        return f"{self.table}.{self.column}" if self.column else self.table

    def to_json(self) -> dict[str, object]:
        return {
            "kind": self.kind.value,
            "table": self.table,
            "column": self.column,
            "consumer": self.consumer.value,
            "producer": self.producer.value,
            "metrics": list(self.metrics),
            "detail": self.detail,
        }


def bump_of(changes: list[Change]) -> Bump | None:
    """The version step the changes call for; None when there are none."""
    if not changes:
        return None
    if any(change.consumer is Impact.BREAKING for change in changes):
        return Bump.MAJOR
    if all(change.kind in WORDING_ONLY for change in changes):
        return Bump.PATCH
    return Bump.MINOR
