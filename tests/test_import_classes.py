"""Constructs of real schema files that must not lose tables, each in a small script of its own.

SQLite scripts are compared with what SQLite itself reports; T-SQL with SQL
Server's documented rules; PostgreSQL and MySQL with their servers in
test_import_engines.py.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from schema_model import sqlite_shape, workspace_shape

from tui.cli import main
from tui.importers.ddl import read_ddl
from tui.importers.run import import_file, import_url
from tui.importers.statements import statements
from tui.store import Workspace

pytestmark = pytest.mark.core


def test_tables_declared_inside_create_schema_belong_to_that_schema() -> None:
    schema = read_ddl(
        "CREATE SCHEMA hollywood\n"
        "    CREATE TABLE films (title text PRIMARY KEY, release date, awards text[])\n"
        "    CREATE VIEW winners AS SELECT title, release FROM films WHERE awards IS NOT NULL\n"
        "    CREATE TABLE prizes (film text REFERENCES films, name text NOT NULL);\n"
        'CREATE SCHEMA "Other Place" AUTHORIZATION joe CREATE TABLE t (id int);\n'
        "CREATE TABLE outside (id int);\n",
        "postgres",
        "x.sql",
    )
    assert list(schema.tables) == ["hollywood.films", "hollywood.prizes", '"Other Place".t', "outside"]
    assert schema.tables["hollywood.prizes"].line == 4
    assert schema.skipped["views"] == 1 and schema.skipped["schemas"] == 2


def test_mysql_hash_comments_hide_nothing() -> None:
    script = (
        "# Dump of table `orders` -- it's got an apostrophe; and a semicolon\n"
        "CREATE TABLE `orders` (`id` int NOT NULL, PRIMARY KEY (`id`));\n"
        "#\n# Dump of table `lines`\n#\n"
        "CREATE TABLE `lines` (`order_id` int NOT NULL, `note` varchar(20) DEFAULT '#not a comment');\n"
        "INSERT INTO `lines` VALUES (1, 'x'); # trailing comment's quote\n"
        "CREATE TABLE `after` (`id` int);\n"
    )
    schema = read_ddl(script, "mysql", "dump.sql")
    assert list(schema.tables) == ["orders", "lines", "after"]
    assert [table.line for table in schema.tables.values()] == [2, 6, 8]
    assert schema.tables["lines"].columns["note"].default_value == "'#not a comment'"
    # Elsewhere # is an operator (PostgreSQL's XOR), not a comment.
    assert statements("SELECT 1 # 2; SELECT 3;", "postgres")[0].text == "SELECT 1 # 2"


def test_a_create_table_that_runs_on_into_inserts_without_terminator() -> None:
    script = (
        "CREATE TABLE dbo.Customers (\n  Id int NOT NULL PRIMARY KEY,\n  Name nvarchar(40)\n)\n"
        "INSERT INTO dbo.Customers VALUES (1, N'A (x)')\n"
        "INSERT INTO dbo.Customers VALUES (2, N'\nCREATE TABLE in a string')\n"
        "CREATE TABLE dbo.Orders (Id int NOT NULL, CustomerId int REFERENCES dbo.Customers (Id))\n"
        "GO\n"
    )
    schema = read_ddl(script, "tsql", "northwind.sql")
    assert list(schema.tables) == ["Customers", "Orders"]
    assert schema.tables["Orders"].line == 8
    assert schema.tables["Orders"].columns["CustomerId"].foreign_key == "Customers.Id"
    assert schema.skipped["data"] == 2


TSQL = """\
CREATE TYPE [dbo].[Flag] FROM [bit] NOT NULL
GO
CREATE TYPE [dbo].[Name] FROM [nvarchar](50) NULL
GO
CREATE TABLE [Person].[Address](
    [AddressID] [int] IDENTITY(1,1) NOT FOR REPLICATION NOT NULL,
    [rowguid] [uniqueidentifier] ROWGUIDCOL NOT NULL,
    [Active] [dbo].[Flag],
    [Preferred] [dbo].[Flag] NULL,
    [City] [dbo].[Name],
    [Note] [nvarchar](max) SPARSE NULL,
    CONSTRAINT [PK_Address] PRIMARY KEY CLUSTERED ([AddressID] ASC) WITH (PAD_INDEX = OFF) ON [PRIMARY]
) ON [PRIMARY]
GO
CREATE TABLE dbo.Codes (Code nchar(3) NOT NULL PRIMARY KEY CLUSTERED, Label nvarchar(20) UNIQUE NONCLUSTERED)
GO
EXEC sys.sp_addextendedproperty @name=N'MS_Description', @value=N'Street address of a customer''s site.',
    @level0type=N'SCHEMA', @level0name=N'Person', @level1type=N'TABLE', @level1name=N'Address'
