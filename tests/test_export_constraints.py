"""`dayone export --format constraints`: DDL that makes the database enforce the agreement, run for real.

PostgreSQL (the server the tests start) and MariaDB take their own files on clean data, and afterwards refuse
each kind of violating row; SQLite takes the unique indexes it can. The same holds for hostile names.
"""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

import pytest
from credentials import CREDENTIALS
from enforcing import PLAN, hostile_enforcing_plan
from mariadb import MariaDbServer
from pg import PgServer

from tui.export import render
from tui.importers.run import import_url
from tui.plan import load_plan
from tui.store import Workspace

pytestmark = pytest.mark.core

# The tables of PLAN as the database has them before: the same columns, no constraint at all, clean rows.
CLEAN_POSTGRES = """
CREATE SCHEMA shop;
CREATE TABLE shop."Customers" (id bigint, email varchar(200), updated_at timestamp);
CREATE TABLE shop."order lines" (id bigint, "customer id" bigint, status varchar(20), placed_at timestamp,
    payload jsonb);
INSERT INTO shop."Customers" VALUES (1, 'a@example.com', '2026-01-01 10:00'), (2, 'b@example.com', '2026-01-01 11:00');
INSERT INTO shop."order lines" VALUES (1, 1, 'open', '2026-01-02 09:30', '{}'), (2, 2, 'it''s done', NULL, NULL),
    (3, 1, NULL, NULL, NULL);
GRANT USAGE ON SCHEMA shop TO dayone;
"""
# Each insert breaks one agreement, and the error PostgreSQL gives once the constraints are there.
VIOLATIONS = [
    ('INSERT INTO shop."Customers" VALUES (3, NULL, now())', "not-null constraint"),
    ("INSERT INTO shop.\"Customers\" VALUES (3, 'a@example.com', now())", "unique constraint"),
    ("INSERT INTO shop.\"Customers\" VALUES (1, 'c@example.com', now())", "unique constraint"),
    ('INSERT INTO shop."order lines" (id, "customer id") VALUES (9, 99)', "foreign key constraint"),
    ('INSERT INTO shop."order lines" (id, "customer id", status) VALUES (9, 1, \'bogus\')', "check constraint"),
    ('INSERT INTO shop."order lines" (id, "customer id") VALUES (9, NULL)', "not-null constraint"),
]


def files(workspace: Workspace) -> dict[str, str]:
    rendered = render(workspace, workspace.integrations()[0], "constraints")
    return {name.rsplit(".", 2)[-2]: text for name, text in rendered.files}


@pytest.fixture
def shop(workspace: Workspace) -> Workspace:
    load_plan(workspace, PLAN, "plan.yaml")
    return workspace


def test_the_statements_come_in_the_order_the_database_needs(shop: Workspace) -> None:
    postgres = files(shop)["postgres"]
    statements = [line for line in postgres.splitlines() if line and not line.startswith("--")]
    kinds = [
        next(
            kind
            for kind in (
                "BEGIN",
                "PRIMARY KEY",
                "UNIQUE",
                "NOT NULL",
                "CHECK",
                "FOREIGN KEY",
                "TYPE",
                "COMMIT",
                "VALIDATE",
            )
            if kind in line
        )
        for line in statements
    ]
    assert kinds == sorted(
        kinds,
        key=["BEGIN", "PRIMARY KEY", "UNIQUE", "NOT NULL", "CHECK", "FOREIGN KEY", "TYPE", "COMMIT", "VALIDATE"].index,
    )
    assert 'ALTER TABLE "shop"."order lines" ALTER COLUMN "customer id" SET NOT NULL;' in statements
    assert any(line.endswith("NOT VALID;") and 'FOREIGN KEY ("customer id")' in line for line in statements)
    assert (
        'ALTER TABLE "shop"."order lines" ALTER COLUMN "placed_at" TYPE timestamptz'
        " USING \"placed_at\" AT TIME ZONE 'UTC';"
    ) in statements
    assert '--   shop."order lines".payload' in postgres  # the JSON schema is left to dayone check
    # Without an agreement that timestamps carry a zone, their types are left alone.
    shop.update("item", shop.rows("item", "key = 'data_model.timezones'")[0]["id"], {"status": "discussing"})
    assert "timestamptz" not in files(shop)["postgres"]


