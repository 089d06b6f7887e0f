"""`dayone check` of a contract of 300 tables and a million rows in SQLite: one scan per table against one query
per rule, in one run.

Run from the repository root:

    python -m tests.benchmarks.bench_check [--tables 300] [--rows 1000000]

Each table has an agreed value set, a NOT NULL and a unique column the database does not enforce, time stamps
agreed to carry a zone, and a reference to the table before it. The database work of the check (every simple rule of a
table folded into one scan, one anti-join per relationship) is timed against the same rules run as one query each,
the way a rule-per-query tool runs them, both from SQL compiled beforehand (the anti-joins and duplicate counts,
which both run alike, are timed apart); then the whole check end to end. Best of
five runs each, taken in turn, and the ratio is printed.
"""

from __future__ import annotations

import argparse
import sqlite3
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

from tests.benchmarks.timing import best_of, load, reported
from tui.agreement import Agreement
from tui.check import queries as q
from tui.check.catalog import Catalog
from tui.check.connect import connect
from tui.check.rules import plan
from tui.check.run import Options, check
from tui.versions import decode_table

RUNS = 5


def agreement(tables: int) -> Agreement:
    found = []
    for n in range(tables):
        columns: list[dict[str, object]] = [
            {"name": "id", "type": "integer", "primary_key": True, "nullable": False},
            {
                "name": "status",
                "type": "varchar(20)",
                "nullable": False,
                "value_set": dict.fromkeys(("new", "open", "done")),
            },
            {"name": "code", "type": "varchar(20)", "unique": True},
            {"name": "amount", "type": "integer"},
            {"name": "created_at", "type": "timestamptz"},
        ]
        if n:
            columns.append({"name": "parent_id", "type": "integer", "foreign_key": f"t{n - 1}.id"})
        found.append(decode_table({"name": f"t{n}", "columns": columns}))
    return Agreement(name="bench", version="1.0.0", tables=tuple(found), timezones="timestamptz everywhere")


def build(path: Path, tables: int, rows: int) -> None:
    per_table = rows // tables
    start = datetime(2026, 1, 1, tzinfo=UTC)
    connection = sqlite3.connect(path)
    connection.execute("PRAGMA journal_mode = OFF")
    connection.execute("PRAGMA synchronous = OFF")
    for n in range(tables):
        parent = ", parent_id integer" if n else ""
        connection.execute(
            f"CREATE TABLE t{n} (id integer PRIMARY KEY, status varchar(20), code varchar(20), amount integer,"
            f" created_at timestamptz{parent})"
        )
        values = [
            (i, ("new", "open", "done")[i % 3], f"c{i}", i % 1000, (start + timedelta(seconds=i)).isoformat())
            + ((i % per_table + 1,) if n else ())
            for i in range(1, per_table + 1)
        ]
        marks = ", ".join("?" * (6 if n else 5))
        connection.executemany(f"INSERT INTO t{n} VALUES ({marks})", values)
    connection.commit()
    connection.close()


def statements(agreed: Agreement, url: str) -> tuple[list[str], list[str], list[str]]:
    """The SQL of both ways to run the same rules, compiled once: the simple rules as one scan per table, or as one
    query per rule (each rule's own query, as the check reports it); and what both run alike, one anti-join per
    relationship and one duplicate count per unique key."""
    scans, separate, shared = [], [], []
    with connect(url, 600) as database:
        catalog = Catalog(database)
        dialect = database.connection.dialect
        for table in agreed.tables:
            checks = plan(table, catalog, zoned=True, latency=None, sample_percent=None, since=None, since_text=None)
            assert checks.source is not None
            src = checks.source
            scans.append(q.shown(q.scan(src, [m.aggregate for m in checks.measures]), dialect))
            separate += [q.shown(measure.shown, dialect) for measure in checks.measures]
            shared += [q.shown(q.violating(src, each.condition), dialect) for each in checks.relationships]
            shared += [
                q.shown(q.duplicate_rows(src, [src.col(name) for name in names]), dialect) for _, names in checks.keys
            ]
    return scans, separate, shared


def execute(path: Path, sql: list[str]) -> None:
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        for text in sql:
            connection.execute(text).fetchall()
    finally:
        connection.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tables", type=int, default=300)
    parser.add_argument("--rows", type=int, default=1_000_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bench.db"
        with reported(f"built {args.tables:,} tables, {args.rows:,} rows"):
            build(path, args.tables, args.rows)
        url = f"sqlite:///{path}"
        agreed = agreement(args.tables)
        scans, separate, shared = statements(agreed, url)
        found: dict[str, int] = {}

        def whole() -> None:
            run = check(agreed, url, Options(timeout_s=600))
            found["rules"], found["failed"] = len(run.results), run.counts["fail"]

        # Interleaved, so that both meet the same load on a shared machine.
        folded, one_each, alike = float("inf"), float("inf"), float("inf")
        for _ in range(RUNS):
            folded = min(folded, best_of(1, lambda: execute(path, scans)))
            one_each = min(one_each, best_of(1, lambda: execute(path, separate)))
            alike = min(alike, best_of(1, lambda: execute(path, shared)))
        end_to_end = best_of(RUNS, whole)
    assert found["failed"] == 0, found
    measured = load()
    print(f"simple rules, one scan per table:  {folded:.2f} s in {len(scans):,} queries")
    print(f"simple rules, one query per rule:  {one_each:.2f} s in {len(separate):,} queries")
    print(f"anti-joins and duplicate counts, run alike by both: {alike:.2f} s in {len(shared):,} queries")
    print(f"simple rules, one query per rule / one scan per table: {one_each / folded:.2f}x")
    whole_ratio = (one_each + alike) / (folded + alike)
    print(f"all database work, one query per rule / one scan per table: {whole_ratio:.2f}x ({measured})")
    print(
        f"dayone check end to end (catalog, plan, queries, {found['rules']:,} results with their SQL):"
        f" {end_to_end:.2f} s"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
