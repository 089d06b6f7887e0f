"""What to check of one agreed table against its live twin: schema results at once, data rules as queries.

Schema rules (the table and each column exist, types fit, keys as agreed, columns beyond the contract) are read
off the catalog. A data rule the database already enforces with a validated constraint is proven without a scan;
the others become `Measure`s, aggregates that run together in one scan of the table, plus one anti-join per
relationship, a duplicate count per unique key and a bounded sample per JSON column with a schema.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.sql.elements import ColumnElement
from sqlglot import exp, parse_one
from sqlglot.errors import SqlglotError

from tui.check import queries as q
from tui.check.catalog import Catalog, LiveColumn, LiveTable
from tui.check.results import Result
from tui.check.types import Fit, compare
from tui.enums import CheckRule, CheckStatus, Enforcement
from tui.export.contract import Column, Table
from tui.importers.spelling import normal_type
from tui.references import quote

# A test-data marker as the plans write it: a flag column, or a column and a condition on it.
_MARKER = re.compile(
    r"""^\s*(?P<column>"(?:[^"]|"")*"|[^\s"=<>!]+)\s*"""
    r"""(?:(?P<op>starting with|starts with|ending with|ends with|containing|contains|=|is)\s*"""
    r"""(?P<value>'(?:[^']|'')*'|"(?:[^"]|"")*"|\S+)\s*)?$""",
    re.IGNORECASE,
)
_TIMESTAMPS = ("timestamp", "timestamptz", "datetime")


@dataclass
class Measure:
    """A data rule folded into the table's scan: an aggregate, and how its value reads as a result."""

    rule: CheckRule
    column: Column | None
    aggregate: ColumnElement[Any]
    shown: Any  # the query that finds the violations on its own
    condition: ColumnElement[bool] | None = None  # the rows that break the rule, for samples
    value: ColumnElement[Any] | None = None  # what the samples show
    warn_only: bool = False  # a finding that warns rather than fails (test data in production)
    name: str | None = None  # the column reported, when the rule is on a column the contract does not list


@dataclass
class Relationship:
    column: Column
    condition: ColumnElement[bool]
    value: ColumnElement[Any]
    declared: bool  # the database declares the foreign key (not validated, or not enforced by the engine)


@dataclass
class TableChecks:
    """Everything to check of one agreed table, and the results already known from the catalog."""

    agreed: Table
    live: LiveTable | None
    source: q.Source | None = None
    results: list[Result] = field(default_factory=list)
    measures: list[Measure] = field(default_factory=list)
    relationships: list[Relationship] = field(default_factory=list)
    # Keys to count duplicates of, each by its own GROUP BY (faster than a DISTINCT count inside the scan):
    # (the agreed column, or None for a primary key of several columns; the live column names).
    keys: list[tuple[Column | None, tuple[str, ...]]] = field(default_factory=list)
    json_columns: list[tuple[Column, LiveColumn]] = field(default_factory=list)
    freshness: str | None = None  # the live updated-at column, when a latency was agreed


def plan(
    agreed: Table,
    catalog: Catalog,
    *,
    zoned: bool | None,
    latency: int | None,
    sample_percent: float | None,
    since: Any,
    since_text: str | None,
) -> TableChecks:
    live = catalog.table(agreed.schema, agreed.name)
    checks = TableChecks(agreed, live)
    if live is None:
        checks.results.append(_result(agreed, None, CheckRule.TABLE, CheckStatus.FAIL, "not in the database"))
        return checks
    checks.results.append(_result(agreed, None, CheckRule.TABLE, CheckStatus.PASS, "exists"))
    stamped = live.column(agreed.updated_at_column) if agreed.updated_at_column else None
    updated = stamped.name if stamped else None
    checks.source = q.source(live, catalog.dialect, sample_percent, since, since_text, updated)
    _keys(checks)
    for column in agreed.columns:
        found = live.column(column.name)
        if found is None:
            checks.results.append(_result(agreed, column, CheckRule.COLUMN, CheckStatus.FAIL, "not in the database"))
            continue
        _schema(checks, column, found, catalog)
        _data(checks, column, found, catalog, zoned)
    agreed_names = {column.name.lower() for column in agreed.columns}
    for name in live.columns:
        if name.lower() not in agreed_names:
            status = CheckStatus.FAIL if agreed.strict else CheckStatus.WARN
            how = "the table is strict" if agreed.strict else "not agreed"
            checks.results.append(
                Result(CheckRule.EXTRA_COLUMN, agreed.schema, agreed.name, name, status, f"in the database, {how}")
            )
    if latency is not None and updated:
        checks.freshness = updated
    if agreed.test_data_marker:
        _test_data(checks)
    return checks


def _result(table: Table, column: Column | None, rule: CheckRule, status: CheckStatus, message: str) -> Result:
    return Result(rule, table.schema, table.name, column.name if column else None, status, message)


