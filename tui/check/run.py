"""One check of an agreement against a live database: connect read-only, read the catalog, scan, judge.

Per table: the catalog's results, one scan for all simple rules, then one anti-join per relationship, a duplicate
count per unique key and a bounded sample per JSON column with a schema. Samples are taken only of rules that
failed, a few values each, through the masking layer, and never of columns classified as personal data.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from typing import Any

from jsonschema import validators
from jsonschema.exceptions import SchemaError
from sqlalchemy import func, select

from tui.agreement import Agreement
from tui.check import queries as q
from tui.check.catalog import Catalog
from tui.check.connect import Database, connect
from tui.check.results import Result, Run
from tui.check.rules import Measure, TableChecks, plan
from tui.enums import CheckRule, CheckStatus, Enforcement
from tui.export.contract import Column
from tui.references import quote
from tui.secrets import mask_secrets
from tui.store import now_utc

# Classifications that allow a rule to show the values it found; any other withholds them.
SHAREABLE = ("", "public", "internal")
SAMPLES = 5
SAMPLE_WIDTH = 80
_ORDER = {rule: rank for rank, rule in enumerate(CheckRule)}


@dataclass(frozen=True)
class Options:
    timeout_s: float = 60.0
    sample_percent: float | None = None
    since: datetime | None = None
    since_text: str | None = None  # as given, for databases that keep time stamps as text
    json_sample: int = 1000
    fail_on_warning: bool = False
    now: datetime | None = None  # the moment freshness is judged at (now, unless a test says otherwise)


def check(agreement: Agreement, url: str, options: Options) -> Run:
    """Check every agreed table; raises a one-line DayoneError when the check cannot run to its end."""
    started = now_utc()
    results: list[Result] = []
    with connect(url, options.timeout_s) as database:
        catalog = Catalog(database)
        for table in agreement.tables:
            checks = plan(
                table,
                catalog,
                zoned=agreement.timestamps_zoned,
                latency=agreement.latency_seconds,
                sample_percent=options.sample_percent,
                since=options.since,
                since_text=options.since_text,
            )
            found = _run(database, checks, agreement, options)
            results.extend(sorted(found, key=_position(checks)))
        shown, dialect = database.shown, database.dialect
    return Run(
        started_at=started,
        finished_at=now_utc(),
        source=shown,
        dialect=dialect,
        results=tuple(results),
        sample_percent=options.sample_percent,
        since=options.since.isoformat() if options.since else None,
        fail_on_warning=options.fail_on_warning,
    )


def personal(column: Column | None) -> bool:
    """Whether a column's values must never be shown: it is classified as anything but public or internal."""
    return column is not None and (column.classification or "").strip().lower() not in SHAREABLE


def _position(checks: TableChecks) -> Any:
    places = {column.name: index for index, column in enumerate(checks.agreed.columns)}
    extra = len(places)

    def key(result: Result) -> tuple[int, int]:
        where = -1 if result.column is None else places.get(result.column, extra)
        return (where, _ORDER[CheckRule(result.rule)])

    return key


def _run(database: Database, checks: TableChecks, agreement: Agreement, options: Options) -> list[Result]:
    results = list(checks.results)
    if checks.live is None or checks.source is None:
        return results
    src, table = checks.source, checks.agreed
    where = f"checking {table.ref}"
    aggregates = [measure.aggregate for measure in checks.measures]
    if checks.freshness:
        aggregates.append(func.max(src.col(checks.freshness)))
    row = database.run(q.scan(src, aggregates), where)[0]
    rows = int(row[0])
    results[0] = replace(results[0], message=f"exists, {rows:,} rows checked")
    for index, measure in enumerate(checks.measures):
        results.append(_measured(database, checks, measure, int(row[index + 1] or 0), options))
    if checks.freshness and agreement.latency_seconds is not None:
        results.append(_fresh(database, checks, row[len(checks.measures) + 1], agreement.latency_seconds, options))
    for relationship in checks.relationships:
        query = q.violating(src, relationship.condition)
        found = int(database.run(query, f"checking {table.ref} against {relationship.column.foreign_key}")[0][0] or 0)
        how = "" if relationship.declared else "not declared in the database; "
        results.append(
            _counted(
                database,
                checks,
                CheckRule.RELATIONSHIP,
                relationship.column,
                found,
                query,
                options,
                f"{how}{_rows(found)} naming no {relationship.column.foreign_key}",
                samples=(src, relationship.value, relationship.condition),
            )
        )
    for column, names in checks.keys:
        results.append(_duplicates(database, checks, column, names, options))
    for column, live in checks.json_columns:
        results.append(_json(database, checks, column, live.name, options))
    return results


