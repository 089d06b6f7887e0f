"""Schema import checked against a real PostgreSQL server: file DDL and live reflection must agree with it."""

from __future__ import annotations

from pathlib import Path

import pytest
from pg import PgServer
from schema_model import Shape, workspace_shape

from tui.cli import main
from tui.importers.live import open_engine
from tui.importers.run import import_file, import_url
from tui.store import Workspace

pytestmark = [pytest.mark.core, pytest.mark.postgres]
DDL = Path(__file__).parent / "fixtures" / "ddl"


def engine_shape(server: PgServer, database: str) -> Shape:
    """What PostgreSQL's own catalogue says about the public schema."""
    shape = Shape()
    columns = server.psql(
        database,
        """
        SELECT c.relname, a.attname, a.attnotnull FROM pg_attribute a
        JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND a.attnum > 0 AND NOT a.attisdropped""",
    )
    for line in columns.splitlines():
        table, column, notnull = line.split("|")
        shape.columns.setdefault(table, {})[column] = notnull != "t"
    keys = server.psql(
        database,
        """
        SELECT c.relname, a.attname FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid
        JOIN pg_namespace n ON n.oid = c.relnamespace
        JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = ANY (k.conkey)
        WHERE k.contype = 'p' AND n.nspname = 'public'""",
    )
    shape.primary_keys = {tuple(line.split("|")) for line in keys.splitlines()}
    foreign = server.psql(
        database,
        """
        SELECT c.relname, a.attname, r.relname || '.' || ra.attname FROM pg_constraint k
        JOIN pg_class c ON c.oid = k.conrelid JOIN pg_class r ON r.oid = k.confrelid
        CROSS JOIN LATERAL unnest(k.conkey, k.confkey) AS u(l, f)
        JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = u.l
        JOIN pg_attribute ra ON ra.attrelid = r.oid AND ra.attnum = u.f
        JOIN pg_namespace n ON n.oid = c.relnamespace WHERE k.contype = 'f' AND n.nspname = 'public'""",
    )
    shape.foreign_keys = {tuple(line.split("|")) for line in foreign.splitlines()}
    return shape


def enum_labels(server: PgServer, database: str) -> dict[str, list[str]]:
    labels: dict[str, list[str]] = {}
    out = server.psql(
        database,
        "SELECT t.typname, e.enumlabel FROM pg_enum e JOIN pg_type t ON t.oid = e.enumtypid "
        "ORDER BY t.typname, e.enumsortorder",
    )
    for line in out.splitlines():
        name, label = line.split("|")
        labels.setdefault(name, []).append(label)
    return labels


@pytest.mark.parametrize("fixture", ["pagila-postgresql.sql", "guacamole-postgresql.sql"])
def test_file_and_live_imports_match_what_postgres_reports(
    postgres_server: PgServer, workspace: Workspace, fixture: str
) -> None:
    database = postgres_server.create_database(fixture.split("-")[0])
    postgres_server.psql(database, file=DDL / fixture)
    expected = engine_shape(postgres_server, database)
    assert expected.columns and expected.primary_keys and expected.foreign_keys

    from_file = import_file(workspace, DDL / fixture, "postgres", new="From file")
    assert from_file.unreadable == []
    from_db = import_url(workspace, postgres_server.url(database), new="From database")

    for name in ("From file", "From database"):
        shape = workspace_shape(workspace, workspace.integration(name)["id"])
        assert shape.columns == expected.columns, name
        assert shape.primary_keys == expected.primary_keys, name
        assert shape.foreign_keys == expected.foreign_keys, name
    assert from_db.source == f"postgresql://dayone@127.0.0.1:{postgres_server.port}/{database}"

    labels = enum_labels(postgres_server, database)
    for name in ("From file", "From database"):
        iid = workspace.integration(name)["id"]
        tables = [row["id"] for row in workspace.rows("table", "integration_id = ?", (iid,))]
        enum_columns = [
            column for column in workspace.rows("column") if column["table_id"] in tables and column["type"] in labels
        ]
        assert enum_columns, name
        for column in enum_columns:
            assert list(column["value_set"]) == labels[column["type"]]
            assert set(column["value_set"].values()) == {""}


def test_live_import_via_cli_keeps_the_password_out(
    postgres_server: PgServer, db_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    database = postgres_server.create_database("guac_cli")
    postgres_server.psql(database, file=DDL / "guacamole-postgresql.sql")
    url = postgres_server.url(database)
    assert main(["import-schema", "--url", url, "--db", str(db_path), "--new-integration", "Guacamole"]) == 0
    out = capsys.readouterr()
    assert "9 tables" in out.out
    assert postgres_server.password not in out.out + out.err
    assert postgres_server.password.encode() not in db_path.read_bytes()
    with Workspace.open(db_path) as ws:
        (source,) = [row["source"] for row in ws.query("SELECT source FROM imports")]
    assert source == f"postgresql://dayone@127.0.0.1:{postgres_server.port}/{database}"


def test_wrong_password_is_one_line_and_changes_nothing(
    postgres_server: PgServer, db_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    database = postgres_server.create_database("guac_wrong")
    url = postgres_server.url(database, password="not-the-password")
    assert main(["import-schema", "--url", url, "--db", str(db_path)]) == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1
    assert "password authentication failed" in err
    assert "not-the-password" not in err
    assert not db_path.exists()


def test_connections_are_read_only(postgres_server: PgServer) -> None:
    database = postgres_server.create_database("read_only")
    engine = open_engine(postgres_server.url(database))
    try:
        from sqlalchemy import text
        from sqlalchemy.exc import DBAPIError

        with engine.connect() as connection:
            assert connection.execute(text("SHOW default_transaction_read_only")).scalar() == "on"
            with pytest.raises(DBAPIError, match="read-only"):
                connection.execute(text("CREATE TABLE sneaky (id int)"))
    finally:
        engine.dispose()
