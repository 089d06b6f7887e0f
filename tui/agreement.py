"""The agreed contract of one integration as one model, read from the workspace or from an ODCS file.

`dayone check` enforces it against a live database, the diff compares two of them and the producer's exports
derive from it. The tables and columns are the exporters' own (tui.export.contract), so an ODCS file written by
`dayone export --format odcs` reads back as the agreement it was written from: `from_odcs(render_odcs(facts))`
equals `from_facts(facts)` for everything the contract carries. Text read from the workspace has passed the
masking layer; a file's lines are kept so that a finding can point at the table or column it is about.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

from tui.enums import ItemStatus
from tui.errors import DayoneError
from tui.export.contract import Column, ContractFacts, Table, gather
from tui.export.odcs import TIMEZONES_ITEM, service_levels
from tui.references import column_ref, split, table_ref
from tui.store import Row, Workspace
from tui.yamlsource import Located, YamlError, parse

# An answer on time zones says timestamps carry one when it names a zone-aware type; a "naive" answer says not.
_ZONED = re.compile(r"\bwith(?:\s+a)?\s+time\s*zone\b|\btimestamptz\b|\bzone[- ]aware\b|\boffsets?\b|\baware\b", re.I)
_NAIVE = re.compile(r"\bnaive\b|\bwithout(?:\s+a)?\s+time\s*zone\b|\blocal time\b", re.I)
_SECONDS = {"s": 1, "min": 60, "h": 3600, "d": 86400, "month": 30 * 86400, "y": 365 * 86400}
_CHECK_QUERY = re.compile(r"^SELECT COUNT\(\*\) FROM \{model\} WHERE NOT \((?P<check>.*)\)$", re.S)


class ContractFileError(DayoneError):
    """A contract file that is not an ODCS data contract dayone can read."""


@dataclass(frozen=True)
class Agreement:
    """What two teams agreed about one integration's data: its tables, and the answers that apply to all of them."""

    name: str
    version: str
    tables: tuple[Table, ...]
    # The agreed answer on time zones, and whether it says timestamps carry one (None: not agreed or not clear).
    timezones: str | None = None
    # How far behind the source the data may be, in seconds, from the agreed service levels.
    latency_seconds: int | None = None
    # Where the agreement was read: the integration's name or the contract file.
    source: str = field(default="", compare=False)
    # The file line of each table (its reference) and column (`table_ref.column`); empty for a workspace.
    lines: Mapping[str, int] = field(default_factory=dict, compare=False)

    @property
    def timestamps_zoned(self) -> bool | None:
        return zoned(self.timezones)

    def table(self, ref: str) -> Table | None:
        wanted = ref.lower()
        return next((table for table in self.tables if table_ref(table.schema, table.name).lower() == wanted), None)

    def line(self, table: Table, column: str | None = None) -> int | None:
        """The contract file's line for a table or one of its columns (the table's line when the column has none)."""
        found = self.lines.get(column_ref(table.schema, table.name, column)) if column else None
        return found or self.lines.get(table_ref(table.schema, table.name))

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready form that `from_dict` reads back equal (flags and per-table answers are left out)."""
        data = asdict(self)
        data.pop("lines")
        for table in data["tables"]:
            table.pop("flags")
            table.pop("answers")
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Agreement:
        tables = tuple(
            Table(
                **{name: value for name, value in table.items() if name != "columns"},
                columns=tuple(Column(**column) for column in table["columns"]),
                flags=(),
            )
            for table in data["tables"]
        )
        return cls(**{**data, "tables": tables})


def zoned(answer: str | None) -> bool | None:
    """Whether an answer on time zones agrees that timestamps carry a zone; None when it does not say."""
    if not answer:
        return None
    if _NAIVE.search(answer):
        return False
    return True if _ZONED.search(answer) else None


def from_facts(facts: ContractFacts, source: str | None = None) -> Agreement:
    item = facts.item(TIMEZONES_ITEM)
    timezones = item.answer if item and item.status == ItemStatus.AGREED and item.answer else None
    latency = next((level for level in service_levels(facts) if level["property"] == "latency"), None)
    return Agreement(
        name=facts.name,
        version=facts.version,
        tables=tuple(replace(table, kind=table.kind or "table", flags=(), answers=()) for table in facts.tables),
        timezones=timezones,
        latency_seconds=_seconds(latency["value"], latency["unit"]) if latency else None,
        source=source or facts.name,
    )


def from_workspace(workspace: Workspace, integration: Row, today: str) -> Agreement:
    """The agreement as the workspace holds it now."""
    return from_facts(gather(workspace, integration, today))


def read_odcs(path: str | Path) -> Agreement:
    """Read an ODCS contract file; a missing, unreadable or malformed file raises one line naming it."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ContractFileError(f"{path}: no such contract file") from None
    except IsADirectoryError:
        raise ContractFileError(f"{path}: is a folder, not a contract file") from None
    except UnicodeDecodeError as exc:
        raise ContractFileError(f"{path}: not UTF-8 text (byte {exc.start})") from None
    except OSError as exc:
        raise ContractFileError(f"{path}: cannot be read ({exc.strerror})") from None
    return from_odcs(text, str(path))