def _measured(database: Database, checks: TableChecks, measure: Measure, found: int, options: Options) -> Result:
    assert checks.source is not None
    src = checks.source
    wording = {
        CheckRule.NOT_NULL: "without a value",
        CheckRule.VALUE_SET: "with a value outside the agreed set",
        CheckRule.TIME_ZONE: "with a time stamp without a time zone",
        CheckRule.TEST_DATA: f"matching the test-data marker {checks.agreed.test_data_marker}",
    }[measure.rule]
    samples: tuple[q.Source, Any, Any] | None = None
    if measure.condition is not None and measure.value is not None:
        samples = (src, measure.value, measure.condition)
    return _counted(
        database,
        checks,
        measure.rule,
        measure.column,
        found,
        measure.shown,
        options,
        f"{_rows(found)} {wording}",
        samples=samples,
        warn_only=measure.warn_only,
        name=measure.name,
    )


def _counted(
    database: Database,
    checks: TableChecks,
    rule: CheckRule,
    column: Column | None,
    found: int,
    query: Any,
    options: Options,
    message: str,
    *,
    samples: tuple[q.Source, Any, Any] | None = None,
    warn_only: bool = False,
    name: str | None = None,
) -> Result:
    table = checks.agreed
    shown_sql = q.shown(query, database.connection.dialect)
    values: tuple[str, ...] = ()
    if found and samples is not None:
        values, message = _samples(database, checks, rule, column, samples, message)
    if found:
        status = CheckStatus.WARN if warn_only else CheckStatus.FAIL
    else:
        status = CheckStatus.SAMPLED if options.sample_percent is not None else CheckStatus.PASS
    if not found:
        message = "none found" + (f" in a {options.sample_percent:g}% sample" if options.sample_percent else "")
    return Result(
        rule,
        table.schema,
        table.name,
        name or (column.name if column else None),
        status,
        message,
        found,
        values,
        shown_sql,
        Enforcement.CHECK,
    )


def _samples(
    database: Database,
    checks: TableChecks,
    rule: CheckRule,
    column: Column | None,
    samples: tuple[q.Source, Any, Any],
    message: str,
) -> tuple[tuple[str, ...], str]:
    if personal(column):
        return (), f"{message}; values not shown (classified {column.classification})"  # type: ignore[union-attr]
    src, value, condition = samples
    query = q.values_of(src, value, condition, SAMPLES)
    rows = database.run(query, f"reading samples of {checks.agreed.ref}")
    return tuple(f"{sample_text(found)} ({_rows(int(count))})" for found, count in rows), message


def _rows(count: int) -> str:
    return "1 row" if count == 1 else f"{count:,} rows"


def sample_text(value: Any) -> str:
    """A value as a sample shows it: one line, credentials masked, cut to a readable width."""
    text = "NULL" if value is None else value if isinstance(value, str) else json.dumps(value, default=str)
    text = mask_secrets(text)[0]
    return text if len(text) <= SAMPLE_WIDTH else text[: SAMPLE_WIDTH - 1] + "…"


def _duplicates(
    database: Database, checks: TableChecks, column: Column | None, names: tuple[str, ...], options: Options
) -> Result:
    """Rows repeating the value of a unique column, or the key of a primary key of several columns."""
    assert checks.source is not None
    src, table = checks.source, checks.agreed
    keys = [src.col(name) for name in names]
    query = q.duplicate_rows(src, keys)
    found = int(database.run(query, f"checking the unique keys of {table.ref}")[0][0] or 0)
    values: tuple[str, ...] = ()
    what = "a value of an earlier row" if column else f"a primary key ({', '.join(quote(name) for name in names)})"
    message = f"{_rows(found)} repeating {what}"
    if found:
        wanted = {name.lower() for name in names}
        hidden = [c for c in table.columns if c.name.lower() in wanted and personal(c)]
        if hidden:
            message += f"; values not shown (classified {hidden[0].classification})"
        else:
            rows = database.run(q.duplicates(src, keys, SAMPLES), f"reading samples of {table.ref}")
            values = tuple(
                (sample_text(row[0]) if len(row) == 2 else f"({', '.join(sample_text(part) for part in row[:-1])})")
                + f" ({_rows(int(row[-1]))})"
                for row in rows
            )
    status = CheckStatus.FAIL if found else CheckStatus.SAMPLED if options.sample_percent else CheckStatus.PASS
    return Result(
        CheckRule.UNIQUE,
        table.schema,
        table.name,
        column.name if column else None,
        status,
        message
        if found
        else "none found" + (f" in a {options.sample_percent:g}% sample" if options.sample_percent else ""),
        found,
        values,
        q.shown(query, database.connection.dialect),
        Enforcement.CHECK,
    )


