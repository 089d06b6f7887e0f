"""File and live imports against the truth of real servers: PostgreSQL and MariaDB started by the tests.

Each script holds the constructs that real schemas use and that once lost
tables, keys or nullability. The engine runs it, its catalogue says what
exists, and both the file import and the live import must say the same; a
second import of the same schema from the other side must change nothing.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from mariadb import MariaDbServer
from pg import PgServer
from schema_model import Shape, workspace_shape

from tui.importers.run import import_file, import_url
from tui.importers.spelling import normal_type
from tui.plan import dump_plan, load_plan
from tui.references import column_ref, table_ref
from tui.store import Workspace

POSTGRES = """\
CREATE EXTENSION cube;
CREATE SCHEMA hollywood
    CREATE TABLE films (id serial PRIMARY KEY, title text NOT NULL, box cube)
    CREATE TABLE awards (film_id int NOT NULL REFERENCES films, name text);
CREATE TABLE "Order Details" (
    "Order ID" bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    "Unit.Price" numeric(10, 2) DEFAULT 0 NOT NULL,
    code varchar(8),
    email text,
    handle text
);
CREATE UNIQUE INDEX details_code ON "Order Details" (code);
CREATE UNIQUE INDEX details_email ON "Order Details" (lower(email));
CREATE UNIQUE INDEX details_handle ON "Order Details" (handle) WHERE handle IS NOT NULL;
CREATE TABLE events (
    id bigserial,
    at timestamptz NOT NULL DEFAULT now(),
    detail_id bigint REFERENCES "Order Details",
    kind text DEFAULT 'note'::text CHECK (kind <> ''),
    PRIMARY KEY (id, at)
) PARTITION BY RANGE (at);
CREATE TABLE events_2026 PARTITION OF events FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');
COMMENT ON TABLE events IS 'Everything that happened';
-- A table an extension owns, as PostGIS owns spatial_ref_sys.
CREATE TABLE spatial_ref_sys (srid int PRIMARY KEY, auth_name varchar(256));
ALTER EXTENSION cube ADD TABLE spatial_ref_sys;
"""


def pg_truth(server: PgServer, database: str) -> tuple[Shape, set[tuple[str, str]], set[str]]:
    """Columns, keys and single-column uniqueness as PostgreSQL's catalogue has them, and its partitions."""

    def rows(sql: str) -> list[list[str]]:
        return [line.split("|") for line in server.psql(database, sql).splitlines()]

    def key(schema: str, table: str) -> str:
        return table_ref("" if schema == "public" else schema, table)

    scope = (
        "n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast') AND NOT c.relispartition "
        "AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = c.oid AND d.deptype = 'e')"
    )
    shape = Shape()
    for schema, table, column, notnull in rows(
        "SELECT n.nspname, c.relname, a.attname, a.attnotnull FROM pg_attribute a "
        "JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace "
        f"WHERE c.relkind IN ('r', 'p') AND a.attnum > 0 AND NOT a.attisdropped AND {scope}"
    ):
        shape.columns.setdefault(key(schema, table), {})[column] = notnull != "t"
    for schema, table, column in rows(
        "SELECT n.nspname, c.relname, a.attname FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid "
        "JOIN pg_namespace n ON n.oid = c.relnamespace JOIN pg_attribute a ON a.attrelid = c.oid "
        f"AND a.attnum = ANY (k.conkey) WHERE k.contype = 'p' AND {scope}"
    ):
        shape.primary_keys.add((key(schema, table), column))
    for schema, table, column, target_schema, target, target_column in rows(
        "SELECT n.nspname, c.relname, a.attname, rn.nspname, r.relname, ra.attname FROM pg_constraint k "
        "JOIN pg_class c ON c.oid = k.conrelid JOIN pg_class r ON r.oid = k.confrelid "
        "JOIN pg_namespace rn ON rn.oid = r.relnamespace "
        "CROSS JOIN LATERAL unnest(k.conkey, k.confkey) AS u(l, f) "
        "JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = u.l "
        "JOIN pg_attribute ra ON ra.attrelid = r.oid AND ra.attnum = u.f "
        f"JOIN pg_namespace n ON n.oid = c.relnamespace WHERE k.contype = 'f' AND k.conparentid = 0 AND {scope}"
    ):
        reference = column_ref("" if target_schema == "public" else target_schema, target, target_column)
        shape.foreign_keys.add((key(schema, table), column, reference))
    unique = {
        (key(schema, table), column)
        for schema, table, column in rows(
            "SELECT n.nspname, c.relname, a.attname FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid "
            "JOIN pg_namespace n ON n.oid = c.relnamespace JOIN pg_attribute a ON a.attrelid = c.oid "
            "AND a.attnum = i.indkey[0] WHERE i.indisunique AND NOT i.indisprimary AND i.indnkeyatts = 1 "
            f"AND i.indpred IS NULL AND i.indexprs IS NULL AND {scope}"
        )
    }
    partitions = {
        table_ref("", name) for (name,) in rows("SELECT relname FROM pg_class WHERE relispartition AND relkind = 'r'")
    }
    return shape, unique, partitions