@pytest.mark.postgres
def test_postgres_takes_it_on_clean_data_and_refuses_violations_after(
    postgres_server: PgServer, shop: Workspace, tmp_path: Path
) -> None:
    database = postgres_server.create_database("constraints_clean")
    postgres_server.psql(database, CLEAN_POSTGRES)
    for insert, _ in VIOLATIONS:  # nothing stops them yet
        postgres_server.psql(database, f"BEGIN; {insert}; ROLLBACK;")
    ddl = tmp_path / "constraints.sql"
    ddl.write_text(files(shop)["postgres"], encoding="utf-8")
    postgres_server.psql(database, file=ddl)
    for insert, error in VIOLATIONS:
        with pytest.raises(AssertionError, match=re.escape(error)):
            postgres_server.psql(database, insert)
    types = postgres_server.psql(
        database,
        "SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = 'shop'"
        " AND column_name LIKE '%_at'",
    )
    assert sorted(types.splitlines()) == ["placed_at|timestamp with time zone", "updated_at|timestamp with time zone"]
    assert (
        postgres_server.psql(
            database, "SET TIME ZONE 'UTC'; SELECT placed_at FROM shop.\"order lines\" WHERE id = 1"
        ).strip()
        == "2026-01-02 09:30:00+00"
    )
    invalid = postgres_server.psql(database, "SELECT count(*) FROM pg_constraint WHERE NOT convalidated")
    assert invalid.strip() == "0"
    # Read back by a schema import, the database now enforces everything the file proposed: nothing is left.
    import_url(shop, postgres_server.url(database), "Shop")
    again = files(shop)["postgres"]
    assert "Nothing to add" in again and "ALTER TABLE" not in again


@pytest.mark.postgres
def test_on_dirty_data_postgres_changes_nothing(postgres_server: PgServer, shop: Workspace, tmp_path: Path) -> None:
    database = postgres_server.create_database("constraints_dirty")
    postgres_server.psql(database, CLEAN_POSTGRES + 'INSERT INTO shop."Customers" VALUES (3, NULL, NULL);')
    ddl = tmp_path / "constraints.sql"
    ddl.write_text(files(shop)["postgres"], encoding="utf-8")
    with pytest.raises(AssertionError, match="contains null values"):
        postgres_server.psql(database, file=ddl)
    assert (
        postgres_server.psql(
            database, "SELECT count(*) FROM pg_constraint WHERE conrelid::regclass::text LIKE 'shop.%'"
        ).strip()
        == "0"
    )


def _quoted(name: str) -> str:
    return '"' + name.replace("\x00", "").replace('"', '""') + '"'


