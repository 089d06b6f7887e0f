"""Benchmark: importing a generated 1,000-table PostgreSQL DDL file.

Prints, from one run:
  - the time sqlglot alone needs to parse the whole file,
  - the time dayone needs to import it in-process (split, parse, write into a
    fresh workspace, compute findings), and the ratio of the two (target <= 1.5),
  - the wall time of the whole `dayone import-schema` process and of
    datacontract-cli's SQL import of the same file, and their ratio (target < 1),
  - with --live: the same schema loaded into a PostgreSQL server started for the
    run, read live (target < 2 s for 1,000 tables, with columns, keys and
    comments) and imported into a workspace, beside SQLAlchemy's per-table
    Inspector calls for the same tables,
  - with --big MB: a pg_dump-like file of that size (the schema plus COPY data
    and INSERTs) imported by the `dayone import-schema` process, with its peak
    memory (target: at most 500 MiB for 30 MB).

Each figure is the best of several alternated runs, as wall-clock time and as CPU
time (user + system of this process or of the child process): on a shared, busy
machine the CPU time is the steadier measure of the work done.

datacontract-cli is found through $DATACONTRACT_CLI (path to its `datacontract`
program, best installed in a separate virtual environment) or on PATH; without
it the comparison is skipped and the script says so.

Run: python tests/benchmarks/bench_import.py [--tables 1000] [--live] [--big 30]
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import sqlglot

from tui.checklists import load_checklist
from tui.importers.run import import_file
from tui.resources import checklists_dir
from tui.store import Workspace

TYPES = [
    "bigint",
    "integer",
    "text",
    "varchar(120)",
    "numeric(12,2)",
    "timestamptz",
    "timestamp",
    "boolean",
    "jsonb",
    "date",
    "uuid",
    "smallint",
]


def generate(tables: int) -> str:
    """A schema shaped like a real application's: keys, references, enums, comments, indexes and a view."""
    parts = ["SET client_encoding = 'UTF8';", "CREATE TYPE order_state AS ENUM ('new', 'paid', 'shipped', 'void');"]
    for n in range(tables):
        columns = ["    id bigint NOT NULL"]
        if n:
            columns.append(f"    parent_{n - 1}_id bigint REFERENCES table_{n - 1} (id)")
        columns.append("    state order_state NOT NULL DEFAULT 'new'")
        for c, kind in enumerate(TYPES[2:], 1):
            null = " NOT NULL" if c % 3 == 0 else ""
            columns.append(f"    column_{c}_{kind.split('(')[0]} {kind}{null}")
        columns.append("    created_at timestamptz NOT NULL DEFAULT now()")
        columns.append(f"    CONSTRAINT table_{n}_pkey PRIMARY KEY (id)")
        parts.append(f"CREATE TABLE table_{n} (\n" + ",\n".join(columns) + "\n);")
        parts.append(f"COMMENT ON TABLE table_{n} IS 'Generated table number {n}';")
        parts.append(f"CREATE INDEX table_{n}_created ON table_{n} (created_at);")
    parts.append("CREATE VIEW recent AS SELECT id FROM table_0 WHERE created_at > now() - interval '1 day';")
    return "\n\n".join(parts) + "\n"


@dataclass
class Timing:
    """Best wall-clock and CPU seconds over several runs (CPU time: the work itself, whatever else the
    machine is doing; for a child process, its user and system time)."""

    wall: float = float("inf")
    cpu: float = float("inf")

    def add(self, wall: float, cpu: float) -> None:
        self.wall, self.cpu = min(self.wall, wall), min(self.cpu, cpu)

    def __str__(self) -> str:
        return f"{self.wall:7.2f} s wall {self.cpu:7.2f} s CPU"


def _cpu() -> float:
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime


def interleaved(runs: int, *works) -> list[Timing]:
    """The best times of several pieces of work, run alternately so that a busy moment favours none."""
    timings = [Timing() for _ in works]
    for _ in range(runs):
        for work, timing in zip(works, timings, strict=True):
            wall, cpu = time.perf_counter(), _cpu()
            work()
            timing.add(time.perf_counter() - wall, _cpu() - cpu)
    return timings