def assert_round_trip(workspace: Workspace, tmp_path: Path, checklist) -> None:
    """Every import here, file and live, comes back byte for byte through the plan YAML."""
    plan, _ = dump_plan(workspace, full=True)
    with Workspace.open(tmp_path / "copy.db", checklist=checklist) as copy:
        load_plan(copy, plan, "plan.yaml")
        assert dump_plan(copy, full=True)[0] == plan


def unique_columns(ws: Workspace, integration: str) -> set[tuple[str, str]]:
    return {
        (table_ref(row["schema"], row["table_name"]), row["name"])
        for row in ws.query(
            "SELECT t.schema, t.name AS table_name, c.name FROM columns c JOIN tables t ON t.id = c.table_id "
            "WHERE c.is_unique AND t.integration_id = ?",
            (ws.integration(integration)["id"],),
        )
    }


@pytest.mark.postgres
def test_postgres_file_and_live_imports_match_the_catalogue_and_each_other(
    postgres_server: PgServer,
    workspace: Workspace,
    tmp_path: Path,
    checklist,
) -> None:
    database = postgres_server.create_database("classes")
    script = tmp_path / "classes.sql"
    script.write_text(POSTGRES, encoding="utf-8")
    postgres_server.psql(database, file=script)
    shape, unique, partitions = pg_truth(postgres_server, database)
    assert partitions == {"events_2026"} and ("events", "detail_id", '"Order Details"."Order ID"') in shape.foreign_keys

    from_file = import_file(workspace, script, "postgres", new="file")
    from_db = import_url(workspace, postgres_server.url(database), new="live")
    for name, summary in (("file", from_file), ("live", from_db)):
        assert workspace_shape(workspace, workspace.integration(name)["id"]) == shape, name
        assert unique_columns(workspace, name) == unique, name
        assert sorted(item.split(" ")[0].rstrip(":") for item in summary.left_out) == [
            "events_2026",
            "spatial_ref_sys",
        ], name
        assert summary.unreadable == []
    films = {row["name"]: row for row in workspace.rows("column") if row["name"] in ("box", "id")}
    assert films["box"]["type"] == "cube"

    again = import_url(workspace, postgres_server.url(database), integration="file")
    assert not again.changed, again.lines()
    back = import_file(workspace, script, "postgres", integration="live")
    assert not back.changed, back.lines()

    dump = tmp_path / "dump.sql"
    subprocess.run(
        [
            str(postgres_server.bin_dir / "pg_dump"),
            "--schema-only",
            "-h",
            str(postgres_server.socket_dir),
            "-p",
            str(postgres_server.port),
            "-U",
            "postgres",
            "-f",
            str(dump),
            database,
        ],
        check=True,
        timeout=120,
    )
    from_dump = import_file(workspace, dump, "postgres", integration="live")
    assert not from_dump.changed, from_dump.lines()
    assert from_dump.unreadable == []
    assert_round_trip(workspace, tmp_path, checklist)


MYSQL = """\
# Dump of a shop's schema, as mysqldump writes it (with a # comment that's got a quote)
CREATE TABLE `customers` (
  `id` int(11) unsigned NOT NULL AUTO_INCREMENT,
  `email` varchar(190) NOT NULL,
  `name` mediumtext DEFAULT NULL,
  `status` enum('Active','On Hold','closed') NOT NULL DEFAULT 'Active',
  `created_at` timestamp NOT NULL DEFAULT current_timestamp(),
  `date_upd` datetime DEFAULT NULL ON UPDATE current_timestamp(),
  `score` int(11) DEFAULT 0 CHECK (`score` >= 0),
  `balance` decimal(12,4) NOT NULL DEFAULT 0,
  `newsletter` BOOLEAN NOT NULL DEFAULT FALSE,
  PRIMARY KEY (`id`),
  UNIQUE KEY `customers_email` (`email`),
  UNIQUE KEY `customers_name_score` (`name`(50), `score`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COMMENT='People who buy';
#
# Table structure for table `orders`
#
CREATE TABLE `orders` (
  `id` bigint(20) NOT NULL AUTO_INCREMENT,
  `customer_id` int(11) unsigned DEFAULT NULL COMMENT 'Who ordered',
  `total` decimal(10,2) NOT NULL,
  `note` longtext,
  PRIMARY KEY (`id`),
  KEY `orders_customer` (`customer_id`),
  CONSTRAINT `orders_customer` FOREIGN KEY (`customer_id`) REFERENCES `customers` (`id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
CREATE VIEW `big_orders` AS SELECT * FROM `orders` WHERE `total` > 100;
"""


