"""What one check run found, rule by rule, and how the workspace keeps it.

A run against the live database yields one `Result` per rule and table or column. Run from a workspace, the run
is recorded with its results (`record_run`); `last_run` reads the newest run of an integration back, so the screens
can show, per table and column, what held and what did not the last time it was checked.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from tui.enums import CheckStatus, Enforcement
from tui.references import column_ref, table_ref
from tui.store import Workspace


@dataclass(frozen=True)
class Result:
    """One rule on one table or column: how it fared, how many rows break it, a few of their values, and the SQL."""

    rule: str
    schema: str
    table: str
    column: str | None
    status: CheckStatus
    message: str = ""
    violations: int | None = None
    samples: tuple[str, ...] = ()
    sql: str | None = None
    enforced_by: Enforcement | None = None

    @property
    def where(self) -> str:
        """`table.column` (or the table) as a reference."""
        if self.column is None:
            return table_ref(self.schema, self.table)
        return column_ref(self.schema, self.table, self.column)


@dataclass(frozen=True)
class Run:
    """One check of an integration's agreed contract against a live database."""

    started_at: str
    finished_at: str
    source: str  # the database checked, its password masked
    dialect: str
    results: tuple[Result, ...]
    sample_percent: float | None = None
    since: str | None = None
    fail_on_warning: bool = False  # `--fail-on warning`: a warning fails the run too
    author: str = ""
    id: int | None = field(default=None, compare=False)

    @property
    def counts(self) -> dict[str, int]:
        """How many rules ended in each status, every status named."""
        found = {status.value: 0 for status in CheckStatus}
        for result in self.results:
            found[result.status.value] += 1
        return found

    @property
    def passed(self) -> bool:
        bad = {CheckStatus.FAIL, CheckStatus.WARN} if self.fail_on_warning else {CheckStatus.FAIL}
        return not any(result.status in bad for result in self.results)


def record_run(workspace: Workspace, integration_id: int, run: Run) -> int:
    """Keep a run and its results in one transaction; returns the run's id."""
    with workspace.transaction():
        cursor = workspace.conn.execute(
            "INSERT INTO check_runs (integration_id, started_at, finished_at, author, source, dialect, passed,"
            " fail_on_warning, sample_percent, since, counts) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                integration_id,
                run.started_at,
                run.finished_at,
                run.author or workspace.author,
                run.source,
                run.dialect,
                int(run.passed),
                int(run.fail_on_warning),
                run.sample_percent,
                run.since,
                json.dumps(run.counts),
            ),
        )
        run_id = cursor.lastrowid
        assert run_id is not None
        workspace.conn.executemany(
            "INSERT INTO check_results (run_id, position, rule, schema, table_name, column_name, status, violations,"
            " samples, sql, enforced_by, message) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (
                    run_id,
                    position,
                    result.rule,
                    result.schema,
                    result.table,
                    result.column,
                    result.status.value,
                    result.violations,
                    json.dumps(list(result.samples), ensure_ascii=False),
                    result.sql,
                    result.enforced_by.value if result.enforced_by else None,
                    result.message,
                )
                for position, result in enumerate(run.results)
            ],
        )
    return run_id


def last_run(workspace: Workspace, integration_id: int) -> Run | None:
    """The newest recorded run of an integration with its results in their order; None when never checked."""
    found = workspace.query(
        "SELECT * FROM check_runs WHERE integration_id = ? ORDER BY id DESC LIMIT 1", (integration_id,)
    )
    if not found:
        return None
    row = found[0]
    results = tuple(
        _result(dict(each))
        for each in workspace.query("SELECT * FROM check_results WHERE run_id = ? ORDER BY position", (row["id"],))
    )
    return Run(
        started_at=row["started_at"],
        finished_at=row["finished_at"],
        source=row["source"],
        dialect=row["dialect"],
        results=results,
        sample_percent=row["sample_percent"],
        since=row["since"],
        fail_on_warning=bool(row["fail_on_warning"]),
        author=row["author"],
        id=row["id"],
    )


def last_runs(workspace: Workspace) -> dict[int, dict[str, Any]]:
    """Per integration, its newest run in brief: when, against what, whether it passed, and its counts."""
    rows = workspace.query(
        "SELECT * FROM check_runs WHERE id IN (SELECT max(id) FROM check_runs GROUP BY integration_id)"
    )
    return {
        row["integration_id"]: {
            "id": row["id"],
            "finished_at": row["finished_at"],
            "source": row["source"],
            "dialect": row["dialect"],
            "passed": bool(row["passed"]),
            "counts": json.loads(row["counts"]),
        }
        for row in rows
    }


def _result(row: dict[str, Any]) -> Result:
    return Result(
        rule=row["rule"],
        schema=row["schema"],
        table=row["table_name"],
        column=row["column_name"],
        status=CheckStatus(row["status"]),
        message=row["message"] or "",
        violations=row["violations"],
        samples=tuple(json.loads(row["samples"])),
        sql=row["sql"],
        enforced_by=Enforcement(row["enforced_by"]) if row["enforced_by"] else None,
    )