def datacontract_command() -> tuple[list[str], str] | None:
    program = os.environ.get("DATACONTRACT_CLI") or shutil.which("datacontract")
    if not program or not Path(program).exists():
        return None
    newer = subprocess.run([program, "import", "sql", "--help"], capture_output=True).returncode == 0
    return ([program, "import", "sql"] if newer else [program, "import", "--format", "sql"]), program


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tables", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=3, help="repetitions; the best time of each counts")
    parser.add_argument(
        "--datacontract-runs", type=int, default=1, help="repetitions of the (slow) datacontract-cli comparison"
    )
    parser.add_argument("--live", action="store_true", help="also time a live import from PostgreSQL")
    parser.add_argument("--big", type=int, metavar="MB", help="also import a dump of this many MB, with peak memory")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="dayone-bench-"))
    try:
        ddl = folder / "schema.sql"
        ddl.write_text(generate(args.tables), encoding="utf-8")
        text = ddl.read_text(encoding="utf-8")
        print(f"generated {args.tables} tables, {len(text) / 1024:.0f} KB of DDL")
        if args.live:
            live(ddl, args.tables, args.runs)
        if args.big:
            big(folder, text, args.big)

        checklist = load_checklist(checklists_dir())
        counter = iter(range(1000))

        def dayone_import() -> None:
            with Workspace.open(folder / f"in-process-{next(counter)}.db", author="bench", checklist=checklist) as ws:
                import_file(ws, ddl, "postgres", new="Bench")

        parse, imported = interleaved(args.runs, lambda: sqlglot.parse(text, read="postgres"), dayone_import)
        print(f"sqlglot.parse alone:          {parse}")
        print(f"dayone import (in process):   {imported}")
        print(
            f"ratio import / parse:         {imported.wall / parse.wall:7.2f} wall {imported.cpu / parse.cpu:7.2f} CPU"
            "  (target <= 1.5)"
        )

        dayone = [
            sys.executable,
            "-m",
            "tui",
            "import-schema",
            str(ddl),
            "--dialect",
            "postgres",
            "--new-integration",
            "Bench",
        ]

        def dayone_process() -> None:
            subprocess.run(
                [*dayone, "--db", str(folder / f"process-{next(counter)}.db")], check=True, capture_output=True
            )

        found = datacontract_command()
        if found is None:
            (process,) = interleaved(args.runs, dayone_process)
            print(f"dayone import-schema process: {process}")
            print("datacontract-cli not found (set DATACONTRACT_CLI to its `datacontract` program): comparison skipped")
            return 0
        command, program = found

        def datacontract() -> None:
            output = folder / f"contract-{next(counter)}.yaml"
            subprocess.run(
                [*command, "--source", str(ddl), "--dialect", "postgres", "--output", str(output)],
                check=True,
                capture_output=True,
            )

        version = subprocess.run([program, "--version"], capture_output=True, text=True).stdout.strip()
        print(f"datacontract-cli {version} found at {program}")
        process, other = interleaved(args.datacontract_runs, dayone_process, datacontract)
        print(f"dayone import-schema process: {process}")
        print(f"datacontract import sql:      {other}")
        print(
            f"ratio dayone / datacontract:  {process.wall / other.wall:7.2f} wall {process.cpu / other.cpu:7.2f} CPU"
            "  (target < 1)"
        )
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return 0


def live(ddl: Path, tables: int, runs: int) -> None:
    """The generated schema in a PostgreSQL server of its own, read live by dayone and by SQLAlchemy's Inspector."""
    sys.path.insert(0, str(Path(__file__).parent.parent))
    from pg import postgres_server
    from sqlalchemy import create_engine, inspect

    from tui.importers.run import import_url, read_url

    servers = postgres_server.__wrapped__()
    server = next(servers)
    try:
        database = server.create_database("bench")
        server.psql(database, file=ddl)
        url = server.url(database)
        checklist = load_checklist(checklists_dir())
        counter = iter(range(1000))
        folder = ddl.parent

        def read() -> None:
            found = read_url(url)
            assert len(found.schema.tables) == tables

        def imported() -> None:
            with Workspace.open(folder / f"live-{next(counter)}.db", author="bench", checklist=checklist) as ws:
                import_url(ws, url, integration="Live")

        def inspector() -> None:
            engine = create_engine(url.replace("postgresql://", "postgresql+psycopg://"))
            with engine.connect() as connection:
                found = inspect(connection)
                for name in found.get_table_names():
                    found.get_columns(name)
                    found.get_pk_constraint(name)
                    found.get_foreign_keys(name)
                    found.get_unique_constraints(name)
                    found.get_table_comment(name)
            engine.dispose()

        reading, importing, reflecting = interleaved(runs, read, imported, inspector)
        print(f"live read, {tables} tables:      {reading}  (target < 2 s)")
        print(f"live import into a workspace: {importing}")
        print(f"SQLAlchemy Inspector per table: {reflecting}  ({reflecting.wall / reading.wall:.0f}x the live read)")
    finally:
        next(servers, None)


def big(folder: Path, schema: str, megabytes: int) -> None:
    """A dump of about `megabytes` MB: the schema, then COPY blocks and INSERTs, imported by a dayone process."""
    dump = folder / "big.sql"
    row = "\t".join(["42", "some text with a ; semicolon and a ' quote", "2026-01-01 00:00:00+00"]) + "\n"
    with dump.open("w", encoding="utf-8") as out:
        out.write(schema)
        n = 0
        while out.tell() < megabytes * 1024 * 1024:
            out.write(f"COPY public.table_{n % 100} (id, column_1_text, created_at) FROM stdin;\n")
            out.write(row * 2000)
            out.write("\\.\n\n")
            out.write(
                f"INSERT INTO table_{n % 100} (id, column_1_text) VALUES "
                + ", ".join(f"({i}, 'value {i}; with (parens)')" for i in range(500))
                + ";\n"
            )
            n += 1
    size = dump.stat().st_size / 1024 / 1024
    command = [sys.executable, "-m", "tui", "import-schema", str(dump), "--dialect", "postgres"]
    start = time.perf_counter()
    subprocess.run([*command, "--db", str(folder / "big.db")], check=True, capture_output=True)
    wall = time.perf_counter() - start
    # The largest resident set of any child so far: this one, run last and far larger than psql's.
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"dump of {size:.1f} MB: import-schema {wall:.1f} s, peak memory {peak:.0f} MiB  (target <= 500 MiB)")


if __name__ == "__main__":
    raise SystemExit(main())