def maria_truth(server: MariaDbServer, database: str) -> tuple[Shape, set[tuple[str, str]], dict[tuple, str]]:
    shape, types = Shape(), {}
    for table, column, nullable, kind in server.sql(
        "SELECT c.TABLE_NAME, c.COLUMN_NAME, c.IS_NULLABLE, c.COLUMN_TYPE FROM information_schema.COLUMNS c "
        "JOIN information_schema.TABLES t USING (TABLE_SCHEMA, TABLE_NAME) "
        f"WHERE c.TABLE_SCHEMA = '{database}' AND t.TABLE_TYPE = 'BASE TABLE'"
    ):
        shape.columns.setdefault(table, {})[column] = nullable == "YES"
        types[table, column] = kind
    unique: dict[tuple[str, str], list[str]] = {}
    for table, column, kind, target, target_column, constraint in server.sql(
        "SELECT k.TABLE_NAME, k.COLUMN_NAME, c.CONSTRAINT_TYPE, k.REFERENCED_TABLE_NAME, k.REFERENCED_COLUMN_NAME, "
        "k.CONSTRAINT_NAME "
        "FROM information_schema.KEY_COLUMN_USAGE k JOIN information_schema.TABLE_CONSTRAINTS c "
        "USING (CONSTRAINT_SCHEMA, TABLE_NAME, CONSTRAINT_NAME) "
        f"WHERE k.TABLE_SCHEMA = '{database}'"
    ):
        if kind == "PRIMARY KEY":
            shape.primary_keys.add((table, column))
        elif kind == "FOREIGN KEY":
            shape.foreign_keys.add((table, column, column_ref("", target, target_column)))
        elif kind == "UNIQUE":
            unique.setdefault((table, constraint), []).append(column)
    # A column is unique by itself only under a one-column unique key.
    single = {(table, columns[0]) for (table, _), columns in unique.items() if len(columns) == 1}
    return shape, single, types


@pytest.mark.mariadb
def test_mysql_file_and_live_imports_match_mariadb_and_each_other(
    mariadb_server: MariaDbServer,
    workspace: Workspace,
    tmp_path: Path,
    checklist,
) -> None:
    database = mariadb_server.create_database("shop")
    mariadb_server.sql(MYSQL, database)
    shape, unique, types = maria_truth(mariadb_server, database)
    script = tmp_path / "shop.sql"
    script.write_text(MYSQL, encoding="utf-8")

    from_file = import_file(workspace, script, "mysql", new="file")
    from_db = import_url(workspace, mariadb_server.url(database), new="live")
    for name, summary in (("file", from_file), ("live", from_db)):
        assert workspace_shape(workspace, workspace.integration(name)["id"]) == shape, name
        assert unique_columns(workspace, name) == unique, name
        assert summary.skipped == {"views": 1}, name
        iid = workspace.integration(name)["id"]
        for row in workspace.query(
            "SELECT t.name AS t, c.name AS c, c.type, c.default_value, c.value_set, c.generated FROM columns c "
            "JOIN tables t ON t.id = c.table_id WHERE t.integration_id = ?",
            (iid,),
        ):
            assert normal_type(row["type"], "mysql") == normal_type(types[row["t"], row["c"]], "mysql"), row
    file_columns = {
        row["name"]: row
        for row in workspace.rows(
            "column",
            "table_id IN (SELECT id FROM tables WHERE integration_id = ?)",
            (workspace.integration("file")["id"],),
        )
    }
    assert file_columns["name"]["type"] == "mediumtext" and file_columns["name"]["default_value"] is None
    assert file_columns["created_at"]["type"] == "timestamp"
    assert file_columns["created_at"]["default_value"] == "current_timestamp()"
    assert file_columns["status"]["type"] == "enum('Active','On Hold','closed')"
    assert list(file_columns["status"]["value_set"]) == ["Active", "On Hold", "closed"]
    assert file_columns["id"]["generated"] == "auto_increment" and file_columns["id"]["default_value"] is None
    assert file_columns["customer_id"]["description"] == "Who ordered"

    again = import_url(workspace, mariadb_server.url(database), integration="file")
    assert not again.changed, again.lines()
    back = import_file(workspace, script, "mysql", integration="live")
    assert not back.changed, back.lines()
    assert_round_trip(workspace, tmp_path, checklist)
