"""How each agreement of an integration is enforced, and how it fared when it was last checked.

An agreement is one rule about one table or column, named as `dayone check` names its rules (CheckRule): the
ones the workspace records (keys, NOT NULL, value sets, JSON schemas, zones on timestamps where they were
agreed, freshness where an updated-at column is named, the test-data marker) and whatever else the last check
reported. Each is enforced by a database constraint when the last check found it proven by one, or when the
last schema import read it (tui.enforced); by `dayone check` when the last check ran a query for it; and
otherwise not at all, as far as the workspace knows.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum

from tui.check.results import Result, last_run
from tui.enforced import DatabaseKnowledge, agreed_rules, knowledge
from tui.enums import CheckRule, CheckStatus, Enforcement, ItemStatus
from tui.export.contract import Column, Table
from tui.export.odcs import TIMEZONES_ITEM
from tui.store import Workspace


class How(StrEnum):
    """What keeps an agreement."""

    DATABASE = "database constraint"
    CHECK = "dayone check"
    NONE = "not enforced"


# Worst first: the status an agreement shows when several results speak of it (a foreign key is declared and
# its rows are checked as a relationship).
_WORST = (CheckStatus.FAIL, CheckStatus.WARN, CheckStatus.SAMPLED, CheckStatus.PASS, CheckStatus.PROVEN)
# The results of these rules speak of the agreement under the other name too.
_SAME_AGREEMENT = {CheckRule.RELATIONSHIP: CheckRule.FOREIGN_KEY}
# Agreements about a whole table, whichever column the check names in its result (the key's, the updated-at one).
_TABLE_RULES = (CheckRule.TABLE, CheckRule.PRIMARY_KEY, CheckRule.FRESHNESS, CheckRule.TEST_DATA)
# The checklist items of the data-model and data-contract sections and the rules that carry them out.
ALL_RULES = tuple(CheckRule)
ITEM_RULES: dict[str, tuple[CheckRule, ...]] = {
    "data_model.documentation": (CheckRule.TABLE, CheckRule.COLUMN, CheckRule.TYPE, CheckRule.EXTRA_COLUMN),
    "data_model.value_sets": (CheckRule.VALUE_SET,),
    "data_model.json_columns": (CheckRule.JSON_SCHEMA,),
    "data_model.constraints": (CheckRule.PRIMARY_KEY, CheckRule.NOT_NULL, CheckRule.UNIQUE, CheckRule.FOREIGN_KEY),
    TIMEZONES_ITEM: (CheckRule.TIME_ZONE,),
    "contracts.enforcement": ALL_RULES,
    "contracts.producer_checks": ALL_RULES,
    "contracts.sla": (CheckRule.FRESHNESS,),
}


@dataclass(frozen=True)
class Agreed:
    """One agreement on one table (`column` None) or column: what keeps it, and its last result if any."""

    rule: CheckRule
    column: str | None
    how: How
    status: CheckStatus | None = None
    message: str = ""


@dataclass(frozen=True)
class Tally:
    """How many agreements each way keeps, and how many the last check found broken."""

    database: int = 0
    check: int = 0
    none: int = 0
    failed: int = 0
    warned: int = 0

    @classmethod
    def of(cls, agreements: Iterable[Agreed]) -> Tally:
        found = list(agreements)
        return cls(
            database=sum(each.how is How.DATABASE for each in found),
            check=sum(each.how is How.CHECK for each in found),
            none=sum(each.how is How.NONE for each in found),
            failed=sum(each.status is CheckStatus.FAIL for each in found),
            warned=sum(each.status is CheckStatus.WARN for each in found),
        )

    @property
    def total(self) -> int:
        return self.database + self.check + self.none


@dataclass(frozen=True)
class ContractEnforcement:
    """Every agreement of an integration by table, the last check's time and its failures."""

    checked_at: str | None
    tables: dict[tuple[str, str], tuple[Agreed, ...]]  # (schema, table) -> its agreements, column by column
    failures: tuple[Result, ...] = ()  # failed first, then warnings, in the check's order
    failed: int = 0
    warned: int = 0
    items: dict[str, Tally] = field(default_factory=dict)

    def table(self, schema: str, name: str) -> tuple[Agreed, ...]:
        return self.tables.get((schema, name), ())

    def tally(self, schema: str, name: str) -> Tally:
        return Tally.of(self.table(schema, name))

    def columns(self, schema: str, name: str) -> dict[str | None, list[Agreed]]:
        """A table's agreements by column (None: about the whole table)."""
        found: dict[str | None, list[Agreed]] = {}
        for each in self.table(schema, name):
            found.setdefault(each.column, []).append(each)
        return found