def _keys(checks: TableChecks) -> None:
    agreed, live = checks.agreed, checks.live
    assert live is not None
    wanted = [column.name for column in agreed.columns if column.primary_key]
    if not wanted:
        return
    actual = [name.lower() for name in live.primary_key]
    if [name.lower() for name in wanted] == actual or sorted(n.lower() for n in wanted) == sorted(actual):
        checks.results.append(
            _result(agreed, None, CheckRule.PRIMARY_KEY, CheckStatus.PASS, f"({_names(wanted)}) as agreed")
        )
    else:
        has = f"({_names(list(live.primary_key))})" if live.primary_key else "none"
        checks.results.append(
            _result(agreed, None, CheckRule.PRIMARY_KEY, CheckStatus.FAIL, f"agreed ({_names(wanted)}), database {has}")
        )
    if len(wanted) < 2 or not all(live.column(name) for name in wanted):
        return
    if _unique_in(live, wanted):
        checks.results.append(
            Result(
                CheckRule.UNIQUE, agreed.schema, agreed.name, None, CheckStatus.PROVEN,
                "proven by the database's primary key or a unique index", 0, (), None, Enforcement.CONSTRAINT,
            )
        )  # fmt: skip
    else:
        checks.keys.append((None, tuple(column.name for name in wanted if (column := live.column(name)))))


def _names(names: list[str]) -> str:
    return ", ".join(quote(name) for name in names)


def _unique_in(live: LiveTable, names: list[str]) -> bool:
    wanted = sorted(name.lower() for name in names)
    keys = [live.primary_key, *live.unique]
    return any(key and sorted(name.lower() for name in key) == wanted for key in keys)


def _schema(checks: TableChecks, column: Column, live: LiveColumn, catalog: Catalog) -> None:
    agreed = checks.agreed
    if column.type:
        fit = compare(column.type, live.normal)
        status = {Fit.SAME: CheckStatus.PASS, Fit.NARROWER: CheckStatus.WARN}.get(fit, CheckStatus.FAIL)
        message = f"{live.type}" if fit == Fit.SAME else f"agreed {column.type}, database {live.type} ({fit.value})"
        checks.results.append(_result(agreed, column, CheckRule.TYPE, status, message))
    declared = checks.live.declared.get(live.name) if checks.live else None
    if column.foreign_key and declared is not None:
        target = catalog.target(column.foreign_key, agreed.schema)
        same = target is not None and (target[0].schema, target[0].name, target[1].name) == declared
        status = CheckStatus.PASS if same else CheckStatus.FAIL
        shown = ".".join(quote(part) for part in declared if part)
        checks.results.append(_result(agreed, column, CheckRule.FOREIGN_KEY, status, f"declared to {shown}"))


def _data(checks: TableChecks, column: Column, live: LiveColumn, catalog: Catalog, zoned: bool | None) -> None:
    agreed, src = checks.agreed, checks.source
    assert src is not None and checks.live is not None
    value = src.col(live.name)
    if not column.nullable or column.primary_key:
        if not live.nullable or live.name in checks.live.primary_key:
            checks.results.append(_proven(agreed, column, CheckRule.NOT_NULL, "NOT NULL in the database"))
        else:
            condition = value.is_(None)
            checks.measures.append(
                Measure(CheckRule.NOT_NULL, column, q.count_of(src, condition), q.violating(src, condition), condition)
            )
    if column.unique or (column.primary_key and sum(c.primary_key for c in agreed.columns) == 1):
        if _unique_in(checks.live, [live.name]):
            checks.results.append(_proven(agreed, column, CheckRule.UNIQUE, "a unique index in the database"))
        else:
            checks.keys.append((column, (live.name,)))
    if column.value_set:
        allowed = list(column.value_set)
        by = _enforced_values(checks.live, live, allowed, catalog)
        if by:
            checks.results.append(_proven(agreed, column, CheckRule.VALUE_SET, by))
        else:
            outside = q.outside(value, allowed, live.textual)
            checks.measures.append(
                Measure(
                    CheckRule.VALUE_SET, column, q.count_of(src, outside), q.violating(src, outside), outside, value
                )
            )
    if column.foreign_key:
        _relationship(checks, column, live, catalog)
    if zoned and _is_timestamp(column.type):
        _zone(checks, column, live, catalog)
    if column.json_schema:
        checks.json_columns.append((column, live))


def _is_timestamp(agreed_type: str | None) -> bool:
    return (normal_type(agreed_type, None) or "").split("(")[0] in _TIMESTAMPS


def _proven(table: Table, column: Column, rule: CheckRule, by: str) -> Result:
    return Result(
        rule, table.schema, table.name, column.name, CheckStatus.PROVEN, f"proven by {by}", 0, (), None,
        Enforcement.CONSTRAINT,
    )  # fmt: skip


def _enforced_values(table: LiveTable, live: LiveColumn, allowed: list[str], catalog: Catalog) -> str | None:
    """Which constraint keeps a column inside its agreed values, if any: an enumerated type or a CHECK ... IN."""
    if live.enum and catalog.dialect == "postgresql" and set(live.enum) <= set(allowed):
        return f"the database's enumerated type {live.type}"
    for text in table.checks:
        values = _check_values(text, live.name, catalog.sqlglot)
        if values is not None and values <= set(allowed):
            return f"CHECK ({' '.join(text.split())[:80]})"
    return None