GO
EXEC sp_addextendedproperty N'MS_Description', N'Primary key.', N'SCHEMA', N'Person', N'TABLE', N'Address',
    N'COLUMN', N'AddressID';
EXEC sys.sp_addextendedproperty @name = N'Caption', @value = N'not a description',
    @level0type = N'SCHEMA', @level0name = N'dbo', @level1type = N'TABLE', @level1name = N'Codes';
"""


def test_sql_server_tables_keys_descriptions_and_alias_types() -> None:
    schema = read_ddl(TSQL, "tsql", "adventureworks.sql")
    assert schema.unreadable == []
    address, codes = schema.tables["Person.Address"], schema.tables["Codes"]
    columns = address.columns
    assert list(columns) == ["AddressID", "rowguid", "Active", "Preferred", "City", "Note"]
    assert columns["AddressID"].primary_key and columns["AddressID"].generated == "identity"
    # "If the column's type is an alias type, its nullability is the alias type's unless the column says otherwise."
    assert (columns["Active"].nullable, columns["Preferred"].nullable, columns["City"].nullable) == (False, True, True)
    assert not columns["rowguid"].nullable
    assert codes.columns["Code"].primary_key and not codes.columns["Code"].nullable
    assert codes.columns["Label"].is_unique
    assert address.description == "Street address of a customer's site."
    assert columns["AddressID"].description == "Primary key."
    assert codes.description is None


def test_an_unknown_column_type_keeps_the_table_with_the_type_as_written() -> None:
    schema = read_ddl(
        "CREATE TABLE shapes (id int PRIMARY KEY, box cube NOT NULL, path ltree,\n"
        "  area public.geometry(Polygon, 4326));\n"
        "CREATE TABLE film (film_id INTEGER NOT NULL PRIMARY KEY, description BLOB SUB_TYPE TEXT DEFAULT NULL);\n",
        "postgres",
        "x.sql",
    )
    shapes = schema.tables["shapes"].columns
    assert shapes["box"].type == "cube" and not shapes["box"].nullable
    assert shapes["path"].type == "ltree" and shapes["area"].type
    assert schema.tables["film"].columns["description"].type == "BLOB SUB_TYPE TEXT"


SQLITE = """\
CREATE TABLE plain (code TEXT PRIMARY KEY, name TEXT);
CREATE TABLE rowid_alias (id INTEGER PRIMARY KEY, name TEXT);
CREATE TABLE not_alias (id INT PRIMARY KEY, name TEXT NOT NULL);
CREATE TABLE declared (code TEXT NOT NULL PRIMARY KEY);
CREATE TABLE pair (a TEXT, b INTEGER, PRIMARY KEY (a, b));
CREATE TABLE strict_keys (k TEXT PRIMARY KEY, v) WITHOUT ROWID;
CREATE TABLE typeless (a, b PRIMARY KEY);
CREATE VIRTUAL TABLE docs USING fts5(title, body);
CREATE TABLE after_fts (id INTEGER PRIMARY KEY, doc TEXT);
CREATE TABLE blobs (id INTEGER PRIMARY KEY AUTOINCREMENT, data bytea, at timestamp DEFAULT CURRENT_TIMESTAMP);
"""


def test_sqlite_keys_nullability_and_full_text_tables_match_sqlite(tmp_path: Path, workspace: Workspace) -> None:
    script = tmp_path / "app-sqlite.sql"
    script.write_text(SQLITE, encoding="utf-8")
    database = tmp_path / "app.db"
    with sqlite3.connect(database) as conn:
        conn.executescript(SQLITE)
        # the schema as SQLite keeps it (what `.schema` prints) carries the full-text index's shadow tables
        dumped = "".join(f"{row[0]};\n" for row in conn.execute("SELECT sql FROM sqlite_master WHERE sql IS NOT NULL"))
    expected = sqlite_shape(database)
    shadow = {name for name in expected.columns if name.startswith("docs")}
    assert shadow  # docs itself and its shadow tables, as SQLite lists them
    expected = expected.without(shadow)

    summary = import_file(workspace, script, "sqlite", new="file")
    assert workspace_shape(workspace, workspace.integration("file")["id"]) == expected
    assert summary.left_out == [
        "docs (line 8): virtual table (USING fts5): an index the database keeps, not data of its own"
    ]
    dump = tmp_path / "dump-sqlite.sql"
    dump.write_text(dumped, encoding="utf-8")
    summary = import_file(workspace, dump, "sqlite", new="dump")
    assert workspace_shape(workspace, workspace.integration("dump")["id"]) == expected
    assert sorted(item.split(" ")[0] for item in summary.left_out) == sorted({*shadow, "sqlite_sequence"})

    summary = import_url(workspace, f"sqlite:///{database}", new="live")
    assert workspace_shape(workspace, workspace.integration("live")["id"]) == expected
    # sqlite_sequence: SQLite's own table behind AUTOINCREMENT
    assert sorted(item.split(":")[0] for item in summary.left_out) == sorted({*shadow, "sqlite_sequence"})
    # Types and defaults as declared, from the file and from the database alike.
    for name in ("file", "live"):
        iid = workspace.integration(name)["id"]
        blobs = {
            row["name"]: row
            for row in workspace.rows("column", "table_id IN (SELECT id FROM tables WHERE integration_id = ?)", (iid,))
            if row["name"] in ("data", "at")
        }
        assert (blobs["data"]["type"], blobs["at"]["type"]) == ("bytea", "timestamp"), name
        assert blobs["at"]["default_value"] == "CURRENT_TIMESTAMP", name


def test_an_unreadable_table_exits_1_and_imports_nothing_unless_allowed(
    tmp_path: Path, db_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    script = tmp_path / "partial.sql"
    script.write_text("CREATE TABLE good (id int);\n\nCREATE TABLE bad (id int DEFAULT);\n", encoding="utf-8")
    assert main(["import-schema", str(script), "--dialect", "postgres", "--db", str(db_path)]) == 1
    err = capsys.readouterr().err
    assert "nothing imported: 1 CREATE TABLE statements in" in err and "--allow-partial" in err
    assert "  bad (line 3): " in err
    assert not db_path.exists()
    imported = ["import-schema", str(script), "--dialect", "postgres", "--allow-partial", "--new-integration", "Shop"]
    assert main([*imported, "--db", str(db_path)]) == 0
    out = capsys.readouterr().out
    assert "1 tables, 1 columns" in out and "    bad (line 3): " in out
    with Workspace.open(db_path) as ws:
        assert [row["name"] for row in ws.rows("table")] == ["good"]


def test_a_create_table_hidden_in_another_statement_is_reported() -> None:
    schema = read_ddl(
        "IF NOT EXISTS (SELECT * FROM sys.tables WHERE name = 'T')\nCREATE TABLE T (id int)\nGO\n"
        "CREATE TABLE U (id int)\nGO\n",
        "tsql",
        "x.sql",
    )
    assert list(schema.tables) == ["U"]
    (hidden,) = schema.unreadable
    assert hidden.line == 1 and "inside another statement" in hidden.reason


def test_parsing_reports_progress_through_the_script() -> None:
    script = "".join(f"CREATE TABLE t{n} (id int);\nINSERT INTO t{n} VALUES (1);\n" for n in range(120))
    seen = []
    read_ddl(script, "postgres", "x.sql", lambda phase, done, total: seen.append((phase, done, total)))
    assert {phase for phase, _, _ in seen} == {"parse"}
    assert [done for _, done, _ in seen] == sorted(done for _, done, _ in seen)
    assert seen[-1] == ("parse", len(script), len(script)) and len(seen) >= 4


def test_other_databases_are_read_through_sqlalchemy_reflection(tmp_path: Path) -> None:
    """Databases without a catalogue reader of their own go through get_multi_*; SQLite stands in for them here."""
    from sqlalchemy import create_engine, inspect

    from tui.importers.live import _reflect
    from tui.importers.model import no_progress

    fixture = Path(__file__).parent / "fixtures" / "ddl" / "chinook-sqlite.sql"
    database = tmp_path / "chinook.db"
    with sqlite3.connect(database) as conn:
        conn.executescript(fixture.read_text(encoding="utf-8"))
    expected = sqlite_shape(database)
    engine = create_engine(f"sqlite:///{database}")
    with engine.connect() as connection:
        schema = _reflect(inspect(connection), engine.dialect, "chinook", no_progress)
    engine.dispose()
    assert set(schema.tables) == set(expected.columns)
    for key, table in schema.tables.items():
        assert {name: column.nullable for name, column in table.columns.items()} == expected.columns[key]
        assert {(key, name) for name, column in table.columns.items() if column.primary_key} == {
            pk for pk in expected.primary_keys if pk[0] == key
        }
        assert {(key, name, column.foreign_key) for name, column in table.columns.items() if column.foreign_key} == {
            fk for fk in expected.foreign_keys if fk[0] == key
        }


def test_a_quote_left_open_does_not_parse_the_rest_of_the_file_as_one_table() -> None:
    rest = "".join(f"CREATE TABLE t{n} (id int, note text DEFAULT 'n');\n" for n in range(30000))
    script = "CREATE TABLE fine (id int);\nCREATE TABLE first (id int, note text DEFAULT 'oops);\n" + rest
    schema = read_ddl(script, "postgres", "dump.sql")
    assert list(schema.tables) == ["fine"]
    (broken,) = schema.unreadable
    assert broken.name == "first" and broken.line == 2 and "left open" in broken.reason
