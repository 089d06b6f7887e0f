"""`import-schema --url` never prints or stores a password: in the user info (even unencoded `@`, `/`, `:`) or
in the query string. Against a real PostgreSQL server."""

from __future__ import annotations

import zlib
from pathlib import Path

import pytest
from pg import PgServer

from tui.cli import main
from tui.store import Workspace

pytestmark = [pytest.mark.core, pytest.mark.postgres]


def _leaks(db_path: Path, out: str, secret: str) -> list[str]:
    found = [part for part in (secret, *secret.replace("@", "/").replace(":", "/").split("/")) if len(part) > 2]
    stored = db_path.read_bytes() if db_path.exists() else b""
    return [part for part in found if part in out or part.encode() in stored]


def test_a_password_in_the_query_string_is_neither_printed_nor_stored(
    postgres_server: PgServer, db_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    database = postgres_server.create_database("query_pw")
    postgres_server.psql(database, "CREATE TABLE plants (id bigint PRIMARY KEY, name text NOT NULL)")
    url = f"postgresql://dayone@127.0.0.1:{postgres_server.port}/{database}?password={postgres_server.password}"
    assert main(["import-schema", "--url", url, "--db", str(db_path), "--new-integration", "Plants"]) == 0
    out = capsys.readouterr()
    assert "1 table" in out.out
    assert _leaks(db_path, out.out + out.err, postgres_server.password) == []
    with Workspace.open(db_path) as ws:
        (source,) = [row["source"] for row in ws.query("SELECT source FROM imports")]
    assert source == f"postgresql://dayone@127.0.0.1:{postgres_server.port}/{database}"


@pytest.mark.parametrize("password", ["Oak@Root-77", "Oak/Root:77", "Oak:Root@77/x"])
def test_an_unencoded_password_never_shows(
    postgres_server: PgServer, db_path: Path, capsys: pytest.CaptureFixture[str], password: str
) -> None:
    database = postgres_server.create_database(f"odd_{zlib.crc32(password.encode())}")
    postgres_server.psql("postgres", f"DROP ROLE IF EXISTS odd; CREATE ROLE odd LOGIN PASSWORD '{password}'")
    url = f"postgresql://odd:{password}@127.0.0.1:{postgres_server.port}/{database}"
    code = main(["import-schema", "--url", url, "--db", str(db_path), "--new-integration", "Odd"])
    out = capsys.readouterr()
    assert code in (0, 2)
    if code == 2:
        assert len(out.err.strip().splitlines()) == 1
    assert _leaks(db_path, out.out + out.err, password) == []