def _json(database: Database, checks: TableChecks, column: Column, live_name: str, options: Options) -> Result:
    assert checks.source is not None and column.json_schema
    table = checks.agreed
    src = checks.source
    query = q.sample_rows(src, src.col(live_name), options.json_sample)
    sql = q.shown(query, database.connection.dialect)
    schema = json.loads(column.json_schema)
    try:
        validator_class = validators.validator_for(schema)
        validator_class.check_schema(schema)
    except SchemaError as exc:
        message = f"the agreed JSON schema is not valid ({exc.message})"
        return Result(CheckRule.JSON_SCHEMA, table.schema, table.name, column.name, CheckStatus.FAIL, message, sql=sql)
    validator = validator_class(schema)
    rows = database.run(query, f"reading JSON values of {table.ref}")
    bad, errors = 0, list[str]()
    for (value,) in rows:
        problem = _json_problem(validator, value)
        if problem:
            bad += 1
            if len(errors) < SAMPLES:
                errors.append(problem)
    whole = len(rows) < options.json_sample and options.sample_percent is None
    message = f"{bad:,} of {len(rows):,} values read break the agreed JSON schema"
    values: tuple[str, ...] = ()
    if bad and personal(column):
        message += f"; values not shown (classified {column.classification})"
    elif bad:
        values = tuple(sample_text(error) for error in errors)
    status = CheckStatus.FAIL if bad else CheckStatus.PASS if whole else CheckStatus.SAMPLED
    return Result(
        CheckRule.JSON_SCHEMA,
        table.schema,
        table.name,
        column.name,
        status,
        message,
        bad,
        values,
        sql,
        Enforcement.CHECK,
    )


def _json_problem(validator: Any, value: Any) -> str | None:
    if isinstance(value, bytes | bytearray):
        value = value.decode("utf-8", "replace")
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            return "not JSON"
    error = next(iter(validator.iter_errors(value)), None)
    if error is None:
        return None
    where = "".join(f"[{part}]" if isinstance(part, int) else f".{part}" for part in error.absolute_path)
    return f"${where}: {error.message}"


def _fresh(database: Database, checks: TableChecks, newest: Any, latency: int, options: Options) -> Result:
    assert checks.source is not None and checks.freshness
    table, src = checks.agreed, checks.source
    query = select(func.max(src.col(checks.freshness))).select_from(src.selectable)
    sql = q.shown(query, database.connection.dialect)
    column = checks.freshness

    def result(status: CheckStatus, message: str, samples: tuple[str, ...] = ()) -> Result:
        return Result(
            CheckRule.FRESHNESS, table.schema, table.name, column, status, message, None, samples, sql,
            Enforcement.CHECK,
        )  # fmt: skip

    if newest is None:
        return result(CheckStatus.WARN, "no rows to judge freshness by")
    moment = _moment(newest)
    if moment is None:
        return result(CheckStatus.FAIL, f"the newest value {sample_text(newest)} is not a time")
    now = options.now or datetime.now(UTC)
    age = (now - moment).total_seconds()
    message = f"newest row {_duration(age)} old, agreed at most {_duration(latency)}"
    return result(CheckStatus.FAIL if age > latency else CheckStatus.PASS, message, (moment.isoformat(),))


def _moment(value: Any) -> datetime | None:
    if isinstance(value, datetime):
        found = value
    elif isinstance(value, date):
        found = datetime(value.year, value.month, value.day)
    elif isinstance(value, int | float) and not isinstance(value, bool):
        return datetime.fromtimestamp(value, UTC)
    elif isinstance(value, str):
        try:
            found = datetime.fromisoformat(value.strip())
        except ValueError:
            return None
    else:
        return None
    return found if found.tzinfo else found.replace(tzinfo=UTC)


def _duration(seconds: float) -> str:
    seconds = max(0, round(seconds))
    for unit, size in (("d", 86400), ("h", 3600), ("min", 60)):
        if seconds >= size:
            whole, rest = divmod(seconds, size)
            return f"{whole}{unit}" + (f" {rest // 60}min" if unit == "h" and rest >= 60 else "")
    return f"{seconds}s"