def from_odcs(text: str, source: str) -> Agreement:
    """The agreement an ODCS document describes (as dayone writes it: physical names, quality rules, relationships)."""
    try:
        document = parse(text, source)
    except YamlError as exc:
        raise ContractFileError(str(exc)) from None
    data = document.data
    if not isinstance(data, dict):
        raise ContractFileError(f"{source}: not an ODCS data contract (expected a mapping at the top)")
    if data.get("kind") != "DataContract" or not str(data.get("apiVersion", "")).startswith("v3"):
        raise _problem(document, ("kind",), "not an ODCS v3 data contract (kind: DataContract, apiVersion: v3.x)")
    objects = data.get("schema") or []
    if not isinstance(objects, list):
        raise _problem(document, ("schema",), "expected a list of tables")
    lines: dict[str, int] = {}
    names: dict[str, tuple[str, str]] = {}  # ODCS object name -> (schema, table)
    for index, obj in enumerate(objects):
        if not isinstance(obj, dict) or not isinstance(obj.get("name"), str):
            raise _problem(document, ("schema", index), "expected a table with a name")
        custom = _custom(obj)
        names[obj["name"]] = (str(custom.get("schema") or ""), str(obj.get("physicalName") or obj["name"]))
    tables = [_table(document, index, obj, names, lines) for index, obj in enumerate(objects)]
    top = _custom(data)
    latency = next(
        (
            level
            for level in data.get("slaProperties") or ()
            if isinstance(level, dict) and level.get("property") == "latency"
        ),
        None,
    )
    return Agreement(
        name=str(data.get("name") or data.get("id") or source),
        version=str(data.get("version") or ""),
        tables=tuple(tables),
        timezones=str(top["timezones"]) if top.get("timezones") else None,
        latency_seconds=_seconds(latency.get("value"), latency.get("unit")) if latency else None,
        source=source,
        lines=lines,
    )


def _table(
    document: Located, index: int, obj: dict[str, Any], names: dict[str, tuple[str, str]], lines: dict[str, int]
) -> Table:
    schema, name = names[obj["name"]]
    custom = _custom(obj)
    ref = table_ref(schema, name)
    lines[ref] = document.line(("schema", index)) or 0
    columns = []
    for position, prop in enumerate(obj.get("properties") or ()):
        path = ("schema", index, "properties", position)
        if not isinstance(prop, dict) or not isinstance(prop.get("name"), str):
            raise _problem(document, path, "expected a column with a name")
        column = _column(prop, names)
        lines[column_ref(schema, name, column.name)] = document.line(path) or 0
        columns.append(column)
    rows = custom.get("estimatedRows")
    return Table(
        schema=schema,
        name=name,
        description=_text(obj.get("description")),
        kind=_text(obj.get("physicalType")),
        estimated_rows=rows if isinstance(rows, int) and not isinstance(rows, bool) else None,
        created_by=_text(custom.get("createdBy")),
        updated_at_column=_text(custom.get("updatedAtColumn")),
        deletion=_text(custom.get("deletion")),
        soft_delete_column=_text(custom.get("softDeleteColumn")),
        retention=_text(custom.get("retention")),
        legacy_marker=_text(custom.get("legacyMarker")),
        test_data_marker=_text(custom.get("testDataMarker")),
        columns=tuple(columns),
        flags=(),
        strict=custom.get("strict") is True,
    )


def _column(prop: dict[str, Any], names: dict[str, tuple[str, str]]) -> Column:
    custom = _custom(prop)
    values: dict[str, str | None] = {}
    check = None
    for rule in prop.get("quality") or ():
        if not isinstance(rule, dict):
            continue
        if rule.get("metric") == "invalidValues":
            valid = (rule.get("arguments") or {}).get("validValues") or ()
            values = {str(value): None for value in valid}
        match = _CHECK_QUERY.match(str(rule.get("query") or "")) if rule.get("type") == "sql" else None
        if match:
            check = match.group("check")
    for entry in prop.get("enum") or ():
        if isinstance(entry, dict) and "value" in entry:
            values[str(entry["value"])] = _text(entry.get("label"))
    foreign_key = None
    for relationship in prop.get("relationships") or ():
        if isinstance(relationship, dict) and relationship.get("type", "foreignKey") == "foreignKey":
            foreign_key = _target(str(relationship.get("to") or ""), names)
            break
    return Column(
        name=prop["name"],
        type=_text(prop.get("physicalType")),
        nullable=not (prop.get("required") or prop.get("primaryKey")),
        primary_key=bool(prop.get("primaryKey")),
        unique=bool(prop.get("unique")),
        foreign_key=foreign_key,
        default=_text(custom.get("default")),
        generated=_text(custom.get("generated")),
        check=check,
        description=_text(prop.get("description")),
        classification=_text(prop.get("classification")),
        value_set=values,
        json_schema=_json_text(custom.get("jsonSchema")),
    )


def _target(reference: str, names: dict[str, tuple[str, str]]) -> str | None:
    """`object.property` back to the column reference the workspace keeps."""
    parts = split(reference)
    if not parts or len(parts) < 2:
        return None
    schema, table = names.get(".".join(parts[:-1]), ("", parts[-2]))
    return column_ref(schema, table, parts[-1])


def _custom(node: dict[str, Any]) -> dict[str, Any]:
    found = {}
    for entry in node.get("customProperties") or ():
        if isinstance(entry, dict) and isinstance(entry.get("property"), str):
            found[entry["property"]] = entry.get("value")
    return found


def _text(value: Any) -> str | None:
    return None if value is None or value == "" else str(value)


def _json_text(value: Any) -> str | None:
    """A JSON schema kept as text, laid out the way the workspace's contract shows it."""
    if value is None:
        return None
    try:
        schema = json.loads(value) if isinstance(value, str) else value
    except ValueError:
        return str(value)
    return json.dumps(schema, indent=2, sort_keys=True, ensure_ascii=False)


def _seconds(value: Any, unit: Any) -> int | None:
    if not isinstance(value, int | float) or isinstance(value, bool) or unit not in _SECONDS:
        return None
    return round(value * _SECONDS[unit])


def _problem(document: Located, path: tuple[str | int, ...], problem: str) -> ContractFileError:
    return ContractFileError(str(document.error(path, problem)))
