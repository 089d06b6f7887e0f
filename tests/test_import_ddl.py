"""Reading DDL: public schemas compared with what SQLite reports, and the constructs the reader must handle."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from schema_model import sqlite_shape, workspace_shape

from tui.errors import DayoneError
from tui.importers.ddl import check_text, read_ddl
from tui.importers.run import import_file, import_url
from tui.importers.statements import statements
from tui.store import Workspace

pytestmark = pytest.mark.core

DDL = Path(__file__).parent / "fixtures" / "ddl"


def engine_db(tmp_path: Path, fixture: str) -> Path:
    path = tmp_path / f"{fixture}.db"
    with sqlite3.connect(path) as conn:
        conn.executescript((DDL / fixture).read_text(encoding="utf-8"))
    return path


@pytest.mark.parametrize("fixture", ["chinook-sqlite.sql", "sakila-sqlite.sql"])
def test_sqlite_ddl_matches_what_sqlite_reports(tmp_path: Path, workspace: Workspace, fixture: str) -> None:
    expected = sqlite_shape(engine_db(tmp_path, fixture))
    summary = import_file(workspace, DDL / fixture, "sqlite", new="From file")
    unreadable = {item.split(" ")[0] for item in summary.unreadable}
    # Whatever the parser cannot read is reported by name and line, and everything else matches the engine.
    assert unreadable <= set(expected.columns)
    shape = workspace_shape(workspace, workspace.integration("From file")["id"])
    assert set(shape.columns) == set(expected.columns) - unreadable
    expected = expected.without(unreadable)
    assert shape.columns == expected.columns
    assert shape.primary_keys == expected.primary_keys
    assert shape.foreign_keys == expected.foreign_keys


def test_sakila_reports_the_tables_sqlglot_cannot_read_by_name_and_line(workspace: Workspace) -> None:
    summary = import_file(workspace, DDL / "sakila-sqlite.sql", "sqlite", new="Sakila")
    text = (DDL / "sakila-sqlite.sql").read_text(encoding="utf-8").splitlines()
    for item in summary.unreadable:
        name, line = item.split(" (line ")[0], int(item.split("(line ")[1].split(")")[0])
        assert text[line - 1].startswith(f"CREATE TABLE {name} ")
    assert summary.tables == 16 - len(summary.unreadable)
    assert summary.skipped == {"indexes": 24, "triggers": 30, "views": 5}


@pytest.mark.parametrize("fixture", ["chinook-sqlite.sql", "sakila-sqlite.sql"])
def test_live_sqlite_reflection_matches_the_engine(tmp_path: Path, workspace: Workspace, fixture: str) -> None:
    path = engine_db(tmp_path, fixture)
    before = path.read_bytes()
    import_url(workspace, f"sqlite:///{path}", new="Live")
    assert sqlite_shape(path) == workspace_shape(workspace, workspace.integration("Live")["id"])
    assert path.read_bytes() == before


def test_guacamole_enum_types_become_value_sets_with_empty_meanings() -> None:
    schema = read_ddl((DDL / "guacamole-postgresql.sql").read_text(encoding="utf-8"), "postgres", "guacamole")
    group = schema.tables["guacamole_connection_group"]
    assert group.columns["type"].value_set == ["ORGANIZATIONAL", "BALANCING"]
    assert group.columns["type"].default_value == "'ORGANIZATIONAL'"
    assert schema.tables["guacamole_connection_history"].columns["start_date"].type == "timestamptz"
    assert schema.skipped == {"indexes": 14}


def test_pg_dump_file_with_copy_blocks_and_dollar_quoted_functions() -> None:
    text = (DDL / "pagila-postgresql.sql").read_text(encoding="utf-8")
    schema = read_ddl(text, "postgres", "pagila")
    assert "language" in schema.tables and "payment_p2015_01" in schema.tables
    assert schema.skipped["data"] == 1 and schema.skipped["functions"] == 5 and schema.skipped["views"] == 2
    assert not any(s.text.startswith(("1\tEnglish", "\\.")) for s in statements(text))
    assert schema.tables["film"].columns["rating"].value_set == ["G", "PG", "PG-13", "R", "NC-17"]
    # A child table inherits its parent's columns but not its keys; its own ALTER TABLE adds its foreign keys.
    child = schema.tables["payment_p2015_01"]
    assert list(child.columns) == list(schema.tables["payment"].columns)
    assert not any(column.primary_key for column in child.columns.values())
    assert child.columns["rental_id"].foreign_key == "rental.rental_id"
    assert "2015-01-01" in child.columns["payment_date"].check_constraint


CONSTRUCTS = """
SET client_encoding = 'UTF8';
CREATE SCHEMA shop;
CREATE TYPE shop.order_state AS ENUM ('new', 'paid', 'shipped');
CREATE TABLE shop.customers (
    id bigint PRIMARY KEY,
    "E-mail" text NOT NULL UNIQUE,
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE shop."Orders" (
    id bigint GENERATED ALWAYS AS IDENTITY,
    customer_id bigint REFERENCES shop.customers,
    state shop.order_state NOT NULL DEFAULT 'new',
    net_cents integer CHECK (net_cents >= 0),
    tax_cents integer NOT NULL,
    gross_cents integer GENERATED ALWAYS AS (net_cents + tax_cents) STORED,
    CONSTRAINT orders_pk PRIMARY KEY (id),
    CHECK (tax_cents <= net_cents)
);
CREATE TABLE shop.order_lines (
    order_id bigint NOT NULL,
    line_no int NOT NULL,
    sku text,
    PRIMARY KEY (order_id, line_no)
);
ALTER TABLE ONLY shop.order_lines ADD CONSTRAINT lines_order_fk FOREIGN KEY (order_id) REFERENCES shop."Orders"(id);
COMMENT ON TABLE shop."Orders" IS 'One row per checkout';
COMMENT ON COLUMN shop."Orders".state IS 'Where the order is in fulfilment';
CREATE INDEX lines_sku ON shop.order_lines (sku);
CREATE VIEW shop.open_orders AS SELECT * FROM shop."Orders" WHERE state <> 'shipped';
CREATE FUNCTION shop.touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN NEW.x := 1; RETURN NEW; END; $$;
CREATE TRIGGER touch BEFORE UPDATE ON shop.customers FOR EACH ROW EXECUTE FUNCTION shop.touch();
INSERT INTO shop.customers VALUES (1, 'a@example.org', now());
"""


def test_constructs_keys_comments_enums_generated_and_checks() -> None:
    schema = read_ddl(CONSTRUCTS, "postgres", "constructs.sql")
    assert list(schema.tables) == ["shop.customers", "shop.Orders", "shop.order_lines"]
    customers, orders, lines = schema.tables.values()
    assert customers.columns["E-mail"].is_unique and not customers.columns["E-mail"].nullable
    assert orders.columns["id"].primary_key and orders.columns["id"].generated == "identity"
    assert orders.columns["customer_id"].foreign_key == "shop.customers.id"
    assert orders.columns["state"].value_set == ["new", "paid", "shipped"]
    assert orders.columns["state"].description == "Where the order is in fulfilment"
    assert orders.description == "One row per checkout"
    assert orders.columns["net_cents"].check_constraint == "net_cents >= 0"
    assert orders.columns["gross_cents"].generated == "net_cents + tax_cents"
    assert orders.checks == ["tax_cents <= net_cents"]
    assert [c.name for c in lines.columns.values() if c.primary_key] == ["order_id", "line_no"]
    assert lines.columns["order_id"].foreign_key == "shop.Orders.id"
    assert dict(schema.skipped) == {
        "schemas": 1,
        "other": 1,
        "indexes": 1,
        "views": 1,
        "functions": 1,
        "triggers": 1,
        "data": 1,
    }


def test_mysql_enum_backticks_and_inline_comments() -> None:
    schema = read_ddl(
        "CREATE TABLE `orders` (\n"
        "  `id` int unsigned NOT NULL AUTO_INCREMENT,\n"
        "  `status` ENUM('open','closed') NOT NULL DEFAULT 'open' COMMENT 'lifecycle',\n"
        "  `total` decimal(10,2) DEFAULT NULL,\n"
        "  PRIMARY KEY (`id`)\n"
        ") ENGINE=InnoDB COMMENT='Orders of the shop';\n",
        "mysql",
        "orders.sql",
    )
    orders = schema.tables["orders"]
    assert orders.description == "Orders of the shop"
    assert orders.columns["status"].value_set == ["open", "closed"]
    assert orders.columns["status"].description == "lifecycle"
    assert orders.columns["id"].primary_key and orders.columns["id"].generated == "auto_increment"
    assert orders.columns["id"].type == "int unsigned" and orders.columns["total"].default_value is None


def test_an_unreadable_table_is_reported_and_the_rest_imported() -> None:
    schema = read_ddl(
        "CREATE TABLE good (id int PRIMARY KEY);\n\nCREATE TABLE bad (id int DEFAULT);\n", "postgres", "x"
    )
    assert list(schema.tables) == ["good"]
    (bad,) = schema.unreadable
    assert (bad.name, bad.line) == ("bad", 3)


def test_statement_splitter_handles_triggers_delimiters_go_and_line_numbers() -> None:
    script = (
        "-- header\n"
        "CREATE TABLE a (x text DEFAULT 'semi;colon');\n"
        "CREATE TRIGGER t AFTER INSERT ON a BEGIN\n  UPDATE a SET x = 'y'; UPDATE a SET x = 'z';\nEND;\n"
        "DELIMITER ;;\n"
        "CREATE PROCEDURE p() BEGIN SELECT 1; END ;;\n"
        "DELIMITER ;\n"
        "CREATE TABLE b (y int)\nGO\n"
        '/* c; */ CREATE TABLE "c;" (z int);\n'
    )
    found = statements(script)
    assert [s.line for s in found] == [2, 3, 7, 9, 11]
    assert found[1].text.endswith("END")
    assert found[2].text == "CREATE PROCEDURE p() BEGIN SELECT 1; END"
    assert found[4].text == 'CREATE TABLE "c;" (z int)'


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        (b"", "empty"),
        (b"  \n\t\n", "empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
        (b"CREATE TABLE caf\xe9 (id int);", "UTF-8"),
    ],
)
def test_text_that_is_not_a_sql_script(data: bytes, problem: str) -> None:
    with pytest.raises(DayoneError, match=problem):
        check_text(data, "x.sql")


def test_unknown_dialect_and_files_without_tables() -> None:
    with pytest.raises(DayoneError, match="unknown dialect"):
        read_ddl("CREATE TABLE a (id int);", "oracle7", "x.sql")
    with pytest.raises(DayoneError, match="no CREATE TABLE"):
        read_ddl("SELECT 1; INSERT INTO a VALUES (1);", "postgres", "x.sql")


def test_a_column_named_delimiter_is_not_a_directive() -> None:
    found = statements("CREATE TABLE t (\n  delimiter varchar(3),\n  go_live date\n);\nSELECT 2;\n")
    assert [s.text.split()[0] for s in found] == ["CREATE", "SELECT"]
    assert read_ddl(found[0].text, "mysql", "x").tables["t"].columns["delimiter"].type == "varchar(3)"


@pytest.mark.parametrize(
    ("dialect", "sql", "expected"),
    [
        (
            "snowflake",
            "CREATE OR REPLACE TABLE analytics.customers (id NUMBER PRIMARY KEY);\n"
            "CREATE OR REPLACE TABLE analytics.orders (id NUMBER(38,0) NOT NULL PRIMARY KEY,"
            " customer_id NUMBER REFERENCES analytics.customers (id), placed_at TIMESTAMP_NTZ, payload VARIANT);",
            {"analytics.orders": {"id": (True, None), "customer_id": (False, "analytics.customers.id")}},
        ),
        (
            "bigquery",
            "CREATE TABLE shop.orders (id INT64 NOT NULL, placed_at DATETIME, PRIMARY KEY (id) NOT ENFORCED);\n"
            "CREATE TABLE shop.items (order_id INT64, FOREIGN KEY (order_id) REFERENCES shop.orders(id) NOT ENFORCED);",
            {"shop.orders": {"id": (True, None)}, "shop.items": {"order_id": (False, "shop.orders.id")}},
        ),
        (
            "tsql",
            "CREATE TABLE [dbo].[Orders] ([Id] INT IDENTITY(1,1) NOT NULL, [Code] INT,\n"
            "  CONSTRAINT [PK_Orders] PRIMARY KEY CLUSTERED ([Id] ASC), CONSTRAINT UQ UNIQUE NONCLUSTERED (Code))\nGO\n"
            "CREATE TABLE dbo.Lines (OrderId INT NOT NULL FOREIGN KEY REFERENCES dbo.Orders(Id))\nGO\n",
            {"Orders": {"Id": (True, None)}, "Lines": {"OrderId": (False, "Orders.Id")}},
        ),
    ],
)
def test_warehouse_and_sql_server_dialects(dialect: str, sql: str, expected: dict) -> None:
    schema = read_ddl(sql, dialect, "x.sql")
    assert schema.unreadable == []
    for table, columns in expected.items():
        for name, (primary_key, foreign_key) in columns.items():
            column = schema.tables[table].columns[name]
            assert (column.primary_key, column.foreign_key) == (primary_key, foreign_key)
    if dialect == "tsql":
        assert schema.tables["Orders"].columns["Code"].is_unique
        assert schema.tables["Orders"].columns["Id"].generated == "identity"
