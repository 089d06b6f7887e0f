"""What an import found in a schema source, before it touches the workspace.

Both readers (SQL files and live databases) produce an `ImportedSchema`, so the
diff against the workspace and the findings never care where the schema came
from. Only declared constraints are recorded here: guesses are findings.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from tui.references import table_ref

# Called as progress(phase, done, total) while an import runs.
Progress = Callable[[str, int, int], None]


def no_progress(phase: str, done: int, total: int) -> None:
    """The progress callback for callers that do not show progress."""


@dataclass
class ImportedColumn:
    name: str
    type: str | None = None
    nullable: bool = True
    default_value: str | None = None
    primary_key: bool = False
    is_unique: bool = False
    foreign_key: str | None = None
    generated: str | None = None
    check_constraint: str | None = None
    description: str | None = None
    value_set: list[str] | None = None


@dataclass
class ImportedTable:
    schema: str
    name: str
    columns: dict[str, ImportedColumn] = field(default_factory=dict)
    description: str | None = None
    checks: list[str] = field(default_factory=list)
    line: int | None = None

    @property
    def key(self) -> str:
        return table_key(self.schema, self.name)


@dataclass(frozen=True)
class Unreadable:
    """A table that was not imported, where it is and why: reported, never dropped silently."""

    name: str
    line: int
    reason: str

    def describe(self) -> str:
        return f"{self.name} (line {self.line}): {self.reason}" if self.line else f"{self.name}: {self.reason}"


@dataclass
class ImportedSchema:
    source: str
    dialect: str | None
    tables: dict[str, ImportedTable] = field(default_factory=dict)
    skipped: Counter[str] = field(default_factory=Counter)
    unreadable: list[Unreadable] = field(default_factory=list)
    # Tables read but left out on purpose (partitions, extension and internal tables), with the reason.
    left_out: list[Unreadable] = field(default_factory=list)


def table_key(schema: str, name: str) -> str:
    """How a table is named in keys and foreign keys: "schema.table", or "table" in the default schema."""
    return table_ref(schema, name)