def _check_values(text: str, column: str, dialect: str | None) -> set[str] | None:
    """The values a CHECK allows a column when it says `column IN (...)` (PostgreSQL: `column = ANY (ARRAY[...])`),
    casts aside; None for any other shape."""
    try:
        tree = _bare(parse_one(text, dialect=dialect))
    except (SqlglotError, ValueError):
        return None
    if isinstance(tree, exp.In):
        subject, options = _bare(tree.this), [_bare(each) for each in tree.expressions]
    elif isinstance(tree, exp.EQ) and isinstance(_bare(tree.expression), exp.Any):
        array = _bare(_bare(tree.expression).this)
        if not isinstance(array, exp.Array):
            return None
        subject, options = _bare(tree.this), [_bare(each) for each in array.expressions]
    else:
        return None
    if not isinstance(subject, exp.Column) or subject.name.lower() != column.lower() or not options:
        return None
    if not all(isinstance(each, exp.Literal) for each in options):
        return None
    return {each.name for each in options}


def _bare(node: exp.Expr) -> exp.Expr:
    """An expression without the parentheses and casts around it."""
    while isinstance(node, exp.Paren | exp.Cast):
        node = node.this
    return node


def _relationship(checks: TableChecks, column: Column, live: LiveColumn, catalog: Catalog) -> None:
    agreed, src = checks.agreed, checks.source
    assert src is not None and checks.live is not None and column.foreign_key
    target = catalog.target(column.foreign_key, agreed.schema)
    if target is None:
        checks.results.append(
            _result(
                agreed, column, CheckRule.RELATIONSHIP, CheckStatus.FAIL, f"{column.foreign_key} is not in the database"
            )
        )
        return
    parent, key = target
    reference = (parent.schema, parent.name, key.name)
    proven = checks.live.foreign_keys.get(live.name) == reference
    declared = checks.live.declared.get(live.name) == reference
    if proven:
        checks.results.append(_proven(agreed, column, CheckRule.RELATIONSHIP, "a validated foreign key"))
        return
    families_differ = (live.normal or "").split("(")[0] != (key.normal or "").split("(")[0]
    parent_clause = q.live_table(parent).alias("parent")
    value = src.col(live.name)
    condition = q.orphan(value, parent_clause, key.name, families_differ)
    checks.relationships.append(Relationship(column, condition, value, declared))


def _zone(checks: TableChecks, column: Column, live: LiveColumn, catalog: Catalog) -> None:
    agreed, src = checks.agreed, checks.source
    assert src is not None
    normal = (live.normal or "").lower()
    if normal.startswith("timestamptz") and catalog.dialect != "sqlite":  # SQLite keeps any value in any column
        checks.results.append(_proven(agreed, column, CheckRule.TIME_ZONE, f"its type {live.type}"))
        return
    if catalog.dialect != "sqlite" and not live.textual:
        checks.results.append(
            _result(agreed, column, CheckRule.TIME_ZONE, CheckStatus.FAIL, f"its type {live.type} carries no time zone")
        )
        return
    value = src.col(live.name)
    condition = q.without_zone(value, live.textual)
    checks.measures.append(
        Measure(CheckRule.TIME_ZONE, column, q.count_of(src, condition), q.violating(src, condition), condition, value)
    )


def _test_data(checks: TableChecks) -> None:
    agreed, src, live = checks.agreed, checks.source, checks.live
    assert src is not None and live is not None and agreed.test_data_marker
    marker = agreed.test_data_marker
    found = _MARKER.match(marker)
    name = found.group("column") if found else None
    if name and name.startswith('"'):
        name = name[1:-1].replace('""', '"')
    target = live.column(name) if name else None
    if found is None or target is None:
        checks.results.append(
            Result(
                CheckRule.TEST_DATA, agreed.schema, agreed.name, None, CheckStatus.WARN,
                f"the test-data marker {marker!r} is not a condition on a column of the table",
            )
        )  # fmt: skip
        return
    value = src.col(target.name)
    op, literal = (found.group("op") or "").lower(), found.group("value")
    text = literal[1:-1].replace(literal[0] * 2, literal[0]) if literal and literal[0] in "'\"" else literal
    shown = q.as_text(value, target.textual)
    condition: ColumnElement[bool]
    if not op:
        condition = q.is_true(value)
    elif op.startswith("start"):
        condition = shown.startswith(text, autoescape=True)
    elif op.startswith("end"):
        condition = shown.endswith(text, autoescape=True)
    elif op.startswith("contain"):
        condition = shown.contains(text, autoescape=True)
    elif op == "is" and (text or "").lower() in ("true", "false"):
        condition = q.is_true(value) if text.lower() == "true" else ~q.is_true(value)
    else:
        condition = shown == text
    column = next((c for c in agreed.columns if c.name.lower() == target.name.lower()), None)
    checks.measures.append(
        Measure(
            CheckRule.TEST_DATA, column, q.count_of(src, condition), q.violating(src, condition), condition, None,
            warn_only=True, name=target.name,
        )
    )  # fmt: skip