@pytest.mark.postgres
def test_hostile_names_and_values_run_as_written(
    postgres_server: PgServer, workspace: Workspace, tmp_path: Path
) -> None:
    load_plan(workspace, hostile_enforcing_plan(), "hostile.yaml")
    text = files(workspace)["postgres"]
    assert [secret for _, secret in CREDENTIALS if secret in text] == []
    database = postgres_server.create_database("constraints_hostile")
    # The tables as the masked contract names them, with no constraint: every column text but the timestamps.
    script = []
    for table in workspace.rows("table"):
        schema, name = (_masked(table["schema"]), _masked(table["name"]))
        columns = workspace.rows("column", "table_id = ?", (table["id"],))
        script.append(f"CREATE SCHEMA IF NOT EXISTS {_quoted(schema)};")
        body = ", ".join(
            f"{_quoted(_masked(column['name']))} {'timestamp' if column['type'] == 'timestamp' else 'text'}"
            for column in columns
        )
        script.append(f"CREATE TABLE {_quoted(schema)}.{_quoted(name)} ({body});")
    postgres_server.psql(database, "\n".join(script))
    ddl = tmp_path / "hostile.sql"
    ddl.write_text(text, encoding="utf-8")
    postgres_server.psql(database, file=ddl)
    # One value set, one foreign key and one unique key on each table but the parent, whose key is the primary one.
    added = postgres_server.psql(
        database,
        "SELECT contype, count(*) FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid JOIN pg_namespace n"
        " ON n.oid = c.relnamespace WHERE n.nspname NOT LIKE 'pg\\_%' AND n.nspname <> 'information_schema'"
        " AND contype <> 'n' GROUP BY contype",
    )
    tables = len(workspace.rows("table")) - 1
    assert sorted(added.split()) == [f"c|{tables}", f"f|{tables}", "p|1", f"u|{tables}"]
    nullable = postgres_server.psql(
        database,
        "SELECT count(*) FROM information_schema.columns WHERE is_nullable = 'NO' AND table_schema NOT IN"
        " ('pg_catalog', 'information_schema')",
    )
    assert nullable.strip() == str(tables + 1)


def _masked(text: str) -> str:
    from tui.secrets import drop_controls, mask_secrets

    return drop_controls(mask_secrets(text)[0])


CLEAN_MYSQL = """
CREATE TABLE `Customers` (id bigint, email varchar(200), updated_at datetime);
CREATE TABLE `order lines` (id bigint, `customer id` bigint, status varchar(20), placed_at datetime, payload json);
INSERT INTO `Customers` VALUES (1, 'a@example.com', '2026-01-01 10:00'), (2, 'b@example.com', '2026-01-01 11:00');
INSERT INTO `order lines` VALUES (1, 1, 'open', '2026-01-02 09:30', '{}'), (2, 2, 'it''s done', NULL, NULL),
    (3, 1, NULL, NULL, NULL);
"""


@pytest.mark.mariadb
def test_mariadb_takes_its_file_and_refuses_violations_after(
    mariadb_server: MariaDbServer, workspace: Workspace
) -> None:
    # A MySQL schema is a database: one of its own, since the server is shared by the whole run.
    load_plan(workspace, PLAN.replace("shop", "shop_constraints"), "plan.yaml")
    database = mariadb_server.create_database("shop_constraints")
    mariadb_server.sql(CLEAN_MYSQL, database)
    for insert, _ in VIOLATIONS:  # nothing stops them yet
        mariadb_server.sql(f"START TRANSACTION; {_mysql(insert)}; ROLLBACK", database)
    mariadb_server.sql(files(workspace)["mysql"], database)
    for insert, _ in VIOLATIONS:
        with pytest.raises(Exception, match=r"cannot be null|Duplicate entry|foreign key constraint fails|CONSTRAINT"):
            mariadb_server.sql(_mysql(insert), database)


def _mysql(insert: str) -> str:
    return insert.replace('shop."', "shop_constraints.`").replace('"', "`")


def test_sqlite_takes_the_unique_keys_and_names_what_needs_a_rebuild(shop: Workspace, tmp_path: Path) -> None:
    text = files(shop)["sqlite"]
    assert "SQLite cannot ALTER a table" in text and 'shop."order lines"."customer id": not null' in text
    with sqlite3.connect(tmp_path / "shop.db") as db:
        db.execute("ATTACH ? AS shop", (str(tmp_path / "shop-schema.db"),))
        db.execute('CREATE TABLE shop."Customers" (id, email, updated_at)')
        db.executescript(text)
        db.execute("INSERT INTO shop.\"Customers\" VALUES (1, 'a@example.com', NULL)")
        with pytest.raises(sqlite3.IntegrityError, match="UNIQUE"):
            db.execute("INSERT INTO shop.\"Customers\" VALUES (2, 'a@example.com', NULL)")