def contract_enforcement(workspace: Workspace, integration_id: int) -> ContractEnforcement:
    """Read the agreements, what the database is known to enforce and the last check, and put them together."""
    run = last_run(workspace, integration_id)
    results: dict[tuple[str, str, str | None, CheckRule], list[Result]] = {}
    for result in run.results if run else ():
        rule = CheckRule(result.rule)
        rule = _SAME_AGREEMENT.get(rule, rule)
        column = None if rule in _TABLE_RULES else result.column
        results.setdefault((result.schema, result.table, column, rule), []).append(result)
    tables: dict[tuple[str, str], list[Agreed]] = {}
    for table, rules in _agreed(workspace, integration_id):
        own = tables.setdefault((table.schema, table.name), [])
        for column, rule, enforced in rules:
            found = results.pop((table.schema, table.name, column, rule), [])
            own.append(_agreement(rule, column, found, enforced))
    for (schema, name, column, rule), found in results.items():  # what the check reported beyond the workspace
        tables.setdefault((schema, name), []).append(_agreement(rule, column, found, False))
    ordered = {key: tuple(sorted(value, key=_order)) for key, value in tables.items()}
    everything = [each for agreements in ordered.values() for each in agreements]
    failures = tuple(
        result
        for status in (CheckStatus.FAIL, CheckStatus.WARN)
        for result in (run.results if run else ())
        if result.status is status
    )
    return ContractEnforcement(
        checked_at=run.finished_at if run else None,
        tables=ordered,
        failures=failures,
        failed=sum(result.status is CheckStatus.FAIL for result in failures),
        warned=sum(result.status is CheckStatus.WARN for result in failures),
        items={key: Tally.of(each for each in everything if each.rule in rules) for key, rules in ITEM_RULES.items()},
    )


_RULE_ORDER = {rule: rank for rank, rule in enumerate(CheckRule)}


def _order(agreed: Agreed) -> tuple[int, str, int]:
    return (agreed.column is not None, agreed.column or "", _RULE_ORDER[agreed.rule])


def _agreement(rule: CheckRule, column: str | None, results: list[Result], enforced: bool) -> Agreed:
    if not results:
        return Agreed(rule, column, How.DATABASE if enforced else How.NONE)
    worst = min(results, key=lambda result: _WORST.index(result.status))
    by_database = any(
        result.enforced_by is Enforcement.CONSTRAINT or result.status is CheckStatus.PROVEN for result in results
    )
    return Agreed(rule, column, How.DATABASE if by_database else How.CHECK, worst.status, worst.message)


def _agreed(
    workspace: Workspace, integration_id: int
) -> Iterable[tuple[Table, list[tuple[str | None, CheckRule, bool]]]]:
    """Each table with its agreements: (column or None, rule, whether the database is known to enforce it)."""
    item = workspace.query(
        "SELECT status, answer FROM checklist_items WHERE integration_id = ? AND key = ?",
        (integration_id, TIMEZONES_ITEM),
    )
    timestamps_zoned = None
    if item and item[0]["status"] == ItemStatus.AGREED:
        from tui.agreement import zoned  # only then: it brings the contract file reader

        timestamps_zoned = zoned(item[0]["answer"])
    known: DatabaseKnowledge = knowledge(workspace, integration_id, masked=False)
    # Only the columns that carry an agreement are read: most columns of a large schema carry none.
    timestamps = " OR type LIKE '%time%'" if timestamps_zoned else ""
    columns: dict[int, list[Column]] = {}
    for (
        table_id,
        name,
        kind,
        nullable,
        primary_key,
        unique,
        foreign_key,
        check,
        value_set,
        json_schema,
    ) in workspace.query(
        "SELECT table_id, name, type, nullable, primary_key, is_unique, foreign_key, check_constraint, value_set,"
        " json_schema FROM columns WHERE table_id IN (SELECT id FROM tables WHERE integration_id = ?)"
        " AND (nullable = 0 OR primary_key != 0 OR is_unique != 0 OR foreign_key IS NOT NULL"
        f" OR value_set IS NOT NULL OR json_schema IS NOT NULL{timestamps}) ORDER BY table_id, position, id",
        (integration_id,),
    ):
        values = json.loads(value_set) if value_set else {}
        columns.setdefault(table_id, []).append(
            Column(
                name,
                kind,
                bool(nullable),
                bool(primary_key),
                bool(unique),
                foreign_key,
                None,
                None,
                check,
                None,
                None,
                {str(code): None for code in values},
                json_schema,
            )
        )
    for row in workspace.query(
        "SELECT id, schema, name, updated_at_column, test_data_marker FROM tables WHERE integration_id = ?"
        " ORDER BY schema, name",
        (integration_id,),
    ):
        table = Table(
            schema=row["schema"],
            name=row["name"],
            description=None,
            kind=None,
            estimated_rows=None,
            created_by=None,
            updated_at_column=row["updated_at_column"],
            deletion=None,
            soft_delete_column=None,
            retention=None,
            legacy_marker=None,
            test_data_marker=row["test_data_marker"],
            columns=tuple(columns.get(row["id"], ())),
            flags=(),
        )
        rules: list[tuple[str | None, CheckRule, bool]] = []
        keys = [column for column in table.columns if column.primary_key]
        if keys:
            rules.append(
                (None, CheckRule.PRIMARY_KEY, all(known.enforces(table, key, CheckRule.PRIMARY_KEY) for key in keys))
            )
        if table.updated_at_column:
            rules.append((None, CheckRule.FRESHNESS, False))
        if table.test_data_marker:
            rules.append((None, CheckRule.TEST_DATA, False))
        for column in table.columns:
            for rule in agreed_rules(column, timestamps_zoned):
                if rule is not CheckRule.PRIMARY_KEY:
                    rules.append((column.name, rule, known.enforces(table, column, rule)))
        yield table, rules
